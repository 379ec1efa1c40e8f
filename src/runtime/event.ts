/**
 * One runtime event type for every sensor: Falco alerts, Tetragon process and kprobe events and
 * Palisade's own sandbox execs are all normalised into `RuntimePayload`, stored as a core `Event`
 * whose kind is `runtime.<category>`. Correlation and traces read only this shape, never a
 * sensor's own JSON.
 */
import { z } from "zod";
import { SeveritySchema } from "../core/index.js";

// The container id rule is the inventory's: a sensor's id must key the same way a pod's does.
export { normaliseContainerId } from "../gate/index.js";

export const RUNTIME_SOURCES = ["falco", "tetragon", "palisade"] as const;
export const RuntimeSourceSchema = z.enum(RUNTIME_SOURCES);
export type RuntimeSource = z.infer<typeof RuntimeSourceSchema>;

/**
 * What happened: `alert` is a sensor rule that fired (Falco), the others are observations
 * (Tetragon exports every exec; a kprobe on connect is `network`, on open/write is `file`).
 */
export const RUNTIME_CATEGORIES = ["alert", "exec", "exit", "network", "file", "other"] as const;
export const RuntimeCategorySchema = z.enum(RUNTIME_CATEGORIES);
export type RuntimeCategory = z.infer<typeof RuntimeCategorySchema>;

/** Event kinds the store sees: `runtime.alert`, `runtime.exec`, ... */
export const runtimeEventKind = (category: RuntimeCategory): string => `runtime.${category}`;
export const isRuntimeEventKind = (kind: string): boolean => kind.startsWith("runtime.");

const bounded = (max: number) => z.string().max(max);

export const ProcessSchema = z.object({
  pid: z.number().int().nonnegative().optional(),
  /** The executable path (`/bin/sh`). */
  binary: bounded(4096),
  args: z.array(bounded(4096)).max(256).default([]),
  cwd: bounded(4096).optional(),
  uid: z.number().int().nonnegative().optional(),
  user: bounded(256).optional(),
});
export type RuntimeProcess = z.infer<typeof ProcessSchema>;

/**
 * The container a process ran in. `id` is normalised to the first 12 hex digits of the runtime's
 * container id (Falco reports 12, Tetragon 15, Kubernetes pod status the full 64 with a
 * `containerd://` prefix): that is the key that joins a sensor event to a pod.
 */
export const ContainerSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .optional(),
  name: bounded(256).optional(),
  image: bounded(1024).optional(),
  /** `sha256:...` when the sensor knows it. */
  imageDigest: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .optional(),
});
export type RuntimeContainer = z.infer<typeof ContainerSchema>;

export const KubernetesSchema = z.object({
  namespace: bounded(253).optional(),
  pod: bounded(253).optional(),
});

export const NetworkSchema = z.object({
  protocol: bounded(16).optional(),
  srcIp: bounded(64).optional(),
  srcPort: z.number().int().min(0).max(65535).optional(),
  dstIp: bounded(64).optional(),
  dstPort: z.number().int().min(0).max(65535).optional(),
});

export const FileSchema = z.object({
  path: bounded(4096),
  /** `open`, `write`, `read`, `rename`, ... as the sensor named it. */
  operation: bounded(64).optional(),
});

export const RuntimePayloadSchema = z.object({
  source: RuntimeSourceSchema,
  category: RuntimeCategorySchema,
  /** The sensor rule or policy that produced it (Falco rule, Tetragon policy name). */
  rule: bounded(512).optional(),
  severity: SeveritySchema,
  /** The sensor's own priority word (`Critical`, `Warning`...), kept for the operator. */
  priority: bounded(32).optional(),
  message: bounded(4096).optional(),
  node: bounded(253).optional(),
  container: ContainerSchema.optional(),
  k8s: KubernetesSchema.optional(),
  process: ProcessSchema.optional(),
  /** Parent first, then its parent: as far as the sensor reports (Falco proc.aname, Tetragon parent). */
  ancestors: z.array(ProcessSchema).max(16).default([]),
  network: NetworkSchema.optional(),
  file: FileSchema.optional(),
  tags: z.array(bounded(128)).max(64).default([]),
  /** The MCP server a sandboxed process belongs to (source `palisade`). */
  mcpServer: bounded(256).optional(),
});
export type RuntimePayload = z.infer<typeof RuntimePayloadSchema>;

/** Why one event of a batch was not ingested: the batch goes on without it. */
export interface RejectedEvent {
  /** Position in the batch (line number for files, 1-based). */
  index: number;
  reason: string;
}
