/**
 * Reading Kubernetes workload objects as admission and the inventory need them: which kinds
 * carry pods, their images (as registry references), labels, owners, GPU requests, and whether
 * they run AI. Pure functions over untyped objects; nothing here trusts a field's type.
 */
import {
  compileGlobs,
  containersOf,
  GPU_RESOURCES,
  type KubernetesInput,
  modelReferencesOf,
  type PodSpec,
  podTemplateOf,
} from "../policy/index.js";

/** The kinds admission judges: a Pod, or an object with a pod template. */
export const WORKLOAD_KINDS = [
  "Pod",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export function isWorkloadKind(kind: unknown): kind is WorkloadKind {
  return typeof kind === "string" && (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

/** A container image named in a pod spec, split as the distribution API addresses it. */
export interface PodImageRef {
  /** As written in the manifest. */
  reference: string;
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Split an image reference the way the container runtime does: no registry means docker.io,
 * a one-segment Docker Hub name is `library/NAME`, no tag and no digest means `latest`.
 */
export function parseImageRef(reference: string): PodImageRef | undefined {
  const text = reference.trim();
  if (text === "" || text.length > 1024 || /\s/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return undefined;
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : "docker.io";
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository))
    return undefined;
  if (!tag && !digest) tag = "latest";
  return { reference: text, registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Every distinct image the pod template runs (containers, init and ephemeral containers). */
export function imagesOf(pod: PodSpec): string[] {
  return [...new Set(containersOf(pod).flatMap((c) => (typeof c.image === "string" ? [c.image] : [])))];
}

/** The object's name, namespace, labels and uid, read defensively. */
export function metadataOf(object: Record<string, unknown>): {
  name: string;
  namespace?: string;
  uid?: string;
  labels: Record<string, string>;
} {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const name =
    typeof meta.name === "string" ? meta.name : typeof meta.generateName === "string" ? meta.generateName : "?";
  return {
    name,
    ...(typeof meta.namespace === "string" ? { namespace: meta.namespace } : {}),
    ...(typeof meta.uid === "string" ? { uid: meta.uid } : {}),
    labels: stringMap(meta.labels),
  };
}

/** The controller that owns this object (a ReplicaSet's Deployment, a Pod's ReplicaSet), if any. */
export function controllerOf(
  object: Record<string, unknown>,
): { kind: string; name: string; uid?: string } | undefined {
  const refs = (object.metadata as { ownerReferences?: unknown } | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  const owner = refs.find(
    (r) => typeof r === "object" && r !== null && (r as { controller?: unknown }).controller === true,
  ) as { kind?: unknown; name?: unknown; uid?: unknown } | undefined;
  if (!owner || typeof owner.kind !== "string" || typeof owner.name !== "string") return undefined;
  return { kind: owner.kind, name: owner.name, ...(typeof owner.uid === "string" ? { uid: owner.uid } : {}) };
}

/** Labels of the pods the object makes (the template's labels; a Pod's own). */
export function podLabelsOf(object: Record<string, unknown>): Record<string, string> {
  return stringMap(podTemplateOf(object)?.metadata.labels);
}

/** GPUs the whole workload asks for, per resource name (per pod × replicas). */
export function gpuRequestsOf(object: Record<string, unknown>): Record<string, number> {
  const template = podTemplateOf(object);
  if (!template) return {};
  const out: Record<string, number> = {};
  for (const resource of GPU_RESOURCES) {
    const perPod = containersOf(template.spec).reduce((n, c) => {
      const value = c.resources?.limits?.[resource] ?? c.resources?.requests?.[resource];
      const count = Number(value ?? 0);
      return n + (Number.isFinite(count) && count > 0 ? count : 0);
    }, 0);
    if (perPod > 0) out[resource] = perPod * template.replicas;
  }
  return out;
}

/** What kind of AI a workload runs, as the NetworkPolicy generator and the policy need to know. */
export type AiRole = "inference" | "mcp" | "ai";

/**
 * Whether a workload runs AI, and which kind: an image whose name the policy lists (`aiImages`),
 * a GPU request, a model reference, or the label `palisade.dev/ai`. MCP servers are told apart
 * by name (`*mcp*`) so the NetworkPolicy generator can treat them as their own role.
 */
export function aiRoleOf(object: Record<string, unknown>, aiImages: readonly string[]): AiRole | undefined {
  const template = podTemplateOf(object);
  if (!template) return undefined;
  const labels = { ...metadataOf(object).labels, ...stringMap(template.metadata.labels) };
  const label = labels["palisade.dev/ai"];
  if (label === "inference" || label === "mcp") return label;
  const names = imagesOf(template.spec).map((i) => (parseImageRef(i)?.repository ?? i).split("/").at(-1) ?? i);
  if (names.some((n) => n.includes("mcp"))) return "mcp";
  const matches = compileGlobs(aiImages);
  if (names.some((n) => matches(n))) return "inference";
  if (Object.keys(gpuRequestsOf(object)).length > 0) return "inference";
  const refs = modelReferencesOf([stringMap(template.metadata.annotations)], containersOf(template.spec), {
    annotations: ["palisade.dev/model"],
    env: ["MODEL", "MODEL_ID", "MODEL_NAME", "HF_MODEL_ID"],
    args: ["--model"],
  });
  if (refs.length > 0) return "inference";
  return label === "true" ? "ai" : undefined;
}

/** The `kubernetes` policy input for an object under admission (before image verdicts). */
export function toKubernetesInput(options: {
  object: Record<string, unknown>;
  namespace: string;
  namespaceGpuUsage: Record<string, number>;
  networkPolicySelected?: boolean;
  aiWorkload: boolean;
  images: KubernetesInput["images"];
}): KubernetesInput {
  return {
    kind: "kubernetes",
    object: options.object,
    namespace: options.namespace,
    namespaceGpuUsage: options.namespaceGpuUsage,
    aiWorkload: options.aiWorkload,
    images: options.images,
    ...(options.networkPolicySelected !== undefined ? { networkPolicySelected: options.networkPolicySelected } : {}),
  };
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
