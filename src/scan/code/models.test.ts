import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadAiCatalog } from "./catalog.js";
import { matchModel } from "./models.js";

const catalog = loadAiCatalog();

describe("model identifiers", () => {
  it("recognises each provider's names and attributes them", () => {
    const cases: [string, string | undefined, string][] = [
      ["gpt-4o-mini", undefined, "openai"],
      ["gpt-3.5-turbo-0125", undefined, "openai"],
      ["o3-mini", "model", "openai"],
      ["claude-3-5-sonnet-20241022", undefined, "anthropic"],
      ["claude-opus-4-1-20250805", undefined, "anthropic"],
      ["gemini-2.0-flash", undefined, "google"],
      ["models/text-embedding-004", undefined, "google"],
      ["meta-llama/Llama-3.1-8B-Instruct", undefined, "huggingface"],
      ["someone/their-finetune", "model_id", "huggingface"],
      ["mistral-large-latest", undefined, "mistral"],
      ["command-r-plus-08-2024", undefined, "cohere"],
      ["llama3.1:8b", undefined, "ollama"],
      ["nomic-embed-text", "modelName", "ollama"],
      ["anthropic.claude-3-haiku-20240307-v1:0", undefined, "aws-bedrock"],
      ["us.meta.llama3-2-90b-instruct-v1:0", undefined, "aws-bedrock"],
      ["prod-gpt4o", "AZURE_OPENAI_DEPLOYMENT", "azure-openai"],
      ["groq/llama-3.1-70b-versatile", undefined, "groq"],
      ["openai:gpt-4o", undefined, "openai"],
      ["deepseek-reasoner", undefined, "deepseek"],
    ];
    for (const [id, context, provider] of cases) assert.equal(matchModel(id, context, catalog)?.provider, provider, id);
  });

  it("never takes lookalikes, paths, images or weak ids out of context for models", () => {
    const cases: [string, string | undefined][] = [
      ["claude-monet-blue", "colour"],
      ["gemini-silver", undefined],
      ["gpt-partition-table", "description"],
      ["o1", undefined],
      ["o1-visa", "modelName"],
      ["amazon.com", undefined],
      ["meta.description", "model"],
      ["exports/final", "model_path"],
      ["blue/green", "deployment"],
      ["eu-west-1", "DEPLOYMENT_REGION"],
      ["ollama/ollama:0.4.7", "image"],
      ["data/train.csv", "model"],
      ["./models/llama", "model"],
      ["https://huggingface.co/meta-llama/x", "model"],
      ["Corolla", "model"],
      ["llama3", undefined],
      ["org/name", undefined],
    ];
    for (const [id, context] of cases) assert.equal(matchModel(id, context, catalog), undefined, `${id} (${context})`);
  });

  it("never matches random lowercase words out of context, whatever they are", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (word) => {
        assert.equal(matchModel(word, undefined, catalog), undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on arbitrary strings and contexts", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        (v, c) => {
          matchModel(v, c, catalog);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
