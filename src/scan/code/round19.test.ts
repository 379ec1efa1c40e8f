/**
 * Classes of misses and false positives found on round 19 of the AI-BOM corpus (issue 15), each
 * with a small case of its own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelsOf, sdksOf } from "../../../test/helpers/scan-tree.js";
import { loadAiCatalog } from "./catalog.js";
import { configModels } from "./config-models.js";
import { withoutCargoFeatures } from "./scan.js";

const catalog = loadAiCatalog();

describe("round 19 classes", () => {
  it("knows AI21's client and tokenizer, and llguidance/toktrie crates", async () => {
    assert.deepEqual(await sdksOf({ "requirements.txt": "ai21==2.1.3\nai21-tokenizer==0.3.11\nrequests\n" }), [
      "ai21-tokenizer@requirements.txt",
      "ai21@requirements.txt",
    ]);
    const cargo = '[package]\nname = "x"\n\n[dependencies]\nllguidance = "1.7"\ntoktrie = "1.7"\n';
    assert.deepEqual(await sdksOf({ "Cargo.toml": cargo }), ["llguidance@Cargo.toml", "toktrie@Cargo.toml"]);
  });

  it("reads no model id in a Cargo.toml [features] table", async () => {
    const cargo = [
      "[package]",
      'name = "simple"',
      "",
      "[dependencies]",
      'llama-cpp-2 = { path = "../llama-cpp-2" }',
      "",
      "[features]",
      'cuda = ["llama-cpp-2/cuda"]',
      "metal = [",
      '  "llama-cpp-2/metal",',
      '  "llama-cpp-sys-2/mtmd",',
      "]",
      "",
      "[package.metadata.run]",
      'model = "meta-llama/Llama-3.1-8B-Instruct"',
      "",
    ].join("\n");
    assert.ok(!withoutCargoFeatures(cargo).includes("llama-cpp-2/cuda"));
    assert.equal(withoutCargoFeatures(cargo).split("\n").length, cargo.split("\n").length);
    assert.deepEqual(await modelsOf({ "Cargo.toml": cargo }), ["meta-llama/Llama-3.1-8B-Instruct@Cargo.toml"]);
  });

  it("reads TOML headers in one pass: spaced, doubled, commented, and hostile lines of spaces", () => {
    const cargo = '[ features ] # flags\nx = ["a/b"]\n[[bin]]\nname = "m/n"\n';
    assert.equal(withoutCargoFeatures(cargo), '\n\n[[bin]]\nname = "m/n"\n');
    // A line of `[` and many spaces without a `]` once cost cubic backtracking (seconds at 2,000).
    const hostile = `[features]\n[${" ".repeat(200_000)}\nx = 1\n`;
    const started = performance.now();
    assert.equal(withoutCargoFeatures(hostile).split("\n").length, 4);
    assert.ok(performance.now() - started < 5_000);
  });

  it("takes no module specifier for a routed model id (`from 'ollama/browser'`)", async () => {
    const models = await modelsOf({
      "a.ts": "import type { ErrorResponse } from 'ollama/browser';\nexport * from 'ollama/browser';\n",
      "b.js":
        'const o = require("ollama/browser");\nconst m = await import("ollama/browser");\nconst id = "ollama/llama3.1";\n',
    });
    assert.deepEqual(models, ["ollama/llama3.1@b.js"]);
  });

  it("reads the ids of a model field's placeholder text, in any language", async () => {
    const models = await modelsOf({
      "en.ts": "export default { pullModelPlaceholder: 'Model tag (e.g. llama3.1)', title: 'e.g. llama3.1' };\n",
      "zh.ts": "export default { pullModelPlaceholder: '模型标签（例如 llama3.1）' };\n",
    });
    assert.deepEqual(models, ["llama3.1@en.ts", "llama3.1@zh.ts"]);
  });

  it("reads every entry of LibreChat's models.default lists, with duplicate keys, and its title model", () => {
    // The `- name:` line of each endpoint is commented out: one mapping with `models` written twice.
    const yaml = [
      "version: 1.2.1",
      "endpoints:",
      "  custom:",
      "    #- name: ShuttleAI",
      "      apiKey: user_provided",
      "      models:",
      "        default: [",
      '          "shuttle-1", "MoA-1",',
      '          "---OPENAI---",',
      "        ]",
      "      titleModel: llama-summarize",
      "    #- name: glhf",
      "      models:",
      "        default:",
      "          - chatx_cheap_128k",
      "      titleModel: current_model",
      "      models:",
      "        default: [tiny]",
      "",
    ].join("\n");
    const ids = configModels(yaml, "yaml", catalog)
      .map((m) => m.id)
      .sort();
    assert.deepEqual(ids, ["MoA-1", "chatx_cheap_128k", "llama-summarize", "shuttle-1", "tiny"]);
  });

  it("still fails cleanly on a YAML alias bomb and a huge duplicate-key map", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "models: { default: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e] }",
      "",
    ].join("\n");
    const started = Date.now();
    assert.doesNotThrow(() => configModels(bomb, "yaml", catalog));
    const dup = Array.from({ length: 20_000 }, (_, i) => `models:\n  default: [m-${i}]`).join("\n");
    assert.doesNotThrow(() => configModels(dup, "yaml", catalog));
    assert.ok(Date.now() - started < 20_000);
  });

  it("knows Upstage's Solar ids and a setting call's value under a Model key", async () => {
    const py = [
      "class UpstageEmbedder:",
      "    MODELS = ['solar-pro', 'solar-mini']",
      "    def __init__(self):",
      '        self.config = {"Model": InputConfig(type="dropdown", value="embedding-query", values=["embedding-query", "embedding-passage"])}',
      '        self.other = {"URL": InputConfig(type="text", value="embedding-query")}',
      '        self.description = "Embeds objects using Google\'s text-embedding-preview-0409 model"',
      "",
    ].join("\n");
    const models = await modelsOf({ "e.py": py });
    assert.deepEqual(models, [
      "embedding-passage@e.py",
      "embedding-query@e.py",
      "solar-mini@e.py",
      "solar-pro@e.py",
      "text-embedding-preview-0409@e.py",
    ]);
  });

  it("reads no cassette name as a model, and Ruby's one-line word arrays and help texts", async () => {
    const rb = [
      'class_option :model, type: :string, desc: "AI model name to use (e.g. gpt-4o, claude-3-haiku-20240307)"',
      'ask("Which OpenAI model?", default: "gpt-4o", limited_to: %w[gpt-4o-mini gpt-4-turbo])',
      'VCR.use_cassette("openai/42") do',
      "end",
      "",
    ].join("\n");
    assert.deepEqual(await modelsOf({ "cli.rb": rb }), [
      "claude-3-haiku-20240307@cli.rb",
      "gpt-4-turbo@cli.rb",
      "gpt-4o-mini@cli.rb",
      "gpt-4o@cli.rb",
      "gpt-4o@cli.rb",
    ]);
  });

  it("reads no display name beside a model entry's own name (Zed's available_models)", async () => {
    const nix =
      '{ x = { available_models = [ { name = "glm-5.1"; display_name = "GLM-5.1"; max_tokens = 200000; } ]; }; }\n';
    assert.deepEqual(await modelsOf({ "zed.nix": nix }), ["glm-5.1@zed.nix"]);
  });
});
