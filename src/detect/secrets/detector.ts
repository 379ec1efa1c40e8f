/**
 * The secrets detector: an Aho-Corasick keyword pass picks which rules run and where, then each
 * rule's bounded pattern runs only on the windows around its keywords, and each value passes the
 * placeholder, stopword and entropy gates. Text without any keyword costs one linear scan.
 */
import type { Detection, TextDetector } from "../detection.js";
import { createKeywordMatcher } from "./aho-corasick.js";
import { type CompiledSecretRule, loadSecretRules, type SecretRuleSet } from "./load-rules.js";
import { findStopword, isPlaceholder, shannonEntropy } from "./value-gates.js";

/** Extra characters on each side of a window so lookarounds see real context. */
const LOOKAROUND_MARGIN = 16;
/** Default upper bound on detections from one call, so a hostile input cannot exhaust memory. */
export const DEFAULT_MAX_DETECTIONS = 100_000;

/** Options for `createSecretsDetector`. */
export interface SecretsDetectorOptions {
  /** Compiled rules; defaults to the shipped rules. */
  rules?: SecretRuleSet;
  /** Rule ids to leave out. */
  disable?: readonly string[];
  /** Drop detections scoring below this (default 0). */
  minScore?: number;
  /** Stop after this many detections in one call (default DEFAULT_MAX_DETECTIONS); the rest of the text is not reported. */
  maxDetections?: number;
}

let shippedRules: SecretRuleSet | undefined;

/** The shipped rules, loaded and compiled on first use. */
function defaultRules(): SecretRuleSet {
  shippedRules ??= loadSecretRules();
  return shippedRules;
}

interface Window {
  start: number;
  end: number;
}

/** Rules whose matches can be longer than this are streamed by their keyword (see `stream`). */
const STREAM_SHORT_LIMIT = 600;

/** Build a secrets detector over the given (or shipped) rules; compiles the keyword automaton once. */
export function createSecretsDetector(options: SecretsDetectorOptions = {}): TextDetector {
  const ruleSet = options.rules ?? defaultRules();
  const disabled = new Set(options.disable ?? []);
  const rules = ruleSet.rules.filter((r) => !disabled.has(r.rule.id));
  const minScore = options.minScore ?? 0;
  const maxDetections = options.maxDetections ?? DEFAULT_MAX_DETECTIONS;

  const keywords: string[] = [];
  const keywordIndex = new Map<string, number>();
  const rulesByKeyword: number[][] = [];
  for (const [ruleIndex, compiled] of rules.entries()) {
    for (const keyword of compiled.rule.keywords) {
      let k = keywordIndex.get(keyword);
      if (k === undefined) {
        k = keywords.length;
        keywords.push(keyword);
        keywordIndex.set(keyword, k);
        rulesByKeyword.push([]);
      }
      (rulesByKeyword[k] as number[]).push(ruleIndex);
    }
  }
  const matcher = createKeywordMatcher(keywords);
  const maxSpanLength = Math.max(1, ...rules.map((r) => r.maxMatchLength));
  const contextReach =
    Math.max(0, ...rules.map((r) => (r.valueGroup === 0 ? 0 : r.maxMatchLength))) + LOOKAROUND_MARGIN;

  // Streaming: rules with long matches (PEM keys, JWTs) begin at their keyword, so text is held
  // from such a keyword on; everything else needs only the short rules' hold-back.
  const long = rules.filter((r) => r.maxMatchLength > STREAM_SHORT_LIMIT);
  const short = rules.filter((r) => r.maxMatchLength <= STREAM_SHORT_LIMIT);
  const shortSpan = Math.max(1, ...short.map((r) => r.maxMatchLength));
  const shortReach = Math.max(0, ...short.map((r) => (r.valueGroup === 0 ? 0 : r.maxMatchLength))) + LOOKAROUND_MARGIN;
  const longKeywords = createKeywordMatcher([...new Set(long.flatMap((r) => r.rule.keywords))]);
  const longestLong = Math.max(0, ...long.map((r) => r.maxMatchLength));
  const stream = {
    holdBack: shortSpan + shortReach + STREAM_SHORT_LIMIT,
    lookback: 4 * (shortSpan + STREAM_SHORT_LIMIT) + shortReach,
    holdFrom(text: string): number {
      let from = text.length;
      const tail = Math.max(0, text.length - longestLong);
      longKeywords.scan(text.slice(tail), (_keyword, end) => {
        // A long match starts at most STREAM_SHORT_LIMIT before its keyword (they are prefixes).
        from = Math.min(from, Math.max(0, tail + end - STREAM_SHORT_LIMIT - 64));
      });
      return from;
    },
  };

  return {
    kind: "secrets",
    maxSpanLength,
    contextReach,
    stream,
    detect(text: string): Detection[] {
      const windows = keywordWindows(text, rules, rulesByKeyword, keywords, matcher.scan);
      const found: Detection[] = [];
      for (const [ruleIndex, list] of windows) {
        const compiled = rules[ruleIndex] as CompiledSecretRule;
        for (const window of list) {
          runRule(compiled, text, window, found, maxDetections);
          if (found.length >= maxDetections) break;
        }
      }
      return resolveOverlaps(found.filter((d) => d.score >= minScore));
    },
  };
}

/** Per rule, the merged text windows around its keyword hits. */
function keywordWindows(
  text: string,
  rules: readonly CompiledSecretRule[],
  rulesByKeyword: readonly number[][],
  keywords: readonly string[],
  scan: (text: string, onHit: (keyword: number, end: number) => void) => void,
): Map<number, Window[]> {
  const windows = new Map<number, Window[]>();
  scan(text, (keyword, end) => {
    const start = end - (keywords[keyword] as string).length;
    for (const ruleIndex of rulesByKeyword[keyword] as number[]) {
      // Any match that contains this keyword occurrence lies in [end - reach, start + reach).
      const reach = (rules[ruleIndex] as CompiledSecretRule).maxMatchLength;
      const window = {
        start: Math.max(0, end - reach - LOOKAROUND_MARGIN),
        end: Math.min(text.length, start + reach + LOOKAROUND_MARGIN),
      };
      let list = windows.get(ruleIndex);
      if (!list) {
        list = [];
        windows.set(ruleIndex, list);
      }
      const last = list[list.length - 1];
      if (last && window.start <= last.end) {
        last.start = Math.min(last.start, window.start);
        last.end = Math.max(last.end, window.end);
      } else {
        list.push(window);
      }
    }
  });
  return windows;
}

/** Run one rule's pattern over one window and push the values that pass its gates. */
function runRule(
  compiled: CompiledSecretRule,
  text: string,
  window: Window,
  found: Detection[],
  maxDetections: number,
): void {
  const { rule, regex, valueGroup } = compiled;
  const slice = text.slice(window.start, window.end);
  const scanFrom = window.start === 0 ? 0 : LOOKAROUND_MARGIN;
  const trustedEnd = window.end === text.length ? slice.length : slice.length - LOOKAROUND_MARGIN;
  regex.lastIndex = scanFrom;
  for (let m = regex.exec(slice); m !== null; m = regex.exec(slice)) {
    if (m[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    if (m.index + m[0].length > trustedEnd) break;
    const value = valueGroup === "secret" ? m.groups?.secret : m[valueGroup];
    const indices = valueGroup === "secret" ? m.indices?.groups?.secret : m.indices?.[valueGroup];
    if (value === undefined || indices === undefined || value.length === 0) continue;
    const reasons = gate(compiled, value, m[0]);
    if (!reasons) continue;
    found.push({
      entity: rule.entity,
      start: window.start + indices[0],
      end: window.start + indices[1],
      score: rule.score,
      detector: "secrets",
      ruleId: rule.id,
      reasons,
    });
    if (found.length >= maxDetections) return;
  }
}

/** The reasons a value is reported, or undefined when a gate rejects it. */
function gate(compiled: CompiledSecretRule, value: string, match: string): string[] | undefined {
  const { rule } = compiled;
  if (isPlaceholder(value)) return undefined;
  if (findStopword(value, compiled.stopwords) !== undefined) return undefined;
  if (compiled.allowPatterns.some((pattern) => pattern.test(value))) return undefined;
  const lowerMatch = match.toLowerCase();
  const keyword = rule.keywords.find((k) => lowerMatch.includes(k)) ?? rule.keywords[0];
  const reasons = [`keyword:${keyword}`];
  if (rule.minEntropy !== undefined) {
    const entropy = shannonEntropy(value);
    if (entropy < rule.minEntropy) return undefined;
    reasons.push(`entropy:${entropy.toFixed(1)}`);
  }
  return reasons;
}

/**
 * Sort by offset and drop a detection whose span lies inside a higher-scoring one (a generic
 * `token=` rule seeing the same value as the provider rule), or repeats an identical span.
 * Partial overlaps are both kept so redaction covers their union. A sweep over spans sorted by
 * start keeps only the spans still open at the current offset, so this stays near-linear.
 */
function resolveOverlaps(found: Detection[]): Detection[] {
  const sorted = found.sort(
    (a, b) => a.start - b.start || b.end - a.end || b.score - a.score || a.ruleId.localeCompare(b.ruleId),
  );
  const kept: Detection[] = [];
  let open: Detection[] = [];
  for (const d of sorted) {
    open = open.filter((k) => k.end > d.start);
    const covered = open.some((k) => k.end >= d.end && (k.score > d.score || (k.start === d.start && k.end === d.end)));
    if (covered) continue;
    kept.push(d);
    open.push(d);
  }
  return kept;
}
