/**
 * Inference servers and GPUs in deployment files: Dockerfile `FROM`, compose / Kubernetes /
 * Helm `image:` (and Helm's `repository:` + `tag:`), `nvidia.com/gpu` requests and compose GPU
 * reservations. Line-based on purpose: Helm templates are not valid YAML until rendered.
 */
import type { InferenceServerEntry } from "./catalog.js";

export interface InferenceServerUse {
  name: string;
  image: string;
  file: string;
  line: number;
}

export interface GpuUse {
  file: string;
  line: number;
  /** `nvidia.com/gpu: 2`, or `compose: nvidia` for a compose device reservation. */
  request: string;
}

/**
 * Hosts of AI provider APIs, for raw HTTP calls made without an SDK. Each entry: a host pattern
 * (anchored, matched against a URL's host and port) and the provider it belongs to. Sources:
 * each provider's API reference (base URL of its REST API); Ollama's default port 11434
 * (https://github.com/ollama/ollama/blob/main/docs/api.md).
 */
export const AI_ENDPOINTS: readonly { host: RegExp; provider: string }[] = [
  { host: /^api\.openai\.com$/, provider: "openai" },
  { host: /^[\w-]+\.openai\.azure\.com$/, provider: "azure-openai" },
  { host: /^[\w-]+\.(services|cognitiveservices)\.ai\.azure\.com$/, provider: "azure-openai" },
  { host: /^api\.anthropic\.com$/, provider: "anthropic" },
  { host: /^generativelanguage\.googleapis\.com$/, provider: "google" },
  { host: /^([\w-]+-)?aiplatform\.googleapis\.com$/, provider: "google" },
  { host: /^bedrock-(agent-)?runtime\.[\w-]+\.amazonaws\.com$/, provider: "aws-bedrock" },
  { host: /^api\.mistral\.ai$/, provider: "mistral" },
  { host: /^api\.cohere\.(ai|com)$/, provider: "cohere" },
  { host: /^api\.groq\.com$/, provider: "groq" },
  { host: /^api\.together\.(xyz|ai)$/, provider: "together" },
  { host: /^api\.fireworks\.ai$/, provider: "fireworks" },
  { host: /^api\.deepseek\.com$/, provider: "deepseek" },
  { host: /^api\.x\.ai$/, provider: "xai" },
  { host: /^api\.perplexity\.ai$/, provider: "perplexity" },
  { host: /^openrouter\.ai$/, provider: "openrouter" },
  { host: /^api\.replicate\.com$/, provider: "replicate" },
  { host: /^(api-inference|router)\.huggingface\.co$/, provider: "huggingface" },
  { host: /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal|ollama):11434$/, provider: "ollama" },
];

/** Cheap test for a text that may name one of AI_ENDPOINTS (for pre-filters). */
export const AI_ENDPOINT_HINT =
  /api\.openai\.com|openai\.azure\.com|ai\.azure\.com|api\.anthropic\.com|googleapis\.com|bedrock-(agent-)?runtime|api\.mistral\.ai|api\.cohere\.|api\.groq\.com|api\.together\.|api\.fireworks\.ai|api\.deepseek\.com|api\.x\.ai|api\.perplexity\.ai|openrouter\.ai|api\.replicate\.com|huggingface\.co|:11434/;

/** An AI API endpoint named in a string. */
export interface AiEndpointMatch {
  host: string;
  provider: string;
}

const HOST_IN_TEXT = /(?:^|\/\/|["'`\s(=])((?:[\w-]+\.)*[\w-]+(?::\d{2,5})?|\[::1\]:\d{2,5})(?=[/"'`\s?#)]|$)/g;

/** The first AI endpoint a string names (`https://api.openai.com/v1/...`, `localhost:11434`). */
export function matchAiEndpoint(text: string): AiEndpointMatch | undefined {
  if (text.length > 4096 || !AI_ENDPOINT_HINT.test(text)) return undefined;
  for (const m of text.matchAll(HOST_IN_TEXT)) {
    const host = (m[1] ?? "").toLowerCase();
    for (const e of AI_ENDPOINTS) if (e.host.test(host)) return { host, provider: e.provider };
    const bare = host.replace(/:\d+$/, "");
    if (bare !== host) for (const e of AI_ENDPOINTS) if (e.host.test(bare)) return { host: bare, provider: e.provider };
  }
  return undefined;
}

/** Repository part of an image reference, without default registry, tag or digest. */
export function imageRepository(image: string): string {
  let ref = image.replace(/@sha256:[a-f0-9]+$/i, "");
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) ref = ref.slice(0, colon);
  return ref.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "").replace(/^library\//, "");
}

/** Which inference server an image is, if catalogued. */
export function matchInferenceImage(image: string, servers: readonly InferenceServerEntry[]): string | undefined {
  const repo = imageRepository(image).toLowerCase();
  for (const server of servers) {
    for (const pattern of server.images) {
      const p = pattern.toLowerCase();
      if (p.endsWith("*") ? repo.startsWith(p.slice(0, -1)) : repo === p) return server.name;
    }
  }
  return undefined;
}

/** Scan a Dockerfile or a YAML deployment file line by line. */
export function scanDeploymentText(
  text: string,
  file: string,
  servers: readonly InferenceServerEntry[],
): { inferenceServers: InferenceServerUse[]; gpus: GpuUse[] } {
  const inferenceServers: InferenceServerUse[] = [];
  const gpus: GpuUse[] = [];
  const lines = text.split(/\r?\n/);
  let pendingRepo: { repo: string; line: number } | undefined;
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(line);
    const image = /^\s*(?:-\s*)?image:\s*["']?([^"'\s#{}]+)["']?\s*(#.*)?$/.exec(line);
    const ref = from?.[1] ?? image?.[1];
    if (ref) {
      const name = matchInferenceImage(ref, servers);
      if (name) inferenceServers.push({ name, image: ref, file, line: number });
    }
    const repo = /^\s*repository:\s*["']?([^"'\s#{}]+)["']?\s*$/.exec(line);
    if (repo?.[1]) pendingRepo = { repo: repo[1], line: number };
    const tag = /^\s*tag:\s*["']?([^"'\s#{}]+)["']?\s*$/.exec(line);
    if (pendingRepo && (tag || number - pendingRepo.line > 4)) {
      const name = matchInferenceImage(pendingRepo.repo, servers);
      const full = tag?.[1] ? `${pendingRepo.repo}:${tag[1]}` : pendingRepo.repo;
      if (name) inferenceServers.push({ name, image: full, file, line: pendingRepo.line });
      pendingRepo = undefined;
    }
    const gpu = /nvidia\.com\/gpu["']?\s*:\s*["']?(\d+)/.exec(line);
    if (gpu) gpus.push({ file, line: number, request: `nvidia.com/gpu: ${gpu[1]}` });
    else if (/^\s*(-\s*)?driver:\s*["']?nvidia/.test(line))
      gpus.push({ file, line: number, request: "compose: nvidia" });
  }
  if (pendingRepo) {
    const name = matchInferenceImage(pendingRepo.repo, servers);
    if (name) inferenceServers.push({ name, image: pendingRepo.repo, file, line: pendingRepo.line });
  }
  return { inferenceServers, gpus };
}
