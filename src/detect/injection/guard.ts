/**
 * Client for an external guard model the user serves locally (a classifier behind HTTP, e.g. a
 * Prompt Guard or deberta server). Bounded by a timeout; what a failure means is the caller's
 * explicit fail mode. The only network I/O of the detector, constructed by composition roots.
 */
import type { ExternalGuard } from "./detector.js";
import type { InjectionMode } from "./types.js";

export interface ExternalGuardOptions {
  /** POST endpoint; receives `{"text": ..., "mode": ...}` (or `{"inputs": ...}` with `hfStyle`). */
  url: string;
  name?: string;
  /** Milliseconds before the call is abandoned. Default 300. */
  timeoutMs?: number;
  failMode?: "fail-open" | "fail-closed";
  /** Weight of its score in the combination. Default 1. */
  weight?: number;
  /** Send `{"inputs": text}` like Hugging Face text-classification servers do. */
  hfStyle?: boolean;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const ATTACK_LABEL = /inject|jailbreak|malicious|unsafe|attack|label_1|^1$/i;
const BENIGN_LABEL = /benign|safe|label_0|^0$|legit/i;

/** Build an external guard client. */
export function createExternalGuard(options: ExternalGuardOptions): ExternalGuard {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 300;
  return {
    name: options.name ?? "http",
    weight: options.weight ?? 1,
    failMode: options.failMode ?? "fail-closed",
    async score(text: string, mode: InjectionMode): Promise<number> {
      const body = options.hfStyle ? { inputs: text } : { text, mode };
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      try {
        const response = await doFetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return toGuardScore(await response.json());
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Read a guard's answer: `{score}`, `{injection_score}`, `{probability}`, or text-classification
 * lists `[{label, score}]` (possibly nested once). Throws when no score can be found.
 */
export function toGuardScore(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value)) {
    const items = (Array.isArray(value[0]) ? value[0] : value) as unknown[];
    for (const item of items) {
      if (typeof item !== "object" || item === null) continue;
      const { label, score } = item as { label?: unknown; score?: unknown };
      if (typeof label !== "string" || typeof score !== "number") continue;
      if (ATTACK_LABEL.test(label)) return score;
    }
    for (const item of items) {
      const { label, score } = (item ?? {}) as { label?: unknown; score?: unknown };
      if (typeof label === "string" && typeof score === "number" && BENIGN_LABEL.test(label)) return 1 - score;
    }
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of ["injection_score", "score", "probability", "jailbreak_score"]) {
      const v = record[key];
      if (typeof v === "number" && Number.isFinite(v)) return v;
    }
  }
  throw new Error("guard answer has no score");
}
