/**
 * Inference servers and GPUs in deployment files: Dockerfile `FROM`, compose / Kubernetes /
 * Helm `image:` (and Helm's `repository:` + `tag:`), `nvidia.com/gpu` requests and compose GPU
 * reservations. Line-based on purpose: Helm templates are not valid YAML until rendered.
 */
import type { AiEndpointEntry, InferenceServerEntry } from "./catalog.js";

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

/** A cheap test for a text that may name one of `endpoints` (their literal hints), for pre-filters. */
export function endpointHint(endpoints: readonly AiEndpointEntry[]): RegExp | undefined {
  if (endpoints.length === 0) return undefined;
  const quote = (h: string) => h.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp([...new Set(endpoints.map((e) => e.hint))].map(quote).join("|"));
}

/** An AI API endpoint named in a string. */
export interface AiEndpointMatch {
  host: string;
  provider: string;
}

const HOST_IN_TEXT = /(?:^|\/\/|["'`\s(=])((?:[\w-]+\.)*[\w-]+(?::\d{2,5})?|\[::1\]:\d{2,5})(?=[/"'`\s?#)]|$)/g;

/**
 * The first AI endpoint a string names (`https://api.openai.com/v1/...`, `localhost:11434`), by
 * the host table of the catalog (`rules/ai-catalog/endpoints.yaml`).
 */
export function matchAiEndpoint(text: string, endpoints: readonly AiEndpointEntry[]): AiEndpointMatch | undefined {
  if (text.length > 4096 || !endpoints.some((e) => text.includes(e.hint))) return undefined;
  for (const m of text.matchAll(HOST_IN_TEXT)) {
    const host = (m[1] ?? "").toLowerCase();
    for (const e of endpoints) if (e.host.test(host)) return { host, provider: e.provider };
    const bare = host.replace(/:\d+$/, "");
    if (bare !== host) for (const e of endpoints) if (e.host.test(bare)) return { host: bare, provider: e.provider };
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
