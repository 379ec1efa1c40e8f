/**
 * Classes of misses found on round 8 of the AI-BOM corpus (issue 15), each with a small case of
 * its own: package conventions (umbrella imports, extras, packages a dependency brings in,
 * private workspace packages, commented-out notebook installs), model-id conventions (newer
 * families, nested and keyed tables, provider and keyword names, stand-ins, infrastructure as
 * code, interpolation defaults, namespaced flags, prose kept in data) and MCP server naming.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { matchModel } from "./models.js";
import { scanCodebase } from "./scan.js";
import { createSdkIndex } from "./sdk-index.js";
import { analyzeFacts } from "./source/analyze.js";
import { embeddedModelCandidates, proseTokens } from "./source/embedded.js";
import { extractFacts } from "./source/facts.js";
import { loadParsers } from "./source/parsers.js";
import type { SourceLanguage } from "./walk.js";

const catalog = loadAiCatalog();
const index = createSdkIndex(catalog);

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "palisade-r8-"));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

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
const sdkKeys = (sdks: { name: string; manifest?: string }[]) =>
  sdks.map((s) => `${s.name}@${s.manifest ?? "-"}`).sort();
const notebook = (...cells: string[]) =>
  JSON.stringify({
    cells: cells.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [] })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

describe("round 8: packages", () => {
  it("knows AI packages the catalog lacked, by import and by name", () => {
    assert.equal(index.resolve("pypi", "awq")?.name, "autoawq");
    assert.equal(
      index.resolve("pypi", "haystack_integrations.components.generators.mistral")?.name,
      "mistral-haystack",
    );
    assert.equal(index.resolve("pypi", "azure.ai.evaluation")?.name, "azure-ai-evaluation");
    assert.equal(index.resolve("pypi", "haystack_integrations.components.generators.other"), undefined);
    assert.equal(index.byName("npm", "vitest-evals")?.category, "tooling");
    assert.equal(index.byName("gem", "ruby_llm-anything")?.provider, "ruby-llm");
    assert.equal(index.byName("gem", "ruby_llm")?.name, "ruby_llm");
  });

  it("reports an umbrella's shared namespace under the umbrella, or the split package a manifest declares", async () => {
    const code = "from agent_framework import ChatAgent\nagent = ChatAgent()\n";
    const declared = await scanCodebase(
      await project({
        "svc/pyproject.toml": '[project]\nname = "svc"\ndependencies = ["agent-framework-core>=1"]\n',
        "svc/app.py": code,
      }),
    );
    assert.deepEqual(sdkKeys(declared.sdks), ["agent-framework-core@svc/pyproject.toml"]);
    const undeclared = await scanCodebase(await project({ "app.py": code }));
    assert.deepEqual(sdkKeys(undeclared.sdks), ["agent-framework@-"]);
  });

  it("reads the extras of an agent framework and of langchain as the packages they install", async () => {
    const result = await scanCodebase(
      await project({
        "a/requirements.txt": "ag2[openai,mcp]>=0.9\n",
        "b/pyproject.toml": '[project]\nname = "b"\ndependencies = ["langchain[anthropic]>=1"]\n',
      }),
    );
    const names = sdkKeys(result.sdks);
    for (const name of ["openai@a/requirements.txt", "mcp@a/requirements.txt", "langchain-anthropic@b/pyproject.toml"])
      assert.ok(names.includes(name), `${name} in ${names.join(", ")}`);
  });

  it("attributes a module another declared or installed package provides to that package", async () => {
    const result = await scanCodebase(
      await project({
        "agents/requirements.txt": "ag2[openai]\n",
        "agents/run.py": "import autogen\nassistant = autogen.AssistantAgent('a')\n",
        "crawl/pyproject.toml": '[project]\nname = "crawl"\ndependencies = ["firecrawl>=4"]\n',
        "crawl/fetch.py": "from firecrawl import Firecrawl\n",
        "trace.ipynb": notebook("!pip install arize-phoenix\n", "from phoenix.otel import register\nregister()\n"),
      }),
    );
    const names = sdkKeys(result.sdks);
    assert.ok(!names.some((n) => n.startsWith("pyautogen")), names.join(", "));
    assert.ok(!names.includes("firecrawl-py@-"), names.join(", "));
    assert.ok(!names.includes("arize-phoenix-otel@-"), names.join(", "));
    assert.ok(names.includes("arize-phoenix@-"), names.join(", "));
  });

  it("takes a dependency on one of the repository's private workspace packages for first-party code", async () => {
    const result = await scanCodebase(
      await project({
        "packages/core/package.json": JSON.stringify({ name: "@acme/mcp-core", private: true }, null, 2),
        "packages/cli/package.json": JSON.stringify(
          {
            name: "@acme/mcp-cli",
            dependencies: { "@acme/mcp-core": "workspace:*", "@modelcontextprotocol/sdk": "^1.0.0" },
          },
          null,
          2,
        ),
        "packages/cli/src/main.ts": 'import { start } from "@acme/mcp-core";\nstart();\n',
      }),
    );
    assert.deepEqual(sdkKeys(result.sdks), ["@modelcontextprotocol/sdk@packages/cli/package.json"]);
  });

  it("reads a notebook's pip installs, not those its author commented out", async () => {
    const result = await scanCodebase(
      await project({ "nb.ipynb": notebook("# !pip install sentence-transformers\n!pip install ragas\n") }),
    );
    assert.deepEqual(sdkKeys(result.sdks), ["ragas@-"]);
  });
});

describe("round 8: model families", () => {
  it("knows newer ids of known providers anywhere, and the families that need a model name", () => {
    for (const [id, provider] of [
      ["MiniMax-M2.5-highspeed", "minimax"],
      ["qwen3-max", "alibaba"],
      ["deepseek-v4-pro", "deepseek"],
      ["grok-4.20-multi-agent-0309", "xai"],
      ["grok-code-fast-1", "xai"],
      ["claude-mythos-5", "anthropic"],
      ["gemini-2.5-flash-preview-tts", "google"],
      ["voxtral-small-latest", "mistral"],
      ["codestral-embed", "mistral"],
      ["mistral-document-ai-2505", "mistral"],
      ["Mistral-Large-3", "mistral"],
    ] as const)
      assert.equal(matchModel(id, undefined, catalog)?.provider, provider, id);
    assert.equal(matchModel("kimi-k2-turbo-preview", undefined, catalog), undefined);
    assert.equal(matchModel("kimi-k2-turbo-preview", "model", catalog)?.provider, "moonshot");
    assert.equal(matchModel("glm-4.6-turbo", "llm_model", catalog)?.provider, "zhipu");
  });

  it("takes versioned stand-ins under a provider prefix, one-letter names and placeholder words for no model", () => {
    for (const [id, context] of [
      ["anthropic/claude-z", undefined],
      ["openai/gpt-y", "model"],
      ["acme/x", "model"],
      ["lms/my-model", "model"],
      ["any.model-v2:1", "model"],
      ["local-chat-13b", "model"],
      ["apple/watchos", undefined],
    ] as const)
      assert.equal(matchModel(id, context, catalog), undefined, id);
    assert.equal(matchModel("openai/gpt-4.1", undefined, catalog)?.provider, "openai");
    assert.equal(matchModel("microsoft/Phi-4-mini", undefined, catalog)?.provider, "huggingface");
  });
});

describe("round 8: model context in source", () => {
  it("reads lists nested in a table named after models, and the keys of a table of known ids", async () => {
    const py = [
      "_ACME_MODELS = {",
      '    "fast": [("Acme Turbo - quick", "acme-turbo-v2.1"), ("Custom", "custom")],',
      "}",
      "PRICES = {",
      '    "gpt-4o": 1.0,',
      '    "gpt-4o-mini": 0.5,',
      '    "gpt-3.5-turbo": 0.1,',
      '    "o3-mini": 0.25,',
      "}",
      'FAMILIES = {"mistral": 1, "llama3": 2, "gemma": 3, "default": 0}',
    ].join("\n");
    assert.deepEqual(await models("python", py), [
      "acme-turbo-v2.1@2",
      "gpt-3.5-turbo@7",
      "gpt-4o-mini@6",
      "gpt-4o@5",
      "o3-mini@8",
    ]);
  });

  it("takes a key naming the id's own family for context, and a provider's or keyword list's name for none", async () => {
    const py = [
      'DEFAULTS = {"glm": ("glm-4.6", None), "qwen": ("qwen3", None)}',
      'if chosen_llm_provider == "mistral":',
      "    pass",
      '_LOCAL_MODEL_PROVIDERS = ("ollama", "mistral")',
      '_MODEL_KEYWORDS = ("mixtral", "gemma")',
      'gpt5Pattern = "gpt-5"',
      'name, provider = split_model_and_provider("ollama/llama3.2")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["glm-4.6@1", "gpt-5@6", "ollama/llama3.2@7", "qwen3@1"]);
  });

  it("reads an example or default org/name in a help text, not a Markdown link's text, and one piece of a concatenation", async () => {
    const py = [
      'ask("Model id to use (e.g. meta-llama/Llama-3.3-70B-Instruct):")',
      'HELP = "See the [Qwen2.5-7B report](https://example.org/r) for the model."',
      "raise ValueError(",
      "    \"Set MAIN_LLM = '<provider>:<model>' \"",
      "    \"Eg 'anthropic:claude-sonnet-4-5'\"",
      ")",
    ].join("\n");
    assert.deepEqual(await models("python", py), [
      "anthropic:claude-sonnet-4-5@5",
      "meta-llama/Llama-3.3-70B-Instruct@1",
    ]);
    assert.deepEqual(
      proseTokens("works with openai/gpt-4.1 and other models").map((c) => c.value),
      [],
      "an org/name in running prose is not an example",
    );
  });

  it("takes no example written in a comment's prose, but a setting commented out", () => {
    const candidates = embeddedModelCandidates('# the id (e.g. "gpt-4o") is resolved later\n# model = "gpt-4o-mini"', {
      comment: true,
    }).map((c) => c.value);
    assert.deepEqual(candidates, ["gpt-4o-mini"]);
  });

  it("takes a hub repository read for its tokenizer file only for no model", async () => {
    const py = [
      "from huggingface_hub import hf_hub_download",
      'repo = "mistralai/Mistral-Nemo-Instruct-2407"',
      'path = hf_hub_download(repo, filename="tekken.json")',
      'weights = hf_hub_download("Qwen/Qwen3-0.6B", filename="model.safetensors")',
    ].join("\n");
    assert.deepEqual(await models("python", py), ["Qwen/Qwen3-0.6B@4"]);
  });
});

describe("round 8: model ids in configuration", () => {
  it("reads the default of an interpolated variable, and no deployment's capacity or SKU", () => {
    /** `${NAME=value}` as azd and Docker Compose write it. */
    const variable = (name: string, separator: string, value: string) => `$\{${name}${separator}${value}}`;
    const json = JSON.stringify(
      {
        parameters: {
          chatModelName: { value: variable("AZURE_OPENAI_CHAT_MODEL", "=", "gpt-4.1-mini") },
          chatDeploymentCapacity: { value: variable("AZURE_OPENAI_CHAT_DEPLOYMENT_CAPACITY", "=", "30") },
          chatDeploymentSku: { value: variable("AZURE_OPENAI_CHAT_DEPLOYMENT_SKU", "=", "GlobalStandard") },
        },
      },
      null,
      2,
    );
    assert.deepEqual(
      configModels(json, "json", catalog).map((m) => m.id),
      ["gpt-4.1-mini"],
    );
    const compose = `services:\n  app:\n    environment:\n      IMAGE_MODEL: ${variable("IMAGE_MODEL", ":-", "imagen-3.0-generate-002")}\n`;
    assert.deepEqual(
      configModels(compose, "yaml", catalog).map((m) => `${m.id}@${m.line}`),
      ["imagen-3.0-generate-002@4"],
    );
  });

  it("reads namespaced flags, and env names of several words ending in MODEL", () => {
    const sh =
      "deepspeed train.py \\\n   --actor.model_name_or_path Qwen/Qwen3-1.7B \\\n   --data.dataset_name acme/prompts\n";
    assert.deepEqual(
      configModels(sh, "shell", catalog).map((m) => m.id),
      ["Qwen/Qwen3-1.7B"],
    );
    const env = "ACME_AI_CHAT_MODEL=acme-chat-v2\nHF_OUTPUT_MODEL=acme-tuned-v3\n";
    assert.deepEqual(
      configModels(env, "env", catalog).map((m) => m.id),
      ["acme-chat-v2"],
    );
  });

  it("reads no code in the text of issues and reports kept as data, but a request body's JSON", () => {
    const json = JSON.stringify([
      { title: "Empty report", body: 'My settings:\nSMART_LLM="openai:gpt-4.1"\nand it fails.' },
      { request: { body: '{"model":"gpt-4o-mini","stream":true}' } },
    ]);
    assert.deepEqual(
      configModels(json, "json", catalog).map((m) => m.id),
      ["gpt-4o-mini"],
    );
  });

  it("takes no source repository slug for a model", () => {
    assert.deepEqual(configModels("GITHUB_REPO=mistralai/cookbook\n", "env", catalog), []);
  });

  it("reads infrastructure as code, direnv files, plural env templates and large notebooks", async () => {
    const cells = notebook('from openai import OpenAI\nOpenAI().responses.create(model="gpt-4.1")\n');
    const big = JSON.parse(cells) as { cells: { outputs: unknown[] }[] };
    big.cells[0]?.outputs.push({ output_type: "display_data", data: { "image/png": "A".repeat(3 * 1024 * 1024) } });
    const result = await scanCodebase(
      await project({
        "infra/main.bicep": "param chatModelName string = 'gpt-4o-mini'\nvar embedding = 'text-embedding-3-large'\n",
        "infra/prod.tfvars": 'openai_model_name = "gpt-4.1"\n',
        ".envrc": "# export ACME_MODEL=claude-haiku-4-5\n",
        "svc/env.examples": "CHAT_MODEL=mistral-medium-2508\n",
        "big.ipynb": JSON.stringify(big),
      }),
    );
    const found = result.models.map((m) => `${m.id}@${m.file}`).sort();
    assert.deepEqual(found, [
      "claude-haiku-4-5@.envrc",
      "gpt-4.1@big.ipynb",
      "gpt-4.1@infra/prod.tfvars",
      "gpt-4o-mini@infra/main.bicep",
      "mistral-medium-2508@svc/env.examples",
      "text-embedding-3-large@infra/main.bicep",
    ]);
  });
});

describe("round 8: MCP servers implemented in code", () => {
  it("names a server built from a renamed import with an info object, by a constant of another file", async () => {
    const result = await scanCodebase(
      await project({
        "src/constants.ts": 'export const MCP_SERVER_NAME = "Acme Tools" as const;\n',
        "src/server.ts": [
          'import { McpServer as LegacyServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
          'import { MCP_SERVER_NAME } from "./constants";',
          "export function build() {",
          '  const serverInfo = { name: MCP_SERVER_NAME, version: "1.0.0" };',
          "  const server = new LegacyServer(serverInfo);",
          "  return server;",
          "}",
        ].join("\n"),
      }),
    );
    assert.deepEqual(
      result.mcpImplementations.map((m) => `${m.name}@${m.file}`),
      ["Acme Tools@src/server.ts"],
    );
  });

  it("names a server by the default constant of the name it is given", async () => {
    const go = [
      "package main",
      'import "github.com/mark3labs/mcp-go/server"',
      'const defaultServerName = "acme-mcp"',
      "func newServer(serverName string) *server.MCPServer {",
      '\treturn server.NewMCPServer(serverName, "1.0.0")',
      "}",
    ].join("\n");
    const result = await scanCodebase(await project({ "cmd/acme/main.go": go }));
    assert.deepEqual(
      result.mcpImplementations.map((m) => m.name),
      ["acme-mcp"],
    );
  });

  it("names a subclass that passes its arguments up where it is built, and no unnamed sub-server beside it", async () => {
    const py = [
      "from mcp.server.fastmcp import FastMCP",
      "class Dispatcher(FastMCP):",
      "    def __init__(self, *args, inner: FastMCP, **kwargs):",
      "        super().__init__(*args, **kwargs)",
      "        self.inner = inner",
      "def create():",
      "    inner = FastMCP()",
      '    return Dispatcher(name="acme", inner=inner)',
    ].join("\n");
    const result = await scanCodebase(await project({ "src/acme/server.py": py }));
    assert.deepEqual(
      result.mcpImplementations.map((m) => `${m.name}@${m.line}`),
      ["acme@8"],
    );
  });
});
