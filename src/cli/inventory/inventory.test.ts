import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Finding } from "../../core/index.js";
import { scanCodebase } from "../../scan/code/index.js";
import type { ImageScanReport } from "../../scan/image/index.js";
import { type ModelScanResult, scanModelPaths } from "../../scan/model/index.js";
import { openStore } from "../../store/index.js";
import { toCodeInventory, toFsInventory } from "./code.js";
import { toImageInventory } from "./image.js";
import { toModelInventory } from "./model.js";
import { EDGE_KINDS, type Inventory, safeUrl, toScanRecord } from "./records.js";

const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));
const MODELS = join(EXAMPLES, "models");
const TIMES = { startedAt: 1_000, finishedAt: 2_000 };
const DIGEST = `sha256:${"ab".repeat(32)}`;
const MODEL_SHA = "cd".repeat(32);

function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "image/runs-as-root",
    severity: "medium",
    title: "runs as root",
    detail: "",
    references: [],
    owasp: [],
    atlas: [],
    ...overrides,
  };
}

function aModelResult(overrides: Partial<ModelScanResult> = {}): ModelScanResult {
  return {
    path: "/models/classifier.pkl",
    format: "pickle",
    verdict: "malicious",
    findings: [{ rule: "pickle-dangerous-global", severity: "critical", effect: "malicious", detail: "os.system" }],
    sha256: MODEL_SHA,
    size: 231,
    identity: { format: "pickle" },
    ...overrides,
  } as ModelScanResult;
}

/** An image report as the scanner gives it: two layers, a Python AI stack, a model file, a vulnerability. */
function anImageReport(overrides: Partial<ImageScanReport> = {}): ImageScanReport {
  const jinja = {
    name: "Jinja2",
    version: "2.10",
    ecosystem: "PyPI",
    purl: "pkg:pypi/jinja2@2.10",
    kind: "library" as const,
    path: "usr/lib/python3/site-packages/Jinja2-2.10.dist-info/METADATA",
    layer: 1,
  };
  return {
    reference: "oci:./layout:v1",
    source: "oci",
    digest: DIGEST,
    tags: ["v1"],
    platform: "linux/amd64",
    os: { id: "debian", versionId: "12", idLike: [] },
    config: { entrypoint: ["vllm", "serve"], cmd: [], exposedPorts: [] },
    layers: [
      { index: 0, digest: "sha256:base", bytes: 10, entries: 1, largest: [] },
      { index: 1, digest: "sha256:app", bytes: 10, entries: 1, largest: [] },
    ],
    packages: [
      {
        name: "bash",
        version: "5.2",
        ecosystem: "Debian:12",
        purl: "pkg:deb/debian/bash@5.2?distro=debian-12",
        kind: "os-package",
        path: "var/lib/dpkg/status",
        layer: 0,
      },
      {
        name: "vllm",
        version: "0.5.0",
        ecosystem: "PyPI",
        purl: "pkg:pypi/vllm@0.5.0",
        kind: "library",
        path: "x",
        layer: 1,
      },
      jinja,
    ],
    ai: [
      {
        kind: "ai-sdk",
        name: "vllm",
        version: "0.5.0",
        category: "local-inference",
        evidence: "pkg:pypi/vllm@0.5.0",
        layer: 1,
      },
      { kind: "inference-server", name: "vllm", version: "0.5.0", evidence: "pkg:pypi/vllm@0.5.0", layer: 1 },
      { kind: "gpu-library", name: "cuda-runtime", version: "12.2", evidence: "usr/lib/libcudart.so", layer: 1 },
    ],
    models: [{ path: "/models/classifier.pkl", layer: 1, result: aModelResult() }],
    vulnerabilities: [
      {
        id: "CVE-2019-10906",
        aliases: ["GHSA-x"],
        advisories: ["GHSA-x"],
        package: jinja,
        matched: { name: "Jinja2", version: "2.10", via: "package" },
        fixedIn: "2.10.1",
        severity: "high",
        severitySource: "cvss-v3",
        references: [],
        path: "/usr/lib/python3/site-packages/Jinja2-2.10.dist-info/METADATA",
        layer: 1,
      },
    ],
    findings: [
      aFinding(),
      aFinding({ ruleId: "CVE-2019-10906", severity: "high", component: "pkg:pypi/jinja2@2.10" }),
      aFinding({ ruleId: "model/pickle-dangerous-global", severity: "critical", component: `sha256:${MODEL_SHA}` }),
    ],
    warnings: [],
    totals: { files: 3, bytes: 20 },
    ...overrides,
  } as ImageScanReport;
}

const edgesOf = (inventory: Inventory, kind: string) =>
  inventory.edges.filter((e) => e.kind === kind).map((e) => `${e.src} -> ${e.dst}`);

describe("inventory of a code scan", () => {
  it("records the repository by path, SDKs by purl, models, MCP and inference servers by name, version and repository", async () => {
    const report = await scanCodebase(EXAMPLES);
    const inventory = toCodeInventory(report, EXAMPLES);
    const repo = `repo:${resolve(EXAMPLES)}`;
    assert.equal(inventory.target, repo);
    assert.equal(inventory.kind, "code");
    const ids = inventory.assets.map((a) => a.id);
    assert.ok(ids.includes("pkg:pypi/openai@1.54.3"));
    assert.ok(ids.includes("pkg:npm/ai"), "an SDK without a resolved version is its versionless purl");
    assert.ok(ids.includes("model:openai/gpt-4o-mini"));
    assert.ok(ids.includes(`mcp-server:${repo}#fetch@2025.4.7`));
    assert.ok(ids.includes(`inference-server:${repo}#vllm@v0.6.4`));
    assert.equal(new Set(ids).size, ids.length, "each asset once");
    assert.ok(edgesOf(inventory, EDGE_KINDS.dependsOn).includes(`${repo} -> pkg:pypi/openai@1.54.3`));
    assert.ok(edgesOf(inventory, EDGE_KINDS.uses).includes(`${repo} -> mcp-server:${repo}#github`));
    assert.ok(edgesOf(inventory, EDGE_KINDS.deploys).includes(`${repo} -> inference-server:${repo}#ollama@0.4.7`));
    // Every edge starts at the repository and ends at an asset of this inventory.
    assert.ok(inventory.edges.every((e) => e.src === repo && ids.includes(e.dst)));
  });

  it("links each finding to the asset it names, else to the repository", async () => {
    const report = await scanCodebase(EXAMPLES);
    const inventory = toCodeInventory(report, EXAMPLES);
    const repo = inventory.target;
    const byRule = (rule: string) => inventory.findings.filter((f) => f.ruleId === rule).map((f) => f.assetId);
    assert.deepEqual(byRule("code.mcp-unpinned-server"), [`mcp-server:${repo}#github`]);
    assert.deepEqual(byRule("code.unpinned-model-revision"), [
      "model:huggingface/jinaai/jina-reranker-v2-base-multilingual",
    ]);
    assert.ok(byRule("code.hardcoded-ai-key").every((id) => id === repo));
  });

  it("keeps credentials and query strings of MCP server URLs out of the store", () => {
    assert.equal(safeUrl("https://user:secret@mcp.example.com/sse?token=abc#x"), "https://mcp.example.com/sse");
    assert.equal(safeUrl("not a url?token=abc"), "not a url");
  });
});

describe("inventory of a model scan", () => {
  it("records each model file by its sha256, with its findings on it", async () => {
    const results = await scanModelPaths([MODELS]);
    const inventory = toModelInventory(results, [MODELS]);
    assert.equal(inventory.target, resolve(MODELS));
    assert.equal(inventory.assets.length, 2);
    assert.ok(inventory.assets.every((a) => a.kind === "model-file" && /^model:sha256:[a-f0-9]{64}$/.test(a.id)));
    const pickle = inventory.assets.find((a) => a.subkind === "pickle");
    assert.equal(pickle?.digest, pickle?.id.replace(/^model:/, ""));
    assert.ok(inventory.findings.length > 0);
    assert.ok(inventory.findings.every((f) => f.assetId === pickle?.id));
  });

  it("names an unhashed file (--no-hash) by its absolute path", () => {
    const inventory = toModelInventory([aModelResult({ path: "m.pkl", sha256: undefined })], ["m.pkl"]);
    assert.equal(inventory.assets[0]?.id, `model:path:${resolve("m.pkl")}`);
  });

  it("fs: the model files of the folder are contained in its repository", async () => {
    const code = await scanCodebase(EXAMPLES);
    const models = await scanModelPaths(code.modelFiles);
    const inventory = toFsInventory(code, models, EXAMPLES);
    assert.equal(inventory.kind, "fs");
    const contained = inventory.edges.filter((e) => e.kind === EDGE_KINDS.contains);
    assert.equal(contained.length, 2);
    assert.ok(contained.every((e) => e.src === inventory.target && e.dst.startsWith("model:sha256:")));
    assert.ok(inventory.findings.some((f) => f.ruleId.startsWith("model/") && f.assetId?.startsWith("model:sha256:")));
    assert.ok(inventory.findings.some((f) => f.ruleId.startsWith("code.")));
  });
});

describe("inventory of an image scan", () => {
  it("records the image by digest and what it contains, each with its layer", () => {
    const inventory = toImageInventory(anImageReport());
    const image = `image:${DIGEST}`;
    assert.equal(inventory.target, image);
    const root = inventory.assets.find((a) => a.id === image);
    assert.equal(root?.kind, "image");
    assert.equal(root?.name, "layout");
    assert.equal(root?.version, "v1");
    assert.deepEqual(root?.properties?.gpuLibraries, ["cuda-runtime@12.2"]);
    const contains = inventory.edges.filter((e) => e.kind === EDGE_KINDS.contains);
    assert.deepEqual(contains.map((e) => e.dst).sort(), [
      `inference-server:${image}#vllm@0.5.0`,
      `model:sha256:${MODEL_SHA}`,
      "pkg:deb/debian/bash@5.2?distro=debian-12",
      "pkg:pypi/jinja2@2.10",
      "pkg:pypi/vllm@0.5.0",
    ]);
    const bash = contains.find((e) => e.dst.startsWith("pkg:deb/"));
    assert.deepEqual(bash?.properties, { layer: 0, layerDigest: "sha256:base", path: "/var/lib/dpkg/status" });
    assert.equal(inventory.assets.find((a) => a.id === "pkg:pypi/vllm@0.5.0")?.subkind, "ai-sdk");
    assert.equal(inventory.assets.find((a) => a.id === "pkg:pypi/jinja2@2.10")?.subkind, "library");
  });

  it("links vulnerable components to their vulnerabilities, and findings to the component or model they name", () => {
    const inventory = toImageInventory(anImageReport());
    assert.deepEqual(edgesOf(inventory, EDGE_KINDS.affectedBy), ["pkg:pypi/jinja2@2.10 -> vuln:CVE-2019-10906"]);
    assert.equal(inventory.assets.find((a) => a.id === "vuln:CVE-2019-10906")?.kind, "vulnerability");
    assert.deepEqual(
      inventory.findings.map((f) => f.assetId),
      [`image:${DIGEST}`, "pkg:pypi/jinja2@2.10", `model:sha256:${MODEL_SHA}`],
    );
  });

  it("records no vulnerability when no advisories were given", () => {
    const inventory = toImageInventory(anImageReport({ vulnerabilities: undefined }));
    assert.equal(inventory.assets.filter((a) => a.kind === "vulnerability").length, 0);
    assert.deepEqual(edgesOf(inventory, EDGE_KINDS.affectedBy), []);
  });

  it("names a registry image by its repository and an image without a digest by its folder", () => {
    const registry = toImageInventory(anImageReport({ tags: ["ghcr.io/org/app:1.2"] }));
    assert.deepEqual([registry.assets[0]?.name, registry.assets[0]?.version], ["ghcr.io/org/app", "1.2"]);
    const dir = toImageInventory(
      anImageReport({ reference: "dir:./rootfs", source: "dir", digest: undefined, tags: [] }),
    );
    assert.equal(dir.target, `image:dir:${resolve("rootfs")}`);
  });
});

describe("the scan record", () => {
  it("has the same id for the same result in any order, and a new id for a changed result", () => {
    const inventory = toImageInventory(anImageReport());
    const first = toScanRecord(inventory, TIMES);
    const reordered = toScanRecord(
      { ...inventory, assets: [...inventory.assets].reverse(), edges: [...inventory.edges].reverse() },
      { startedAt: 5_000, finishedAt: 6_000 },
    );
    assert.match(first.scan.id, /^scan:image:[a-f0-9]{32}$/);
    assert.equal(reordered.scan.id, first.scan.id);
    const changed = toScanRecord(toImageInventory(anImageReport({ findings: [aFinding()] })), TIMES);
    assert.notEqual(changed.scan.id, first.scan.id);
    const elsewhere = toScanRecord({ ...inventory, target: "image:sha256:other" }, TIMES);
    assert.notEqual(elsewhere.scan.id, first.scan.id);
    assert.deepEqual(first.scan.summary?.findings, { critical: 1, high: 1, medium: 1, low: 0, info: 0 });
  });

  it("recorded twice in a store adds no row the second time", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-inventory-"));
    const store = openStore({ location: join(dir, "palisade.db") });
    try {
      await store.migrate();
      const tables = ["assets", "edges", "scans", "findings"] as const;
      const counts = () => Promise.all(tables.map((t) => store.countRows(t)));
      const code = toCodeInventory(await scanCodebase(EXAMPLES), EXAMPLES);
      const image = toImageInventory(anImageReport());
      for (const inventory of [code, image]) {
        const first = await store.recordInventory(toScanRecord(inventory, TIMES));
        assert.equal(first.created, true);
      }
      const after = await counts();
      assert.ok(
        after.every((n) => n > 0),
        String(after),
      );
      for (const inventory of [code, image]) {
        const again = await store.recordInventory(toScanRecord(inventory, { startedAt: 3_000, finishedAt: 4_000 }));
        assert.equal(again.created, false);
      }
      assert.deepEqual(await counts(), after);
      // The vulnerable component walks to its vulnerability; the image walks to everything it contains.
      const reached = await store.reachableFrom(`image:${DIGEST}`);
      assert.ok(reached.some((a) => a.id === "vuln:CVE-2019-10906" && a.depth === 2));
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
