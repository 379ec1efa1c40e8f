/**
 * What runs in the cluster, as admission and the NetworkPolicy generator see it: workloads (with
 * their GPU requests and AI role) and NetworkPolicies, recorded when admitted (or imported from
 * `kubectl get -o json`) and removed when deleted. Two implementations: in memory (tests,
 * offline review) and the store (assets of kind `workload` and `network-policy`).
 */

import { podTemplateOf } from "../policy/index.js";
import type { AssetRecord, Store } from "../store/index.js";
import {
  type AiRole,
  aiRoleOf,
  controllerOf,
  gpuRequestsOf,
  imagesOf,
  isWorkloadKind,
  metadataOf,
  podLabelsOf,
} from "./k8s-objects.js";

/** A workload in the inventory: top-level objects only (a Deployment, not its ReplicaSets and Pods). */
export interface WorkloadRecord {
  /** `workload:NAMESPACE/KIND/NAME`. */
  id: string;
  namespace: string;
  kind: string;
  name: string;
  /** Labels of its pods, which NetworkPolicies select on. */
  podLabels: Record<string, string>;
  /** GPUs it holds, per resource (per pod × replicas). */
  gpu: Record<string, number>;
  ai?: AiRole;
  images: string[];
  /** Container ports its pods listen on. */
  ports: number[];
  /**
   * Set when the controller itself was not imported: the workload is known from this many of its
   * pods (its template is theirs; its GPUs are theirs summed).
   */
  fromPods?: number;
}

/** A label selector (matchLabels and matchExpressions), as NetworkPolicies use it. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface NetworkPolicyRecord {
  /** `network-policy:NAMESPACE/NAME`. */
  id: string;
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  policyTypes: string[];
}

/** The inventory of cluster objects admission reads and writes. */
export interface ClusterInventory {
  workloads(namespace?: string): Promise<WorkloadRecord[]>;
  networkPolicies(namespace: string): Promise<NetworkPolicyRecord[]>;
  put(record: WorkloadRecord | NetworkPolicyRecord): Promise<void>;
  remove(id: string): Promise<void>;
}

export const workloadId = (namespace: string, kind: string, name: string) => `workload:${namespace}/${kind}/${name}`;
export const networkPolicyId = (namespace: string, name: string) => `network-policy:${namespace}/${name}`;

/**
 * What an object means to the inventory: a workload record, a NetworkPolicy record, or nothing
 * (other kinds, and objects a recorded controller already accounts for).
 */
export function toInventoryRecord(
  object: Record<string, unknown>,
  options: { namespace: string; aiImages: readonly string[] },
): WorkloadRecord | NetworkPolicyRecord | undefined {
  const { name } = metadataOf(object);
  const namespace = options.namespace;
  if (object.kind === "NetworkPolicy") {
    const spec = (object.spec ?? {}) as { podSelector?: unknown; policyTypes?: unknown };
    return {
      id: networkPolicyId(namespace, name),
      namespace,
      name,
      podSelector: toSelector(spec.podSelector),
      policyTypes: Array.isArray(spec.policyTypes)
        ? spec.policyTypes.filter((t) => typeof t === "string")
        : ["Ingress"],
    };
  }
  if (!isWorkloadKind(object.kind)) return undefined;
  const template = podTemplateOf(object);
  if (!template) return undefined;
  const ai = aiRoleOf(object, options.aiImages);
  const ports = template.spec.containers?.flatMap((c) =>
    Array.isArray(c.ports)
      ? c.ports.flatMap((p) => {
          const port = (p as { containerPort?: unknown } | null)?.containerPort;
          return typeof port === "number" && Number.isInteger(port) ? [port] : [];
        })
      : [],
  );
  return {
    id: workloadId(namespace, object.kind, name),
    namespace,
    kind: object.kind,
    name,
    podLabels: podLabelsOf(object),
    gpu: gpuRequestsOf(object),
    ...(ai ? { ai } : {}),
    images: imagesOf(template.spec),
    ports: [...new Set(ports ?? [])],
  };
}

/** Does a selector select these labels? An empty selector selects every pod (Kubernetes semantics). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    const ok =
      e.operator === "In"
        ? has && values.includes(value as string)
        : e.operator === "NotIn"
          ? !has || !values.includes(value as string)
          : e.operator === "Exists"
            ? has
            : e.operator === "DoesNotExist"
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Whether a controller of the object is recorded (its GPUs and policy are then accounted there). */
export async function ownerRecorded(
  inventory: ClusterInventory,
  object: Record<string, unknown>,
  namespace: string,
): Promise<boolean> {
  const owner = controllerOf(object);
  if (!owner) return false;
  const all = await inventory.workloads(namespace);
  if (all.some((w) => w.kind === owner.kind && w.name === owner.name)) return true;
  // A Pod of a ReplicaSet of a recorded Deployment: ReplicaSets are named DEPLOYMENT-HASH.
  if (owner.kind === "ReplicaSet")
    return all.some((w) => w.kind === "Deployment" && owner.name.startsWith(`${w.name}-`));
  if (owner.kind === "Job") return all.some((w) => w.kind === "CronJob" && owner.name.startsWith(`${w.name}-`));
  return false;
}

/** An inventory held in memory: for tests, benchmarks and offline review. */
export function createMemoryInventory(
  records: readonly (WorkloadRecord | NetworkPolicyRecord)[] = [],
): ClusterInventory {
  const byId = new Map(records.map((r) => [r.id, r]));
  const isWorkload = (r: WorkloadRecord | NetworkPolicyRecord): r is WorkloadRecord => r.id.startsWith("workload:");
  return {
    async workloads(namespace) {
      return [...byId.values()].filter(isWorkload).filter((w) => namespace === undefined || w.namespace === namespace);
    },
    async networkPolicies(namespace) {
      return [...byId.values()].filter((r): r is NetworkPolicyRecord => !isWorkload(r) && r.namespace === namespace);
    },
    async put(record) {
      byId.set(record.id, record);
    },
    async remove(id) {
      byId.delete(id);
    },
  };
}

/** The inventory in the store: assets named `NAMESPACE/NAME`, the record in their properties. */
export function createStoreInventory(store: Store): ClusterInventory {
  const inNamespace = async (kind: "workload" | "network-policy", namespace?: string): Promise<AssetRecord[]> => {
    let query = store.db.selectFrom("assets").selectAll().where("kind", "=", kind);
    // Names start with `NAMESPACE/`: a range keeps the (kind, name) index usable on both dialects.
    if (namespace !== undefined) query = query.where("name", ">=", `${namespace}/`).where("name", "<", `${namespace}0`);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      name: row.name,
      subkind: row.subkind,
      version: row.version,
      purl: row.purl,
      digest: row.digest,
      properties: parseProperties(row.properties),
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
    }));
  };
  return {
    async workloads(namespace) {
      return (await inNamespace("workload", namespace)).map((a) => a.properties as unknown as WorkloadRecord);
    },
    async networkPolicies(namespace) {
      return (await inNamespace("network-policy", namespace)).map(
        (a) => a.properties as unknown as NetworkPolicyRecord,
      );
    },
    async put(record) {
      const workload = record.id.startsWith("workload:");
      await store.upsertAsset({
        id: record.id,
        kind: workload ? "workload" : "network-policy",
        subkind: workload ? (record as WorkloadRecord).kind : "NetworkPolicy",
        name: `${record.namespace}/${record.name}`,
        properties: { ...record },
      });
    },
    async remove(id) {
      await store.write(async (trx) => {
        await trx
          .deleteFrom("edges")
          .where((eb) => eb.or([eb("src", "=", id), eb("dst", "=", id)]))
          .execute();
        await trx.deleteFrom("assets").where("id", "=", id).execute();
      });
    },
  };
}

function parseProperties(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toSelector(value: unknown): LabelSelector {
  if (typeof value !== "object" || value === null) return {};
  const v = value as { matchLabels?: unknown; matchExpressions?: unknown };
  const matchLabels =
    typeof v.matchLabels === "object" && v.matchLabels !== null
      ? Object.fromEntries(Object.entries(v.matchLabels).filter((e): e is [string, string] => typeof e[1] === "string"))
      : undefined;
  const matchExpressions = Array.isArray(v.matchExpressions)
    ? v.matchExpressions.flatMap((e) => {
        const x = e as { key?: unknown; operator?: unknown; values?: unknown } | null;
        if (!x || typeof x.key !== "string" || typeof x.operator !== "string") return [];
        const values = Array.isArray(x.values) ? x.values.filter((s): s is string => typeof s === "string") : undefined;
        return [{ key: x.key, operator: x.operator, ...(values ? { values } : {}) }];
      })
    : undefined;
  return { ...(matchLabels ? { matchLabels } : {}), ...(matchExpressions ? { matchExpressions } : {}) };
}
