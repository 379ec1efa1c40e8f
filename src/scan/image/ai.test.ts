import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadAiCatalog } from "../code/index.js";
import { createAiClassifier, servedModel } from "./ai.js";

describe("served model", () => {
  const cases: [string, string[], string[], string[], string | undefined][] = [
    ["vllm serve", ["vllm", "serve"], ["Qwen/Qwen2.5-7B-Instruct", "--port", "8000"], [], "Qwen/Qwen2.5-7B-Instruct"],
    [
      "--model=",
      ["python3", "-m", "vllm.entrypoints.openai.api_server"],
      ["--model=mistralai/Mistral-7B-v0.3"],
      [],
      "mistralai/Mistral-7B-v0.3",
    ],
    [
      "llama.cpp -m",
      ["/app/llama-server"],
      ["-m", "/models/llama-3-8b.Q4_K_M.gguf", "-c", "4096"],
      [],
      "/models/llama-3-8b.Q4_K_M.gguf",
    ],
    ["python -m is a module", ["python", "-m", "app.server"], [], [], undefined],
    [
      "TGI --model-id",
      ["text-generation-launcher"],
      ["--model-id", "bigscience/bloom-560m"],
      [],
      "bigscience/bloom-560m",
    ],
    ["ollama run", ["/bin/sh", "-c"], ["ollama run llama3.1"], [], "llama3.1"],
    [
      "env MODEL_ID",
      ["text-generation-launcher"],
      [],
      ["PATH=/bin", "MODEL_ID=google/gemma-2-9b"],
      "google/gemma-2-9b",
    ],
    ["nothing", ["nginx"], ["-g", "daemon off;"], ["PATH=/bin"], undefined],
  ];
  for (const [name, entrypoint, cmd, env, model] of cases)
    it(name, () => assert.equal(servedModel(entrypoint, cmd, env)?.model, model));
});

describe("AI classification of files", () => {
  const classify = createAiClassifier(loadAiCatalog());
  it("names GPU libraries with their versions and inference-server executables", () => {
    assert.deepEqual(classify.classifyFile("usr/lib/x86_64-linux-gnu/libcudnn.so.9.1.0", 0o644, 2), {
      kind: "gpu-library",
      name: "cudnn",
      version: "9.1.0",
      evidence: "usr/lib/x86_64-linux-gnu/libcudnn.so.9.1.0",
      layer: 2,
    });
    assert.equal(classify.classifyFile("usr/bin/ollama", 0o755, 0)?.name, "ollama");
    assert.equal(classify.classifyFile("usr/bin/ollama", 0o644, 0), undefined, "not executable");
    assert.equal(classify.classifyFile("usr/bin/serve", 0o755, 0), undefined, "a generic name alone is not Ray");
    assert.equal(classify.classifyFile("opt/tritonserver/bin/tritonserver", 0o755, 0)?.name, "triton");
  });
});

describe("AI classification of packages", () => {
  const classifier = createAiClassifier(loadAiCatalog());
  const pkg = (name: string, ecosystem: string) => ({
    name,
    version: "1.0.0",
    ecosystem,
    purl: `pkg:x/${name}@1.0.0`,
    kind: "library" as const,
    path: "x",
    layer: 0,
  });

  it("knows split packages by their family, under each ecosystem's name rules, and nothing else", () => {
    const sdk = (name: string, ecosystem: string) =>
      classifier.classifyPackage(pkg(name, ecosystem)).some((c) => c.kind === "ai-sdk");
    assert.ok(sdk("langchain-openai", "PyPI"));
    assert.ok(sdk("llama-index-llms-ollama", "PyPI"), "a family member");
    assert.ok(sdk("Llama_Index.Vector_Stores.Qdrant", "PyPI"), "PEP 503 spelling");
    assert.ok(sdk("@ai-sdk/openai", "npm"));
    assert.ok(sdk("torch", "PyPI"));
    assert.ok(!sdk("requests", "PyPI"));
    assert.ok(!sdk("langchain-openai", "npm"), "another ecosystem's name");
  });
});
