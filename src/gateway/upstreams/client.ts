/**
 * Calling upstreams: one keep-alive undici pool per upstream, connect and read timeouts, a
 * concurrency cap per upstream, retry on connect failure, failover to the next upstream for the
 * model, and passive health (an upstream that failed to connect is skipped for a while).
 */
import type { Readable } from "node:stream";
import { Pool } from "undici";
import type { UpstreamConfig } from "../../core/index.js";
import { GatewayError } from "../errors.js";
import { UPSTREAM_KIND_SPECS, type UpstreamKindSpec } from "./kinds.js";

export interface Upstream {
  readonly config: UpstreamConfig;
  readonly spec: UpstreamKindSpec;
  /** Requests in flight now. */
  readonly inflight: number;
  readonly healthy: boolean;
}

export interface UpstreamResponse {
  upstream: Upstream;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** Give the upstream's concurrency slot back; call once the body is consumed or abandoned. */
  release(): void;
}

export interface UpstreamCall {
  path: (spec: UpstreamKindSpec) => string;
  /** Body per upstream (the model name is rewritten to the upstream's own). */
  body: (upstream: Upstream, model: string) => string;
  method?: "POST" | "GET";
  signal: AbortSignal;
}

/** After a connect failure an upstream is skipped for this long, unless it is the last choice. */
const UNHEALTHY_MS = 5_000;

class PooledUpstream implements Upstream {
  readonly spec: UpstreamKindSpec;
  readonly pool: Pool;
  inflight = 0;
  unhealthyUntil = 0;
  /** Requests waiting for a concurrency slot, first come first served. */
  readonly waiters: (() => void)[] = [];

  slotFreed() {
    this.waiters.shift()?.();
  }

  constructor(readonly config: UpstreamConfig) {
    this.spec = UPSTREAM_KIND_SPECS[config.kind];
    this.pool = new Pool(new URL(config.url).origin, {
      connections: Math.max(8, config.maxConcurrency),
      connectTimeout: config.connectTimeoutMs,
      headersTimeout: config.readTimeoutMs,
      bodyTimeout: config.readTimeoutMs,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  get healthy() {
    return Date.now() >= this.unhealthyUntil;
  }
}

export interface Target {
  upstream: Upstream;
  /** The model name to send to this upstream (after aliases). */
  model: string;
}

export interface UpstreamPool {
  readonly upstreams: readonly Upstream[];
  /** Send to the first target that accepts, failing over on connect errors. */
  send(targets: readonly Target[], call: UpstreamCall): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

/**
 * Failures before the request reached the upstream: safe to retry and to fail over. A reset
 * after sending is not in this list, since the upstream may already be generating (and billing).
 */
const CONNECT_ERRORS = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** How long a request waits for a concurrency slot before it is refused with 429. */
const QUEUE_TIMEOUT_MS = 30_000;

function waitForSlot(upstreams: readonly PooledUpstream[], signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const waiters = upstreams.map((u) => ({ u, wake: () => finish(true) }));
    const timer = setTimeout(() => finish(false), QUEUE_TIMEOUT_MS);
    const onAbort = () => finish(false);
    signal.addEventListener("abort", onAbort, { once: true });
    function finish(ok: boolean) {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      for (const { u, wake } of waiters) {
        const i = u.waiters.indexOf(wake);
        if (i >= 0) u.waiters.splice(i, 1);
      }
      resolve(ok);
    }
    if (signal.aborted) return finish(false);
    for (const { u, wake } of waiters) u.waiters.push(wake);
  });
}

export function createUpstreamPool(configs: readonly UpstreamConfig[]): UpstreamPool {
  const upstreams = configs.map((c) => new PooledUpstream(c));

  async function attempt(u: PooledUpstream, model: string, call: UpstreamCall): Promise<UpstreamResponse> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    };
    if (u.config.apiKeyEnv && process.env[u.config.apiKeyEnv])
      headers.authorization = `Bearer ${process.env[u.config.apiKeyEnv]}`;
    const base = new URL(u.config.url).pathname.replace(/\/$/, "");
    const path = `${base}${call.path(u.spec)}`.replace(/^\/\/+/, "/");
    u.inflight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        u.inflight--;
        u.slotFreed();
      }
    };
    try {
      const method = call.method ?? "POST";
      const response = await u.pool.request({
        method,
        path,
        headers,
        ...(method === "POST" ? { body: call.body(u, model) } : {}),
        signal: call.signal,
      });
      u.unhealthyUntil = 0;
      return { upstream: u, status: response.statusCode, headers: response.headers, body: response.body, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  async function send(targets: readonly Target[], call: UpstreamCall): Promise<UpstreamResponse> {
    const pooled = targets.map((t) => ({ upstream: t.upstream as PooledUpstream, model: t.model }));
    // Healthy ones first, keeping the configured order; unhealthy ones stay as a last resort.
    const ordered = [...pooled.filter((t) => t.upstream.healthy), ...pooled.filter((t) => !t.upstream.healthy)];
    let lastError: unknown;
    let busy = 0;
    for (const { upstream, model } of ordered) {
      if (upstream.inflight >= upstream.config.maxConcurrency) {
        busy++;
        continue;
      }
      // One retry on the same upstream for a connect failure (a restarted server, a stale socket).
      for (let tries = 0; tries < 2; tries++) {
        try {
          return await attempt(upstream, model, call);
        } catch (error) {
          // Our own refusals (e.g. an endpoint this upstream kind does not have) pass unchanged.
          if (call.signal.aborted || error instanceof GatewayError) throw error;
          lastError = error;
          const code = (error as { code?: string }).code ?? "";
          if (code === "UND_ERR_HEADERS_TIMEOUT") {
            throw new GatewayError("upstream_timeout", `upstream ${upstream.config.name} did not answer in time`, {
              cause: error,
            });
          }
          if (!CONNECT_ERRORS.has(code)) {
            throw new GatewayError("upstream_error", `upstream ${upstream.config.name} failed`, { cause: error });
          }
          upstream.unhealthyUntil = Date.now() + UNHEALTHY_MS;
        }
      }
    }
    if (busy > 0 && busy === ordered.length) {
      // Every upstream is at its cap: wait in line for a slot (bounded), then try again.
      if (
        await waitForSlot(
          ordered.map((t) => t.upstream),
          call.signal,
        )
      )
        return send(targets, call);
      throw new GatewayError("rate_limit_exceeded", "every upstream for this model stayed at its concurrency limit", {
        retryAfterSeconds: 1,
      });
    }
    throw new GatewayError("upstream_error", "no upstream for this model could be reached", { cause: lastError });
  }

  return {
    upstreams,
    send,
    async close() {
      await Promise.all(upstreams.map((u) => u.pool.close()));
    },
  };
}
