/**
 * The validating webhook's HTTPS server: `POST /validate` takes an AdmissionReview and answers
 * one; `GET /healthz` and `/readyz` for probes. Bodies are limited (413 past the limit, read no
 * further), slow clients are cut off (headers and whole-request timeouts), and every answer to a
 * review, even to one that could not be read, is an AdmissionReview naming the reason.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { AdmissionController, AdmissionOutcome } from "./admission.js";
import { ReviewError, type ReviewError as ReviewErrorType, reviewErrorResponse } from "./admission-review.js";

export interface AdmissionServerOptions {
  controller: AdmissionController;
  /** PEM certificate chain and key the API server will verify (the webhook's caBundle signs it). */
  tls: { cert: string | Buffer; key: string | Buffer };
  /** Largest body read, in bytes (default 7 MiB). */
  maxBodyBytes?: number;
  /** Time to receive the request headers, and the whole request (defaults 5 s and 10 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Called once per review with what was decided and how long it took (logging, metrics). */
  onReview?: (event: { outcome: AdmissionOutcome; ms: number }) => void;
}

export interface AdmissionServer {
  readonly server: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 7 * 1024 * 1024;

export function createAdmissionServer(options: AdmissionServerOptions): AdmissionServer {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? 5_000, requestTimeout);
  const server = createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      minVersion: "TLSv1.2",
      // A TLS handshake that never completes is bounded too (tls.Server's default is 120 s).
      handshakeTimeout: requestTimeout,
      requestTimeout,
      headersTimeout,
      keepAliveTimeout: 30_000,
      // How often Node checks the two timeouts above (its default, 30 s, would let a slow client linger).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      void handle(req, res);
    },
  );
  // Node's headersTimeout is not enforced on this TLS server for a client that stops mid-headers
  // (checked on Node 20: the socket stayed open for minutes), so each connection gets its own
  // deadlines: the headers must be complete within headersTimeout of the handshake (a trickle of
  // bytes does not extend it), and an idle connection is dropped after requestTimeout.
  const answered = new WeakSet<object>();
  server.on("secureConnection", (socket) => {
    socket.setTimeout(requestTimeout + 1000, () => socket.destroy());
    const deadline = setTimeout(() => {
      if (!answered.has(socket)) socket.destroy();
    }, headersTimeout);
    deadline.unref();
    socket.once("close", () => clearTimeout(deadline));
  });
  server.on("request", (req: IncomingMessage) => {
    answered.add(req.socket);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && (path === "/healthz" || path === "/readyz")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (path !== "/validate" && path !== "/") {
      sendError(
        res,
        new ReviewError(404, `no such endpoint ${path?.slice(0, 64)}: POST AdmissionReviews to /validate`),
      );
      return;
    }
    if (req.method !== "POST") {
      sendError(res, new ReviewError(405, "POST an AdmissionReview to /validate"));
      return;
    }
    const started = performance.now();
    const body = await readBody(req, maxBody);
    if (body instanceof ReviewError) {
      sendError(res, body, true);
      return;
    }
    const outcome = await options.controller.review(body);
    send(res, outcome.httpStatus, JSON.stringify(outcome.review));
    options.onReview?.({ outcome, ms: performance.now() - started });
  };

  return {
    server,
    listen(port, host = "0.0.0.0") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

/** The body as text, or a ReviewError when it is too large or the client goes away. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | ReviewErrorType> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve(new ReviewError(413, `AdmissionReview is larger than ${maxBytes} bytes`));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.pause();
        resolve(new ReviewError(413, `AdmissionReview is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(new ReviewError(400, "the request body could not be read")));
    req.on("aborted", () => resolve(new ReviewError(400, "the client went away")));
  });
}

function sendError(res: ServerResponse, error: ReviewErrorType, close = false): void {
  send(res, error.status, JSON.stringify(reviewErrorResponse(error)), close);
}

function send(res: ServerResponse, status: number, body: string, close = false): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...(close ? { connection: "close" } : {}),
  });
  res.end(body);
}
