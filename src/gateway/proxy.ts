/**
 * The proxy engine, the same for every endpoint in endpoints.ts: authenticate, authorise by
 * policy, route, admit under limits, guard the prompt, call the upstream, guard the answer
 * (streamed or not), and write one audit event. Errors answer in OpenAI's shape.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Event, Identity, Logger } from "../core/index.js";
import { redact } from "../detect/index.js";
import type { CompiledPolicy, PolicyHolder } from "../policy/index.js";
import { AUDIT_EVENT_KIND, type AuditWriter } from "./audit.js";
import type { Authenticator } from "./auth.js";
import type { EndpointSpec } from "./endpoints.js";
import { GatewayError, sendError, toErrorResponse } from "./errors.js";
import { createGuards, type GuardDetectors, type Guards } from "./guards.js";
import { readJson } from "./http.js";
import type { Limiter } from "./limits.js";
import type { GatewayMetrics } from "./metrics.js";
import type { ModelRouter } from "./router.js";
import { createNdjsonSplitter, createSseParser, formatSse } from "./sse.js";
import { endRequestSpan, startRequestSpan } from "./telemetry.js";
import type { UpstreamPool, UpstreamResponse } from "./upstreams/client.js";

export interface ProxyDeps {
  auth: Authenticator;
  policy: PolicyHolder;
  router: ModelRouter;
  upstreams: UpstreamPool;
  limiter: Limiter;
  /** Detectors for a policy (its custom recognisers and thresholds); cached per policy by the caller. */
  detectors: (policy: CompiledPolicy) => GuardDetectors;
  audit: AuditWriter;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  logger: Logger;
  /** Key for the HMAC of raw prompts kept in audit events for correlation. */
  hashKey: string;
}

type Json = Record<string, unknown>;

/** Answers larger than this from an upstream are refused rather than buffered (non-streamed). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const EXCERPT = 500;
/** Request header naming the caller's use case, checked against the roles' `useCases`. */
export const USE_CASE_HEADER = "x-palisade-use-case";

/** The use-case header's value: one short token, or a 400 naming the header. */
function useCaseOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(",") : value;
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(text))
    throw new GatewayError(
      "invalid_request",
      `${USE_CASE_HEADER} must be one token of letters, digits and . _ : - (at most 128 characters)`,
      { param: USE_CASE_HEADER },
    );
  return text;
}
/** A rough, tokenizer-free estimate used only to reserve budget; real usage reconciles it. */
const estimateTokens = (chars: number) => Math.ceil(chars / 4);

export async function handleProxy(
  endpoint: EndpointSpec,
  route: string,
  req: IncomingMessage,
  res: ServerResponse,
  deps: ProxyDeps,
): Promise<void> {
  const started = performance.now();
  const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 100) || randomUUID();
  const traceparent = req.headers.traceparent as string | undefined;
  const abort = new AbortController();
  let finished = false;
  res.on("close", () => {
    if (!finished) abort.abort(new Error("client disconnected"));
  });
  deps.metrics.inflight.inc();
  const span = startRequestSpan(endpoint.id, traceparent);
  let upstreamInfo: { name: string; kind: string; url: string } | undefined;

  const record: Json = { endpoint: endpoint.id, route, stream: false };
  let identity: Identity | undefined;
  let guards: Guards | undefined;
  let detectors: GuardDetectors | undefined;
  let status = 200;
  let usage: { prompt: number; completion: number } | undefined;
  let admission: { finish(actual: number): Promise<void> } | undefined;
  let reserved = 0;
  let upstreamMs = 0;
  let promptText = "";
  let answerText = "";

  try {
    identity = await deps.auth.authenticate(req.headers.authorization);
    const raw = await readJson(req, deps.maxBodyBytes);
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
      throw new GatewayError("invalid_request", "request body must be a JSON object");
    let body = raw as Json;
    const model = body.model;
    if (typeof model !== "string" || model === "")
      throw new GatewayError("invalid_request", "model is required", { param: "model" });
    record.model = model;

    const policy = deps.policy.current();
    const access = policy.access(identity);
    record.roles = access.roles;
    // max_tokens above the caller's cap is lowered to the cap; a missing one is set to it.
    const asked = endpoint.maxTokens(body);
    if (
      access.maxTokens !== undefined &&
      endpoint.id !== "embeddings" &&
      (asked === undefined || asked > access.maxTokens)
    ) {
      body = endpoint.withMaxTokens(body, access.maxTokens);
    }
    const tools = endpoint.tools(body);
    const useCase = useCaseOf(req.headers[USE_CASE_HEADER]);
    if (useCase !== undefined) record.useCase = useCase;
    const verdict = policy.evaluate({
      kind: "request",
      identity: { id: identity.id, roles: identity.roles },
      route,
      model,
      tools,
      maxTokens: endpoint.maxTokens(body),
      ...(useCase !== undefined ? { useCase } : {}),
    });
    record.policy = verdict;
    if (verdict.decision === "deny") {
      const reasons = verdict.reasons.filter((r) => r.decision === "deny" && !r.waivedBy);
      throw new GatewayError("permission_denied", reasons.map((r) => r.message).join("; "));
    }

    const targets = deps.router.targets(model);
    if (targets.length === 0)
      throw new GatewayError("model_not_found", `the model ${model} does not exist or is not served here`, {
        param: "model",
      });

    const messages = endpoint.messages(body);
    promptText = messages
      .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "")))
      .join("\n");
    reserved = estimateTokens(promptText.length) + (endpoint.maxTokens(body) ?? 0);
    let admitted: Awaited<ReturnType<Limiter["admit"]>>;
    try {
      admitted = await deps.limiter.admit(identity.id, access.limits, reserved);
    } catch (error) {
      // The limits store (Redis) is down: the policy's fail mode decides.
      deps.logger.warn({ requestId, err: (error as Error).message }, "limiter unavailable");
      if (policy.runtime.guards.failMode === "closed")
        throw new GatewayError("guard_unavailable", "rate limits cannot be checked right now; try again");
      record.limits = "unavailable (fail-open)";
      admitted = { ok: true, finish: async () => {} };
    }
    if (!admitted.ok) {
      record.limit = admitted.limit;
      throw new GatewayError("rate_limit_exceeded", `${admitted.limit} limit reached for ${identity.id}`, {
        retryAfterSeconds: admitted.retryAfterSeconds,
      });
    }
    admission = admitted;

    const systemTexts = () =>
      messages
        .filter((m) => m.role === "system")
        .map((m) => String(typeof m.content === "string" ? m.content : ""))
        .concat(policy.runtime.systemPrompts.map((s) => s.text));
    detectors = deps.detectors(policy);
    guards = createGuards(policy.runtime, detectors, systemTexts, deps.hashKey);
    const prompt = await guards.inspectPrompt(messages, route);
    if (prompt.block) throw prompt.block;
    body = endpoint.withMessages(body, prompt.messages);

    const stream = endpoint.streams(body);
    record.stream = stream;
    if (stream) {
      record.streamMode = policy.runtime.guards.streaming;
      body = endpoint.withStreamUsage(body);
    }
    const allowedTool = access.allowsTool;

    const upstreamStarted = performance.now();
    const response = await deps.upstreams.send(targets, {
      path: (spec) => {
        const path = endpoint.path(spec);
        if (!path) throw new GatewayError("not_found", `${endpoint.id} is not available on this upstream`);
        return path;
      },
      body: (_upstream, upstreamModel) => JSON.stringify({ ...body, model: upstreamModel }),
      signal: abort.signal,
    });
    upstreamMs = performance.now() - upstreamStarted;
    record.upstream = response.upstream.config.name;
    upstreamInfo = {
      name: response.upstream.config.name,
      kind: response.upstream.config.kind,
      url: response.upstream.config.url,
    };
    try {
      if (response.status >= 400) {
        status = response.status;
        await relayUpstreamError(response, res, requestId);
        return;
      }
      const overheadMs = performance.now() - started - upstreamMs;
      const headers = {
        "x-palisade-request-id": requestId,
        "x-palisade-overhead-ms": overheadMs.toFixed(2),
      };
      if (stream) {
        const result = await streamAnswer(endpoint, response, res, guards, allowedTool, headers, abort);
        usage = result.usage;
        answerText = result.text;
        status = result.status;
      } else {
        const result = await wholeAnswer(endpoint, response, guards, allowedTool);
        usage = result.usage;
        answerText = result.text;
        if (result.block) throw result.block;
        res.writeHead(200, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(result.body));
      }
      deps.metrics.overhead.observe({ endpoint: endpoint.id, stream: String(stream) }, overheadMs / 1000);
      record.overheadMs = Math.round(overheadMs * 100) / 100;
    } finally {
      response.release();
    }
  } catch (error) {
    if (abort.signal.aborted && !res.writableEnded) {
      status = 499;
      res.destroy();
    } else {
      status = toErrorResponse(error, requestId).status;
      if (status >= 500)
        deps.logger.warn(
          { requestId, err: (error as Error)?.message, cause: ((error as Error)?.cause as Error | undefined)?.message },
          "gateway request failed",
        );
      sendError(res, error, requestId);
    }
    record.error =
      error instanceof GatewayError ? { code: error.code, message: error.message } : { code: "internal_error" };
  } finally {
    finished = true;
    deps.metrics.inflight.dec();
    const actual = usage ? usage.prompt + usage.completion : estimateTokens(promptText.length + answerText.length);
    await admission
      ?.finish(actual)
      .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, "limiter reconcile failed"));
    if (usage) {
      deps.metrics.tokens.inc({ kind: "prompt" }, usage.prompt);
      deps.metrics.tokens.inc({ kind: "completion" }, usage.completion);
    }
    const latencyMs = performance.now() - started;
    deps.metrics.requests.inc({ endpoint: endpoint.id, status: String(status) });
    deps.metrics.latency.observe({ endpoint: endpoint.id, stream: String(record.stream) }, latencyMs / 1000);
    for (const v of guards?.verdicts ?? [])
      deps.metrics.guardOutcomes.inc({ guard: v.guard, direction: v.direction, outcome: v.outcome });
    endRequestSpan(span, {
      status,
      guards: guards?.verdicts ?? [],
      ...(typeof record.model === "string" ? { model: record.model } : {}),
      ...(upstreamInfo ? { upstream: upstreamInfo } : {}),
      ...(usage ? { usage } : {}),
      ...(identity ? { identity: identity.id } : {}),
    });
    deps.audit.record(
      auditEvent({
        requestId,
        traceparent,
        identity,
        status,
        record,
        guards,
        usage,
        latencyMs,
        promptText,
        answerText,
        hashKey: deps.hashKey,
        prompts: deps.policy.current().runtime.logging.prompts,
        redact: (t) => redactForAudit(t, detectors ?? deps.detectors(deps.policy.current())),
      }),
    );
  }
}

function auditEvent(a: {
  requestId: string;
  traceparent: string | undefined;
  identity: Identity | undefined;
  status: number;
  record: Json;
  guards: Guards | undefined;
  usage: { prompt: number; completion: number } | undefined;
  latencyMs: number;
  promptText: string;
  answerText: string;
  hashKey: string;
  /** The policy's `logging.prompts`: redacted excerpts, no excerpts (hash only), or raw excerpts. */
  prompts: "redacted" | "hashed" | "raw";
  redact: (text: string) => string;
}): Event {
  // Excerpts are stored redacted (placeholders) whatever the answer's own redaction style was;
  // raw only when the policy opts in, none at all under `hashed`.
  const excerpt = (text: string): string | undefined =>
    a.prompts === "hashed"
      ? undefined
      : a.prompts === "raw"
        ? text.slice(0, EXCERPT)
        : a.redact(text.slice(0, EXCERPT));
  const promptExcerpt = excerpt(a.promptText);
  const answerExcerpt = excerpt(a.answerText);
  const traceId = a.traceparent?.split("-")[1];
  return {
    id: a.requestId,
    kind: AUDIT_EVENT_KIND,
    time: Date.now(),
    ...(a.identity ? { identity: a.identity.id } : {}),
    correlation: { requestId: a.requestId, ...(traceId ? { traceId } : {}) },
    payload: {
      ...a.record,
      status: a.status,
      guards: a.guards?.verdicts ?? [],
      usage: a.usage ?? null,
      latencyMs: Math.round(a.latencyMs * 100) / 100,
      promptHmac: createHmac("sha256", a.hashKey).update(a.promptText).digest("hex"),
      promptLogging: a.prompts,
      ...(promptExcerpt !== undefined ? { promptExcerpt } : {}),
      ...(answerExcerpt !== undefined ? { answerExcerpt } : {}),
    },
  };
}

/** Audit excerpts are always redacted with placeholders, whatever the policy did to the traffic. */
function redactForAudit(text: string, detectors: GuardDetectors): string {
  try {
    return redact(text, detectors.sensitive.detect(text), { style: "placeholder" }).text;
  } catch {
    return "<excerpt withheld: redaction failed>";
  }
}

async function readAll(body: AsyncIterable<unknown>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new GatewayError("upstream_error", "the upstream's answer is too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function relayUpstreamError(response: UpstreamResponse, res: ServerResponse, requestId: string): Promise<void> {
  const text = await readAll(response.body, 1024 * 1024).catch(() => "");
  if (response.status >= 500)
    throw new GatewayError("upstream_error", `the upstream failed (status ${response.status})`);
  let message = `the upstream rejected the request (status ${response.status})`;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof m === "string") message = m.slice(0, 500);
  } catch {
    // Not JSON: keep the generic message rather than echo arbitrary upstream text.
  }
  res.writeHead(response.status, { "content-type": "application/json", "x-palisade-request-id": requestId });
  res.end(
    JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: "upstream_rejected" } }),
  );
}

async function wholeAnswer(
  endpoint: EndpointSpec,
  response: UpstreamResponse,
  guards: Guards,
  allowedTool: (t: string) => boolean,
) {
  const text = await readAll(response.body, MAX_ANSWER_BYTES);
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch (cause) {
    throw new GatewayError("upstream_error", "the upstream answered with invalid JSON", { cause });
  }
  let answer = "";
  let block: GatewayError | undefined;
  for (const slot of endpoint.answers(body)) {
    for (const name of slot.toolNames) block ??= guards.checkToolCall(name, allowedTool);
    const content = slot.get();
    if (content === undefined) continue;
    answer += content;
    const judged = guards.inspectAnswer(content);
    block ??= judged.block;
    slot.set(judged.text);
  }
  return { body, usage: endpoint.usage(body), text: answer, ...(block ? { block } : {}) };
}

async function streamAnswer(
  endpoint: EndpointSpec,
  response: UpstreamResponse,
  res: ServerResponse,
  guards: Guards,
  allowedTool: (t: string) => boolean,
  headers: Record<string, string>,
  abort: AbortController,
): Promise<{ usage?: { prompt: number; completion: number }; text: string; status: number }> {
  const sse = endpoint.framing === "sse";
  res.writeHead(200, {
    "content-type": sse ? "text/event-stream" : "application/x-ndjson",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
  const write = (frame: Json) => writeRaw(JSON.stringify(frame));
  const writeRaw = (payload: string) => res.write(sse ? formatSse(payload) : `${payload}\n`);
  const fail = (error: GatewayError, type: string) => {
    // Mid-stream refusal: an error event and no [DONE], so clients cannot mistake it for an answer.
    const body = { error: { message: error.message, type, param: null, code: type } };
    res.end(sse ? formatSse(JSON.stringify(body), "error") : `${JSON.stringify({ error: error.message })}\n`);
    abort.abort(new Error("stream blocked"));
  };
  const choiceGuards = new Map<number, ReturnType<Guards["streamGuard"]>>();
  const guardFor = (i: number) => {
    let g = choiceGuards.get(i);
    if (!g) {
      g = guards.streamGuard();
      choiceGuards.set(i, g);
    }
    return g;
  };
  let usage: { prompt: number; completion: number } | undefined;
  let text = "";
  let last: Json | undefined;
  const decoder = new TextDecoder();
  const parser = sse ? createSseParser() : undefined;
  const lines = sse ? undefined : createNdjsonSplitter();

  /**
   * Handle one upstream frame; returns false when the stream was ended (blocked). A frame the
   * guards left as it was is forwarded as the upstream's own text, without serialising it again.
   */
  const onFrame = (frame: Json, payload: string): boolean => {
    let changed = false;
    last = frame;
    usage = endpoint.usage(frame) ?? usage;
    const slots = endpoint.answers(frame);
    let hadText = false;
    let keep = slots.length === 0;
    for (const slot of slots) {
      for (const name of slot.toolNames) {
        const blocked = guards.checkToolCall(name, allowedTool);
        if (blocked) {
          fail(blocked, "tool_not_allowed");
          return false;
        }
      }
      const g = guardFor(slot.index);
      const content = slot.get();
      let out = "";
      if (content !== undefined && content !== "") {
        hadText = true;
        text += content;
        const r = g.push(content);
        if (r.block) {
          fail(r.block, "content_filter");
          return false;
        }
        out = r.text;
      }
      if (slot.finished) {
        const r = g.end();
        choiceGuards.delete(slot.index);
        if (r.block) {
          fail(r.block, "content_filter");
          return false;
        }
        out += r.text;
      }
      if ((content !== undefined || out !== "") && out !== content) {
        slot.set(out);
        changed = true;
      }
      if (out !== "" || slot.finished || slot.toolNames.length > 0 || !hadText) keep = true;
    }
    if (keep || usage) {
      if (changed) write(frame);
      else writeRaw(payload);
    }
    return true;
  };

  /** Release what open choices still hold (the upstream ended without finishing them). */
  const flushOpen = (): boolean => {
    for (const [index, g] of choiceGuards) {
      const r = g.end();
      if (r.block) {
        fail(r.block, "content_filter");
        return false;
      }
      if (r.text && last) {
        const frame = structuredClone(last);
        const slot = endpoint.answers(frame).find((s) => s.index === index);
        if (slot) {
          slot.set(r.text);
          write(frame);
        }
      }
    }
    choiceGuards.clear();
    return true;
  };

  let sawDone = false;
  let sawFinal = false;
  type Ended = { text: string; status: number; usage?: { prompt: number; completion: number } };
  const ended = (status: number): Ended => ({ text, status, ...(usage ? { usage } : {}) });
  /** Relay one upstream payload; returns how the answer ended when it ended here. */
  const onPayload = (payload: string): Ended | undefined => {
    if (payload === endpoint.doneMarker) {
      sawDone = true;
      if (!flushOpen()) return ended(400);
      res.write(formatSse(payload));
      return undefined;
    }
    let frame: Json;
    try {
      frame = JSON.parse(payload) as Json;
    } catch {
      fail(new GatewayError("upstream_error", "the upstream sent an invalid stream chunk"), "upstream_error");
      return ended(502);
    }
    if (frame.__upstream_error || (typeof frame.error === "object" && frame.error !== null)) {
      fail(new GatewayError("upstream_error", "the upstream reported an error mid-stream"), "upstream_error");
      return ended(502);
    }
    if (!onFrame(frame, payload)) return ended(400);
    if (!sse && frame.done === true) sawFinal = true;
    return undefined;
  };

  try {
    for await (const chunk of response.body) {
      const decoded = decoder.decode(chunk as Buffer, { stream: true });
      const payloads = parser
        ? parser.push(decoded).map((e) => (e.event === "error" ? `{"__upstream_error":true}` : e.data))
        : (lines?.push(decoded) ?? []);
      // Frames from one upstream read leave in one socket write.
      res.cork();
      try {
        for (const payload of payloads) {
          const end = onPayload(payload);
          if (end) return end;
        }
      } finally {
        if (!res.writableEnded) res.uncork();
      }
    }
  } catch (error) {
    if (abort.signal.aborted) throw error;
    // The upstream died mid-stream: release what is safe, then say so.
    if (flushOpen())
      fail(new GatewayError("upstream_error", "the upstream connection failed mid-stream"), "upstream_error");
    return ended(502);
  }
  if (!sawDone && !sawFinal) {
    if (flushOpen()) fail(new GatewayError("upstream_error", "the upstream ended the stream early"), "upstream_error");
    return ended(502);
  }
  if (!sse && !flushOpen()) return ended(400);
  res.end();
  return ended(200);
}
