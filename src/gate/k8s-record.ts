import { podTemplateOf } from "../policy/index.js";
import {
  type AssetInput,
  type EdgeInput,
  insertAbsentAssets,
  type Store,
  upsertAssets,
  upsertEdges,
} from "../store/index.js";
import {
  type NetworkPolicyRecord,
  networkPolicyId,
  toInventoryRecord,
  type WorkloadRecord,
  workloadId,
} from "./k8s-inventory.js";
import { controllerOf, isWorkloadKind, parseImageRef } from "./k8s-objects.js";
import {
  isK8sName,
  type OwnerEvidence,
  type PodContainer,
  type PodObservation,
  podSpecProblem,
  resolvePodOwner,
  toPodObservation,
} from "./k8s-pods.js";

/** Edge kinds of the cluster inventory. */
export const CLUSTER_EDGE_KINDS = {
  /** workload → container of one of its pods. */
  runs: "runs",
  /** container → image (`image:<digest>`) it runs. */
  runsImage: "runs-image",
} as const;

/** A container's asset id: `container:<first 12 hex digits of its runtime id>`. */
export const containerAssetId = (id12: string) => `container:${id12}`;
/** An image's asset id, as the image scanner records it. */
export const imageAssetId = (digest: string) => `image:${digest}`;

/** What a container asset holds in its properties (the asset's name is `NAMESPACE/POD/CONTAINER`). */
export interface ContainerRecord {
  /** First 12 hex digits of the runtime id. */
  id: string;
  /** The runtime id with its scheme, e.g. `containerd://...`. */
  runtimeId: string;
  namespace: string;
  pod: string;
  podUid?: string;
  node?: string;
  container: string;
  role: PodContainer["role"];
  state: PodContainer["state"];
  image: string;
  imageDigest?: string;
  /** `workload:NAMESPACE/KIND/NAME`. */
  workload: string;
  /** How the pod's workload was found. */
  ownerVia: OwnerEvidence;
  gpu: Record<string, number>;
}

export interface ClusterImportOptions {
  /** Image-name globs that make a workload an inference workload (policy `kubernetes.aiImages`). */
  aiImages: readonly string[];
}

/** One reason objects were left out, how many, and the first one (`KIND NAMESPACE/NAME`). */
export interface SkipCount {
  reason: string;
  count: number;
  example: string;
}

/** What an import recorded. */
export interface ClusterImportResult {
  /** Objects given. */
  objects: number;
  /**
   * Workloads of the input: recorded from it (including those known only from their pods), or
   * already in the inventory and given containers by it.
   */
  workloads: number;
  /** Of those, workloads written from their pods because the controller was not in the input. */
  workloadsFromPods: number;
  /** Workloads that run AI (an inference or MCP server, or marked `palisade.dev/ai`). */
  ai: number;
  /** GPUs those workloads request, all resources together, and per resource. */
  gpus: number;
  gpusByResource: Record<string, number>;
  networkPolicies: number;
  pods: number;
  containers: number;
  /** Containers whose image digest has a stored scan. */
  containersScanned: number;
  /** Distinct image digests the containers run. */
  images: number;
  skipped: SkipCount[];
}

/**
 * Record Kubernetes objects (Pods, workload controllers, NetworkPolicies; anything else is
 * counted as skipped) into the store's inventory. Objects that cannot be read are skipped with a
 * reason; only store failures throw.
 */
export async function recordClusterObjects(
  store: Store,
  objects: readonly unknown[],
  options: ClusterImportOptions,
): Promise<ClusterImportResult> {
  const skipped = new Map<string, SkipCount>();
  const skip = (reason: string, example: string) => {
    const entry = skipped.get(reason);
    if (entry) entry.count++;
    else skipped.set(reason, { reason, count: 1, example });
  };

  // Pass 1: controllers (for ownerReferences), workloads, NetworkPolicies, and the pods to place.
  const controllers = new Map<string, { kind: string; name: string } | null>();
  const workloads = new Map<string, WorkloadRecord>();
  const policies = new Map<string, NetworkPolicyRecord>();
  const pods: { pod: PodObservation; object: Record<string, unknown> }[] = [];
  for (const object of objects) {
    if (!isRecord(object) || typeof object.kind !== "string") {
      skip("not a Kubernetes object (no kind)", typeof object);
      continue;
    }
    const kind = object.kind.slice(0, 64);
    const meta = isRecord(object.metadata) ? object.metadata : {};
    const namespace = meta.namespace === undefined ? "default" : meta.namespace;
    const label = `${kind} ${typeof namespace === "string" ? namespace.slice(0, 64) : "?"}/${typeof meta.name === "string" ? meta.name.slice(0, 253) : "?"}`;
    if (kind !== "NetworkPolicy" && !isWorkloadKind(kind)) {
      skip("kind not inventoried", label);
      continue;
    }
    if (!isK8sName(meta.name) || !isK8sName(namespace)) {
      skip("no valid metadata.name or metadata.namespace", label);
      continue;
    }
    if (kind === "Pod") {
      const pod = toPodObservation(object);
      if ("problem" in pod) {
        skip(pod.problem, label);
        continue;
      }
      pods.push({ pod, object });
      if (pod.owner) continue;
    }
    const owner = kind === "NetworkPolicy" ? undefined : controllerOf(object);
    if (kind === "ReplicaSet" || kind === "Job") controllers.set(`${namespace}/${kind}/${meta.name}`, owner ?? null);
    // Objects a controller makes are accounted with their controller.
    if (owner) continue;
    if (kind !== "NetworkPolicy") {
      const template = podTemplateOf(object);
      const problem = template ? podSpecProblem(template.spec) : "workload without a pod template";
      if (problem) {
        skip(template ? `workload template: ${problem}` : problem, label);
        continue;
      }
    }
    const record = toInventoryRecord(object, { namespace, aiImages: options.aiImages });
    if (!record) skip("workload without a pod template", label);
    else if ("podSelector" in record) policies.set(record.id, record);
    else workloads.set(record.id, record);
  }

  // Pass 2: place each pod's containers under its workload.
  // Workloads already in the inventory (recorded by admission or an earlier import), by id.
  const stored = new Map<string, WorkloadRecord | null>();
  const storedWorkload = async (id: string) => {
    let known = stored.get(id);
    if (known === undefined) {
      const asset = await store.getAsset(id);
      known = asset?.kind === "workload" ? (asset.properties as unknown as WorkloadRecord) : null;
      stored.set(id, known);
    }
    return known;
  };
  // CronJobs in the store, for Jobs whose CronJob is not in the input.
  for (const { pod } of pods) {
    const m = pod.owner?.kind === "Job" ? /^(.+)-\d{8,}$/.exec(pod.owner.name) : null;
    if (m?.[1]) await storedWorkload(workloadId(pod.namespace, "CronJob", m[1]));
  }
  const lookup = {
    controllerOf: (ns: string, kind: string, name: string) => controllers.get(`${ns}/${kind}/${name}`),
    isKnownWorkload: (ns: string, kind: string, name: string) => {
      const id = workloadId(ns, kind, name);
      return workloads.has(id) || Boolean(stored.get(id));
    },
  };
  const fromPods = new Map<string, { record: WorkloadRecord; pods: number }>();
  // Workloads of this input's pods that the inventory already held (counted in the summary).
  const placed = new Map<string, WorkloadRecord>();
  const containers: { record: ContainerRecord; name: string }[] = [];
  for (const { pod, object } of pods) {
    const owner = resolvePodOwner(pod, lookup);
    const id = workloadId(pod.namespace, owner.kind, owner.name);
    const existing = workloads.has(id) ? undefined : await storedWorkload(id);
    if (existing) placed.set(id, existing);
    else if (!workloads.has(id)) {
      // The controller is not in the input and not in the inventory: the workload is known from
      // its pods (their template, their GPUs per pod times the pods seen).
      const seen = fromPods.get(id);
      if (seen) seen.pods++;
      else {
        const base = toInventoryRecord(object, {
          namespace: pod.namespace,
          aiImages: options.aiImages,
        }) as WorkloadRecord;
        fromPods.set(id, { record: { ...base, id, kind: owner.kind, name: owner.name }, pods: 1 });
      }
    }
    let started = 0;
    for (const c of pod.containers) {
      if (!c.id || !c.runtimeId) {
        skip("container not started (no containerID)", `Pod ${pod.namespace}/${pod.name} container ${c.name}`);
        continue;
      }
      started++;
      containers.push({
        name: `${pod.namespace}/${pod.name}/${c.name}`,
        record: {
          id: c.id,
          runtimeId: c.runtimeId,
          namespace: pod.namespace,
          pod: pod.name,
          ...(pod.uid ? { podUid: pod.uid } : {}),
          ...(pod.node ? { node: pod.node } : {}),
          container: c.name,
          role: c.role,
          state: c.state,
          image: c.image,
          ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
          workload: id,
          ownerVia: owner.via,
          gpu: c.gpu,
        },
      });
    }
    if (started === 0 && pod.containers.length === 0)
      skip("pod without containers", `Pod ${pod.namespace}/${pod.name}`);
  }
  for (const { record, pods: count } of fromPods.values()) {
    const gpu = Object.fromEntries(Object.entries(record.gpu).map(([k, v]) => [k, v * count]));
    workloads.set(record.id, { ...record, gpu, fromPods: count });
  }

  // Write: workloads and policies as createStoreInventory does, images only when absent (a
  // scanned image's asset is the scanner's), containers and edges.
  const assets: AssetInput[] = [
    ...[...workloads.values()].map(
      (w): AssetInput => ({
        id: w.id,
        kind: "workload",
        subkind: w.kind,
        name: `${w.namespace}/${w.name}`,
        properties: { ...w },
      }),
    ),
    ...[...policies.values()].map(
      (p): AssetInput => ({
        id: networkPolicyId(p.namespace, p.name),
        kind: "network-policy",
        subkind: "NetworkPolicy",
        name: `${p.namespace}/${p.name}`,
        properties: { ...p },
      }),
    ),
    ...containers.map(
      ({ record, name }): AssetInput => ({
        id: containerAssetId(record.id),
        kind: "container",
        subkind: record.role,
        name,
        ...(record.imageDigest ? { digest: record.imageDigest } : {}),
        properties: { ...record },
      }),
    ),
  ];
  const images = new Map<string, AssetInput>();
  const edges: EdgeInput[] = [];
  for (const { record } of containers) {
    edges.push({ src: record.workload, dst: containerAssetId(record.id), kind: CLUSTER_EDGE_KINDS.runs });
    if (!record.imageDigest) continue;
    const image = imageAssetId(record.imageDigest);
    edges.push({ src: containerAssetId(record.id), dst: image, kind: CLUSTER_EDGE_KINDS.runsImage });
    if (images.has(image)) continue;
    const ref = parseImageRef(record.image);
    images.set(image, {
      id: image,
      kind: "image",
      name: ref ? `${ref.registry}/${ref.repository}` : record.image || record.imageDigest,
      ...(ref?.tag ? { version: ref.tag } : {}),
      digest: record.imageDigest,
      properties: { reference: record.image, seenIn: "kubernetes" },
    });
  }
  await store.write(async (trx) => {
    const now = Date.now();
    await upsertAssets(trx, assets, now);
    await insertAbsentAssets(trx, [...images.values()], now);
    await upsertEdges(trx, edges, now);
  });

  const scanned = await scannedDigests(
    store,
    [...images.values()].map((i) => i.digest as string),
  );
  const recorded = [...workloads.values(), ...[...placed.values()].filter((w) => !workloads.has(w.id))];
  const gpusByResource: Record<string, number> = {};
  for (const w of recorded)
    for (const [resource, n] of Object.entries(w.gpu)) gpusByResource[resource] = (gpusByResource[resource] ?? 0) + n;
  return {
    objects: objects.length,
    workloads: recorded.length,
    workloadsFromPods: fromPods.size,
    ai: recorded.filter((w) => w.ai).length,
    gpus: Object.values(gpusByResource).reduce((a, b) => a + b, 0),
    gpusByResource,
    networkPolicies: policies.size,
    pods: pods.length,
    containers: new Set(containers.map((c) => c.record.id)).size,
    containersScanned: new Set(
      containers.filter((c) => c.record.imageDigest && scanned.has(c.record.imageDigest)).map((c) => c.record.id),
    ).size,
    images: images.size,
    skipped: [...skipped.values()],
  };
}

/**
 * Which of these digests have a completed stored scan: of the image itself, or of a platform
 * image of it (an index digest, which is what a node pulls for a multi-platform tag).
 */
export async function scannedDigests(store: Store, digests: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < digests.length; i += 500) {
    const ids = digests.slice(i, i + 500).map(imageAssetId);
    if (ids.length === 0) continue;
    const direct = await store.db
      .selectFrom("scans")
      .select("target")
      .where("kind", "=", "image")
      .where("status", "=", "completed")
      .where("target", "in", ids)
      .execute();
    for (const row of direct) out.add(row.target.slice("image:".length));
    const viaPlatform = await store.db
      .selectFrom("edges")
      .innerJoin("scans", "scans.target", "edges.dst")
      .select("edges.src")
      .where("edges.kind", "=", "platform")
      .where("edges.src", "in", ids)
      .where("scans.kind", "=", "image")
      .where("scans.status", "=", "completed")
      .execute();
    for (const row of viaPlatform) out.add(row.src.slice("image:".length));
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
