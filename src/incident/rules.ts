/**
 * Correlation rules are data (`rules/incidents/*.yaml`): a rule is one or more steps, each a
 * match on events, each later step joined to an earlier one by a shared subject (same request,
 * same MCP server, same workload...) within the rule's window. A one-step rule with a
 * `threshold` opens an incident only after N matches sharing a subject. The vocabulary of
 * matches and joins is fixed here; what is matched and joined is the rule file's business.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PalisadeError, parseYamlSource, SeveritySchema, validateYaml } from "../core/index.js";
import { DURATION_SYNTAX, parseDuration } from "../policy/index.js";
import { SUBJECT_TYPES } from "./subjects.js";

/** `60s`, `10m`, `1h` (the policy's duration syntax), or plain milliseconds → milliseconds. */
export const DurationSchema = z.union(
  [
    z.number().int().positive(),
    z
      .string()
      .regex(DURATION_SYNTAX)
      .transform((text) => parseDuration(text)),
  ],
  { error: "a duration like 500ms, 60s, 10m or 1h (or milliseconds)" },
);

const SubjectTypeSchema = z.enum(SUBJECT_TYPES);

/** What an event must be for a step to take it; every given field must hold (absent: any). */
export const MatchSchema = z.strictObject({
  kinds: z.array(z.string().min(1)).min(1),
  /** Gateway or MCP guards that fired: any of these guards, with an outcome other than `pass`. */
  guards: z.array(z.string().min(1)).optional(),
  /** Restricts `guards` to these outcomes (`blocked`, `redacted`, `flagged`...). */
  outcomes: z.array(z.string().min(1)).optional(),
  /** Restricts `guards` to prompts or answers. */
  direction: z.enum(["prompt", "response"]).optional(),
  /** The audit decision of an MCP call (`allow`, `deny`, `error`). */
  decisions: z.array(z.string().min(1)).optional(),
  /** The executed program's base name is in one of these lists (or equals one of these names). */
  process: z.array(z.string().min(1)).optional(),
  /** Sensor rule names (Falco rule, Tetragon policy); `*` matches any run of characters. */
  sensorRules: z.array(z.string().min(1)).optional(),
  minSeverity: SeveritySchema.optional(),
  /** The event's image (by digest) has a vulnerable component at or above this severity. */
  imageVulnerability: z.strictObject({ minSeverity: SeveritySchema }).optional(),
});
export type Match = z.infer<typeof MatchSchema>;

const StepSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
  match: MatchSchema,
  /** Join to an earlier step: this event shares a subject of one of these types with it. */
  join: z.strictObject({ step: z.string(), on: z.array(SubjectTypeSchema).min(1) }).optional(),
});

export const RuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
    title: z.string().min(1),
    severity: SeveritySchema,
    description: z.string().default(""),
    /** All steps fall within this span of time (default 60 s). */
    window: DurationSchema.default(60_000),
    steps: z.array(StepSchema).min(1).max(8),
    /** One-step rules: open only after `count` matches sharing a subject of type `by`. */
    threshold: z.strictObject({ count: z.number().int().min(2).max(10_000), by: SubjectTypeSchema }).optional(),
    /**
     * What makes two matches the same incident: the first step's subjects of these types (an
     * identity, a workload). Absent: the first step's event, so each chain is its own incident.
     */
    groupBy: z.array(SubjectTypeSchema).optional(),
  })
  .superRefine((rule, ctx) => {
    const seen = new Set<string>();
    for (const [i, step] of rule.steps.entries()) {
      if (step.join && !seen.has(step.join.step))
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "join", "step"],
          message: `joins "${step.join.step}", which is not an earlier step of this rule`,
        });
      if (i > 0 && !step.join)
        ctx.addIssue({ code: "custom", path: ["steps", i], message: "every step after the first needs a join" });
      if (seen.has(step.name))
        ctx.addIssue({ code: "custom", path: ["steps", i, "name"], message: `step "${step.name}" twice` });
      seen.add(step.name);
    }
    if (rule.threshold && rule.steps.length > 1)
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "a threshold needs a one-step rule" });
  });
export type Rule = z.infer<typeof RuleSchema>;

export const RuleFileSchema = z.strictObject({
  /** Named lists of program names that `process` matches refer to. */
  lists: z.record(z.string(), z.array(z.string().min(1))).default({}),
  rules: z.array(RuleSchema).default([]),
});

/** Every rule file's rules and lists, merged; a rule id defined twice is an error. */
export interface RuleSet {
  rules: Rule[];
  lists: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Reads one rule file (YAML), errors with the file and line. */
export function parseRuleFile(text: string, file: string): z.infer<typeof RuleFileSchema> {
  return validateYaml(RuleFileSchema, parseYamlSource(text, file));
}

/** Merges rule files; `process` names that are not lists are taken as program names. */
export function toRuleSet(files: readonly { file: string; value: z.infer<typeof RuleFileSchema> }[]): RuleSet {
  const rules: Rule[] = [];
  const lists = new Map<string, Set<string>>();
  const ids = new Map<string, string>();
  for (const { file, value } of files) {
    for (const [name, items] of Object.entries(value.lists)) {
      const list = lists.get(name) ?? new Set();
      for (const item of items) list.add(item);
      lists.set(name, list);
    }
    for (const rule of value.rules) {
      const earlier = ids.get(rule.id);
      if (earlier)
        throw new PalisadeError("bad-input", `${file}: rule ${rule.id} is already defined in ${earlier}`, {
          input: file,
        });
      ids.set(rule.id, file);
      rules.push(rule);
    }
  }
  return { rules, lists };
}

/** The shipped rules (`rules/incidents`), plus any folder or file of the user's. */
export function loadRuleSet(paths: readonly string[]): RuleSet {
  const files: { file: string; value: z.infer<typeof RuleFileSchema> }[] = [];
  for (const path of paths) {
    let names: string[];
    try {
      names = readdirSync(path)
        .filter((n) => /\.ya?ml$/.test(n))
        .sort()
        .map((n) => join(path, n));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") {
        if ((error as NodeJS.ErrnoException).code === "ENOENT")
          throw new PalisadeError("bad-input", `${path}: no such rule file or folder`, { input: path });
        throw error;
      }
      names = [path];
    }
    for (const file of names) files.push({ file, value: parseRuleFile(readFileSync(file, "utf8"), file) });
  }
  return toRuleSet(files);
}

/** The rules that ship with Palisade (`rules/incidents/`). */
export const SHIPPED_RULES = new URL("../../rules/incidents/", import.meta.url).pathname;
