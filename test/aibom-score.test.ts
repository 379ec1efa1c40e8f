import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isUncertain,
  type LabelFile,
  normalizePep503,
  type Observed,
  scoreCategory,
  scoreHardNegatives,
  scoreRepo,
  toCounts,
  toMicro,
  toObserved,
  toRepoPath,
  toRound1Split,
  toSplit,
  toUncertainValues,
} from "../bench/aibom-score.js";
import type { CodeScanReport } from "../src/scan/code/index.js";

function aLabelFile(overrides: Partial<LabelFile> = {}): LabelFile {
  return {
    repo: "acme/app",
    commit: "0".repeat(40),
    why: "test",
    labelled: "by hand",
    sdks: [],
    models: [],
    mcpServers: [],
    mcpImplementations: [],
    hardNegatives: [],
    uncertain: [],
    notes: "",
    ...overrides,
  };
}

function anObserved(overrides: Partial<Observed> = {}): Observed {
  return { sdks: [], models: [], mcp: [], ...overrides };
}

describe("AI-BOM corpus scoring", () => {
  it("normalises PyPI names as PEP 503 does", () => {
    assert.equal(normalizePep503("Huggingface_Hub"), "huggingface-hub");
    assert.equal(normalizePep503("zope.interface"), "zope-interface");
    assert.equal(normalizePep503("a-_.-b"), "a-b");
  });

  it("matches PyPI SDKs across spellings but npm names exactly", () => {
    const labels = aLabelFile({
      sdks: [
        { name: "huggingface_hub", ecosystem: "pypi", manifest: "pyproject.toml" },
        { name: "@langchain/core", ecosystem: "npm", manifest: "package.json" },
      ],
    });
    const observed = anObserved({
      sdks: [
        { name: "Huggingface-Hub", ecosystem: "pypi", manifest: "pyproject.toml", usageFiles: [] },
        { name: "@LangChain/core", ecosystem: "npm", manifest: "package.json", usageFiles: [] },
      ],
    });
    const score = scoreCategory(labels, observed, "sdks");
    assert.deepEqual([score.tp, score.fp, score.fn], [1, 1, 1]);
  });

  it("requires the same manifest, and matches a null manifest only to an SDK reported without one", () => {
    const labels = aLabelFile({
      sdks: [
        { name: "torch", ecosystem: "pypi", manifest: null },
        { name: "openai", ecosystem: "pypi", manifest: "requirements.txt" },
      ],
    });
    const observed = anObserved({
      sdks: [
        { name: "torch", ecosystem: "pypi", manifest: null, usageFiles: ["train.py"] },
        { name: "openai", ecosystem: "pypi", manifest: null, usageFiles: ["app.py"] },
      ],
    });
    const score = scoreCategory(labels, observed, "sdks");
    assert.deepEqual([score.tp, score.fp, score.fn], [1, 1, 1]);
    assert.deepEqual(score.falseNegatives, [{ name: "openai", ecosystem: "pypi", manifest: "requirements.txt" }]);
  });

  it("compares model ids case-insensitively and per file, counting each (id, file) once", () => {
    const labels = aLabelFile({ models: [{ id: "Qwen/Qwen2.5-7B-Instruct", file: "a.py" }] });
    const observed = anObserved({
      models: [
        { id: "qwen/qwen2.5-7b-instruct", file: "a.py", line: 1 },
        { id: "qwen/qwen2.5-7b-instruct", file: "a.py", line: 9 },
        { id: "qwen/qwen2.5-7b-instruct", file: "b.py", line: 1 },
      ],
    });
    const score = scoreCategory(labels, observed, "models");
    assert.deepEqual([score.tp, score.fp, score.fn], [1, 1, 0]);
  });

  it("ignores items matching an uncertain label on both sides", () => {
    const labels = aLabelFile({
      sdks: [{ name: "wandb", ecosystem: "pypi", manifest: "setup.py" }],
      models: [{ id: "gpt-4o", file: "a.py" }],
      uncertain: [
        { kind: "sdk", value: "wandb", why: "tracking" },
        { kind: "model", value: "gpt-4o / gpt-4", why: "docstring" },
        { kind: "model", value: "trl-internal-testing/tiny-*", why: "test models" },
      ],
    });
    const observed = anObserved({
      sdks: [{ name: "Wandb", ecosystem: "pypi", manifest: null, usageFiles: ["x.py"] }],
      models: [
        { id: "gpt-4", file: "b.py" },
        { id: "trl-internal-testing/tiny-Qwen2ForCausalLM", file: "t.py" },
      ],
    });
    const sdks = scoreCategory(labels, observed, "sdks");
    const models = scoreCategory(labels, observed, "models");
    assert.deepEqual([sdks.tp, sdks.fp, sdks.fn], [0, 0, 0]);
    assert.deepEqual([models.tp, models.fp, models.fn], [0, 0, 0]);
  });

  it("splits multi-value uncertain labels and drops trailing remarks", () => {
    assert.deepEqual(toUncertainValues("math-verify / openreward / harbor", "sdk").slice(1), [
      "math-verify",
      "openreward",
      "harbor",
    ]);
    assert.ok(toUncertainValues("createServer (chrome-devtools-mcp)", "mcpImplementation").includes("createServer"));
    assert.ok(toUncertainValues("react-docs/flutter-docs", "mcpServer").includes("flutter-docs"));
    assert.ok(!toUncertainValues("meta-llama/Llama-3.1-8B", "model").includes("meta-llama"));
    const labels = aLabelFile({ uncertain: [{ kind: "sdk", value: "trackio / comet_ml / mlflow", why: "" }] });
    assert.ok(isUncertain(labels, "sdks", "comet-ml", "pypi"));
    assert.ok(!isUncertain(labels, "models", "mlflow"));
  });

  it("keeps MCP implementations apart from configured servers", () => {
    const labels = aLabelFile({
      mcpServers: [{ name: "github", file: ".vscode/mcp.json" }],
      mcpImplementations: [{ name: "weather", file: "src/server.ts" }],
    });
    const observed = anObserved({
      mcp: [
        { name: "github", file: ".vscode/mcp.json", transport: "stdio" },
        { name: "weather", file: "src/server.ts", transport: "implemented" },
        { name: "weather", file: "src/server.ts", transport: "stdio" },
      ],
    });
    const servers = scoreCategory(labels, observed, "mcpServers");
    const implementations = scoreCategory(labels, observed, "mcpImplementations");
    assert.deepEqual([servers.tp, servers.fp, servers.fn], [1, 1, 0]);
    assert.deepEqual([implementations.tp, implementations.fp, implementations.fn], [1, 0, 0]);
  });

  it("counts a reported hard negative by kind, matching value and file", () => {
    const labels = aLabelFile({
      hardNegatives: [
        { kind: "model", value: "openai/gsm8k", file: "grpo.py", why: "dataset id" },
        { kind: "model", value: "openai/gsm8k", file: "other.py", why: "dataset id" },
        { kind: "sdk", value: "boto3", file: "pyproject.toml", why: "S3" },
        { kind: "mcpImplementation", value: "mcp-client", file: "client.ts", why: "a client" },
        { kind: "module", value: "requests.models", file: "models.py", why: "first-party" },
      ],
    });
    const observed = anObserved({
      models: [{ id: "OpenAI/GSM8K", file: "grpo.py" }],
      sdks: [{ name: "boto3", ecosystem: "pypi", manifest: "pyproject.toml", usageFiles: [] }],
      mcp: [{ name: "mcp-client", file: "client.ts", transport: "stdio" }],
    });
    const hn = scoreHardNegatives(labels, observed);
    assert.deepEqual(hn.reported, { model: 1, sdk: 1, mcpServer: 0, mcpImplementation: 0 });
    assert.equal(hn.total, 2);
    assert.equal(hn.notComparable, 1);
    // A reported hard negative is also a false positive of its category.
    assert.equal(scoreRepo(labels, observed).categories.models.fp, 1);
  });

  it("micro-averages by summing counts, with null ratios when nothing was expected or reported", () => {
    assert.deepEqual(toCounts(0, 0, 0), { tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null });
    assert.deepEqual(toCounts(0, 2, 0).precision, 0);
    const a = scoreRepo(aLabelFile({ models: [{ id: "gpt-4o", file: "a.py" }] }), anObserved());
    const b = scoreRepo(
      aLabelFile({ models: [{ id: "gpt-4o", file: "a.py" }] }),
      anObserved({ models: [{ id: "gpt-4o", file: "a.py" }] }),
    );
    assert.deepEqual(toMicro([a, b]).models, { tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5, f1: 0.6667 });
  });

  it("holds out the latest round; earlier rounds are dev, round 1's stop-27 split kept for the record", () => {
    assert.equal(toSplit({}), "dev");
    assert.equal(toSplit({ round: 1 }), "dev");
    assert.equal(toSplit({ round: 2 }), "dev");
    assert.equal(toSplit({ round: 3 }), "dev");
    assert.equal(toSplit({ round: 4 }), "dev");
    assert.equal(toSplit({ round: 5 }), "dev");
    assert.equal(toSplit({ round: 6 }), "dev");
    assert.equal(toSplit({ round: 7 }), "dev");
    assert.equal(toSplit({ round: 8 }), "dev");
    assert.equal(toSplit({ round: 9 }), "dev");
    assert.equal(toSplit({ round: 10 }), "dev");
    assert.equal(toSplit({ round: 11 }), "dev");
    assert.equal(toSplit({ round: 12 }), "dev");
    assert.equal(toSplit({ round: 16 }), "dev");
    assert.equal(toSplit({ round: 18 }), "dev");
    assert.equal(toSplit({ round: 19 }), "dev");
    assert.equal(toSplit({ round: 20 }), "dev");
    assert.equal(toSplit({ round: 21 }), "dev");
    assert.equal(toSplit({ round: 22 }), "holdout");
    assert.equal(toRound1Split("huggingface/trl"), "dev"); // sha256 starts with 4
    assert.equal(toRound1Split("psf/requests"), "holdout"); // sha256 starts with a
  });

  it("compares paths relative to the repository root with '/'", () => {
    assert.equal(toRepoPath("/r", "/r/src/app.py"), "src/app.py");
    assert.equal(toRepoPath("/r", "./src\\app.py"), "src/app.py");
    const report = {
      sdks: [
        {
          name: "openai",
          ecosystem: "pypi",
          provider: "openai",
          category: "llm",
          manifest: "/r/requirements.txt",
          usages: [{ file: "app.py", line: 1, kind: "import" }],
        },
      ],
      models: [{ id: "gpt-4o", provider: "openai", file: "/r/app.py", line: 3 }],
      mcpServers: [{ name: "s", transport: "implemented", file: "srv.py" }],
    } as unknown as CodeScanReport;
    assert.deepEqual(toObserved(report, "/r"), {
      sdks: [{ name: "openai", ecosystem: "pypi", manifest: "requirements.txt", usageFiles: ["app.py"] }],
      models: [{ id: "gpt-4o", file: "app.py", line: 3 }],
      mcp: [{ name: "s", file: "srv.py", transport: "implemented" }],
    });
  });
});
