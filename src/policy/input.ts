/**
 * What the evaluator judges: a scan result (CI and registry gates), a runtime request (the
 * gateways) or a Kubernetes object (admission). Loose where the payload is someone else's.
 */
import { z } from "zod";
import { ComponentSchema, FindingSchema, LocationSchema, SeveritySchema, VerdictSchema } from "../core/index.js";

export const ScanInputSchema = z.object({
  kind: z.literal("scan"),
  /** What was scanned: an image reference, a repository path, a model file. */
  target: z.string(),
  image: z
    .object({
      reference: z.string(),
      registry: z.string().optional(),
      os: z.object({ family: z.string(), version: z.string() }).optional(),
      user: z.string().optional(),
      sizeBytes: z.number().nonnegative().optional(),
      hasShell: z.boolean().optional(),
      hasPackageManager: z.boolean().optional(),
      secrets: z.array(z.object({ rule: z.string(), location: z.string() })).default([]),
      baseImage: z.string().optional(),
    })
    .optional(),
  components: z.array(ComponentSchema).default([]),
  vulnerabilities: z
    .array(
      z.object({
        id: z.string(),
        purl: z.string(),
        severity: SeveritySchema,
        fixedIn: z.string().optional(),
        /** ISO date the advisory was published. */
        published: z.string().optional(),
      }),
    )
    .default([]),
  models: z
    .array(
      z.object({
        id: z.string(),
        sha256: z.string().optional(),
        license: z.string().optional(),
        publisher: z.string().optional(),
        /** Where the model is named or stored, so a reason about it can point there. */
        location: LocationSchema.optional(),
      }),
    )
    .default([]),
  mcpServers: z
    .array(
      z.object({
        /** The name the client config gives it. */
        name: z.string().optional(),
        package: z.string().optional(),
        version: z.string().optional(),
        image: z.string().optional(),
        digest: z.string().optional(),
        /** A remote (HTTP/SSE) server's URL. */
        url: z.string().optional(),
        location: LocationSchema.optional(),
      }),
    )
    .default([]),
  providers: z.array(z.string()).default([]),
  findings: z.array(FindingSchema).default([]),
});

export const RequestInputSchema = z.object({
  kind: z.literal("request"),
  identity: z.object({ id: z.string(), roles: z.array(z.string()).default([]) }),
  route: z.string().default("/v1/chat/completions"),
  model: z.string(),
  tools: z.array(z.string()).default([]),
  /** As the caller asked, before the gateway lowers it to the cap; 0 or less is bad input. */
  maxTokens: z.number().int().positive().optional(),
  useCase: z.string().optional(),
});

export const KubernetesInputSchema = z.object({
  kind: z.literal("kubernetes"),
  /** The object under admission: Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet. */
  object: z.record(z.string(), z.unknown()),
  namespace: z.string().optional(),
  /** GPUs already requested in the namespace (admission adds the object's own). */
  namespaceGpuUsage: z.record(z.string(), z.number()).default({}),
  /** Whether a NetworkPolicy selects this workload. */
  networkPolicySelected: z.boolean().optional(),
  /** Whether the workload runs AI (inference server image, GPU, model volume); set by the caller. */
  aiWorkload: z.boolean().default(false),
  /** The verdict of each container image under the policy, as the admission gate found it (by digest). */
  images: z
    .array(
      z.object({
        reference: z.string(),
        digest: z.string().optional(),
        /** `stored`: a fresh stored scan; `scanned`: scanned on the fly; `unknown`: no verdict in time. */
        source: z.enum(["stored", "scanned", "unknown"]),
        verdict: VerdictSchema.optional(),
        warnings: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});

export const PolicyInputSchema = z.discriminatedUnion("kind", [
  ScanInputSchema,
  RequestInputSchema,
  KubernetesInputSchema,
]);

export type ScanInput = z.infer<typeof ScanInputSchema>;
/** A scan result as producers build it: defaults (empty lists) may be left out. */
export type ScanInputDraft = z.input<typeof ScanInputSchema>;
export type RequestInput = z.infer<typeof RequestInputSchema>;
export type KubernetesInput = z.infer<typeof KubernetesInputSchema>;
export type PolicyInput = z.infer<typeof PolicyInputSchema>;

/** The namespace of a Kubernetes object under admission (the request's, else the manifest's). */
export function namespaceOf(input: KubernetesInput): string {
  const ns = (input.object.metadata as { namespace?: unknown } | undefined)?.namespace;
  return input.namespace ?? (typeof ns === "string" ? ns : "default");
}

/** What a violation is about, as exceptions match it: an image or path, an identity, `namespace/name`. */
export function targetOf(input: PolicyInput): string {
  switch (input.kind) {
    case "scan":
      return input.target;
    case "request":
      return input.identity.id;
    case "kubernetes": {
      const name = (input.object.metadata as { name?: unknown } | undefined)?.name;
      return `${namespaceOf(input)}/${typeof name === "string" ? name : "?"}`;
    }
  }
}
