/**
 * Model identifiers: a string is a model only when a provider's naming pattern matches it, and,
 * for patterns that could be anything else (`org/name`, `o1`, `llama3`), only where the code or
 * config names it as a model (`model=`, `*_MODEL`, `from_pretrained(...)`, `deployment_name`).
 */
import type { AiCatalog } from "./catalog.js";

/**
 * Names that say "this value is a model": arguments, variables, keys, env vars (a TTS `vocoder_id`
 * is a model too; the Ollama client's `create(model, from_="gemma3")` names the base model `from_`).
 */
const MODEL_CONTEXT =
  /model|deployment|engine(_?(name|id))?$|checkpoint|pretrained|repo_?id|llm|embedder|reranker|vocoder|lora|peft|adapters?_?(name|id|weights|path)|^from_$|^init_?from$/i;
/**
 * Names with "model" in them that hold something else: Spring MVC views and model attributes
 * (`new ModelAndView("owners/details")`, `model.addAttribute`), tokenizer-only look-ups
 * (`tiktoken.encoding_for_model("gpt-4")` picks an encoding, it calls no model), and hub repos
 * that hold evaluation results (`LM_EVAL_REPO_ID`, `results_repo_id`) or compute kernels
 * (`kernel_repo`, what a Kernel Hub loader's argument is named); a transformers architecture
 * name (`config.model_type == "phi3"`, `architectures`: the code's class of model, not a model); hosts (`OLLAMA_HOST=ollama:11434`)
 * and source repositories (`src.github = "microsoft/playwright-cli"`, `GITHUB_REPO=mistralai/cookbook`:
 * `github`, `gitlab` or `git` as a word of the name); a recorded-HTTP cassette's name
 * (`VCR.use_cassette("openai/42")`, `insert_cassette`), a fixture file named after a provider.
 */
const NOT_MODEL_CONTEXT =
  /host$|(?:^|[_.-])(?:github|gitlab|git)(?:[_.-]|$)|^(?:github|gitlab)\w|ModelAndView|ModelMap|^(new )?ModelAttribute$|^add(Attribute|Object)$|encoding_?for_?model|(^|_)(eval|results?|leaderboard|details|logs?|space|kernel)_?repo|(?:^|[._])(?:model_?type|architectures?)$|repo_?(id_?)?_(eval|results?|details|logs?)$|(?:^|[._])(?:use|insert)_?cassette$/i;
/**
 * Names of providers (`selected_llm_provider == "qwen"`, `_ANY_MODEL_PROVIDERS = ("ollama", "mistral")`),
 * even when they say llm or model: a family word there is a provider. Only an id a strong pattern
 * knows whole is a model under such a name (`extract_model_and_provider("ollama/llama2")`).
 */
const PROVIDER_CONTEXT =
  /(?:^|[_.-]|[a-z](?=P))(?:provider|Provider|PROVIDER)(?:s|S|_?(?:name|id|type|key|NAME|ID|TYPE|KEY))?$/;

/** True when `context` names a provider rather than a model (`llm_provider`, `MODEL_PROVIDERS`). */
export function isProviderContext(context: string | undefined): boolean {
  return context !== undefined && PROVIDER_CONTEXT.test(context);
}
/**
 * Names that hold exactly one model id (`model=`, `model_name:`, `OPENAI_MODEL`, `modelId`): a value
 * there is a model even when no catalog family knows it (`bielik_v3_q8_tools`, `deepseek-v4-flash`),
 * provided it is shaped like an id (`GENERIC_ID`).
 */
const EXPLICIT_MODEL_KEY =
  /^(?:(?:[a-z]+[-_]){0,3}model(?:[-_]?(?:name|id))?|[a-z]+Model(?:Name|Id)?|modelName|modelId|(?:[A-Z][A-Z0-9]*_){0,4}MODEL(?:_NAME|_ID)?)$/;
/** Keys naming a model a run writes or pushes (`hub_model_id`, `output_model`), not one it uses. */
const OUTPUT_MODEL_KEY =
  /(?:^|_)(hub|output|out|new|save|saved|push|target|finetuned|fine_tuned|trained|merged|export)[-_]?model/i;
/**
 * Families whose patterns list every id shape they use: a value that starts like one but matched
 * none of its patterns is a lookalike (`gpt-4-prompts-and-more-words`), never a generic id.
 */
const CLOSED_FAMILY = /^(chatgpt|gpt|claude|gemini|o\d|text-embedding|dall-e)-/i;
/**
 * A model id no family pattern knows: a letter first, letters and a digit in it, and at least two
 * separators (`deepseek-v4-flash`, `bielik_v3_q8_tools`, `llama-guard-3-8b`), so that a word, a
 * version (`v1.2`) or a one-dash lookalike (`o1-visa`) is not one.
 */
const GENERIC_ID = /^(?=(?:[^-_.:/]*[-_.:/]){2})(?=[^\d]*\d)(?=(?:[^A-Za-z]*[A-Za-z]){3})[A-Za-z][\w.:/-]{4,120}$/;
/** Calls whose first argument is a model (`ollama.generate("gemma3", prompt)`, `ollama.show("llava")` among them). */
const MODEL_CALLS =
  /^(from_pretrained|pipeline|SentenceTransformer|CrossEncoder|hf_hub_download|snapshot_download|Llama|LLM|ChatOllama|OllamaLLM|Ollama|OllamaEmbeddings|pull|ChatOpenAI|ChatAnthropic|ChatGoogleGenerativeAI|init_chat_model|GenerativeModel|getGenerativeModel|openai|anthropic|google|mistral|ollama|bedrock|azure|groq|cohere|Agent|languageModel|chatModel|textEmbeddingModel|embedding|completion|chat|generate|show|ModelId|modelId|modelName|model|deploymentName)$/;
/**
 * Names of an Azure deployment (`AZURE_OPENAI_CHATGPT_DEPLOYMENT`, `azureDeploymentName`): the name
 * ends there, so a deployment's settings (`..._DEPLOYMENT_CAPACITY=80`, `..._DEPLOYMENT_SKU_NAME`) are not one.
 */
const DEPLOYMENT_CONTEXT =
  /azure\w*deployment(?:_?(?:name|id))?$|deployment\w*(azure|openai)$|^(deployment_?name|deployment_?id|azure_?deployment|engine_?name)$/i;
/** Words that pick a mode where a deployment name could stand (`engine_name='local'`), not a deployment. */
const MODE_WORD = /^(?:local|remote|default|none|null|auto|true|false|test|mock|dummy)$/i;
/** A transformers-style architecture name (`model_type`, `config.model_type`). */
const ARCH_CONTEXT = /(?:^|[._])model_?type$/i;
/** A size word or a parameter count ending a word of an id (`-medium`, `-xl`, `-7b`, `-base-uncased`). */
const SIZED_CHECKPOINT = /-(?:tiny|mini|small|base|medium|large|xl|xxl|\d{1,4}(?:\.\d)?[bm])(?:-|$)/i;
/** Names whose values are container images, never models (`ollama/ollama:0.4.7`). */
const IMAGE_CONTEXT =
  /^(image|images|repository|from|base_?image|from_(registry|dockerhub|aws_ecr|gcp_artifact_registry))$/i;
/** Model-like names that hold a local path rather than a hub id. */
const PATH_CONTEXT = /path|dir|file|folder|url|uri|output|save|cache/i;
/**
 * Path-like names that still hold hub ids: transformers' `model_name_or_path` family
 * (`pretrained_model_name_or_path`, `--teacher_model_name_or_path`). A plain `model_path` stays
 * a path. Local folders are told apart by their first segment (`LOCAL_DIR`).
 */
const HUB_PATH_CONTEXT = /name_or_path/i;
/**
 * A model named by a path-like key (`model_path`, `adapter_path`, `checkpoint_path`, `--reward_model_path`) that holds a hub id
 * instead: exactly `org/name`, no extension, a digit in the name (`pythia-1b`, `Qwen2-0.5B`) and
 * an org that is not a local folder name. `exports/final` and `checkpoints/run-1` stay paths.
 */
const MODEL_PATH_CONTEXT = /(?:model|adapter|lora|checkpoint|ckpt)_?path/i;
const HUB_ID_IN_PATH = /^[A-Za-z0-9][\w.-]{1,38}\/(?=[^/]*\d)[A-Za-z0-9][\w.-]{1,95}$/;
/** Keys naming where a model is written, never a hub id read from. */
const WRITE_PATH_CONTEXT = /out|save|cache|export|dir/i;
const LOCAL_DIR =
  /^(models?|checkpoints?|ckpts?|outputs?|out|data|datasets?|weights|results?|runs?|tmp|temp|saved?(_models?)?|exp|experiments?|logs?|local|artifacts?|pretrained)\//i;
/** Names whose values are datasets, never models: `load_dataset("org/name")`, `dataset_name:`. */
const DATASET_CONTEXT = /dataset|^data_?(path|files?|dir|name|id)$/i;
/**
 * Names whose values look like model ids but are not: nicknames, prefix lists, families, and
 * the argument of a prefix test (`model.starts_with("gpt-4")`, Ruby `start_with?`, Go `HasPrefix`).
 */
const NOT_ID_CONTEXT =
  /alias|prefix|suffix|marker|famil(y|ies)|keywords?$|patterns?$|regexp?$|regexes$|^(starts?_?with|ends?_?with|start_with|end_with|has_?prefix|has_?suffix)\??$/i;
/**
 * Of those, the names of prefix lists (`ANTHROPIC_ALLOWED_PREFIXES = ["claude-opus-4"]`): their
 * values are families, but one a provider's strong pattern knows whole is that provider's model id
 * all the same (`gemini-2.5` is a family, `claude-opus-4` an id). A prefix test
 * (`startswith("gpt-4")`) stays a prefix, and aliases stay nicknames. Keyword and pattern lists
 * (`_MODEL_KEYWORDS = ("mistral", ...)`, `gpt5Pattern = "gpt-5"`) likewise.
 */
const STRONG_ONLY_CONTEXT = /prefix|keywords?$|patterns?$|regexp?$|regexes$/i;
const PREFIX_TEST = /^(starts?_?with|start_with|has_?prefix)\??$/i;
/**
 * Placeholder hub orgs of docs and tests (`username/my_model`, `your-org/...`, `test/model`,
 * `test-org/...`, `some-org/...`).
 */
const PLACEHOLDER_ORG =
  /^(username|user|your[-_]?\w*|my[-_]?(org|user|username|name|account|namespace)|org|organi[sz]ation|namespace|test|example|foo|dummy|something|(?:test|some|example|fake|dummy|mock)[-_](?:org|organi[sz]ation|user|company|corp))\//i;
/**
 * A template's stand-in for a name the user fills in (`your-deployment-name`, `YOUR_MODEL`), an
 * ARN of the AWS documentation's example account `123456789012`, or a test's numbered stand-in
 * named after the word itself (`test-model-1`, `new-model-2`, `model-1b`): an id whose last word
 * is "model" and a number says "some model", never which.
 */
const PLACEHOLDER_VALUE =
  /^your[-_]|^arn:aws:[\w-]+:[\w-]*:123456789012:|(?:^|[-_])models?[-_]?\d{1,3}[a-z]?$|^models?[-_][a-z]+[-_]?\d{1,3}$/i;
/**
 * Placeholder repository names of tests (`cleanup/test`, `org/dummy`, `x/fake-model`, `lms/my-model`,
 * `openai/custom-model`, a bare `org/model`) and one-letter stand-ins (`nex-agi/x`, `openai/gpt-x`).
 */
const PLACEHOLDER_NAME =
  /^[^/]+\/(?:(test|tests|dummy|fake|mock|placeholder|example|my|custom|some|any)([-_]model)?|models?|[A-Za-z]|[A-Za-z]+-[xyz])$/i;
/**
 * A word that makes an id no family knows a stand-in (`any.model-id:0`, `local-llm-30b`,
 * `custom-model-name`, `my-llama-7b`): real ids name a family and a size or version, not "model",
 * "local" or "my". Used only for ids attributed to no provider.
 */
const STAND_IN_WORD =
  /(?:^|[-_.:/])(?:models?|local|custom|my|your|some|any|fake|dummy|mock|test|example|placeholder|sample)(?:[-_.:/]|$)/i;
/** A variable standing for a value in an API spec's examples (OpenAI's spec: `VAR_model_id`, `VAR_chat_model_id`). */
const SPEC_VARIABLE = /^VAR_\w+$/;
/** Names whose values are tokenizers only (`AutoTokenizer.from_pretrained("gpt2")`). */
const TOKENIZER_CONTEXT = /tokeni[sz]er/i;
/**
 * Never a model: a UUID, a MIME type (`application/json`), whitespace, a URL, a path, a template, a file
 * name, the head of a concatenation (`"ollama/ollama:" + version`, ending on a separator).
 */
const NOT_A_MODEL =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^(?:application|multipart)\/[\w.+-]+$|\s|:\/\/|^[./~\\]|[./_:-]$|\$\{|\{\{|[<>|"'`]|\.(csv|json|jsonl|txt|md|py|js|ts|yaml|yml|toml|pt|pth|bin|gguf|safetensors|onnx|pkl|h5|ckpt|zip|tar|gz|png|jpg|html)$/i;

/**
 * An AWS IAM action (`bedrock:InvokeModel`, `bedrock:InvokeModelWithResponseStream`,
 * `sagemaker:InvokeEndpoint`): `service:Action`, the action in PascalCase
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html).
 * A policy that allows calling models names no model.
 */
const IAM_ACTION = /^[a-z][a-z0-9-]{1,40}:[A-Z][a-z]+(?:[A-Z][a-z]*)*\*?$/;

/**
 * True when `value` is no model id by the checks `matchModel` applies to every value and to ids no
 * family knows (a UUID, a MIME type, a URL, a path, an IAM action, a placeholder or stand-in).
 */
export function isNotAModelValue(value: string): boolean {
  const id = value.trim();
  return (
    id.length < 2 ||
    id.length > 200 ||
    NOT_A_MODEL.test(id) ||
    IAM_ACTION.test(id) ||
    SPEC_VARIABLE.test(id) ||
    PLACEHOLDER_ORG.test(id) ||
    PLACEHOLDER_NAME.test(id) ||
    PLACEHOLDER_VALUE.test(id) ||
    STAND_IN_WORD.test(id)
  );
}

/** True when `context` names `provider` (`OLLAMA_DEFAULT` → ollama); never for the catch-all. */
function namesProvider(context: string | undefined, provider: string): boolean {
  if (!context || provider === "other" || provider.length < 4) return false;
  return context
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .includes(provider.replace(/[^a-z0-9]/g, ""));
}

/** A recognised model id and the provider it belongs to. */
export interface ModelMatch {
  id: string;
  provider: string;
}

/** True when `context` names an architecture (`model_type`), whose sized values are checkpoints (see `matchModel`). */
export function isArchContext(context: string | undefined): boolean {
  return context !== undefined && ARCH_CONTEXT.test(context);
}

/** True when `context` names datasets (`datasets:`, `dataset_mixture`, `data_files`). */
export function isDatasetContext(context: string | undefined): boolean {
  return context !== undefined && DATASET_CONTEXT.test(context);
}

/** True when `context` says its value is something else than a model (an image, a dataset, a prefix...). */
export function isNotModelContext(context: string | undefined): boolean {
  return (
    context !== undefined &&
    (IMAGE_CONTEXT.test(context) ||
      DATASET_CONTEXT.test(context) ||
      NOT_ID_CONTEXT.test(context) ||
      NOT_MODEL_CONTEXT.test(context) ||
      TOKENIZER_CONTEXT.test(context))
  );
}

/**
 * A file of a model repository on the Hugging Face hub, where a name says model
 * (`model-uri: https://huggingface.co/org/name/resolve/main/onnx/model.onnx`): the repository is
 * the model. A bare page link stays a link; datasets, Spaces and docs are not model repositories.
 */
const HF_MODEL_URL =
  /^https?:\/\/(?:www\.)?huggingface\.co\/(?!(?:datasets|spaces|api|docs|blog|papers|collections|organizations|settings|learn|tasks|models|join|login|pricing)\/)([A-Za-z0-9][\w.-]{1,38}\/[A-Za-z0-9][\w.-]{0,95})\/(?:resolve|raw|blob)\/\S+$/;

/**
 * LocalAI's URI of a file in a Hugging Face repository (`huggingface://TheBloke/phi-2-GGUF/phi-2.Q8_0.gguf`,
 * https://localai.io/docs/getting-started/models/): the repository is the model.
 */
const HF_FILE_URI = /^huggingface:\/\/([A-Za-z0-9][\w.-]{1,38}\/[A-Za-z0-9][\w.-]{0,95})\/\S+$/;

/** True when `context` (an argument, variable, key or callee name) marks a model. */
export function isModelContext(context: string | undefined): boolean {
  if (!context || TOKENIZER_CONTEXT.test(context) || DATASET_CONTEXT.test(context)) return false;
  return MODEL_CONTEXT.test(context) || MODEL_CALLS.test(context);
}

/**
 * True when a config key names a model as a word of its own (`model`, `llm`, `checkpoint`), not
 * as a call that takes one (`mistral(...)`, `openai(...)`): a provider's entry in a catalog
 * (`"mistral": { "id": "mistral", "models": {...} }`) is not an object named after a model.
 */
export function isModelKey(key: string | undefined): boolean {
  if (!key || TOKENIZER_CONTEXT.test(key) || DATASET_CONTEXT.test(key)) return false;
  return MODEL_CONTEXT.test(key);
}

/** Recognise `value` as a model id given the name that gives it meaning, or return undefined. */
export function matchModel(value: string, given: string | undefined, catalog: AiCatalog): ModelMatch | undefined {
  // `model_type` names an architecture (`gpt2`, `llama`), but one with a size (`gpt2-medium`,
  // `bert-base-uncased`) is a released checkpoint: no architecture is named with a size.
  const context = given !== undefined && ARCH_CONTEXT.test(given) && SIZED_CHECKPOINT.test(value) ? "model" : given;
  const url = value.includes("huggingface.co/")
    ? HF_MODEL_URL.exec(value.trim())
    : value.includes("huggingface://")
      ? HF_FILE_URI.exec(value.trim())
      : null;
  if (url?.[1]) return isModelContext(context) && !isNotModelContext(context) ? hubUrlModel(url[1]) : undefined;
  const id = value.trim();
  if (id.length < 2 || id.length > 200 || NOT_A_MODEL.test(id) || IAM_ACTION.test(id)) return undefined;
  // `org/test`, `openai/gpt-x`: a stand-in repository name, whatever org (a strong one too) it is under.
  if (id.includes("/") && PLACEHOLDER_NAME.test(id)) return undefined;
  // A prefix list names a model only by a whole id a strong pattern knows.
  const strongOnly =
    context !== undefined &&
    STRONG_ONLY_CONTEXT.test(context) &&
    !PREFIX_TEST.test(context) &&
    !IMAGE_CONTEXT.test(context) &&
    !DATASET_CONTEXT.test(context) &&
    !NOT_MODEL_CONTEXT.test(context) &&
    !TOKENIZER_CONTEXT.test(context) &&
    !/alias/i.test(context);
  if (strongOnly) {
    const strong = catalog.models.find((p) => p.strength === "strong" && p.regex.test(id));
    return strong && strong.provider !== "unknown" ? { id, provider: strong.provider } : undefined;
  }
  if (isNotModelContext(context)) return undefined;
  const routed = routedModel(id, catalog, 0) ?? namespacedModel(id, catalog);
  if (routed) return routed;
  const providerName = isProviderContext(context);
  // `O1_MINI = "o1-mini"`, `GUANACO_65B = "togethercomputer/guanaco-65b"`: a constant named after
  // the versioned id it holds is a table of model constants, its name as good as `model` for the
  // ids a family pattern knows (not for a shape no family knows: `TLS_1_2 = "tls-1.2"`).
  const inContext = isModelContext(context) || mirrorsName(context, id);
  const pathLike =
    context !== undefined &&
    PATH_CONTEXT.test(context) &&
    (LOCAL_DIR.test(id) ||
      !(
        HUB_PATH_CONTEXT.test(context) ||
        (MODEL_PATH_CONTEXT.test(context) && !WRITE_PATH_CONTEXT.test(context) && HUB_ID_IN_PATH.test(id))
      ));
  const placeholder = PLACEHOLDER_ORG.test(id) || PLACEHOLDER_NAME.test(id) || PLACEHOLDER_VALUE.test(id);
  const standIn = placeholder || STAND_IN_WORD.test(id);
  const deployment =
    context !== undefined && DEPLOYMENT_CONTEXT.test(context) && !MODE_WORD.test(id) && !PLACEHOLDER_VALUE.test(id);
  const ownFamily = !inContext && namesFamily(context, id);
  for (const pattern of catalog.models) {
    if (providerName && pattern.strength !== "strong") continue;
    // `PERPLEXITY_SONAR = "sonar"`: a name that says the provider gives its weak ids context.
    // `MISTRAL: 'mistral'` names the provider itself (an enum of providers), not a model.
    // `"glm": "glm-5"`, `qwen: "qwen3.7-plus"`: a key naming the id's own family gives it context.
    if (
      pattern.strength === "context" &&
      !inContext &&
      (!(ownFamily || namesProvider(context, pattern.provider)) || sameName(context, id))
    )
      continue;
    if (pattern.strength === "deployment" && !deployment) continue;
    // A shape that names no provider (`koala-13b`) is held to the generic id's rules: not a model a run writes.
    if (pattern.provider === "unknown" && (standIn || (context !== undefined && OUTPUT_MODEL_KEY.test(context))))
      continue;
    // `runs/llama-3-8b-qlora`, `qlora/output/guanaco-7b`: a local folder, never a hub organisation or account.
    if (
      pattern.strength === "hub" &&
      (!inContext || /deploy/i.test(context ?? "") || pathLike || placeholder || inLocalDir(id))
    )
      continue;
    if (!pattern.regex.test(id)) continue;
    // A provider-prefixed id (`openai:gpt-4o-mini`, `openai/gpt-4.1`) is kept as written, as the
    // corpus labels write it (LABELS.md: ids are compared as written, nothing normalised); the
    // provider the prefix names is the report's `provider` field.
    return { id, provider: deployment ? "azure-openai" : pattern.provider };
  }
  // `model: "GPT-4o"`: an id a strong pattern knows in lower case, written in capitals where a
  // name says model (ids compare case-insensitively).
  // A family pattern counts too (`models: { default: ["GLM-4.7"] }`): the key already says model.
  if (
    context !== undefined &&
    (EXPLICIT_MODEL_KEY.test(context) || /^models$/i.test(context)) &&
    !providerName &&
    /[A-Z]/.test(id) &&
    !standIn
  ) {
    const lower = id.toLowerCase();
    const strong = catalog.models.find(
      (p) => (p.strength === "strong" || p.strength === "context") && p.provider !== "unknown" && p.regex.test(lower),
    );
    if (strong) return { id, provider: strong.provider };
  }
  if (
    context !== undefined &&
    EXPLICIT_MODEL_KEY.test(context) &&
    !OUTPUT_MODEL_KEY.test(context) &&
    !TOKENIZER_CONTEXT.test(context) &&
    GENERIC_ID.test(id) &&
    !CLOSED_FAMILY.test(id) &&
    !pathLike &&
    !inLocalDir(id) &&
    !standIn &&
    !deployment &&
    !providerName
  )
    return { id, provider: "unknown" };
  return undefined;
}

/**
 * `openrouter/openai/gpt-5.2`, `bedrock_converse/eu.anthropic.claude-opus-4-20250514-v1:0`: an id
 * routed through a model router's prefix (`catalog.modelRoutes`), a model when what follows the
 * prefix is one a strong pattern knows (or is routed again).
 */
function routedModel(id: string, catalog: AiCatalog, depth: number): ModelMatch | undefined {
  const slash = id.indexOf("/");
  if (slash < 2 || depth > 2 || !catalog.modelRoutes) return undefined;
  const provider = catalog.modelRoutes.get(id.slice(0, slash).toLowerCase());
  if (!provider) return undefined;
  const rest = id.slice(slash + 1);
  if (rest.length < 2 || PLACEHOLDER_NAME.test(rest) || PLACEHOLDER_ORG.test(rest)) return undefined;
  const known =
    catalog.models.some((p) => p.strength === "strong" && p.provider !== "unknown" && p.regex.test(rest)) ||
    routedModel(rest, catalog, depth + 1) !== undefined;
  return known ? { id, provider } : undefined;
}

/** `adapter::model` (genai's `openai_resp::gpt-5.4-mini`, `baidu-coding-openai::glm-5`): a lower-case namespace. */
const NAMESPACED = /^([a-z][a-z0-9_-]{1,40})::(.+)$/;

/**
 * An id in a namespace that picks the adapter or endpoint (rust-genai's `cohere::command-r7b-12-2024`,
 * `fireworks::kimi-k3`): a model when what follows `::` is an id a named provider's pattern knows,
 * strong or in a model's context. Kept as written, with the provider of the id after the namespace.
 */
function namespacedModel(id: string, catalog: AiCatalog): ModelMatch | undefined {
  if (!id.includes("::")) return undefined;
  const m = NAMESPACED.exec(id);
  const rest = m?.[2];
  if (!rest || rest.length < 2 || rest.includes("::") || PLACEHOLDER_NAME.test(rest) || PLACEHOLDER_ORG.test(rest))
    return undefined;
  const known = catalog.models.find(
    (p) => (p.strength === "strong" || p.strength === "context") && p.provider !== "unknown" && p.regex.test(rest),
  );
  if (known) return { id, provider: known.provider };
  const routed = routedModel(rest, catalog, 1);
  return routed ? { id, provider: routed.provider } : undefined;
}

/** A path with a local folder name before its last segment (`runs/x`, `qlora/output/x`). */
function inLocalDir(id: string): boolean {
  const parts = id.split("/");
  return parts.slice(0, -1).some((part) => LOCAL_DIR.test(`${part}/`));
}

/** The hub repository a model URL names, as the hub-id patterns would report it. */
function hubUrlModel(repo: string): ModelMatch | undefined {
  if (PLACEHOLDER_ORG.test(repo) || PLACEHOLDER_NAME.test(repo) || inLocalDir(repo)) return undefined;
  return { id: repo, provider: "huggingface" };
}

/**
 * A value whose place in a structure declares it a model, whatever its family: the id of a model
 * object of an OpenAI-compatible API (`isModelObject`: `davinci:2020-05-03`, `if-curie-v2`), an
 * entry of an Ollama pull list (`ollama: { models: { pull: [moondream] } }`). A catalogued id
 * keeps its provider; any other is `unknown`. Paths, files and templates are still not models.
 */
export function matchDeclaredModel(value: string, catalog: AiCatalog): ModelMatch | undefined {
  const id = value.trim();
  if (id.length < 2 || id.length > 200 || NOT_A_MODEL.test(id) || IAM_ACTION.test(id)) return undefined;
  // `"id": "VAR_model_id"` (an API spec's example response): the name of a value, not one.
  if (SPEC_VARIABLE.test(id)) return undefined;
  return matchModel(id, "model", catalog) ?? { id, provider: "unknown" };
}

/**
 * The models an Ollama deployment pulls or runs at start-up: `models: { pull: [...], run: [...] }`
 * (the ollama-helm chart's `ollama.models`, https://github.com/otwld/ollama-helm#values), the
 * list form of `ollama pull X`.
 */
export function isOllamaPullList(key: string | undefined, parent: string | undefined): boolean {
  return (key === "pull" || key === "run") && parent !== undefined && /^models?$/i.test(parent);
}

/**
 * True when a parsed table is a model object of an OpenAI-compatible API: `GET /v1/models` lists
 * `{ "object": "model", "id": "...", "owned_by": "..." }` (https://platform.openai.com/docs/api-reference/models/object;
 * vLLM, Ollama, LM Studio and LiteLLM answer the same shape).
 */
export function isModelObject(table: Readonly<Record<string, unknown>>): boolean {
  return table.object === "model" && typeof table.id === "string";
}

/**
 * Fields of a model's record in a catalog or a provider's model listing: its context and output
 * limits, its modalities, its owner (OpenRouter `/api/v1/models`: `context_length`, `architecture`,
 * `top_provider`; Gemini `models.list`: `inputTokenLimit`, `supportedGenerationMethods`; LiteLLM and
 * RubyLLM registries: `context_window`, `max_output_tokens`, `modalities`). Prices alone are not
 * one (any product has a price).
 */
const MODEL_RECORD_FIELD =
  /^(?:tool_?calling|tool_?call|open_?weights|supports_?(?:tool_?calling|function_?calling|tools|vision|reasoning)|function_?calling|structured_?outputs|context_?length|context_?window|max_?context_?(?:length|tokens)|contextWindow|contextLength|input_?token_?limit|inputTokenLimit|output_?token_?limit|outputTokenLimit|max_?input_?tokens|max_?output_?tokens|maxInputTokens|maxOutputTokens|supportedGenerationMethods|input_?modalities|output_?modalities|modalities|architecture|top_provider|owned_by|knowledge_?cutoff)$/;
/** Fields of a model record that hold an id of the model (beside `id`): its slug, its Hugging Face repository. */
const MODEL_RECORD_ID_FIELD = /^(?:id|canonical_slug|hugging_face_id|model_id|modelId)$/;

/**
 * True when a parsed table is one model's record in a catalog or a listing: a string `id` (or a
 * Gemini resource `name: models/...`) beside at least two fields that describe a model
 * (`MODEL_RECORD_FIELD`), e.g. `{ "id": "x", "context_window": 128000, "max_output_tokens": 16384 }`.
 */
export function isModelRecord(table: Readonly<Record<string, unknown>>): boolean {
  const named = typeof table.id === "string" || typeof table.name === "string";
  if (!named) return false;
  let fields = 0;
  for (const key of Object.keys(table)) if (MODEL_RECORD_FIELD.test(key) && ++fields >= 2) return true;
  return false;
}

/**
 * True when `key` of a model record (`isModelRecord`) holds an id of the model: `id`,
 * `canonical_slug`, a Gemini `name: models/...`, or the `name` of a record with no `id` (a
 * benchmark table's `{ "name": "gpt-4o-mini-2024-07-18", "context_window": 128000, ... }`). A
 * display name beside an id (`"name": "GPT-4o mini"`) is not one.
 */
export function isModelRecordIdField(key: string, value: unknown, table: Readonly<Record<string, unknown>>): boolean {
  if (MODEL_RECORD_ID_FIELD.test(key)) return true;
  if (key !== "name" || typeof value !== "string") return false;
  return value.startsWith("models/") || table.id === undefined;
}

/**
 * `glm` for `glm-5`, `qwen` for `qwen3.7-plus`: a name that is the family word an id starts with
 * (its leading letters, three at least), as in a table of defaults keyed by provider family.
 */
function namesFamily(context: string | undefined, id: string): boolean {
  if (!context) return false;
  const family = /^[A-Za-z]{3,}/.exec(id)?.[0]?.toLowerCase();
  return (
    family !== undefined && family.length < id.length && context.replace(/[^a-z0-9]/gi, "").toLowerCase() === family
  );
}

/**
 * True when `context` spells `id` (or its last path segment) as an identifier, whole or in its
 * last words, and the id has a digit and a separator (`O1_MINI` for `o1-mini`, `GROK_4_6` for
 * `grok-4-6`, `KOALA_13B` for `togethercomputer/Koala-13B`, `XENOVA_ALL_MINILM_L6_V2` for
 * `all-MiniLM-L6-v2`). A bare word (`MISTRAL = "mistral"`) names a provider instead.
 */
function mirrorsName(context: string | undefined, id: string): boolean {
  if (!context || context.length < 3 || !/\d/.test(id) || !/[-_.:]/.test(id)) return false;
  const spell = (s: string) => s.replace(/[^a-z0-9]/gi, "").toLowerCase();
  const name = spell(context);
  for (const spelled of [spell(id), ...(id.includes("/") ? [spell(id.slice(id.lastIndexOf("/") + 1))] : [])]) {
    if (name === spelled) return true;
    // Its last words after a prefix of its own (`XENOVA_ALL_MINILM_L6_V2`): the id starts a word.
    if (spelled.length === 0 || !name.endsWith(spelled)) continue;
    const words = context.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
    for (let start = 1; start < words.length; start += 1)
      if (words.slice(start).join("").toLowerCase() === spelled) return true;
  }
  return false;
}

/** `MISTRAL` and `mistral`: a name that only repeats its value. */
function sameName(context: string | undefined, id: string): boolean {
  return (
    context !== undefined &&
    context.replace(/[^a-z0-9]/gi, "").toLowerCase() === id.replace(/[^a-z0-9]/gi, "").toLowerCase()
  );
}

/** `ollama pull|run|create|show|cp|push|rm <model>` on a command line. */
const OLLAMA_COMMAND = /\bollama\s+(?:pull|run|show|push)\s+(?:-{1,2}[\w-]+\s+)*["']?([A-Za-z0-9][\w.\-/:]{0,150})/g;

/**
 * Models an Ollama command names (`ollama pull llama3.2`, `!ollama run qwen2.5:7b` in a notebook,
 * `RUN ollama pull nomic-embed-text` in a Dockerfile): the argument is a model by construction,
 * whatever its family, so no catalog pattern is needed. Placeholders (`$MODEL`, `<model>`) never match.
 */
export function ollamaCommandModels(line: string): ModelMatch[] {
  if (!line.includes("ollama")) return [];
  const out: ModelMatch[] = [];
  for (const m of line.matchAll(OLLAMA_COMMAND)) {
    const id = m[1]?.replace(/[.:]+$/, "");
    if (id && id.length >= 2 && !NOT_A_MODEL.test(id) && !out.some((o) => o.id === id))
      out.push({ id, provider: "ollama" });
  }
  return out;
}
