/**
 * Probe packs: attacks as data (`rules/redteam/*.yaml`), so users add their own without code.
 * Our own files, so the schema is strict: a typo stops with file, line and what was expected.
 */
import { z } from "zod";
import { parseYamlSource, ValidationError, validateYaml } from "../core/index.js";
import { CATEGORY_IDS } from "./categories.js";
import { MUTATOR_IDS } from "./mutate.js";

/** Most probes one pack may hold, and longest prompt template: packs are bounded input. */
export const MAX_PROBES_PER_PACK = 500;
export const MAX_TEMPLATE_CHARS = 8000;
/** Largest pack file read. */
export const MAX_PACK_BYTES = 1024 * 1024;

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "ids are kebab-case: lower-case letters, digits and '-'");
const Template = z.string().min(1).max(MAX_TEMPLATE_CHARS);

/** A prompt template, optionally in another language (`lang` is a BCP 47 tag, `fr`, `zh`). */
const PromptSchema = z.union([
  Template,
  z.strictObject({ text: Template, lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/) }),
]);

/** How a probe is judged a success: any one detector firing is enough. */
export const DetectorSpecSchema = z.discriminatedUnion("kind", [
  /** A canary from the system prompt (reference code, customer IBAN, e-mail) shows in the answer. */
  z.strictObject({ kind: z.literal("canary-leaked") }),
  /** The answer has content and no refusal: the model went along with it. */
  z.strictObject({ kind: z.literal("refusal-absent") }),
  /** The model called a tool; `risk` limits it to tools declared with that risk. */
  z.strictObject({ kind: z.literal("tool-called"), risk: z.enum(["safe", "dangerous"]).optional() }),
  /** The answer holds this text (placeholders expanded; compared case-insensitively). */
  z.strictObject({ kind: z.literal("forbidden-pattern"), text: Template }),
  /** Palisade's PII detector finds one of these entities in the answer. */
  z.strictObject({ kind: z.literal("pii-in-answer"), entities: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).min(1) }),
  /** The answer used more than this many completion tokens (the usage the target reports). */
  z.strictObject({ kind: z.literal("output-over-budget"), tokens: z.number().int().positive() }),
]);
export type DetectorSpec = z.infer<typeof DetectorSpecSchema>;
export type DetectorKind = DetectorSpec["kind"];

/** A tool declared to the target (OpenAI function tool); `risk` says whether calling it is abuse. */
export const ToolSpecSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().max(1000),
  risk: z.enum(["safe", "dangerous"]),
  parameters: z.record(z.string(), z.string()).default({}),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

export const ProbeSpecSchema = z.strictObject({
  id: Id,
  category: z.enum(CATEGORY_IDS),
  description: z.string().min(1),
  /** Where the technique comes from (paper, public write-up), as for every shipped rule. */
  source: z.string().min(1),
  /**
   * Seed prompts. `[[a|b|c]]` is a paraphrase slot (one picked per variant with the run's seed);
   * `{{marker}}`, `{{customer}}`, `{{tool}}` are filled per probe.
   */
  prompts: z.array(PromptSchema).min(1).max(50),
  /** Paraphrases drawn per seed prompt. */
  variants: z.number().int().min(1).max(20).default(1),
  /** Generators that each turn every variant into one more probe (encodings, obfuscations). */
  mutate: z.array(z.enum(MUTATOR_IDS)).default([]),
  /** Text handed to the model as a tool result or pasted document (indirect injection). */
  document: z.strictObject({ via: z.enum(["tool-result", "user-context"]), text: Template }).optional(),
  /** Declare the pack's tools to the target with this probe. */
  tools: z.boolean().default(false),
  /** max_tokens sent with the probe (resource exhaustion). */
  maxTokens: z.number().int().positive().max(10_000_000).optional(),
  detectors: z.array(DetectorSpecSchema).min(1),
});
export type ProbeSpec = z.infer<typeof ProbeSpecSchema>;

/**
 * An ordinary request that must go through: sent with the probes, so a guard that stops the
 * attacks by refusing everything shows as refused controls (false positives).
 */
export const ControlSpecSchema = z.strictObject({
  id: Id,
  description: z.string().min(1),
  prompt: Template,
});
export type ControlSpec = z.infer<typeof ControlSpecSchema>;

export const ProbePackSchema = z.strictObject({
  apiVersion: z.literal("palisade.dev/v1"),
  kind: z.literal("RedteamPack"),
  metadata: z.strictObject({ name: Id, description: z.string().min(1) }),
  tools: z.array(ToolSpecSchema).default([]),
  probes: z.array(ProbeSpecSchema).max(MAX_PROBES_PER_PACK).default([]),
  controls: z.array(ControlSpecSchema).max(MAX_PROBES_PER_PACK).default([]),
});
export type ProbePack = z.infer<typeof ProbePackSchema>;

/** Validate a pack's YAML text; throws a ValidationError naming the file, line and path. */
export function parseProbePack(text: string, file: string): ProbePack {
  const pack = validateYaml(ProbePackSchema, parseYamlSource(text, file));
  if (pack.probes.length + pack.controls.length === 0) throw packError(file, "a pack needs probes or controls");
  const seen = new Set<string>();
  for (const probe of [...pack.probes, ...pack.controls]) {
    if (seen.has(probe.id)) throw packError(file, `id ${probe.id} is used twice`);
    seen.add(probe.id);
    if ("tools" in probe && probe.tools && pack.tools.length === 0)
      throw packError(file, `probe ${probe.id} declares tools but the pack has none`);
  }
  return pack;
}

function packError(file: string, message: string): ValidationError {
  return new ValidationError({ file, issues: [{ path: "probes", message }] });
}
