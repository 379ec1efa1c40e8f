/**
 * One upstream MCP server as the proxy sees it: a connected SDK client (stdio child process or
 * Streamable HTTP) and what it offers, listed in full (every page) when it connects and again
 * when it says its lists changed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type Prompt,
  PromptListChangedNotificationSchema,
  type Resource,
  ResourceListChangedNotificationSchema,
  type ResourceTemplate,
  type ServerCapabilities,
  type Tool,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { isStdio, type McpUpstreamConfig } from "./config.js";
import { effectiveSandbox, type SandboxLaunch, type SandboxToolOptions, sandboxLaunch } from "./sandbox.js";
import type { McpExecEvent } from "./strace.js";

/** A server that pages forever, or lists a million tools, is cut off here. */
const MAX_PAGES = 100;
const MAX_ITEMS = 10_000;

export interface UpstreamLists {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}

export type ListKind = "tools" | "prompts" | "resources";

export interface Upstream {
  readonly name: string;
  readonly client: Client;
  capabilities(): ServerCapabilities;
  lists: UpstreamLists;
  /** Lists again what `kind` covers (resources include templates). */
  refresh(kind: ListKind): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  timeoutMs: number;
  /** Called after a list changed upstream and was listed again. */
  onListChanged?: (server: string, kind: ListKind) => void;
  /** Called when the connection ends (the child exited, the HTTP session closed). */
  onClose?: (server: string) => void;
  /** The stdio child's stderr: inherited by default (a server's logs go to the proxy's stderr). */
  stderr?: "inherit" | "ignore" | "pipe";
  /** `mcp.sandbox`: fence stdio servers that have no `sandbox` key of their own. */
  sandboxDefault?: boolean;
  /** Each program a sandboxed server executes (when its sandbox records execs). */
  onExec?: (event: McpExecEvent) => void;
  /** Where the sandbox's programs are (bwrap, prlimit, setpriv, strace); default: found on PATH. */
  sandboxTools?: SandboxToolOptions;
}

export async function connectUpstream(
  name: string,
  config: McpUpstreamConfig,
  options: ConnectOptions,
): Promise<Upstream> {
  const client = new Client({ name: `palisade-mcp-proxy/${name}`, version: "0.1.0" }, { capabilities: {} });
  const sandbox = isStdio(config) ? effectiveSandbox(config, options.sandboxDefault ?? false) : undefined;
  // A server that must be fenced and cannot be is refused here (sandboxLaunch throws why).
  const launch: SandboxLaunch | undefined =
    sandbox && isStdio(config)
      ? await sandboxLaunch(name, config, sandbox, { ...options.sandboxTools, onExec: options.onExec })
      : undefined;
  const transport = isStdio(config)
    ? new StdioClientTransport({
        ...(launch
          ? { command: launch.command, args: launch.args, env: launch.env, ...(launch.cwd ? { cwd: launch.cwd } : {}) }
          : {
              command: config.command,
              args: config.args,
              // Only what the config grants plus a PATH: the proxy's own secrets stay with the proxy.
              env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...config.env },
              ...(config.cwd ? { cwd: config.cwd } : {}),
            }),
        stderr: options.stderr ?? "inherit",
      })
    : new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
  client.onclose = () => {
    void launch?.exec?.close();
    options.onClose?.(name);
  };
  await client.connect(transport, { timeout: options.timeoutMs }).catch(async (error: unknown) => {
    await launch?.exec?.close();
    throw error;
  });
  const request = { timeout: options.timeoutMs };
  const lists: UpstreamLists = { tools: [], prompts: [], resources: [], resourceTemplates: [] };
  const caps = () => client.getServerCapabilities() ?? {};

  const refresh = async (kind: ListKind) => {
    if (kind === "tools" && caps().tools)
      lists.tools = await allPages((cursor) => client.listTools({ cursor }, request), "tools");
    if (kind === "prompts" && caps().prompts)
      lists.prompts = await allPages((cursor) => client.listPrompts({ cursor }, request), "prompts");
    if (kind === "resources" && caps().resources) {
      lists.resources = await allPages((cursor) => client.listResources({ cursor }, request), "resources");
      lists.resourceTemplates = await allPages(
        (cursor) => client.listResourceTemplates({ cursor }, request),
        "resourceTemplates",
      );
    }
  };
  await Promise.all([refresh("tools"), refresh("prompts"), refresh("resources")]);
  for (const [schema, kind] of [
    [ToolListChangedNotificationSchema, "tools"],
    [PromptListChangedNotificationSchema, "prompts"],
    [ResourceListChangedNotificationSchema, "resources"],
  ] as const) {
    client.setNotificationHandler(schema, async () => {
      await refresh(kind).catch(() => {});
      options.onListChanged?.(name, kind);
    });
  }
  return { name, client, capabilities: caps, lists, refresh, close: () => client.close() };
}

async function allPages<K extends string, T>(
  page: (cursor: string | undefined) => Promise<{ nextCursor?: string } & { [key in K]: T[] }>,
  key: K,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES && out.length < MAX_ITEMS; pages++) {
    const result = await page(cursor);
    out.push(...result[key].slice(0, MAX_ITEMS - out.length));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return out;
}
