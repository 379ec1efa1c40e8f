/**
 * Classes of misses and false positives found on round 21 of the AI-BOM corpus (issue 15), each
 * with a small case of its own, and the new patterns held to linear time on hostile input.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelsOf, scanTree as scan, sdksOf } from "../../../test/helpers/scan-tree.js";
import { parseJbangDeps } from "./manifests/inline.js";
import { pomProject } from "./manifests/jvm-go.js";
import { classifyFile } from "./walk.js";

const pom = (coordinates: string, deps: [string, string][], management: [string, string][] = []) => {
  const dep = ([g, a]: [string, string]) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId></dependency>`;
  return `<?xml version="1.0"?>
<project>
  ${coordinates}
  <dependencyManagement><dependencies>${management.map(dep).join("\n")}</dependencies></dependencyManagement>
  <dependencies>
${deps.map(dep).join("\n")}
  </dependencies>
</project>
`;
};

describe("round 21 classes", () => {
  it("knows every Quarkus LangChain4j extension and Semantic Kernel for Java artifact (families)", async () => {
    const quarkus = pom(
      "<groupId>org.acme</groupId><artifactId>demo</artifactId>",
      [
        ["io.quarkiverse.langchain4j", "quarkus-langchain4j-openai"],
        ["io.quarkiverse.langchain4j", "quarkus-langchain4j-testing-scorer-ai-judge"],
      ],
      [["io.quarkiverse.langchain4j", "quarkus-langchain4j-bom"]],
    );
    const sk = pom(
      "<groupId>com.example</groupId><artifactId>hello</artifactId>",
      [
        ["com.microsoft.semantic-kernel", "semantickernel-connectors-ai-openai"],
        ["com.microsoft.semantic-kernel", "semantickernel-settings-loader"],
      ],
      [["com.microsoft.semantic-kernel", "semantickernel-bom"]],
    );
    assert.deepEqual(
      await sdksOf({
        "q/pom.xml": quarkus,
        "sk/pom.xml": sk,
        // The connector brings the Azure OpenAI client in: its import is not an undeclared SDK.
        "sk/src/Main.java": "import com.azure.ai.openai.OpenAIAsyncClient;\nclass Main {}\n",
      }),
      [
        "com.microsoft.semantic-kernel:semantickernel-bom@sk/pom.xml",
        "com.microsoft.semantic-kernel:semantickernel-connectors-ai-openai@sk/pom.xml",
        "com.microsoft.semantic-kernel:semantickernel-settings-loader@sk/pom.xml",
        "io.quarkiverse.langchain4j:quarkus-langchain4j-bom@q/pom.xml",
        "io.quarkiverse.langchain4j:quarkus-langchain4j-openai@q/pom.xml",
        "io.quarkiverse.langchain4j:quarkus-langchain4j-testing-scorer-ai-judge@q/pom.xml",
      ],
    );
  });

  it("does not report the repository's own Maven modules, nor the BOM its root build publishes", async () => {
    const parent = pom(
      "<groupId>io.quarkiverse.langchain4j</groupId><artifactId>quarkus-langchain4j-parent</artifactId>",
      [],
    );
    const module = pom(
      "<parent><groupId>io.quarkiverse.langchain4j</groupId><artifactId>quarkus-langchain4j-parent</artifactId></parent><artifactId>quarkus-langchain4j-openai</artifactId>",
      [["dev.langchain4j", "langchain4j-core"]],
    );
    const sample = pom(
      "<groupId>io.acme.ai</groupId><artifactId>sample</artifactId>",
      [
        ["io.quarkiverse.langchain4j", "quarkus-langchain4j-openai"],
        ["dev.langchain4j", "langchain4j-open-ai"],
      ],
      [["io.quarkiverse.langchain4j", "quarkus-langchain4j-bom"]],
    );
    assert.equal(pomProject(module), "io.quarkiverse.langchain4j:quarkus-langchain4j-openai");
    // A groupId left as a property (`$` `{g}`) is no coordinate.
    const unresolved = ["<groupId>$", "{g}</groupId><artifactId>x</artifactId>"].join("");
    assert.equal(pomProject(pom(unresolved, [])), undefined);
    const names = await sdksOf({ "pom.xml": parent, "acme/pom.xml": module, "samples/a/pom.xml": sample });
    assert.deepEqual(names, [
      "dev.langchain4j:langchain4j-core@acme/pom.xml",
      "dev.langchain4j:langchain4j-open-ai@samples/a/pom.xml",
    ]);
    // A vendored copy of another project's build (not the root pom) makes nothing first-party.
    const vendored = pom("<groupId>org.springframework.ai</groupId><artifactId>spring-ai-parent</artifactId>", []);
    const vendoredBom = pom("<groupId>org.springframework.ai</groupId><artifactId>spring-ai-bom</artifactId>", []);
    const user = pom(
      "<groupId>a</groupId><artifactId>b</artifactId>",
      [],
      [["org.springframework.ai", "spring-ai-bom"]],
    );
    const root = pom("<groupId>a</groupId><artifactId>examples-parent</artifactId>", []);
    const files = { "pom.xml": root, "vendor/spring-ai/pom.xml": vendored, "app/pom.xml": user };
    assert.deepEqual(await sdksOf({ ...files, "vendor/spring-ai/bom/pom.xml": vendoredBom }), [
      "org.springframework.ai:spring-ai-bom@app/pom.xml",
    ]);
  });

  it("joins a JBang script's imports to the //DEPS artifact a pom of the repository declares", async () => {
    const script = [
      '///usr/bin/env jbang "$0" "$@" ; exit $?',
      "//DEPS dev.langchain4j:langchain4j-open-ai:1.8.0 org.slf4j:slf4j-simple:2.0.17",
      "",
      "import dev.langchain4j.model.chat.ChatModel;",
      "import dev.langchain4j.model.openai.OpenAiChatModel;",
      "class Prompt {}",
      "",
    ].join("\n");
    assert.deepEqual(parseJbangDeps(script), [
      { ecosystem: "maven", name: "dev.langchain4j:langchain4j-open-ai", spec: "1.8.0", line: 2 },
      { ecosystem: "maven", name: "org.slf4j:slf4j-simple", spec: "2.0.17", line: 2 },
    ]);
    const guard = pom("<groupId>x</groupId><artifactId>guard</artifactId>", [
      ["dev.langchain4j", "langchain4j-open-ai"],
    ]);
    assert.deepEqual(await sdksOf({ "prompt/Prompt.java": script, "guard/pom.xml": guard }), [
      "dev.langchain4j:langchain4j-open-ai@guard/pom.xml",
    ]);
    // A `//DEPS` line no pom declares is a script header, not a manifest: nothing stands on it.
    const server = "//DEPS io.quarkiverse.mcp:quarkus-mcp-server-stdio:1.0.0\nclass S {}\n";
    assert.deepEqual(await sdksOf({ "src/test/resources/server.java": server }), []);
  });

  it("reads a config template per variant (appsettings.json.openai-example) as the file", async () => {
    assert.deepEqual(classifyFile("appsettings.json.azure-example"), classifyFile("appsettings.json"));
    assert.deepEqual(
      await modelsOf({
        "config/appsettings.json.openai-example": '{"serviceType": "OpenAI", "modelId": "gpt-3.5-turbo"}\n',
      }),
      ["gpt-3.5-turbo@config/appsettings.json.openai-example"],
    );
  });

  it("takes every constant of a Go model type as a model id (typed embedding-model constants)", async () => {
    const go = [
      "package chromem",
      "",
      "type EmbeddingModelMixedbread string",
      "",
      "const (",
      '\tEmbeddingModelMixedbreadGTELarge EmbeddingModelMixedbread = "gte-large"',
      '\tEmbeddingModelMixedbreadUAELargeV1 EmbeddingModelMixedbread = "UAE-Large-V1"',
      '\tEmbeddingModelMixedbreadAllMiniLML6V2 EmbeddingModelMixedbread = "all-MiniLM-L6-v2"',
      ")",
      "",
      "type Color string",
      "",
      'const Red Color = "dark-red"',
      "",
    ].join("\n");
    assert.deepEqual(await modelsOf({ "embed.go": go }), [
      "UAE-Large-V1@embed.go",
      "all-MiniLM-L6-v2@embed.go",
      "gte-large@embed.go",
    ]);
  });

  it("takes a Go model type's unknown values only where the type holds a known id", async () => {
    const go = [
      "package app",
      "",
      "type EmbeddingModelMixedbread string",
      "",
      "const (",
      '\tEmbeddingModelMixedbreadGTELarge EmbeddingModelMixedbread = "gte-large"',
      '\tEmbeddingModelMixedbreadE5LargeV2 EmbeddingModelMixedbread = "e5-large-v2"',
      ")",
      "",
      "type ModelStatus string",
      "",
      "const (",
      '\tModelStatusInProgress ModelStatus = "in-progress"',
      '\tModelStatusNotFound ModelStatus = "not-found"',
      ")",
      "",
      "type ViewModel string",
      "",
      'const HomeView ViewModel = "home/index"',
      "",
      "type LLMProvider string",
      "",
      "const (",
      '\tLLMProviderAzure LLMProvider = "azure-openai"',
      '\tLLMProviderOpenAI LLMProvider = "gpt-4o"',
      '\tLLMProviderDocs LLMProvider = "https://example.com/x"',
      '\tLLMProviderJSON LLMProvider = "application/json"',
      '\tLLMProviderPlan LLMProvider = "pay-as-you-go"',
      ")",
      "",
    ].join("\n");
    const models = await modelsOf({ "types.go": go });
    // No known id in the embedding type: nothing by type; ModelStatus/ViewModel hold no known id either.
    for (const id of ["gte-large", "in-progress", "not-found", "home/index"])
      assert.ok(!models.includes(`${id}@types.go`), id);
    // A known id of the same type (`gpt-4o`) admits ids, never a URL or a MIME type.
    for (const id of ["https://example.com/x", "application/json"]) assert.ok(!models.includes(`${id}@types.go`), id);
    assert.ok(models.includes("gpt-4o@types.go"), models.join(","));
  });

  it("reports no value of Go model-named types without a known id", async () => {
    const go = [
      "package app",
      "type ModelStatus string",
      'const InProgress ModelStatus = "in-progress"',
      "type ViewModel string",
      'const Home ViewModel = "home/index"',
      "type LLMProvider string",
      'const Azure LLMProvider = "azure-openai"',
      "type DataModel string",
      'const Docs DataModel = "https://example.com/x"',
      "",
    ].join("\n");
    assert.deepEqual(await modelsOf({ "enums.go": go }), []);
  });

  it("names a Go MCP server from a longer selector's suffix (Name: s.cfg.Server.Name)", async () => {
    const hdr = 'package main\nimport "github.com/modelcontextprotocol/go-sdk/mcp"\n';
    const run =
      "func (s *X) run() {\n\tm := mcp.NewServer(&mcp.Implementation{Name: s.cfg.Server.Name}, nil)\n\t_ = m\n}\n";
    const defaults = 'func d() *Config { return &Config{Server: ServerConfig{Name: "mcp-srv2"}} }\n';
    const gomod = "module x\n\nrequire github.com/modelcontextprotocol/go-sdk v1.0.0\n";
    const here = await scan({ "go.mod": gomod, "main.go": `${hdr}${run}${defaults}` });
    assert.deepEqual(
      here.mcpImplementations.map((m) => `${m.name}@${m.file}`),
      ["mcp-srv2@main.go"],
    );
    const apart = await scan({
      "go.mod": gomod,
      "main.go": `${hdr}${run}`,
      "config/config.go": `package config\n${defaults}`,
    });
    assert.deepEqual(
      apart.mcpImplementations.map((m) => `${m.name}@${m.file}`),
      ["mcp-srv2@main.go"],
    );
  });

  it("names a Go MCP server from its config's default (Name: cfg.Server.Name)", async () => {
    const main = [
      "package main",
      'import "github.com/modelcontextprotocol/go-sdk/mcp"',
      "func main() {",
      "\tcfg := config.Load()",
      "\tserver := mcp.NewServer(&mcp.Implementation{",
      "\t\tName:    cfg.Server.Name,",
      "\t\tVersion: cfg.Server.Version,",
      "\t}, nil)",
      "\t_ = server",
      "}",
      "",
    ].join("\n");
    const config = [
      "package config",
      "func DefaultConfig() *Config {",
      '\treturn &Config{Server: ServerConfig{Name: "mcp-go-assistant", Port: 8080}}',
      "}",
      "",
    ].join("\n");
    const result = await scan({
      "go.mod": "module x\n\nrequire github.com/modelcontextprotocol/go-sdk v1.0.0\n",
      "cmd/main.go": main,
      "internal/config/config.go": config,
    });
    assert.deepEqual(
      result.mcpImplementations.map((m) => `${m.name}@${m.file}`),
      ["mcp-go-assistant@cmd/main.go"],
    );
  });
});

describe("round 21 patterns on hostile input", () => {
  it("stays linear on a 100k-character line", () => {
    const started = performance.now();
    const long = "a".repeat(100_000);
    parseJbangDeps(`//DEPS ${"a:".repeat(50_000)}`);
    parseJbangDeps(`//DEPS ${long}`);
    classifyFile(`${"a.".repeat(50_000)}json.x-example`);
    classifyFile(`${"-".repeat(100_000)}.json.openai-sample`);
    assert.ok(performance.now() - started < 2000);
  });
});
