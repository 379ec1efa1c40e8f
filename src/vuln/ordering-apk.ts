/**
 * Alpine apk version ordering, after apk-tools' src/version.c (the Gentoo-derived scheme
 * `digit{.digit}...{letter}{_suffix{digit}}...{~hash}{-r#}`), for Alpine, Wolfi and Chainguard.
 *
 * A version is read as tokens. Same-kind tokens compare by value: numbers numerically, except
 * that a dotted component with a leading zero on either side compares as a string (`1.01` <
 * `1.1`, `8.2.0` < `8.2.001`); letters by ASCII; suffixes in the order
 * `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`; commit hashes as
 * strings. Where the two versions first differ in kind, a pre-release suffix loses to anything,
 * and otherwise the kind that comes later in the grammar loses (`1.2` < `1.2.1`, `1.2a` <
 * `1.2.1`, `1.2` < `1.2-r1`, `1.2` > `1.2_rc1`). Numbers are compared as digit strings, so
 * versions beyond 64 bits still order (apk itself would wrap).
 */
import { compareDigits, compareStrings, isDigit, MAX_VERSION_LENGTH, type VersionOrdering } from "./ordering.js";

/** Token kinds in grammar order: their order decides comparisons between different kinds. */
const Kind = {
  InitialDigit: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  CommitHash: 5,
  Revision: 6,
  End: 7,
  Invalid: 8,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** Pre-release suffixes sort below "no suffix", post-release ones above. */
const SUFFIXES = new Map<string, number>([
  ["alpha", -4],
  ["beta", -3],
  ["pre", -2],
  ["rc", -1],
  ["cvs", 1],
  ["svn", 2],
  ["git", 3],
  ["hg", 4],
  ["p", 5],
]);

interface Token {
  kind: Kind;
  /** The token's text: digits, a letter, a suffix name or a hash. */
  text: string;
}

/** The next token at `v[i]`, given the kind of the one before; Invalid where the grammar says no. */
function nextToken(v: string, i: number, last: Kind): { token: Token; next: number } {
  let j = i;
  const take = (test: (code: number) => boolean): string => {
    const start = j;
    while (j < v.length && test(v.charCodeAt(j))) j++;
    return v.slice(start, j);
  };
  const invalid = { token: { kind: Kind.Invalid, text: "" }, next: v.length };
  const c = v[j] as string;
  if (c >= "a" && c <= "z") {
    return last <= Kind.Digit ? { token: { kind: Kind.Letter, text: c }, next: j + 1 } : invalid;
  }
  if (c === ".") {
    j++;
    const digits = take(isDigit);
    return last <= Kind.Digit && digits !== "" ? { token: { kind: Kind.Digit, text: digits }, next: j } : invalid;
  }
  if (isDigit(c.charCodeAt(0))) {
    // Digits right after a suffix name are its number (`_rc1`); anywhere else they are invalid.
    const digits = take(isDigit);
    return last === Kind.Suffix ? { token: { kind: Kind.SuffixNumber, text: digits }, next: j } : invalid;
  }
  if (c === "_") {
    j++;
    const name = take((code) => code >= 97 && code <= 122);
    return last <= Kind.SuffixNumber && SUFFIXES.has(name)
      ? { token: { kind: Kind.Suffix, text: name }, next: j }
      : invalid;
  }
  if (c === "~") {
    j++;
    const hash = take((code) => isDigit(code) || (code >= 97 && code <= 102));
    return last < Kind.CommitHash && hash !== "" ? { token: { kind: Kind.CommitHash, text: hash }, next: j } : invalid;
  }
  if (c === "-" && v[j + 1] === "r") {
    j += 2;
    const digits = take(isDigit);
    return last < Kind.Revision && digits !== "" ? { token: { kind: Kind.Revision, text: digits }, next: j } : invalid;
  }
  return invalid;
}

/** Reads `v` into tokens, ending with End (a valid version) or Invalid. */
function tokenize(v: string): Token[] {
  let i = 0;
  while (i < v.length && isDigit(v.charCodeAt(i))) i++;
  if (i === 0) return [{ kind: Kind.Invalid, text: "" }];
  const tokens: Token[] = [{ kind: Kind.InitialDigit, text: v.slice(0, i) }];
  while (i < v.length) {
    const { token, next } = nextToken(v, i, (tokens.at(-1) as Token).kind);
    tokens.push(token);
    if (token.kind === Kind.Invalid) return tokens;
    i = next;
  }
  tokens.push({ kind: Kind.End, text: "" });
  return tokens;
}

function compareSameKind(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      if (a.text.startsWith("0") || b.text.startsWith("0")) return compareStrings(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a.text, b.text);
    case Kind.Suffix:
      return Math.sign((SUFFIXES.get(a.text) ?? 0) - (SUFFIXES.get(b.text) ?? 0));
    default:
      return compareStrings(a.text, b.text);
  }
}

function isPreRelease(t: Token): boolean {
  return t.kind === Kind.Suffix && (SUFFIXES.get(t.text) ?? 0) < 0;
}

function compareApk(a: string, b: string): number {
  const ta = tokenize(a);
  const tb = tokenize(b);
  for (let k = 0; ; k++) {
    const x = ta[k] as Token;
    const y = tb[k] as Token;
    if (x.kind !== y.kind) {
      if (isPreRelease(x)) return -1;
      if (isPreRelease(y)) return 1;
      return x.kind > y.kind ? -1 : 1;
    }
    if (x.kind === Kind.End || x.kind === Kind.Invalid) return 0;
    const d = compareSameKind(x, y);
    if (d !== 0) return d;
  }
}

export const apkOrdering: VersionOrdering = {
  name: "apk",
  valid: (v) => v.length <= MAX_VERSION_LENGTH && tokenize(v).at(-1)?.kind === Kind.End,
  compare: compareApk,
};
