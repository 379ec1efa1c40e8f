/**
 * Reading the cluster inventory back: which workload a container id belongs to (what runtime
 * correlation asks for every sensor event, so each lookup is one indexed query: the container by
 * its asset id, its workload through the `edges_dst` index), the containers of a pod, and the
 * whole inventory with each image's stored scan for `palisade k8s inventory`.
 */
import { SEVERITIES, type Severity } from "../core/index.js";
import type { Store } from "../store/index.js";
import { createStoreInventory, type WorkloadRecord } from "./k8s-inventory.js";
import { parseImageRef } from "./k8s-objects.js";
import { normaliseContainerId } from "./k8s-pods.js";
import { CLUSTER_EDGE_KINDS, type ContainerRecord, containerAssetId } from "./k8s-record.js";
import { createStoredScans } from "./stored-scans.js";

/** A container and the workload it belongs to: the answer to "where did this event happen?". */
export interface ContainerPlacement extends ContainerRecord {
  /** The workload's record (kind, name, AI role, GPUs, images). */
  workloadRecord: WorkloadRecord;
}

/** A pod's workload and its recorded containers. */
export interface PodPlacement {
  namespace: string;
  pod: string;
  node?: string;
  workloadRecord: WorkloadRecord;
  containers: ContainerRecord[];
}

/**
 * The workload running a container, by the id a runtime sensor reports (12 to 64 hex digits, with
 * or without `containerd://`); undefined when the id is unknown or malformed.
 */
export async function workloadOfContainer(
  store: Pick<Store, "db">,
  containerId: string,
): Promise<ContainerPlacement | undefined> {
  const key = normaliseContainerId(containerId);
  if (!key) return undefined;
  const row = await store.db
    .selectFrom("assets as c")
    .innerJoin("edges as e", (join) => join.onRef("e.dst", "=", "c.id").on("e.kind", "=", CLUSTER_EDGE_KINDS.runs))
    .innerJoin("assets as w", "w.id", "e.src")
    .select(["c.properties as container", "w.properties as workload"])
    .where("c.id", "=", containerAssetId(key))
    .where("w.kind", "=", "workload")
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...(parseObject(row.container) as unknown as ContainerRecord),
    workloadRecord: parseObject(row.workload) as unknown as WorkloadRecord,
  };
}

/**
 * The workload of a pod and its recorded containers (those that had started when imported), by
 * namespace and pod name; one range read on the (kind, name) index of assets.
 */
export async function workloadByPod(store: Store, namespace: string, pod: string): Promise<PodPlacement | undefined> {
  if (namespace.includes("/") || pod.includes("/")) return undefined;
  const prefix = `${namespace}/${pod}/`;
  const rows = await store.db
    .selectFrom("assets")
    .select(["properties"])
    .where("kind", "=", "container")
    // `/` + 1 is `0`: the range [prefix, NAMESPACE/POD0) holds exactly the names under the prefix.
    .where("name", ">=", prefix)
    .where("name", "<", `${namespace}/${pod}0`)
    .orderBy("name")
    .limit(1024)
    .execute();
  const containers = rows.map((r) => parseObject(r.properties) as unknown as ContainerRecord);
  const first = containers[0];
  if (!first) return undefined;
  const workload = await store.getAsset(first.workload);
  if (!workload) return undefined;
  return {
    namespace,
    pod,
    ...(first.node ? { node: first.node } : {}),
    workloadRecord: workload.properties as unknown as WorkloadRecord,
    containers,
  };
}

/** What the store knows about the image a container runs. */
export type ImageScanStatus =
  | { status: "scanned"; scannedAt: number; vulnerabilities: Partial<Record<Severity, number>> }
  | { status: "not-scanned" }
  | { status: "no-digest" };

/** A container, or an image of a workload's template when no container of it was imported. */
export interface InventoryEntry {
  /** `NAMESPACE/POD/CONTAINER`; absent for a template image. */
  container?: string;
  /** Runtime id (12 hex). */
  id?: string;
  role?: ContainerRecord["role"];
  state?: ContainerRecord["state"];
  node?: string;
  image: string;
  imageDigest?: string;
  scan: ImageScanStatus;
}

/** One workload of the inventory with its containers and their images' stored scans. */
export interface InventoryWorkload {
  workload: WorkloadRecord;
  entries: InventoryEntry[];
}

/**
 * The cluster inventory (optionally one namespace): workloads → containers → image digests →
 * stored scans with vulnerability counts by severity. Each distinct digest is looked up once.
 */
export async function listClusterInventory(
  store: Store,
  options: { namespace?: string } = {},
): Promise<InventoryWorkload[]> {
  const workloads = await createStoreInventory(store).workloads(options.namespace);
  workloads.sort((a, b) => a.id.localeCompare(b.id));
  const byWorkload = new Map<string, ContainerRecord[]>();
  const ids = workloads.map((w) => w.id);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store.db
      .selectFrom("edges")
      .innerJoin("assets", "assets.id", "edges.dst")
      .select(["edges.src", "assets.name", "assets.properties"])
      .where("edges.kind", "=", CLUSTER_EDGE_KINDS.runs)
      .where("edges.src", "in", ids.slice(i, i + 500))
      .where("assets.kind", "=", "container")
      .orderBy("assets.name")
      .execute();
    for (const row of rows) {
      const list = byWorkload.get(row.src) ?? [];
      list.push(parseObject(row.properties) as unknown as ContainerRecord);
      byWorkload.set(row.src, list);
    }
  }
  const storedScans = createStoredScans(store);
  const statuses = new Map<string, Promise<ImageScanStatus>>();
  const statusOf = (digest: string | undefined): Promise<ImageScanStatus> => {
    if (!digest) return Promise.resolve({ status: "no-digest" });
    let status = statuses.get(digest);
    if (!status) {
      status = storedScans(digest).then((scan): ImageScanStatus => {
        if (!scan) return { status: "not-scanned" };
        const vulnerabilities: Partial<Record<Severity, number>> = {};
        const seen = new Set<string>();
        for (const v of scan.input.vulnerabilities ?? []) {
          const key = `${v.id} ${v.purl}`;
          if (seen.has(key)) continue;
          seen.add(key);
          vulnerabilities[v.severity] = (vulnerabilities[v.severity] ?? 0) + 1;
        }
        return { status: "scanned", scannedAt: scan.scannedAt, vulnerabilities };
      });
      statuses.set(digest, status);
    }
    return status;
  };
  const out: InventoryWorkload[] = [];
  for (const workload of workloads) {
    const containers = byWorkload.get(workload.id) ?? [];
    const entries: InventoryEntry[] = [];
    for (const c of containers)
      entries.push({
        container: `${c.namespace}/${c.pod}/${c.container}`,
        id: c.id,
        role: c.role,
        state: c.state,
        ...(c.node ? { node: c.node } : {}),
        image: c.image,
        ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
        scan: await statusOf(c.imageDigest),
      });
    if (containers.length === 0)
      for (const image of workload.images ?? []) {
        const digest = parseImageRef(image)?.digest;
        entries.push({ image, ...(digest ? { imageDigest: digest } : {}), scan: await statusOf(digest) });
      }
    out.push({ workload, entries });
  }
  return out;
}

/** Vulnerability counts as `1 critical, 2 high`, most severe first. */
export function formatSeverityCounts(counts: Partial<Record<Severity, number>>): string {
  const parts = SEVERITIES.flatMap((s) => ((counts[s] ?? 0) > 0 ? [`${counts[s]} ${s}`] : []));
  return parts.length > 0 ? parts.join(", ") : "no vulnerabilities";
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
