/**
 * The injection rule pack: data (`rules/injection/*.yaml`), validated with a strict schema and
 * compiled once. Patterns are untrusted input when users add them, so each is bounded in
 * length and rejected when it has the nested quantifiers that make backtracking explode.
 */

import { z } from "zod";
import { PalisadeError, parseYamlSource, ValidationError, validateYaml } from "../../core/index.js";
import { boundQuantifiers, nestedQuantifierReason } from "../pattern-safety.js";
import type { InjectionMode } from "./types.js";

const MAX_PATTERN_LENGTH = 1_000;
/**
 * Most repeats one unbounded quantifier (`*`, `+`, `{n,}`) may take: patterns are tried at every
 * occurrence of their leading literals, and an unbounded repeat makes each try scan to the end of
 * a run (`(---)[=*#-]*\s?end` over 200,000 dashes took minutes). 64 covers any real word, run of
 * separators or list of filler words an instruction contains.
 */
const MAX_REPEAT = 64;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** One rule as written in a rule-pack file. */
export const InjectionRuleSchema = z
  .object({
    id: z.string().regex(KEBAB, "rule ids are kebab-case"),
    /** ISO 639-1 code, `multi` (several languages) or `any` (language-neutral syntax). */
    lang: z.string().regex(/^([a-z]{2}|multi|any)$/),
    /** Probability-like evidence in [0, 1] that a match means an attack; 0.5 alone reaches the default threshold. */
    weight: z.number().min(0).max(1),
    /** Weight in document mode, where instructions addressed to the AI are more suspicious. */
    documentWeight: z.number().min(0).max(1).optional(),
    /**
     * Weight in system mode (system and developer messages), where developers write directives
     * to the assistant: lower for rules that fire on ordinary directives. Default: `weight`.
     */
    systemWeight: z.number().min(0).max(1).optional(),
    description: z.string().min(1),
    patterns: z.array(z.string().min(1).max(MAX_PATTERN_LENGTH)).min(1),
  })
  .strict();

/** A rule-pack file: one category and its rules. */
export const InjectionRulePackSchema = z
  .object({
    category: z.string().regex(KEBAB),
    description: z.string().optional(),
    rules: z.array(InjectionRuleSchema).min(1),
  })
  .strict();

export type InjectionRuleSpec = z.infer<typeof InjectionRuleSchema>;
export type InjectionRulePack = z.infer<typeof InjectionRulePackSchema>;

/** A rule ready to run. */
export interface CompiledInjectionRule {
  id: string;
  category: string;
  lang: string;
  description: string;
  weight: number;
  documentWeight: number;
  systemWeight: number;
  patterns: RegExp[];
  /**
   * Per pattern: literals of which at least one must occur for the pattern to match (derived
   * from its leading alternation), or undefined when none could be derived. A cheap prefilter.
   */
  anchors: (string[] | undefined)[];
}

/** A rule that matched, with the matched text (bounded) as evidence. */
export interface RuleMatch {
  rule: CompiledInjectionRule;
  evidence: string;
}

/** Parse one rule-pack YAML document; throws ValidationError naming file, line and path. */
export function parseInjectionRulePack(text: string, file: string): InjectionRulePack {
  const source = parseYamlSource(text, file);
  return validateYaml(InjectionRulePackSchema, source);
}

/** Compile rule packs; rejects duplicate ids and patterns that are invalid or risk catastrophic backtracking. */
export function compileInjectionRules(
  packs: readonly { pack: InjectionRulePack; file: string }[],
): CompiledInjectionRule[] {
  const seen = new Map<string, string>();
  const compiled: CompiledInjectionRule[] = [];
  for (const { pack, file } of packs) {
    for (const [index, rule] of pack.rules.entries()) {
      const where = `rules.${index}`;
      const previous = seen.get(rule.id);
      if (previous) {
        throw new ValidationError({
          file,
          issues: [{ path: `${where}.id`, message: `duplicate rule id ${rule.id} (also in ${previous})` }],
        });
      }
      seen.set(rule.id, file);
      const patterns = rule.patterns.map((pattern, p) => compilePattern(pattern, file, `${where}.patterns.${p}`));
      compiled.push({
        id: rule.id,
        category: pack.category,
        lang: rule.lang,
        description: rule.description,
        weight: rule.weight,
        documentWeight: rule.documentWeight ?? rule.weight,
        systemWeight: rule.systemWeight ?? rule.weight,
        patterns,
        anchors: rule.patterns.map((pattern) => leadingLiterals(pattern)),
      });
    }
  }
  return compiled;
}

function compilePattern(pattern: string, file: string, path: string): RegExp {
  const problem = nestedQuantifierReason(pattern);
  if (problem) throw new ValidationError({ file, issues: [{ path, message: problem }] });
  try {
    new RegExp(pattern);
    return new RegExp(boundQuantifiers(pattern, MAX_REPEAT));
  } catch (cause) {
    throw new ValidationError({
      file,
      issues: [{ path, message: `invalid regular expression: ${String(cause)}` }],
      cause,
    });
  }
}

const META = new Set(["\\", "(", ")", "[", "]", ".", "?", "*", "+", "{", "}", "|", "^", "$"]);

/**
 * Literals one of which every match of the pattern starts with, or undefined when none can be
 * derived. Understands a literal prefix, a leading group of alternatives (optionally after a
 * literal prefix) and a leading optional group. Used as a prefilter, so it must be sound: when
 * in doubt it returns undefined and the pattern is run over the whole text.
 */
export function leadingLiterals(pattern: string, depth = 0): string[] | undefined {
  if (depth > 3) return undefined;
  let body = pattern;
  while (body.startsWith("\\b") || body.startsWith("^")) body = body.slice(body.startsWith("^") ? 1 : 2);
  const prefix = literalPrefix(body);
  const rest = body.slice(prefix.consumed);
  if (prefix.truncated || !rest.startsWith("(") || rest.startsWith("(?")) {
    return prefix.literal.length > 0 ? [prefix.literal] : undefined;
  }
  const group = splitGroup(rest);
  if (!group) return prefix.literal.length > 0 ? [prefix.literal] : undefined;
  const after = rest[group.end + 1];
  if (after === "*" || after === "{") return prefix.literal.length > 0 ? [prefix.literal] : undefined;
  const literals: string[] = [];
  for (const alternative of group.alternatives) {
    const inner = leadingLiterals(alternative, depth + 1);
    if (!inner) return prefix.literal.length > 0 ? [prefix.literal] : undefined;
    for (const literal of inner) literals.push(prefix.literal + literal);
  }
  if (after === "?") {
    // Optional group: a match may also start with whatever follows it.
    const skipped = leadingLiterals(`${escapeLiteral(prefix.literal)}${rest.slice(group.end + 2)}`, depth + 1);
    if (!skipped) return prefix.literal.length > 0 ? [prefix.literal] : undefined;
    literals.push(...skipped);
  }
  return [...new Set(literals)];
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\()[\]{}.?*+|^$]/g, "\\$&");
}

/** Split `(a|b(c)|d)...` into its top-level alternatives and the index of its closing parenthesis. */
function splitGroup(text: string): { alternatives: string[]; end: number } | undefined {
  let depth = 0;
  let from = 1;
  const alternatives: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "[") {
      while (i < text.length && text[i] !== "]") i += text[i] === "\\" ? 2 : 1;
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0) {
        alternatives.push(text.slice(from, i));
        return { alternatives, end: i };
      }
    } else if (ch === "|" && depth === 1) {
      alternatives.push(text.slice(from, i));
      from = i + 1;
    }
  }
  return undefined;
}

/** The literal characters a pattern starts with; `truncated` when a quantifier cut it short. */
function literalPrefix(text: string): { literal: string; consumed: number; truncated: boolean } {
  let literal = "";
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\") {
      const next = text[i + 1] ?? "";
      if (/[A-Za-z0-9]/.test(next) || next === "") return { literal, consumed: i, truncated: true };
      if (/[?*{+]/.test(text[i + 2] ?? "")) return { literal, consumed: i, truncated: true };
      literal += next;
      i++;
      continue;
    }
    if (ch === "(") return { literal, consumed: i, truncated: false };
    if (META.has(ch)) {
      if (ch === "?" || ch === "*" || ch === "{")
        return { literal: literal.slice(0, -1), consumed: i, truncated: true };
      return { literal, consumed: i, truncated: true };
    }
    const next = text[i + 1];
    if (next === "?" || next === "*" || next === "{") return { literal, consumed: i, truncated: true };
    literal += ch;
  }
  return { literal, consumed: i, truncated: false };
}

/** Precomputed search structures for one compiled rule list. */
interface RuleIndex {
  automaton: AhoCorasick;
  /** For each anchor id: the [rule, pattern] pairs it starts. */
  targets: [number, number][][];
  /** Patterns without anchors, run over the whole text. */
  unanchored: [number, number][];
  /** Sticky copies of every pattern, tried at anchor positions. */
  sticky: RegExp[][];
  /** Whether each pattern starts with `\b`, so a hit inside a word can be skipped without running it. */
  boundary: boolean[][];
}

const INDEXES = new WeakMap<readonly CompiledInjectionRule[], RuleIndex>();

function indexOf(rules: readonly CompiledInjectionRule[]): RuleIndex {
  const cached = INDEXES.get(rules);
  if (cached) return cached;
  const anchorIds = new Map<string, number>();
  const targets: [number, number][][] = [];
  const unanchored: [number, number][] = [];
  for (const [r, rule] of rules.entries()) {
    for (const [p, anchors] of rule.anchors.entries()) {
      if (!anchors) {
        unanchored.push([r, p]);
        continue;
      }
      for (const anchor of anchors) {
        let id = anchorIds.get(anchor);
        if (id === undefined) {
          id = anchorIds.size;
          anchorIds.set(anchor, id);
          targets.push([]);
        }
        targets[id]?.push([r, p]);
      }
    }
  }
  const index: RuleIndex = {
    automaton: buildAhoCorasick([...anchorIds.keys()]),
    targets,
    unanchored,
    sticky: rules.map((rule) => rule.patterns.map((pattern) => new RegExp(pattern.source, "y"))),
    boundary: rules.map((rule) => rule.patterns.map((pattern) => pattern.source.startsWith("\\b"))),
  };
  INDEXES.set(rules, index);
  return index;
}

const MAX_EVIDENCE = 120;

/**
 * Run every rule over normalised text; at most one match reported per rule. One Aho-Corasick
 * pass finds where any pattern can start; each pattern is then tried only at those positions.
 */
export function matchInjectionRules(
  rules: readonly CompiledInjectionRule[],
  text: string,
  mode: InjectionMode,
): RuleMatch[] {
  const index = indexOf(rules);
  const found = new Map<number, string>();
  const active = (r: number) => {
    const rule = rules[r];
    return rule !== undefined && !found.has(r) && weightIn(rule, mode) > 0;
  };
  const record = (r: number, m: RegExpExecArray) =>
    found.set(r, m[0].length > MAX_EVIDENCE ? `${m[0].slice(0, MAX_EVIDENCE)}…` : m[0]);

  searchAhoCorasick(index.automaton, text, (anchor, end) => {
    const pairs = index.targets[anchor] ?? [];
    const start = end - (index.automaton.lengths[anchor] ?? 0);
    const midWord = start > 0 && isAsciiWordChar(text.charCodeAt(start - 1)) && isAsciiWordChar(text.charCodeAt(start));
    for (const [r, p] of pairs) {
      if (!active(r)) continue;
      if (midWord && index.boundary[r]?.[p]) continue;
      const sticky = index.sticky[r]?.[p];
      if (!sticky) continue;
      sticky.lastIndex = start;
      const m = sticky.exec(text);
      if (m) record(r, m);
    }
  });
  for (const [r, p] of index.unanchored) {
    if (!active(r)) continue;
    const m = rules[r]?.patterns[p]?.exec(text);
    if (m) record(r, m);
  }
  const matches: RuleMatch[] = [];
  for (const [r, rule] of rules.entries()) {
    const evidence = found.get(r);
    if (evidence !== undefined) matches.push({ rule, evidence });
  }
  return matches;
}

/** A rule's weight in a detection mode. */
export function weightIn(rule: CompiledInjectionRule, mode: InjectionMode): number {
  return mode === "document" ? rule.documentWeight : mode === "system" ? rule.systemWeight : rule.weight;
}

function isAsciiWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95;
}

/** A compact Aho-Corasick automaton over UTF-16 code units. */
interface AhoCorasick {
  /** Goto transitions per state. */
  next: Map<number, number>[];
  fail: Int32Array;
  /** Anchor ids ending at each state (including through failure links). */
  output: number[][];
  lengths: number[];
  /** Memoised ASCII transitions, flat: [state * 128 + code] → next state + 1, 0 = not computed yet. */
  ascii: Int32Array;
  /** 1 for states where some anchor ends. */
  accepting: Uint8Array;
}

function buildAhoCorasick(words: readonly string[]): AhoCorasick {
  const next: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  for (const [id, word] of words.entries()) {
    let state = 0;
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      let to = next[state]?.get(code);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        outputs.push([]);
        next[state]?.set(code, to);
      }
      state = to;
    }
    outputs[state]?.push(id);
  }
  const fail = new Int32Array(next.length);
  const queue: number[] = [];
  for (const to of next[0]?.values() ?? []) queue.push(to);
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] ?? 0;
    for (const [code, to] of next[state] ?? []) {
      let f = fail[state] ?? 0;
      while (f !== 0 && !next[f]?.has(code)) f = fail[f] ?? 0;
      const target = next[f]?.get(code);
      fail[to] = target !== undefined && target !== to ? target : 0;
      outputs[to]?.push(...(outputs[fail[to] ?? 0] ?? []));
      queue.push(to);
    }
  }
  return {
    next,
    fail,
    output: outputs,
    lengths: words.map((w) => w.length),
    ascii: new Int32Array(next.length * 128),
    accepting: Uint8Array.from(outputs, (list) => (list.length > 0 ? 1 : 0)),
  };
}

/** The state after reading `code` in `state`, following failure links. */
function step(automaton: AhoCorasick, state: number, code: number): number {
  const { next, fail } = automaton;
  let s = state;
  let to = next[s]?.get(code);
  while (to === undefined && s !== 0) {
    s = fail[s] ?? 0;
    to = next[s]?.get(code);
  }
  return to ?? 0;
}

/** Calls `onMatch(anchorId, endExclusive)` for every occurrence of every word, overlaps included. */
function searchAhoCorasick(automaton: AhoCorasick, text: string, onMatch: (id: number, end: number) => void): void {
  const { output, ascii, accepting } = automaton;
  let state = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      const slot = (state << 7) | code;
      let to = (ascii[slot] as number) - 1;
      if (to < 0) {
        to = step(automaton, state, code);
        ascii[slot] = to + 1;
      }
      state = to;
    } else {
      state = step(automaton, state, code);
    }
    if (accepting[state] === 1) for (const id of output[state] as number[]) onMatch(id, i + 1);
  }
}

/** Wrap a file-read failure as a PalisadeError naming the file. */
export function ruleFileError(file: string, cause: unknown): PalisadeError {
  return new PalisadeError("bad-config", `${file}: cannot read injection rule file`, { input: file, cause });
}
