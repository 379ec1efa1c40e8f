import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadAiCatalog } from "../catalog.js";
import { createSdkIndex } from "../sdk-index.js";
import { SOURCE_LANGUAGES } from "../walk.js";
import { analyzeFacts, usageKind } from "./analyze.js";
import { extractFacts, goPackageName, normalizeCallee } from "./facts.js";
import { loadParsers } from "./parsers.js";

const catalog = loadAiCatalog();
const index = createSdkIndex(catalog);

async function analyze(language: (typeof SOURCE_LANGUAGES)[number], text: string) {
  const parsers = await loadParsers();
  const tree = parsers[language].parse(text);
  assert.ok(tree);
  try {
    const facts = extractFacts(tree, language);
    return analyzeFacts({ facts, rel: "f", language, text, index, catalog });
  } finally {
    tree.delete();
  }
}

describe("source facts", () => {
  it("resolves Python import forms to their packages", async () => {
    const result = await analyze(
      "python",
      "import google.generativeai as genai\nfrom google import genai as g2\nfrom langchain_openai.chat_models import ChatOpenAI\nimport openai_utils\nfrom . import openai\n",
    );
    assert.deepEqual(
      result.sdkUses.map((u) => [u.sdk.name, u.line]),
      [
        ["google-generativeai", 1],
        ["google-genai", 2],
        ["langchain-openai", 3],
      ],
    );
  });

  it("resolves JS/TS import, require, dynamic import and subpaths; not lookalike packages", async () => {
    const result = await analyze(
      "typescript",
      'import OpenAI from "openai";\nimport type { X } from "openai/resources";\nconst { Anthropic } = require("@anthropic-ai/sdk");\nconst m = await import("@mistralai/mistralai");\nimport u from "ai-utils";\nimport o from "openai-like";\n',
    );
    assert.deepEqual(
      result.sdkUses.map((u) => [u.sdk.name, u.line]),
      [
        ["openai", 1],
        ["openai", 2],
        ["@anthropic-ai/sdk", 3],
        ["@mistralai/mistralai", 4],
      ],
    );
  });

  it("follows a client through a field and finds the call site", async () => {
    const result = await analyze(
      "python",
      'from openai import OpenAI\nclass Bot:\n    def __init__(self):\n        self.client = OpenAI()\n    def ask(self, q):\n        return self.client.chat.completions.create(model="gpt-4o", messages=[])\n',
    );
    assert.deepEqual(
      result.sdkUses.map((u) => [u.line, u.kind]),
      [
        [1, "import"],
        [4, "client"],
        [6, "chat"],
      ],
    );
    assert.deepEqual(result.models, [{ id: "gpt-4o", provider: "openai", line: 6 }]);
  });

  it("tracks model output through assignments to eval within a function (LLM05)", async () => {
    const result = await analyze(
      "javascript",
      'import OpenAI from "openai";\nconst ai = new OpenAI();\nasync function run(q) {\n  const r = await ai.chat.completions.create({ model: "gpt-4o", messages: [] });\n  const code = r.choices[0].message.content;\n  const wrapped = "(" + code + ")";\n  return eval(wrapped);\n}\nfunction other(code) { return eval(code); }\n',
    );
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.location?.line, f.owasp]),
      [["code.llm-output-to-exec", 7, ["LLM05:2025"]]],
    );
  });

  it("classifies call kinds and normalises callees", () => {
    assert.equal(usageKind("client.chat.completions.create"), "chat");
    assert.equal(usageKind("client.embeddings.create"), "embeddings");
    assert.equal(usageKind("new OpenAI"), "client");
    assert.equal(usageKind("generateText"), "generate");
    assert.equal(usageKind("chain.invoke"), "invoke");
    assert.equal(usageKind("FastMCP"), "mcp-server");
    assert.equal(usageKind("server.tool"), "tool");
    assert.equal(normalizeCallee("a.b(x, y).c[0].d"), "a.b.c.d");
    assert.equal(goPackageName("github.com/sashabaranov/go-openai"), "openai");
    assert.equal(goPackageName("github.com/anthropics/anthropic-sdk-go"), "anthropic");
    assert.equal(goPackageName("github.com/cohere-ai/cohere-go/v2"), "cohere");
  });

  it("never throws on arbitrary text in any language", async () => {
    const parsers = await loadParsers();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SOURCE_LANGUAGES),
        fc.string({ maxLength: 400, unit: "binary" }),
        async (language, text) => {
          const tree = parsers[language].parse(text);
          if (!tree) return;
          try {
            const facts = extractFacts(tree, language);
            analyzeFacts({ facts, rel: "f", language, text, index, catalog });
          } finally {
            tree.delete();
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});
