import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadAiCatalog } from "../catalog.js";
import { matchAiEndpoint } from "../infra.js";
import { createSdkIndex } from "../sdk-index.js";
import type { SourceLanguage } from "../walk.js";
import { analyzeFacts } from "./analyze.js";
import { embeddedModelCandidates } from "./embedded.js";
import { extractFacts } from "./facts.js";
import { loadParsers } from "./parsers.js";
import { literalAlternation, notebookCode } from "./source-file.js";

const catalog = loadAiCatalog();
const index = createSdkIndex(catalog);
const endpoints = catalog.aiEndpoints ?? [];

async function analyze(language: SourceLanguage, text: string) {
  const parsers = await loadParsers();
  const tree = parsers[language].parse(text);
  assert.ok(tree);
  try {
    return analyzeFacts({ facts: extractFacts(tree, language), rel: "f", language, text, index, catalog });
  } finally {
    tree.delete();
  }
}
const models = async (language: SourceLanguage, text: string) =>
  (await analyze(language, text)).models.map((m) => `${m.id}@${m.line}`).sort();

describe("model context in source (issue 15)", () => {
  it("does not report Hugging Face dataset ids as models", async () => {
    const py = [
      "from datasets import load_dataset",
      'ds = load_dataset("openai/gsm8k", "main")',
      "class Args:",
      '    dataset_name: str = "HuggingFaceH4/Multilingual-Thinking"',
      'train(dataset_id="trl-lib/tldr", model="Qwen/Qwen2-0.5B")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["Qwen/Qwen2-0.5B@5"]);
  });

  it("names a parameter's default value by the parameter (TypeScript and JavaScript)", async () => {
    const ts = [
      'import OpenAI from "openai";',
      'async function complete(messages: string[], model: string = "sonar-pro", label = "sonar") {}',
      'const f = ({ model = "mistral-large-latest", title = "mistral" }) => model;',
      'function g(modelName = "llama3.1", tag = "llama3.1") {}',
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), ["llama3.1@4", "mistral-large-latest@3", "sonar-pro@2"]);
  });

  it("does not report LangChain Hub prompt ids as models", async () => {
    const py = [
      "from langchain import hub",
      'prompt = hub.pull("rlm/rag-prompt")',
      'p2 = client.pull_prompt("someone/react-agent-7b")',
      'llm = ChatOpenAI(model="gpt-4o-mini")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["gpt-4o-mini@4"]);
  });

  it("keeps model_name_or_path hub ids and drops tokenizer-only names", async () => {
    const py = [
      'args = Args(model_name_or_path="someone/finetune-7b")',
      'tok = AutoTokenizer.from_pretrained("gpt2")',
      'model = AutoModelForCausalLM.from_pretrained("gpt2")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["gpt2@3", "someone/finetune-7b@1"]);
  });

  it("reads model ids in pytest parametrize lists and pytest.param, and after a --flag in argv lists", async () => {
    const py = [
      '@pytest.mark.parametrize("model_id", [',
      '    "someone/tiny-a",',
      '    pytest.param("someone/tiny-b", id="b"),',
      "])",
      "def test_x(model_id): ...",
      'cmd = ["train.py", "--reward_model_name_or_path", "someone/rm", "--output_dir", "out/x"]',
      '@pytest.mark.parametrize("name", ["alice/bob"])',
      "def test_y(name): ...",
    ].join("\n");
    assert.deepEqual(await models("python", py), ["someone/rm@6", "someone/tiny-a@2", "someone/tiny-b@3"]);
  });

  it("reads --model flags and model= examples in docstrings, not prose", async () => {
    const py = [
      '"""',
      "Usage:",
      "    python sft.py \\\\",
      "        --model_name_or_path Qwen/Qwen2-0.5B \\\\",
      "        --dataset_name trl-lib/Capybara",
      "",
      "Trained with someone/prose-model on public data, see gpt-4o docs.",
      "",
      '>>> model = AutoModel.from_pretrained("someone/doc-model")',
      '...     teacher_model="someone/teacher",',
      '"""',
      "import os",
    ].join("\n");
    assert.deepEqual(await models("python", py), ["Qwen/Qwen2-0.5B@4", "someone/doc-model@9", "someone/teacher@10"]);
  });

  it("reads quoted ids in commented-out code, with the context of the code or of the line", async () => {
    const py = [
      '# model_id, output_dir = "someone/commented", "commented-out"  # ~12 GB',
      'model_name = "Qwen/Qwen3-4B"  # "someone/alternative"',
      '# "trl-internal-testing/tiny-SmolVLMForConditionalGeneration", skipped for now',
      "# see someone/prose-only for details",
      '# print("someone/not-in-context")',
    ].join("\n");
    assert.deepEqual(await models("python", py), [
      "Qwen/Qwen3-4B@2",
      "someone/alternative@2",
      "someone/commented@1",
      "trl-internal-testing/tiny-SmolVLMForConditionalGeneration@3",
    ]);
  });

  it("reads JSON request bodies in text blocks and env assignments in messages", async () => {
    const java = [
      "class T {",
      '  String body = """',
      '      {"model": "deepseek-chat", "messages": []}',
      '      """;',
      "}",
    ].join("\n");
    assert.deepEqual(await models("java", java), ["deepseek-chat@3"]);
    const py = 'assert base, "Set BASE_MODEL, e.g. `export BASE_MODEL=huggyllama/llama-7b`"\n';
    assert.deepEqual(await models("python", py), ["huggyllama/llama-7b@1"]);
    const lora = 'def main(lora_weights: str = "tloen/alpaca-lora-7b"): ...\n';
    assert.deepEqual(await models("python", lora), ["tloen/alpaca-lora-7b@1"]);
  });

  it("reads tuple assignments and --flags inside interpolated command strings", async () => {
    const py = [
      'model_id, output_dir = "someone/tuple-model", "tuple-out"',
      'command = f"trl grpo --output_dir {tmp} --model_name_or_path someone/f-model --dataset_name org/data"',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["someone/f-model@2", "someone/tuple-model@1"]);
  });

  it("takes the weak siblings of a model in one list literal as models, not lists without one", async () => {
    const java = [
      "class T {",
      "  @ParameterizedTest",
      '  @ValueSource(strings = {"orca-mini", "llama3", "gemma:2b", "vicuna"})',
      "  void ask(String model) {}",
      "}",
    ].join("\n");
    assert.deepEqual(await models("java", java), ["gemma:2b@3", "llama3@3", "orca-mini@3", "vicuna@3"]);
    const py = 'TAGS = ["phi3", "vicuna", "fast"]\nNAMES = ("gpt-4o", "mixtral", "someone/x")\n';
    assert.deepEqual(await models("python", py), ["gpt-4o@2", "mixtral@2"]);
  });

  it("names a string compared with a model variable by that variable", async () => {
    const ts =
      'const reasoning = modelName.includes("o1-mini") || name.startsWith("o3-mini") || modelName.includes("o3");\n';
    assert.deepEqual(await models("typescript", ts), ["o1-mini@1"]);
  });

  it("finds embedded candidates line by line, bounded, on any text", () => {
    const found = embeddedModelCandidates('a\n  --model_id=x/y\nmodel = "m/n"\n', { comment: false });
    assert.deepEqual(found, [
      { value: "x/y", context: "model_id", line: 1 },
      { value: "m/n", context: "model", line: 2 },
    ]);
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.boolean(), (text, comment) => {
        for (const c of embeddedModelCandidates(text, { comment })) assert.ok(c.value.length > 0);
      }),
      { numRuns: 300 },
    );
    const started = performance.now();
    embeddedModelCandidates(`${"--model ".repeat(50_000)}${'x = "'.repeat(50_000)}`, { comment: true });
    assert.ok(performance.now() - started < 2000);
  });
});

describe("multi-service SDKs and raw HTTP (issue 15)", () => {
  it("records only bedrock clients of boto3, not s3 or dynamodb", async () => {
    const py = [
      "import boto3",
      's3 = boto3.client("s3")',
      's3.put_object(Bucket="b", Key="k", Body=b"")',
      'table = boto3.resource("dynamodb").Table("t")',
      'brt = boto3.client(service_name="bedrock-runtime")',
      'brt.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[])',
    ].join("\n");
    const result = await analyze("python", py);
    assert.deepEqual(
      result.sdkUses.map((u) => [u.sdk.name, u.line]),
      [
        ["boto3", 1],
        ["boto3", 5],
        ["boto3", 6],
      ],
    );
  });

  it("reports raw HTTP calls to AI APIs with their provider", async () => {
    const py = [
      "import requests",
      'r = requests.post("https://api.openai.com/v1/chat/completions", json={})',
      'g = requests.post(f"https://generativelanguage.googleapis.com/v1beta/models/{m}:generateContent")',
      'o = requests.post("http://localhost:11434/api/generate")',
      'a = httpx.post(ANTHROPIC, headers={"x": "https://api.anthropic.com/v1/messages"})',
      "# https://api.mistral.ai in a comment is not a call",
    ].join("\n");
    const result = await analyze("python", py);
    assert.deepEqual(
      result.endpoints.map((e) => [e.provider, e.line]),
      [
        ["openai", 2],
        ["google", 3],
        ["ollama", 4],
        ["anthropic", 5],
      ],
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source under test
    const ts = 'const res = await fetch(`${base ?? "https://api.openai.com"}/v1/responses`, { method: "POST" });\n';
    assert.deepEqual(
      (await analyze("typescript", ts)).endpoints.map((e) => [e.provider, e.host]),
      [["openai", "api.openai.com"]],
    );
  });

  it("matches endpoint hosts exactly and stays fast on hostile strings", () => {
    assert.equal(matchAiEndpoint("https://api.openai.com.evil.example/v1", endpoints), undefined);
    assert.equal(matchAiEndpoint("http://localhost:8080/api/generate", endpoints), undefined);
    assert.equal(matchAiEndpoint("https://eastus.api.cognitive.microsoft.com", endpoints), undefined);
    assert.equal(
      matchAiEndpoint("https://my-res.openai.azure.com/openai/deployments/x", endpoints)?.provider,
      "azure-openai",
    );
    assert.equal(
      matchAiEndpoint("https://bedrock-runtime.us-east-1.amazonaws.com/model", endpoints)?.provider,
      "aws-bedrock",
    );
    const started = performance.now();
    for (const hostile of [
      `//api.openai.com${"a.".repeat(2000)}!`,
      `"${"a-".repeat(2000)}api.openai.com`,
      ` ${"a".repeat(4000)}:11434x`,
    ])
      matchAiEndpoint(hostile, endpoints);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        matchAiEndpoint(`https://${text}`, endpoints);
      }),
      { numRuns: 300 },
    );
    assert.ok(performance.now() - started < 2000);
  });
});

describe("notebooks", () => {
  it("reads model ids in code cells (comments included), never in Markdown cells", async () => {
    const notebook = JSON.stringify({
      cells: [
        {
          cell_type: "markdown",
          source: ["Fine-tune with `--model_name_or_path someone/md-model`\n", 'model = "gpt-4o"'],
        },
        {
          cell_type: "code",
          source: ['model_id = "someone/code-model"\n', '# model_id = "someone/commented-model"\n'],
        },
      ],
    });
    const code = notebookCode(notebook);
    assert.deepEqual(await models("python", code), ["someone/code-model@1", "someone/commented-model@2"]);
  });
});

describe("AI endpoint hosts as rules data", () => {
  it("loads the host table from rules/ai-catalog/endpoints.yaml and matches by it alone", () => {
    assert.ok(endpoints.length >= 19);
    assert.equal(matchAiEndpoint("https://api.groq.com/openai/v1", endpoints)?.provider, "groq");
    assert.equal(matchAiEndpoint("https://api.groq.com/openai/v1", []), undefined);
    const custom = [{ host: /^llm\.internal\.example$/, provider: "in-house", hint: "llm.internal" }];
    assert.deepEqual(matchAiEndpoint("https://llm.internal.example/v1/chat", custom), {
      host: "llm.internal.example",
      provider: "in-house",
    });
  });
});

describe("MCP servers implemented in code (issue 15)", () => {
  async function servers(language: SourceLanguage, text: string, rel = "server") {
    const parsers = await loadParsers();
    const tree = parsers[language].parse(text);
    assert.ok(tree);
    try {
      return analyzeFacts({ facts: extractFacts(tree, language), rel, language, text, index, catalog }).mcpServers.map(
        (s) => s.name,
      );
    } finally {
      tree.delete();
    }
  }

  it("names a Python MCPServer (mcp 2.x) by its first argument", async () => {
    const py = 'from mcp.server import MCPServer\nmcp = MCPServer("weather")\n';
    assert.deepEqual(await servers("python", py, "weather.py"), ["weather"]);
  });

  it("names a Go server by its Implementation literal, or by the string assigned to the variable there", async () => {
    const literal = [
      "package main",
      'import "github.com/modelcontextprotocol/go-sdk/mcp"',
      "func main() {",
      '\tserver := mcp.NewServer(&mcp.Implementation{Name: "weather", Version: "1.0.0"}, nil)',
      "\t_ = server",
      "}",
    ].join("\n");
    assert.deepEqual(await servers("go", literal, "main.go"), ["weather"]);
    const variable = [
      "package github",
      'import "github.com/modelcontextprotocol/go-sdk/mcp"',
      "func NewServer(version, name string) *mcp.Server {",
      '\tif name == "" {',
      '\t\tname = "github-mcp-server"',
      "\t}",
      "\treturn mcp.NewServer(&mcp.Implementation{Name: name, Version: version}, nil)",
      "}",
    ].join("\n");
    assert.deepEqual(await servers("go", variable, "pkg/server.go"), ["github-mcp-server"]);
  });

  it("does not count servers built inside test files", async () => {
    const go = [
      "package github",
      'import "github.com/modelcontextprotocol/go-sdk/mcp"',
      "func TestX(t *testing.T) {",
      '\ts := mcp.NewServer(&mcp.Implementation{Name: "test-server"}, nil)',
      "\t_ = s",
      "}",
    ].join("\n");
    assert.deepEqual(await servers("go", go, "pkg/server_test.go"), []);
    const py = 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("fixture")\n';
    assert.deepEqual(await servers("python", py, "tests/test_server.py"), []);
    assert.deepEqual(await servers("python", py, "tests/helpers/mock_server.py"), ["fixture"]);
  });
});

describe("ollama commands in notebooks", () => {
  it("reads `!ollama pull` magics (commented out by notebookCode) as models", async () => {
    const code = notebookCode(
      JSON.stringify({
        cells: [{ cell_type: "code", source: ["!ollama pull nomic-embed-text\n", "import ollama\n"] }],
      }),
    );
    assert.deepEqual(await models("python", code), ["nomic-embed-text@1"]);
  });
});

describe("prefilter alternation", () => {
  it("matches exactly the words it was built from, prefixes shared or not", () => {
    const words = ["openai", "open_clip", "open", "llama_index.core", "a.b/c", "x"];
    const re = new RegExp(`^${literalAlternation(words)}$`);
    for (const w of words) assert.ok(re.test(w), w);
    for (const w of ["ope", "openaix", "llama_index", "llama_indexXcore", "a.b", "y", ""]) assert.ok(!re.test(w), w);
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z._/@-]{1,8}$/), { minLength: 1, maxLength: 12 }),
        fc.stringMatching(/^[a-z._/@-]{0,8}$/),
        (list, probe) => {
          const built = new RegExp(`^${literalAlternation(list)}$`);
          assert.equal(built.test(probe), list.includes(probe));
        },
      ),
    );
  });
});
