/**
 * The gateway's HTTP server. A small route table on node:http rather than a framework: the proxy
 * needs raw control of streaming writes, back-pressure and client disconnects, and there are only
 * a handful of routes. Draining: stop accepting, finish in-flight requests, flush the audit log.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Logger, listenOn } from "../core/index.js";
import { ENDPOINTS, type EndpointSpec } from "./endpoints.js";
import { GatewayError, sendError, toErrorResponse } from "./errors.js";
import { discardBody, sendJson } from "./http.js";
import { createModelLister } from "./model-list.js";
import { handleProxy, newRequestState, type ProxyDeps, recordAudit } from "./proxy.js";

export interface GatewayServer {
  readonly server: Server;
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /** Stop accepting, wait for in-flight requests (up to `graceMs`), flush audit events. */
  close(graceMs?: number): Promise<void>;
}

const PROXIED: Record<string, EndpointSpec> = {
  "/v1/chat/completions": ENDPOINTS.chat,
  "/v1/completions": ENDPOINTS.completions,
  "/v1/embeddings": ENDPOINTS.embeddings,
  "/api/chat": ENDPOINTS["ollama-chat"],
  "/api/generate": ENDPOINTS["ollama-generate"],
};

export function createGatewayServer(deps: ProxyDeps & { logger: Logger }): GatewayServer {
  let draining = false;
  const models = createModelLister(deps.router, deps.upstreams);
  const inflight = new Set<ServerResponse>();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const endpoint = PROXIED[path];
    if (endpoint && req.method === "POST") {
      await handleProxy(endpoint, path, req, res, deps);
      return;
    }
    // Probes are not audited (they come every few seconds and carry nothing); everything else is.
    if (req.method === "GET" && path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && path === "/readyz") {
      const ready = !draining && deps.upstreams.upstreams.some((u) => u.healthy);
      return sendJson(res, ready ? 200 : 503, {
        status: ready ? "ready" : draining ? "draining" : "no healthy upstream",
      });
    }
    const state = newRequestState(ENDPOINTS.chat, path, req, res);
    state.record.endpoint = path === "/v1/models" ? "models" : "none";
    state.record.method = req.method;
    try {
      if (endpoint) throw new GatewayError("method_not_allowed", `${req.method} is not allowed on ${path}; use POST`);
      if (req.method === "GET" && path === "/metrics") {
        const text = await deps.metrics.registry.metrics();
        res.writeHead(200, { "content-type": deps.metrics.registry.contentType });
        res.end(text);
        return;
      }
      if (req.method === "GET" && path === "/v1/models") {
        await listModels(req, res, state);
        return;
      }
      throw new GatewayError("not_found", `no route for ${req.method} ${path}`);
    } catch (error) {
      state.status = toErrorResponse(error, state.requestId).status;
      state.record.error =
        error instanceof GatewayError ? { code: error.code, message: error.message } : { code: "internal_error" };
      // Nothing outside the pipeline reads a body: refuse it without waiting for it.
      discardBody(req, res);
      sendError(res, error, state.requestId);
    } finally {
      recordAudit(state, deps, performance.now() - state.started);
    }
  }

  /** Only the models the caller may use, in OpenAI's list shape. */
  async function listModels(
    req: IncomingMessage,
    res: ServerResponse,
    state: ReturnType<typeof newRequestState>,
  ): Promise<void> {
    const identity = await deps.auth.authenticate(req.headers.authorization);
    state.identity = identity;
    const policy = deps.policy.current();
    const data = (await models.list())
      .filter(
        (model) =>
          policy.evaluate({
            kind: "request",
            identity: { id: identity.id, roles: identity.roles },
            route: "/v1/models",
            model,
            tools: [],
          }).decision !== "deny",
      )
      .map((id) => ({ id, object: "model", created: 0, owned_by: "palisade" }));
    sendJson(res, 200, { object: "list", data });
  }

  const server = createServer((req, res) => {
    inflight.add(res);
    res.on("close", () => inflight.delete(res));
    if (draining) res.setHeader("connection", "close");
    route(req, res).catch((error: unknown) => {
      const requestId = crypto.randomUUID();
      if (!(error instanceof GatewayError))
        deps.logger.error({ requestId, err: (error as Error)?.message }, "unhandled gateway error");
      if (!res.headersSent) sendError(res, error, requestId);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  // Bodies are read by the handlers with their own size limit.
  server.requestTimeout = 0;

  return {
    server,
    listen(host, port) {
      // A deep accept queue absorbs connection bursts instead of resetting them.
      return listenOn(server, host, port, 4096).then(({ host, port }) => ({ host, port }));
    },
    async close(graceMs = 10_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inflight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      server.closeAllConnections();
      await closed;
      await deps.audit.close();
      await deps.upstreams.close();
      await deps.limiter.close();
    },
  };
}
