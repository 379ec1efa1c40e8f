import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { notebookCode } from "../source/source-file.js";
import { parseKotlinNotebookDependencies, parsePep723, parsePipInstalls } from "./inline.js";

const named = (packages: readonly { name: string; line?: number; extras?: string[] }[]) =>
  packages.map((p) => `${p.name}${p.extras ? `[${p.extras.join(",")}]` : ""}@${p.line}`);

describe("PEP 723 inline script metadata", () => {
  it("reads the dependencies of a `# /// script` block with their lines", () => {
    const py = [
      "#!/usr/bin/env python",
      "# /// script",
      '# requires-python = ">=3.11"',
      "# dependencies = [",
      '#   "openai>=1.40",',
      '#   "trl[vllm]",',
      '#   "rich",',
      "# ]",
      "# ///",
      "import openai",
    ].join("\n");
    assert.deepEqual(named(parsePep723(py)), ["openai@5", "trl[vllm]@6", "rich@7"]);
  });

  it("declares nothing for an unclosed block, another block type or bad TOML", () => {
    assert.deepEqual(parsePep723('# /// script\n# dependencies = ["openai"]\nimport x\n'), []);
    assert.deepEqual(parsePep723('# /// pyproject\n# dependencies = ["openai"]\n# ///\n'), []);
    assert.deepEqual(parsePep723("# /// script\n# dependencies = [\n# ///\n"), []);
  });
});

describe("notebook pip installs", () => {
  it("reads !pip and %pip install lines (as notebookCode comments them), skipping options and their values", () => {
    const code = [
      "#! pip install langchain_community tiktoken langchain-openai",
      "#%pip install -U -q 'transformers[torch]==4.44' --index-url https://example.com/simple peft",
      "#!python -m pip install chromadb && echo done",
      "#!uv pip install ragatouille",
      "# pip install not-a-magic",
      "#!pip install -r requirements.txt",
      "#!pip install $PKG",
      "import os",
    ].join("\n");
    assert.deepEqual(named(parsePipInstalls(code)), [
      "langchain-community@1",
      "tiktoken@1",
      "langchain-openai@1",
      "transformers[torch]@2",
      "peft@2",
      "chromadb@3",
      "ragatouille@4",
    ]);
  });

  it("follows an install continued over lines ending in a backslash", () => {
    const notebook = JSON.stringify({
      cells: [
        {
          cell_type: "code",
          source: [
            "!pip install -qU \\\n",
            "    langchain \\\n",
            "    huggingface_hub \\\n",
            "    accelerate\n",
            "import os\n",
          ],
        },
      ],
    });
    const code = notebookCode(notebook);
    assert.equal(code.split("\n")[3], "    accelerate".replace(/^/, "#"));
    assert.deepEqual(named(parsePipInstalls(code)), ["langchain@1", "huggingface-hub@1", "accelerate@1"]);
  });
});

describe("Kotlin notebook dependencies", () => {
  it("reads @file:DependsOn and the implementation lines of a USE block, versions as written", () => {
    const code = [
      '@file:DependsOn("dev.langchain4j:langchain4j-open-ai:1.0.0-beta1")',
      "USE {",
      "  dependencies {",
      '    implementation("ai.djl.huggingface:tokenizers:0.28.0")',
      '    implementation("io.kinference:inference-core-jvm:$kinferenceVersion")',
      "  }",
      "}",
    ].join("\n");
    assert.deepEqual(
      parseKotlinNotebookDependencies(code).map((p) => [p.name, p.spec, p.line]),
      [
        ["dev.langchain4j:langchain4j-open-ai", "1.0.0-beta1", 1],
        ["ai.djl.huggingface:tokenizers", "0.28.0", 4],
        ["io.kinference:inference-core-jvm", undefined, 5],
      ],
    );
  });

  it("reads no implementation(...) call outside a USE block", () => {
    assert.deepEqual(parseKotlinNotebookDependencies('x.implementation("a.b:c:1")'), []);
  });
});
