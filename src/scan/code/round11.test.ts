/**
 * Classes of misses found on round 11 of the AI-BOM corpus (issue 15), each with a small case of
 * its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aTree } from "../../../test/helpers/tree.js";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { parseMcpConfig } from "./mcp.js";
import { matchModel } from "./models.js";
import { scanCodebase } from "./scan.js";

const catalog = loadAiCatalog();

describe("round 11 classes", () => {
  it("knows OpenAI's realtime, transcription, image, video, moderation and first-generation embedding families", () => {
    for (const id of [
      "gpt-realtime",
      "gpt-realtime-2.1-mini",
      "gpt-realtime-mini-2025-10-06",
      "gpt-live-transcribe",
      "gpt-4o-transcribe-diarize",
      "gpt-image-1.5",
      "chatgpt-image-latest",
      "sora-2-pro",
      "computer-use-preview-2025-03-11",
      "omni-moderation-2024-09-26",
      "text-search-babbage-query-001",
    ])
      assert.equal(matchModel(id, undefined, catalog)?.provider, "openai", id);
    // Bare GPT-3 names stay context-only.
    assert.equal(matchModel("ada", undefined, catalog), undefined);
    assert.equal(matchModel("davinci-instruct-beta", "model", catalog)?.provider, "openai");
  });

  it("knows Voyage AI embeddings and promptfoo's provider:api:model ids", () => {
    assert.equal(matchModel("voyage-code-2", undefined, catalog)?.provider, "voyage");
    assert.equal(matchModel("anthropic:messages:claude-3-haiku-20240307", undefined, catalog)?.provider, "anthropic");
    assert.equal(matchModel("openai:chat:gpt-4o-mini", undefined, catalog)?.provider, "openai");
    assert.equal(matchModel("voyage-trip", undefined, catalog), undefined);
  });

  it("reads every constant of a Go const block whose constants are mostly known models", async () => {
    const root = await aTree({
      "models.go": [
        "package client",
        "const (",
        '\tGPT4o = "gpt-4o"',
        '\tGPT4 = "gpt-4"',
        '\tGPT41Mini = "gpt-4.1-mini"',
        '\tO1 = "o1"',
        '\tGPT3Davinci = "davinci"',
        ")",
        "const (",
        '\tDefaultUser = "admin"',
        '\tDefaultModel = "gpt-4o"',
        ")",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual([...new Set(report.models.map((m) => m.id))].sort(), [
      "davinci",
      "gpt-4",
      "gpt-4.1-mini",
      "gpt-4o",
      "o1",
    ]);
  });

  it("names an environment variable's default by the constant that holds the variable's name", async () => {
    const root = await aTree({
      "defaults.py": [
        "import os",
        "def default_model():",
        '    return os.getenv(OPENAI_DEFAULT_MODEL_ENV_VARIABLE_NAME, "gpt-5.6-luna").lower()',
        "def region():",
        '    return os.getenv(REGION_ENV_VARIABLE_NAME, "gpt-east-1")',
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => m.id),
      ["gpt-5.6-luna"],
    );
  });

  it("reads a YAML spec over the file limit written line by line, not a cassette of long lines", async () => {
    const spec = ["components:", "  schemas:", "    ModelIds:", "      enum:"];
    for (let i = 0; spec.join("\n").length < 4000; i++) spec.push(`        - "acme-model-${i}"`);
    spec.push('    Example:\n      model: "gpt-4o-mini"');
    const cassette = `http_interactions:\n- request:\n    body: '{"model": "gpt-4.1"}'\n  response:\n    body: "${"A".repeat(9000)}"\n`;
    const root = await aTree({ "openapi.yaml": spec.join("\n"), "cassettes/paint.yml": cassette });
    const report = await scanCodebase(root, { catalog, limits: { maxFileBytes: 3000 } });
    assert.deepEqual(
      report.models.map((m) => [m.id, m.file]),
      [["gpt-4o-mini", "openapi.yaml"]],
    );
  });

  it("reads goose's extensions: stdio commands, remote URIs and built-in extensions", () => {
    const yaml = [
      "GOOSE_PROVIDER: google",
      "extensions:",
      "  developer:",
      "    bundled: true",
      "    enabled: true",
      "    name: developer",
      "    type: builtin",
      "  github:",
      "    args: ['-y', '@modelcontextprotocol/server-github']",
      "    cmd: npx",
      "    enabled: true",
      "    type: stdio",
      "  search:",
      "    uri: https://search.example.com/sse",
      "    enabled: false",
      "    type: sse",
    ].join("\n");
    const result = parseMcpConfig(yaml, { file: ".config/goose/config.yaml" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.client, s.disabled === true]),
      [
        ["developer", "builtin", "goose", false],
        ["github", "stdio", "goose", false],
        ["search", "sse", "goose", true],
      ],
    );
    // A VS Code `extensions` recommendation list is no server table.
    assert.deepEqual(
      parseMcpConfig('{"extensions": {"recommendations": ["ms-python.python"]}}', { file: "x.json" }).servers,
      [],
    );
  });

  it("reads an MCP entry of a tool list (a Codex skill's dependencies)", () => {
    const yaml = [
      "dependencies:",
      "  tools:",
      '    - type: "mcp"',
      '      value: "docs"',
      '      transport: "streamable_http"',
      '      url: "https://docs.example.com/mcp"',
      '    - type: "cli"',
      '      value: "jq"',
    ].join("\n");
    const result = parseMcpConfig(yaml, { file: "skills/docs/agents/openai.yaml" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.url]),
      [["docs", "http", "https://docs.example.com/mcp"]],
    );
  });
  it("takes the model a serving command names (`vllm serve ORG/NAME`)", () => {
    const script =
      "#!/bin/bash\nexec vllm serve Qwen/Qwen2.5-Coder-1.5B-Instruct \\\n  --port 8000\nvllm serve $MODEL\n";
    assert.deepEqual(
      configModels(script, "shell", catalog).map((m) => [m.id, m.line]),
      [["Qwen/Qwen2.5-Coder-1.5B-Instruct", 2]],
    );
  });

  it("reads the model of a JSON request body on a script's command line", () => {
    const script = `curl -s http://localhost:8000/v1/completions -d '{"model": "facebook/opt-125m", "prompt": "Once"}'\n`;
    assert.deepEqual(
      configModels(script, "shell", catalog).map((m) => m.id),
      ["facebook/opt-125m"],
    );
  });

  it("keeps the name of an entry that holds its model under a key of its own as a label", () => {
    const yaml = [
      "modelSpec:",
      '  - name: "llama3"',
      '    modelURL: "meta-llama/Llama-3.1-8B-Instruct"',
      "models:",
      '  - name: "mistral"',
    ].join("\n");
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["meta-llama/Llama-3.1-8B-Instruct", "mistral"],
    );
  });

  it("names the string members of a TypeScript union type by its alias, and reads SQL defaults", async () => {
    const root = await aTree({
      "types/llms.ts":
        'export type PerplexityLLMID =\n  | "codellama-34b-instruct" // CodeLlama\n  | "mixtral-8x7b-instruct"\n',
      "supabase/seed.sql": "INSERT INTO presets (model) VALUES ('gpt-4-turbo-preview');\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => [m.id, m.file]).sort(), [
      ["codellama-34b-instruct", "types/llms.ts"],
      ["gpt-4-turbo-preview", "supabase/seed.sql"],
      ["mixtral-8x7b-instruct", "types/llms.ts"],
    ]);
  });
  it("finds servers built from the repository's own FastMCP subclasses, across files and levels", async () => {
    const root = await aTree({
      "pkg/errors.py": [
        "from fastmcp import FastMCP",
        "class ErrorPreservingFastMCP(FastMCP[T]):",
        "    def __init__(self, *args, **kwargs):",
        "        super().__init__(*args, **kwargs)",
      ].join("\n"),
      "pkg/main.py": [
        "from .errors import ErrorPreservingFastMCP",
        "class AtlassianMCP(ErrorPreservingFastMCP[Ctx]):",
        "    pass",
        'main_mcp = AtlassianMCP("Atlassian MCP")',
      ].join("\n"),
      "pkg/jira.py":
        'from .errors import ErrorPreservingFastMCP\njira_mcp = ErrorPreservingFastMCP("Jira MCP Service")\n',
      "pkg/other.py": 'class McpSettings(BaseModel):\n    pass\nsettings = McpSettings("not a server")\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.mcpImplementations.map((m) => [m.name, m.file, m.sdk]).sort(), [
      ["Atlassian MCP", "pkg/main.py", "fastmcp"],
      ["Jira MCP Service", "pkg/jira.py", "fastmcp"],
    ]);
  });
  it("reads an MCP server defined as data: a top-level serverInfo beside its tools", () => {
    const json = JSON.stringify({
      serverInfo: { name: "composable-demo", version: "1.0.0" },
      tools: [{ preset: "echo" }, { name: "get_temp" }],
      transport: { type: "stdio" },
    });
    const result = parseMcpConfig(json, { file: "test-servers/configs/demo.json" });
    assert.deepEqual(
      result.implementations.map((m) => [m.name, m.tools]),
      [["composable-demo", ["echo", "get_temp"]]],
    );
    // A recorded initialize answer nests it under `result`: no server of this repository.
    const recorded = JSON.stringify({ result: { serverInfo: { name: "remote", version: "1" }, tools: [] } });
    assert.deepEqual(parseMcpConfig(recorded, { file: "fixtures/init.json" }).implementations, []);
  });
});
