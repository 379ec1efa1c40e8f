/**
 * Classes of misses found on rounds 15 and 16 of the AI-BOM corpus (issue 15), each with a small
 * case of its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { aTree } from "../../../test/helpers/tree.js";
import { loadAiCatalog } from "./catalog.js";
import { matchDeclaredModel, matchModel } from "./models.js";
import { scanCodebase } from "./scan.js";
import { stringValue } from "./source/facts.js";
import { literalValue, MAX_LITERAL_NODES } from "./source/literal-value.js";
import { loadParsers } from "./source/parsers.js";
import { textMcpImplementations } from "./text-code.js";

const catalog = loadAiCatalog();

const modelsOf = async (files: Record<string, string>) =>
  (await scanCodebase(await aTree(files), { catalog })).models.map((m) => `${m.id}@${m.line}`).sort();

describe("round 15-16 classes", () => {
  it("reads a Literal wrapped in Union / Required / Optional as the values its annotation names", async () => {
    const models = await modelsOf({
      "params.py": [
        "class SpeechParams(TypedDict, total=False):",
        '    model: Required[Union[str, Literal["playai-tts", "acme-speech-2"]]]',
        "def create(self, *, model: Union[",
        "        str,",
        '        Literal["compound-beta", "llama-3.1-8b-instant"],',
        '    ], config: Optional["llama-3-70b"] = None, mode: Union[str, Literal["fast-1b"]] = "fast-1b"): ...',
        "",
      ].join("\n"),
    });
    assert.deepEqual(models, ["acme-speech-2@2", "compound-beta@5", "llama-3.1-8b-instant@5", "playai-tts@2"]);
  });

  it("knows Groq's Compound, PlayAI speech, Nomic embedding and DashScope's open Qwen names", () => {
    for (const id of ["compound-beta-mini", "qwen2-57b-a14b-instruct", "qwen-1.8b-chat", "qwen2.5-14b-instruct-1m"])
      assert.ok(matchModel(id, "model", catalog), id);
    for (const id of ["playai-tts-arabic", "nomic-embed-text-v1_5", "nomic-embed-text-v1.5"])
      assert.ok(matchModel(id, undefined, catalog), id);
    assert.equal(matchModel("compound-beta", undefined, catalog), undefined);
    // An API spec's example variable is no model, wherever it stands.
    assert.equal(matchDeclaredModel("VAR_model_id", catalog), undefined);
    assert.ok(matchDeclaredModel("davinci:2020-05-03", catalog));
    // A fine-tuned davinci-002 or babbage-002 is OpenAI's as much as a fine-tuned GPT.
    assert.equal(matchModel("ft:davinci-002:my-org:custom_suffix:7q8mpxmy", undefined, catalog)?.provider, "openai");
    // OpenRouter spells xAI's prefix `x-ai/`.
    assert.equal(matchModel("x-ai/grok-3-mini", undefined, catalog)?.provider, "xai");
  });

  it("reads a Rust match arm's string as named by the enum of its pattern (Self by the impl)", async () => {
    const models = await modelsOf({
      "src/qwen.rs": [
        "impl ToString for QwenModel {",
        "    fn to_string(&self) -> String {",
        "        match self {",
        '            QwenModel::Qwen1_72B => "qwen-72b-chat".to_string(),',
        '            Self::Qwen2_5_7B => "qwen2.5-7b-instruct".into(),',
        "        }",
        "    }",
        "}",
        'fn color(c: Color) -> &\'static str { match c { Color::Red => "qwen-7b-chat", _ => "x" } }',
        "",
      ].join("\n"),
    });
    assert.deepEqual(models, ["qwen-72b-chat@4", "qwen2.5-7b-instruct@5"]);
  });

  it("reads a table keyed by a known id whose other keys a family pattern knows as a table of models", async () => {
    const models = await modelsOf({
      "config.py": [
        "PRICING = {",
        '    "gpt-4": {"prompt": 30},',
        '    "llama-2-7b-chat-hf": {"prompt": 0.15},',
        '    "mixtral-8x7b-instruct-v0.1": {"prompt": 0.5},',
        "}",
        'LIMITS = {"gpt-4": 1, "llama-2-7b-chat-hf": 2, "default": 3}',
        "",
      ].join("\n"),
    });
    assert.deepEqual(models, ["gpt-4@2", "gpt-4@6", "llama-2-7b-chat-hf@3", "mixtral-8x7b-instruct-v0.1@4"]);
  });

  it("reads LibreChat's models.default list, capitals included, by the family it names", async () => {
    const models = await modelsOf({
      "librechat.yaml": [
        "endpoints:",
        "  custom:",
        '    - name: "ZAI"',
        "      models:",
        "        default:",
        '          - "GLM-4.7"',
        '          - "glm-5.1"',
        "",
      ].join("\n"),
    });
    assert.deepEqual(models, ["GLM-4.7@6", "glm-5.1@7"]);
  });

  it("takes the repo of a record whose source is a git host for a repository, not a model", async () => {
    const models = await modelsOf({
      "settings.json": JSON.stringify(
        {
          model: "claude-sonnet-4-5",
          extraKnownMarketplaces: {
            codex: { source: { source: "github", repo: "openai/codex-plugin-cc" } },
            hub: { source: { source: "huggingface", repo: "Qwen/Qwen2.5-7B-Instruct" } },
          },
        },
        null,
        2,
      ),
    });
    assert.ok(models.includes("claude-sonnet-4-5@2"));
    assert.ok(!models.some((m) => m.startsWith("openai/codex-plugin-cc")));
  });

  it("takes a value compared with github.repository for a repository's name, not a model", async () => {
    const models = await modelsOf({
      ".github/workflows/doctor.yml": [
        "jobs:",
        "  doctor:",
        "    if: github.repository == 'groq/groq-python' && github.event_name == 'push'",
        "    env:",
        "      MODEL: groq/llama-3.1-8b-instant",
        "",
      ].join("\n"),
    });
    assert.deepEqual(models, ["groq/llama-3.1-8b-instant@5"]);
  });

  it("reads the model of each of aider's ALIAS:MODEL aliases (YAML and Nix)", async () => {
    const models = await modelsOf({
      ".aider.conf.yml":
        'alias:\n  - "fast:gpt-4o-mini"\n  - "large:mistral/mistral-large-latest"\nedit-format: "diff:whole"\n',
      "aider.nix": '{ alias = [ "devstral:mistral/devstral-small-2505" ]; other = [ "x:y" ]; }\n',
    });
    assert.deepEqual(models, ["gpt-4o-mini@2", "mistral/devstral-small-2505@1", "mistral/mistral-large-latest@3"]);
  });

  it("reads the servers a MultiServerMCPClient is built with in code, Python and JavaScript", async () => {
    const root = await aTree({
      "agent.py": [
        "from langchain_mcp_adapters.client import MultiServerMCPClient",
        "client = MultiServerMCPClient(",
        "    {",
        '        "math": {"transport": "stdio", "command": "python", "args": ["/srv/math.py"]},  # local',
        '        "weather": {"transport": "streamable_http", "url": "http://localhost:8000/mcp"},',
        '        "dynamic": make_server(),',
        "    }",
        ")",
        "",
      ].join("\n"),
      "agent.ts": [
        'import { MultiServerMCPClient } from "@langchain/mcp-adapters";',
        "const c = new MultiServerMCPClient({ mcpServers: { notes: { command: 'node', args: ['notes.js'] } } });",
        "",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.mcpServers.map((s) => `${s.name}@${s.file}:${s.line}`).sort(), [
      "math@agent.py:2",
      "notes@agent.ts:2",
      "weather@agent.py:2",
    ]);
  });

  it("keeps what the config reader finds in a server table written in code, on the table's line", async () => {
    const root = await aTree({
      "agent.py": [
        "from langchain_mcp_adapters.client import MultiServerMCPClient",
        "",
        "client = MultiServerMCPClient({",
        '    "fetch": {"transport": "stdio", "command": "npx", "args": ["-y", "@acme/fetch-mcp"]},',
        "})",
        "",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    const unpinned = report.findings.filter((f) => f.ruleId === "code.mcp-unpinned-server");
    assert.deepEqual(
      unpinned.map((f) => `${f.location?.path}:${f.location?.line}`),
      ["agent.py:3"],
    );
  });

  it("takes the Kotlin SDK's Client(Implementation(...)) for a client, not a server implemented", () => {
    const text = [
      'val server = Server(Implementation(name = "weather", version = "1.0"), ServerOptions())',
      "val client = Client(",
      '    Implementation(name = "test-client", version = "0.1.0"),',
      ")",
    ].join("\n");
    assert.deepEqual(
      textMcpImplementations(text, "Main.kt").map((s) => s.name),
      ["weather"],
    );
  });

  it("reads a Java MCP server built with McpServer.sync(...).serverInfo(...) in a file naming no ServerInfo type", async () => {
    const root = await aTree({
      "src/main/java/Example.java": [
        "import io.modelcontextprotocol.server.McpServer;",
        "public class Example {",
        "  public static void main(String[] args) {",
        '    var server = McpServer.sync(transport).serverInfo("example-server", "1.0.0").build();',
        "  }",
        "}",
        "",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.mcpImplementations.map((s) => `${s.name}@${s.line}`),
      ["example-server@4"],
    );
  });

  it("reads JitPack's build of a fork of a catalogued SDK as that SDK, under its own coordinate", async () => {
    const root = await aTree({
      "build.gradle.kts": [
        "dependencies {",
        '  implementation("com.github.someone.kotlin-sdk:kotlin-sdk-jvm:abc123")',
        '  implementation("com.github.someone.utils:kotlin-sdk-jvm:1.0")',
        '  implementation("com.github.someone.tools:tools-core:1.0")',
        "}",
        "",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.sdks.map((s) => `${s.name}:${s.provider}`),
      ["com.github.someone.kotlin-sdk:kotlin-sdk-jvm:mcp"],
    );
  });

  it("reads a switch case's value as named by what the switch tests (Go and JavaScript)", async () => {
    const models = await modelsOf({
      "adjust.go": [
        "package x",
        "func (oc *Config) adjust() {",
        "\tswitch oc.ModelName {",
        '\tcase "llama3-gradient":',
        "\t\toc.ContextLength = 256000",
        '\tcase "qwen-7b-chat", "o3-mini":',
        "\t}",
        '\tswitch kind {\n\tcase "o1":\n\t}',
        "}",
        "",
      ].join("\n"),
      "pick.js":
        'function f(model) {\n  switch (model) {\n    case "o3-mini": return 1;\n  }\n  switch (color) { case "o1": return 2; }\n}\n',
    });
    assert.deepEqual(models, ["llama3-gradient@4", "o3-mini@3", "o3-mini@6", "qwen-7b-chat@6"]);
  });

  it("reads a Rust file of typed constants that are mostly known ids as a table of model constants", async () => {
    const models = await modelsOf({
      "src/models.rs": [
        'pub const GPT4: &str = "gpt-4";',
        'pub const GPT4_O: &str = "gpt-4o";',
        'pub const O1: &str = "o1";',
        'pub const TTS_1_1106: &str = "tts-1-1106";',
        'pub const WHISPER_1: &str = "whisper-1";',
        "",
      ].join("\n"),
      "src/other.rs": ['pub const O1: &str = "o1";', 'pub const NAME: &str = "acme";', ""].join("\n"),
    });
    assert.deepEqual(models, ["gpt-4@1", "gpt-4o@2", "o1@3", "tts-1-1106@4", "whisper-1@5"]);
  });

  it("reads a code literal back as the JSON value it writes, bounded, never evaluating", async () => {
    const parsers = await loadParsers();
    const py = (v: unknown): string =>
      v === null
        ? "None"
        : typeof v === "boolean"
          ? v
            ? "True"
            : "False"
          : Array.isArray(v)
            ? `[${v.map(py).join(", ")}]`
            : typeof v === "object"
              ? `{${Object.entries(v as Record<string, unknown>)
                  .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
                  .join(", ")}}`
              : JSON.stringify(v);
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string({ unit: "grapheme-ascii", maxLength: 8 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      ),
      node: fc.oneof(
        { depthSize: "small" },
        tie("leaf"),
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(
          fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 6 }).filter((k) => k !== "__proto__"),
          tie("node"),
          { maxKeys: 4, noNullPrototype: true },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        for (const [language, text] of [
          ["python", `x = ${py(v)}\n`],
          ["javascript", `x = ${JSON.stringify(v)};\n`],
        ] as const) {
          const tree = parsers[language].parse(text);
          assert.ok(tree);
          try {
            const expr = tree.rootNode.descendantsOfType(
              language === "python" ? "assignment" : "assignment_expression",
            )[0];
            const right = expr?.childForFieldName("right");
            assert.ok(right);
            // Escapes stay as written (a config's strings are compared as written); plain strings round-trip.
            if (!JSON.stringify(v).includes("\\")) assert.deepEqual(literalValue(right, stringValue), v);
          } finally {
            tree.delete();
          }
        }
      }),
      { numRuns: 150 },
    );
    // A literal larger than the bound is cut short, not read to the end.
    const big = `x = [${Array.from({ length: MAX_LITERAL_NODES * 2 }, (_, i) => i).join(", ")}]\n`;
    const tree = parsers.python.parse(big);
    assert.ok(tree);
    try {
      const right = tree.rootNode.descendantsOfType("assignment")[0]?.childForFieldName("right");
      assert.ok(right);
      const read = literalValue(right, stringValue) as unknown[];
      assert.ok(read.length < MAX_LITERAL_NODES);
    } finally {
      tree.delete();
    }
  });

  it("knows more SDKs: Mistral's Rust client, text-splitter, pgvector crates, torch-rb, ktoken, jvm-openai, llm-* plugins, gensim", async () => {
    const root = await aTree({
      "Cargo.toml":
        '[package]\nname = "x"\n[dependencies]\nmistralai-client = "0.14"\ntext-splitter = "0.13"\npgvector = "0.4"\n',
      "x.gemspec":
        'Gem::Specification.new do |spec|\n  spec.name = "x"\n  spec.add_dependency "torch-rb", ">= 0.17"\n  spec.add_dependency "safetensors"\nend\n',
      "app/build.gradle.kts":
        'dependencies {\n  implementation("com.aallam.ktoken:ktoken:0.4.0")\n  implementation("io.github.stefanbratanov:jvm-openai:0.11.0")\n}\n',
      "py/setup.py": 'from setuptools import setup\nsetup(name="x", install_requires=["llm-anthropic", "gensim"])\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => `${s.ecosystem}:${s.name}`).sort(), [
      "cargo:mistralai-client",
      "cargo:pgvector",
      "cargo:text-splitter",
      "gem:safetensors",
      "gem:torch-rb",
      "maven:com.aallam.ktoken:ktoken",
      "maven:io.github.stefanbratanov:jvm-openai",
      "pypi:gensim",
      "pypi:llm-anthropic",
    ]);
  });
});
