/**
 * Reading Pods as the runtime sees them: each container's runtime id (what Falco and Tetragon
 * report), the image digest it actually runs (status, not spec), and the workload that owns the
 * pod through its ownerReferences. Pure functions over untyped objects (kubectl output or the
 * Kubernetes API); nothing here trusts a field's type, and what cannot be read is a reason, not
 * an exception.
 */
import { containersOf, GPU_RESOURCES, type PodSpec } from "../policy/index.js";
import { controllerOf } from "./k8s-objects.js";

/** Which list of the pod spec a container comes from. */
export const CONTAINER_ROLES = ["app", "init", "ephemeral"] as const;
export type ContainerRole = (typeof CONTAINER_ROLES)[number];

/** The container's state at the time of the listing (`status.containerStatuses[].state`). */
export const CONTAINER_STATES = ["running", "waiting", "terminated", "unknown"] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

/** A container of a pod, as its spec names it and its status reports it. */
export interface PodContainer {
  name: string;
  role: ContainerRole;
  /** The image reference as the pod spec writes it (the status's when the spec has none). */
  image: string;
  /** The digest the container runs (`sha256:...`), from `status.containerStatuses[].imageID`. */
  imageDigest?: string;
  /** The runtime's id with its scheme, e.g. `containerd://<64 hex>`; absent until it starts. */
  runtimeId?: string;
  /** First 12 hex digits of the runtime id: the key runtime sensors report. */
  id?: string;
  state: ContainerState;
  restartCount?: number;
  /** GPUs this container asks for, per resource (limits, else requests). */
  gpu: Record<string, number>;
}

/** A pod: where it runs, who owns it, and its containers. */
export interface PodObservation {
  namespace: string;
  name: string;
  uid?: string;
  node?: string;
  phase?: string;
  labels: Record<string, string>;
  /** The controller in `metadata.ownerReferences`, if any. */
  owner?: { kind: string; name: string };
  containers: PodContainer[];
}

/** A pod that cannot be read, and why (counted by the importer, never thrown). */
export interface PodProblem {
  problem: string;
}

/** Containers a pod may list before it is refused as hostile (Kubernetes sets no limit; real pods have a few). */
export const MAX_CONTAINERS_PER_POD = 256;

/** A DNS-1123 subdomain (names of namespaces, pods and controllers): no `/`, so `ns/pod/container` splits. */
const K8S_NAME = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;
const DIGEST = /(?:^|@|:\/\/)(sha256:[0-9a-f]{64})$/;

/** Whether `value` is a Kubernetes object name (a DNS-1123 subdomain). */
export function isK8sName(value: unknown): value is string {
  return typeof value === "string" && K8S_NAME.test(value);
}

/**
 * The key runtime sensors use for a container: the first 12 hex digits of its id, from any of
 * `containerd://<hex>`, `docker://<hex>`, `cri-o://<hex>` or the bare id (12 to 64 hex digits).
 * Same rule as `normaliseContainerId` in src/runtime/event.ts (gate comes before runtime in the
 * module order, so it cannot import it).
 */
export function normaliseContainerId(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const id = raw.replace(/^[a-z-]+:\/\//, "").toLowerCase();
  return /^[0-9a-f]{12,64}$/.test(id) ? id.slice(0, 12) : undefined;
}

/**
 * The digest in a container status's `imageID`: `docker.io/library/nginx@sha256:...` (containerd,
 * the repository digest), `docker-pullable://nginx@sha256:...` (dockershim), or `sha256:...` /
 * `docker://sha256:...` (an image with no repository digest: its image id, the config digest).
 * Stored scans key images the same way (manifest digest; config digest for `docker save` archives).
 */
export function imageDigestOf(imageId: unknown): string | undefined {
  if (typeof imageId !== "string" || imageId.length > 2048) return undefined;
  return DIGEST.exec(imageId.trim())?.[1];
}

/** Read a Pod object (kubectl output or an API list item) into what the inventory records. */
export function toPodObservation(object: Record<string, unknown>): PodObservation | PodProblem {
  const meta = object.metadata;
  if (!isRecord(meta)) return { problem: "pod without metadata" };
  if (!isK8sName(meta.name)) return { problem: "pod without a valid metadata.name" };
  const namespace = meta.namespace === undefined ? "default" : meta.namespace;
  if (!isK8sName(namespace)) return { problem: "pod with an invalid metadata.namespace" };
  const spec = object.spec;
  if (!isRecord(spec)) return { problem: "pod without spec" };
  const specProblem = podSpecProblem(spec);
  if (specProblem) return { problem: specProblem };
  const status = isRecord(object.status) ? object.status : {};

  const statuses = new Map<string, Record<string, unknown>>();
  for (const field of ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]) {
    const list = status[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return { problem: `pod status.${field} is not a list` };
    if (list.length > MAX_CONTAINERS_PER_POD)
      return { problem: `pod lists more than ${MAX_CONTAINERS_PER_POD} containers` };
    for (const s of list) if (isRecord(s) && typeof s.name === "string") statuses.set(`${field}/${s.name}`, s);
  }

  const containers: PodContainer[] = [];
  const lists: [keyof PodSpec, ContainerRole, string][] = [
    ["containers", "app", "containerStatuses"],
    ["initContainers", "init", "initContainerStatuses"],
    ["ephemeralContainers", "ephemeral", "ephemeralContainerStatuses"],
  ];
  for (const [field, role, statusField] of lists) {
    for (const c of (spec[field] ?? []) as Record<string, unknown>[]) {
      if (typeof c.name !== "string" || !/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(c.name))
        return { problem: "container without a valid name" };
      const s = statuses.get(`${statusField}/${c.name}`) ?? {};
      const image = typeof c.image === "string" ? c.image : typeof s.image === "string" ? s.image : "";
      const runtimeId = typeof s.containerID === "string" && s.containerID.length <= 256 ? s.containerID : undefined;
      const id = normaliseContainerId(runtimeId);
      const imageDigest = imageDigestOf(s.imageID) ?? imageDigestOf(image.includes("@") ? image : undefined);
      const restartCount =
        typeof s.restartCount === "number" && Number.isInteger(s.restartCount) && s.restartCount >= 0
          ? s.restartCount
          : undefined;
      containers.push({
        name: c.name,
        role,
        image: image.slice(0, 1024),
        ...(imageDigest ? { imageDigest } : {}),
        ...(runtimeId && id ? { runtimeId, id } : {}),
        state: stateOf(s.state),
        ...(restartCount !== undefined ? { restartCount } : {}),
        gpu: gpuOf(c),
      });
    }
  }
  const owner = controllerOf(object);
  return {
    namespace,
    name: meta.name,
    ...(typeof meta.uid === "string" ? { uid: meta.uid } : {}),
    ...(isK8sName(spec.nodeName) ? { node: spec.nodeName } : {}),
    ...(typeof status.phase === "string" ? { phase: status.phase.slice(0, 64) } : {}),
    labels: stringMap(meta.labels),
    ...(owner && isK8sName(owner.name) ? { owner: { kind: owner.kind.slice(0, 64), name: owner.name } } : {}),
    containers,
  };
}

/**
 * Why a pod spec cannot be read (container lists that are not lists of objects, too many
 * containers), or undefined when its shape is sound. Workload templates are checked with it too
 * before the policy's readers (which assume the shape) see them.
 */
export function podSpecProblem(spec: unknown): string | undefined {
  if (!isRecord(spec)) return "pod spec is not an object";
  let total = 0;
  for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
    const list = spec[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `spec.${field} is not a list`;
    total += list.length;
    if (total > MAX_CONTAINERS_PER_POD) return `pod spec lists more than ${MAX_CONTAINERS_PER_POD} containers`;
    for (const c of list) {
      if (!isRecord(c)) return `spec.${field} has an entry that is not an object`;
      if (c.ports !== undefined && !Array.isArray(c.ports)) return `spec.${field}[].ports is not a list`;
      if (c.resources !== undefined && !isRecord(c.resources)) return `spec.${field}[].resources is not an object`;
      for (const part of ["limits", "requests"])
        if (isRecord(c.resources) && c.resources[part] !== undefined && !isRecord(c.resources[part]))
          return `spec.${field}[].resources.${part} is not an object`;
    }
  }
  return undefined;
}

/** How a pod's workload was found: which evidence named it. */
export const OWNER_EVIDENCE = ["owner-references", "pod-template-hash", "cronjob-name", "pod"] as const;
export type OwnerEvidence = (typeof OWNER_EVIDENCE)[number];

/** The workload a pod belongs to, and how that was decided. */
export interface PodOwner {
  kind: string;
  name: string;
  via: OwnerEvidence;
}

/** What the importer knows about controllers, to walk ownerReferences past the pod's direct owner. */
export interface OwnerLookup {
  /**
   * The controller of an object in the input: its owner, `null` when it is in the input with no
   * controller, `undefined` when it is not in the input.
   */
  controllerOf(namespace: string, kind: string, name: string): { kind: string; name: string } | null | undefined;
  /** Whether a workload is known (in this input or already in the inventory). */
  isKnownWorkload(namespace: string, kind: string, name: string): boolean;
}

/** Controllers whose pods a workload record accounts for directly. */
const DIRECT_OWNERS = new Set(["Deployment", "StatefulSet", "DaemonSet", "CronJob", "ReplicaSet", "Job"]);

/**
 * The workload a pod belongs to: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, Pod →
 * StatefulSet/DaemonSet; a pod with no controller (or one we do not model, such as the Node of a
 * static pod) is its own workload.
 */
export function resolvePodOwner(pod: PodObservation, lookup: OwnerLookup): PodOwner {
  const owner = pod.owner;
  if (!owner || !DIRECT_OWNERS.has(owner.kind)) return { kind: "Pod", name: pod.name, via: "pod" };
  if (owner.kind !== "ReplicaSet" && owner.kind !== "Job") return { ...owner, via: "owner-references" };
  const parent = lookup.controllerOf(pod.namespace, owner.kind, owner.name);
  if (parent) return { kind: parent.kind, name: parent.name, via: "owner-references" };
  if (parent === null) return { ...owner, via: "owner-references" };
  if (owner.kind === "ReplicaSet") {
    // The ReplicaSet is not in the input (`kubectl get pods,deployments` lists none): a
    // Deployment names its ReplicaSets `<deployment>-<pod-template-hash>` and labels their pods
    // with that hash, so the Deployment is the ReplicaSet's name without the suffix.
    const hash = pod.labels["pod-template-hash"];
    if (hash && owner.name.endsWith(`-${hash}`))
      return { kind: "Deployment", name: owner.name.slice(0, -hash.length - 1), via: "pod-template-hash" };
    return { ...owner, via: "owner-references" };
  }
  // The Job is not in the input: a CronJob names its Jobs `<cronjob>-<scheduled time in minutes>`.
  // A Job of that shape is taken as the CronJob's only when that CronJob is known, since a plain
  // Job may be named the same way.
  const match = /^(.+)-\d{8,}$/.exec(owner.name);
  if (match?.[1] && lookup.isKnownWorkload(pod.namespace, "CronJob", match[1]))
    return { kind: "CronJob", name: match[1], via: "cronjob-name" };
  return { ...owner, via: "owner-references" };
}

function stateOf(value: unknown): ContainerState {
  if (!isRecord(value)) return "unknown";
  if (isRecord(value.running)) return "running";
  if (isRecord(value.terminated)) return "terminated";
  if (isRecord(value.waiting)) return "waiting";
  return "unknown";
}

function gpuOf(container: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of containersOf({ containers: [container] } as PodSpec)) {
    for (const resource of GPU_RESOURCES) {
      const n = Number(c.resources?.limits?.[resource] ?? c.resources?.requests?.[resource] ?? 0);
      if (Number.isFinite(n) && n > 0) out[resource] = n;
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
