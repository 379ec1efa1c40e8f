/**
 * HTTP ingestion of sensor events: `POST /api/v1/events/falco` (Falco's `http_output`,
 * falcosidekick's webhook) and `POST /api/v1/events/tetragon` (JSON lines). The server holds no
 * state of its own: a batch is parsed, its good events redacted and appended to the store (idempotent by
 * event id, so a sender's retry never counts twice) and the answer says what was accepted and
 * why each other event was not. The answer is sent only once the events are stored; when the
 * store is down it is a 503 the sender can retry, never a silent drop.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type Event, type Identity, type Logger, listenOn, type PalisadeError } from "../core/index.js";
import { authFailure } from "../gateway/index.js";
import { parseSensorBatch, SENSOR_SOURCES, type SensorBatch, type SensorSource } from "./ingest.js";
import { DEFAULT_SENSOR_BATCH_LIMITS } from "./json-records.js";
import type { SensorParser } from "./parse-pool.js";
import { createSensorRedactor } from "./redact.js";

export const INGEST_PATH = "/api/v1/events/";

/** Where accepted events go: the store, or the shared queue whose workers store them. */
export interface EventSink {
  /** Resolves once the events are durable (stored, or queued); rejects when they are not. */
  appendEvents(events: readonly Event[], source: SensorSource): Promise<unknown>;
}

export interface IngestServerOptions {
  host: string;
  port: number;
  sink: EventSink;
  /** Resolves the caller from `Authorization`; absent: no authentication (the CLI allows it on loopback only). */
  authenticate?: (authorization: string | undefined) => Promise<Identity>;
  /**
   * Other routes this server answers (say, the incident API), after the caller is authenticated
   * like a sensor: true when the handler answered, false for a 404.
   */
  routes?: (req: IncomingMessage, res: ServerResponse, identity: Identity | undefined) => Promise<boolean>;
  /** Parses and redacts batches off this thread (parse-pool.ts); absent: on this thread. */
  parser?: SensorParser;
  maxBodyBytes?: number;
  logger?: Logger;
}

/** Counters since start: every event offered is exactly one of accepted or rejected. */
export interface IngestStats {
  batches: number;
  accepted: number;
  rejected: number;
  truncated: number;
  /** Batches refused whole: unauthenticated, too large, store unavailable. */
  refused: number;
}

export interface IngestServer {
  url: string;
  stats: Readonly<IngestStats>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

const error = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
  send(res, status, { error: { code, message } }, headers);

/** The body, or undefined once it passed `max` (the request is answered 413 and its socket closed). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_SENSOR_BATCH_LIMITS.maxBatchBytes;
  const stats: IngestStats = { batches: 0, accepted: 0, rejected: 0, truncated: 0, refused: 0 };
  const redact = createSensorRedactor();

  /** The caller (undefined without authentication), or false once a 401 has been sent. */
  async function authenticated(req: IncomingMessage, res: ServerResponse): Promise<Identity | undefined | false> {
    if (!options.authenticate) return undefined;
    try {
      return await options.authenticate(req.headers.authorization);
    } catch (cause) {
      req.resume();
      const failure = authFailure(cause);
      if (failure.status === 503) error(res, 503, "unavailable", failure.message, { "retry-after": "5" });
      else error(res, 401, "unauthenticated", failure.message, { "www-authenticate": 'Bearer realm="palisade"' });
      return false;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/healthz" && req.method === "GET") return send(res, 200, { status: "ok" });
    // POSTs under /api/v1/events/ and the sensors' own paths are batches; the rest (GET
    // /api/v1/events/{id} among it) belongs to the routes mounted beside ingestion.
    const under = path.startsWith(INGEST_PATH) ? path.slice(INGEST_PATH.length) : undefined;
    const ingesting =
      under !== undefined && (req.method === "POST" || (SENSOR_SOURCES as readonly string[]).includes(under));
    if (!ingesting) {
      if (!options.routes) return error(res, 404, "not_found", `no route ${path}`);
      const caller = await authenticated(req, res);
      if (caller === false) return;
      if (await options.routes(req, res, caller)) return;
      return error(res, 404, "not_found", `no route ${path}`);
    }
    const source = path.slice(INGEST_PATH.length) as SensorSource;
    if (!(SENSOR_SOURCES as readonly string[]).includes(source))
      return error(res, 404, "not_found", `unknown sensor "${source}": expected ${SENSOR_SOURCES.join(" or ")}`);
    if (req.method !== "POST")
      return error(res, 405, "method_not_allowed", "POST a batch of events", { allow: "POST" });

    const identity = await authenticated(req, res);
    if (identity === false) {
      stats.refused++;
      return;
    }
    const body = await readBody(req, maxBody);
    if (!body) {
      stats.refused++;
      res.setHeader("connection", "close");
      error(res, 413, "too_large", `a batch is at most ${maxBody} bytes; send fewer events per request`);
      req.destroy();
      return;
    }
    let batch: SensorBatch;
    try {
      if (options.parser) batch = await options.parser.parse(source, body);
      else {
        const parsed = parseSensorBatch(source, body);
        batch = { ...parsed, events: parsed.events.map(redact) };
      }
    } catch (cause) {
      stats.refused++;
      const failure = cause as PalisadeError;
      if (failure.status === 413) return error(res, 413, "too_large", failure.message);
      if (failure.code === "bad-input" || failure.code === "bad-usage")
        return error(res, 400, "bad_request", failure.message);
      options.logger?.error({ err: failure.message }, "sensor batch could not be parsed");
      return error(res, 500, "internal", "the batch could not be parsed; retry it");
    }
    const events = batch.events;
    try {
      await options.sink.appendEvents(events, source);
    } catch (cause) {
      stats.refused++;
      options.logger?.warn(
        { err: (cause as Error).message, events: batch.events.length },
        "store unavailable: batch refused",
      );
      return error(res, 503, "store_unavailable", "events could not be stored; retry the batch", {
        "retry-after": "5",
      });
    }
    stats.batches++;
    stats.accepted += batch.events.length;
    stats.rejected += batch.rejected.length;
    stats.truncated += batch.truncated.length;
    if (batch.rejected.length > 0)
      options.logger?.warn(
        { source, rejected: batch.rejected.length, first: batch.rejected[0] },
        "sensor events rejected (the rest of the batch was stored)",
      );
    const everyEventBad = batch.events.length === 0 && batch.rejected.length > 0;
    send(res, everyEventBad ? 400 : 200, {
      accepted: batch.events.length,
      rejected: batch.rejected,
      truncated: batch.truncated,
    });
  }

  // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check often,
  // so a client that stops mid-headers is cut off near the deadline, not long after it.
  const server = createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      handle(req, res).catch((cause) => {
        options.logger?.error({ err: (cause as Error).message }, "ingest request failed");
        if (!res.headersSent) error(res, 500, "internal", "internal error");
        else res.destroy();
      });
    },
  );
  server.on("clientError", (_err, socket) => socket.destroy());
  const { url } = await listenOn(server, options.host, options.port);
  return {
    url,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
