/**
 * Classes of misses found on round 12 of the AI-BOM corpus (issue 15), each with a small case of
 * its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aTree } from "../../../test/helpers/tree.js";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { readHttprr } from "./httprr.js";
import { parsePom } from "./manifests/jvm-go.js";
import { parseMcpConfig } from "./mcp.js";
import { matchModel } from "./models.js";
import { scanCodebase } from "./scan.js";
import { createSdkIndex } from "./sdk-index.js";
import { textMcpImplementations } from "./text-code.js";
import { classifyFile } from "./walk.js";

const catalog = loadAiCatalog();
const index = createSdkIndex(catalog);

/** An httprr trace of `exchanges` ([request, response] texts), lengths counted in bytes. */
function aTrace(exchanges: [string, string][]): string {
  let out = "httprr trace v1\n";
  for (const [request, response] of exchanges)
    out += `${Buffer.byteLength(request)} ${Buffer.byteLength(response)}\n${request}${response}`;
  return out;
}

describe("round 12 classes", () => {
  it("takes Go modules of AI families from go.mod, indirect requires included", async () => {
    const root = await aTree({
      "go.mod": [
        "module example.com/app",
        "",
        "require (",
        "\tcloud.google.com/go/aiplatform v1.60.0",
        "\tgithub.com/someone/tiktoken-go v0.1.7 // indirect",
        "\tgithub.com/nlpodyssey/spago v1.1.0 // indirect",
        "\tgithub.com/milvus-io/milvus/client/v2 v2.5.0",
        "\tgithub.com/milvus-io/milvus/pkg/v2 v2.0.0 // indirect",
        "\tgithub.com/spf13/cobra v1.8.0 // indirect",
        ")",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => s.name).sort(), [
      "cloud.google.com/go/aiplatform",
      "github.com/milvus-io/milvus/client/v2",
      "github.com/nlpodyssey/spago",
      "github.com/someone/tiktoken-go",
    ]);
  });

  it("knows registry-listed packages of other ecosystems and families of split artifacts", () => {
    for (const [ecosystem, name] of [
      ["pypi", "optimum-neuron"],
      ["pypi", "bedrock-agentcore-starter-toolkit"],
      ["pypi", "upstash-vector"],
      ["pypi", "outlines-core"],
      ["cargo", "outlines-core"],
      ["npm", "@turbopuffer/turbopuffer"],
      ["npm", "@mochow/mochow-sdk-node"],
      ["maven", "com.github.tjake:jlama-native"],
      ["maven", "io.quarkiverse.mcp:quarkus-mcp-server-http"],
    ] as const)
      assert.ok(index.byName(ecosystem, name), `${ecosystem}:${name}`);
    // `import vertexai` stays with the package that provides it.
    assert.equal(index.resolve("pypi", "vertexai.generative_models")?.name, "google-cloud-aiplatform");
    assert.equal(index.byName("pypi", "optimumx"), undefined);
  });

  it("reads pom dependencies declared in plugin configurations, not their exclusions", () => {
    const pom = `<project><build><plugins><plugin>
<groupId>io.quarkus</groupId><artifactId>quarkus-extension-maven-plugin</artifactId>
<configuration><extraDependencies><dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-qdrant</artifactId>
<exclusions><exclusion><groupId>io.grpc</groupId><artifactId>grpc-core</artifactId></exclusion></exclusions>
</dependency></extraDependencies></configuration>
<dependencies><dependency><groupId>ai.djl</groupId><artifactId>api</artifactId><version>0.30.0</version></dependency></dependencies>
</plugin></plugins></build></project>`;
    assert.deepEqual(
      parsePom(pom)
        .map((d) => d.name)
        .sort(),
      ["ai.djl:api", "dev.langchain4j:langchain4j-qdrant"],
    );
  });

  it("reads request URLs and JSON bodies of httprr traces, by byte length", () => {
    assert.deepEqual(classifyFile("llms/testdata/TestCall.httprr"), { kind: "config", format: "httprr" });
    const trace = aTrace([
      [
        'POST https://generativelanguage.googleapis.com/v1beta/models/gemini-9.0-flash:generateContent HTTP/1.1\r\nHost: x\r\n\r\n{"contents":[{"parts":[{"text":"héllo ✓"}]}]}',
        'HTTP/2.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"modelVersion": "gemini-9.0-flash-001"}',
      ],
      [
        'POST https://api.example.com/v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n{"model":"gpt-4o-mini","stream":true}',
        'HTTP/2.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: {"model":"gpt-4o-mini-2024-07-18"}\n\ndata: [DONE]\n\n',
      ],
      [
        "POST https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-lite-v1%3A0/invoke HTTP/1.1\r\nHost: x\r\n\r\n{}",
        'HTTP/2.0 200 OK\r\n\r\n{"output":{}}',
      ],
      [
        "POST https://api-inference.huggingface.co/models/SomeOrg/some-7b-chat HTTP/1.1\r\nHost: x\r\n\r\n{}",
        "HTTP/2.0 200 OK\r\n\r\n[]",
      ],
    ]);
    // A message need not end its line: the next one starts where its bytes end.
    assert.equal(readHttprr(trace).filter((p) => p.kind === "url").length, 4);
    const found = configModels(trace, "httprr", catalog).map((m) => `${m.id}@${m.line}`);
    assert.deepEqual(found, [
      "gemini-9.0-flash@3",
      "gemini-9.0-flash-001@9",
      "gpt-4o-mini@13",
      "gpt-4o-mini-2024-07-18@16",
      "us.amazon.nova-lite-v1:0@21",
      "SomeOrg/some-7b-chat@27",
    ]);
    // Not a trace, or a cut one: nothing, and no throw.
    assert.deepEqual(configModels("httprr trace v1\n99 1\nPOST", "httprr", catalog), []);
    assert.deepEqual(configModels('{"model": "gpt-4o"}', "httprr", catalog), []);
  });

  it("names a string compared by Go's strings functions with a model variable by that variable", async () => {
    const root = await aTree({
      "reasoning.go": [
        "package llm",
        'import "strings"',
        "func isReasoning(modelName string, region string) bool {",
        '\treturn strings.HasPrefix(modelName, "gpt-7-mini") || strings.Contains(modelName, "o9") ||',
        '\t\tstrings.EqualFold(region, "phi-9-mini") || strings.Contains(strings.ToLower(modelName), "o1-mini")',
        "}",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => m.id).sort(), ["gpt-7-mini"]);
  });

  it("knows speech, embedding and regional model families by their vendors' naming schemes", () => {
    for (const [id, provider] of [
      ["aura-2-thalia-en", "deepgram"],
      ["aura-asteria-en", "deepgram"],
      ["flux-general-multi", "deepgram"],
      ["saaras:v3", "sarvam"],
      ["bulbul:v2", "sarvam"],
      ["sarvam-m", "sarvam"],
      ["universal-streaming-english", "assemblyai"],
      ["simba-multilingual", "speechify"],
      ["jina-embeddings-v2-base-en", "jina"],
      ["jina-reranker-v2-base-multilingual", "jina"],
      ["sabia-2-medium", "maritaca"],
      ["ERNIE-Bot-turbo", "baidu"],
      ["ernie-bot-4", "baidu"],
      ["zerank-1-small", "zeroentropy"],
      ["@cf/meta/llama-3.1-8b-instruct", "cloudflare"],
      ["@hf/thebloke/mistral-7b-instruct-v0.1-awq", "cloudflare"],
    ] as const)
      assert.equal(matchModel(id, undefined, catalog)?.provider, provider, id);
    // Generic words stay context-only; look-alikes of other shapes are not models.
    assert.equal(matchModel("sonic-2", undefined, catalog), undefined);
    assert.equal(matchModel("sonic-2", "model", catalog)?.provider, "cartesia");
    for (const id of ["aura-theme-dark", "flux-dev", "sabia", "ernie", "jina-ai"])
      assert.equal(matchModel(id, undefined, catalog), undefined, id);
  });

  it("reads Quarkus LangChain4j MCP clients, profile overlays included, and the Quarkus MCP server's name", () => {
    const main = [
      "quarkus.langchain4j.mcp.clock.transport-type=stdio",
      "quarkus.langchain4j.mcp.clock.command=npx,-y,clock-mcp@1.0.0",
      "quarkus.langchain4j.mcp.search.transport-type=streamable-http",
      "quarkus.langchain4j.mcp.search.url=http://localhost:8081/mcp",
      "quarkus.langchain4j.mcp.conformance.transport-type=streamable-http",
      "quarkus.langchain4j.mcp.generate-tool-provider=true",
      "quarkus.mcp.server.server-info.name=Clock Service",
    ].join("\n");
    const result = parseMcpConfig(main, { file: "src/main/resources/application.properties" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.command ?? s.url ?? null]),
      [
        ["clock", "stdio", "npx"],
        ["search", "http", "http://localhost:8081/mcp"],
        ["conformance", "http", null],
      ],
    );
    assert.deepEqual(
      result.implementations.map((i) => i.name),
      ["Clock Service"],
    );
    const dev = parseMcpConfig(
      "quarkus.langchain4j.mcp.clock.log-requests=true\nquarkus.langchain4j.log-requests=true\n",
      {
        file: "src/main/resources/application-dev.properties",
      },
    );
    assert.deepEqual(
      dev.servers.map((s) => s.name),
      ["clock"],
    );
  });

  it("knows a hub id under any account by an open-weight family and a size, not local folders or files", async () => {
    for (const id of [
      "someone/llama-7b",
      "TinyOrg/TinyLlama-1.1B-Chat-v1.0",
      "lab/starcoder2-3b",
      "x-y/gemma-2-2b-it-quantized.w4a16",
    ])
      assert.equal(matchModel(id, undefined, catalog)?.provider, "huggingface", id);
    for (const id of [
      "someone/starcoder", // no size or version
      "karpathy/llama2.c",
      "models/llama-2-7b",
      "checkpoints/mistral-7b-sft",
      "templates/tool_deepseek_v3.jinja",
      "your-org/llama-3-8b",
      "run_matrix/qwen_3_5_family",
    ])
      assert.equal(matchModel(id, undefined, catalog), undefined, id);
    // A file naming one only as a call argument is parsed for it.
    const root = await aTree({
      "test_launch.py":
        'def test_x(launcher):\n    with launcher("someone/pythia-1.4b-deduped", num_shard=2) as h:\n        pass\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => `${m.id}@${m.line}`),
      ["someone/pythia-1.4b-deduped@2"],
    );
  });

  it("takes no AWS IAM action for a model", () => {
    for (const id of ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "sagemaker:InvokeEndpoint"])
      assert.equal(matchModel(id, "actions", catalog), undefined, id);
    assert.equal(matchModel("llama3.2:latest", "model", catalog)?.provider, "ollama");
  });

  it("takes neither a Kernel Hub repository nor a transformers architecture name for a model", async () => {
    const root = await aTree({
      "layers.py": [
        "from kernels import load_kernel, get_kernel",
        'moe = load_kernel(module="moe", repo_id="kernels-community/moe-7b")',
        'act = get_kernel("kernels-community/activation-llama-3")',
        'model = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")',
        'if config.model_type == "phi3":',
        "    pass",
        'llm = ModelFactory.create(model_platform=OLLAMA, model_type="mistral-large")',
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => m.id),
      ["meta-llama/Llama-3.1-8B", "mistral-large"],
    );
  });

  it("reads a Zed context server an extension provides, named and configured only", () => {
    const settings =
      '{\n  // Zed\n  "context_servers": {\n    "mcp-server-docs": { "source": "extension", "enabled": true, "settings": { "api_key": "" } },\n    "bare": { "enabled": true }\n  }\n}\n';
    const result = parseMcpConfig(settings, { file: "zed/settings.json" });
    assert.deepEqual(
      result.servers.map((s) => [s.name, s.transport, s.client, s.line]),
      [["mcp-server-docs", "stdio", "zed", 4]],
    );
  });

  it("takes an rmcp client's own description for no server", () => {
    const rust = [
      "fn get_info(&self) -> ClientInfo {",
      "    ClientInfo::new(",
      "        ClientCapabilities::default(),",
      '        Implementation::new("probe-client", "1.0.0"),',
      "    )",
      "}",
      "fn server_info(&self) -> ServerInfo {",
      '    ServerInfo::new(ServerCapabilities::default()).with_server_info(Implementation::new("probe-server", "1.0.0"))',
      "}",
    ].join("\n");
    assert.deepEqual(
      textMcpImplementations(rust, "src/main.rs").map((s) => s.name),
      ["probe-server"],
    );
  });

  it("takes a server a Rust integration test builds as implemented, not a Ruby spec's", async () => {
    const root = await aTree({
      "tests/discover.rs":
        'fn get_info(&self) -> ServerInfo {\n    ServerInfo::new(ServerCapabilities::default()).with_server_info(Implementation::new("probe-server", "1.0.0"))\n}\n',
      "spec/server_spec.rb": 'server = MCP::Server.new(name: "spec-server")\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.mcpImplementations.map((s) => s.name),
      ["probe-server"],
    );
  });

  it("names the default of a Go flag by the flag", async () => {
    const root = await aTree({
      "main.go": [
        "package main",
        'import "flag"',
        'var flagModel = flag.String("model", "o1-preview", "model to use")',
        'var flagRegion = flag.String("region", "o3-mini", "not a model")',
        "func init() {",
        '	cmd.Flags().StringVarP(&embedder, "embedding-model", "e", "nomic-embed-text", "embedder")',
        "}",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => `${m.id}@${m.line}`),
      ["o1-preview@3", "nomic-embed-text@6"],
    );
  });
});
