import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { classifyFile } from "../walk.js";
import { parseGoMod, parseGoSum, parseGradle, parsePom, parseVersionCatalog } from "./jvm-go.js";
import { isManifestName } from "./names.js";
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from "./node.js";
import {
  parsePep508,
  parsePipfile,
  parsePipfileLock,
  parsePyproject,
  parseRequirements,
  parseSetupCfg,
  parseTomlLock,
} from "./python.js";
import { exactVersion } from "./types.js";

const names = (packages: readonly { name: string }[]) => packages.map((p) => p.name);

describe("Python manifests", () => {
  it("reads requirement lines with extras, markers, includes and continuation lines", () => {
    const files: Record<string, string> = {
      "base.txt": "langchain-core==0.3.21\n-r more.txt\n",
      "more.txt": "tiktoken\n",
    };
    const text = [
      "# comment",
      "-r base.txt",
      "-c constraints.txt",
      "OpenAI[datalib]==1.54.3 ; python_version >= '3.9'  # pinned",
      "anthropic>=0.39 \\",
      "    ; sys_platform != 'win32'",
      "--index-url https://example.com/simple",
      "git+https://github.com/x/y.git#egg=y",
      "Llama_Index.Core~=0.12",
    ].join("\n");
    const packages = parseRequirements(text, (rel) => files[rel]);
    assert.deepEqual(names(packages), ["langchain-core", "tiktoken", "openai", "anthropic", "y", "llama-index-core"]);
    assert.equal(packages.find((p) => p.name === "openai")?.spec, "==1.54.3");
    assert.equal(packages.find((p) => p.name === "openai")?.line, 4);
  });

  it("stops following -r includes that loop", () => {
    const packages = parseRequirements("-r a.txt\nopenai\n", () => "-r a.txt\ncohere\n");
    assert.ok(packages.filter((p) => p.name === "cohere").length <= 6);
    assert.ok(names(packages).includes("openai"));
  });

  it("reads PEP 621, dependency groups and Poetry groups from pyproject.toml", () => {
    const text = `
[project]
name = "x"
dependencies = ["openai>=1.0", "httpx"]
[project.optional-dependencies]
local = ["vllm==0.6.4"]
[dependency-groups]
dev = ["pytest"]
[tool.poetry.dependencies]
python = "^3.11"
groq = "^0.13"
mistralai = { version = "1.2.3", optional = true }
[tool.poetry.group.ml.dependencies]
torch = "*"
`;
    const packages = parsePyproject(text);
    assert.deepEqual(names(packages).sort(), ["groq", "httpx", "mistralai", "openai", "pytest", "torch", "vllm"]);
    assert.equal(packages.find((p) => p.name === "mistralai")?.spec, "1.2.3");
  });

  it("reads Pipfile, setup.cfg and the lockfiles", () => {
    assert.deepEqual(names(parsePipfile('[packages]\ncohere = "*"\n[dev-packages]\nruff = "==0.8"\n')), [
      "cohere",
      "ruff",
    ]);
    const cfg =
      "[options]\ninstall_requires =\n    openai>=1.50\n    requests\n\n[options.extras_require]\nml = torch\n";
    assert.deepEqual(names(parseSetupCfg(cfg)), ["openai", "requests", "torch"]);
    const pipLock = parsePipfileLock('{"default": {"Cohere": {"version": "==5.11.4"}}, "develop": {}}');
    assert.equal(pipLock.get("cohere"), "5.11.4");
    const lock = parseTomlLock('[[package]]\nname = "LiteLLM"\nversion = "1.52.16"\n');
    assert.equal(lock.get("litellm"), "1.52.16");
  });

  it("parses arbitrary requirement lines without throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (line) => {
        const req = parsePep508(line);
        if (req) assert.match(req.name, /^[a-z0-9][a-z0-9-]*$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("npm manifests", () => {
  it("reads every dependency field of package.json", () => {
    const text = JSON.stringify({
      dependencies: { openai: "^4.73.0" },
      devDependencies: { "@ai-sdk/openai": "1.0.5" },
      peerDependencies: { ai: "*" },
    });
    assert.deepEqual(names(parsePackageJson(text)), ["openai", "@ai-sdk/openai", "ai"]);
  });

  it("resolves versions from package-lock v1 and v3, preferring top-level copies", () => {
    const v3 = JSON.stringify({
      packages: {
        "node_modules/x/node_modules/openai": { version: "3.0.0" },
        "node_modules/openai": { version: "4.73.1" },
        "node_modules/@anthropic-ai/sdk": { version: "0.32.1" },
      },
    });
    const locked = parsePackageLock(v3);
    assert.equal(locked.get("openai"), "4.73.1");
    assert.equal(locked.get("@anthropic-ai/sdk"), "0.32.1");
    assert.equal(parsePackageLock(JSON.stringify({ dependencies: { ai: { version: "4.0.9" } } })).get("ai"), "4.0.9");
  });

  it("resolves versions from pnpm-lock v6 and v9 and yarn v1 and berry", () => {
    const pnpm6 =
      "lockfileVersion: '6.0'\npackages:\n  /openai@4.73.1(zod@3.23.8):\n    resolution: {integrity: x}\n  /@langchain/core@0.3.19:\n    resolution: {integrity: y}\n";
    const p6 = parsePnpmLock(pnpm6);
    assert.equal(p6.get("openai"), "4.73.1");
    assert.equal(p6.get("@langchain/core"), "0.3.19");
    const pnpm5 = "lockfileVersion: 5.4\npackages:\n  /ollama/0.5.10:\n    resolution: {integrity: x}\n";
    assert.equal(parsePnpmLock(pnpm5).get("ollama"), "0.5.10");
    const yarn1 =
      '"@anthropic-ai/sdk@^0.32.0", "@anthropic-ai/sdk@^0.32.1":\n  version "0.32.1"\n  resolved "https://x"\n\nopenai@^4:\n  version "4.73.1"\n';
    const y1 = parseYarnLock(yarn1);
    assert.equal(y1.get("@anthropic-ai/sdk"), "0.32.1");
    assert.equal(y1.get("openai"), "4.73.1");
    const berry = '"@google/genai@npm:^0.2.0":\n  version: 0.2.1\n  resolution: "@google/genai@npm:0.2.1"\n';
    assert.equal(parseYarnLock(berry).get("@google/genai"), "0.2.1");
  });
});

describe("Go and JVM manifests", () => {
  it("reads go.mod require blocks and single lines, and go.sum", () => {
    const mod =
      "module x\n\nrequire github.com/tmc/langchaingo v0.1.12\nrequire (\n\tgithub.com/sashabaranov/go-openai v1.35.6 // indirect\n)\n";
    assert.deepEqual(
      parseGoMod(mod).map((p) => [p.name, p.spec, p.line]),
      [
        ["github.com/tmc/langchaingo", "v0.1.12", 3],
        ["github.com/sashabaranov/go-openai", "v1.35.6", 5],
      ],
    );
    assert.equal(
      parseGoSum("github.com/x/y v1.2.3 h1:abc=\ngithub.com/x/y v1.2.3/go.mod h1:d=\n").get("github.com/x/y"),
      "v1.2.3",
    );
  });

  it("substitutes pom.xml properties, including nested ones", () => {
    const pom = `<project><properties><base>1.0.0</base><spring-ai.version>\${base}-M4</spring-ai.version></properties>
<dependencyManagement><dependencies><dependency><groupId>org.springframework.ai</groupId><artifactId>spring-ai-bom</artifactId><version>\${spring-ai.version}</version></dependency></dependencies></dependencyManagement>
<dependencies><dependency><groupId>org.springframework.ai</groupId><artifactId>spring-ai-openai</artifactId><version>\${spring-ai.version}</version></dependency>
<dependency><groupId>x</groupId><artifactId>y</artifactId><version>\${missing}</version></dependency></dependencies></project>`;
    const deps = parsePom(pom);
    assert.equal(deps.find((d) => d.name === "org.springframework.ai:spring-ai-openai")?.spec, "1.0.0-M4");
    assert.equal(deps.find((d) => d.name === "x:y")?.spec, undefined);
  });

  it("reads Gradle string and map notations with variables", () => {
    const gradle = `ext.aiVersion = '1.0.0'\nval lc = "0.36.2"\ndependencies {\n  implementation "org.springframework.ai:spring-ai-openai:$aiVersion"\n  implementation("dev.langchain4j:langchain4j:\${lc}")\n  api group: 'com.openai', name: 'openai-java', version: '0.8.0'\n  implementation(platform("dev.langchain4j:langchain4j-bom:0.36.2"))\n}\n`;
    const deps = parseGradle(gradle);
    assert.deepEqual(
      deps.map((d) => [d.name, d.spec]),
      [
        ["org.springframework.ai:spring-ai-openai", "1.0.0"],
        ["dev.langchain4j:langchain4j", "0.36.2"],
        ["dev.langchain4j:langchain4j-bom", "0.36.2"],
        ["com.openai:openai-java", "0.8.0"],
      ],
    );
  });

  it("reads the dependencies of pom.xml profiles", () => {
    const pom = `<project><dependencies><dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j</artifactId></dependency></dependencies>
<profiles><profile><id>ollama</id><dependencies><dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-ollama</artifactId></dependency></dependencies></profile>
<profile><id>azure</id><dependencies><dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-azure-open-ai</artifactId></dependency></dependencies></profile></profiles></project>`;
    assert.deepEqual(
      parsePom(pom).map((d) => [d.name, d.line]),
      [
        ["dev.langchain4j:langchain4j", 1],
        ["dev.langchain4j:langchain4j-ollama", 2],
        ["dev.langchain4j:langchain4j-azure-open-ai", 3],
      ],
    );
  });

  it("leaves out commented-out Gradle dependencies and reads mavenBom imports", () => {
    const gradle = [
      "dependencyManagement {",
      '  imports { mavenBom "dev.langchain4j:langchain4j-bom:1.15.0" }',
      "}",
      "dependencies {",
      '  implementation "dev.langchain4j:langchain4j-open-ai" // see https://docs.langchain4j.dev',
      '//  implementation "dev.langchain4j:langchain4j-ollama"',
      "  /* implementation 'dev.langchain4j:langchain4j-azure-open-ai'",
      "  */ implementation 'dev.langchain4j:langchain4j-anthropic'",
      "}",
    ].join("\n");
    assert.deepEqual(
      parseGradle(gradle).map((d) => [d.name, d.line]),
      [
        ["dev.langchain4j:langchain4j-bom", 2],
        ["dev.langchain4j:langchain4j-open-ai", 5],
        ["dev.langchain4j:langchain4j-anthropic", 8],
      ],
    );
  });

  it("tells exact versions from ranges", () => {
    assert.equal(exactVersion("==1.2.3"), "1.2.3");
    assert.equal(exactVersion("v1.35.6"), "v1.35.6");
    assert.equal(exactVersion("^1.2.3"), undefined);
    assert.equal(exactVersion(">=0.3"), undefined);
  });
});

describe("Gradle version catalogs", () => {
  it("reads [libraries] in each notation, resolving version refs", () => {
    const toml = [
      "[versions]",
      'langchain4j = "1.0.1"',
      'springAi = { strictly = "1.0.0" }',
      "",
      "[libraries]",
      'langchain4j-openai = { module = "dev.langchain4j:langchain4j-open-ai", version.ref = "langchain4j" }',
      'spring-ai-bom = { group = "org.springframework.ai", name = "spring-ai-bom", version = { ref = "springAi" } }',
      'onnx = "com.microsoft.onnxruntime:onnxruntime:1.20.0"',
      'junit = { module = "org.junit.jupiter:junit-jupiter" }',
      "",
      "[plugins]",
      'spring-boot = { id = "org.springframework.boot", version = "3.4.0" }',
    ].join("\n");
    assert.deepEqual(
      parseVersionCatalog(toml).map((p) => [p.name, p.spec, p.line]),
      [
        ["dev.langchain4j:langchain4j-open-ai", "1.0.1", 6],
        ["org.springframework.ai:spring-ai-bom", "1.0.0", 7],
        ["com.microsoft.onnxruntime:onnxruntime", "1.20.0", 8],
        ["org.junit.jupiter:junit-jupiter", undefined, 9],
      ],
    );
    assert.ok(isManifestName("libs.versions.toml"));
    assert.ok(!isManifestName("versions.toml"));
  });
});

describe("more Python manifest spellings", () => {
  it("recognises prefixed requirements files and files in a requirements/ folder", () => {
    assert.ok(isManifestName("dev-requirements.txt"));
    assert.ok(isManifestName("requirements-dev.in"));
    assert.ok(!isManifestName("requirements.md"));
    assert.deepEqual(classifyFile("requirements/base.txt"), { kind: "manifest" });
    assert.deepEqual(classifyFile("backend/requirements/prod.in"), { kind: "manifest" });
    assert.notDeepEqual(classifyFile("docs/base.txt"), { kind: "manifest" });
  });

  it("reads uv and PDM dev-dependencies in pyproject.toml", () => {
    const toml = [
      "[project]",
      'name = "app"',
      'dependencies = ["openai>=1"]',
      "[tool.uv]",
      'dev-dependencies = ["pytest", "langsmith>=0.1"]',
      "[tool.pdm.dev-dependencies]",
      'eval = ["ragas==0.2.1"]',
    ].join("\n");
    assert.deepEqual(names(parsePyproject(toml)), ["openai", "pytest", "langsmith", "ragas"]);
  });
});
