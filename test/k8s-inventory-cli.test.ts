/**
 * `palisade k8s import` and `palisade k8s inventory` as users run them: kubectl output from a
 * file or stdin, or the Kubernetes API (a fake API server on loopback, over TLS, with a bearer
 * token); the containers join the stored scan of the image they run (`scan image` of the example
 * image, whose digest the vLLM pods run).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type FakeKubeApi, startFakeKubeApi } from "../src/gate/fixtures/k8s-fake-api.js";
import { runCli } from "./helpers/cli.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = join(ROOT, "src/gate/fixtures");
const ALL = join(FIXTURES, "k8s-cluster/kubectl-get-all.json");
const PODS_AND_DEPLOYMENTS = join(FIXTURES, "k8s-cluster/kubectl-get-pods-deployments.json");
const EXAMPLE_IMAGE = `oci:${join(ROOT, "examples/image/layout")}:v1`;
const ADVISORIES = join(ROOT, "examples/advisories");
const TOKEN = "k8s-cli-token-71c2";

const dir = mkdtempSync(join(tmpdir(), "palisade-k8s-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshDb = () => join(dir, `store-${n++}.db`);
const run = (args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(args, { timeoutMs: 60_000, ...options });

interface ImportJson {
  workloads: number;
  containers: number;
  containersScanned: number;
  gpus: number;
  ai: number;
  skipped: { reason: string; count: number }[];
  listErrors: { resource: string }[];
}

describe("palisade k8s import from kubectl output", () => {
  it("records workloads, containers, GPUs and AI workloads, and says what it skipped", async () => {
    const result = await run(["--db", freshDb(), "k8s", "import", ALL]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `${ALL}: recorded 7 workloads, 8 containers (0 with stored scans), 3 GPUs requested, 3 AI workloads, 0 NetworkPolicies\n` +
        `${ALL}: skipped 2: 1 × kind not inventoried, e.g. Service ml/vllm; 1 × container not started (no containerID), e.g. Pod ml/ollama-5f6d7c8b9-tr5hz container ollama\n`,
    );
  });

  it("joins containers to the stored scan of the image they run, and lists them by workload", async () => {
    const db = freshDb();
    const scan = await run(["--db", db, "scan", "image", EXAMPLE_IMAGE, "--advisories", ADVISORIES]);
    assert.equal(scan.code, 0, scan.stderr);
    const imported = await run(["--db", db, "k8s", "import", ALL, "--format", "json"]);
    assert.equal(imported.code, 0, imported.stderr);
    const counts = JSON.parse(imported.stdout) as ImportJson;
    assert.equal(counts.containersScanned, 2);

    const table = await run(["--db", db, "k8s", "inventory", "--namespace", "ml"]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^NAMESPACE +WORKLOAD +AI +GPU +POD\/CONTAINER +IMAGE +DIGEST +SCAN$/);
    const vllm = lines.filter((l) => l.includes("Deployment/vllm"));
    assert.equal(vllm.length, 2);
    for (const line of vllm) {
      assert.match(line, /inference +2 nvidia\.com\/gpu +vllm-7d9f8b6c5d-[a-z0-9]+\/vllm/);
      assert.match(line, /sha256:1356c7c3ebfd +scanned: 1 high$/);
    }
    assert.match(table.stdout, /Deployment\/github-mcp +mcp +- .* not scanned\n/);
    assert.match(table.stdout, /ollama-5f6d7c8b9-tr5hz\/pull-model \(init\)/);
    assert.doesNotMatch(table.stdout, /qdrant/, "--namespace ml leaves rag out");

    const json = await run(["--db", db, "k8s", "inventory", "--format", "json"]);
    const { workloads } = JSON.parse(json.stdout) as {
      workloads: { workload: { id: string }; entries: { id?: string; scan: { status: string } }[] }[];
    };
    assert.equal(workloads.length, 7);
    const entry = workloads.find((w) => w.workload.id === "workload:ml/Deployment/vllm")?.entries[0];
    assert.match(entry?.id ?? "", /^[0-9a-f]{12}$/);
    assert.equal(entry?.scan.status, "scanned");
  });

  it("reads `kubectl get pods,deployments -A -o json` from stdin, deriving owners it is not given", async () => {
    const result = await run(["--db", freshDb(), "k8s", "import", "-", "--format", "json"], {
      stdin: readFileSync(PODS_AND_DEPLOYMENTS, "utf8"),
    });
    assert.equal(result.code, 0, result.stderr);
    const counts = JSON.parse(result.stdout) as ImportJson & { workloadsFromPods: number };
    assert.equal(counts.workloads, 7);
    assert.equal(counts.workloadsFromPods, 3);
    assert.equal(counts.containers, 8);
    assert.equal(counts.gpus, 3);
  });

  it("reads YAML too (kubectl get -o yaml)", async () => {
    const yaml = join(dir, "pod.yaml");
    writeFileSync(
      yaml,
      `apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: default }
spec: { containers: [ { name: sh, image: busybox:1.36 } ] }
status:
  containerStatuses:
    - name: sh
      containerID: containerd://${"ab".repeat(32)}
      imageID: docker.io/library/busybox@sha256:${"cd".repeat(32)}
      state: { running: {} }
`,
    );
    const result = await run(["--db", freshDb(), "k8s", "import", yaml]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /recorded 1 workloads, 1 containers \(0 with stored scans\)/);
  });

  it("records what it can of hostile input and counts the rest", async () => {
    const result = await run(["--db", freshDb(), "k8s", "import", join(FIXTURES, "k8s-hostile/wrong-types.json")]);
    assert.equal(result.code, 0, result.stderr);
    // Recorded: the two pods that could be read (one not started yet) and the NetworkPolicy.
    assert.match(
      result.stdout,
      /recorded 2 workloads, 1 containers .* 1 NetworkPolicies\n.*skipped 17: 5 × not a Kubernetes object/,
    );
  });
});

describe("palisade k8s import bad input", () => {
  const assertBadInput = (result: { code: number | null; stderr: string }, pattern: RegExp) => {
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? "", /^palisade: /);
    assert.match(lines[0] ?? "", pattern);
  };

  it("needs a file or --from-cluster, not both, and cluster flags only with --from-cluster", async () => {
    const db = freshDb();
    assertBadInput(await run(["--db", db, "k8s", "import"]), /FILE .* or --from-cluster/);
    assertBadInput(await run(["--db", db, "k8s", "import", ALL, "--from-cluster"]), /not both/);
    assertBadInput(
      await run(["--db", db, "k8s", "import", ALL, "--context", "prod"]),
      /--context goes with --from-cluster/,
    );
  });

  it("names a file that is not kubectl output, or not there", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{"apiVersion": "v1", "kind": "List", "items": [');
    assertBadInput(await run(["--db", freshDb(), "k8s", "import", broken]), /broken\.json: not YAML or JSON/);
    assertBadInput(
      await run(["--db", freshDb(), "k8s", "import", join(dir, "missing.json")]),
      /missing\.json: cannot read/,
    );
    assertBadInput(await run(["--db", freshDb(), "k8s", "import", dir]), /cannot read/);
  });

  it("refuses a list with more objects than it takes", async () => {
    const huge = join(dir, "huge.json");
    writeFileSync(huge, JSON.stringify({ kind: "List", items: Array.from({ length: 100_001 }, () => ({})) }));
    assertBadInput(await run(["--db", freshDb(), "k8s", "import", huge]), /huge\.json: more than 100000 objects/);
  });
});

describe("palisade k8s import --from-cluster", () => {
  let api: FakeKubeApi;
  let kubeconfig: string;
  before(async () => {
    const objects = (JSON.parse(readFileSync(ALL, "utf8")) as { items: Record<string, unknown>[] }).items;
    api = await startFakeKubeApi({ objects, token: TOKEN });
    kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, api.kubeconfig({ context: "lab" }));
  });
  after(() => api.close());

  it("lists the cluster through the kubeconfig and records it like kubectl output", async () => {
    api.requests.length = 0;
    const db = freshDb();
    const result = await run(["--db", db, "k8s", "import", "--from-cluster", "--kubeconfig", kubeconfig]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout.split("\n")[0],
      `${api.url}: recorded 7 workloads, 8 containers (0 with stored scans), 3 GPUs requested, 3 AI workloads, 0 NetworkPolicies`,
    );
    assert.equal(api.requests.length, 8);
    assert.ok(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    const inventory = await run(["--db", db, "k8s", "inventory", "--format", "json"]);
    assert.equal((JSON.parse(inventory.stdout) as { workloads: unknown[] }).workloads.length, 7);
  });

  it("takes the kubeconfig from $KUBECONFIG, a context and a namespace", async () => {
    api.requests.length = 0;
    const result = await run(
      ["--db", freshDb(), "k8s", "import", "--from-cluster", "--context", "lab", "-n", "rag", "--format", "json"],
      { env: { KUBECONFIG: kubeconfig } },
    );
    assert.equal(result.code, 0, result.stderr);
    const counts = JSON.parse(result.stdout) as ImportJson & { source: string };
    assert.equal(counts.source, api.url);
    assert.equal(counts.workloads, 1);
    assert.equal(counts.containers, 1);
    assert.ok(api.requests.every((r) => r.path.includes("/namespaces/rag/")));
  });

  it("exits 2 naming a context the kubeconfig lacks", async () => {
    const result = await run([
      "--db",
      freshDb(),
      "k8s",
      "import",
      "--from-cluster",
      "--kubeconfig",
      kubeconfig,
      "--context",
      "prod",
    ]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^palisade: .*kubeconfig: no context named prod\n$/);
  });

  it("exits 3 when the API server refuses the credentials, without printing them", async () => {
    const wrong = join(dir, "kubeconfig-wrong");
    writeFileSync(wrong, api.kubeconfig({ token: "not-the-token-9d" }));
    const result = await run(["--db", freshDb(), "k8s", "import", "--from-cluster", "--kubeconfig", wrong]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /every list failed \(pods: HTTP 401/);
    assert.doesNotMatch(result.stderr + result.stdout, /not-the-token-9d/);
  });

  it("warns about lists RBAC forbids and records the rest", async () => {
    const objects = (JSON.parse(readFileSync(ALL, "utf8")) as { items: Record<string, unknown>[] }).items;
    const limited = await startFakeKubeApi({ objects, token: TOKEN, forbidden: ["replicasets"] });
    try {
      const file = join(dir, "kubeconfig-limited");
      writeFileSync(file, limited.kubeconfig());
      const result = await run(["--db", freshDb(), "k8s", "import", "--from-cluster", "--kubeconfig", file]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /^palisade: warning: .*: cannot list replicasets: HTTP 403: replicasets is forbidden/,
      );
      // Without ReplicaSets the Deployments are still found, by the pods' pod-template-hash.
      assert.match(result.stdout, /recorded 7 workloads, 8 containers/);
    } finally {
      await limited.close();
    }
  });
});
