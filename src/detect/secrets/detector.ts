/**
 * The secrets detector: an Aho-Corasick keyword pass picks which rules run and where, then each
 * rule's bounded pattern runs only on the windows around its keywords, and each value passes the
 * placeholder, stopword and entropy gates. Text without any keyword costs one linear scan.
 */
import type { Detection, TextDetector } from "../detection.js";
import { toOriginalDetections, toScanText } from "../scan-text.js";
import { createKeywordMatcher } from "./aho-corasick.js";
import { createSecretsStreamProfile } from "./hold.js";
import { type CompiledSecretRule, loadSecretRules, type SecretRuleSet } from "./load-rules.js";
import { requiredLiterals } from "./regex-safety.js";
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
  const required = requiredLiteralPlan(rules, keywords.length);
  const matcher = createKeywordMatcher([...keywords, ...required.literals]);
  const maxSpanLength = Math.max(1, ...rules.map((r) => r.maxMatchLength));
  const contextReach =
    Math.max(0, ...rules.map((r) => (r.valueGroup === 0 ? 0 : r.maxMatchLength))) + LOOKAROUND_MARGIN;

  // Streaming: hold back only from where a rule's match may still be in progress (see hold.ts).
  // Built on first use: only streamed answers need it, and it costs ~0.15 s of a cold start
  // that every `scan` command would otherwise pay.
  let stream: ReturnType<typeof createSecretsStreamProfile> | undefined;

  return {
    kind: "secrets",
    maxSpanLength,
    contextReach,
    get stream() {
      stream ??= createSecretsStreamProfile(rules);
      return stream;
    },
    detect(input: string): Detection[] {
      // Rules see NFKC without invisible characters; spans are moved back onto `input`.
      const scan = toScanText(input);
      const text = scan.text;
      const windows = keywordWindows(text, { rules, rulesByKeyword, keywords, required }, matcher.scan);
      const found: Detection[] = [];
      for (const [ruleIndex, list] of windows) {
        const compiled = rules[ruleIndex] as CompiledSecretRule;
        for (const window of list) {
          runRule(compiled, text, window, found, maxDetections);
          if (found.length >= maxDetections) break;
        }
      }
      return toOriginalDetections(resolveOverlaps(found.filter((d) => d.score >= minScore)), scan);
    },
  };
}

/**
 * Literals, other than its keywords, that every match of a rule contains (`-----END ` for a PEM
 * block, `.eyJ` for a JWT). They are searched in the same automaton pass as the keywords, after
 * them (ids from `firstId`); a keyword hit with no occurrence of one of them within the rule's
 * reach cannot start a match, so it opens no window. Without this a text of `-----BEGIN PRIVATE
 * KEY-----` lines and no END ran the lazy 8,000-character body scan from every line (3 s per MB).
 */
interface RequiredLiteralPlan {
  literals: string[];
  firstId: number;
  /** Per rule, the ids (from 0) of the literals it requires. */
  byRule: number[][];
}

function requiredLiteralPlan(rules: readonly CompiledSecretRule[], firstId: number): RequiredLiteralPlan {
  const literals: string[] = [];
  const ids = new Map<string, number>();
  const byRule = rules.map((compiled) => {
    const keywords = compiled.rule.keywords;
    const own = new Set<number>();
    for (const literal of requiredLiterals(compiled.regex.source)) {
      const lower = literal.toLowerCase();
      // A literal inside one of the keywords is there whenever the keyword is.
      if (keywords.some((k) => k.includes(lower))) continue;
      let id = ids.get(lower);
      if (id === undefined) {
        id = literals.length;
        literals.push(lower);
        ids.set(lower, id);
      }
      own.add(id);
    }
    return [...own];
  });
  return { literals, firstId, byRule };
}

interface KeywordIndex {
  rules: readonly CompiledSecretRule[];
  rulesByKeyword: readonly number[][];
  keywords: readonly string[];
  required: RequiredLiteralPlan;
}

/** Per rule, the merged text windows around its keyword hits. Linear in the text and the hits. */
function keywordWindows(
  text: string,
  index: KeywordIndex,
  scan: (text: string, onHit: (keyword: number, end: number) => void) => void,
): Map<number, Window[]> {
  const { rules, rulesByKeyword, keywords, required } = index;
  const windows = new Map<number, Window[]>();
  const addWindow = (ruleIndex: number, start: number, end: number) => {
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
  };
  // Hits of rules that require literals wait until every literal occurrence is known: flat
  // triples (rule, start, end), in text order. Typed lists: a hostile text has millions of hits.
  const pending = createIntList();
  const occurrences = required.literals.map(() => createIntList());
  scan(text, (keyword, end) => {
    if (keyword >= required.firstId) {
      const literal = keyword - required.firstId;
      (occurrences[literal] as IntList).push(end - (required.literals[literal] as string).length);
      return;
    }
    const start = end - (keywords[keyword] as string).length;
    for (const ruleIndex of rulesByKeyword[keyword] as number[]) {
      if ((required.byRule[ruleIndex] as number[]).length > 0) pending.push(ruleIndex, start, end);
      else addWindow(ruleIndex, start, end);
    }
  });
  const hits = pending.values();
  const starts = occurrences.map((list) => list.values());
  for (let i = 0; i < hits.length; i += 3) {
    const ruleIndex = hits[i] as number;
    const start = hits[i + 1] as number;
    const end = hits[i + 2] as number;
    const reach = (rules[ruleIndex] as CompiledSecretRule).maxMatchLength;
    const inReach = (required.byRule[ruleIndex] as number[]).every((literal) => {
      // An occurrence [at, at + length) inside [end - reach, start + reach), like the match.
      const at = firstAtLeast(starts[literal] as Int32Array, end - reach);
      return at !== undefined && at + (required.literals[literal] as string).length <= start + reach;
    });
    if (inReach) addWindow(ruleIndex, start, end);
  }
  return windows;
}

/** The first entry of the ascending `sorted` that is at least `value`, if any. */
function firstAtLeast(sorted: Int32Array, value: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return sorted[low];
}

interface IntList {
  push(...values: number[]): void;
  /** The values pushed so far (a view, valid until the next push). */
  values(): Int32Array;
}

/** A growable list of 32-bit integers: no per-element garbage, unlike a plain array. */
function createIntList(): IntList {
  let buffer = new Int32Array(16);
  let length = 0;
  return {
    push(...values) {
      if (length + values.length > buffer.length) {
        const grown = new Int32Array(Math.max(buffer.length * 2, length + values.length));
        grown.set(buffer);
        buffer = grown;
      }
      for (const value of values) buffer[length++] = value;
    },
    values: () => buffer.subarray(0, length),
  };
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
