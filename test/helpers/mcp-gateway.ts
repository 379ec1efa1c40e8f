/**
 * An MCP gateway for tests: the proxy with its controls (a policy written in the test, the real
 * detectors, an in-memory limiter, audit events collected in an array) in front of real SDK
 * servers, served over Streamable HTTP with the AI gateway's authenticator (API keys in memory).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Event } from "../../src/core/index.js";
import { McpConfigSchema } from "../../src/core/index.js";
import { createDefaultInjectionDetector } from "../../src/detect/index.js";
import {
  createAuthenticator,
  createGatewayDetectors,
  createMemoryLimiter,
  detectorsPerPolicy,
  hashApiKey,
} from "../../src/gateway/index.js";
import {
  createToolReview,
  type McpProxy,
  mcpAlertEvent,
  type ProxyControls,
  serveHttp,
  startMcpProxy,
} from "../../src/mcp/index.js";
import { compilePolicy, loadPolicyFiles } from "../../src/policy/index.js";

export const MCP_FIXTURES = join(import.meta.dirname, "../fixtures/mcp");
export const fixtureServer = (file: string, env: Record<string, string> = {}) => ({
  command: process.execPath,
  args: [join(MCP_FIXTURES, file)],
  env,
});

export interface TestGateway {
  proxy: McpProxy;
  url: string;
  events: Event[];
  /** A connected agent holding `key` (an API key name from `keys`), or no credentials. */
  agent(key?: string, headers?: Record<string, string>): Promise<Client>;
  close(): Promise<void>;
}

/** Policy YAML (the `spec:` body) → a gateway over `servers`; `keys` maps key names to roles. */
export async function startTestGateway(options: {
  spec: string;
  servers: Record<string, unknown>;
  keys: Record<string, string[]>;
  controls?: Partial<ProxyControls>;
  /** `mcp.sandbox`: fence every stdio server. */
  sandbox?: boolean;
  /** The approved pins (`mcp.pins`); default: a file that does not exist (nothing approved). */
  pinsFile?: string;
}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-mcp-gw-"));
  const file = join(dir, "policy.yaml");
  writeFileSync(
    file,
    `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: test }\nspec:\n${options.spec.replace(/^/gm, "  ")}\n`,
  );
  const policy = compilePolicy(loadPolicyFiles([file]));
  const events: Event[] = [];
  const detectors = detectorsPerPolicy(createGatewayDetectors());
  const servers = McpConfigSchema.parse({
    servers: options.servers,
    sandbox: options.sandbox ?? false,
    pins: options.pinsFile ?? join(dir, "no-pins.json"),
  });
  const review = createToolReview({
    policy: () => policy,
    servers: servers.servers,
    pinsFile: servers.pins,
    injection: createDefaultInjectionDetector(),
    alert: (alert) => events.push(mcpAlertEvent(alert, detectors(policy))),
  });
  const controls: ProxyControls = {
    hidden: (kind, server, name) => review.hidden(kind, server, name),
    reviewTools: (upstreams) => review.review(upstreams),
    policy: () => policy,
    detectors,
    limiter: createMemoryLimiter(),
    record: (event) => events.push(event),
    hashKey: "test",
    ...options.controls,
  };
  const proxy = await startMcpProxy(
    McpConfigSchema.parse({ servers: options.servers, sandbox: options.sandbox ?? false }),
    {
      controls,
      stderr: "ignore",
    },
  );
  const records = new Map(
    Object.entries(options.keys).map(([name, roles]) => [
      hashApiKey(`pal_${name}`),
      { name, roles, revokedAt: null, expiresAt: null },
    ]),
  );
  const auth = createAuthenticator({
    apiKeys: { findApiKeyByHash: async (hash) => records.get(hash) as never },
    cacheMs: 0,
  });
  const serving = await serveHttp(proxy, "127.0.0.1", 0, { authenticate: (h) => auth.authenticate(h) });
  const clients: Client[] = [];
  return {
    proxy,
    url: serving.url,
    events,
    async agent(key, headers = {}) {
      const client = new Client({ name: "attacker", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(serving.url), {
          requestInit: { headers: { ...(key ? { authorization: `Bearer pal_${key}` } : {}), ...headers } },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await serving.close();
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON-RPC error a call ends with (fails the test if it succeeds). */
export async function rejection(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    const result = await call;
    throw new Error(`expected a JSON-RPC error, got ${JSON.stringify(result).slice(0, 300)}`);
  } catch (error) {
    const e = error as { code?: number; message: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, message: e.message };
  }
}

/** The text of a tool result. */
export const resultText = (result: unknown) =>
  ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text ?? "").join("");
