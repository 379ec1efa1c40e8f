/**
 * The policy document (apiVersion palisade.dev/v1, kind Policy): one file, or several merged,
 * governs every gate and every runtime decision. Strict: a typo is an error with file and line.
 */
import { z } from "zod";
import { SeveritySchema } from "../core/index.js";
import { AlertsPolicySchema } from "./alerts.js";
import { classifierBandIssues, InjectionClassifierSchema } from "./injection-classifier.js";

export const ACTIONS = ["deny", "warn"] as const;
/** What a violated rule does: deny fails the gate / blocks the request; warn only reports. */
export const ActionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof ActionSchema>;

const Glob = z.string().min(1).max(512);
const GlobList = z.array(Glob);

const ApprovedModelSchema = z.strictObject({
  /** Model id glob, e.g. `meta-llama/Llama-3.*` or `llama3:*`. */
  id: Glob,
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex characters")
    .optional(),
  /** Hugging Face commit the model is pinned to (40 hex characters). */
  revision: z
    .string()
    .regex(/^[0-9a-f]{40}$/, "expected a 40-character commit hash")
    .optional(),
  licenses: z.array(z.string()).optional(),
  publisher: z.string().optional(),
});

const ApprovedMcpServerSchema = z.union([
  z.strictObject({ package: z.string().min(1), versions: z.string().default("*") }),
  z.strictObject({
    image: Glob,
    digest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .optional(),
  }),
]);

const SupplyChainSchema = z.strictObject({
  registries: z.strictObject({ allowed: GlobList, action: ActionSchema.default("deny") }).optional(),
  baseImages: z
    .strictObject({
      allowed: z.array(z.strictObject({ family: z.string().min(1), versions: z.string().default("*") })),
      action: ActionSchema.default("deny"),
    })
    .optional(),
  bannedPackages: z
    .array(z.strictObject({ purl: Glob, reason: z.string().default(""), action: ActionSchema.default("deny") }))
    .default([]),
  vulnerabilities: z
    .strictObject({
      /** Fail on vulnerabilities at or above this severity. */
      severity: SeveritySchema.default("high"),
      /** Only count vulnerabilities that have a fix available. */
      fixAvailableOnly: z.boolean().default(false),
      /** Only count vulnerabilities published at least this many days ago (a grace period). */
      minAgeDays: z.number().int().min(0).default(0),
      action: ActionSchema.default("deny"),
    })
    .optional(),
  models: z.strictObject({ approved: z.array(ApprovedModelSchema), action: ActionSchema.default("deny") }).optional(),
  aiSdks: z.strictObject({ approved: GlobList, action: ActionSchema.default("warn") }).optional(),
  providers: z.strictObject({ approved: GlobList, action: ActionSchema.default("warn") }).optional(),
  mcpServers: z
    .strictObject({ approved: z.array(ApprovedMcpServerSchema), action: ActionSchema.default("deny") })
    .optional(),
  inferenceImages: z.strictObject({ approved: GlobList, action: ActionSchema.default("deny") }).optional(),
  images: z
    .strictObject({
      nonRoot: z.boolean().default(true),
      noSecrets: z.boolean().default(true),
      maxSizeMb: z.number().positive().optional(),
      noShell: z.boolean().default(false),
      noPackageManager: z.boolean().default(false),
      action: ActionSchema.default("deny"),
    })
    .optional(),
  /** Findings from scanners (model scanner, secrets) at or above this severity fail the gate. */
  findings: z
    .strictObject({ severity: SeveritySchema.default("high"), action: ActionSchema.default("deny") })
    .optional(),
  /**
   * Image verdicts at the registry gate (and wherever an image is judged by digest): a stored
   * scan younger than `maxAgeHours` is used; otherwise the image is scanned, for at most
   * `scanBudgetSeconds`. An image without a verdict by then is `unscanned`: denied, allowed with
   * a warning (its scan goes on), or waited for (up to `waitSeconds`, then denied).
   */
  imageVerdicts: z
    .strictObject({
      maxAgeHours: z.number().positive().default(24),
      scanBudgetSeconds: z.number().positive().max(600).default(20),
      unscanned: z.enum(["deny", "warn", "wait"]).default("deny"),
      waitSeconds: z.number().positive().max(3600).default(300),
    })
    .optional(),
  /**
   * Trusted sources: cosign-style signatures (`sha256-DIGEST.sig`) and attestations (`.att`) in
   * the registry, verified with these public keys (PEM, ECDSA P-256 or Ed25519). Images matching
   * `images` (`registry/repository` globs) need a valid signature by one of `signers`, and for
   * `provenance`, a signed SLSA provenance from an allowed builder and source repository.
   */
  trust: z
    .strictObject({
      keys: z
        .array(
          z.strictObject({
            name: z
              .string()
              .regex(/^[a-z0-9][a-z0-9._-]*$/, "key names are lower-case letters, digits, '.', '_' and '-'"),
            publicKey: z.string().min(1).max(16_384),
          }),
        )
        .default([]),
      signatures: z
        .array(
          z.strictObject({
            images: GlobList.min(1),
            signers: z.array(z.string().min(1)).min(1),
            action: ActionSchema.default("deny"),
          }),
        )
        .default([]),
      provenance: z
        .array(
          z.strictObject({
            images: GlobList.min(1),
            signers: z.array(z.string().min(1)).min(1),
            /** SLSA `builder.id` globs. */
            builders: GlobList.default(["**"]),
            /** Source repository URI globs (`git+https://github.com/acme/**`). */
            sources: GlobList.default(["**"]),
            action: ActionSchema.default("deny"),
          }),
        )
        .default([]),
    })
    .optional(),
});

const LimitsSchema = z.strictObject({
  requestsPerMinute: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
  tokensPerDay: z.number().int().positive().optional(),
  tokensPerMonth: z.number().int().positive().optional(),
  concurrency: z.number().int().positive().optional(),
});

/**
 * A constraint on one argument of the MCP tools a glob names. The value at `argument` (a dotted
 * path into the call's arguments; `*` for every string anywhere in them) must satisfy every check
 * given; a call whose argument is missing passes (the tool's own schema says what is required).
 */
const McpArgumentRuleSchema = z.strictObject({
  /** Namespaced tool glob: `files.*`, `fetch.fetch`. */
  tool: Glob,
  argument: z.string().min(1).max(256),
  /** The value, a path, must start with one of these (after resolving `..`). */
  prefixes: z.array(z.string().min(1)).optional(),
  /** The value, a URL, must have one of these hosts (globs: `*.example.com`). */
  hosts: GlobList.optional(),
  /** The value must match this regular expression (anchored). */
  pattern: z.string().min(1).max(512).optional(),
  maxLength: z.number().int().positive().optional(),
  /** The value must be one of these. */
  enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** What a role may do through the MCP gateway (nothing when absent). */
const McpAccessSchema = z.strictObject({
  /** Servers whose tools, prompts and resources the role may see: `github`, `*`. */
  servers: GlobList.default([]),
  /** Of those servers' tools, the ones the role may call (`github.get_*`); default all. */
  tools: GlobList.default(["*"]),
  arguments: z.array(McpArgumentRuleSchema).default([]),
  callsPerMinute: z.number().int().positive().optional(),
});

const RoleSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "role names are lower-case letters, digits, '.', '_' and '-'"),
  /** Who holds the role: `api-key:NAME`, `oidc:SUBJECT`, `group:NAME`, globs allowed. */
  identities: GlobList.default([]),
  models: GlobList.default([]),
  tools: GlobList.default([]),
  useCases: z.array(z.string()).default([]),
  maxTokens: z.number().int().positive().optional(),
  limits: LimitsSchema.default({}),
  mcp: McpAccessSchema.optional(),
});

export const GUARD_ACTIONS = ["block", "redact", "allow"] as const;
export const GuardActionSchema = z.enum(GUARD_ACTIONS);
export type GuardAction = z.infer<typeof GuardActionSchema>;
export const REDACTION_STYLES = ["mask", "placeholder", "hash", "pseudonym", "drop"] as const;

/**
 * Per-direction action: a default and per-entity overrides (`CREDIT_CARD: block`). `default`
 * does not reach the opt-in entities (names, places, organisations, ...: OPT_IN_PII_ENTITIES in
 * pii.ts); the policy acts on those only when it names them (`PERSON: redact`).
 */
const DirectionActionsSchema = z.record(z.string(), GuardActionSchema);

/**
 * `pii.names`: how names, places and organisations are found — `fast` (the gazetteer, default),
 * `full` (the gazetteer and an NLP pass: more names, tens of milliseconds per KB) or `off` (left
 * out: lower latency, no PERSON, LOCATION or ORGANIZATION). The detector's
 * PII_NAMES_MODES; a test keeps the two lists equal, so the schema need not load the detectors.
 */
export const PII_NAMES_SETTINGS = ["off", "fast", "full"] as const;

/** Most trailing characters the mask style may leave in the clear (`pii.redaction.keepLast`). */
export const MAX_KEEP_LAST = 4;

const CustomRecognizerSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  entity: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "entity names are UPPER_SNAKE_CASE"),
  pattern: z.string().min(1).max(512),
  validator: z.enum(["none", "luhn", "mod97", "aba"]).default("none"),
  context: z.array(z.string()).default([]),
  score: z.number().min(0).max(1).default(0.6),
});

/** `off` skips every content guard (policy, limits and audit still apply). */
export const GUARD_MODES = ["enforce", "monitor", "off"] as const;
export const FAIL_MODES = ["closed", "open"] as const;
export const STREAM_MODES = ["window", "buffer", "audit"] as const;
/** A text-bearing request field the gateway's field table does not know: guard it, or refuse it. */
export const UNKNOWN_FIELD_MODES = ["guard", "reject"] as const;

/** `injection.classifier.band` must contain the threshold of every mode the classifier serves. */
function checkClassifierBand(
  injection: { classifier?: z.infer<typeof InjectionClassifierSchema> } & Record<string, unknown>,
  ctx: z.RefinementCtx,
): void {
  if (!injection.classifier) return;
  const thresholds: Record<string, number> = {};
  for (const [mode, section] of Object.entries(injection)) {
    const threshold = (section as { threshold?: unknown } | undefined)?.threshold;
    if (mode !== "classifier" && typeof threshold === "number") thresholds[mode] = threshold;
  }
  for (const message of classifierBandIssues(injection.classifier, thresholds))
    ctx.addIssue({ code: "custom", message, path: ["classifier", "band"] });
}

const RuntimeSchema = z.strictObject({
  roles: z.array(RoleSchema).default([]),
  /** Role applied to authenticated identities that match no role (none: deny everything). */
  defaultRole: z.string().optional(),
  guards: z
    .strictObject({
      mode: z.enum(GUARD_MODES).default("enforce"),
      failMode: z.enum(FAIL_MODES).default("closed"),
      streaming: z.enum(STREAM_MODES).default("window"),
      /**
       * A text-bearing request field the gateway's field table does not know: `guard` inspects it
       * as untrusted text, `reject` answers 400 naming the field.
       */
      unknownFields: z.enum(UNKNOWN_FIELD_MODES).default("guard"),
      /**
       * Guard time per request, in milliseconds (all guards together). When it runs out the
       * request is treated as a guard failure: `failMode` decides (closed refuses, open passes).
       */
      timeBudgetMs: z.number().int().positive().default(2000),
    })
    .prefault({}),
  pii: z
    .strictObject({
      prompt: DirectionActionsSchema.default({ default: "redact" }),
      response: DirectionActionsSchema.default({ default: "redact" }),
      redaction: z
        .strictObject({
          style: z.enum(REDACTION_STYLES).default("placeholder"),
          /** mask: trailing characters left in the clear, 0 to MAX_KEEP_LAST. */
          keepLast: z
            .number()
            .int()
            .min(0)
            .max(MAX_KEEP_LAST, `keepLast keeps at most ${MAX_KEEP_LAST} characters in the clear (0 masks all)`)
            .default(4),
        })
        .prefault({}),
      thresholds: z.record(z.string(), z.number().min(0).max(1)).default({}),
      custom: z.array(CustomRecognizerSchema).default([]),
      names: z.enum(PII_NAMES_SETTINGS).default("fast"),
    })
    .prefault({}),
  secrets: z
    .strictObject({ prompt: GuardActionSchema.default("block"), response: GuardActionSchema.default("redact") })
    .prefault({}),
  injection: z
    .strictObject({
      user: z
        .strictObject({ threshold: z.number().min(0).max(1).default(0.5), action: GuardActionSchema.default("block") })
        .prefault({}),
      document: z
        .strictObject({ threshold: z.number().min(0).max(1).default(0.5), action: GuardActionSchema.default("block") })
        .prefault({}),
      /**
       * System and developer messages (and `system` fields), scored in the detector's system mode:
       * developer directives are trusted, attacks placed there are not. `allow` stops scoring them.
       */
      system: z
        .strictObject({ threshold: z.number().min(0).max(1).default(0.5), action: GuardActionSchema.default("block") })
        .prefault({}),
      /** A local ONNX classifier for the texts the fast detector is unsure about (injection-classifier.ts). */
      classifier: InjectionClassifierSchema.optional(),
    })
    .superRefine(checkClassifierBand)
    .prefault({}),
  systemPrompts: z.array(z.strictObject({ route: Glob, text: z.string().min(1) })).default([]),
  mcp: z
    .strictObject({
      /**
       * Tool definitions against their approved pins: `enforce` hides a changed tool until it is
       * approved again, `monitor` only alerts. `unapproved` is what happens to a tool never
       * approved: `allow` pins it on first sight (a later change is then a change), `hide` waits
       * for `palisade mcp approve`.
       */
      pinning: z
        .strictObject({
          mode: z.enum(GUARD_MODES).default("enforce"),
          unapproved: z.enum(["allow", "hide"]).default("allow"),
        })
        .prefault({}),
      /** Tool, prompt and resource descriptions that carry instructions to the model. */
      poisoning: z
        .strictObject({
          mode: z.enum(GUARD_MODES).default("enforce"),
          maxDescriptionChars: z.number().int().positive().default(4096),
        })
        .prefault({}),
      /** A tool name offered by two servers: hidden on both (`enforce`) or only reported. */
      shadowing: z.enum(GUARD_MODES).default("enforce"),
      /** Tool arguments on their way out (exfiltration): secrets and PII. */
      arguments: z
        .strictObject({
          secrets: GuardActionSchema.default("block"),
          pii: DirectionActionsSchema.default({ default: "allow" }),
        })
        .prefault({}),
      /** Tool results, resources and prompts on their way to the model. */
      results: z
        .strictObject({
          injection: GuardActionSchema.default("block"),
          secrets: GuardActionSchema.default("redact"),
          pii: DirectionActionsSchema.default({ default: "redact" }),
        })
        .prefault({}),
      /** Audit records argument shapes; `values` adds the (redacted) values. */
      audit: z.strictObject({ values: z.boolean().default(false) }).prefault({}),
    })
    .prefault({}),
  logging: z
    .strictObject({
      prompts: z.enum(["redacted", "hashed", "raw"]).default("redacted"),
      retentionDays: z.number().int().positive().default(30),
    })
    .prefault({}),
});

/** Image names (last repository segment) that make a workload an AI workload by default. */
export const DEFAULT_AI_IMAGES = [
  "*vllm*",
  "*ollama*",
  "text-generation-inference",
  "*llama.cpp*",
  "*llama-cpp*",
  "tritonserver",
  "*mcp*",
] as const;

const KubernetesSchema = z.strictObject({
  privileged: ActionSchema.optional(),
  hostPath: ActionSchema.optional(),
  hostNetwork: ActionSchema.optional(),
  hostPID: ActionSchema.optional(),
  capabilities: z
    .strictObject({ allowed: z.array(z.string()).default([]), action: ActionSchema.default("deny") })
    .optional(),
  runAsNonRoot: ActionSchema.optional(),
  readOnlyRootFilesystem: ActionSchema.optional(),
  runtimeClasses: z.strictObject({ allowed: z.array(z.string()), action: ActionSchema.default("deny") }).optional(),
  /** GPUs per namespace: `{ ml-team: { nvidia.com/gpu: 8 } }`; `*` is the default for others. */
  gpuQuota: z.record(z.string(), z.record(z.string(), z.number().int().min(0))).optional(),
  gpuQuotaAction: ActionSchema.default("deny"),
  networkPolicyRequired: ActionSchema.optional(),
  /**
   * Image verdicts at admission (by digest, from stored scans or a scan on the fly): `action` is
   * what an image the policy denies does to the workload; `unknown` is what an image with no
   * verdict within `budgetMs` does (not scanned yet, registry down).
   */
  images: z
    .strictObject({
      action: ActionSchema.default("deny"),
      unknown: z.enum(["deny", "warn", "allow"]).default("warn"),
      budgetMs: z.number().int().positive().max(30_000).default(2000),
    })
    .optional(),
  /**
   * Model references in annotations, env values and container args, checked against
   * `supplyChain.models.approved`; `requirePinned` asks each reference to carry a content hash
   * (`name@sha256:HEX`) or a commit (`name@COMMIT`) matching the approved entry.
   */
  models: z
    .strictObject({
      annotations: GlobList.default(["palisade.dev/model", "*/model", "*/model-id"]),
      env: GlobList.default(["MODEL", "MODEL_ID", "MODEL_NAME", "HF_MODEL_ID", "*_MODEL", "*_MODEL_ID"]),
      args: z.array(z.string().regex(/^--?[a-z0-9-]+$/)).default(["--model", "--model-id", "--served-model"]),
      requirePinned: z.boolean().default(false),
      action: ActionSchema.default("deny"),
    })
    .optional(),
  /**
   * Images that make a workload an AI workload (besides GPUs and model references), matched
   * against the last segment of the image's repository (`vllm-openai`, `ollama`).
   */
  aiImages: GlobList.default([...DEFAULT_AI_IMAGES]),
});

const ExceptionSchema = z.strictObject({
  /** Rule id (or glob) the exception waives, e.g. `image.non-root`. */
  rule: Glob,
  /** What it applies to: an image, package purl, model id, identity or `namespace/name`; glob. */
  target: Glob.default("*"),
  owner: z.string().min(1),
  reason: z.string().min(1),
  expires: z.iso.date("expected a date like 2026-12-31"),
});

export const INPUT_KINDS = ["scan", "request", "kubernetes"] as const;

const CustomRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "rule ids are lower-case letters, digits, '.' and '-'"),
  severity: SeveritySchema.default("medium"),
  message: z.string().min(1),
  action: ActionSchema.default("deny"),
  appliesTo: z.array(z.enum(INPUT_KINDS)).min(1),
  /** CEL expression over `input`; the rule fires when it is true. */
  expression: z.string().min(1).max(4096),
});

export const PolicySpecSchema = z.strictObject({
  supplyChain: SupplyChainSchema.optional(),
  runtime: RuntimeSchema.optional(),
  kubernetes: KubernetesSchema.optional(),
  /** Alert sinks and flood control (src/policy/alerts.ts); no alerts are sent when absent. */
  alerts: AlertsPolicySchema.optional(),
  exceptions: z.array(ExceptionSchema).default([]),
  rules: z.array(CustomRuleSchema).default([]),
});

export const PolicyDocumentSchema = z.strictObject({
  apiVersion: z.literal("palisade.dev/v1"),
  kind: z.literal("Policy"),
  metadata: z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
  spec: PolicySpecSchema.prefault({}),
});

export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;
export type PolicySpec = z.infer<typeof PolicySpecSchema>;
export type Role = z.infer<typeof RoleSchema>;
export type RuntimePolicy = z.infer<typeof RuntimeSchema>;
export type SupplyChainPolicy = z.infer<typeof SupplyChainSchema>;
export type KubernetesPolicy = z.infer<typeof KubernetesSchema>;
export type PolicyException = z.infer<typeof ExceptionSchema>;
export type CustomRule = z.infer<typeof CustomRuleSchema>;
export type CustomRecognizerSpec = z.infer<typeof CustomRecognizerSchema>;
export type Limits = z.infer<typeof LimitsSchema>;
export type McpAccess = z.infer<typeof McpAccessSchema>;
export type McpArgumentRule = z.infer<typeof McpArgumentRuleSchema>;
export type McpRuntimePolicy = RuntimePolicy["mcp"];

/** Runtime defaults when a policy has no runtime section. */
export function defaultRuntime(): RuntimePolicy {
  return RuntimeSchema.parse({});
}
