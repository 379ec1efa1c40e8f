/**
 * Maven version ordering: the POM reference's "Version Order Specification"
 * (https://maven.apache.org/pom.html#version-order-specification), which Maven's
 * ComparableVersion implements.
 *
 * A version splits into tokens at `.`, at `-` and where digits and letters meet (that transition
 * counts as `-`); each token keeps its separator as a prefix and an empty token becomes `0`.
 * Trailing "null" tokens (`0`, `""`, `ga`, `final`, `release`) are trimmed from the end, then
 * again before every remaining `-` from the end towards the start. Versions then compare token by
 * token: a qualifier (any prefix) < `-number` < `.number`; numbers numerically; qualifiers as
 * `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp`, then unknown
 * qualifiers alphabetically, all case-insensitive. `a`, `b` and `m` directly followed by a digit
 * mean alpha, beta and milestone.
 *
 * Where the specification's text contradicts itself (it pads with `0` after `.` but also says
 * `.qualifier` = `-qualifier`; together they are not transitive, Maven's MNG-5568), this reads a
 * qualifier after `.` like one after `-`, as Maven 3.9's ComparableVersion does for a trailing
 * one: nulls are trimmed before every qualifier too (`1.0.0.Beta1` = `1-beta-1` < `1`), and a
 * missing token compares as the release qualifier `""` (so `1.0.z` > `1.0`, `11` < `11.a`).
 * Every null number left is followed by a non-null number, so this agrees with padding by `0`
 * and keeps the order total. The first token is never trimmed (`0-1` does not become `-1`).
 */
import { compareDigits, compareStrings, isDigit, MAX_VERSION_LENGTH, type VersionOrdering } from "./ordering.js";

interface MavenToken {
  separator: "." | "-";
  /** Digits for a number, the lowercased (and de-aliased) text for a qualifier. */
  value: string;
  numeric: boolean;
}

/** Known qualifiers in order; `""` is the release. */
const QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const ALIASES = new Map([
  ["cr", "rc"],
  ["ga", ""],
  ["final", ""],
  ["release", ""],
]);
const SHORT_FORMS = new Map([
  ["a", "alpha"],
  ["b", "beta"],
  ["m", "milestone"],
]);

function tokenize(version: string): MavenToken[] {
  const v = version.toLowerCase();
  const tokens: MavenToken[] = [];
  let separator: "." | "-" = ".";
  let start = 0;
  const emit = (end: number, followedByDigit: boolean) => {
    const text = v.slice(start, end);
    if (text === "") {
      tokens.push({ separator, value: "0", numeric: true });
    } else if (isDigit(text.charCodeAt(0))) {
      tokens.push({ separator, value: text, numeric: true });
    } else {
      const full = (followedByDigit && SHORT_FORMS.get(text)) || text;
      tokens.push({ separator, value: ALIASES.get(full) ?? full, numeric: false });
    }
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === "." || c === "-") {
      emit(i, false);
      separator = c;
      start = i + 1;
    } else if (i > start && isDigit(v.charCodeAt(i)) !== isDigit(v.charCodeAt(i - 1))) {
      emit(i, isDigit(v.charCodeAt(i)));
      separator = "-";
      start = i;
    }
  }
  emit(v.length, false);
  return trim(tokens);
}

function isNull(t: MavenToken): boolean {
  return t.numeric ? /^0+$/.test(t.value) : t.value === "";
}

/** Removes nulls at the end and before each `-` or qualifier, from the end towards the start. */
function trim(tokens: MavenToken[]): MavenToken[] {
  const out: MavenToken[] = [];
  // Walking backwards, a null is dropped while it sits at the end or right before a `-` token.
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] as MavenToken;
    const next = out.at(-1);
    const trailing = next === undefined || next.separator === "-" || !next.numeric;
    if (i > 0 && trailing && isNull(t)) continue;
    out.push(t);
  }
  return out.reverse();
}

function qualifierRank(q: string): number {
  const known = QUALIFIERS.indexOf(q);
  return known >= 0 ? known : QUALIFIERS.length;
}

function compareQualifiers(a: string, b: string): number {
  return Math.sign(qualifierRank(a) - qualifierRank(b)) || compareStrings(a, b);
}

/** Qualifiers of any prefix, then `-number`, then `.number`. */
function kindRank(t: MavenToken): number {
  if (!t.numeric) return 0;
  return t.separator === "-" ? 1 : 2;
}

/** What a missing token compares as: the release qualifier. */
const MISSING: MavenToken = { separator: "-", value: "", numeric: false };

function compareTokens(a: MavenToken, b: MavenToken): number {
  const kinds = kindRank(a) - kindRank(b);
  if (kinds !== 0) return Math.sign(kinds);
  return a.numeric ? compareDigits(a.value, b.value) : compareQualifiers(a.value, b.value);
}

function compareMaven(a: string, b: string): number {
  const x = tokenize(a);
  const y = tokenize(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = compareTokens(x[i] ?? MISSING, y[i] ?? MISSING);
    if (d !== 0) return d;
  }
  return 0;
}

export const mavenOrdering: VersionOrdering = {
  name: "maven",
  // Maven accepts any string as a version; blank ones and whitespace are never real releases.
  valid: (v) => v.length > 0 && v.length <= MAX_VERSION_LENGTH && !/\s/.test(v),
  compare: compareMaven,
};
