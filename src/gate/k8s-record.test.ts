import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, it } from "node:test";
import fc from "fast-check";
import { DEFAULT_AI_IMAGES } from "../policy/index.js";
import { openStore, type Store } from "../store/index.js";
import { createStoreInventory } from "./k8s-inventory.js";
import { listClusterInventory, workloadByPod, workloadOfContainer } from "./k8s-lookup.js";
import { type ClusterImportResult, recordClusterObjects } from "./k8s-record.js";

const itemsOf = (file: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as { items: unknown[] }).items;
const ALL = itemsOf("k8s-cluster/kubectl-get-all.json");
const PODS_AND_DEPLOYMENTS = itemsOf("k8s-cluster/kubectl-get-pods-deployments.json");
const VLLM_DIGEST = "sha256:1356c7c3ebfd845f19796bef1e5685b37b1face15b7b26304b5a7e8d6daab07c";
const options = { aiImages: DEFAULT_AI_IMAGES };

/** The runtime id of a fixture pod's container, as a sensor would report it (full 64 hex). */
function runtimeIdOf(items: readonly unknown[], pod: string, container: string): string {
  const object = items.find(
    (o) => (o as { kind: string }).kind === "Pod" && (o as { metadata: { name: string } }).metadata.name === pod,
  ) as { status: Record<string, { name: string; containerID?: string }[]> };
  const all = [...(object.status.containerStatuses ?? []), ...(object.status.initContainerStatuses ?? [])];
  const id = all.find((s) => s.name === container)?.containerID;
  assert.ok(id, `${pod}/${container}`);
  return id;
}

/** An image scan as `palisade scan image` records it: image → component → vulnerability. */
async function recordImageScan(store: Store, digest: string): Promise<void> {
  await store.recordInventory({
    scan: { id: `scan-${digest}`, kind: "image", target: `image:${digest}`, status: "completed", startedAt: 1 },
    assets: [
      {
        id: `image:${digest}`,
        kind: "image",
        name: "ghcr.io/acme/vllm-app",
        version: "v1",
        digest,
        properties: { os: "debian 12", user: "root" },
      },
      {
        id: "pkg:pypi/jinja2@2.10",
        kind: "component",
        subkind: "library",
        name: "jinja2",
        version: "2.10",
        purl: "pkg:pypi/jinja2@2.10",
      },
      { id: "vuln:CVE-2019-10906", kind: "vulnerability", name: "CVE-2019-10906", properties: { severity: "high" } },
    ],
    edges: [
      { src: `image:${digest}`, dst: "pkg:pypi/jinja2@2.10", kind: "contains", properties: { layer: 1 } },
      {
        src: "pkg:pypi/jinja2@2.10",
        dst: "vuln:CVE-2019-10906",
        kind: "affected-by",
        properties: { fixedIn: "2.10.1" },
      },
    ],
    findings: [],
  });
}

describe("recording a cluster from kubectl output", () => {
  let store: Store;
  beforeEach(async () => {
    store = openStore({ location: ":memory:" });
    await store.migrate();
  });
  afterEach(() => store.close());

  it("records workloads, containers, GPUs and AI roles from `kubectl get all -A -o json`", async () => {
    const result = await recordClusterObjects(store, ALL, options);
    assert.deepEqual({ ...result, skipped: result.skipped.map((s) => [s.reason, s.count, s.example]) }, {
      objects: 19,
      workloads: 7,
      workloadsFromPods: 0,
      ai: 3,
      gpus: 3,
      gpusByResource: { "nvidia.com/gpu": 3 },
      networkPolicies: 0,
      pods: 8,
      containers: 8,
      containersScanned: 0,
      images: 7,
      skipped: [
        ["kind not inventoried", 1, "Service ml/vllm"],
        ["container not started (no containerID)", 1, "Pod ml/ollama-5f6d7c8b9-tr5hz container ollama"],
      ],
    } satisfies Omit<ClusterImportResult, "skipped"> & { skipped: unknown[] });
    const workloads = await createStoreInventory(store).workloads();
    assert.deepEqual(workloads.map((w) => [w.id, w.ai ?? "-", JSON.stringify(w.gpu)]).sort(), [
      ["workload:default/Pod/debug-shell", "-", "{}"],
      ["workload:kube-system/DaemonSet/nvidia-device-plugin-daemonset", "-", "{}"],
      ["workload:ml/CronJob/model-sync", "-", "{}"],
      ["workload:ml/Deployment/github-mcp", "mcp", "{}"],
      ["workload:ml/Deployment/ollama", "inference", '{"nvidia.com/gpu":1}'],
      ["workload:ml/Deployment/vllm", "inference", '{"nvidia.com/gpu":2}'],
      ["workload:rag/StatefulSet/qdrant", "-", "{}"],
    ]);
  });

  it("links workload → container → image so the graph reaches a stored scan's vulnerability", async () => {
    await recordImageScan(store, VLLM_DIGEST);
    const result = await recordClusterObjects(store, ALL, options);
    assert.equal(result.containersScanned, 2);
    const reached = await store.reachableFrom("workload:ml/Deployment/vllm");
    assert.deepEqual(
      reached.map((a) => [a.kind, a.depth]).sort(),
      [
        ["component", 3],
        ["container", 1],
        ["container", 1],
        ["image", 2],
        ["vulnerability", 4],
      ].sort(),
    );
    assert.ok(reached.some((a) => a.id === "vuln:CVE-2019-10906"));
    // The scanner's image asset is the scanner's: the import neither renames it nor drops its facts.
    const image = await store.getAsset(`image:${VLLM_DIGEST}`);
    assert.deepEqual(image?.properties, { os: "debian 12", user: "root" });
    const inventory = await listClusterInventory(store, { namespace: "ml" });
    const vllm = inventory.find((w) => w.workload.name === "vllm");
    assert.deepEqual(
      vllm?.entries.map((e) => [e.container, e.scan]),
      [
        [
          "ml/vllm-7d9f8b6c5d-q8wzp/vllm",
          {
            status: "scanned",
            scannedAt: vllm?.entries[0]?.scan.status === "scanned" ? vllm.entries[0].scan.scannedAt : 0,
            vulnerabilities: { high: 1 },
          },
        ],
        [
          "ml/vllm-7d9f8b6c5d-x2x7k/vllm",
          {
            status: "scanned",
            scannedAt: vllm?.entries[1]?.scan.status === "scanned" ? vllm.entries[1].scan.scannedAt : 0,
            vulnerabilities: { high: 1 },
          },
        ],
      ],
    );
    assert.equal(inventory.find((w) => w.workload.name === "github-mcp")?.entries[0]?.scan.status, "not-scanned");
  });

  it("gives an image it has not seen scanned an asset of its own, keyed by digest", async () => {
    await recordClusterObjects(store, ALL, options);
    const image = await store.getAsset(`image:${VLLM_DIGEST}`);
    assert.equal(image?.kind, "image");
    assert.equal(image?.name, "ghcr.io/acme/vllm-app");
    assert.equal(image?.version, "v1");
    assert.equal(image?.digest, VLLM_DIGEST);
    // A scan recorded afterwards joins the same asset.
    await recordImageScan(store, VLLM_DIGEST);
    const inventory = await listClusterInventory(store);
    assert.equal(inventory.find((w) => w.workload.name === "vllm")?.entries[0]?.scan.status, "scanned");
  });

  it("is idempotent: importing the same output twice adds no row", async () => {
    await recordClusterObjects(store, ALL, options);
    const counts = async () => ({ assets: await store.countRows("assets"), edges: await store.countRows("edges") });
    const first = await counts();
    await recordClusterObjects(store, ALL, options);
    assert.deepEqual(await counts(), first);
  });

  it("derives owners from `kubectl get pods,deployments` output, which has no ReplicaSets or Jobs", async () => {
    const result = await recordClusterObjects(store, PODS_AND_DEPLOYMENTS, options);
    assert.equal(result.containers, 8);
    assert.equal(result.workloadsFromPods, 3);
    const vllm = await workloadOfContainer(store, runtimeIdOf(PODS_AND_DEPLOYMENTS, "vllm-7d9f8b6c5d-x2x7k", "vllm"));
    assert.equal(vllm?.workload, "workload:ml/Deployment/vllm");
    assert.equal(vllm?.ownerVia, "pod-template-hash");
    // The StatefulSet is known only from its pod: its template and GPUs are the pod's.
    const qdrant = await workloadOfContainer(store, runtimeIdOf(PODS_AND_DEPLOYMENTS, "qdrant-0", "qdrant"));
    assert.equal(qdrant?.workloadRecord.kind, "StatefulSet");
    assert.equal(qdrant?.workloadRecord.fromPods, 1);
    assert.deepEqual(qdrant?.workloadRecord.ports, [6333, 6334]);
    // A Job whose CronJob is not known stays a Job.
    const sync = await workloadOfContainer(
      store,
      runtimeIdOf(PODS_AND_DEPLOYMENTS, "model-sync-28845120-9xk2p", "sync"),
    );
    assert.equal(sync?.workload, "workload:ml/Job/model-sync-28845120");
  });

  it("places pods under a workload recorded earlier (by admission or another import)", async () => {
    const cronJob = ALL.filter((o) => (o as { kind: string }).kind === "CronJob");
    await recordClusterObjects(store, cronJob, options);
    const pods = ALL.filter((o) => (o as { kind: string }).kind === "Pod");
    const result = await recordClusterObjects(store, pods, options);
    const sync = await workloadOfContainer(store, runtimeIdOf(ALL, "model-sync-28845120-9xk2p", "sync"));
    assert.equal(sync?.workload, "workload:ml/CronJob/model-sync");
    assert.equal(sync?.ownerVia, "cronjob-name");
    // The recorded CronJob is not overwritten by one derived from its pod.
    assert.equal(sync?.workloadRecord.fromPods, undefined);
    assert.ok(result.workloadsFromPods < 7);
  });
});

describe("runtime correlation lookups", () => {
  let store: Store;
  beforeEach(async () => {
    store = openStore({ location: ":memory:" });
    await store.migrate();
    await recordClusterObjects(store, ALL, options);
  });
  afterEach(() => store.close());

  it("finds the workload of a container by the id a sensor reports, in any of its forms", async () => {
    const runtimeId = runtimeIdOf(ALL, "vllm-7d9f8b6c5d-x2x7k", "vllm");
    const hex = runtimeId.slice("containerd://".length);
    for (const id of [runtimeId, hex, hex.slice(0, 12), hex.toUpperCase()]) {
      const placement = await workloadOfContainer(store, id);
      assert.equal(placement?.id, hex.slice(0, 12), id);
      assert.equal(placement?.namespace, "ml");
      assert.equal(placement?.pod, "vllm-7d9f8b6c5d-x2x7k");
      assert.equal(placement?.node, "gpu-node-1");
      assert.equal(placement?.container, "vllm");
      assert.equal(placement?.image, "ghcr.io/acme/vllm-app:v1");
      assert.equal(placement?.imageDigest, VLLM_DIGEST);
      assert.equal(placement?.workloadRecord.kind, "Deployment");
      assert.equal(placement?.workloadRecord.name, "vllm");
      assert.equal(placement?.workloadRecord.ai, "inference");
      assert.deepEqual(placement?.workloadRecord.gpu, { "nvidia.com/gpu": 2 });
    }
  });

  it("finds init containers, and answers undefined for unknown or malformed ids", async () => {
    const init = await workloadOfContainer(store, runtimeIdOf(ALL, "ollama-5f6d7c8b9-tr5hz", "pull-model"));
    assert.equal(init?.role, "init");
    assert.equal(init?.workloadRecord.name, "ollama");
    for (const id of ["0123456789ab", "", "containerd://", "not-an-id", "'; drop table assets; --"])
      assert.equal(await workloadOfContainer(store, id), undefined, id);
  });

  it("finds a pod's workload and containers by namespace and name", async () => {
    const placement = await workloadByPod(store, "ml", "ollama-5f6d7c8b9-tr5hz");
    assert.equal(placement?.workloadRecord.id, "workload:ml/Deployment/ollama");
    assert.equal(placement?.node, "gpu-node-1");
    assert.deepEqual(
      placement?.containers.map((c) => c.container),
      ["pull-model"],
    );
    const mcp = await workloadByPod(store, "ml", "github-mcp-6b7c9d8f4-lm2vx");
    assert.equal(mcp?.workloadRecord.ai, "mcp");
    // A prefix of a pod name is not the pod.
    assert.equal(await workloadByPod(store, "ml", "vllm-7d9f8b6c5d"), undefined);
    assert.equal(await workloadByPod(store, "rag", "vllm-7d9f8b6c5d-x2x7k"), undefined);
    assert.equal(await workloadByPod(store, "ml/x", "y"), undefined);
  });
});

describe("hostile input", () => {
  let store: Store;
  beforeEach(async () => {
    store = openStore({ location: ":memory:" });
    await store.migrate();
  });
  afterEach(() => store.close());

  it("skips objects of the wrong types with a counted reason", async () => {
    const result = await recordClusterObjects(store, itemsOf("k8s-hostile/wrong-types.json"), options);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.reason, s.count]));
    assert.deepEqual(reasons, {
      "not a Kubernetes object (no kind)": 5,
      "no valid metadata.name or metadata.namespace": 4,
      "spec.containers is not a list": 1,
      "spec.containers has an entry that is not an object": 1,
      "pod status.containerStatuses is not a list": 1,
      "container not started (no containerID)": 1,
      "workload template: spec.containers is not a list": 1,
      "workload template: spec.containers[].ports is not a list": 1,
      "workload without a pod template": 1,
      "kind not inventoried": 1,
    });
    // What could be read was recorded: the pod whose owner reference has no name, and the policy.
    assert.equal(result.containers, 1);
    assert.equal(result.networkPolicies, 1);
    const placement = await workloadOfContainer(store, "0123456789ab");
    assert.equal(placement?.workloadRecord.kind, "Pod");
    assert.equal(placement?.image, "");
  });

  it("records what it can of objects with missing fields", async () => {
    const result = await recordClusterObjects(store, itemsOf("k8s-hostile/missing-fields.json"), options);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.reason, s.count]));
    assert.deepEqual(reasons, {
      "no valid metadata.name or metadata.namespace": 2,
      "pod without spec": 1,
      "container not started (no containerID)": 2,
      "pod without containers": 1,
      "workload without a pod template": 2,
    });
    // A pod without a namespace is in `default`, as kubectl would have it.
    assert.equal((await workloadOfContainer(store, "fedcba987654"))?.namespace, "default");
  });

  it("never throws on arbitrary JSON objects (property)", async () => {
    const kind = fc.constantFrom("Pod", "Deployment", "ReplicaSet", "Job", "CronJob", "NetworkPolicy", "Service");
    const object = fc.record({
      kind,
      metadata: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({
          name: fc.constantFrom("a", "b-1", "c"),
          namespace: fc.constantFrom("ml", "default"),
          ownerReferences: fc.jsonValue({ maxDepth: 3 }),
          labels: fc.jsonValue({ maxDepth: 2 }),
        }),
      ),
      spec: fc.jsonValue({ maxDepth: 5 }),
      status: fc.jsonValue({ maxDepth: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(object, fc.jsonValue({ maxDepth: 2 })), { maxLength: 12 }), async (items) => {
        const result = await recordClusterObjects(store, items, options);
        assert.equal(result.objects, items.length);
      }),
      { numRuns: 150 },
    );
  });

  it("records a large cluster in one pass (3,000 pods)", async () => {
    const pods = Array.from({ length: 3000 }, (_, i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `web-5d8f7c6b9-${i}`,
        namespace: `team-${i % 30}`,
        labels: { "pod-template-hash": "5d8f7c6b9" },
        ownerReferences: [{ kind: "ReplicaSet", name: "web-5d8f7c6b9", controller: true }],
      },
      spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      status: {
        containerStatuses: [
          {
            name: "web",
            containerID: `containerd://${i.toString(16).padStart(12, "0")}${"a".repeat(52)}`,
            imageID: `docker.io/library/nginx@sha256:${"b".repeat(64)}`,
            state: { running: {} },
          },
        ],
      },
    }));
    const started = performance.now();
    const result = await recordClusterObjects(store, pods, options);
    const took = performance.now() - started;
    assert.equal(result.containers, 3000);
    assert.equal(result.workloads, 30);
    assert.equal(result.workloadsFromPods, 30);
    assert.equal(result.images, 1);
    const placement = await workloadOfContainer(store, (2999).toString(16).padStart(12, "0"));
    assert.equal(placement?.workload, "workload:team-29/Deployment/web");
    assert.ok(took < 20_000, `took ${took} ms`);
  });
});
