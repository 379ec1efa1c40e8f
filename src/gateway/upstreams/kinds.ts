/**
 * What differs between inference servers, as one table: paths and capabilities. Every kind is
 * driven by the same engine (upstreams/client.ts); only Ollama's native API has its own wire
 * format (NDJSON), handled by the native routes.
 */
import type { UpstreamConfig } from "../../core/index.js";

export interface UpstreamKindSpec {
  chatPath: string;
  completionsPath: string;
  embeddingsPath: string;
  modelsPath: string;
  /** Honours `stream_options.include_usage` (usage in the final stream chunk). */
  streamUsage: boolean;
  /** Native Ollama endpoints, when the server is Ollama. */
  native?: { chatPath: string; generatePath: string };
}

const OPENAI_PATHS = {
  chatPath: "/v1/chat/completions",
  completionsPath: "/v1/completions",
  embeddingsPath: "/v1/embeddings",
  modelsPath: "/v1/models",
};

export const UPSTREAM_KIND_SPECS: Readonly<Record<UpstreamConfig["kind"], UpstreamKindSpec>> = {
  openai: { ...OPENAI_PATHS, streamUsage: true },
  vllm: { ...OPENAI_PATHS, streamUsage: true },
  // llama.cpp's server and TGI's Messages API follow OpenAI's paths; both send usage when asked.
  llamacpp: { ...OPENAI_PATHS, streamUsage: true },
  tgi: { ...OPENAI_PATHS, streamUsage: true },
  ollama: { ...OPENAI_PATHS, streamUsage: true, native: { chatPath: "/api/chat", generatePath: "/api/generate" } },
};
