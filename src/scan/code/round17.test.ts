/**
 * Classes of misses found on rounds 17 and 18 of the AI-BOM corpus (issue 15), each with a small
 * case of its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sdksOf } from "../../../test/helpers/scan-tree.js";
import { loadAiCatalog } from "./catalog.js";
import { isManifestName } from "./manifests/names.js";
import { createSdkIndex } from "./sdk-index.js";
import { textMcpImplementations } from "./text-code.js";

const catalog = loadAiCatalog();

describe("round 17-18 classes", () => {
  it("takes a Go module nested in a catalogued module's repository for a component of it", async () => {
    const index = createSdkIndex(catalog);
    assert.equal(
      index.byName("go", "github.com/cloudwego/eino-ext/components/model/openai")?.name,
      "github.com/cloudwego/eino-ext/components/model/openai",
    );
    // Only a path below the catalogued one: a sibling repository of the same owner is not it.
    assert.equal(index.byName("go", "github.com/cloudwego/eino-extras"), undefined);
    const sdks = await sdksOf({
      "go.mod": [
        "module example.com/agent",
        "",
        "require (",
        "\tgithub.com/cloudwego/eino-ext/components/model/openai v0.1.13",
        "\tgithub.com/cloudwego/eino-ext/adk/backend/local v0.2.1 // indirect",
        ")",
        "",
      ].join("\n"),
      "main.go": [
        "package main",
        "",
        'import "github.com/cloudwego/eino-ext/components/model/openai"',
        "",
        "func main() { _, _ = openai.NewChatModel(nil, nil) }",
        "",
      ].join("\n"),
    });
    // The import is attributed to the nested module that go.mod declares, not reported as undeclared.
    assert.deepEqual(sdks, [
      "github.com/cloudwego/eino-ext/adk/backend/local@go.mod",
      "github.com/cloudwego/eino-ext/components/model/openai@go.mod",
    ]);
  });

  it("reads alternate Gemfiles (gemfiles/*.gemfile) as Ruby manifests", async () => {
    assert.ok(isManifestName("activerecord72.gemfile"));
    assert.ok(!isManifestName("notes.gemfile.txt"));
    const sdks = await sdksOf({
      "gemfiles/rails8.gemfile": 'source "https://rubygems.org"\n\ngemspec path: ".."\n\ngem "sqlite-vec"\ngem "pg"\n',
    });
    assert.deepEqual(sdks, ["sqlite-vec@gemfiles/rails8.gemfile"]);
  });

  it("brings in provider clients through pydantic-ai-slim's extras", async () => {
    const sdks = await sdksOf({ "requirements.txt": "pydantic-ai-slim[mcp,groq]==0.1.3\npython-dotenv\n" });
    assert.deepEqual(sdks, ["groq@requirements.txt", "mcp@requirements.txt", "pydantic-ai-slim@requirements.txt"]);
  });

  it("knows a vendor's whole npm scope (@chroma-core/*) and the ML packages installed by #egg= name", async () => {
    const sdks = await sdksOf({
      "package.json": JSON.stringify({ dependencies: { "@chroma-core/default-embed": "^0.1.8", "left-pad": "1" } }),
      "environment.yaml": [
        "name: ldm",
        "dependencies:",
        "  - pip:",
        "    - -e git+https://github.com/openai/CLIP.git@main#egg=clip",
        "",
      ].join("\n"),
    });
    assert.deepEqual(sdks, ["@chroma-core/default-embed@package.json", "clip@environment.yaml"]);
  });

  it("reads the name of a fast-mcp server built directly or through its Rack and Rails helpers", () => {
    const ruby = [
      "server = FastMcp::Server.new(name: 'resource-example-server', version: '1.0.0')",
      "app = FastMcp.rack_middleware(app,",
      "  name: 'example-mcp-server', version: '1.0.0') do |server|",
      "end",
      "FastMcp.authenticated_rack_middleware(app, name: \"secured\", auth_token: 'x')",
      "FastMcp.mount_in_rails(Rails.application, name: Rails.application.class.module_parent_name)",
      "",
    ].join("\n");
    assert.deepEqual(
      textMcpImplementations(ruby, "server.rb").map((s) => `${s.name}@${s.line}`),
      ["resource-example-server@1", "example-mcp-server@2", "secured@5"],
    );
  });
});
