import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PalisadeError } from "../core/index.js";
import { DEFAULT_AI_IMAGES } from "../policy/index.js";
import { openStore } from "../store/index.js";
import { type FakeKubeApi, startFakeKubeApi } from "./fixtures/k8s-fake-api.js";
import { CLUSTER_RESOURCES, listClusterObjects } from "./k8s-api.js";
import { recordClusterObjects } from "./k8s-record.js";

const FIXTURE = new URL("./fixtures/k8s-cluster/kubectl-get-all.json", import.meta.url);
const objects = (JSON.parse(readFileSync(FIXTURE, "utf8")) as { items: Record<string, unknown>[] }).items;
const TOKEN = "palisade-inventory-token-3f9a";
const dir = mkdtempSync(join(tmpdir(), "palisade-k8s-api-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const kubeconfigFile = (api: FakeKubeApi, options: { token?: string; context?: string } = {}) => {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, api.kubeconfig(options));
  return file;
};
const rejectsWith = async (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (error: unknown) => error instanceof PalisadeError && error.code === code);

describe("listing workloads from the Kubernetes API", () => {
  let api: FakeKubeApi;
  before(async () => {
    api = await startFakeKubeApi({ objects, token: TOKEN, maxPage: 2 });
  });
  after(() => api.close());

  it("lists every resource in every namespace, page by page, with the kubeconfig's bearer token over its CA", async () => {
    api.requests.length = 0;
    const listing = await listClusterObjects({ kubeconfig: kubeconfigFile(api), pageSize: 2 });
    assert.equal(listing.server, api.url);
    assert.equal(listing.context, "fake");
    assert.deepEqual(listing.errors, []);
    const served = objects.filter((o) => CLUSTER_RESOURCES.some((r) => r.kind === o.kind));
    assert.equal(listing.objects.length, served.length);
    // Items come back without kind; the listing restores it from the resource.
    assert.deepEqual(listing.objects.map((o) => o.kind).sort(), served.map((o) => o.kind).sort());
    assert.ok(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    assert.ok(api.requests.some((r) => r.path.startsWith("/api/v1/pods?limit=2")));
    assert.ok(api.requests.some((r) => r.path.startsWith("/apis/apps/v1/deployments?")));
    assert.ok(api.requests.some((r) => r.path.startsWith("/apis/batch/v1/cronjobs?")));
    assert.ok(api.requests.some((r) => r.path.startsWith("/apis/networking.k8s.io/v1/networkpolicies?")));
    // 8 pods in pages of 2: the continue token is followed to the end.
    assert.equal(api.requests.filter((r) => r.path.startsWith("/api/v1/pods?")).length, 4);
    assert.ok(api.requests.some((r) => r.path.includes("continue=")));
  });

  it("records what it listed exactly as it records the same objects from kubectl output", async () => {
    const listing = await listClusterObjects({ kubeconfig: kubeconfigFile(api) });
    const fromApi = openStore({ location: ":memory:" });
    const fromFile = openStore({ location: ":memory:" });
    try {
      await fromApi.migrate();
      await fromFile.migrate();
      const a = await recordClusterObjects(fromApi, listing.objects, { aiImages: DEFAULT_AI_IMAGES });
      const b = await recordClusterObjects(fromFile, objects, { aiImages: DEFAULT_AI_IMAGES });
      // The file also holds a Service, which the API listing does not ask for.
      assert.deepEqual(
        { ...a, objects: 0, skipped: a.skipped.filter((s) => s.reason !== "kind not inventoried") },
        { ...b, objects: 0, skipped: b.skipped.filter((s) => s.reason !== "kind not inventoried") },
      );
      assert.equal(a.containers, 8);
    } finally {
      await fromApi.close();
      await fromFile.close();
    }
  });

  it("lists one namespace through the namespaced paths", async () => {
    api.requests.length = 0;
    const listing = await listClusterObjects({ kubeconfig: kubeconfigFile(api), namespace: "rag" });
    assert.deepEqual(listing.objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort(), [
      "Pod/qdrant-0",
      "StatefulSet/qdrant",
    ]);
    assert.ok(api.requests.every((r) => r.path.includes("/namespaces/rag/")));
  });

  it("uses the context it is given, and refuses one the kubeconfig lacks", async () => {
    const file = kubeconfigFile(api, { context: "prod" });
    assert.equal((await listClusterObjects({ kubeconfig: file, context: "prod" })).context, "prod");
    await rejectsWith(listClusterObjects({ kubeconfig: file, context: "staging" }), "bad-config");
  });

  it("refuses a kubeconfig it cannot read", async () => {
    await rejectsWith(listClusterObjects({ kubeconfig: join(dir, "missing") }), "bad-config");
    const broken = join(dir, "broken");
    writeFileSync(broken, "clusters: [ {");
    await rejectsWith(listClusterObjects({ kubeconfig: broken }), "bad-config");
  });

  it("fails when the server refuses every list (a wrong token), naming the server, never the token", async () => {
    await assert.rejects(
      listClusterObjects({ kubeconfig: kubeconfigFile(api, { token: "wrong-token-x" }) }),
      (error: unknown) =>
        error instanceof PalisadeError &&
        error.code === "upstream-unavailable" &&
        error.message.includes(api.url) &&
        error.message.includes("401") &&
        !error.message.includes("wrong-token-x"),
    );
  });

  it("fails on a server whose certificate the kubeconfig's CA did not sign", async () => {
    const file = join(dir, "no-ca");
    writeFileSync(file, api.kubeconfig().replace(/certificate-authority-data: .*/, "insecure-skip-tls-verify: false"));
    await rejectsWith(listClusterObjects({ kubeconfig: file }), "upstream-unavailable");
  });

  it("fails on an answer larger than its limit instead of buffering it", async () => {
    await rejectsWith(
      listClusterObjects({ kubeconfig: kubeconfigFile(api), maxResponseBytes: 1024 }),
      "upstream-unavailable",
    );
  });

  it("fails when the server is not there", async () => {
    const gone = await startFakeKubeApi({ objects: [], token: TOKEN });
    const file = kubeconfigFile(gone);
    await gone.close();
    await rejectsWith(listClusterObjects({ kubeconfig: file, timeoutMs: 5_000 }), "upstream-unavailable");
  });
});

describe("lists the API cannot give", () => {
  it("goes on without a list RBAC forbids, and reports it", async () => {
    const api = await startFakeKubeApi({ objects, token: TOKEN, forbidden: ["cronjobs", "jobs"] });
    try {
      const listing = await listClusterObjects({ kubeconfig: kubeconfigFile(api) });
      assert.deepEqual(
        listing.errors.map((e) => e.resource),
        ["jobs", "cronjobs"],
      );
      assert.match(listing.errors[0]?.reason ?? "", /^HTTP 403: jobs is forbidden/);
      assert.ok(listing.objects.some((o) => o.kind === "Pod"));
      assert.ok(!listing.objects.some((o) => o.kind === "CronJob"));
    } finally {
      await api.close();
    }
  });

  for (const [name, rawBody] of [
    ["not JSON", "<html>proxy error</html>"],
    ["not a List", JSON.stringify({ kind: "PodList", items: "none" })],
  ] as const)
    it(`fails when every answer is ${name}`, async () => {
      const api = await startFakeKubeApi({ objects, token: TOKEN, rawBody });
      try {
        await rejectsWith(listClusterObjects({ kubeconfig: kubeconfigFile(api) }), "upstream-unavailable");
      } finally {
        await api.close();
      }
    });
});
