/**
 * Guard-out stage: the upstream's answer, whole or streamed, through the answer guards (every
 * text field of it, tool rights on every kind of tool call), and the upstream's own errors
 * through the sanitiser so nothing of the upstream's internals reaches the client.
 */
import type { ServerResponse } from "node:http";
import { GatewayError } from "../errors.js";
import type { Guards } from "../guards.js";
import { createNdjsonSplitter, createSseParser, formatSse } from "../sse.js";
import type { UpstreamResponse } from "../upstreams/client.js";
import type { Json, RequestState, Usage } from "./state.js";

/** Answers larger than this from an upstream are refused rather than buffered (non-streamed). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export async function readAll(body: AsyncIterable<unknown>, limit: number): Promise<string> {
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

export async function wholeAnswer(
  state: RequestState,
  response: UpstreamResponse,
  guards: Guards,
  allowedTool: (t: string) => boolean,
): Promise<{ body: Json; usage?: Usage; block?: GatewayError }> {
  const text = await readAll(response.body, MAX_ANSWER_BYTES);
  let body: Json;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    body = parsed as Json;
  } catch (cause) {
    throw new GatewayError("upstream_error", "the upstream answered with invalid JSON", { cause });
  }
  const usage = state.endpoint.usage(body);
  const judged = guards.inspectAnswer(body, state.endpoint.fields.answer, allowedTool);
  state.answerText = judged.text;
  return { body, ...(usage ? { usage } : {}), ...(judged.block ? { block: judged.block } : {}) };
}

export async function streamAnswer(
  state: RequestState,
  response: UpstreamResponse,
  guards: Guards,
  allowedTool: (t: string) => boolean,
  headers: Record<string, string>,
): Promise<{ usage?: Usage; status: number }> {
  const { endpoint, res, abort } = state;
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
  const blockType = (error: GatewayError) =>
    error.code === "permission_denied" ? "tool_not_allowed" : "content_filter";
  const frames = guards.answerStream(endpoint.fields.answer, allowedTool);
  let usage: Usage | undefined;
  let last: Json | undefined;
  const decoder = new TextDecoder();
  const parser = sse ? createSseParser() : undefined;
  const lines = sse ? undefined : createNdjsonSplitter();
  type Ended = { status: number; usage?: Usage };
  const ended = (status: number): Ended => {
    state.answerText = frames.text;
    return { status, ...(usage ? { usage } : {}) };
  };

  /** Release what open fields still hold (the stream ended without finishing them). */
  const flushOpen = (): boolean => {
    const frame = endpoint.frameBase(last);
    const r = frames.flush(frame);
    if (r.block) {
      fail(r.block, blockType(r.block));
      return false;
    }
    if (r.written) write(frame);
    return true;
  };

  let sawDone = false;
  let sawFinal = false;
  /** Relay one upstream payload; returns how the answer ended when it ended here. */
  const onPayload = (payload: string, defer: boolean): Ended | undefined => {
    if (payload === endpoint.doneMarker) {
      sawDone = true;
      if (!flushOpen()) return ended(400);
      res.write(formatSse(payload));
      return undefined;
    }
    let frame: Json;
    try {
      const parsed = JSON.parse(payload) as unknown;
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      frame = parsed as Json;
    } catch {
      fail(new GatewayError("upstream_error", "the upstream sent an invalid stream chunk"), "upstream_error");
      return ended(502);
    }
    if (
      frame.__upstream_error ||
      (typeof frame.error === "object" && frame.error !== null) ||
      typeof frame.error === "string"
    ) {
      fail(new GatewayError("upstream_error", "the upstream reported an error mid-stream"), "upstream_error");
      return ended(502);
    }
    last = frame;
    usage = endpoint.usage(frame) ?? usage;
    const finished = endpoint.finished(frame);
    const r = frames.push(frame, finished, defer);
    if (r.block) {
      fail(r.block, blockType(r.block));
      return ended(400);
    }
    // A frame the guards left as it was leaves as the upstream's own text; one whose text was
    // deferred to a later frame of the same read, and says nothing else, is not sent at all.
    if (r.empty && !endpoint.usage(frame)) return undefined;
    if (r.changed) write(frame);
    else writeRaw(payload);
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
        // Frames that arrived together are scanned together: the guards scan once per read,
        // after its last frame, instead of once per frame (a model server often sends dozens).
        for (let i = 0; i < payloads.length; i++) {
          const end = onPayload(payloads[i] as string, i < payloads.length - 1);
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

export function sendWhole(res: ServerResponse, body: Json, headers: Record<string, string>): void {
  res.writeHead(200, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
