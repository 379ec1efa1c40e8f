/**
 * Loading secret rules: read `rules/secrets/*.yaml` (shipped) plus optional user folders,
 * validate each file strictly, check every pattern for backtracking hazards and compile once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  PalisadeError,
  parseYamlSource,
  ValidationError,
  type ValidationIssue,
  validateYaml,
} from "../../core/index.js";
import { analyzeRegex, probeRegexTime } from "./regex-safety.js";
import { MAX_SECRET_SPAN, type SecretRule, SecretRuleFileSchema } from "./rule-schema.js";

/** Longest text a single pattern may match, prefix included (the span itself is at most MAX_SECRET_SPAN). */
export const MAX_MATCH_LENGTH = MAX_SECRET_SPAN + 256;
/** A user pattern that takes longer than this on hostile input at load is refused. */
export const PROBE_BUDGET_MS = 50;
const MAX_RULE_FILES = 200;

/** A rule ready to run: the validated rule plus its compiled pattern and gates. */
export interface CompiledSecretRule {
  readonly rule: SecretRule;
  /** The file the rule came from. */
  readonly file: string;
  /** Compiled with flags `dgu` (and `i` when the rule asks); the secret is `valueGroup`. */
  readonly regex: RegExp;
  readonly valueGroup: "secret" | 1 | 0;
  /** Longest text the pattern can match (finite: every quantifier is bounded). */
  readonly maxMatchLength: number;
  readonly stopwords: readonly string[];
  readonly allowPatterns: readonly RegExp[];
}

/** A compiled, id-unique set of secret rules. */
export interface SecretRuleSet {
  readonly rules: readonly CompiledSecretRule[];
}

/** One rule file's text and where it came from. */
export interface SecretRuleSource {
  file: string;
  text: string;
  /** Probe each pattern against hostile inputs at load (on for user files; shipped rules are probed by tests). */
  probe?: boolean;
}

/** Where the shipped `rules/secrets` folder is, from source (`src/`) or build output (`dist/src/`). */
export function shippedSecretRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(dir, "rules", "secrets");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new PalisadeError("internal", "cannot find the shipped rules/secrets folder");
}

function compilePattern(
  source: string,
  flags: string,
  // A thunk: locating a path in the source costs a document parse, wanted only on failure.
  where: () => { file: string; path: string; line?: number | undefined; column?: number | undefined },
): { regex: RegExp; maxLength: number } {
  const fail = (message: string, cause?: unknown): never => {
    const { file, path, line, column } = where();
    const issue: ValidationIssue = { path, line, column, message };
    throw new ValidationError({ file, issues: [issue], cause });
  };
  let regex: RegExp | undefined;
  try {
    regex = new RegExp(source, flags);
  } catch (cause) {
    fail(`invalid pattern: ${cause instanceof Error ? cause.message : "syntax error"}`, cause);
  }
  const analysis = analyzeRegex(source);
  if (!analysis.ok) return fail(`unsafe pattern: ${analysis.reason}`);
  if (analysis.maxLength > MAX_MATCH_LENGTH) {
    return fail(`pattern can match more than ${MAX_MATCH_LENGTH} characters; bound every quantifier`);
  }
  return { regex: regex as RegExp, maxLength: analysis.maxLength };
}

/** Validate and compile rule files. Throws ValidationError naming file:line:path for the first bad file. */
export function compileSecretRules(sources: readonly SecretRuleSource[]): SecretRuleSet {
  const rules: CompiledSecretRule[] = [];
  const seen = new Map<string, string>();
  for (const { file, text, probe = false } of sources) {
    const yaml = parseYamlSource(text, file);
    const parsed = validateYaml(SecretRuleFileSchema, yaml);
    for (const [index, rule] of parsed.rules.entries()) {
      const at = (...keys: (string | number)[]) => {
        const path = ["rules", index, ...keys];
        const at = yaml.locate(path);
        return { file, path: path.join("."), line: at?.line, column: at?.column };
      };
      const previous = seen.get(rule.id);
      if (previous !== undefined) {
        throw new ValidationError({
          file,
          issues: [{ ...at("id"), message: `duplicate rule id (also in ${previous})` }],
        });
      }
      seen.set(rule.id, file);
      const flags = rule.ignoreCase ? "dgiu" : "dgu";
      const { regex, maxLength } = compilePattern(rule.regex, flags, () => at("regex"));
      if (probe) {
        const elapsed = probeRegexTime(regex, Math.min(2 * maxLength + 160, 20_000));
        if (elapsed > PROBE_BUDGET_MS) {
          throw new ValidationError({
            file,
            issues: [{ ...at("regex"), message: `pattern is too slow on hostile input (${elapsed.toFixed(0)} ms)` }],
          });
        }
      }
      const allowPatterns = (rule.allowlist?.patterns ?? []).map(
        (pattern, i) => compilePattern(pattern, "u", () => at("allowlist", "patterns", i)).regex,
      );
      const groups = new RegExp(`${rule.regex}|`, "u").exec("")?.length ?? 1;
      rules.push({
        rule,
        file,
        regex,
        valueGroup: rule.regex.includes("(?<secret>") ? "secret" : groups > 1 ? 1 : 0,
        maxMatchLength: maxLength,
        stopwords: (rule.allowlist?.stopwords ?? []).map((word) => word.toLowerCase()),
        allowPatterns,
      });
    }
  }
  return { rules };
}

function ruleFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new PalisadeError("bad-config", `secret rules folder not found: ${dir}`, { input: dir });
  }
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => join(dir, name));
  if (files.length > MAX_RULE_FILES) {
    throw new PalisadeError("bad-config", `more than ${MAX_RULE_FILES} rule files in ${dir}`, { input: dir });
  }
  return files;
}

/** Options for `loadSecretRules`. */
export interface LoadSecretRulesOptions {
  /** Extra folders of user rule files (`*.yaml`), probed against hostile input at load. */
  dirs?: readonly string[];
  /** Include the shipped rules (default true). */
  shipped?: boolean;
}

/** Read, validate and compile the shipped rules plus any user folders. */
export function loadSecretRules(options: LoadSecretRulesOptions = {}): SecretRuleSet {
  const sources: SecretRuleSource[] = [];
  if (options.shipped ?? true) {
    for (const file of ruleFilesIn(shippedSecretRulesDir())) sources.push({ file, text: readFileSync(file, "utf8") });
  }
  for (const dir of options.dirs ?? []) {
    for (const file of ruleFilesIn(resolve(dir))) sources.push({ file, text: readFileSync(file, "utf8"), probe: true });
  }
  return compileSecretRules(sources);
}
