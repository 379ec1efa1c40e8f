/**
 * Classes of misses found on round 9 of the AI-BOM corpus (issue 15), each with a small case of
 * its own.
 */
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { isModelRecord, matchModel } from "./models.js";
import { scanCodebase } from "./scan.js";
import { JSON_DATA_SIZE_FACTOR, readSourceText, type WalkedFile } from "./walk.js";

const catalog = loadAiCatalog();

describe("round 9 classes", () => {
  it("reads a recorded stream of server-sent events kept under a body key as data, not prose", () => {
    const yaml = [
      "response:",
      "  status: 200",
      "  body: |",
      "    event: message_start",
      '    data: {"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929"}}',
      "",
      "second:",
      '  body: "data: {\\"choices\\":[],\\"model\\":\\"gpt-4.1-nano-2025-04-14\\"}\\n\\ndata: [DONE]"',
      "issue:",
      '  body: "data: my settings say model=\\"gpt-4o\\" and it fails"',
    ].join("\n");
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["claude-sonnet-4-5-20250929", "gpt-4.1-nano-2025-04-14"],
    );
  });

  it("takes the ids of model records in a catalog or a listing, not of other records", () => {
    const json = JSON.stringify({
      data: [
        {
          id: "acme/zephyr-9b-chat",
          canonical_slug: "acme/zephyr-9b-chat-20260101",
          context_length: 32768,
          architecture: {},
        },
        { name: "models/acme-embed-002", inputTokenLimit: 2048, outputTokenLimit: 1 },
        { id: "plan-pro-2", price: 10, currency: "EUR" },
      ],
    });
    assert.deepEqual(
      configModels(json, "json", catalog)
        .map((m) => m.id)
        .sort(),
      ["acme/zephyr-9b-chat", "acme/zephyr-9b-chat-20260101", "models/acme-embed-002"],
    );
    assert.equal(isModelRecord({ id: "user-42", name: "Ada", created: 1 }), false);
    // A benchmark table names each model by `name` alone; beside an `id`, `name` is a display name.
    const table = JSON.stringify([
      { name: "acme-lite-7b", provider: "Acme", context_window: 8192, tool_calling: true },
      { id: "acme-pro-2", name: "AcmePro", context_length: 4096, owned_by: "acme" },
    ]);
    assert.deepEqual(
      configModels(table, "json", catalog)
        .map((m) => m.id)
        .sort(),
      ["acme-lite-7b", "acme-pro-2"],
    );
  });

  it("reads a JSON document kept in a string value (a recorded response body) as structure", () => {
    const listing = JSON.stringify({
      object: "list",
      data: [{ id: "acme-large-3", object: "model", owned_by: "acme" }],
    });
    const yaml = `then:\n  status: 200\n  body: '${listing}'\n`;
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["acme-large-3"],
    );
  });

  it("reads a YAML file whose mappings repeat a key, as PyYAML does", () => {
    const yaml = "- name: gpt-4.1-mini\n  use_temperature: false\n  use_temperature: true\n";
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["gpt-4.1-mini"],
    );
  });

  it("reads JSON data files up to a few times the source-file limit", () => {
    const file = (size: number, format: "json" | "yaml"): WalkedFile => ({
      path: "/nonexistent/models.json",
      rel: "models.json",
      size,
      role: { kind: "config", format },
    });
    const limits = { maxFiles: 10, maxFileBytes: 1000 };
    const big = readSourceText(file(3000, "json"), limits);
    assert.ok(typeof big === "string" || !big.reason.startsWith("larger"));
    const tooBig = readSourceText(file(1000 * JSON_DATA_SIZE_FACTOR + 1, "json"), limits);
    assert.ok(typeof tooBig !== "string" && tooBig.reason.startsWith("larger"));
    const yaml = readSourceText(file(1000 * JSON_DATA_SIZE_FACTOR + 1, "yaml"), limits);
    assert.ok(typeof yaml !== "string" && yaml.reason.startsWith("larger"));
  });

  it("takes an id routed through a model router's prefix when the id after it is known", () => {
    assert.equal(matchModel("openrouter/anthropic/claude-3.7-sonnet", "name", catalog)?.provider, "openrouter");
    assert.equal(
      matchModel("bedrock_converse/us.anthropic.claude-3-7-sonnet-20250219-v1:0", undefined, catalog)?.id,
      "bedrock_converse/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    );
    assert.equal(matchModel("openrouter/acme/house-blend", "name", catalog), undefined);
    assert.equal(matchModel("cerebras/logo.png", undefined, catalog), undefined);
  });

  it("takes the model segment of a recorded request's path or URL", () => {
    const yaml = [
      "- request:",
      "    uri: https://bedrock-runtime.us-east-1.amazonaws.com/model/acme.lite-v2%3A0/converse",
      "- when:",
      "    path: /v1beta/models/gemini-3.0-flash:streamGenerateContent",
      "- request:",
      "    uri: https://api.example.com/v1/speak?encoding=mp3&model=aura-2-thalia-en",
      "- link: https://example.com/docs/model/overview/invoke-guide",
      "- link: https://example.com/search?model=true",
    ].join("\n");
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => m.id),
      ["acme.lite-v2:0", "gemini-3.0-flash", "aura-2-thalia-en"],
    );
  });

  it("takes a constant named after the versioned id it holds as naming a model", () => {
    const rust = [
      'pub const O3_MINI: &str = "o3-mini";',
      'pub const ZEPHYR_9B: &str = "acme-labs/Zephyr-9B";',
      'pub const MISTRAL: &str = "mistral";',
      'pub const TLS_1_2: &str = "tls-1.2";',
    ].join("\n");
    assert.deepEqual(
      configModels(rust, "code", catalog).map((m) => m.id),
      ["o3-mini", "acme-labs/Zephyr-9B"],
    );
  });

  it("knows the vector-store, embedding and provider crates of Rust AI frameworks", async () => {
    const root = await mkdtemp(join(tmpdir(), "palisade-r9-"));
    await writeFile(
      join(root, "Cargo.toml"),
      '[package]\nname = "demo"\nversion = "0.1.0"\n\n[dependencies]\nqdrant-client = "1.10"\nserde = "1"\n\n[workspace.dependencies]\nlancedb = "0.30"\naws-sdk-bedrockruntime = "1.124"\n',
    );
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => s.name).sort(), ["aws-sdk-bedrockruntime", "lancedb", "qdrant-client"]);
  });
});
