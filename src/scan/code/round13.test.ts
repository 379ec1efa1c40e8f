/**
 * Classes of misses found on round 13 of the AI-BOM corpus (issue 15), each with a small case of
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
import { renderTemplateShape } from "./template-text.js";
import { chezmoiTarget, classifyFile } from "./walk.js";

const catalog = loadAiCatalog();

const names = (text: string, file: string) =>
  parseMcpConfig(text, { file })
    .servers.map((s) => s.name)
    .sort();

describe("round 13 classes", () => {
  it("renders a template's shape: first branch of each if, values as distinct stand-ins, lines kept", () => {
    const text = [
      "{",
      '  "a": "{{ .host }}",',
      "  {{- if .work }}",
      '  "b": 1,',
      "  {{- else }}",
      '  "b": 2,',
      "  {{- end }}",
      '  "c": {{ quote .x }}',
      "}",
    ].join("\n");
    const shape = renderTemplateShape(text);
    assert.ok(shape !== undefined);
    assert.equal(shape.split("\n").length, text.split("\n").length);
    assert.deepEqual(JSON.parse(shape), { a: "_1", b: 1, c: "_2" });
    assert.equal(renderTemplateShape('{"plain": true}'), undefined);
    // A value named like a keyword is still a value.
    assert.deepEqual(JSON.parse(renderTemplateShape('{"u": "{{ endpoint }}", "v": {{ elsewhere }}}') ?? ""), {
      u: "_1",
      v: "_2",
    });
    // Jinja blocks and comments render nothing.
    assert.deepEqual(JSON.parse(renderTemplateShape('{# note #}{% if x %}{"k": "{{ v }}"}{% endif %}') ?? ""), {
      k: "_1",
    });
  });

  it("reads MCP servers from chezmoi templates of JSON and Codex TOML configs", () => {
    const json = [
      "{",
      '  "mcpServers": {',
      '    "docs": {',
      '      "url": "https://docs.example.test/mcp"',
      "      {{- if not .ephemeral }},",
      '      "headers": { "KEY": "{{ secretRead "vault://docs" }}" }',
      "      {{- end }}",
      "    },",
      '    "aws": { "command": "uvx", "args": ["aws-mcp@1.0.0"], "env": { "PROFILE": {{ quote (env "P") }} } }',
      "  }",
      "}",
    ].join("\n");
    assert.deepEqual(names(json, "dot_cursor/mcp.json.tmpl"), ["aws", "docs"]);
    const toml = [
      'model = "gpt-4.1"',
      "[mcp_servers.search]",
      'url = "https://search.example.test/mcp"',
      "{{- if .work }}",
      'http_headers = { "K" = "{{ pass "x" }}" }',
      "{{- end }}",
      '[projects."{{ .chezmoi.workingTree }}"]',
      'trust_level = "trusted"',
      "{{- range .repos }}",
      '[projects."{{ . }}"]',
      'trust_level = "trusted"',
      "{{- end }}",
    ].join("\n");
    assert.deepEqual(names(toml, "dot_codex/private_config.toml.tmpl"), ["search"]);
    assert.deepEqual(
      configModels(toml, "toml", catalog).map((m) => `${m.id}@${m.line}`),
      ["gpt-4.1@1"],
    );
  });

  it("names chezmoi source files by the file they write", () => {
    assert.equal(chezmoiTarget("private_dot_mcp.json.tmpl"), ".mcp.json");
    assert.equal(chezmoiTarget("dot_zshrc"), ".zshrc");
    assert.equal(chezmoiTarget("private_settings.json.tmpl"), "settings.json");
    assert.equal(chezmoiTarget("settings.json"), undefined);
    assert.deepEqual(classifyFile("home/private_dot_mcp.json.tmpl"), { kind: "mcp-config" });
    assert.deepEqual(classifyFile("dot_config/app/private_config.yaml.tmpl"), { kind: "config", format: "yaml" });
  });

  it("reads Amp's flat `amp.mcpServers` key and VS Code's `mcp.servers`", () => {
    const amp = JSON.stringify({
      "amp.permissions": [],
      "amp.mcpServers": { docs: { url: "https://docs.example.test/mcp" } },
    });
    assert.deepEqual(names(amp, "amp/settings.json"), ["docs"]);
    const result = parseMcpConfig(amp, { file: "amp/settings.json" });
    assert.equal(result.servers[0]?.client, "amp");
    const vscode = JSON.stringify({ "mcp.servers": { fs: { command: "npx", args: ["fs-mcp@1.0.0"] } } });
    assert.deepEqual(names(vscode, "settings.json"), ["fs"]);
  });

  it("reads the servers a Docker MCP gateway service runs (`--servers=a,b`)", () => {
    const compose = [
      "services:",
      "  agent:",
      "    image: example/agent",
      "  mcp-gateway:",
      "    image: docker/mcp-gateway:latest",
      "    command:",
      "      - --transport=sse",
      "      - --servers=search,files",
      "  other:",
      "    image: docker/mcp-gateway",
      "    command: --transport=sse --servers notes",
      "  unrelated:",
      "    image: example/web",
      "    command: [--servers=nope]",
    ].join("\n");
    const result = parseMcpConfig(compose, { file: "compose.yaml" });
    assert.deepEqual(
      result.servers.map((s) => `${s.name}@${s.line}`),
      ["search@8", "files@8", "notes@11"],
    );
    assert.ok(result.servers.every((s) => s.client === "docker-mcp-gateway"));
  });

  it("takes every item of a code list named for models when most items are ids", () => {
    const rust = [
      "pub const MODELS: &[&str] = &[",
      '\t"gpt-4o",',
      '\t"claude-3-5-haiku-latest",',
      "\t// in-house names",
      '\t"ACME-Chat-8K",',
      '\t"ACME-Chat-8K-Latest",',
      "];",
    ].join("\n");
    assert.deepEqual(
      configModels(rust, "code", catalog).map((m) => `${m.id}@${m.line}`),
      ["gpt-4o@2", "claude-3-5-haiku-latest@3", "ACME-Chat-8K@5", "ACME-Chat-8K-Latest@6"],
    );
    // A list named so that holds no model id (a Rails app's ORM models) gives nothing.
    assert.deepEqual(configModels(["MODELS = %w[", "  User Post", "]"].join("\n"), "code", catalog), []);
  });

  it("does not read ids on comment-only lines of code read line by line", () => {
    const rust = [
      '// const MODEL: &str = "gpt-4o-mini";',
      "/// e.g. `openai::gpt-4o`",
      'const MODEL: &str = "o3-mini";',
    ];
    assert.deepEqual(
      configModels(rust.join("\n"), "code", catalog).map((m) => m.id),
      ["o3-mini"],
    );
  });

  it("knows an id in an adapter namespace (`cohere::command-r`), not a type path", () => {
    assert.equal(matchModel("openai_resp::gpt-4.1-mini", undefined, catalog)?.provider, "openai");
    assert.equal(
      matchModel("acme-coding::claude-sonnet-4-5", undefined, catalog)?.id,
      "acme-coding::claude-sonnet-4-5",
    );
    assert.equal(matchModel("std::collections", undefined, catalog), undefined);
    assert.equal(matchModel("app::User", "model", catalog), undefined);
  });

  it("knows a capitalised id where a name says model, and a model in a raw call's URL", async () => {
    assert.equal(matchModel("GPT-4.1-nano", "model", catalog)?.provider, "openai");
    assert.equal(matchModel("GPT-4.1-nano", "label", catalog), undefined);
    const root = await aTree({
      "src/gemini.ts":
        'const url = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent";\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => `${m.id}@${m.line}`),
      ["gemini-2.5-flash@1"],
    );
  });

  it("never takes a MIME type for a hub id", () => {
    assert.equal(matchModel("application/json", "model_kwargs", catalog), undefined);
  });

  it("knows Vertex AI's `@date` snapshot of Claude ids", () => {
    assert.equal(matchModel("claude-sonnet-4@20250514", undefined, catalog)?.provider, "anthropic");
    assert.equal(matchModel("claude-3-5-haiku@20241022", undefined, catalog)?.provider, "anthropic");
  });

  it("reads recorded response bodies: JSON and server-sent event streams", async () => {
    const root = await aTree({
      "tests/data/chat/response_000.txt": [
        "event: message_start",
        'data: {"type":"message_start","message":{"model":"claude-3-5-haiku-20241022"}}',
        "",
        'data: {"type":"ping"}',
      ].join("\n"),
      "tests/data/plain/response.txt": '{"object":"chat.completion","model":"gpt-4o-mini-2024-07-18"}',
      "notes.txt": 'model: "gpt-4o"',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => `${m.id}@${m.file}:${m.line}`).sort(), [
      "claude-3-5-haiku-20241022@tests/data/chat/response_000.txt:2",
      "gpt-4o-mini-2024-07-18@tests/data/plain/response.txt:1",
    ]);
  });

  it("takes `NAME=value` items of a Compose environment list and Makefile recipes", async () => {
    const root = await aTree({
      "compose.openai.yaml": ["services:", "  agent:", "    environment:", "      - OPENAI_MODEL_NAME=gpt-4.1"].join(
        "\n",
      ),
      Makefile: [
        "serve:",
        "\tlauncher --model-id mistralai/Mistral-7B-Instruct-v0.1 --port 8080",
        "pull:",
        "\t@$(MAKE) _ensure_model MODEL=granite-code:3b",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => `${m.id}@${m.file}`).sort(), [
      "gpt-4.1@compose.openai.yaml",
      "granite-code:3b@Makefile",
      "mistralai/Mistral-7B-Instruct-v0.1@Makefile",
    ]);
  });

  it("names a Java SDK server built with a constant of another file (`ServerInfo.NAME`)", async () => {
    const root = await aTree({
      "app/src/main/java/demo/StdioServer.java": [
        "package demo;",
        "import io.modelcontextprotocol.server.McpServer;",
        "public class StdioServer {",
        "  public static void main(String[] args) {",
        "    McpServer.sync(new StdioServerTransportProvider(mapper))",
        "        .serverInfo(ServerInfo.NAME, ServerInfo.VERSION)",
        "        .build();",
        "  }",
        "}",
      ].join("\n"),
      "app/src/main/java/demo/SseServer.java": [
        "package demo;",
        "public class SseServer {",
        "  static void run() {",
        '    McpSseServerInfo info = McpSseServerInfo.builder().name("notes-mcp").version("1").build();',
        "  }",
        "}",
      ].join("\n"),
      "common/src/main/java/demo/ServerInfo.java": [
        "package demo;",
        "/** Names of the MCP server. */",
        "public interface ServerInfo {",
        '  String NAME = "files-mcp";',
        '  String VERSION = "1.0.0";',
        "}",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.mcpImplementations.map((m) => `${m.name}@${m.file}:${m.line}`).sort(), [
      "files-mcp@app/src/main/java/demo/StdioServer.java:5",
      "notes-mcp@app/src/main/java/demo/SseServer.java:4",
    ]);
  });

  it("reads fenced examples of doc comments and only the model field of record items", () => {
    const rust = [
      "//! ```rust",
      '//! let model = client.completion_model("qwen2.5:14b");',
      "//! ```",
      '//! Use "gpt-4o" for prose.',
    ].join("\n");
    assert.deepEqual(
      configModels(rust, "code", catalog).map((m) => m.id),
      ["qwen2.5:14b"],
    );
    const ruby = [
      "TTS_MODELS = [",
      "  { provider: :openai, model: 'gpt-4o-mini-tts', voice: 'alloy_voice_v2' },",
      "  { provider: :openai, model: 'tts-1-hd', voice: 'nova_voice_v2' },",
      "  { provider: :acme, model: 'acme-voice-2-large', voice: 'bella_v2_x' }",
      "]",
    ].join("\n");
    assert.deepEqual(
      configModels(ruby, "code", catalog).map((m) => m.id),
      ["gpt-4o-mini-tts", "tts-1-hd", "acme-voice-2-large"],
    );
  });

  it("takes a Compose model's `model:`, not the alias it is bound by", () => {
    const compose = [
      "services:",
      "  agent:",
      "    models:",
      "      chat-small:",
      "        endpoint_var: MODEL_RUNNER_URL",
      "        model_var: MODEL_RUNNER_MODEL",
      "models:",
      "  chat-small:",
      "    model: ai/qwen3:8B-Q4_0",
      "  gpt-4o-mini:",
      "    model: ai/gpt-4o-mini-proxy",
    ].join("\n");
    assert.deepEqual(
      configModels(compose, "yaml", catalog).map((m) => `${m.id}@${m.line}`),
      ["ai/qwen3:8B-Q4_0@9", "gpt-4o-mini@10", "ai/gpt-4o-mini-proxy@11"],
    );
  });

  it("does not take an ODM's document models or UUIDs for AI models", async () => {
    const root = await aTree({
      "test/user.test.js": [
        "const userSchema = new Schema({ name: String });",
        "const User = mongoose.model('User-1234-legacy_v2', userSchema);",
        "const Again = mongoose.model('User-1234-legacy_v2');",
        "const doc = new Model({ model: 'f8010af3-bc2c-45e6-85c6-caa30c4a7d34' });",
        "const chat = { model: 'gpt-4o' };",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => m.id),
      ["gpt-4o"],
    );
  });
});
