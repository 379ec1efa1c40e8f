/**
 * The aggregated MCP server in front of many upstreams. Tools and prompts are namespaced
 * `server.name`; resources keep their URIs and are routed to the server that listed them (or
 * whose template matches). Capabilities are the union of what the upstreams offer, so a client
 * is never told about a feature nothing behind the proxy has. Progress and cancellation pass
 * through; list changes upstream become list changes downstream.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  GetPromptResultSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
  type ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import type { McpConfig } from "./config.js";
import { connectUpstream, type ListKind, type Upstream } from "./upstream.js";

export const PROXY_INFO = { name: "palisade-mcp-proxy", version: "0.1.0" };

export interface McpProxy {
  /** A new downstream server over the shared upstreams (one per client session). */
  createServer(): Server;
  upstreams: ReadonlyMap<string, Upstream>;
  /** Servers that could not be started, with the reason (the proxy serves the rest). */
  failed: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

export interface StartProxyOptions {
  stderr?: "inherit" | "ignore" | "pipe";
}

/** Connects every configured upstream (in parallel) and returns the proxy. */
export async function startMcpProxy(config: McpConfig, options: StartProxyOptions = {}): Promise<McpProxy> {
  const upstreams = new Map<string, Upstream>();
  const failed = new Map<string, string>();
  const servers = new Set<Server>();
  const notify = (kind: ListKind) => {
    for (const server of servers) {
      const send =
        kind === "tools"
          ? server.sendToolListChanged()
          : kind === "prompts"
            ? server.sendPromptListChanged()
            : server.sendResourceListChanged();
      send.catch(() => {});
    }
  };
  const enabled = Object.entries(config.servers).filter(([, upstream]) => !upstream.disabled);
  await Promise.all(
    enabled.map(async ([name, upstream]) => {
      try {
        upstreams.set(
          name,
          await connectUpstream(name, upstream, {
            timeoutMs: config.requestTimeoutMs,
            onListChanged: (_server, kind) => notify(kind),
            onClose: (server) => {
              if (upstreams.delete(server)) {
                failed.set(server, "the server closed its connection");
                notify("tools");
              }
            },
            ...(options.stderr ? { stderr: options.stderr } : {}),
          }),
        );
      } catch (error) {
        failed.set(name, (error as Error)?.message ?? String(error));
      }
    }),
  );

  const createServer = () => {
    const capabilities = unionCapabilities([...upstreams.values()]);
    const server = new Server(PROXY_INFO, { capabilities });
    registerHandlers(server, capabilities, upstreams, config.requestTimeoutMs);
    servers.add(server);
    server.onclose = () => servers.delete(server);
    return server;
  };
  return {
    createServer,
    upstreams,
    failed,
    async close() {
      await Promise.all([...servers].map((s) => s.close().catch(() => {})));
      await Promise.all([...upstreams.values()].map((u) => u.close().catch(() => {})));
    },
  };
}

/** What the proxy advertises: a feature when any upstream has it; list changes always announced. */
export function unionCapabilities(upstreams: readonly Upstream[]): ServerCapabilities {
  const caps = upstreams.map((u) => u.capabilities());
  const out: ServerCapabilities = {};
  if (caps.some((c) => c.tools)) out.tools = { listChanged: true };
  if (caps.some((c) => c.prompts)) out.prompts = { listChanged: true };
  if (caps.some((c) => c.resources)) out.resources = { listChanged: true };
  return out;
}

/** `server.tool` → [server, tool]; the server part has no dot, the tool part may. */
export function splitName(name: string): [string, string] | undefined {
  const dot = name.indexOf(".");
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return [name.slice(0, dot), name.slice(dot + 1)];
}

function route(upstreams: ReadonlyMap<string, Upstream>, name: string, what: string): [Upstream, string] {
  const parts = splitName(name);
  const upstream = parts && upstreams.get(parts[0]);
  if (!parts || !upstream) throw new McpError(ErrorCode.InvalidParams, `unknown ${what}: ${name}`);
  return [upstream, parts[1]];
}

/** Handlers for the advertised features only (the SDK refuses a handler for a feature not declared). */
function registerHandlers(
  server: Server,
  capabilities: ServerCapabilities,
  upstreams: ReadonlyMap<string, Upstream>,
  timeout: number,
): void {
  const all = () => [...upstreams.values()];
  if (capabilities.tools) registerTools(server, upstreams, all, timeout);
  if (capabilities.prompts) registerPrompts(server, upstreams, all, timeout);
  if (capabilities.resources) registerResources(server, all, timeout);
}

type All = () => Upstream[];

function registerTools(server: Server, upstreams: ReadonlyMap<string, Upstream>, all: All, timeout: number): void {
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: all().flatMap((u) => u.lists.tools.map((tool) => ({ ...tool, name: `${u.name}.${tool.name}` }))),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const [upstream, tool] = route(upstreams, request.params.name, "tool");
    if (!upstream.lists.tools.some((t) => t.name === tool))
      throw new McpError(ErrorCode.InvalidParams, `unknown tool: ${request.params.name}`);
    const progressToken = request.params._meta?.progressToken;
    return upstream.client.request(
      { method: "tools/call", params: { ...request.params, name: tool } },
      CallToolResultSchema,
      {
        signal: extra.signal,
        timeout,
        resetTimeoutOnProgress: true,
        ...(progressToken !== undefined
          ? {
              onprogress: (progress) => {
                extra
                  .sendNotification({ method: "notifications/progress", params: { ...progress, progressToken } })
                  .catch(() => {});
              },
            }
          : {}),
      },
    );
  });
}

function registerPrompts(server: Server, upstreams: ReadonlyMap<string, Upstream>, all: All, timeout: number): void {
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: all().flatMap((u) => u.lists.prompts.map((prompt) => ({ ...prompt, name: `${u.name}.${prompt.name}` }))),
  }));

  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const [upstream, prompt] = route(upstreams, request.params.name, "prompt");
    if (!upstream.lists.prompts.some((p) => p.name === prompt))
      throw new McpError(ErrorCode.InvalidParams, `unknown prompt: ${request.params.name}`);
    return forward(
      upstream.name,
      upstream.client.request(
        { method: "prompts/get", params: { ...request.params, name: prompt } },
        GetPromptResultSchema,
        { signal: extra.signal, timeout },
      ),
    );
  });
}

function registerResources(server: Server, all: All, timeout: number): void {
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: all().flatMap((u) => u.lists.resources),
  }));

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: all().flatMap((u) => u.lists.resourceTemplates),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const uri = request.params.uri;
    const upstream =
      all().find((u) => u.lists.resources.some((r) => r.uri === uri)) ??
      all().find((u) => u.lists.resourceTemplates.some((t) => templateMatches(t.uriTemplate, uri)));
    if (!upstream) throw new McpError(ErrorCode.InvalidParams, `unknown resource: ${uri}`);
    return forward(
      upstream.name,
      upstream.client.request({ method: "resources/read", params: request.params }, ReadResourceResultSchema, {
        signal: extra.signal,
        timeout,
      }),
    );
  });
}

/**
 * An upstream's answer, or its error as this server's own JSON-RPC error: the code and data
 * kept, the message said once (the SDK's McpError message already carries an "MCP error" prefix),
 * and a transport failure (the server died, timed out) named as the upstream's.
 */
async function forward<T>(server: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof McpError) {
      const message = error.message.replace(/^(MCP error -?\d+: )+/, "");
      if (error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout)
        throw new McpError(ErrorCode.InternalError, `upstream ${server}: ${message}`, error.data);
      throw new McpError(error.code, message, error.data);
    }
    throw new McpError(ErrorCode.InternalError, `upstream ${server}: ${(error as Error)?.message ?? error}`);
  }
}

/** Whether `uri` fits an RFC 6570 template's literal parts (the expressions match anything). */
export function templateMatches(template: string, uri: string): boolean {
  const literal = template.split(/\{[^}]*\}/);
  if (literal.length === 1) return template === uri;
  let at = 0;
  for (const [i, part] of literal.entries()) {
    if (i === 0) {
      if (!uri.startsWith(part)) return false;
      at = part.length;
      continue;
    }
    if (i === literal.length - 1 && part !== "") return uri.endsWith(part) && uri.length - part.length >= at;
    const next = uri.indexOf(part, at);
    if (next < 0) return false;
    at = next + part.length;
  }
  return true;
}
