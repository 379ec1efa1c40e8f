/**
 * The injection rule pack: data (`rules/injection/*.yaml`), validated with a strict schema and
 * compiled once. Patterns are untrusted input when users add them, so each is bounded in
 * length and rejected when it has the nested quantifiers that make backtracking explode.
 */
import { z } from "zod";
import { PalisadeError, parseYamlSource, ValidationError, validateYaml } from "../../core/index.js";
import type { InjectionMode } from "./types.js";

const MAX_PATTERN_LENGTH = 1_000;
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
        patterns,
        anchors: rule.patterns.map(leadingLiterals),
      });
    }
  }
  return compiled;
}

function compilePattern(pattern: string, file: string, path: string): RegExp {
  const problem = unsafePatternReason(pattern);
  if (problem) throw new ValidationError({ file, issues: [{ path, message: problem }] });
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw new ValidationError({
      file,
      issues: [{ path, message: `invalid regular expression: ${String(cause)}` }],
      cause,
    });
  }
}

/**
 * Why a pattern is refused, or undefined. Refuses back-references and a quantified group that
 * itself contains an unbounded quantifier (`(a+)+`, `(\w*)*`), the classic exponential shapes.
 */
export function unsafePatternReason(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return "back-references are not allowed";
  const stack: boolean[] = [];
  let innerUnbounded = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "[") {
      while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
      continue;
    }
    if (ch === "(") stack.push(innerUnbounded);
    if (ch === "(") innerUnbounded = false;
    if (ch === "*" || ch === "+" || (ch === "{" && /^\{\d+,\}/.test(pattern.slice(i)))) innerUnbounded = true;
    if (ch === ")") {
      const next = pattern[i + 1];
      const quantified = next === "*" || next === "+" || (next === "{" && /^\{\d*,\}/.test(pattern.slice(i + 1)));
      if (quantified && innerUnbounded) return "nested unbounded quantifier (catastrophic backtracking risk)";
      innerUnbounded = (stack.pop() ?? false) || innerUnbounded;
    }
  }
  return undefined;
}

const META = new Set(["\\", "(", ")", "[", "]", ".", "?", "*", "+", "{", "}", "|", "^", "$"]);

/**
 * Literals that every match of the pattern must start with: the literal prefixes of the
 * alternatives of a leading group, or the pattern's own literal prefix. Undefined when a
 * prefix cannot be derived or would be shorter than two characters.
 */
export function leadingLiterals(pattern: string): string[] | undefined {
  let body = pattern;
  while (body.startsWith("\\b") || body.startsWith("^")) body = body.slice(body.startsWith("^") ? 1 : 2);
  if (body.startsWith("(")) {
    let depth = 0;
    let end = -1;
    const starts: number[] = [1];
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch === "\\") {
        i++;
        continue;
      }
      if (ch === "[") {
        while (i < body.length && body[i] !== "]") i += body[i] === "\\" ? 2 : 1;
        continue;
      }
      if (ch === "(") depth++;
      if (ch === ")") {
        depth--;
        if (depth === 0) {
          end = i;
          break;
        }
      }
      if (ch === "|" && depth === 1) starts.push(i + 1);
    }
    if (end === -1 || body.startsWith("(?")) return undefined;
    const after = body[end + 1];
    if (after === "?" || after === "*" || after === "{") return undefined;
    const literals: string[] = [];
    for (const [k, start] of starts.entries()) {
      const stop = k + 1 < starts.length ? (starts[k + 1] ?? end) - 1 : end;
      const literal = literalPrefix(body.slice(start, stop));
      if (literal.length < 2) return undefined;
      literals.push(literal);
    }
    return literals;
  }
  const literal = literalPrefix(body);
  return literal.length >= 2 ? [literal] : undefined;
}

function literalPrefix(text: string): string {
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "\\") {
      const next = text[i + 1] ?? "";
      if (/[A-Za-z0-9]/.test(next) || next === "") break;
      literal += next;
      i++;
      continue;
    }
    if (META.has(ch)) {
      if (ch === "?" || ch === "*" || ch === "{") literal = literal.slice(0, -1);
      break;
    }
    literal += ch;
  }
  return literal;
}

const MAX_EVIDENCE = 120;

/** Run every rule over normalised text; at most one match reported per rule. */
export function matchInjectionRules(
  rules: readonly CompiledInjectionRule[],
  text: string,
  mode: InjectionMode,
): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    if ((mode === "document" ? rule.documentWeight : rule.weight) <= 0) continue;
    for (const [index, pattern] of rule.patterns.entries()) {
      const anchors = rule.anchors[index];
      if (anchors && !anchors.some((a) => text.includes(a))) continue;
      const m = pattern.exec(text);
      if (m) {
        matches.push({ rule, evidence: m[0].length > MAX_EVIDENCE ? `${m[0].slice(0, MAX_EVIDENCE)}…` : m[0] });
        break;
      }
    }
  }
  return matches;
}

/** Wrap a file-read failure as a PalisadeError naming the file. */
export function ruleFileError(file: string, cause: unknown): PalisadeError {
  return new PalisadeError("bad-config", `${file}: cannot read injection rule file`, { input: file, cause });
}
