/**
 * One JSON POST with a time limit per attempt and retries with exponential backoff, shared by
 * the webhook and OTLP sinks. Retried: network errors, timeouts, 5xx, and 408/429 (the receiver
 * asks to come back later). Not retried: any other 4xx, which the same request would get again.
 */
import { type Dispatcher, request } from "undici";
import { AlertDeliveryError } from "./types.js";

export interface PostOptions {
  /** Sink name, for errors. */
  sink: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** One attempt's time limit (ms). */
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  /** Wait before the first retry (ms); doubles for each further one, at most `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  dispatcher?: Dispatcher;
}

/** POST `body` as JSON; resolves on a 2xx answer, rejects with AlertDeliveryError otherwise. */
export async function postJson(options: PostOptions): Promise<void> {
  const backoff = options.backoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    try {
      await postOnce(options);
      return;
    } catch (error) {
      const retryable = error instanceof AlertDeliveryError && error.retryable;
      if (!retryable || attempt >= options.retries) throw error;
      await sleep(Math.min(maxBackoff, backoff * 2 ** attempt));
    }
  }
}

async function postOnce(options: PostOptions): Promise<void> {
  let statusCode: number;
  try {
    const response = await request(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    statusCode = response.statusCode;
    // Read (and bound) the answer so the connection goes back to the pool.
    await response.body.dump({ limit: 64 * 1024 });
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name.includes("Timeout"));
    const reason = timedOut ? `no answer within ${options.timeoutMs} ms` : `network error (${errorCode(cause)})`;
    throw new AlertDeliveryError(options.sink, reason, { retryable: true, cause });
  }
  if (statusCode >= 200 && statusCode < 300) return;
  const retryable = statusCode >= 500 || statusCode === 408 || statusCode === 429;
  throw new AlertDeliveryError(options.sink, `HTTP ${statusCode}`, { status: statusCode, retryable });
}

/** A short, URL-free description of a network failure (`ECONNREFUSED`). */
function errorCode(cause: unknown): string {
  if (cause && typeof cause === "object") {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const name = (cause as { name?: unknown }).name;
    if (typeof name === "string") return name;
  }
  return "unknown";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
