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
import type { Identity } from "../core/index.js";
import { LOCAL_IDENTITY, type McpProxy } from "./proxy.js";

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

export interface HttpServeOptions {
  /**
   * Who is calling, from the Authorization header (the AI gateway's API keys and OIDC tokens);
   * throws when the credentials are missing or wrong. Absent: everyone is the local identity
   * (the CLI allows that on loopback only).
   */
  authenticate?: (authorization: string | undefined) => Promise<Identity>;
  /** OAuth authorization servers announced in the protected-resource metadata (RFC 9728). */
  authorizationServers?: readonly string[];
}

const METADATA_PATH = "/.well-known/oauth-protected-resource";

/** Serves `/mcp` on host:port (port 0 picks one); sessions by the `Mcp-Session-Id` header. */
export async function serveHttp(
  proxy: McpProxy,
  host: string,
  port: number,
  options: HttpServeOptions = {},
): Promise<HttpServing> {
  /** Each session is bound to the identity that opened it: another caller cannot ride it. */
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; owner: string }>();
  let base = "";
  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        jsonRpcError(res, 500, ErrorCode.InternalError, (error as Error)?.message ?? "internal error");
      else res.end();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === METADATA_PATH || path === `${METADATA_PATH}/mcp`) {
      // RFC 9728: how a client finds out where to get a token for this resource.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          resource: `${base}/mcp`,
          authorization_servers: options.authorizationServers ?? [],
          bearer_methods_supported: ["header"],
          resource_name: "Palisade MCP gateway",
        }),
      );
      return;
    }
    if (path !== "/mcp") return jsonRpcError(res, 404, ErrorCode.InvalidRequest, "not found: the MCP endpoint is /mcp");
    let identity = LOCAL_IDENTITY;
    if (options.authenticate) {
      try {
        identity = await options.authenticate(req.headers.authorization);
      } catch (error) {
        res.setHeader("www-authenticate", `Bearer resource_metadata="${base}${METADATA_PATH}"`);
        return jsonRpcError(res, 401, ErrorCode.InvalidRequest, (error as Error)?.message ?? "unauthenticated");
      }
    }
    // The SDK hands `auth` to every handler as `extra.authInfo`: the proxy decides per caller.
    (req as IncomingMessage & { auth?: unknown }).auth = {
      token: "",
      clientId: identity.id,
      scopes: identity.roles,
      extra: { identity },
    };
    const sessionId = req.headers["mcp-session-id"];
    const found = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    // A session opened by someone else is reported as unknown, not as someone else's.
    const existing = found && found.owner === identity.id ? found.transport : undefined;
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
        sessions.set(id, { transport, owner: identity.id });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await proxy.createServer({ identity }).connect(transport);
    await transport.handleRequest(req, res, body);
  };

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  base = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  return {
    url: `${base}/mcp`,
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => {})));
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
