import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadAiCatalog } from "./catalog.js";
import { matchDeclaredModel, matchModel } from "./models.js";

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

describe("model identifiers in context (issue 15)", () => {
  it("never takes a dataset id for a model, whatever the org", () => {
    for (const [id, context] of [
      ["openai/gsm8k", "load_dataset"],
      ["HuggingFaceH4/Multilingual-Thinking", "dataset_name"],
      ["trl-lib/tldr", "dataset_id"],
      ["HuggingFaceH4/ultrachat_200k", "dataset_mixer"],
      ["yahma/alpaca-cleaned", "data_path"],
    ] as const)
      assert.equal(matchModel(id, context, catalog), undefined, `${id} (${context})`);
  });

  it("keeps hub ids under keys named *name_or_path, but not local paths", () => {
    assert.equal(matchModel("someone/finetune-7b", "model_name_or_path", catalog)?.provider, "huggingface");
    assert.equal(
      matchModel("trl-lib/qwen1.5-1.8b-sft", "teacher_model_name_or_path", catalog)?.provider,
      "huggingface",
    );
    assert.equal(matchModel("checkpoints/run-1", "model_path", catalog), undefined);
    assert.equal(matchModel("output/final", "model_name_or_path", catalog), undefined);
    assert.equal(matchModel("someone/finetune-7b", "output_dir", catalog), undefined);
  });

  it("keeps org/name hub ids under *model_path keys, but not local folders or output paths", () => {
    assert.equal(
      matchModel("trl-lib/pythia-1b-deduped-tldr-rm", "reward_model_path", catalog)?.provider,
      "huggingface",
    );
    assert.equal(
      matchModel("cleanrl/EleutherAI_pythia-1b-deduped__sft__tldr", "sft_model_path", catalog)?.id,
      "cleanrl/EleutherAI_pythia-1b-deduped__sft__tldr",
    );
    assert.equal(matchModel("exports/final", "model_path", catalog), undefined);
    assert.equal(matchModel("models/llama-7b", "model_path", catalog), undefined);
    assert.equal(matchModel("runs/exp-1/checkpoint-500", "model_path", catalog), undefined);
    assert.equal(matchModel("someone/model-7b", "output_model_path", catalog), undefined);
  });

  it("does not take tokenizer-only names for models", () => {
    assert.equal(matchModel("gpt2", "tokenizer", catalog), undefined);
    assert.equal(matchModel("bert-base-uncased", "tokenizer", catalog), undefined);
    assert.equal(matchModel("gpt2", "from_pretrained", catalog)?.provider, "huggingface");
  });

  it("recognises transformers architecture test models and legacy OpenAI completions models anywhere", () => {
    assert.equal(
      matchModel("trl-internal-testing/tiny-Qwen2ForCausalLM-2.5", undefined, catalog)?.provider,
      "huggingface",
    );
    assert.equal(matchModel("trl-internal-testing/tiny-BartModel", undefined, catalog)?.provider, "huggingface");
    assert.equal(matchModel("text-davinci-003", undefined, catalog)?.provider, "openai");
    assert.equal(matchModel("openhermes", "model", catalog)?.provider, "ollama");
    assert.equal(matchModel("openhermes", undefined, catalog), undefined);
  });
});

describe("names that are not model ids though they look like one", () => {
  it("skips aliases, prefix lists and families, and placeholder hub orgs", () => {
    assert.equal(matchModel("claude-sonnet-4", "aliases", catalog), undefined);
    assert.equal(matchModel("o1", "OPENAI_CHAT_MODEL_PREFIXES", catalog), undefined);
    assert.equal(matchModel("gpt-3.5-turbo", "starts_with", catalog), undefined);
    assert.equal(matchModel("gpt-4", "startsWith", catalog), undefined);
    assert.equal(matchModel("claude-3", "start_with?", catalog), undefined);
    assert.equal(matchModel("gpt-4o", "HasPrefix", catalog), undefined);
    assert.equal(matchModel("username/my_hub_model", "hub_model_id", catalog), undefined);
    assert.equal(matchModel("your-org/your-model", "model_id", catalog), undefined);
    assert.equal(matchModel("test/model", "model_id", catalog), undefined);
    assert.equal(matchModel("cleanup/test", "model_id", catalog), undefined);
    assert.equal(matchModel("someone/fake-model", "model_id", catalog), undefined);
    assert.equal(matchModel("someone/test-7b", "model_id", catalog)?.provider, "huggingface");
    assert.equal(matchModel("someone/real-model", "model_id", catalog)?.provider, "huggingface");
  });
});

describe("provider-prefixed ids", () => {
  it("keeps `provider:model` and `provider/model` ids as written, with the provider in its own field", () => {
    assert.deepEqual(matchModel("openai:gpt-4o-mini", "model", catalog), {
      id: "openai:gpt-4o-mini",
      provider: "openai",
    });
    assert.equal(matchModel("anthropic:claude-3-5-sonnet-latest", undefined, catalog)?.provider, "anthropic");
    assert.equal(matchModel("google-gla:gemini-2.0-flash", "model", catalog)?.provider, "google");
    assert.deepEqual(matchModel("openai/gpt-4.1", "model", catalog), { id: "openai/gpt-4.1", provider: "openai" });
    assert.equal(matchModel("llama3.2:3b", "model", catalog)?.id, "llama3.2:3b");
  });
});

describe("context from the provider's own name", () => {
  it("takes a weak id in a constant named after its provider, not after another one", () => {
    assert.equal(matchModel("sonar-pro", "PERPLEXITY_SONAR_PRO", catalog)?.provider, "perplexity");
    assert.equal(matchModel("sonar-pro", "SONAR_PRO", catalog), undefined);
    assert.equal(matchModel("llama3", "OLLAMA_DEFAULT", catalog)?.provider, "ollama");
    assert.equal(matchModel("llama3", "OPENAI_DEFAULT", catalog), undefined);
  });
});

describe("newer provider naming schemes (round 2)", () => {
  it("knows GPT-5 point releases and codex variants, dotted Claude versions and voice models", () => {
    for (const id of ["gpt-5.1", "gpt-5.5", "gpt-5-codex", "gpt-5.1-codex-max", "claude-opus-4.6", "claude-sonnet-4.5"])
      assert.ok(matchModel(id, undefined, catalog), id);
    assert.equal(matchModel("eleven_turbo_v2_5", undefined, catalog)?.provider, "elevenlabs");
    assert.equal(matchModel("eleven_multilingual_v2", undefined, catalog)?.provider, "elevenlabs");
  });

  it("takes a GPT tier or a GLM id it does not list only where a name says model", () => {
    assert.equal(matchModel("gpt-5.6-sol", "model", catalog)?.provider, "openai");
    assert.equal(matchModel("gpt-5.6-sol", "label", catalog), undefined);
    assert.equal(matchModel("glm-4.6", "model", catalog)?.provider, "zhipu");
    assert.equal(matchModel("glm-4.6", undefined, catalog), undefined);
    assert.equal(matchModel("gpt-4-prompts-and-more-words", "model", catalog), undefined);
  });

  it("knows Groq ids with their context window, R1 distillations and sentence-transformers short names", () => {
    assert.equal(matchModel("mixtral-8x7b-32768", undefined, catalog)?.provider, "groq");
    assert.equal(matchModel("deepseek-r1-distill-llama-70b", undefined, catalog)?.provider, "deepseek");
    assert.equal(matchModel("sonar-deep-research", "model", catalog)?.provider, "perplexity");
    assert.equal(matchModel("all-MiniLM-L6-v2", "EMBEDDING_MODEL", catalog)?.provider, "huggingface");
    assert.equal(matchModel("paraphrase-multilingual-mpnet-base-v2", "model_name", catalog)?.provider, "huggingface");
    assert.equal(matchModel("all-MiniLM-L6-v2", "title", catalog), undefined);
  });

  it("takes an id no family knows where a name holds exactly one model, never a word or a lookalike", () => {
    assert.equal(matchModel("bielik_v3_q8_tools", "model_name", catalog)?.provider, "unknown");
    assert.equal(matchModel("llama-guard-3-8b", "model", catalog)?.provider, "unknown");
    assert.equal(matchModel("ctxl-rerank-en-v1-instruct", "RERANK_MODEL", catalog)?.provider, "unknown");
    assert.equal(matchModel("bielik_v3_q8_tools", "MODEL_NAME", catalog)?.provider, "unknown");
    const not: [string, string][] = [
      ["bielik_v3_q8_tools", "description"],
      ["bielik_v3_q8_tools", "models"],
      ["User2", "model"],
      ["v1.2.3", "model"],
      ["o1-visa", "modelName"],
      ["gpt-4-prompts-and-more-words", "model"],
      ["run_2024_01_01", "model_path"],
      ["zephyr-7b-sft-full", "hub_model_id"],
      ["my-finetune-v2", "output_model_name"],
    ];
    for (const [id, context] of not) assert.equal(matchModel(id, context, catalog), undefined, `${id} (${context})`);
  });

  it("reads names with 'model' in them that hold something else as no model context", () => {
    const not: [string, string][] = [
      ["owners/ownerDetails", "new ModelAndView"],
      ["gpt-3.5-turbo", "encoding_for_model"],
      ["open-r1/open-r1-eval-leaderboard", "LM_EVAL_REPO_ID"],
      ["ollama:11434", "OLLAMA_HOST"],
      ["microsoft/playwright-cli", "github"],
      ["nvidia/cuda:12.1.0-base-ubuntu22.04", "from_registry"],
      ["mistral", "MISTRAL"],
      ["mistral", "normalizeEngineError"],
    ];
    for (const [id, context] of not) assert.equal(matchModel(id, context, catalog), undefined, `${id} (${context})`);
    assert.equal(matchModel("ollama:11434", undefined, catalog), undefined);
    assert.equal(matchModel("davinci-002", "engine", catalog)?.provider, "openai");
    assert.equal(matchModel("sonar", "PERPLEXITY_SONAR", catalog)?.provider, "perplexity");
  });

  it("knows router variants, versioned DeepSeek ids and open-codestral-mamba", () => {
    assert.equal(matchModel("meta-llama/llama-3.3-70b-instruct:free", "model", catalog)?.provider, "huggingface");
    assert.equal(matchModel("meta-llama/llama-3.3-70b-instruct:free", undefined, catalog), undefined);
    assert.equal(matchModel("deepseek-v4-flash", "model", catalog)?.provider, "deepseek");
    assert.equal(matchModel("deepseek-v3.2-exp", "model", catalog)?.provider, "deepseek");
    assert.equal(matchModel("deepseek-v3.2-exp", undefined, catalog), undefined);
    // A V4 id names its tier (`-flash`, `-pro`): specific without a name around it (round 8).
    assert.equal(matchModel("deepseek-v4-flash", undefined, catalog)?.provider, "deepseek");
    assert.equal(matchModel("open-codestral-mamba", undefined, catalog)?.provider, "mistral");
  });
});

describe("model identifiers: round 4 classes", () => {
  it("knows more model-publishing hub orgs, and no id ends in a separator (a startsWith prefix)", () => {
    assert.equal(matchModel("MiniMaxAI/MiniMax-M2.7", undefined, catalog)?.provider, "huggingface");
    assert.equal(matchModel("THUDM/glm-4-9b-chat", undefined, catalog)?.provider, "huggingface");
    assert.equal(matchModel("moonshotai/Kimi-K2.", undefined, catalog), undefined);
    assert.equal(matchModel("claude-3-", "model", catalog), undefined);
  });

  it("reads a PEFT adapter named by an adapter path or name as a hub model", () => {
    assert.equal(matchModel("timdettmers/guanaco-7b", "adapter_path", catalog)?.id, "timdettmers/guanaco-7b");
    assert.equal(matchModel("timdettmers/guanaco-7b", "adapters_name", catalog)?.id, "timdettmers/guanaco-7b");
    assert.equal(matchModel("output/guanaco-7b", "adapter_path", catalog), undefined);
  });

  it("takes no mode word or template stand-in for an Azure deployment", () => {
    assert.equal(matchModel("local", "engine_name", catalog), undefined);
    assert.equal(matchModel("your-deployment-name", "AZURE_OPENAI_DEPLOYMENT_NAME", catalog), undefined);
    assert.equal(matchModel("gpt4o-prod", "deployment_name", catalog)?.provider, "azure-openai");
  });
});

describe("model identifiers: round 5 families", () => {
  it("knows open-weight names by their size segment, only where a name says model", () => {
    for (const id of [
      "koala-13b",
      "mpt-7b-chat",
      "qwen1.5-72b-chat",
      "RWKV-4-Raven-14B",
      "mixtral-8x7b-dpo",
      "pythia-160m",
    ])
      assert.ok(matchModel(id, "model", catalog), id);
    for (const id of ["koala-13b", "mpt-7b-chat"]) assert.equal(matchModel(id, "label", catalog), undefined, id);
    assert.equal(matchModel("timeout-30s", "model", catalog), undefined);
  });

  it("does not take an ARN of the AWS documentation's example account for a model", () => {
    const real = "arn:aws:bedrock:us-east-1:210987654321:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0";
    assert.equal(matchModel(real, undefined, catalog)?.provider, "aws-bedrock");
    const example = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/my-profile";
    assert.equal(matchModel(example, "model", catalog), undefined);
  });

  it("takes a test's numbered stand-in named after the word model for no model", () => {
    for (const id of ["test-model-1", "new-model-3", "old_model_2", "model-1b", "advanced-model-12"])
      assert.equal(matchModel(id, "models", catalog), undefined, id);
    assert.equal(matchModel("qwen2.5-7b", "models", catalog)?.id, "qwen2.5-7b");
  });

  it("reads a vocoder's id as a model", () => {
    assert.equal(matchModel("acme/tts_vocoder-v2", "DEFAULT_VOCODER_ID", catalog)?.provider, "huggingface");
    assert.equal(matchModel("acme/tts_vocoder-v2", "DEFAULT_VOICE_ID", catalog), undefined);
  });

  it("knows Azure's dotless names of OpenAI models anywhere", () => {
    for (const id of ["gpt-35-turbo", "gpt-35-turbo-16k", "gpt-35-turbo-0613"])
      assert.equal(matchModel(id, undefined, catalog)?.provider, "azure-openai", id);
    assert.equal(matchModel("gpt-35-turbine", undefined, catalog), undefined);
  });

  it("takes a value its structure declares a model whatever its family, but not a path", () => {
    assert.deepEqual(matchDeclaredModel("curie:2020-05-03", catalog), { id: "curie:2020-05-03", provider: "unknown" });
    assert.equal(matchDeclaredModel("gpt-4o", catalog)?.provider, "openai");
    assert.equal(matchDeclaredModel("./weights/model.gguf", catalog), undefined);
  });
});

describe("model identifiers: round 7 classes", () => {
  it("needs a tier after a Gemini version, and knows month-year dated previews", () => {
    for (const id of ["gemini-2.0-flash", "models/gemini-2.5-pro-preview-09-2025", "gemini-pro", "gemini-exp-1206"])
      assert.equal(matchModel(id, undefined, catalog)?.provider, "google", id);
    for (const id of ["gemini-2.5", "gemini-3", "models/gemini-1.5"])
      assert.equal(matchModel(id, undefined, catalog), undefined, id);
  });

  it("knows ElevenLabs speech-to-text and music models where a name says model", () => {
    assert.equal(matchModel("scribe_v2", "model_id", catalog)?.provider, "elevenlabs");
    assert.equal(matchModel("music_v1", "model_id", catalog)?.provider, "elevenlabs");
    assert.equal(matchModel("music_v1", undefined, catalog), undefined);
  });

  it("takes a strong id in a prefix list, never a family or an alias", () => {
    assert.equal(matchModel("claude-opus-4", "ANTHROPIC_ALLOWED_PREFIXES", catalog)?.provider, "anthropic");
    assert.equal(matchModel("gemini-2.5", "GOOGLE_ALLOWED_PREFIXES", catalog), undefined);
    assert.equal(matchModel("o1", "OPENAI_ALLOWED_PREFIXES", catalog), undefined);
    assert.equal(matchModel("gpt-4o", "startswith", catalog), undefined);
    assert.equal(matchModel("claude-sonnet-4", "aliases", catalog), undefined);
  });

  it("reads ids routed through a gateway account where a name says model, not local folders", () => {
    assert.equal(
      matchModel("truefoundry/openai-main/gpt-4o-mini", "model", catalog)?.id,
      "truefoundry/openai-main/gpt-4o-mini",
    );
    assert.equal(matchModel("truefoundry/openai-main/gpt-4o-mini", undefined, catalog), undefined);
    assert.equal(matchModel("models/llama/7b-chat", "model", catalog), undefined);
    assert.equal(matchModel("runs/llama-3-8b-qlora", "peft_model_id", catalog), undefined);
    assert.equal(matchModel("outputs/checkpoint-500", "model", catalog), undefined);
  });

  it("reads the repository of a model file URL on the hub where a name says model", () => {
    const url = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx";
    assert.deepEqual(matchModel(url, "model-uri", catalog), {
      id: "sentence-transformers/all-MiniLM-L6-v2",
      provider: "huggingface",
    });
    assert.equal(matchModel(url, "tokenizer_uri", catalog), undefined);
    assert.equal(
      matchModel("https://huggingface.co/datasets/org/data/resolve/main/x.json", "model_url", catalog),
      undefined,
    );
  });

  it("takes tokenizers and numbered router groups for no model, even of strong families", () => {
    assert.equal(matchModel("thenlper/gte-small", "tokenizer", catalog), undefined);
    assert.equal(matchModel("gpt-4o", "tokenizer_name", catalog), undefined);
    for (const id of ["model-group-1", "model_group_2"])
      assert.equal(matchModel(id, "model_id", catalog), undefined, id);
    assert.equal(matchModel("something/else/o3", "model", catalog), undefined);
  });
});
