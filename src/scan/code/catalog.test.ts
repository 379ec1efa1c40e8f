import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseYamlSource, validateYaml } from "../../core/index.js";
import { defaultRulesDir, loadAiCatalog, SdkCatalogFileSchema } from "./catalog.js";
import { scanCodebase } from "./scan.js";
import { createSdkIndex } from "./sdk-index.js";

const GENERATED = ["pypi-registry.yaml", "npm-registry.yaml"];
const catalog = loadAiCatalog();
const index = createSdkIndex(catalog);
const scratch = mkdtempSync(join(tmpdir(), "palisade-catalog-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("catalog files generated from registry metadata", () => {
  it("validate, name the command that wrote them, and say where each entry came from", () => {
    for (const name of GENERATED) {
      const file = join(defaultRulesDir(), "ai-catalog", name);
      const parsed = validateYaml(SdkCatalogFileSchema, parseYamlSource(readFileSync(file, "utf8"), file));
      assert.match(parsed.generatedBy ?? "", /scripts\/ai-catalog-from-registries\.ts/, name);
      assert.ok(parsed.sdks.length > 100, name);
      for (const sdk of parsed.sdks) {
        assert.match(
          sdk.source ?? "",
          /^(pypi\.tsv rank \d+ of 15000|npm\.tsv [\d,]+ downloads\/month); matched /,
          sdk.name,
        );
        assert.ok(!sdk.name.includes("*"), `${sdk.name}: generated entries are exact names`);
      }
      // PyPI distribution names say little about their modules: generated entries import nothing.
      if (parsed.ecosystem === "pypi")
        assert.deepEqual(
          parsed.sdks.filter((s) => s.imports.length > 0),
          [],
        );
    }
  });

  it("report the popular AI frameworks and SDKs no hand-written file lists", () => {
    for (const [ecosystem, name] of [
      ["pypi", "xgboost"],
      ["pypi", "lightgbm"],
      ["pypi", "open-clip-torch"],
      ["npm", "@tensorflow/tfjs"],
      ["npm", "onnxruntime-web"],
      ["npm", "@xenova/transformers"],
    ] as const) {
      assert.match(index.byName(ecosystem, name)?.source ?? "", /^(pypi|npm)\.tsv /, `${ecosystem}:${name}`);
    }
  });

  it("leave out packages whose AI-looking words mean something else, and the classes labelled uncertain", () => {
    const notAi = {
      npm: [
        "inquirer",
        "@inquirer/prompts",
        "enquirer",
        "prompts",
        "prompt-sync",
        "user-agent",
        "ua-parser-js",
        "https-proxy-agent",
        "agent-base",
        "@babel/plugin-transform-runtime",
        "@babel/plugin-transform-typescript",
        "ts-jest",
        "gpt",
        "react-text-to-speech",
        "@capawesome/capacitor-torch",
      ],
      pypi: [
        "prompt-toolkit",
        "questionary",
        "inquirer",
        "fake-useragent",
        "whisper",
        "numpy",
        "pandas",
        "mlflow",
        "gradio",
        "ray",
      ],
    };
    for (const [ecosystem, names] of Object.entries(notAi) as ["npm" | "pypi", string[]][])
      for (const name of names) assert.equal(index.byName(ecosystem, name), undefined, `${ecosystem}:${name}`);
  });
});

describe("generated catalog layer", () => {
  const rules = join(scratch, "rules");
  mkdirSync(join(rules, "ai-catalog"), { recursive: true });
  cpSync(join(defaultRulesDir(), "models"), join(rules, "models"), { recursive: true });
  writeFileSync(
    join(rules, "ai-catalog", "pypi.yaml"),
    [
      "ecosystem: pypi",
      "sdks:",
      "  - { name: widget-llm, provider: widget, category: provider, imports: [widget_llm] }",
      "  - { name: gizmo-*, provider: gizmo, category: orchestration, imports: [] }",
    ].join("\n"),
  );
  // Sorted after pypi.yaml, so without layers its duplicate would win.
  writeFileSync(
    join(rules, "ai-catalog", "pypi-registry.yaml"),
    [
      "ecosystem: pypi",
      'generatedBy: "node --import tsx scripts/ai-catalog-from-registries.ts"',
      "sdks:",
      "  - { name: Widget_LLM, provider: other, category: tooling, imports: [], source: generated }",
      "  - { name: gizmo-openai, provider: openai, category: tooling, imports: [], source: generated }",
      "  - { name: sprocket-ml, provider: local, category: ml-framework, imports: [], source: generated }",
    ].join("\n"),
  );
  const layered = loadAiCatalog(rules);
  const layeredIndex = createSdkIndex(layered);

  it("keeps the hand-written entry for a name both layers list, and a hand-written family wins too", () => {
    assert.deepEqual(
      layered.sdks.map((s) => s.name),
      ["widget-llm", "gizmo-*", "sprocket-ml"],
    );
    assert.equal(layeredIndex.byName("pypi", "widget-llm")?.provider, "widget");
    assert.equal(layeredIndex.byName("pypi", "gizmo-openai")?.provider, "gizmo");
    assert.equal(layeredIndex.byName("pypi", "sprocket-ml")?.category, "ml-framework");
  });

  it("reports a package only the generated layer lists when a requirements file declares it", async () => {
    const repo = join(scratch, "repo");
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, "requirements.txt"), "requests==2.32.3\nsprocket-ml>=1.0\n");
    const report = await scanCodebase(repo, { catalog: layered });
    assert.deepEqual(
      report.sdks.map((s) => [s.name, s.manifest, s.category]),
      [["sprocket-ml", "requirements.txt", "ml-framework"]],
    );
  });

  it("reports a shipped generated-only package declared in requirements.txt", async () => {
    const repo = join(scratch, "shipped");
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, "requirements.txt"), "xgboost==2.1.0\nflask\n");
    const report = await scanCodebase(repo, { catalog });
    assert.deepEqual(
      report.sdks.map((s) => [s.name, s.manifest]),
      [["xgboost", "requirements.txt"]],
    );
  });
});
