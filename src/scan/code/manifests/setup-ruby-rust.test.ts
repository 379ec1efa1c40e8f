import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isManifestName } from "./names.js";
import { parsePep508, parsePyproject } from "./python.js";
import { parseManifestFile, projectName } from "./read.js";
import { parseCargoLock, parseCargoToml, parseGemfile, parseGemfileLock, parseGemspec } from "./ruby-rust.js";
import { parseSetupPy } from "./setup-py.js";

const names = (packages: readonly { name: string }[]) => packages.map((p) => p.name);
const none = () => undefined;

describe("setup.py", () => {
  it("reads install_requires and extras_require written as literals", () => {
    const text = [
      "from setuptools import setup, find_packages",
      "setup(",
      '    name="demo",',
      '    keywords=["openai", "gpt"],',
      "    install_requires=[",
      '        "openai>=1.40",  # client',
      "        'anthropic',",
      "    ],",
      '    extras_require={"local": ["vllm==0.6.4"], "ml": ["torch", "transformers[torch]>=4.40"]},',
      '    python_requires=">=3.9",',
      ")",
    ].join("\n");
    const packages = parseSetupPy(text);
    assert.deepEqual(names(packages), ["openai", "anthropic", "vllm", "torch", "transformers"]);
    assert.equal(packages.find((p) => p.name === "openai")?.line, 6);
    assert.equal(packages.find((p) => p.name === "vllm")?.spec, "==0.6.4");
    assert.deepEqual(packages.find((p) => p.name === "transformers")?.extras, ["torch"]);
  });

  it("follows variables, concatenation and Hugging Face's _deps list", () => {
    const text = `
import re
_deps = [
    "accelerate>=0.26.0",
    "datasets>=2.0",
    "peft>=0.8.0",
]
deps = {b: a for a, b in (re.findall(r"^(([^!=<>~ ]+)(?:[!=<>~ ].*)?$)", x)[0] for x in _deps)}
def deps_list(*pkgs):
    return [deps[pkg] for pkg in pkgs]
REQUIRED = ["tiktoken"] + ["cohere"]
extras = {}
extras["dev"] = deps_list("peft")
extras["eval"] = ["lm-eval"]
setup(name="x", install_requires=REQUIRED, extras_require=extras)
`;
    const found = names(parseSetupPy(text));
    for (const expected of ["accelerate", "datasets", "peft", "tiktoken", "cohere", "lm-eval"])
      assert.ok(found.includes(expected), `${expected} in ${found.join(",")}`);
    assert.ok(!found.includes("re"));
  });

  it("ignores strings outside requirement variables and f-strings", () => {
    const text = 'description = "openai helper"\nurl = f"https://x/{name}"\nclassifiers=["Topic :: AI"]\n';
    assert.deepEqual(parseSetupPy(text), []);
  });

  it("survives deep nesting, unterminated strings and junk without throwing", () => {
    assert.deepEqual(parseSetupPy(`install_requires = ${"[".repeat(5000)}"openai"${"]".repeat(10)}`).length <= 1, true);
    assert.deepEqual(parseSetupPy('install_requires = ["openai'), []);
    assert.deepEqual(parseSetupPy('install_requires = """openai\n'), []);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        const out = parseSetupPy(`install_requires = [${junk}]\n${junk}`);
        for (const p of out) assert.match(p.name, /^[a-z0-9][a-z0-9-]*$/);
      }),
      { numRuns: 1500 },
    );
  });

  it("refuses a file beyond the token limit with a clear error", () => {
    assert.throws(() => parseSetupPy("x ".repeat(210_000)), /more than 200000 tokens/);
  });
});

describe("extras", () => {
  it("keeps the extras of a requirement", () => {
    assert.deepEqual(parsePep508("trl[vllm, PEFT]>=0.12")?.extras, ["vllm", "peft"]);
    assert.equal(parsePep508("crewai>=0.1")?.extras, undefined);
  });

  it("keeps extras from pyproject and drops the project's references to itself", () => {
    const text = `
[project]
name = "private-gpt"
dependencies = ["crewai[tools]>=0.152.0"]
[project.optional-dependencies]
all = ["private-gpt[ui,llms-openai]"]
[tool.poetry.dependencies]
trl = { version = "^0.12", extras = ["vllm"] }
`;
    const packages = parsePyproject(text);
    assert.deepEqual(names(packages), ["crewai", "trl"]);
    assert.deepEqual(packages[0]?.extras, ["tools"]);
    assert.deepEqual(packages[1]?.extras, ["vllm"]);
  });
});

describe("Ruby manifests", () => {
  it("reads gem lines in and out of groups, with constraints and options", () => {
    const text = [
      'source "https://rubygems.org"',
      'gem "rails", "~> 7.1"',
      "gem 'ruby-openai', '~> 7.0', require: 'openai'",
      "group :development do",
      '  gem("langchainrb", ">= 0.19", "< 1")  # LLM',
      "end",
      "# gem 'anthropic'",
      'gem "mcp", git: "https://github.com/x/y"',
      "gem name_from_var",
    ].join("\n");
    const packages = parseGemfile(text);
    assert.deepEqual(names(packages), ["rails", "ruby-openai", "langchainrb", "mcp"]);
    assert.equal(packages[1]?.spec, "~> 7.0");
    assert.equal(packages[2]?.spec, ">= 0.19, < 1");
    assert.equal(packages[2]?.line, 5);
    assert.equal(packages[3]?.spec, undefined);
  });

  it("reads gemspec dependencies in every spelling", () => {
    const text = `Gem::Specification.new do |spec|
  spec.name = "langchainrb_rails"
  spec.add_dependency "langchainrb", ">= 0.19"
  spec.add_runtime_dependency('ruby_llm')
  s.add_development_dependency %q<pgvector>, [">= 0.2"]
end`;
    assert.deepEqual(
      parseGemspec(text).map((p) => [p.name, p.spec]),
      [
        ["langchainrb", ">= 0.19"],
        ["ruby_llm", undefined],
        ["pgvector", ">= 0.2"],
      ],
    );
    assert.equal(projectName("x.gemspec", text), "langchainrb_rails");
  });

  it("reads Gemfile.lock versions", () => {
    const lock =
      "GEM\n  remote: https://rubygems.org/\n  specs:\n    ruby-openai (7.3.1)\n      faraday (>= 1)\n    nokogiri (1.16.0-x86_64-linux)\n";
    const versions = parseGemfileLock(lock);
    assert.equal(versions.get("ruby-openai"), "7.3.1");
    assert.equal(versions.get("nokogiri"), "1.16.0");
    assert.equal(versions.has("faraday"), false);
  });
});

describe("Cargo manifests", () => {
  it("reads every dependency table, target-specific and workspace ones, and renames", () => {
    const text = `
[package]
name = "gptcommit"
keywords = ["openai", "gpt"]

[dependencies]
async-openai = "0.28"
tiktoken-rs = { version = "0.6" }
oai = { package = "openai-api-rs", version = "5" }

[dependencies.rmcp]
version = "0.1"
features = ["client"]

[dev-dependencies]
candle-core = "0.8"

[target.'cfg(unix)'.dependencies]
ollama-rs = "0.2"

[workspace.dependencies]
genai = { version = "0.1" }
`;
    const packages = parseCargoToml(text);
    assert.deepEqual(names(packages), [
      "async-openai",
      "tiktoken-rs",
      "openai-api-rs",
      "rmcp",
      "candle-core",
      "ollama-rs",
      "genai",
    ]);
    assert.equal(packages[0]?.line, 7);
    assert.equal(packages[0]?.spec, "0.28");
    assert.equal(packages[3]?.line, 11);
    assert.ok(packages.every((p) => p.ecosystem === "cargo"));
    assert.equal(projectName("Cargo.toml", text), "gptcommit");
  });

  it("reads Cargo.lock and rejects malformed TOML with an error", () => {
    const lock = '[[package]]\nname = "async-openai"\nversion = "0.28.1"\n';
    assert.equal(parseCargoLock(lock).get("async-openai"), "0.28.1");
    assert.throws(() => parseCargoToml("[dependencies\nasync-openai = "));
  });

  it("never crashes on arbitrary Gemfile or gemspec text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        for (const p of [...parseGemfile(text), ...parseGemspec(text)]) assert.ok(p.name.length > 0);
      }),
      { numRuns: 1500 },
    );
  });
});

describe("manifest names and dispatch", () => {
  it("knows the new manifest names", () => {
    for (const name of ["setup.py", "Gemfile", "gems.rb", "x.gemspec", "Cargo.toml", "Cargo.lock", "Gemfile.lock"])
      assert.ok(isManifestName(name), name);
    assert.ok(!isManifestName("setup.pyc"));
    assert.ok(!isManifestName("Cargo.toml.orig"));
  });

  it("dispatches to the parser by file name and names the project", () => {
    const result = parseManifestFile(
      "crates/x/Cargo.toml",
      '[package]\nname = "x"\n[dependencies]\nrmcp = "1"\n',
      none,
    );
    assert.equal(result.kind, "declared");
    if (result.kind === "declared") {
      assert.deepEqual(names(result.packages), ["rmcp"]);
      assert.equal(result.project, "x");
    }
    const lock = parseManifestFile("Gemfile.lock", "GEM\n  specs:\n    mcp (0.4.0)\n", none);
    assert.equal(lock.kind === "lock" && lock.ecosystem, "gem");
    const py = parseManifestFile("setup.py", 'setup(name="trl", install_requires=["accelerate"])', none);
    assert.equal(py.kind === "declared" && py.project, "trl");
  });
});

describe("URL requirements", () => {
  it("names VCS and egg requirements, and nothing else", async () => {
    const { parseRequirements, parseUrlRequirement } = await import("./python.js");
    assert.equal(parseUrlRequirement("git+https://github.com/huggingface/peft.git")?.name, "peft");
    assert.equal(parseUrlRequirement("git+https://github.com/x/y.git@v1.2#egg=Llama_Index")?.name, "llama-index");
    assert.equal(parseUrlRequirement("git+ssh://git@github.com/org/trl.git@main")?.name, "trl");
    assert.equal(parseUrlRequirement("https://example.com/pkg.tar.gz"), undefined);
    assert.equal(parseUrlRequirement("./local/path"), undefined);
    assert.equal(parseUrlRequirement("--index-url https://x/simple"), undefined);
    assert.deepEqual(
      parseRequirements("transformers\ngit+https://github.com/huggingface/peft.git\n").map((p) => [p.name, p.line]),
      [
        ["transformers", 1],
        ["peft", 2],
      ],
    );
  });
});

describe("hostile manifests", () => {
  it("reads pathological Gemfile, gemspec and setup.py lines in linear time", () => {
    const started = performance.now();
    parseGemfile(`gem "a"${', "1"'.repeat(20_000)}\ngem "b"${" ,".repeat(50_000)}\n`);
    parseGemspec(`s.add_dependency "a"${" , [".repeat(50_000)}\n`);
    parseSetupPy(`install_requires = [${'"a", '.repeat(40_000)}]\n${"(".repeat(30_000)}`);
    parseCargoToml(`[dependencies]\n${Array.from({ length: 2000 }, (_, i) => `c${i} = "1"`).join("\n")}\n`);
    assert.ok(performance.now() - started < 5000, "bounded time");
  });

  it("rejects a Gemfile beyond the line limit with a clear error", () => {
    assert.throws(() => parseGemfile("\n".repeat(100_001)), /more than 100000 lines/);
  });
});

describe("conda environment.yml", () => {
  it("reads conda and pip dependencies, mapping conda names to PyPI", async () => {
    const { parseCondaEnvironment } = await import("./python.js");
    const text = [
      "name: ml",
      "channels: [pytorch, conda-forge]",
      "dependencies:",
      "  - python=3.11",
      "  - pytorch::pytorch=2.3",
      "  - transformers>=4.40",
      "  - pip",
      "  - pip:",
      "      - openai==1.54.0",
      "      - git+https://github.com/huggingface/peft.git",
    ].join("\n");
    assert.deepEqual(
      parseCondaEnvironment(text).map((p) => [p.name, p.spec ?? null, p.line]),
      [
        ["torch", "==2.3", 5],
        ["transformers", ">=4.40", 6],
        ["openai", "==1.54.0", 9],
        ["peft", null, 10],
      ],
    );
    assert.deepEqual(parseCondaEnvironment("name: x\n"), []);
    assert.throws(() => parseCondaEnvironment("dependencies: [a\n"));
  });
});

describe("Gradle BOMs", () => {
  it("reads platform and enforcedPlatform BOMs and more configurations", async () => {
    const { parseGradle } = await import("./jvm-go.js");
    const text = `dependencies {
  implementation(enforcedPlatform("org.springframework.ai:spring-ai-bom:1.0.0"))
  implementation platform('dev.langchain4j:langchain4j-bom:1.0.1')
  developmentOnly("org.springframework.ai:spring-ai-spring-boot-docker-compose")
  testRuntimeOnly("dev.langchain4j:langchain4j-embeddings")
}`;
    assert.deepEqual(
      parseGradle(text).map((d) => d.name),
      [
        "org.springframework.ai:spring-ai-bom",
        "dev.langchain4j:langchain4j-bom",
        "org.springframework.ai:spring-ai-spring-boot-docker-compose",
        "dev.langchain4j:langchain4j-embeddings",
      ],
    );
  });
});

describe("property: parsers return packages or a clear error, never anything else", () => {
  it("Cargo.toml, Cargo.lock, Gemfile.lock and environment.yml on arbitrary text", async () => {
    const { parseCondaEnvironment } = await import("./python.js");
    const tomlish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            "[dependencies]",
            "[target.'cfg(unix)'.dependencies]",
            "[workspace.dependencies]",
            "[[package]]",
          ),
          fc
            .tuple(fc.stringMatching(/^[a-z_-]{1,12}$/), fc.string({ maxLength: 20 }))
            .map(([k, v]) => `${k} = ${JSON.stringify(v)}`),
          fc.string({ maxLength: 40 }),
        ),
        { maxLength: 20 },
      )
      .map((lines) => lines.join("\n"));
    fc.assert(
      fc.property(tomlish, (text) => {
        for (const parse of [parseCargoToml, parseCargoLock, parseGemfileLock, parseCondaEnvironment]) {
          try {
            const out = parse(text);
            if (Array.isArray(out)) for (const p of out) assert.ok(p.name.length > 0);
          } catch (error) {
            assert.ok(error instanceof Error, "throws an Error, which the scan turns into a skip note");
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
