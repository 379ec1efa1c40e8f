import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { isPalisadeError } from "../../core/index.js";
import type { Detection, TextDetector } from "../../detect/index.js";
import { loadAiCatalog } from "./catalog.js";
import { toCycloneDx } from "./cyclonedx.js";
import { scanCodebase } from "./scan.js";

const catalog = loadAiCatalog();

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "palisade-code-"));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

const OPENAI_PY = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o")\n';

describe("scanCodebase", () => {
  it("ignores vendored trees, virtualenvs, build output and .gitignore'd paths", async () => {
    const root = await project({
      "app.py": OPENAI_PY,
      "node_modules/openai/index.js": 'import Anthropic from "@anthropic-ai/sdk";\n',
      ".venv/lib/site.py": "import cohere\n",
      "dist/bundle.js": 'import { Mistral } from "@mistralai/mistralai";\n',
      "generated/client.py": "import groq\n",
      "keep/generated.py": "import ollama\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      ".gitignore": "generated/\n*.tmp.py\n!keep.tmp.py\n",
      "scratch.tmp.py": "import replicate\n",
      "keep.tmp.py": "import together\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => s.name).sort(), ["ollama", "openai", "together"]);
  });

  it("walks directories an allowlist .gitignore (`*` then `!*.py`) excludes only by its catch-all", async () => {
    const root = await project({
      ".git/HEAD": "ref: refs/heads/main\n",
      ".gitignore": "*\n!*.py\n!docs\n__pycache__/\n",
      "app.py": OPENAI_PY,
      "scripts/run.py": "import anthropic\n",
      "scripts/notes.txt": "import cohere\n",
      "scripts/__pycache__/run.py": "import groq\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => s.name).sort(), ["anthropic", "openai"]);
  });

  it("reads the files a .gitignore names in a tree outside git, where every file is a committed one", async () => {
    const root = await project({
      ".gitignore": "/agents.json\ngenerated/\n",
      "agents.json": '{ "mcpServers": { "files": { "command": "npx", "args": ["-y", "files-mcp"] } } }\n',
      "generated/client.py": "import groq\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.mcpServers.map((s) => `${s.file}:${s.name}`),
      ["agents.json:files"],
    );
    assert.deepEqual(
      report.sdks.map((s) => s.name),
      ["groq"],
    );
  });

  it("honours a .gitignore of a work tree whose .git is above the scanned folder", async () => {
    const root = await project({
      ".git/HEAD": "ref: refs/heads/main\n",
      "service/.gitignore": "generated/\n",
      "service/generated/client.py": "import groq\n",
      "service/app.py": OPENAI_PY,
    });
    const report = await scanCodebase(join(root, "service"), { catalog });
    assert.deepEqual(
      report.sdks.map((s) => s.name),
      ["openai"],
    );
  });

  it("reads a committed .env template that a `.env*` ignore rule would hide, not the secrets file", async () => {
    const root = await project({
      ".git/HEAD": "ref: refs/heads/main\n",
      ".gitignore": ".env*\n",
      ".env.example": '# CUSTOM_MODEL="llama3.1"\n',
      ".env": "OPENAI_MODEL=gpt-4o\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => `${m.file}:${m.id}`),
      [".env.example:llama3.1"],
    );
  });

  it("skips binary, huge, minified and malformed files with a note, and still scans the rest", async () => {
    const minified = `import OpenAI from "openai";${"var a=1;".repeat(2000)}`;
    const root = await project({
      "ok.py": OPENAI_PY,
      "blob.py": Buffer.from([0x69, 0x6d, 0x00, 0x01, 0x02, 0xff]),
      "huge.py": `import anthropic\n${"#".repeat(3 * 1024 * 1024)}`,
      "vendor.min.js": minified,
      "package.json": "{ not json",
      "notebook.ipynb": '{"cells": 3}',
      "config.yaml": "a: [unclosed\n  b: {",
      "pyproject.toml": "[project\nname=",
      "broken.py": "def (:\n  from openai import\n",
      "deep.py": `x = ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    });
    const report = await scanCodebase(root, { catalog });
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    assert.equal(reasons["blob.py"], "binary file");
    assert.match(reasons["huge.py"] ?? "", /larger than/);
    assert.equal(reasons["vendor.min.js"], "minified file");
    assert.match(reasons["package.json"] ?? "", /^malformed/);
    assert.match(reasons["notebook.ipynb"] ?? "", /^malformed/);
    assert.match(reasons["pyproject.toml"] ?? "", /^malformed/);
    assert.deepEqual(
      report.sdks.map((s) => s.name),
      ["openai"],
    );
  });

  it("skips a file of Palisade policies, but not a Deployment sharing a file with one", async () => {
    const policy =
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: p }\nspec:\n  kubernetes:\n    gpuQuota: { '*': { nvidia.com/gpu: 1 } }\n";
    const deployment = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - image: vllm/vllm-openai:v0.6.4",
      '          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]',
      "          resources: { limits: { nvidia.com/gpu: 2 } }",
      "",
    ].join("\n");
    const report = await scanCodebase(
      await project({ "policy.yaml": policy, "mixed.yaml": `${policy}---\n${deployment}` }),
      {
        catalog,
      },
    );
    assert.deepEqual(
      report.inferenceServers.map((s) => s.file),
      ["mixed.yaml"],
    );
    assert.deepEqual([...new Set(report.gpus.map((g) => g.file))], ["mixed.yaml"]);
    assert.deepEqual(
      report.models.map((m) => [m.id, m.file]),
      [["meta-llama/Llama-3.1-8B-Instruct", "mixed.yaml"]],
    );
  });

  it("rejects a missing directory with a bad-input error naming it", async () => {
    await assert.rejects(scanCodebase("/definitely/not/here", { catalog }), (e: unknown) => {
      return isPalisadeError(e) && e.code === "bad-input" && e.input === "/definitely/not/here";
    });
  });

  it("reports hard-coded AI keys found by the secrets detector, without the key itself", async () => {
    const key = `sk-proj-${"A1b2C3d4".repeat(6)}`;
    const detector: TextDetector = {
      kind: "secrets",
      maxSpanLength: 200,
      contextReach: 0,
      detect(text: string): Detection[] {
        const at = text.indexOf("sk-proj-");
        if (at < 0) return [];
        return [
          {
            entity: "OPENAI_API_KEY",
            start: at,
            end: at + key.length,
            score: 1,
            detector: "secrets",
            ruleId: "openai-project-key",
            reasons: [],
          },
        ];
      },
    };
    const root = await project({ "src/keys.py": `import os\n\nAPI_KEY = "${key}"\n` });
    const report = await scanCodebase(root, { catalog, secrets: detector });
    assert.deepEqual(
      report.findings.map((f) => [f.ruleId, f.severity, f.location?.path, f.location?.line, f.owasp]),
      [["code.hardcoded-ai-key", "critical", "src/keys.py", 3, ["LLM02:2025"]]],
    );
    assert.ok(!JSON.stringify(report).includes(key));
  });

  it("finds MCP servers launched unpinned, but not pinned ones or docker digests", async () => {
    const root = await project({
      ".cursor/mcp.json": JSON.stringify({
        mcpServers: {
          a: { command: "npx", args: ["-y", "@scope/server-a"] },
          b: { command: "npx", args: ["-y", "@scope/server-b@1.2.3"] },
          c: { command: "uvx", args: ["mcp-server-c"] },
          d: { command: "docker", args: ["run", "-i", "mcp/d@sha256:abc"] },
          e: { command: "npx", args: ["-y", "server-e@latest"] },
          f: { url: "https://x.example/sse", type: "sse" },
        },
      }),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.findings.map((f) => f.component),
      ["@scope/server-a", "mcp-server-c", "server-e"],
    );
    assert.equal(report.mcpServers.find((m) => m.name === "f")?.transport, "sse");
  });

  it("only counts boto3 when the code calls Bedrock", async () => {
    const s3Only = await project({
      "requirements.txt": "boto3==1.35.0\n",
      "s3.py": 'import boto3\nboto3.client("s3")\n',
    });
    assert.deepEqual((await scanCodebase(s3Only, { catalog })).sdks, []);
    const bedrock = await project({
      "requirements.txt": "boto3==1.35.0\n",
      "b.py": 'import boto3\nboto3.client("bedrock-runtime")\n',
    });
    assert.deepEqual(
      (await scanCodebase(bedrock, { catalog })).sdks.map((s) => s.name),
      ["boto3"],
    );
  });

  it("does not flag pinned from_pretrained, torch.load with weights_only, or exec of unrelated input", async () => {
    const root = await project({
      "safe.py": [
        "import torch, subprocess",
        "from transformers import AutoModel",
        "from openai import OpenAI",
        "client = OpenAI()",
        'm = AutoModel.from_pretrained("org/model", revision="0123456789abcdef0123456789abcdef01234567")',
        'w = torch.load("w.pt", weights_only=True)',
        "def f(user):",
        '    r = client.chat.completions.create(model="gpt-4o", messages=[])',
        "    subprocess.run(user, shell=True)",
        "",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.findings, []);
  });
});

describe("MCP servers implemented in code", () => {
  it("lists their tools by name", async () => {
    const dir = new URL("./fixtures/mcp-servers/", import.meta.url).pathname;
    const report = await scanCodebase(dir, { catalog, exclude: ["expected.json"] });
    const tools = Object.fromEntries(report.mcpImplementations.map((m) => [m.name, m.tools]));
    assert.deepEqual(tools, { tickets: ["open_ticket"], files: ["read_file"], "knowledge-base": ["search_articles"] });
    // Implemented servers are kept apart from the configured ones.
    assert.deepEqual(report.mcpServers.map((m) => m.name).sort(), ["linear", "memory", "puppeteer", "sentry"]);
  });
  it("names a server by a constant another file defines once (`Server(settings.APP_NAME)`)", async () => {
    const root = await project({
      "src/app/config.py": 'class Settings:\n    APP_NAME: str = "arxiv-mcp-server"\n',
      "src/app/server.py":
        "from mcp.server import Server\nfrom .config import settings\nserver = Server(settings.APP_NAME)\n",
      "src/other/server.py": "from mcp.server import Server\nserver = Server(settings.SERVER_NAME)\n",
      "src/other/a.py": 'SERVER_NAME = "a"\n',
      "src/other/b.py": 'SERVER_NAME = "b"\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.mcpImplementations.map((m) => [m.file, m.name]).sort(), [
      ["src/app/server.py", "arxiv-mcp-server"],
      ["src/other/server.py", "(unnamed)"],
    ]);
  });
});

describe("worker threads", () => {
  it("give the same report as parsing on the calling thread", async () => {
    const dir = new URL("./fixtures/monorepo/", import.meta.url).pathname;
    const inline = await scanCodebase(dir, { catalog, workers: 0 });
    const threaded = await scanCodebase(dir, { catalog, workers: 2 });
    const strip = (r: typeof inline) => ({ ...r, stats: { ...r.stats, durationMs: 0 } });
    assert.deepEqual(strip(threaded), strip(inline));
  });
});

describe("CycloneDX output", () => {
  it("has the 1.6 structure: unique refs, dependencies that resolve, purls on libraries", async () => {
    const report = await scanCodebase(new URL("./fixtures/monorepo/", import.meta.url).pathname, {
      catalog,
      exclude: ["expected.json"],
    });
    const bom = toCycloneDx(report, {
      toolVersion: "0.0.0",
      serialNumber: "urn:uuid:00000000-0000-4000-8000-000000000000",
      timestamp: "2026-01-01T00:00:00Z",
    }) as {
      bomFormat: string;
      specVersion: string;
      serialNumber: string;
      metadata: { component: { "bom-ref": string } };
      components: { type: string; "bom-ref": string; purl?: string; name: string }[];
      services: { "bom-ref": string; endpoints?: string[] }[];
      dependencies: { ref: string; dependsOn: string[] }[];
    };
    assert.equal(bom.bomFormat, "CycloneDX");
    assert.equal(bom.specVersion, "1.6");
    assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f-]{36}$/);
    const refs = [
      bom.metadata.component["bom-ref"],
      ...bom.components.map((c) => c["bom-ref"]),
      ...bom.services.map((s) => s["bom-ref"]),
    ];
    assert.equal(new Set(refs).size, refs.length, "bom-refs are unique");
    for (const dep of bom.dependencies) {
      assert.ok(refs.includes(dep.ref), dep.ref);
      for (const on of dep.dependsOn) assert.ok(refs.includes(on), on);
    }
    const types = new Set(bom.components.map((c) => c.type));
    assert.deepEqual([...types].sort(), ["container", "library", "machine-learning-model"]);
    for (const lib of bom.components.filter((c) => c.type === "library"))
      assert.match(lib.purl ?? "", /^pkg:(pypi|npm|golang|maven)\//);
    assert.ok(bom.components.some((c) => c.purl === "pkg:npm/%40langchain/openai@0.3.14"));
    assert.ok(bom.components.some((c) => c.purl === "pkg:maven/dev.langchain4j/langchain4j-ollama@0.36.2"));
    assert.ok(
      bom.services.some((s) => s["bom-ref"] === "service:openai" && s.endpoints?.[0] === "https://api.openai.com/v1"),
    );
  });
});

describe("dependencies declared in source files", () => {
  it("reads PEP 723 script dependencies and a notebook's !pip install as uses outside any project manifest", async () => {
    const notebook = JSON.stringify({
      cells: [
        { cell_type: "code", source: ["! pip install langchain-openai chromadb\n"] },
        { cell_type: "code", source: ["import os\n"] },
      ],
    });
    const root = await project({
      "tool.py": '# /// script\n# dependencies = ["anthropic>=0.40"]\n# ///\nprint("hi")\n',
      "nb/demo.ipynb": notebook,
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.sdks.map((s) => [s.name, s.manifest ?? null, s.usages.map((u) => `${u.file}:${u.line}:${u.kind}`)]),
      [
        ["anthropic", null, ["tool.py:2:script-dependency"]],
        ["chromadb", null, ["nb/demo.ipynb:1:install"]],
        ["langchain-openai", null, ["nb/demo.ipynb:1:install"]],
      ],
    );
  });
});

describe("imports of a package that a declared SDK depends on", () => {
  it("attributes them to the declaring manifest's package instead of an undeclared SDK", async () => {
    const root = await project({
      "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastmcp==2.14.2", "langchain-openai>=0.3"]\n',
      "src/icons.py": "from mcp.types import Icon\n",
      "tests/test_graph.py": "from langsmith import unit\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.sdks.map((s) => [s.name, s.manifest ?? null]),
      [
        ["fastmcp", "pyproject.toml"],
        ["langchain-openai", "pyproject.toml"],
      ],
    );
  });
});

describe("imports of a package that a declared SDK depends on, under another distribution name", () => {
  it("attributes a Spring Boot starter's provider module and a renamed distribution to the declaration", async () => {
    const root = await project({
      "chat/build.gradle":
        "dependencies {\n  implementation 'org.springframework.ai:spring-ai-starter-model-ollama'\n}\n",
      "chat/src/main/java/demo/Chat.java":
        "package demo;\nimport org.springframework.ai.ollama.OllamaChatModel;\nclass Chat { OllamaChatModel m; }\n",
      "requirements.txt": "dspy-ai==2.4.9\n",
      "run.py": "import dspy\nlm = dspy.LM('x')\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => [s.name, s.manifest ?? null]).sort(), [
      ["dspy-ai", "requirements.txt"],
      ["org.springframework.ai:spring-ai-starter-model-ollama", "chat/build.gradle"],
    ]);
  });
});

describe("model ids in the tool tables of TOML manifests", () => {
  it("reads a pyproject.toml [tool.*] table and a Cargo.toml metadata task as configuration", async () => {
    const root = await project({
      "pyproject.toml":
        '[project]\nname = "svc"\ndependencies = ["vllm"]\n\n[tool.serving.args]\nmodel_id = "acme-ai/Chat-7B-Instruct"\n',
      "cli/Cargo.toml":
        '[package]\nname = "cli"\n\n[package.metadata.scripts]\nrun = "cargo run -- --model=llama3.1:8b"\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.models.map((m) => `${m.file}:${m.id}`).sort(), [
      "cli/Cargo.toml:llama3.1:8b",
      "pyproject.toml:acme-ai/Chat-7B-Instruct",
    ]);
  });
});

describe("notebooks in JavaScript and TypeScript kernels", () => {
  it("reads the imports of a TypeScript notebook (tslab, Deno) as TypeScript", async () => {
    const notebook = {
      cells: [{ cell_type: "code", source: ['import { ChatOpenAI } from "@langchain/openai";\n', "const m = 1;\n"] }],
      metadata: { kernelspec: { name: "tslab", language: "typescript" }, language_info: { name: "typescript" } },
      nbformat: 4,
    };
    const root = await project({ "demo.ipynb": JSON.stringify(notebook) });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.sdks.map((s) => [s.name, s.ecosystem]),
      [["@langchain/openai", "npm"]],
    );
  });
});

describe("round 7 classes in a scanned tree (issue 15)", () => {
  it("reads an extensionless script by its shebang, and leaves other extensionless files alone", async () => {
    const root = await project({
      "dev/tasks/download-model": '#!/usr/bin/env bash\nset -e\nMODEL_REPO="someorg/gemma-3-12b-it-GGUF"\n',
      "bin/serve": "#!/usr/bin/env python3\nfrom openai import OpenAI\n",
      NOTES: 'MODEL_REPO="someorg/not-read-7b"\n',
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.models.map((m) => `${m.file}:${m.id}`),
      ["dev/tasks/download-model:someorg/gemma-3-12b-it-GGUF"],
    );
    assert.deepEqual(
      report.sdks.map((s) => `${s.name}:${s.usages[0]?.file}`),
      ["openai:bin/serve"],
    );
  });

  it("reads requirements files named <part>.requirements.txt as manifests", async () => {
    const root = await project({ "backend/vectordb.requirements.txt": "pymilvus==2.4.10\nweaviate-client==3.25.3\n" });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => `${s.name}@${s.manifest}`).sort(), [
      "pymilvus@backend/vectordb.requirements.txt",
      "weaviate-client@backend/vectordb.requirements.txt",
    ]);
  });

  it("reports packages a Dockerfile pip-installs as declared in no manifest", async () => {
    const root = await project({
      "container/Dockerfile": [
        "FROM python:3.11",
        "RUN python3 -m pip uninstall -y torch \\",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile ${VAR} is the input
        " && python3 -m pip install --no-cache-dir -U torch==${PYTORCH} torchvision torchaudio --extra-index-url https://x",
        "RUN pip install requests && echo pip install not-a-package",
        "# pip install commented-out",
      ].join("\n"),
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => `${s.name}@${s.manifest ?? null}:${s.usages[0]?.line}`).sort(), [
      "torchaudio@null:3",
      "torchvision@null:3",
    ]);
  });

  it("reads a client config in a folder named for MCP, its servers listed by name", async () => {
    const root = await project({
      "pkg/mcp/default_config.yaml":
        'servers:\n  - name: sequential-thinking\n    command: npx\n    args: ["-y", "@modelcontextprotocol/server-sequential-thinking"]\n',
      "pkg/other/config.yaml": "servers:\n  - name: web\n    command: npx\n    args: [web-server]\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(
      report.mcpServers.map((s) => `${s.file}:${s.name}:${s.transport}`),
      ["pkg/mcp/default_config.yaml:sequential-thinking:stdio"],
    );
  });

  it("attributes an SDK imported under a manifest that declares a package bringing it in", async () => {
    const root = await project({
      "build.gradle": "dependencies {\n  implementation 'org.springframework.ai:spring-ai-starter-model-openai'\n}\n",
      "src/main/java/demo/Chat.java":
        "package demo;\nimport com.openai.models.ChatModel;\nclass Chat { ChatModel m; }\n",
      "pyproject.toml": '[project]\nname = "x"\ndependencies = ["arize-phoenix"]\n',
      "trace.py": "from phoenix.otel import register\nregister()\n",
    });
    const report = await scanCodebase(root, { catalog });
    assert.deepEqual(report.sdks.map((s) => `${s.name}@${s.manifest ?? null}`).sort(), [
      "arize-phoenix@pyproject.toml",
      "org.springframework.ai:spring-ai-starter-model-openai@build.gradle",
    ]);
  });
});
