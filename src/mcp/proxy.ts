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
import type { Event, Identity } from "../core/index.js";
import type { GuardDetectors, Limiter } from "../gateway/index.js";
import type { CompiledPolicy, McpEffectiveAccess } from "../policy/index.js";
import { checkArguments } from "./arguments.js";
import { type McpCallRecord, type McpCorrelation, mcpCallEvent, REQUEST_ID_META } from "./audit.js";
import type { McpConfig } from "./config.js";
import { CALL_TOOL_PARAMS, CALL_TOOL_RESULT, GET_PROMPT_RESULT, READ_RESOURCE_RESULT } from "./fields.js";
import { inspectMessage, POLICY_DENIED } from "./inspect.js";
import type { McpExecEvent } from "./strace.js";
import { connectUpstream, type ListKind, type Upstream } from "./upstream.js";

export const PROXY_INFO = { name: "palisade-mcp-proxy", version: "0.1.0" };

/**
 * What governs the proxy: who may do what (the policy's roles), the guards over every call, the
 * audit trail, and which tool definitions agents may see at all (pinning, poisoning, shadowing).
 * Without controls the proxy is a plain aggregator (tests of the protocol plumbing use that).
 */
export interface ProxyControls {
  policy(): CompiledPolicy;
  detectors(policy: CompiledPolicy): GuardDetectors;
  limiter: Limiter;
  record(event: Event): void;
  /** HMAC key of the `hash` redaction style. */
  hashKey: string;
  /**
   * Why a tool, prompt or resource (by URI or URI template) is withheld from every agent
   * (changed since approval, poisoned, shadowed), if it is.
   */
  hidden?(kind: "tool" | "prompt" | "resource", server: string, name: string): string | undefined;
  /** Called with the connected upstreams after one listed (again), connected or went away. */
  reviewTools?(upstreams: readonly Upstream[]): void;
  /** A program a sandboxed server executed (a runtime event). */
  recordExec?(event: McpExecEvent): void;
}

/** Who a downstream session serves: over stdio the local user, over HTTP the authenticated caller. */
export interface Session {
  identity: Identity;
}

export interface McpProxy {
  /** A new downstream server over the shared upstreams (one per client session). */
  createServer(session?: Session): Server;
  upstreams: ReadonlyMap<string, Upstream>;
  /** Servers that could not be started, with the reason (the proxy serves the rest). */
  failed: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

export interface StartProxyOptions {
  stderr?: "inherit" | "ignore" | "pipe";
  controls?: ProxyControls;
}

/** The caller of a stdio proxy: the user who started it (the client that spawned us). */
export const LOCAL_IDENTITY: Identity = {
  id: "local",
  kind: "service-account",
  name: "local",
  roles: [],
  attributes: {},
};

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
            onListChanged: (_server, kind) => {
              options.controls?.reviewTools?.([...upstreams.values()]);
              notify(kind);
            },
            onClose: (server) => {
              if (upstreams.delete(server)) {
                failed.set(server, "the server closed its connection");
                options.controls?.reviewTools?.([...upstreams.values()]);
                notify("tools");
              }
            },
            ...(options.stderr ? { stderr: options.stderr } : {}),
            sandboxDefault: config.sandbox,
            onExec: (event) => options.controls?.recordExec?.(event),
          }),
        );
      } catch (error) {
        failed.set(name, (error as Error)?.message ?? String(error));
      }
    }),
  );

  options.controls?.reviewTools?.([...upstreams.values()]);

  const createServer = (session: Session = { identity: LOCAL_IDENTITY }) => {
    const capabilities = unionCapabilities([...upstreams.values()]);
    const server = new Server(PROXY_INFO, { capabilities });
    registerHandlers(server, capabilities, {
      upstreams,
      timeout: config.requestTimeoutMs,
      controls: options.controls,
      session,
    });
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

interface HandlerContext {
  upstreams: ReadonlyMap<string, Upstream>;
  timeout: number;
  controls: ProxyControls | undefined;
  session: Session;
}

/** The SDK's per-request extras the handlers read (auth set by the HTTP layer, headers, session). */
interface Extra {
  signal: AbortSignal;
  sessionId?: string;
  authInfo?: { extra?: Record<string, unknown> };
  requestInfo?: { headers: Record<string, string | string[] | undefined> };
  sendNotification: (n: { method: "notifications/progress"; params: Record<string, unknown> }) => Promise<void>;
}

const ALLOW_ALL: McpEffectiveAccess = {
  server: () => true,
  tool: () => true,
  argumentRules: () => [],
  callsPerMinute: undefined,
};

/** Handlers for the advertised features only (the SDK refuses a handler for a feature not declared). */
function registerHandlers(server: Server, capabilities: ServerCapabilities, hc: HandlerContext): void {
  if (capabilities.tools) registerTools(server, hc);
  if (capabilities.prompts) registerPrompts(server, hc);
  if (capabilities.resources) registerResources(server, hc);
}

/** One request's view: who asks, what they may do, and the audit of what happened. */
function requestScope(hc: HandlerContext, extra: Extra, meta: Record<string, unknown> | undefined) {
  const identity = (extra.authInfo?.extra?.identity as Identity | undefined) ?? hc.session.identity;
  const policy = hc.controls?.policy();
  const access = policy ? policy.access(identity).mcp : ALLOW_ALL;
  const header = (name: string) => {
    const value = extra.requestInfo?.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const metaString = (key: string) => (typeof meta?.[key] === "string" ? (meta[key] as string) : undefined);
  const correlation: McpCorrelation = {};
  const requestId = header("x-palisade-request-id") ?? metaString(REQUEST_ID_META);
  const traceparent = header("traceparent") ?? metaString("traceparent");
  if (requestId) correlation.requestId = requestId;
  if (traceparent) correlation.traceparent = traceparent;
  if (extra.sessionId) correlation.sessionId = extra.sessionId;
  const started = performance.now();
  const audit = (
    record: Omit<McpCallRecord, "identity" | "latencyMs" | "correlation" | "values" | "verdicts"> & {
      verdicts?: McpCallRecord["verdicts"];
    },
  ) => {
    if (!hc.controls || !policy) return;
    hc.controls.record(
      mcpCallEvent(
        {
          verdicts: [],
          ...record,
          identity,
          correlation,
          latencyMs: performance.now() - started,
          values: policy.runtime.mcp.audit.values,
        },
        hc.controls.detectors(policy),
      ),
    );
  };
  return { identity, policy, access, audit };
}

type Scope = ReturnType<typeof requestScope>;

/** A refusal: audited, then thrown as the JSON-RPC error the agent sees. */
function deny(
  scope: Scope,
  base: Omit<McpCallRecord, "identity" | "latencyMs" | "correlation" | "values" | "decision" | "verdicts">,
  rule: string,
  message: string,
): never {
  scope.audit({ ...base, decision: "deny", rule, reason: message });
  throw new McpError(POLICY_DENIED, message, { palisade: { rule } });
}

/**
 * Guards one direction of a request; a refusal is audited and thrown. Guards in `off` mode (or
 * no controls) pass everything.
 */
async function guard(
  hc: HandlerContext,
  scope: Scope,
  base: Omit<McpCallRecord, "identity" | "latencyMs" | "correlation" | "values" | "decision" | "verdicts">,
  direction: "arguments" | "results",
  body: Record<string, unknown>,
  spec: Parameters<typeof inspectMessage>[4],
  verdicts: McpCallRecord["verdicts"][number][],
): Promise<boolean> {
  if (!hc.controls || !scope.policy || scope.policy.runtime.guards.mode === "off") return false;
  const inspected = await inspectMessage(
    scope.policy.runtime,
    hc.controls.detectors(scope.policy),
    direction,
    body,
    spec,
    hc.controls.hashKey,
  );
  verdicts.push(...inspected.verdicts);
  if (inspected.block) {
    scope.audit({
      ...base,
      decision: "deny",
      rule: direction === "arguments" ? "mcp.arguments" : "mcp.results",
      reason: inspected.block.message,
      verdicts,
      redacted: inspected.changed,
    });
    throw inspected.block;
  }
  return inspected.changed;
}

const withheld = (hc: HandlerContext, kind: "tool" | "prompt" | "resource", server: string, name: string) =>
  hc.controls?.hidden?.(kind, server, name);

function visibleTools(hc: HandlerContext, access: McpEffectiveAccess, upstream: Upstream) {
  if (!access.server(upstream.name)) return [];
  return upstream.lists.tools.filter(
    (tool) => access.tool(`${upstream.name}.${tool.name}`) && !withheld(hc, "tool", upstream.name, tool.name),
  );
}

/**
 * A tool as agents get it: namespaced, and without `_meta`, which is left out of the pinned hash
 * (servers fill it with per-process values), so nothing in it may reach an agent unpinned.
 */
function exposedTool(server: string, tool: Upstream["lists"]["tools"][number]) {
  const { _meta: _dropped, ...rest } = tool;
  return { ...rest, name: `${server}.${tool.name}` };
}

function registerTools(server: Server, hc: HandlerContext): void {
  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const { access } = requestScope(hc, extra as Extra, undefined);
    return {
      tools: [...hc.upstreams.values()].flatMap((u) =>
        visibleTools(hc, access, u).map((tool) => exposedTool(u.name, tool)),
      ),
    };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, rawExtra) => {
    const extra = rawExtra as Extra;
    const name = request.params.name;
    const scope = requestScope(hc, extra, request.params._meta);
    const parts = splitName(name);
    const base = {
      method: "tools/call" as const,
      server: parts?.[0],
      target: name,
      arguments: request.params.arguments,
      redacted: false,
    };
    const [upstream, tool] = route(hc.upstreams, name, "tool");
    if (!upstream.lists.tools.some((t) => t.name === tool))
      throw new McpError(ErrorCode.InvalidParams, `unknown tool: ${name}`);
    if (!scope.access.server(upstream.name) || !scope.access.tool(name))
      deny(scope, base, "mcp.tool-not-allowed", `tool ${name} is not allowed for ${scope.identity.id}`);
    const hidden = withheld(hc, "tool", upstream.name, tool);
    if (hidden) deny(scope, base, "mcp.tool-hidden", `tool ${name} is withheld: ${hidden}`);
    const violation = checkArguments(request.params.arguments ?? {}, scope.access.argumentRules(name));
    if (violation) deny(scope, base, "mcp.argument", `tool ${name} refused: ${violation.message}`);
    if (hc.controls && scope.access.callsPerMinute !== undefined) {
      const admitted = await hc.controls.limiter.admit(
        `mcp:${scope.identity.id}`,
        { requestsPerMinute: scope.access.callsPerMinute },
        0,
      );
      if (admitted.ok) await admitted.finish(0);
      else
        deny(
          scope,
          base,
          "mcp.rate-limit",
          `${scope.identity.id} is over ${scope.access.callsPerMinute} tool calls per minute; retry in ${admitted.retryAfterSeconds} s`,
        );
    }
    const verdicts: McpCallRecord["verdicts"][number][] = [];
    const params = structuredClone(request.params) as Record<string, unknown>;
    let redacted = await guard(hc, scope, base, "arguments", params, CALL_TOOL_PARAMS, verdicts);
    const progressToken = request.params._meta?.progressToken;
    let result: Record<string, unknown>;
    try {
      result = await forward(
        upstream.name,
        upstream.client.request({ method: "tools/call", params: { ...params, name: tool } }, CallToolResultSchema, {
          signal: extra.signal,
          timeout: hc.timeout,
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
        }),
      );
    } catch (error) {
      scope.audit({ ...base, decision: "error", reason: (error as Error).message, verdicts, redacted });
      throw error;
    }
    redacted =
      (await guard(hc, scope, { ...base, redacted }, "results", result, CALL_TOOL_RESULT, verdicts)) || redacted;
    scope.audit({ ...base, decision: "allow", verdicts, redacted });
    return result;
  });
}

function registerPrompts(server: Server, hc: HandlerContext): void {
  server.setRequestHandler(ListPromptsRequestSchema, async (_request, extra) => {
    const { access } = requestScope(hc, extra as Extra, undefined);
    return {
      prompts: [...hc.upstreams.values()]
        .filter((u) => access.server(u.name))
        .flatMap((u) =>
          u.lists.prompts
            .filter((prompt) => !withheld(hc, "prompt", u.name, prompt.name))
            .map((prompt) => ({ ...prompt, name: `${u.name}.${prompt.name}` })),
        ),
    };
  });

  server.setRequestHandler(GetPromptRequestSchema, async (request, rawExtra) => {
    const extra = rawExtra as Extra;
    const scope = requestScope(hc, extra, request.params._meta);
    const name = request.params.name;
    const base = {
      method: "prompts/get" as const,
      server: splitName(name)?.[0],
      target: name,
      arguments: request.params.arguments,
      redacted: false,
    };
    const [upstream, prompt] = route(hc.upstreams, name, "prompt");
    if (!upstream.lists.prompts.some((p) => p.name === prompt))
      throw new McpError(ErrorCode.InvalidParams, `unknown prompt: ${name}`);
    if (!scope.access.server(upstream.name))
      deny(scope, base, "mcp.server-not-allowed", `server ${upstream.name} is not allowed for ${scope.identity.id}`);
    const hiddenPrompt = withheld(hc, "prompt", upstream.name, prompt);
    if (hiddenPrompt) deny(scope, base, "mcp.prompt-hidden", `prompt ${name} is withheld: ${hiddenPrompt}`);
    const verdicts: McpCallRecord["verdicts"][number][] = [];
    const params = structuredClone(request.params) as Record<string, unknown>;
    let redacted = await guard(hc, scope, base, "arguments", params, CALL_TOOL_PARAMS, verdicts);
    let result: Record<string, unknown>;
    try {
      result = await forward(
        upstream.name,
        upstream.client.request({ method: "prompts/get", params: { ...params, name: prompt } }, GetPromptResultSchema, {
          signal: extra.signal,
          timeout: hc.timeout,
        }),
      );
    } catch (error) {
      scope.audit({ ...base, decision: "error", reason: (error as Error).message, verdicts, redacted });
      throw error;
    }
    redacted = (await guard(hc, scope, base, "results", result, GET_PROMPT_RESULT, verdicts)) || redacted;
    scope.audit({ ...base, decision: "allow", verdicts, redacted });
    return result as never;
  });
}

function registerResources(server: Server, hc: HandlerContext): void {
  const visible = (extra: Extra) => {
    const { access } = requestScope(hc, extra, undefined);
    return [...hc.upstreams.values()].filter((u) => access.server(u.name));
  };
  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => ({
    resources: visible(extra as Extra).flatMap((u) =>
      u.lists.resources.filter((r) => !withheld(hc, "resource", u.name, r.uri)),
    ),
  }));

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (_request, extra) => ({
    resourceTemplates: visible(extra as Extra).flatMap((u) =>
      u.lists.resourceTemplates.filter((t) => !withheld(hc, "resource", u.name, t.uriTemplate)),
    ),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, rawExtra) => {
    const extra = rawExtra as Extra;
    const scope = requestScope(hc, extra, request.params._meta);
    const uri = request.params.uri;
    const all = [...hc.upstreams.values()];
    // Only servers the caller may see are candidates: a URI is never routed to a hidden server.
    const mine = all.filter((u) => scope.access.server(u.name));
    const upstream =
      mine.find((u) => u.lists.resources.some((r) => r.uri === uri)) ??
      mine.find((u) => u.lists.resourceTemplates.some((t) => templateMatches(t.uriTemplate, uri)));
    const base = {
      method: "resources/read" as const,
      server: upstream?.name,
      target: uri,
      arguments: {},
      redacted: false,
    };
    if (!upstream) {
      const elsewhere = all.some(
        (u) =>
          u.lists.resources.some((r) => r.uri === uri) ||
          u.lists.resourceTemplates.some((t) => templateMatches(t.uriTemplate, uri)),
      );
      if (elsewhere)
        deny(scope, base, "mcp.server-not-allowed", `resource ${uri} is not allowed for ${scope.identity.id}`);
      throw new McpError(ErrorCode.InvalidParams, `unknown resource: ${uri}`);
    }
    const listed = upstream.lists.resources.find((r) => r.uri === uri);
    const template = upstream.lists.resourceTemplates.find((t) => templateMatches(t.uriTemplate, uri));
    const hiddenResource =
      (listed && withheld(hc, "resource", upstream.name, listed.uri)) ||
      (!listed && template && withheld(hc, "resource", upstream.name, template.uriTemplate));
    if (hiddenResource) deny(scope, base, "mcp.resource-hidden", `resource ${uri} is withheld: ${hiddenResource}`);
    const verdicts: McpCallRecord["verdicts"][number][] = [];
    let result: Record<string, unknown>;
    try {
      result = await forward(
        upstream.name,
        upstream.client.request({ method: "resources/read", params: request.params }, ReadResourceResultSchema, {
          signal: extra.signal,
          timeout: hc.timeout,
        }),
      );
    } catch (error) {
      scope.audit({ ...base, decision: "error", reason: (error as Error).message, verdicts });
      throw error;
    }
    const redacted = await guard(hc, scope, base, "results", result, READ_RESOURCE_RESULT, verdicts);
    scope.audit({ ...base, decision: "allow", verdicts, redacted });
    return result as never;
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
