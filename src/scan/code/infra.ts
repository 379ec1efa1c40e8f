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
