/**
 * The demo's MCP traffic: agents calling the sample documentation server through the MCP gateway
 * with the official SDK client, as an agent framework would. The analyst searches (one result
 * carries an injection the gateway must stop) and tries the delete tool her role does not grant;
 * the attacker, whose role has no MCP rights at all, tries both.
 */
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type McpConfig, McpConfigSchema } from "../../core/index.js";
import type { DEMO_CALLERS } from "./traffic.js";

/** The MCP servers the demo's gateway fronts: the sample documentation server, run by this Node.js. */
export function demoMcpConfig(pinsFile: string): McpConfig {
  return McpConfigSchema.parse({
    servers: {
      docs: {
        command: process.execPath,
        args: [fileURLToPath(new URL("./sample-mcp-server.js", import.meta.url))],
        sandbox: false,
      },
    },
    pins: pinsFile,
  });
}

interface McpCall {
  caller: keyof typeof DEMO_CALLERS;
  tool: string;
  args: Record<string, unknown>;
}

export const DEMO_MCP_CALLS: readonly McpCall[] = [
  { caller: "alice", tool: "docs.search_docs", args: { query: "tls certificate rotation" } },
  { caller: "alice", tool: "docs.search_docs", args: { query: "latency alert runbook" } },
  { caller: "alice", tool: "docs.search_docs", args: { query: "vendor onboarding checklist" } },
  { caller: "alice", tool: "docs.delete_records", args: { table: "customers" } },
  { caller: "mallory", tool: "docs.search_docs", args: { query: "tls" } },
  { caller: "mallory", tool: "docs.delete_records", args: { table: "customers" } },
];

/** Each call, through the gateway at `url`; returns how many the gateway refused or stopped. */
export async function replayDemoMcp(
  url: string,
  keys: Record<keyof typeof DEMO_CALLERS, string>,
  calls: readonly McpCall[] = DEMO_MCP_CALLS,
): Promise<{ sent: number; refused: number }> {
  let refused = 0;
  for (const caller of [...new Set(calls.map((c) => c.caller))]) {
    const client = new Client({ name: `palisade-demo-${caller}`, version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: keys[caller] ? { authorization: `Bearer ${keys[caller]}` } : {} },
    });
    await client.connect(transport);
    try {
      for (const call of calls.filter((c) => c.caller === caller)) {
        try {
          const result = await client.callTool({ name: call.tool, arguments: call.args });
          if (result.isError) refused++;
        } catch {
          refused++;
        }
      }
    } finally {
      await client.close();
    }
  }
  return { sent: calls.length, refused };
}
