/**
 * Reading request bodies with a size limit and deadlines, refusing a request without reading its
 * body, and writing JSON responses. A body that trickles in (slow-loris) must never hold a
 * connection open: the server's own `requestTimeout` is off, since streamed answers are long.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayError } from "./errors.js";
import { describeJsonSyntaxError } from "./json-syntax.js";

/** How long a request body may take to arrive. */
export interface BodyTimeouts {
  /** The whole body must arrive within this many milliseconds of starting to read it. */
  totalMs?: number;
  /** Longest silence between two chunks of the body, in milliseconds. */
  idleMs?: number;
}

/** Bodies at least this large are parsed off the event loop when the caller offers a way to. */
const OFF_THREAD_BYTES = 1 << 20;

/** Defaults of `gateway.bodyTimeoutMs` and `gateway.idleTimeoutMs`. */
export const DEFAULT_BODY_TIMEOUTS: Required<BodyTimeouts> = { totalMs: 30_000, idleMs: 10_000 };

/**
 * Read the whole body, refusing more than `limit` bytes (413) before buffering it, and a body
 * slower than `timeouts` (408). On failure the request is left paused, not destroyed, so the
 * caller can still answer; answer through `discardBody` so the connection closes afterwards.
 */
export async function readBody(req: IncomingMessage, limit: number, timeouts: BodyTimeouts = {}): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new GatewayError("request_too_large", `request body is ${declared} bytes; the limit is ${limit}`);
  }
  if (req.readableEnded) return Buffer.alloc(0);
  if (req.destroyed) throw new Error("the client closed the connection before the whole body arrived");
  const totalMs = timeouts.totalMs ?? DEFAULT_BODY_TIMEOUTS.totalMs;
  const idleMs = timeouts.idleMs ?? DEFAULT_BODY_TIMEOUTS.idleMs;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error?: unknown) => {
      clearTimeout(total);
      clearTimeout(idle);
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (error === undefined) return resolve(Buffer.concat(chunks, size));
      // Stop pulling bytes: what still arrives waits in bounded buffers until the socket closes.
      req.pause();
      reject(error);
    };
    const total = setTimeout(
      () => stop(new GatewayError("request_timeout", `the request body did not arrive within ${totalMs} ms`)),
      totalMs,
    );
    const idle = setTimeout(
      () => stop(new GatewayError("request_timeout", `the request body stalled for more than ${idleMs} ms`)),
      idleMs,
    );
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit)
        return stop(new GatewayError("request_too_large", `request body is larger than ${limit} bytes`));
      chunks.push(chunk);
      idle.refresh();
    };
    const onEnd = () => stop();
    const onError = (error: Error) => stop(error);
    const onClose = () => stop(new Error("the client closed the connection before the whole body arrived"));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

/**
 * Read and parse a JSON body (limits as `readBody`). A syntax error says where the body broke
 * (line, column, position) but never quotes it: `JSON.parse`'s own message echoes the input,
 * which may be a card number or a key.
 */
export async function readJson(
  req: IncomingMessage,
  limit: number,
  timeouts: BodyTimeouts = {},
  offThread?: (bytes: Uint8Array) => Promise<unknown>,
): Promise<unknown> {
  const bytes = await readBody(req, limit, timeouts);
  // A multi-megabyte body parsed here would hold the event loop for tens of milliseconds.
  if (offThread && bytes.length >= OFF_THREAD_BYTES) return offThread(bytes);
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's error quotes the body, so neither its message nor the error itself (which a
    // log line would print) is kept: the cause is the same description, without the input.
    const where = describeJsonSyntaxError(text);
    throw new GatewayError("invalid_json", `request body is not valid JSON: ${where}`, {
      cause: new SyntaxError(where),
    });
  }
}

/**
 * Make the answer about to be written the last one on this connection, and drop whatever of the
 * request body has not arrived. Call it before answering a request whose body was not read to the
 * end (refused before reading, 401; or `readBody` failed, 408/413): it sets `connection: close`,
 * and once the answer is flushed destroys the request and its socket, so a caller cannot keep the
 * connection (and a slot of the server) by trickling bytes after being refused.
 */
export function discardBody(req: IncomingMessage, res: ServerResponse): void {
  if (!res.headersSent) res.setHeader("connection", "close");
  const destroy = () => {
    if (!req.complete) req.destroy();
  };
  if (res.writableFinished) destroy();
  else {
    res.once("finish", destroy);
    res.once("close", destroy);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}
