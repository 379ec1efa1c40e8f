/**
 * Domain types shared by every module. Zod schemas are the source of truth so that values read
 * back from the store or from JSON files are parsed once at the edge and trusted afterwards.
 */
import { z } from "zod";

/** Severity scale used by every finding, ordered from most to least severe. */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Higher is more severe; lets callers compare severities and apply thresholds. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** True when `severity` is at least as severe as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** Kinds of things the AI-BOM inventories. */
export const COMPONENT_KINDS = [
  "library",
  "os-package",
  "ai-sdk",
  "model",
  "mcp-server",
  "inference-server",
  "service",
] as const;
export const ComponentKindSchema = z.enum(COMPONENT_KINDS);
export type ComponentKind = z.infer<typeof ComponentKindSchema>;

/** Where something was seen: a file and optional line/column, or a layer of an image. */
export const LocationSchema = z.object({
  path: z.string(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  endLine: z.number().int().positive().optional(),
  layer: z.string().optional(),
});
export type Location = z.infer<typeof LocationSchema>;

/** A thing in the inventory: a package, an SDK, a model, an MCP server, an inference server. */
export const ComponentSchema = z.object({
  kind: ComponentKindSchema,
  name: z.string().min(1),
  version: z.string().optional(),
  /** Package URL (https://github.com/package-url/purl-spec), when the ecosystem has one. */
  purl: z.string().optional(),
  ecosystem: z.string().optional(),
  /** Content digest as `algorithm:hex`, e.g. `sha256:...` for models and images. */
  digest: z.string().optional(),
  locations: z.array(LocationSchema).default([]),
  properties: z.record(z.string(), z.string()).default({}),
});
export type Component = z.infer<typeof ComponentSchema>;

/** OWASP Top 10 for LLM Applications 2025 identifiers. */
export const OWASP_LLM_2025 = [
  "LLM01:2025",
  "LLM02:2025",
  "LLM03:2025",
  "LLM04:2025",
  "LLM05:2025",
  "LLM06:2025",
  "LLM07:2025",
  "LLM08:2025",
  "LLM09:2025",
  "LLM10:2025",
] as const;
export const OwaspLlmSchema = z.enum(OWASP_LLM_2025);

/** MITRE ATLAS technique ids look like AML.T0051 or AML.T0051.000. */
export const AtlasTechniqueSchema = z
  .string()
  .regex(/^AML\.T\d{4}(\.\d{3})?$/, "expected a MITRE ATLAS id like AML.T0051");

/** One problem found by a scanner, a detector or a gate. */
export const FindingSchema = z.object({
  ruleId: z.string().min(1),
  severity: SeveritySchema,
  title: z.string().min(1),
  detail: z.string().default(""),
  location: LocationSchema.optional(),
  references: z.array(z.string()).default([]),
  owasp: z.array(OwaspLlmSchema).default([]),
  atlas: z.array(AtlasTechniqueSchema).default([]),
  /** Stable identity of the finding across scans (rule + target + location), for dedup. */
  fingerprint: z.string().optional(),
  component: z.string().optional(),
  /** One line on how to fix it, shown in every output format. */
  remediation: z.string().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** Outcome of a gate or a runtime decision. */
export const DECISIONS = ["allow", "warn", "deny"] as const;
export const DecisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof DecisionSchema>;

/** Why a verdict came out as it did: one entry per rule that fired. */
export const ReasonSchema = z.object({
  ruleId: z.string(),
  decision: DecisionSchema,
  message: z.string(),
  /** Where the rule is defined, e.g. `policy.yaml:12`. */
  source: z.string().optional(),
  /** The exception that waived this reason, if any. */
  waivedBy: z.string().optional(),
  /** Where the finding (or model, SDK, server) behind it is named, when there is one place. */
  location: LocationSchema.optional(),
  /** The rule of the scanner finding behind it (`supplyChain.findings` reasons). */
  findingRuleId: z.string().optional(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const VerdictSchema = z.object({
  decision: DecisionSchema,
  reasons: z.array(ReasonSchema).default([]),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const IDENTITY_KINDS = ["api-key", "oidc", "service-account", "anonymous"] as const;
export const IdentityKindSchema = z.enum(IDENTITY_KINDS);

/** Who made a request: resolved by the gateways from an API key or a token. */
export const IdentitySchema = z.object({
  id: z.string().min(1),
  kind: IdentityKindSchema,
  name: z.string(),
  roles: z.array(z.string()).default([]),
  attributes: z.record(z.string(), z.string()).default({}),
});
export type Identity = z.infer<typeof IdentitySchema>;

/** Ids that tie events together across components (OpenTelemetry-compatible where they can be). */
export const CorrelationSchema = z.object({
  requestId: z.string().optional(),
  traceId: z.string().optional(),
  sessionId: z.string().optional(),
  workload: z.string().optional(),
});
export type Correlation = z.infer<typeof CorrelationSchema>;

/** Something that happened at runtime: a gateway transaction, a tool call, a sensor alert. */
export const EventSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  /** Milliseconds since the Unix epoch. */
  time: z.number().int().nonnegative(),
  identity: z.string().optional(),
  correlation: CorrelationSchema.default({}),
  payload: z.record(z.string(), z.unknown()).default({}),
});
export type Event = z.infer<typeof EventSchema>;
