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

  it("reads --model flags and model= examples in docstrings, and in prose only ids a strong pattern knows", async () => {
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
    // Round 7 labels ids written in help texts and docstrings (`language model e.g. gemini-2.0-flash`):
    // `gpt-4o` in the prose line counts; an `org/name` there stays prose.
    assert.deepEqual(await models("python", py), [
      "Qwen/Qwen2-0.5B@4",
      "gpt-4o@7",
      "someone/doc-model@9",
      "someone/teacher@10",
    ]);
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

  it("names servers built by MCP framework factories, and skips a helper forwarding its caller's name", async () => {
    const factory = [
      'import { createMCPServer } from "mcp-kit/server";',
      'const server = createMCPServer("notes-server", { version: "1.0.0" });',
    ].join("\n");
    assert.deepEqual(await servers("typescript", factory, "src/server.ts"), ["notes-server"]);
    const options = [
      'import { createMcpServer } from "@acme/mcp-utils";',
      'export const server = createMcpServer({ name: "acme", version: "1.0.0" });',
    ].join("\n");
    assert.deepEqual(await servers("typescript", options, "src/server.ts"), ["acme"]);
    const handler = [
      'import { createMcpHandler } from "mcp-handler";',
      "export const handler = createMcpHandler((server) => register(server), {",
      '  serverInfo: { name: "search-server", version: "2.0.0" },',
      "});",
    ].join("\n");
    assert.deepEqual(await servers("typescript", handler, "api/mcp.ts"), ["search-server"]);
    const helper = [
      'import { Server } from "@modelcontextprotocol/sdk/server/index.js";',
      "export function createServer(options: { name: string }) {",
      "  const server = new Server({ name: options.name, version: '1' }, { capabilities: {} });",
      "  return server;",
      "}",
    ].join("\n");
    assert.deepEqual(await servers("typescript", helper, "src/helper.ts"), []);
  });

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

  it("names a server class of the repository's own by what its constructor passes up", async () => {
    const py = [
      "from fastmcp import FastMCP",
      "class QdrantMCPServer(FastMCP):",
      '    def __init__(self, settings, name: str = "mcp-server-qdrant", **kw):',
      "        super().__init__(name=name, **kw)",
      "class Helper(dict):",
      "    def __init__(self):",
      '        super().__init__(name="not-a-server")',
    ].join("\n");
    assert.deepEqual(await servers("python", py, "src/mcp_server.py"), ["mcp-server-qdrant"]);
    const ts = [
      'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
      "class Weather extends McpServer {",
      '  constructor() { super({ name: "weather", version: "1.0.0" }); }',
      "}",
    ].join("\n");
    assert.deepEqual(await servers("typescript", ts, "src/weather.ts"), ["weather"]);
  });

  it("names a server by a constant of the same file, and leaves another file's constant to look up", async () => {
    const parsers = await loadParsers();
    const analyse = (text: string) => {
      const tree = parsers.python.parse(text);
      assert.ok(tree);
      try {
        const facts = extractFacts(tree, "python");
        return analyzeFacts({ facts, rel: "server.py", language: "python", text, index, catalog });
      } finally {
        tree.delete();
      }
    };
    const same = analyse('from mcp.server import Server\nSERVER_NAME = "notes"\nserver = Server(SERVER_NAME)\n');
    assert.deepEqual(
      same.mcpServers.map((s) => [s.name, s.nameRef]),
      [["notes", undefined]],
    );
    const other = analyse("from mcp.server import Server\nserver = Server(settings.APP_NAME)\n");
    assert.deepEqual(
      other.mcpServers.map((s) => [s.name, s.nameRef]),
      [["(unnamed)", "APP_NAME"]],
    );
    const config = analyse('class Settings:\n    APP_NAME: str = "arxiv-mcp-server"\n');
    assert.deepEqual(config.nameConstants, [["APP_NAME", "arxiv-mcp-server"]]);
  });
});

describe("model ids named by the code around them (issue 15, round 3)", () => {
  it("names an argparse or click default by its option, and a dataclass field default by the field", async () => {
    const py = [
      "import argparse",
      "parser = argparse.ArgumentParser()",
      'parser.add_argument("-m", "--model-id", type=str, default="o3-mini")',
      'parser.add_argument("--output", default="o1")',
      "@dataclass",
      "class Args:",
      '    model_name: str = field(default="gpt-4o", metadata={"help": "x"})',
      '    repo_id: str = field(default="trl-lib/tldr")',
      '    dataset_name: str = field(default="org/some-data-7b")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["gpt-4o@7", "o3-mini@3"]);
  });

  it("names a positional argument by the parameter of a function defined in the same file", async () => {
    const ts = [
      'async function performChatCompletion(messages: string[], model: string = "sonar-pro") {}',
      'await performChatCompletion(messages, "sonar-deep-research");',
      'await performChatCompletion("sonar", "sonar-reasoning-pro");',
      'log("sonar-reasoning");',
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), ["sonar-deep-research@2", "sonar-pro@1", "sonar-reasoning-pro@3"]);
    const py = [
      "class Agent:",
      "    def ask(self, prompt, model):",
      "        pass",
      "agent = Agent()",
      'agent.ask("hello", "llama3.2")',
      'agent.ask("llama3.1", None)',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["llama3.2@5"]);
  });

  it("reads a list of models whole: named by the table holding it, or mostly recognised", async () => {
    const ts = [
      "export const MODEL_LIST = {",
      "  deepseek: ['deepseek-v4-flash', 'deepseek-v4-pro'],",
      "  openrouter: ['openai/gpt-4o-mini', 'x-ai/grok-beta', 'mancer/weaver', 'meta-llama/llama-4-scout:free'],",
      "};",
      "const CHAT_MODEL_PREFIXES = ['gpt-', 'o1', 'o3'];",
      "const mixed = ['gpt-4o', 'claude-3-5-haiku-latest', 'gemini-2.0-flash', 'team/notes', 'llama-guard-3-8b'];",
      "const paths = ['gpt-4o', 'src/index', 'docs/readme', 'lib/util'];",
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), [
      "claude-3-5-haiku-latest@6",
      "deepseek-v4-flash@2",
      "deepseek-v4-pro@2",
      "gemini-2.0-flash@6",
      "gpt-4o@6",
      "gpt-4o@7",
      "llama-guard-3-8b@6",
      "mancer/weaver@3",
      "meta-llama/llama-4-scout:free@3",
      "openai/gpt-4o-mini@3",
      "team/notes@6",
      "x-ai/grok-beta@3",
    ]);
  });

  it("reads quoted ids of known families in docstrings and help texts, not weak ones", async () => {
    const py = [
      "def run(model_id):",
      '    """The model identifier to use (e.g. "claude-3-5-sonnet-latest", "gpt-4o", "llama3")."""',
      'parser.add_argument("--writer-model", help="Model for the writer (e.g., \'anthropic:claude-3-7-sonnet-latest\')")',
    ].join("\n");
    assert.deepEqual(await models("python", py), [
      "anthropic:claude-3-7-sonnet-latest@3",
      "claude-3-5-sonnet-latest@2",
      "gpt-4o@2",
    ]);
  });

  it("names a value returned by a model getter by the getter, not by any function", async () => {
    const ts = [
      "export function getRecommendedModel(provider: string): string {",
      "  switch (provider) {",
      '    case "deepseek": return "deepseek-v4-flash";',
      '    default: return "llama3.2";',
      "  }",
      "}",
      'const defaultModel = () => "qwen2.5-coder";',
      'function addPaginationModel(model: Model) { return "owners/ownersList"; }',
      'function label() { return "llama3.1"; }',
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), ["deepseek-v4-flash@3", "llama3.2@4", "qwen2.5-coder@7"]);
    const py = 'def get_default_model_name():\n    return "nemo-house"\n';
    assert.deepEqual(await models("python", py), []);
    const py2 = 'def get_default_model_name():\n    return "deepseek-v3"\n';
    assert.deepEqual(await models("python", py2), ["deepseek-v3@2"]);
  });

  it("names a `name` or `id` given to a call named after a model by the call", async () => {
    const py = [
      'cfg = EmbeddingModelConfig(name="mxbai-embed-large", mode="openai")',
      'user = User(name="mxbai-embed-large")',
      'f = models.CharField(name="llama3")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["mxbai-embed-large@1"]);
    const ts = 'const a = new LlmSpec({ id: "qwen2.5-coder" });\nconst b = new Person({ id: "qwen2.5-coder" });\n';
    assert.deepEqual(await models("typescript", ts), ["qwen2.5-coder@1"]);
  });

  it("does not take tokenizer encodings, Spring views or image names for models", async () => {
    const py = [
      "import tiktoken",
      "enc = tiktoken.encoding_for_model('gpt-3.5-turbo')",
      'image = modal.Image.from_registry("nvidia/cuda:12.1.0-base-ubuntu22.04")',
    ].join("\n");
    assert.deepEqual(await models("python", py), []);
    const java = ["class C {", '  ModelAndView show() { return new ModelAndView("owners/ownerDetails"); }', "}"].join(
      "\n",
    );
    assert.deepEqual(await models("java", java), []);
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

describe("model ids named by the code around them (issue 15, round 5)", () => {
  it("reads the keys of a table keyed by model id, open-weight names with a size included", async () => {
    const py = [
      "RANKS = {",
      '    "koala-13b": 0,',
      '    "phi-3-mini-4k": 1,',
      "}",
      "MODEL_RANKS = {",
      '    "koala-13b": 0,',
      '    "phi-3-mini-4k": 1,',
      '    "mystery-7b-chat": 2,',
      '    "latest": 3,',
      "}",
      "model_kwargs = {",
      '    "load-in-8b": True,',
      "}",
      'PROVIDER_MODELS = {"mistral": ["mistral-large-latest"]}',
    ].join("\n");
    assert.deepEqual(await models("python", py), [
      "koala-13b@6",
      "mistral-large-latest@14",
      "mystery-7b-chat@8",
      "phi-3-mini-4k@7",
    ]);
  });

  it("names a key looked up in a table by the table, and a record's id field by the list of models", async () => {
    const py = ['if "vicuna-13b" in seen:', '    elo = model_scores["vicuna-13b"] + config["vicuna-13b"]'].join("\n");
    assert.deepEqual(await models("python", py), ["vicuna-13b@2"]);
    const ts = [
      "const chatModels = [",
      "  { name: 'Reasoning large', key: 'o3' },",
      "  { name: 'mini-embed-l6-v2', key: 'someorg/mini-embed-l6-v2' },",
      "];",
      "const routes = [{ key: 'o3' }];",
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), ["o3@2", "someorg/mini-embed-l6-v2@3"]);
  });
});

describe("model ids named by the code around them (issue 15, round 7)", () => {
  it("names a value compared with a variable, and the values of a loop over a literal, by the variable", async () => {
    const py = [
      'if model_name == "o3-mini" or "o1" in model_name:',
      "    pass",
      'if kind in ("o3", "chat"):',
      "    pass",
      'for model_id in ("o1", "o1-2024-12-17"):',
      "    register(model_id)",
      'for name in ("o4-mini",):',
      "    pass",
    ].join("\n");
    assert.deepEqual(await models("python", py), ["o1-2024-12-17@5", "o1@5", "o3-mini@1"]);
    const go = ["package gollm", 'func f() { if chat.model == "gemma-3-27b-it" { return } }'].join("\n");
    assert.deepEqual(await models("go", go), ["gemma-3-27b-it@2"]);
    const ts = 'for (const model of ["o3", "o4-mini"]) {}\nif (x === "o1") {}\n';
    assert.deepEqual(await models("typescript", ts), ["o3@1", "o4-mini@1"]);
  });

  it("names a positional argument of a local class by its constructor's parameter, inherited or not", async () => {
    const py = [
      "class _Shared:",
      "    def __init__(self, model_id, key=None):",
      "        self.model_id = model_id",
      "class Chat(_Shared, KeyModel):",
      "    pass",
      "class Responses(_Shared):",
      "    def __init__(self, model_id, vision=False):",
      "        super().__init__(model_id)",
      "class Tool:",
      "    def __init__(self, name):",
      "        self.name = name",
      'register(Chat("o3"), Responses("o4-mini", vision=True), Tool("o1"))',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["o3@12", "o4-mini@12"]);
  });

  it("names the values of a Literal type by the parameter or field it annotates", async () => {
    const py = [
      'def compose(model_id: Literal["music_v1", "music_v2"] = "music_v2", mode: Literal["music_v3"] = "x"):',
      "    pass",
      "class Settings:",
      '    stt_model: Literal["scribe_v1"] = "scribe_v1"',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["music_v1@1", "music_v2@1", "scribe_v1@4"]);
  });

  it("reads known ids in the prose of help texts and docstrings, never in comments or JSDoc", async () => {
    const go = [
      "package main",
      'func flags() { f.StringVar(&o.ModelID, "model", o.ModelID, "language model e.g. gemini-2.0-flash-thinking-exp-01-21, gemini-2.0-flash") }',
      "// the default model is gemini-2.5-pro-exp-03-25",
    ].join("\n");
    assert.deepEqual(await models("go", go), ["gemini-2.0-flash-thinking-exp-01-21@2", "gemini-2.0-flash@2"]);
    const py = [
      "def tts(model_id: str):",
      '    """Models:',
      "    - eleven_v3: High quality model with most expressive voices",
      "    - eleven_turbo_v2_5: Balanced quality and speed",
      "    - music_v2: a weak id in prose, not taken",
      '    """',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["eleven_turbo_v2_5@4", "eleven_v3@3"]);
    const ts = [
      "/**",
      " * @example",
      " * const agent = new Agent({ model: anthropic('claude-sonnet-4-20250514') });",
      " *   bun run eval -- --model openai:gpt-5",
      " */",
      'program.option("--modelName <model>", "The model to use for Stagehand (default: gemini-2.0-flash)");',
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), ["gemini-2.0-flash@6"]);
  });

  it("reads `-m MODEL` in usage docstrings, and Ollama commands in messages", async () => {
    const py = [
      "def prompt():",
      '    """Execute a prompt',
      "",
      "        llm 'Capital of France?' -m gpt-5.5",
      "        python -m http.server",
      '    """',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["gpt-5.5@4"]);
    const ts =
      "console.error('No models found. Pull one:\\n' + '  ollama pull qwen3\\n' + '  ollama pull deepseek-v3.1\\n')";
    assert.deepEqual(await models("typescript", ts), ["deepseek-v3.1@1", "qwen3@1"]);
  });

  it("reads JSON and YAML kept in strings: a name under a model object, a list under a model key", async () => {
    const py = [
      'PAYLOAD = {"model_configuration": {"name": "truefoundry/openai-main/gpt-4o-mini"}, "name": "other/x-1"}',
      "class Parser:",
      '    """',
      "    {",
      '        "parameters": {',
      '            "model_configuration": {',
      '                "name" : "faster-whisper/Systran/faster-distil-whisper-large-v3"',
      "            },",
      '            "name": "someorg/not-a-model-2"',
      "        }",
      "    }",
      '    """',
      'CONFIG = f"""',
      "  - provider_name: gateway",
      "    llm_model_ids:",
      '      - "openai-main/gpt-4-turbo"',
      '      - "together-ai/llama-3-70b-chat-hf"',
      "    base_url: {url}",
      '"""',
    ].join("\n");
    assert.deepEqual(await models("python", py), [
      "faster-whisper/Systran/faster-distil-whisper-large-v3@7",
      "openai-main/gpt-4-turbo@16",
      "together-ai/llama-3-70b-chat-hf@17",
      "truefoundry/openai-main/gpt-4o-mini@1",
    ]);
    const tsx =
      'export const defaults = `{\n  "model_configuration": {\n    "name": "truefoundry/openai-main/gpt-4o-mini"\n  }\n}`\n';
    assert.deepEqual(await models("tsx", tsx), ["truefoundry/openai-main/gpt-4o-mini@3"]);
  });

  it("keeps a strong id in a prefix list, never a bare family or an alias", async () => {
    const ts = [
      "const ANTHROPIC_ALLOWED_PREFIXES = ['claude-opus-4', 'claude-haiku-4x']",
      "const GOOGLE_ALLOWED_PREFIXES = ['gemini-2.5', 'gemini-3']",
    ].join("\n");
    assert.deepEqual(await models("typescript", ts), ["claude-opus-4@1"]);
    const py = 'register(Chat("gpt-4-turbo"), aliases=("gpt-4-turbo-preview", "4-turbo", "4t"))';
    assert.deepEqual(await models("python", py), ["gpt-4-turbo@1"]);
  });

  it("does not take tokenizers, hub datasets, local run folders or router groups for models", async () => {
    const py = [
      'tok = AutoTokenizer.from_pretrained("thenlper/gte-small")',
      'snapshot_download(repo_id="gaia-benchmark/GAIA", repo_type="dataset")',
      'snapshot_download("someorg/space-1", repo_type="space")',
      'merge(peft_model_id="runs/llama-3-1-8b-qlora-ep1")',
      'agent = LiteLLMRouterModel(model_id="model-group-1")',
      'check(model_id="something/else/o3")',
      'output = "text-embedding-ada-002\\n"',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["text-embedding-ada-002@7"]);
  });
});

describe("notebook shell cells (issue 15, round 7)", () => {
  it("reads a %%bash cell as shell: NAME=value assignments and flags", async () => {
    const notebook = JSON.stringify({
      cells: [
        {
          cell_type: "code",
          source: [
            "%%bash\n",
            "num_gpus=1\n",
            "model_id=someorg/llama-3-1-8b-math-ep1 # replace with your model id\n",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: shell ${VAR} syntax is the input
            "docker run --gpus ${num_gpus} tgi --model-id ${model_id}\n",
          ],
        },
      ],
    });
    assert.deepEqual(await models("python", notebookCode(notebook)), ["someorg/llama-3-1-8b-math-ep1@3"]);
  });
});

describe("MCP servers in scripts kept as strings, and handlers serving a factory (issue 15, round 7)", () => {
  async function servers(language: SourceLanguage, text: string, rel: string) {
    return (await analyzeIn(language, text, rel)).mcpServers.map((s) => `${s.name}@${s.line}`);
  }
  async function analyzeIn(language: SourceLanguage, text: string, rel: string) {
    const parsers = await loadParsers();
    const tree = parsers[language].parse(text);
    assert.ok(tree);
    try {
      return analyzeFacts({ facts: extractFacts(tree, language), rel, language, text, index, catalog });
    } finally {
      tree.delete();
    }
  }

  it("names a FastMCP server written in a string that a test launches, once per name", async () => {
    const py = [
      "import subprocess",
      "SCRIPT = dedent(",
      "    '''",
      "    from mcp.server.fastmcp import FastMCP",
      "",
      '    mcp = FastMCP("Echo Server")',
      "    '''",
      ")",
      'OTHER = """from fastmcp import FastMCP\\nmcp = FastMCP(name="Echo Server")\\n"""',
      'PROSE = "call FastMCP(\\"not a script\\") to build one"',
    ].join("\n");
    assert.deepEqual(await servers("python", py, "tests/test_mcp_client.py"), ["Echo Server@6"]);
  });

  it("does not count a web handler serving a server its factory builds", async () => {
    const ts = [
      'import { McpServer, createMcpHandler } from "@modelcontextprotocol/server";',
      "function createMcpServer() {",
      '  return new McpServer({ name: "Context7", version: "1" });',
      "}",
      "const handler = createMcpHandler(() => createMcpServer(), { keepAliveMs: 0 });",
    ].join("\n");
    assert.deepEqual(await servers("typescript", ts, "src/index.ts"), ["Context7@3"]);
  });
});
