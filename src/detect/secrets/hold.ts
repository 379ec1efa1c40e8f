/**
 * How much of a streamed answer the secrets detector still needs to hold back: text from the
 * earliest position where some rule's match attempt may still read past the end of the text
 * (see pattern-reach.ts). A rule whose matches all begin with a literal (`sk-proj-`, `ghp_`,
 * `-----BEGIN `, `password`, `postgres://`) is tried only where such a literal occurs, or where
 * the text ends in its first letters; other rules are searched for over the last stretch they
 * can reach.
 *
 * So prose flows with a few characters of delay, a token is held while it may still grow, and a
 * PEM block is held from its `-----BEGIN` line until its END line has arrived (or it has grown
 * too long to match).
 *
 * The detector runs a rule only in windows around its keywords. A match that contains one of
 * its rule's keywords is found wherever it is; one that does not (`secret.access.key = ...`
 * has none of its rule's keywords) is found only if a keyword occurs within the rule's reach,
 * possibly after it. Such a match near the end is held until no keyword still to come could
 * reach it.
 */
import type { StreamProfile } from "../detection.js";
import { toScanText } from "../scan-text.js";
import { createKeywordMatcher } from "./aho-corasick.js";
import type { CompiledSecretRule } from "./load-rules.js";
import {
  lazyDelimiters,
  leadingLiterals,
  type PatternNode,
  parsePattern,
  readExtent,
  toReachEnd,
  toSource,
} from "./pattern-reach.js";

/** Characters the detector scans around a keyword window for lookarounds (see detector.ts). */
const LOOKAROUND_MARGIN = 16;
/** Rules longer than this once decided the old fixed window; kept for the look-back size. */
const SHORT_RULE_LIMIT = 600;

interface RulePlan {
  /** Farthest an attempt reads from its start, plus one for the character that stops it. */
  reach: number;
  /** Sticky: some path from here reads the end of the text. Undefined when none ever can. */
  reachesEnd: RegExp | undefined;
  /** The same, searched for. */
  searchReachesEnd: RegExp | undefined;
  /** Lower-cased literals every match begins with; undefined when some match begins with a class. */
  anchors: readonly string[] | undefined;
  /** For `prefix lazy-gap suffix` patterns: a match found there is final early (see lazyDelimiters). */
  delimited: { prefix: RegExp; rest: RegExp; prefixReach: number; suffixReach: number } | undefined;
  /** The rule's own pattern, sticky and searching. */
  regex: RegExp;
  searchRegex: RegExp;
  keywords: readonly string[];
  /** How far after a match a keyword occurrence still opens a window that reaches it. */
  keyReach: number;
}

/** The secrets detector's streaming profile over its (already filtered) rules. */
export function createSecretsStreamProfile(rules: readonly CompiledSecretRule[]): StreamProfile {
  const plans: RulePlan[] = [];
  // Rules whose pattern this analysis does not cover are held by a fixed window of their length.
  let fallbackReach = 0;
  for (const compiled of rules) {
    const plan = planRule(compiled);
    if (plan) plans.push(plan);
    else fallbackReach = Math.max(fallbackReach, compiled.maxMatchLength + LOOKAROUND_MARGIN);
  }
  const anchored = plans.filter((p) => p.anchors);
  const searched = plans.filter((p) => !p.anchors && p.searchReachesEnd);
  // Anchors are scanned for over the stretch their rules reach: the few long rules (PEM blocks,
  // bearer tokens) over kilobytes with a small automaton, the many short ones over the tail.
  const tiers = [
    createAnchorTier(anchored.filter((p) => p.reach <= SHORT_RULE_LIMIT)),
    createAnchorTier(anchored.filter((p) => p.reach > SHORT_RULE_LIMIT)),
  ];
  // The first letters of an anchor at the very end of the text: its rules may start there.
  const plansByPartial = new Map<string, RulePlan[]>();
  for (const plan of anchored) {
    for (const anchor of plan.anchors ?? []) {
      for (let length = 1; length < anchor.length; length++) {
        const partial = anchor.slice(0, length);
        const list = plansByPartial.get(partial) ?? [];
        if (!list.includes(plan)) list.push(plan);
        plansByPartial.set(partial, list);
      }
    }
  }
  const longestAnchor = Math.max(0, ...anchored.flatMap((p) => (p.anchors ?? []).map((a) => a.length)));
  const longestReach = Math.max(1, fallbackReach, ...plans.map((p) => p.reach));

  const short = rules.filter((r) => r.maxMatchLength <= SHORT_RULE_LIMIT);
  const shortSpan = Math.max(1, ...short.map((r) => r.maxMatchLength));
  const shortReach = Math.max(0, ...short.map((r) => (r.valueGroup === 0 ? 0 : r.maxMatchLength))) + LOOKAROUND_MARGIN;

  return {
    holdBack: longestReach + LOOKAROUND_MARGIN,
    lookback: 4 * (shortSpan + SHORT_RULE_LIMIT) + shortReach,
    holdFrom(input) {
      // Rules see the scan text (NFKC, invisible characters removed); so does the hold.
      const scan = toScanText(input);
      const text = scan.text;
      const n = text.length;
      let hold = fallbackReach > 0 ? Math.max(0, n - fallbackReach) : n;
      for (const tier of tiers) hold = tier.holdFrom(text, hold);
      for (let p = Math.max(0, n - longestAnchor + 1); p < Math.min(n, hold); p++) {
        const plans = plansByPartial.get(text.slice(p).toLowerCase());
        if (plans?.some((plan) => isOpen(plan, text, p))) {
          hold = p;
          break;
        }
      }
      for (const plan of searched) {
        const from = Math.max(0, n - plan.reach);
        if (from < hold) {
          const search = plan.searchReachesEnd as RegExp;
          search.lastIndex = from;
          const found = search.exec(text);
          if (found && found.index < hold) hold = found.index;
        }
        hold = Math.min(hold, keylessMatchStart(plan, text, Math.max(0, n - plan.keyReach), hold));
      }
      return scan.toOriginalStart(hold);
    },
  };
}

/** Rules tried where one of their anchors occurs in the stretch of text they can reach. */
function createAnchorTier(plans: readonly RulePlan[]): { holdFrom(text: string, hold: number): number } {
  const anchors = [...new Set(plans.flatMap((p) => p.anchors ?? []))];
  const matcher = createKeywordMatcher(anchors);
  const plansByAnchor = anchors.map((a) => plans.filter((p) => p.anchors?.includes(a)));
  const reach = Math.max(0, ...plans.map((p) => Math.max(p.reach, p.keyReach)));
  return {
    holdFrom(text, hold) {
      if (plans.length === 0) return hold;
      const n = text.length;
      const tail = Math.max(0, n - reach);
      let earliest = hold;
      matcher.scan(tail === 0 ? text : text.slice(tail), (anchor, end) => {
        const start = tail + end - (anchors[anchor] as string).length;
        if (start >= earliest) return;
        for (const plan of plansByAnchor[anchor] as RulePlan[]) {
          const open = start + plan.reach > n && isOpen(plan, text, start);
          if (open || (start + plan.keyReach > n && lacksKeyword(plan, text, start))) {
            earliest = start;
            return;
          }
        }
      });
      return earliest;
    },
  };
}

/** Whether the rule's match at `at` (if any) contains none of its keywords. */
function lacksKeyword(plan: RulePlan, text: string, at: number): boolean {
  plan.regex.lastIndex = at;
  const match = plan.regex.exec(text);
  if (!match) return false;
  const lower = match[0].toLowerCase();
  return !plan.keywords.some((k) => lower.includes(k));
}

/** The start of the first match of the rule in [from, before) that contains none of its keywords. */
function keylessMatchStart(plan: RulePlan, text: string, from: number, before: number): number {
  plan.searchRegex.lastIndex = from;
  for (let m = plan.searchRegex.exec(text); m !== null && m.index < before; m = plan.searchRegex.exec(text)) {
    const lower = m[0].toLowerCase();
    if (!plan.keywords.some((k) => lower.includes(k))) return m.index;
    if (m[0].length === 0) plan.searchRegex.lastIndex++;
  }
  return before;
}

/** Whether an attempt of the rule at `at` may still turn out differently as text is appended. */
function isOpen(plan: RulePlan, text: string, at: number): boolean {
  const n = text.length;
  const delimited = plan.delimited;
  if (delimited && at + delimited.prefixReach < n) {
    delimited.prefix.lastIndex = at;
    const head = delimited.prefix.exec(text);
    if (head) {
      delimited.rest.lastIndex = at + head[0].length;
      const body = delimited.rest.exec(text);
      if (body && delimited.rest.lastIndex + delimited.suffixReach <= n) return false;
    }
  }
  if (!plan.reachesEnd) return false;
  plan.reachesEnd.lastIndex = at;
  return plan.reachesEnd.test(text);
}

function planRule(compiled: CompiledSecretRule): RulePlan | undefined {
  let node: PatternNode;
  try {
    node = parsePattern(compiled.regex.source);
  } catch {
    return undefined;
  }
  const flags = compiled.regex.flags.replace(/[dgy]/g, "");
  const reachEnd = toReachEnd(node);
  const literals = leadingLiterals(node, true);
  // The anchor scan folds ASCII case only, so a literal must be printable ASCII to be one.
  const anchors = literals?.every((l) => /^[\x20-\x7e]+$/.test(l)) ? [...new Set(literals)] : undefined;
  const delimited = lazyDelimiters(node);
  try {
    return {
      reach: readExtent(node) + 1,
      reachesEnd: reachEnd === undefined ? undefined : new RegExp(reachEnd, `${flags}y`),
      searchReachesEnd: reachEnd === undefined ? undefined : new RegExp(reachEnd, `${flags}g`),
      anchors,
      regex: new RegExp(compiled.regex.source, `${flags}y`),
      searchRegex: new RegExp(compiled.regex.source, `${flags}g`),
      keywords: compiled.rule.keywords.map((k) => k.toLowerCase()),
      keyReach: compiled.maxMatchLength + LOOKAROUND_MARGIN + 1,
      delimited: delimited && {
        prefix: new RegExp(toSource(delimited.prefix), `${flags}y`),
        rest: new RegExp(toSource(delimited.rest), `${flags}y`),
        prefixReach: delimited.prefixReach,
        suffixReach: delimited.suffixReach,
      },
    };
  } catch {
    return undefined;
  }
}
