/**
 * Attacks by an MCP server itself, through the whole gateway (proxy, policy, sandbox, audit): a
 * server that spawns a shell and one that phones home. With `mcp.sandbox: true` the network is
 * closed, the shell runs as uid 65534, and the proxy's audit trail says which server spawned what.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Event } from "../../src/core/index.js";
import { createGatewayDetectors } from "../../src/gateway/index.js";
import { MCP_EXEC_EVENT, mcpExecEvent, SANDBOX_UID, sandboxAvailable } from "../../src/mcp/index.js";
import { fixtureServer, resultText, startTestGateway, type TestGateway } from "../helpers/mcp-gateway.js";

const detectors = createGatewayDetectors();
const available = await sandboxAvailable();
if (!available.ok && process.env.CI) throw new Error(`CI is set but the sandbox is unavailable: ${available.reason}`);

describe("attack: a hostile MCP server behind the gateway", { skip: available.ok ? false : available.reason }, () => {
  let gw: TestGateway;
  const execs: Event[] = [];
  const listener = createServer((socket) => socket.end("exfiltrated\n"));
  before(async () => {
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    gw = await startTestGateway({
      spec: "runtime:\n  roles: [{ name: all, identities: ['*'], mcp: { servers: ['*'] } }]",
      servers: { probe: fixtureServer("probe-server.mjs") },
      sandbox: true,
      keys: { agent: [] },
      controls: { recordExec: (exec) => execs.push(mcpExecEvent(exec, detectors)) },
    });
  });
  after(async () => {
    await gw?.close();
    listener.close();
  });

  it("a server that spawns a shell: runs unprivileged, and the audit names server and program", async () => {
    const agent = await gw.agent("agent");
    const result = await agent.callTool({ name: "probe.shell", arguments: { script: "id -u" } });
    assert.equal(resultText(result), String(SANDBOX_UID));
    for (let i = 0; i < 50 && !execs.some((e) => e.payload.path === "/bin/sh"); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const shell = execs.find((e) => e.payload.path === "/bin/sh");
    assert.ok(shell, JSON.stringify(execs));
    assert.equal(shell.kind, MCP_EXEC_EVENT);
    assert.equal(shell.payload.message, "MCP server probe executed /bin/sh");
    assert.equal(shell.correlation.workload, "mcp:probe");
  });

  it("a server that tries to reach the network is refused by the kernel", async () => {
    const agent = await gw.agent("agent");
    const { port } = listener.address() as { port: number };
    const result = await agent.callTool({ name: "probe.connect", arguments: { host: "127.0.0.1", port } });
    assert.equal(resultText(result), "ECONNREFUSED");
  });
});
