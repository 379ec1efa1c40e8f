import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadAiCatalog } from "./catalog.js";
import { configModels, dockerfileModels, parseProperties } from "./config-models.js";
import { classifyFile } from "./walk.js";

const catalog = loadAiCatalog();
const ids = (text: string, format: Parameters<typeof configModels>[1]) =>
  configModels(text, format, catalog).map((m) => `${m.id}@${m.line}`);

describe("config models: mapping keys", () => {
  it("reads model ids written as keys of a provider → models table (YAML)", () => {
    const yaml = [
      "apis:",
      "  openai:",
      "    base-url: https://api.openai.com/v1",
      "    models:",
      "      gpt-4o-mini:",
      '        aliases: ["4o-mini"]',
      "      o3-mini:",
      "        max-input-chars: 200000",
      "  anthropic:",
      "    models:",
      "      claude-3-5-haiku-20241022:",
      "        max-input-chars: 680000",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["gpt-4o-mini@5", "o3-mini@7", "claude-3-5-haiku-20241022@11"]);
  });

  it("takes any model-shaped key of a models table (with settings under it), named by its provider", () => {
    const yaml = [
      "apis:",
      "  groq:",
      "    models:",
      "      mixtral-8x7b-32768:",
      "        max-input-chars: 98000",
      "      Meta-Llama-3.1-8B-Instruct:",
      '        aliases: ["llama3.1-8b"]',
      "      default:",
      "        x: 1",
      "      max-tokens-2: 5",
    ].join("\n");
    assert.deepEqual(
      configModels(yaml, "yaml", catalog).map((m) => `${m.id}@${m.line}:${m.provider}`),
      ["mixtral-8x7b-32768@4:groq", "Meta-Llama-3.1-8B-Instruct@6:groq"],
    );
  });

  it("reads model keys in JSON and TOML tables", () => {
    const json = '{"openai": {"models": {"gpt-4o": {"max": 1}, "o1-mini": {}}}}';
    assert.deepEqual(
      configModels(json, "json", catalog).map((m) => m.id),
      ["gpt-4o", "o1-mini"],
    );
    const toml = '[providers.openai.models."gpt-4o-mini"]\nmax = 1\n';
    assert.deepEqual(
      configModels(toml, "toml", catalog).map((m) => m.id),
      ["gpt-4o-mini"],
    );
  });

  it("does not take keys of other tables, nor dataset mixers, as models", () => {
    const yaml = [
      "dataset_mixer:",
      "  HuggingFaceH4/ultrachat_200k: 1.0",
      "  openai/gsm8k: 0.5",
      "aliases:",
      "  o1: something",
      "dataset_name: HuggingFaceH4/ultrafeedback_binarized",
      "model_name_or_path: mistralai/Mistral-7B-v0.1",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["mistralai/Mistral-7B-v0.1@7"]);
  });
});

describe("config models: Spring .properties", () => {
  it("reads spring.ai model properties, both naming schemes, and Azure deployments", () => {
    const text = [
      "# comment gpt-4o",
      "spring.application.name=api-ai",
      "spring.ai.openai.chat.options.model=gpt-4o",
      "spring.ai.openai.chat.model = gpt-4o-mini",
      "spring.ai.openai.embedding.model: text-embedding-3-small",
      "spring.ai.ollama.chat.model=llama3.2",
      "spring.ai.azure.openai.chat.options.deployment-name=my-gpt4",
      "spring.ai.openai.base-url=https://api.openai.com",
      "langchain4j.open-ai.chat-model.model-name=gpt-4.1",
    ].join("\n");
    assert.deepEqual(ids(text, "properties"), [
      "gpt-4o@3",
      "gpt-4o-mini@4",
      "text-embedding-3-small@5",
      "llama3.2@6",
      "my-gpt4@7",
      "gpt-4.1@9",
    ]);
  });

  it("parses continuation lines, escapes and separators like java.util.Properties", () => {
    const entries = parseProperties("a.b = one \\\n   two\n! bang comment\nc:d\ne f\n  \nkey\\=x=y\n");
    assert.deepEqual(
      entries.map((e) => [e.key, e.value, e.line]),
      [
        ["a.b", "one two", 1],
        ["c", "d", 4],
        ["e", "f", 5],
        ["key=x", "y", 7],
      ],
    );
  });

  it("never throws on arbitrary input and keeps every key on a line of the file", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const entries = parseProperties(text);
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const e of entries) assert.ok(e.line >= 1 && e.line <= lines);
        configModels(text, "properties", catalog);
      }),
      { numRuns: 300 },
    );
  });

  it("bounds hostile input: a huge continuation chain and a million lines finish quickly", () => {
    const started = performance.now();
    parseProperties(`k=${"x\\\n".repeat(200_000)}`);
    parseProperties("a=b\n".repeat(300_000));
    assert.ok(performance.now() - started < 3000);
  });

  it("classifies .properties files and Spring application.yml as configs", () => {
    assert.deepEqual(classifyFile("src/main/resources/application.properties"), {
      kind: "config",
      format: "properties",
    });
    assert.deepEqual(classifyFile("src/main/resources/application.yml"), { kind: "config", format: "yaml" });
  });

  it("reads --flags inside a command string of a compose file", () => {
    const yaml =
      "services:\n  app:\n    command: generate.py --load_8bit --base_model $BASE --lora_weights 'tloen/alpaca-lora-7b'\n";
    assert.deepEqual(ids(yaml, "yaml"), ["tloen/alpaca-lora-7b@3"]);
  });

  it("reads Spring application.yml nesting", () => {
    const yaml = "spring:\n  ai:\n    openai:\n      chat:\n        options:\n          model: gpt-4o\n";
    assert.deepEqual(ids(yaml, "yaml"), ["gpt-4o@6"]);
  });
});

describe("config models: dataset tables", () => {
  it("takes hub ids under a datasets table for datasets, even from well-known orgs (YAML and JSON)", () => {
    const yaml = [
      "model_name_or_path: HuggingFaceTB/SmolLM-360M",
      "dataset_mixture:",
      "  datasets:",
      "    - id: HuggingFaceH4/ultrachat_200k",
      "      split: train_sft",
      "    - id: HuggingFaceTB/smoltalk2",
      "  judge_model: gpt-4o-mini",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["HuggingFaceTB/SmolLM-360M@1", "gpt-4o-mini@7"]);
    const json = JSON.stringify({
      datasets: [{ id: "HuggingFaceH4/ultrachat_200k" }],
      model: "HuggingFaceH4/zephyr-7b-beta",
    });
    assert.deepEqual(
      configModels(json, "json", catalog).map((m) => m.id),
      ["HuggingFaceH4/zephyr-7b-beta"],
    );
  });
});

describe("config models: shell and batch scripts", () => {
  it("reads exported model variables and --model flags, including hub ids named *_name_or_path", () => {
    const sh = [
      "#!/bin/bash",
      "export MODEL_NAME=meta-llama/Llama-2-7b-hf",
      "BASE_MODEL='someone/finetune-7b'",
      "accelerate launch train.py \\",
      "    --model_name_or_path Qwen/Qwen2-0.5B \\",
      "    --reward_model_path trl-lib/pythia-1b-deduped-tldr-rm \\",
      "    --dataset_name trl-lib/tldr \\",
      "    --output_dir models/out",
      "python run.py --model=gpt-4o-mini",
      "set MODEL=llama3.2",
    ].join("\n");
    assert.deepEqual(ids(sh, "shell"), [
      "meta-llama/Llama-2-7b-hf@2",
      "someone/finetune-7b@3",
      "Qwen/Qwen2-0.5B@5",
      "trl-lib/pythia-1b-deduped-tldr-rm@6",
      "gpt-4o-mini@9",
      "llama3.2@10",
    ]);
  });

  it("classifies shell and batch-job scripts and keeps .env.example as env", () => {
    for (const name of ["run.sh", "train.bash", "job.slurm", "job.sbatch", "run.bat", "run.cmd"])
      assert.deepEqual(classifyFile(`scripts/${name}`), { kind: "config", format: "shell" }, name);
    assert.deepEqual(classifyFile("crews/x/.env.example"), { kind: "config", format: "env" });
  });

  it("reads .env.example model values", () => {
    assert.deepEqual(ids("OPENAI_API_KEY=\nMODEL='openhermes'\nOPENAI_MODEL_NAME=gpt-4o # comment\n", "env"), [
      "openhermes@2",
      "gpt-4o@3",
    ]);
  });

  it("survives hostile shell text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        configModels(text, "shell", catalog);
      }),
      { numRuns: 200 },
    );
    const started = performance.now();
    configModels(`--model ${"a".repeat(1_000_000)}\n${"--model x ".repeat(100_000)}`, "shell", catalog);
    assert.ok(performance.now() - started < 3000);
  });
});

describe("config models: sources without a parser and JSON with comments", () => {
  it("reads constants, named arguments and builder calls in Ruby, Rust and Groovy", () => {
    const ruby = [
      '  ANTHROPIC_MODEL = "claude-sonnet-4-5"',
      "  client.chat(parameters: {",
      '    model: "gpt-4o",',
      "  })",
    ].join("\n");
    assert.deepEqual(ids(ruby, "code"), ["claude-sonnet-4-5@1", "gpt-4o@3"]);
    const rust = 'static DEFAULT_OPENAI_MODEL: &str = "gpt-4.1-nano";\nconst NAME: &str = "hello-world-2";\n';
    assert.deepEqual(ids(rust, "code"), ["gpt-4.1-nano@1"]);
    const groovy = 'def model = OllamaChatModel.builder()\n    .modelName("llama3.2")\n    .build()\n';
    assert.deepEqual(ids(groovy, "code"), ["llama3.2@2"]);
  });

  it("classifies Ruby, Rust, Groovy and Kotlin files as code read for models, and .jsonc as JSON", () => {
    assert.deepEqual(classifyFile("app/services/ai.rb"), { kind: "config", format: "code" });
    assert.deepEqual(classifyFile("src/main.rs"), { kind: "config", format: "code" });
    assert.deepEqual(classifyFile("src/test/groovy/DemoTest.groovy"), { kind: "config", format: "code" });
    assert.deepEqual(classifyFile(".vscode/settings.jsonc"), { kind: "config", format: "json" });
  });

  it("reads JSON with comments and trailing commas instead of calling it malformed", () => {
    const json = ["{", "  // the chat model", '  "chat.model": "gpt-4o-mini",', '  "editor.tabSize": 2,', "}"].join(
      "\n",
    );
    assert.deepEqual(ids(json, "json"), ["gpt-4o-mini@3"]);
    assert.throws(() => configModels('{ "model": ', "json", catalog));
  });
});

describe("config models: commands and nested model objects", () => {
  it("reads the model of `ollama pull|run` in scripts, compose commands and Dockerfiles", () => {
    assert.deepEqual(
      ids("#!/bin/sh\nollama serve &\nollama pull nomic-embed-text\nollama run qwen2.5:7b-instruct\n", "shell"),
      ["nomic-embed-text@3", "qwen2.5:7b-instruct@4"],
    );
    const compose = ["services:", "  init:", "    image: ollama/ollama", '    command: "ollama pull llama3.1:8b"'].join(
      "\n",
    );
    assert.deepEqual(ids(compose, "yaml"), ["llama3.1:8b@4"]);
    assert.deepEqual(
      dockerfileModels("FROM ollama/ollama\nRUN ollama serve & sleep 5 && ollama pull all-minilm\n", catalog).map(
        (m) => m.id,
      ),
      ["all-minilm"],
    );
    assert.deepEqual(ids('ollama pull "$MODEL"\necho ollama pull <model>\n', "shell"), []);
  });

  it("names `value`, `name` and `id` by an enclosing model key, but not by a deployment", () => {
    const json = JSON.stringify({
      parameters: { model: { __rl: true, value: "llama3.2:latest", mode: "list" } },
      llm: { name: "qwen2.5" },
      deployment: { name: "gpt-4o-prod" },
      service: { name: "llama3" },
    });
    assert.deepEqual(
      configModels(json, "json", catalog)
        .map((m) => m.id)
        .sort(),
      ["llama3.2:latest", "qwen2.5"],
    );
  });
});

describe("config models: command lines and code kept in values (issue 15, round 3)", () => {
  it("reads `-m MODEL` and `--model MODEL` in command strings of TOML, JSON and scripts", () => {
    const toml = [
      "[[snippets]]",
      'command = "codex -m gpt-5-codex -c model_reasoning_effort=\\"high\\""',
      "[[snippets]]",
      'command = "llm --model claude-3-5-haiku-latest hello"',
    ].join("\n");
    assert.deepEqual(ids(toml, "toml").sort(), ["claude-3-5-haiku-latest@4", "gpt-5-codex@2"]);
    const json = JSON.stringify({ scripts: { ask: "aichat -m llama3.2:1b 'hi'" } }, null, 2);
    assert.deepEqual(ids(json, "json"), ["llama3.2:1b@3"]);
    assert.deepEqual(ids("llm -m gpt-4o-mini 'summarise'\n", "shell"), ["gpt-4o-mini@1"]);
  });

  it("does not take Python's -m module or a git -m message for a model", () => {
    const toml = [
      'a = "python -m llama3.2"',
      'b = "python3 -m mistral"',
      'c = "git commit -m llama3.2"',
      'd = "uv run python -m vllm.entrypoints.openai.api_server"',
    ].join("\n");
    assert.deepEqual(ids(toml, "toml"), []);
  });

  it("reads model ids in code stored in a JSON string (an n8n Code node)", () => {
    const code = [
      'const { OllamaEmbeddings } = require("@langchain/community/embeddings/ollama");',
      "const embeddings = new OllamaEmbeddings({",
      '  model: "nomic-embed-text",',
      '  baseUrl: "http://ollama:11434"',
      "});",
    ].join("\n");
    const json = JSON.stringify({ nodes: [{ parameters: { jsCode: code }, type: "n8n-nodes-base.code" }] }, null, 2);
    assert.deepEqual(ids(json, "json"), [
      `nomic-embed-text@${json.split("\n").findIndex((l) => l.includes("jsCode")) + 1}`,
    ]);
  });

  it("reads Robot Framework variables and an Ollama Modelfile's base model", () => {
    const robot = [
      "*** Variables ***",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Robot Framework variable syntax is the input
      "${model}        qwen2.5-coder:1.5b",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Robot Framework variable syntax is the input
      "${model2}       llama3.2:1b",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Robot Framework variable syntax is the input
      "${timeout}      30s",
      "*** Test Cases ***",
      "Ask",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Robot Framework variable syntax is the input
      "    Run    tlm ask --model=${model}",
    ].join("\n");
    assert.deepEqual(ids(robot, "robot"), ["qwen2.5-coder:1.5b@2", "llama3.2:1b@3"]);
    const modelfile = ["FROM SpeakLeash/bielik-11b-v3.0-instruct:Q8_0", 'TEMPLATE """{{ .System }}"""'].join("\n");
    assert.deepEqual(ids(modelfile, "modelfile"), ["SpeakLeash/bielik-11b-v3.0-instruct:Q8_0@1"]);
    assert.deepEqual(ids("FROM ./bielik-11b.Q8_0.gguf\n", "modelfile"), []);
    assert.deepEqual(classifyFile("e2e/tests/ask.robot"), { kind: "config", format: "robot" });
    assert.deepEqual(classifyFile("bielik/Modelfile"), { kind: "config", format: "modelfile" });
  });

  it("reads dotenv templates spelled without the dot, and Jsonnet", () => {
    for (const name of [".envtemplate", ".env_example", ".env-sample", "env.example"])
      assert.deepEqual(classifyFile(name), { kind: "config", format: "env" }, name);
    assert.deepEqual(classifyFile(".environment.json"), { kind: "config", format: "json" });
    assert.deepEqual(ids('OPENAI_MODEL="o3-mini"\n', "env"), ["o3-mini@1"]);
    const jsonnet = [
      "local home = std.extVar('HOME');",
      "{",
      "  agent: {",
      "    model: 'claude-sonnet-4-5',",
      "    command: home + '/bin/llm -m gpt-4o-mini',",
      "  },",
      "}",
    ].join("\n");
    assert.deepEqual(classifyFile("mcp/config.jsonnet"), { kind: "config", format: "jsonnet" });
    assert.deepEqual(ids(jsonnet, "jsonnet").sort(), ["claude-sonnet-4-5@4", "gpt-4o-mini@5"]);
  });
});

describe("config models: round 4 classes", () => {
  it("reads a Rust field set through Some(String::from(...)) or String::from", () => {
    const rs = [
      "Api::Ollama => ApiConfig {",
      '    url: String::from("http://localhost:11434/api/chat"),',
      '    default_model: Some(String::from("phi3")),',
      "},",
      'let model: Option<String> = Some("gpt-4o".to_string());',
      'let name = Some(String::from("not-a-model"));',
    ].join("\n");
    assert.deepEqual(ids(rs, "code"), ["phi3@3", "gpt-4o@5"]);
  });

  it("reads no model from a Markdown document kept as a JSON value", () => {
    const json = JSON.stringify({
      text: 'We are deprecating engines.\n\n```\nopenai.Completion.create(engine="text-davinci-002")\n```\n',
    });
    assert.deepEqual(ids(json, "json"), []);
    assert.deepEqual(ids(JSON.stringify({ jsCode: 'const r = await chat({ model: "gpt-4o" })' }), "json"), [
      "gpt-4o@1",
    ]);
  });

  it("reads shell start-up files, with a flag's value quoted inside a quoted alias", () => {
    assert.deepEqual(classifyFile("home/.bashrc"), { kind: "config", format: "shell" });
    assert.deepEqual(classifyFile("zsh/zshrc"), { kind: "config", format: "shell" });
    const rc = [
      "alias vision='sgpt -m \"gpt-4-vision-preview\"'",
      'alias o1="sgpt -m \\"o1-preview\\" --stream=false"',
    ].join("\n");
    assert.deepEqual(ids(rc, "shell"), ["gpt-4-vision-preview@1", "o1-preview@2"]);
  });

  it("reads settings commented out as alternatives in .env and .properties files, not prose or double comments", () => {
    const env = [
      'OPENAI_MODEL="gpt-4o-mini"',
      '# CUSTOM_MODEL="llama3.1"',
      "# set the model to gpt-4o below",
      "# # OLD_MODEL=gpt-4",
    ].join("\n");
    assert.deepEqual(ids(env, "env"), ["gpt-4o-mini@1", "llama3.1@2"]);
    const properties = [
      "spring.ai.openai.chat.options.model=gpt-4o",
      "#spring.ai.anthropic.chat.options.model=claude-3-7-sonnet-20250219",
      "# # spring.ai.openai.chat.options.model=gpt-4",
    ].join("\n");
    assert.deepEqual(ids(properties, "properties"), ["gpt-4o@1", "claude-3-7-sonnet-20250219@2"]);
  });
});

describe("config models: round 5 classes", () => {
  it("reads TOML settings commented out as alternatives, and a quoted alternative in a trailing comment", () => {
    const toml = [
      "[llm]",
      'model = "gpt-4o"  # the default',
      "# [llm.local]",
      '# model = "qwen2.5:7b" # served by Ollama',
      '# model = "YOUR_MODEL" #"claude-3-5-haiku-20241022"',
      "# pick a model that fits the budget",
      '# # model = "gpt-4"',
    ].join("\n");
    assert.deepEqual(ids(toml, "toml").sort(), ["claude-3-5-haiku-20241022@5", "gpt-4o@2", "qwen2.5:7b@4"]);
  });

  it("reads a hub id under a checkpoint path key, not a local checkpoint folder", () => {
    const yaml = ["router:", "  checkpoint_path: someorg/router_bert_v2", "  ckpt_path: checkpoints/run-1"].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["someorg/router_bert_v2@2"]);
  });

  it("reads an Ollama name:tag where a name says model, not a test double", () => {
    const rust = [
      'let config = Config { model: Some("newfamily:latest".to_string()) };',
      'let other = Config { model: Some("newfamily:13b-q4_K_M".to_string()) };',
      'let mock = Config { model: Some("mockmodel:latest".to_string()) };',
      'let image = Config { image: Some("redis:latest".to_string()) };',
    ].join("\n");
    assert.deepEqual(ids(rust, "code"), ["newfamily:latest@1", "newfamily:13b-q4_K_M@2"]);
  });
});

describe("config models: values a structure declares a model", () => {
  it("reads every id of a mocked OpenAI-compatible /v1/models answer, and no other object's id", () => {
    const json = JSON.stringify(
      {
        object: "list",
        data: [
          { id: "babbage:2020-05-03", object: "model", owned_by: "openai" },
          { id: "if-curie-v2", object: "model", owned_by: "openai" },
          { id: "modelperm-abc123", object: "model_permission" },
        ],
      },
      null,
      2,
    );
    assert.deepEqual(
      configModels(json, "json", catalog)
        .map((m) => m.id)
        .sort(),
      ["babbage:2020-05-03", "if-curie-v2"],
    );
  });

  it("reads the models an Ollama deployment pulls and runs at start-up", () => {
    const yaml = [
      "ollama:",
      "  models:",
      "    pull:",
      "      - tinyvision",
      "    run:",
      "      - tinyvision",
      "image:",
      "  pull: always",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["tinyvision@4", "tinyvision@6"]);
    const json = '{ "models": { "pull": ["tinyvision"] }, "images": { "pull": ["busybox"] } }';
    assert.deepEqual(
      configModels(json, "json", catalog).map((m) => m.id),
      ["tinyvision"],
    );
  });

  it("reads the model of a positional pipeline(task, model) call in Ruby", () => {
    const rb = 'model = Informers.pipeline("embedding", "acme/mini-embed-v2")\nx = pipeline("sentiment", "positive")';
    assert.deepEqual(ids(rb, "code"), ["acme/mini-embed-v2@1"]);
  });
});

describe("config models: round 7 classes", () => {
  it("reads settings commented out in YAML: quoted known ids, list items named by their key", () => {
    const yaml = [
      "model_providers:",
      "  - provider_name: local",
      "    llm_model_ids:",
      '      - "qwen2:1.5b"',
      "# - provider_name: openai",
      "#   llm_model_ids:",
      '#     - "gpt-4o"',
      "#     - someorg/custom-7b",
      "#   reranking_model_ids: []",
      "# Uncomment this provider to use gpt-4 style models",
      "#   tags:",
      "#     - someorg/not-a-model-3",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["qwen2:1.5b@4", "gpt-4o@7", "someorg/custom-7b@8"]);
  });

  it("reads YAML kept in a block scalar, and a known id quoted in a command value", () => {
    const yaml = [
      "mounts:",
      "  - data: |",
      "      model_providers:",
      "        - provider_name: gateway",
      "          llm_model_ids:",
      '            - "openai-main/gpt-4o-mini"',
      "env:",
      "  TEST_ARGS: >-",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions ${{ }} expression is the input
      "    --llm-provider ${{ inputs.provider || 'vertexai' }}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions ${{ }} expression is the input
      "    --models ${{ inputs.model || 'gemini-2.5-pro' }}",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["openai-main/gpt-4o-mini@6", "gemini-2.5-pro@9"]);
  });

  it("reads the id of an entry of a models table, and comma-separated models in dotenv", () => {
    const json =
      '{"models": {"quick": {"id": "gpt-5.6-luna", "name": "GPT Luna"}}, "tools": {"search": {"id": "web-search-2"}}}';
    assert.deepEqual(ids(json, "json"), ["gpt-5.6-luna@1"]);
    const env = [
      "# OPENAI_COMPATIBLE_MODELS=deepseek-chat,deepseek-reasoner",
      "OLLAMA_MODELS=qwen3:8b,llama3.2",
      "ALLOWED_HOSTS=a.example,b.example",
    ].join("\n");
    assert.deepEqual(ids(env, "env"), ["deepseek-chat@1", "deepseek-reasoner@1", "qwen3:8b@2", "llama3.2@2"]);
  });

  it("reads the repository of a hub model file URL under a model key, not the tokenizer's", () => {
    const yaml = [
      "spring.ai.embedding.transformer:",
      "  onnx:",
      "    model-uri: https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx",
      "  tokenizer:",
      "    uri: https://huggingface.co/someorg/tok-only/raw/main/tokenizer.json",
    ].join("\n");
    assert.deepEqual(ids(yaml, "yaml"), ["sentence-transformers/all-MiniLM-L6-v2@3"]);
  });
});
