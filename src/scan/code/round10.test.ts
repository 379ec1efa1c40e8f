/**
 * Classes of misses found on round 10 of the AI-BOM corpus (issue 15), each with a small case of
 * its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aTree } from "../../../test/helpers/tree.js";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { frontMatterYaml } from "./front-matter.js";
import { parseMcpConfig } from "./mcp.js";
import { matchModel } from "./models.js";
import { scanCodebase } from "./scan.js";
import { createSdkIndex } from "./sdk-index.js";
import { embeddedModelCandidates } from "./source/embedded.js";
import { classifyFile } from "./walk.js";

const catalog = loadAiCatalog();

describe("round 10 classes", () => {
  it("walks a folder named env that is not a Python virtual environment", async () => {
    const root = await aTree({
      "chart/env/prod.yaml": 'envVars:\n  TASK_MODEL: "acme-labs/Zephyr-9B-Instruct"\n',
      "env/pyvenv.cfg": "home = /usr/bin\n",
      "env/lib/settings.yaml": 'model: "acme-labs/Hidden-7B"\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => [m.id, m.file]),
      [["acme-labs/Zephyr-9B-Instruct", "chart/env/prod.yaml"]],
    );
  });

  it("reads a JSON document kept in a string under the key that holds it", () => {
    const yaml = [
      "envVars:",
      "  MODELS: >",
      '    [{ "id": "acme-labs/Zephyr-9B-Instruct", "description": "A chat model" }, { "id": "router" }]',
      "  body: >",
      '    [{ "id": "acme-labs/Quoted-7B" }]',
    ].join("\n");
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["acme-labs/Zephyr-9B-Instruct"],
    );
  });

  it("reads an MCP server list kept as JSON in an environment variable", () => {
    const yaml = [
      "envVars:",
      "  MCP_SERVERS: >",
      '    [{"name": "Web Search", "url": "https://mcp.example.com/mcp"}, {"name": "Files", "command": "npx", "args": ["-y", "files-mcp@1.0.0"]}]',
      '  MCP_TIMEOUT: "1000"',
    ].join("\n");
    const result = parseMcpConfig(yaml, { file: "chart/env/prod.yaml" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.line]),
      [
        ["Web Search", "http", 2],
        ["Files", "stdio", 2],
      ],
    );
  });

  it("reads a script's YAML front matter as a config, with the file's line numbers", async () => {
    const script = [
      "#!/usr/bin/env -S mcphost script",
      "---",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: mcphost's variable syntax is the input under test
      'model: "${env://MODEL:-anthropic/claude-sonnet-4-5-20250929}"',
      "mcpServers:",
      "  github:",
      "    type: local",
      '    command: ["gh", "api"]',
      "  filesystem:",
      "    type: builtin",
      "    name: fs",
      "---",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: mcphost's variable syntax is the input under test
      "List the files in ${dir}.",
    ].join("\n");
    assert.equal(frontMatterYaml(script)?.split("\n")[2], script.split("\n")[2]);
    assert.equal(frontMatterYaml("#!/bin/sh\necho ---\n"), undefined);
    const root = await aTree({ "scripts/list.sh": script });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.mcpServers.map((s) => [s.name, s.transport, s.line]),
      [
        ["github", "stdio", 5],
        ["filesystem", "builtin", 8],
      ],
    );
    assert.deepEqual(
      report.models.map((m) => [m.id, m.line]),
      [["anthropic/claude-sonnet-4-5-20250929", 3]],
    );
  });

  it("takes the default of an environment variable written `env://NAME:-default`", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the variable syntax is the input under test
    const yaml = 'model: "${env://MODEL:-openai/gpt-4.1-mini}"\nother: "${env:X:-gpt-4o}"\n';
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["openai/gpt-4.1-mini", "gpt-4o"],
    );
  });

  it("reads a models.dev catalog: records by their fields, not display names nor provider entries", () => {
    const json = JSON.stringify({
      acme: {
        id: "acme",
        npm: "@ai-sdk/openai-compatible",
        models: {
          "acme-flash": {
            id: "acme-flash",
            name: "Mistral-Large",
            family: "mistral-large",
            tool_call: true,
            open_weights: false,
            limit: { context: 8192 },
          },
        },
      },
      mistral: { id: "mistral", name: "Mistral", models: {} },
    });
    assert.deepEqual(
      configModels(json, "json", catalog).map((m) => m.id),
      ["acme-flash"],
    );
  });

  it("treats the stand-in ids of tests as placeholders", () => {
    for (const id of ["openai/custom-model", "test-org/text-only", "some-org/a-model-released-tomorrow", "acme/model"])
      assert.equal(matchModel(id, "model", catalog), undefined, id);
    assert.equal(matchModel("acme-labs/Zephyr-9B", "model", catalog)?.id, "acme-labs/Zephyr-9B");
  });

  it("names the values of a Literal type alias by the alias", async () => {
    const root = await aTree({
      "models.py": [
        "from typing import Literal",
        "from typing_extensions import TypeAliasType",
        'KnownModelName = TypeAliasType("KnownModelName", Literal["cerebras/llama-3.3-70b", "acme/zephyr-9b"])',
        'Models = Literal["perplexity/sonar-pro"]',
        'Colors = Literal["llama3.2", "red"]',
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => m.id).sort(), [
      "acme/zephyr-9b",
      "cerebras/llama-3.3-70b",
      "perplexity/sonar-pro",
    ]);
  });

  it("names the arguments of a call written over several lines by the callee", () => {
    const kotlin = [
      "public val QWQ: LLModel = LLModel(",
      "    provider = LLMProvider.Ollama,",
      '    id = "qwq",',
      "    capabilities = listOf(",
      "        LLMCapability.Tools",
      "    )",
      ")",
      "val user = User(",
      '    id = "qwq",',
      ")",
    ].join("\n");
    const found = embeddedModelCandidates(kotlin, { comment: false })
      .map((c) => matchModel(c.value, c.context, catalog) && c.line)
      .filter((line) => typeof line === "number");
    assert.deepEqual(found, [2]);
  });

  it('reads a Rust `String::from("x")` as a bare string', () => {
    const rust = 'pub fn default_model() -> String {\n    String::from("gpt-3.5-turbo")\n}\n';
    assert.deepEqual(
      configModels(rust, "code", catalog).map((m) => m.id),
      ["gpt-3.5-turbo"],
    );
  });

  it("keeps the variable's name for a file's own environment reader", async () => {
    const root = await aTree({
      "config.py": [
        "import os",
        "def get_env_variable(var_name, default_value=None):",
        "    return os.getenv(var_name) or default_value",
        'EMBEDDINGS_MODEL = get_env_variable("EMBEDDINGS_MODEL", "nomic-embed-text")',
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => [m.id, m.line]),
      [["nomic-embed-text", 4]],
    );
  });

  it("reads Ollama commands in YAML comments, and config templates as the file they stand for", async () => {
    assert.deepEqual(classifyFile("docker-compose.override.yml.example"), { kind: "config", format: "yaml" });
    assert.deepEqual(classifyFile("config.json.sample"), { kind: "config", format: "json" });
    assert.equal(classifyFile("main.py.example"), undefined);
    const root = await aTree({
      "docker-compose.override.yml.example": [
        '# Run "docker exec -it ollama /bin/bash" and "ollama run nomic-embed-text"',
        "# services:",
        "#   tei:",
        "#     command: --model-id nomic-ai/nomic-embed-text-v1.5",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => [m.id, m.line]),
      [
        ["nomic-embed-text", 1],
        ["nomic-ai/nomic-embed-text-v1.5", 4],
      ],
    );
  });

  it("takes a constant or enum member named by a prefix and the id it holds as naming a model", async () => {
    assert.equal(matchModel("all-MiniLM-L6-v2", "XENOVA_ALL_MINILM_L6_V2", catalog)?.id, "all-MiniLM-L6-v2");
    assert.equal(matchModel("all-MiniLM-L6-v2", "ALL_COLORS", catalog), undefined);
    const root = await aTree({
      "models.ts": [
        "enum HuggingFaceEmbeddingModelType {",
        '  XENOVA_ALL_MINILM_L6_V2 = "all-MiniLM-L6-v2",',
        '  OTHER = "all-mpnet-base-v2",',
        "}",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => [m.id, m.line]),
      [["all-MiniLM-L6-v2", 2]],
    );
  });

  it("leaves examples out of a comment whose lead ends the line before", async () => {
    const root = await aTree({
      "main.go": [
        "package main",
        'import "github.com/openai/openai-go"',
        "// ModelString returns the current model string identifier (e.g.,",
        '// "anthropic/claude-sonnet-4-5-20250929" or "openai/gpt-4") being used by the agent.',
        "func ModelString() string { return m }",
        '// model = "gpt-4o-mini"',
        "var x = openai.NewClient()",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => m.id),
      ["gpt-4o-mini"],
    );
  });

  it("takes an `# Example:` value in a dotenv file as the example of the setting below it", () => {
    const env = [
      "# Voice-to-text transcription",
      "# Example: openai/whisper-large-v3-turbo",
      "TRANSCRIPTION_MODEL=",
      "# Example: blue",
      "COLOR=",
      "# Example: gpt-4o",
      "",
      "OTHER_MODEL=",
    ].join("\n");
    assert.deepEqual(
      configModels(env, "env", catalog).map((m) => [m.id, m.line]),
      [["openai/whisper-large-v3-turbo", 2]],
    );
  });

  it('does not take a bare family (`"gpt-3.5" in model_name`) for an id', () => {
    assert.equal(matchModel("gpt-3.5", undefined, catalog), undefined);
    assert.equal(matchModel("gpt-3.5", "model", catalog)?.id, "gpt-3.5");
    assert.equal(matchModel("gpt-3.5-turbo", undefined, catalog)?.id, "gpt-3.5-turbo");
  });

  it("knows the model families and SDK packages met in round 10", () => {
    for (const [id, context] of [
      ["gemini-1.5-flash-8b-001", undefined],
      ["models/gemini-1.5-flash-8b", undefined],
      ["text-embedding-ada-002-v2", undefined],
      ["accounts/fireworks/models/zai-org/glm-4p5", undefined],
      ["fireworks/accounts/fireworks/models/qwen3-30b-a3b", undefined],
      ["palmyra-x5", "model"],
      ["davinci", "model"],
      ["mistral-nemo", "model"],
      ["gemma3", "generate"],
      ["llama2", "from_"],
    ] as const)
      assert.ok(matchModel(id, context, catalog), id);
    assert.equal(matchModel("davinci", "painter", catalog), undefined);
    const index = createSdkIndex(catalog);
    for (const [ecosystem, name] of [
      ["pypi", "writer-sdk"],
      ["pypi", "burr"],
      ["pypi", "apache-burr"],
      ["pypi", "llama-deploy"],
      ["go", "charm.land/fantasy"],
      ["go", "github.com/charmbracelet/anthropic-sdk-go"],
      ["go", "github.com/mark3labs/mcp-filesystem-server"],
    ] as const)
      assert.ok(index.byName(ecosystem, name), name);
    assert.equal(index.resolve("pypi", "burr.core")?.name, "burr");
    assert.equal(index.resolve("pypi", "writerai")?.name, "writer-sdk");
  });
});
