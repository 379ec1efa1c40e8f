/**
 * The HTTP server of `palisade up`: the API under /api/v1 and, when given, the dashboard's
 * static files everywhere else. Other Palisade servers mount the API handler on their own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type Logger, listenOn } from "../core/index.js";
import { ApiError } from "./errors.js";
import { type ApiHandler, sendError } from "./handler.js";

export interface ApiServerOptions {
  host: string;
  port: number;
  api: ApiHandler;
  /** Answers what the API does not (the dashboard); absent: 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  logger?: Logger;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await options.api(req, res)) return;
    const path = new URL(req.url ?? "/", "http://palisade.invalid").pathname;
    if (options.fallback && !path.startsWith("/api/")) return options.fallback(req, res);
    req.resume();
    sendError(res, new ApiError("not_found", `no route ${req.method ?? "GET"} ${path.slice(0, 200)}`));
  }
  // Timeouts checked every second (Node's default is 30 s), so a client that stalls is cut off in time.
  const server = createServer(
    { requestTimeout: 60_000, headersTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      handle(req, res).catch((cause) => {
        options.logger?.error({ err: (cause as Error).message }, "request failed");
        if (!res.headersSent) sendError(res, new ApiError("internal", "internal error (see the server log)"));
        else res.destroy();
      });
    },
  );
  server.on("clientError", (_err, socket) => socket.destroy());
  const { url } = await listenOn(server, options.host, options.port);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
