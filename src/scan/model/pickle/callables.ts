/**
 * The callable rules as data: `rules/model-scan/callables.yaml` (shipped) says what each
 * dangerous callable can do (its capability), which capabilities are malicious, which argument
 * payloads escalate an unlisted call, and which callables real checkpoints use safely. Loaded
 * and validated once, on first use.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PalisadeError, parseYamlSource, validateYaml } from "../../../core/index.js";

/** What a callable can do when a pickle calls it. */
export const CAPABILITIES = [
  "run-code",
  "spawn-process",
  "write-files",
  "read-files",
  "network",
  "load-nested",
  "import-by-name",
  "reach-internals",
  "disrupt-process",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const CapabilitySchema = z.enum(CAPABILITIES);

export const CallableRulesSchema = z.strictObject({
  version: z.literal(1),
  capabilities: z.record(
    CapabilitySchema,
    z.strictObject({ tier: z.enum(["malicious", "suspicious"]), says: z.string().min(1).max(200) }),
  ),
  callables: z
    .array(
      z.strictObject({
        match: z.string().regex(/^[A-Za-z_][\w.]*$/),
        capability: CapabilitySchema,
        note: z.string().max(300).optional(),
        source: z.string().max(300).optional(),
      }),
    )
    .max(10_000),
  builtins: z.partialRecord(CapabilitySchema, z.array(z.string().regex(/^\w+$/)).max(200)),
  payloads: z
    .array(
      z.strictObject({
        kind: z.enum(["code", "shell", "url"]),
        says: z.string().min(1).max(200),
        pattern: z.string().min(1).max(2000),
      }),
    )
    .max(100),
  safe: z.array(z.string().regex(/^[A-Za-z_][\w.]*$/)).max(100_000),
});
export type CallableRulesFile = z.infer<typeof CallableRulesSchema>;

/** A dangerous callable entry as the classifier uses it. */
export interface CallableRule {
  match: string;
  capability: Capability;
  note?: string;
}

/** The rules, compiled for lookups. */
export interface CallableRules {
  capabilities: Record<Capability, { tier: "malicious" | "suspicious"; says: string }>;
  /** Entries keyed by their `match`, for longest-prefix lookup. */
  byMatch: Map<string, CallableRule>;
  builtins: Map<string, Capability>;
  payloads: { kind: "code" | "shell" | "url"; says: string; regex: RegExp }[];
  safe: Set<string>;
}

/** Where the shipped `rules/model-scan` folder is, from source (`src/`) or build output (`dist/`). */
export function shippedCallableRulesFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(dir, "rules", "model-scan", "callables.yaml");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new PalisadeError("internal", "cannot find the shipped rules/model-scan/callables.yaml");
}

/** Validate and compile a callables file (shipped or a user's). */
export function parseCallableRules(text: string, file: string): CallableRules {
  const data = validateYaml(CallableRulesSchema, parseYamlSource(text, file));
  const missing = CAPABILITIES.filter((c) => !data.capabilities[c]);
  if (missing.length > 0) {
    throw new PalisadeError("bad-input", `${file}: capabilities ${missing.join(", ")} have no tier`, { input: file });
  }
  const byMatch = new Map<string, CallableRule>();
  for (const entry of data.callables) {
    const rule: CallableRule = { match: entry.match, capability: entry.capability };
    if (entry.note) rule.note = entry.note;
    byMatch.set(entry.match, rule);
  }
  const builtins = new Map<string, Capability>();
  for (const [capability, names] of Object.entries(data.builtins)) {
    for (const name of names ?? []) builtins.set(name, capability as Capability);
  }
  const payloads = data.payloads.map((p) => {
    try {
      return { kind: p.kind, says: p.says, regex: new RegExp(p.pattern, "i") };
    } catch (cause) {
      throw new PalisadeError("bad-input", `${file}: payload pattern for ${p.kind} does not compile`, {
        input: file,
        cause,
      });
    }
  });
  return {
    capabilities: data.capabilities as CallableRules["capabilities"],
    byMatch,
    builtins,
    payloads,
    safe: new Set(data.safe),
  };
}

let shipped: CallableRules | undefined;

/** The shipped rules, loaded on first use. */
export function callableRules(): CallableRules {
  if (!shipped) {
    const file = shippedCallableRulesFile();
    shipped = parseCallableRules(readFileSync(file, "utf8"), file);
  }
  return shipped;
}
