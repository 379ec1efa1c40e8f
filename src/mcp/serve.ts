/**
 * Serving the proxy to agents: over stdio (a local client starts `palisade mcp proxy` as its one
 * MCP server) or Streamable HTTP (one session per client, each with its own downstream server
 * over the shared upstreams).
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ErrorCode, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { McpProxy } from "./proxy.js";

export async function serveStdio(proxy: McpProxy): Promise<void> {
  const server = proxy.createServer();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
}

/** Largest JSON-RPC message accepted over HTTP. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServing {
  url: string;
  close(): Promise<void>;
}

/** Serves `/mcp` on host:port (port 0 picks one); sessions by the `Mcp-Session-Id` header. */
export async function serveHttp(proxy: McpProxy, host: string, port: number): Promise<HttpServing> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        jsonRpcError(res, 500, ErrorCode.InternalError, (error as Error)?.message ?? "internal error");
      else res.end();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/mcp") return jsonRpcError(res, 404, ErrorCode.InvalidRequest, "not found: the MCP endpoint is /mcp");
    const sessionId = req.headers["mcp-session-id"];
    const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    if (typeof sessionId === "string" && !existing)
      return jsonRpcError(res, 404, ErrorCode.InvalidRequest, "unknown or expired session");
    let body: unknown;
    if (req.method === "POST") {
      const read = await readJson(req);
      if ("error" in read) return jsonRpcError(res, read.status, ErrorCode.ParseError, read.error);
      body = read.value;
    }
    if (existing) return existing.handleRequest(req, res, body);
    // No session yet: only an initialize request may open one. Refused here, before a server and
    // transport exist, so a stream of stray requests allocates nothing.
    if (!isInitializeRequest(body))
      return jsonRpcError(res, 400, ErrorCode.InvalidRequest, "no session: send an initialize request first");
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await proxy.createServer().connect(transport);
    await transport.handleRequest(req, res, body);
  };

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}/mcp`,
    async close() {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => {})));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<{ value: unknown } | { status: number; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { status: 413, error: `message larger than ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { status: 400, error: "the body is not JSON" };
  }
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }));
}
