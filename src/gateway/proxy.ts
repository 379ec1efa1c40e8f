/**
 * The request pipeline, the same for every endpoint in endpoints.ts, as named stages (each in
 * stages/): authenticate → parse → authorize → admit → guard in → upstream → guard out →
 * audit. Errors answer in OpenAI's shape; every request, refused or not, leaves one audit event.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../core/index.js";
import type { CompiledPolicy, PolicyHolder } from "../policy/index.js";
import type { AuditWriter } from "./audit.js";
import type { Authenticator } from "./auth.js";
import type { EndpointSpec } from "./endpoints.js";
import { GatewayError, sendError, toErrorResponse } from "./errors.js";
import type { GuardDetectors, OffThreadAnalyser } from "./guards.js";
import { type BodyTimeouts, discardBody } from "./http.js";
import { stringifyYielding } from "./json-yielding.js";
import type { Limiter } from "./limits.js";
import type { GatewayMetrics } from "./metrics.js";
import type { ModelRouter } from "./router.js";
import { admitRequest, estimateTokens } from "./stages/admit.js";
import { sendWhole, streamAnswer, wholeAnswer } from "./stages/answer.js";
import { auditEvent } from "./stages/audit-event.js";
import { authorizeRequest } from "./stages/authorize.js";
import { guardPrompt } from "./stages/guard-prompt.js";
import { parseRequest } from "./stages/parse.js";
import type { Json, RequestState } from "./stages/state.js";
import { relayUpstreamError } from "./stages/upstream-error.js";
import { endRequestSpan, startRequestSpan } from "./telemetry.js";
import type { UpstreamPool } from "./upstreams/client.js";

export { USE_CASE_HEADER } from "./stages/authorize.js";

/** Prompts at least this long are serialised for the upstream in pieces (json-yielding.ts). */
const LARGE_BODY_CHARS = 1 << 20;
/** Stands for the model name in a body serialised before the upstream is chosen (unguessable). */
const MODEL_PLACEHOLDER = `palisade-model-${randomUUID()}`;

export interface ProxyDeps {
  auth: Authenticator;
  policy: PolicyHolder;
  router: ModelRouter;
  upstreams: UpstreamPool;
  limiter: Limiter;
  /** Detectors for a policy (its custom recognisers and thresholds); cached per policy by the caller. */
  detectors: (policy: CompiledPolicy) => GuardDetectors;
  /** Worker threads for large texts (none: everything is scanned on the event loop). */
  pool?: (policy: CompiledPolicy) => OffThreadAnalyser;
  /** Parse a large request body in a worker thread. */
  parseLarge?: (bytes: Uint8Array) => Promise<unknown>;
  audit: AuditWriter;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  bodyTimeouts?: BodyTimeouts;
  logger: Logger;
  /** Key for the HMAC of raw prompts kept in audit events for correlation. */
  hashKey: string;
}

/** A new request's state: the gateway's own id, whatever id the client sent. */
export function newRequestState(
  endpoint: EndpointSpec,
  route: string,
  req: IncomingMessage,
  res: ServerResponse,
): RequestState {
  return {
    requestId: randomUUID(),
    started: performance.now(),
    endpoint,
    route,
    req,
    res,
    abort: new AbortController(),
    record: { endpoint: endpoint.id, route, stream: false },
    prompt: { parts: [], length: 0 },
    tools: [],
    answerText: "",
    status: 200,
    upstreamMs: 0,
  };
}

export async function handleProxy(
  endpoint: EndpointSpec,
  route: string,
  req: IncomingMessage,
  res: ServerResponse,
  deps: ProxyDeps,
): Promise<void> {
  const state = newRequestState(endpoint, route, req, res);
  let finished = false;
  // The client left: cancel the upstream call, whatever the guards still hold back.
  const onGone = () => {
    if (!finished) state.abort.abort(new Error("client disconnected"));
  };
  res.on("close", onGone);
  req.socket.on("close", onGone);
  deps.metrics.inflight.inc();
  const span = startRequestSpan(endpoint.id, req.headers.traceparent as string | undefined);

  try {
    try {
      state.identity = await deps.auth.authenticate(req.headers.authorization);
    } catch (error) {
      discardBody(req, res);
      throw error;
    }
    state.policy = deps.policy.current();
    let body = await parseRequest(state, {
      maxBodyBytes: deps.maxBodyBytes,
      ...(deps.bodyTimeouts ? { timeouts: deps.bodyTimeouts } : {}),
      ...(deps.parseLarge ? { parseLarge: deps.parseLarge } : {}),
    }).catch((error: unknown) => {
      // A body cut short (408, 413) must not keep the connection; a complete but bad one may.
      if (!req.complete) discardBody(req, res);
      throw error;
    });
    body = authorizeRequest(state, body);
    const model = state.model as string;
    const targets = deps.router.targets(model);
    if (targets.length === 0)
      throw new GatewayError("model_not_found", `the model ${model} does not exist or is not served here`, {
        param: "model",
      });
    await admitRequest(state, deps.limiter, deps.logger);
    const policy = state.policy;
    body = await guardPrompt(state, body, {
      detectors: deps.detectors(policy),
      hashKey: deps.hashKey,
      ...(deps.pool ? { pool: deps.pool(policy) } : {}),
    });
    await forward(state, body, targets, deps);
  } catch (error) {
    if (state.abort.signal.aborted && !res.writableEnded) {
      state.status = 499;
      res.destroy();
    } else {
      state.status = toErrorResponse(error, state.requestId).status;
      if (state.status >= 500)
        deps.logger.warn(
          {
            requestId: state.requestId,
            err: (error as Error)?.message,
            cause: ((error as Error)?.cause as Error | undefined)?.message,
          },
          "gateway request failed",
        );
      if (!res.headersSent) sendError(res, error, state.requestId);
      else if (!res.writableEnded) res.destroy();
    }
    state.record.error =
      error instanceof GatewayError ? { code: error.code, message: error.message } : { code: "internal_error" };
  } finally {
    finished = true;
    req.socket.off("close", onGone);
    deps.metrics.inflight.dec();
    await finish(state, deps, span);
  }
}

async function forward(
  state: RequestState,
  body: Json,
  targets: ReturnType<ModelRouter["targets"]>,
  deps: ProxyDeps,
): Promise<void> {
  const { endpoint, res, policy, access, guards } = state;
  if (!policy || !access || !guards) throw new Error("forward runs after the guards");
  const stream = endpoint.streams(body);
  state.record.stream = stream;
  if (stream) {
    state.record.streamMode = policy.runtime.guards.streaming;
    body = endpoint.withStreamUsage(body);
  }
  // Large bodies are serialised once, giving the loop back between pieces; the model name is
  // set per upstream by replacing the placeholder written here.
  const large = state.prompt.length >= LARGE_BODY_CHARS;
  const serialised = large ? await stringifyYielding({ ...body, model: MODEL_PLACEHOLDER }) : undefined;
  const upstreamStarted = performance.now();
  const response = await deps.upstreams.send(targets, {
    path: (spec) => {
      const path = endpoint.path(spec);
      if (!path) throw new GatewayError("not_found", `${endpoint.id} is not available on this upstream`);
      return path;
    },
    body: (_upstream, upstreamModel) =>
      serialised
        ? serialised.replace(`"${MODEL_PLACEHOLDER}"`, () => JSON.stringify(upstreamModel))
        : JSON.stringify({ ...body, model: upstreamModel }),
    signal: state.abort.signal,
  });
  state.upstreamMs = performance.now() - upstreamStarted;
  state.record.upstream = response.upstream.config.name;
  state.upstream = {
    name: response.upstream.config.name,
    kind: response.upstream.config.kind,
    url: response.upstream.config.url,
  };
  try {
    if (response.status >= 400) {
      state.status = response.status;
      await relayUpstreamError(state, response, deps.detectors(policy));
      return;
    }
    const overheadMs = performance.now() - state.started - state.upstreamMs;
    const headers = {
      "x-palisade-request-id": state.requestId,
      "x-palisade-overhead-ms": overheadMs.toFixed(2),
    };
    if (stream) {
      const result = await streamAnswer(state, response, guards, access.allowsTool, headers);
      if (result.usage) state.usage = result.usage;
      state.status = result.status;
    } else {
      const result = await wholeAnswer(state, response, guards, access.allowsTool);
      if (result.usage) state.usage = result.usage;
      if (result.block) throw result.block;
      sendWhole(res, result.body, headers);
    }
    deps.metrics.overhead.observe({ endpoint: endpoint.id, stream: String(stream) }, overheadMs / 1000);
    state.record.overheadMs = Math.round(overheadMs * 100) / 100;
  } finally {
    response.release();
  }
}

/** Reconcile the budget, count, trace and audit: runs for every request, whatever happened. */
async function finish(state: RequestState, deps: ProxyDeps, span: ReturnType<typeof startRequestSpan>) {
  const { usage, guards } = state;
  guards?.finish();
  const actual = usage
    ? usage.prompt + usage.completion
    : estimateTokens(state.prompt.length + state.answerText.length);
  await state.admission
    ?.finish(actual)
    .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, "limiter reconcile failed"));
  if (usage) {
    deps.metrics.tokens.inc({ kind: "prompt" }, usage.prompt);
    deps.metrics.tokens.inc({ kind: "completion" }, usage.completion);
  }
  const latencyMs = performance.now() - state.started;
  const endpointId = state.endpoint.id;
  deps.metrics.requests.inc({ endpoint: endpointId, status: String(state.status) });
  deps.metrics.latency.observe({ endpoint: endpointId, stream: String(state.record.stream) }, latencyMs / 1000);
  for (const v of guards?.verdicts ?? [])
    deps.metrics.guardOutcomes.inc({ guard: v.guard, direction: v.direction, outcome: v.outcome });
  endRequestSpan(span, {
    status: state.status,
    guards: guards?.verdicts ?? [],
    ...(state.model ? { model: state.model } : {}),
    ...(state.upstream ? { upstream: state.upstream } : {}),
    ...(usage ? { usage } : {}),
    ...(state.identity ? { identity: state.identity.id } : {}),
  });
  recordAudit(state, deps, latencyMs, await promptHmac(state.prompt.parts, deps.hashKey));
}

/** HMAC of the raw prompt, fed a slice at a time with a yield between, so a huge prompt does not hold the loop. */
async function promptHmac(parts: readonly string[], key: string): Promise<string> {
  const hmac = createHmac("sha256", key);
  const SLICE = 1 << 20;
  let first = true;
  for (const part of parts) {
    if (!first) hmac.update("\n");
    first = false;
    for (let i = 0; i < part.length; i += SLICE) {
      hmac.update(part.slice(i, i + SLICE));
      if (part.length > SLICE) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return hmac.digest("hex");
}

/** The request's audit event (also used by the server for routes outside the pipeline). */
export function recordAudit(state: RequestState, deps: ProxyDeps, latencyMs: number, hmac?: string): void {
  const policy = deps.policy.current();
  const header = (name: string) => {
    const v = state.req.headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  deps.audit.record(
    auditEvent({
      requestId: state.requestId,
      clientRequestId: header("x-request-id"),
      traceparent: header("traceparent"),
      identity: state.identity,
      status: state.status,
      record: state.record,
      verdicts: state.guards?.verdicts ?? [],
      usage: state.usage,
      latencyMs,
      promptParts: state.prompt.parts,
      promptHmac: hmac ?? createHmac("sha256", deps.hashKey).update(state.prompt.parts.join("\n")).digest("hex"),
      answerText: state.answerText,
      prompts: policy.runtime.logging.prompts,
      detectors: deps.detectors(policy),
      ...(state.guards ? { known: state.guards.detectionsOf } : {}),
    }),
  );
}
