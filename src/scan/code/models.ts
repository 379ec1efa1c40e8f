/**
 * Model identifiers: a string is a model only when a provider's naming pattern matches it, and,
 * for patterns that could be anything else (`org/name`, `o1`, `llama3`), only where the code or
 * config names it as a model (`model=`, `*_MODEL`, `from_pretrained(...)`, `deployment_name`).
 */
import type { AiCatalog } from "./catalog.js";

/** Names that say "this value is a model": arguments, variables, keys, env vars. */
const MODEL_CONTEXT = /model|deployment|engine|checkpoint|pretrained|repo_?id|llm|embedder|reranker/i;
/** Calls whose first argument is a model. */
const MODEL_CALLS =
  /^(from_pretrained|pipeline|SentenceTransformer|CrossEncoder|hf_hub_download|snapshot_download|Llama|LLM|ChatOllama|OllamaLLM|Ollama|OllamaEmbeddings|pull|ChatOpenAI|ChatAnthropic|ChatGoogleGenerativeAI|init_chat_model|GenerativeModel|getGenerativeModel|openai|anthropic|google|mistral|ollama|bedrock|azure|groq|cohere|Agent|languageModel|chatModel|textEmbeddingModel|embedding|completion|chat|ModelId|modelId|modelName|model|deploymentName)$/;
const DEPLOYMENT_CONTEXT =
  /azure\w*deployment|deployment\w*(azure|openai)|^(deployment_?name|deployment_?id|azure_?deployment|engine_?name)$/i;
/** Names whose values are container images, never models (`ollama/ollama:0.4.7`). */
const IMAGE_CONTEXT = /^(image|images|repository|from|base_?image)$/i;
/** Model-like names that hold a local path rather than a hub id. */
const PATH_CONTEXT = /path|dir|file|folder|url|uri|output|save|cache/i;
const NOT_A_MODEL =
  /\s|:\/\/|^[./~\\]|\$\{|\{\{|[<>|"'`]|\.(csv|json|jsonl|txt|md|py|js|ts|yaml|yml|toml|pt|pth|bin|gguf|safetensors|onnx|pkl|h5|ckpt|zip|tar|gz|png|jpg|html)$/i;

/** A recognised model id and the provider it belongs to. */
export interface ModelMatch {
  id: string;
  provider: string;
}

/** True when `context` (an argument, variable, key or callee name) marks a model. */
export function isModelContext(context: string | undefined): boolean {
  if (!context) return false;
  return MODEL_CONTEXT.test(context) || MODEL_CALLS.test(context);
}

/** Recognise `value` as a model id given the name that gives it meaning, or return undefined. */
export function matchModel(value: string, context: string | undefined, catalog: AiCatalog): ModelMatch | undefined {
  const id = value.trim();
  if (id.length < 2 || id.length > 200 || NOT_A_MODEL.test(id)) return undefined;
  if (context !== undefined && IMAGE_CONTEXT.test(context)) return undefined;
  const inContext = isModelContext(context);
  const deployment = context !== undefined && DEPLOYMENT_CONTEXT.test(context);
  for (const pattern of catalog.models) {
    if (pattern.strength === "context" && !inContext) continue;
    if (pattern.strength === "deployment" && !deployment) continue;
    if (pattern.strength === "hub" && (!inContext || /deploy/i.test(context ?? "") || PATH_CONTEXT.test(context ?? "")))
      continue;
    if (!pattern.regex.test(id)) continue;
    return { id, provider: deployment ? "azure-openai" : pattern.provider };
  }
  return undefined;
}
