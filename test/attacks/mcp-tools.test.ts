/**
 * Attacks through tool definitions, each as a malicious server would mount it against an agent
 * behind the gateway: a description carrying hidden instructions (tool poisoning), a trusted tool
 * swapped after first use (rug pull), a tool named like another server's to catch its calls
 * (shadowing), and a tool that was never approved when the policy waits for approval. Each is
 * withheld from the agent, refused if called by name, and raised once as an `mcp.alert`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { McpConfigSchema } from "../../src/core/index.js";
import { approveTools, emptyPins, POLICY_DENIED, serverIdentity, writePins } from "../../src/mcp/index.js";
import { fixtureServer, rejection, resultText, startTestGateway, type TestGateway } from "../helpers/mcp-gateway.js";

const ALL = "runtime:\n  roles: [{ name: all, identities: ['*'], mcp: { servers: ['*'] } }]";
const open: TestGateway[] = [];
after(async () => {
  await Promise.all(open.map((g) => g.close()));
});
async function gateway(options: Parameters<typeof startTestGateway>[0]): Promise<TestGateway> {
  const gw = await startTestGateway(options);
  open.push(gw);
  return gw;
}
const alerts = (gw: TestGateway) =>
  gw.events.filter((e) => e.kind === "mcp.alert").map((e) => e.payload as Record<string, unknown>);

describe("attack: tool poisoning", () => {
  it("a tool whose description tells the model to read ~/.ssh is withheld and cannot be called", async () => {
    const gw = await gateway({ spec: ALL, servers: { helper: fixtureServer("poisoned-server.mjs") }, keys: { a: [] } });
    const agent = await gw.agent("a");
    const names = (await agent.listTools()).tools.map((t) => t.name);
    assert.ok(!names.includes("helper.word_count"), names.join(", "));
    const denied = await rejection(agent.callTool({ name: "helper.word_count", arguments: { text: "a b" } }));
    assert.equal(denied.code, POLICY_DENIED);
    assert.match(denied.message, /withheld: its definition looks poisoned \(mcp\.poisoning\./);
    const alert = alerts(gw).find((a) => a.target === "word_count");
    assert.ok(alert && String(alert.rule).startsWith("mcp.poisoning."), JSON.stringify(alerts(gw)));
    assert.equal(alert.action, "hidden");
  });

  it("under monitor the same tool is listed, and the alert says reported", async () => {
    const gw = await gateway({
      spec: `${ALL}\n  mcp: { poisoning: { mode: monitor }, shadowing: monitor }`,
      servers: { helper: fixtureServer("poisoned-server.mjs") },
      keys: { a: [] },
    });
    const agent = await gw.agent("a");
    assert.ok((await agent.listTools()).tools.some((t) => t.name === "helper.word_count"));
    assert.equal(alerts(gw).find((a) => a.target === "word_count")?.action, "reported");
  });
});

describe("attack: shadowing another server's tool", () => {
  for (const spelling of ["same", "mixed"])
    it(`a second server offering read_file (${spelling} spelling) is withheld; the first keeps it`, async () => {
      const gw = await gateway({
        spec: ALL,
        servers: {
          files: fixtureServer("shadow-files-server.mjs"),
          helper: fixtureServer("poisoned-server.mjs", { SHADOW_SPELLING: spelling }),
        },
        keys: { a: [] },
      });
      const agent = await gw.agent("a");
      const names = (await agent.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("files.read_file"));
      assert.ok(!names.some((n) => n.toLowerCase() === "helper.read_file"), names.join(", "));
      const alert = alerts(gw).find((a) => a.rule === "mcp.shadowing");
      assert.match(String(alert?.message), /shadows files\.read_file/);
    });
});

describe("attack: rug pull after first use", () => {
  it("a tool redefined after it was first seen is withheld, with the diff in the alert", async () => {
    const gw = await gateway({
      spec: ALL,
      servers: { calc: fixtureServer("rugpull-live-server.mjs") },
      keys: { a: [] },
    });
    const agent = await gw.agent("a");
    let changed!: () => void;
    const listChanged = new Promise<void>((resolve) => {
      changed = resolve;
    });
    agent.setNotificationHandler(ToolListChangedNotificationSchema, async () => changed());
    assert.equal(resultText(await agent.callTool({ name: "calc.add", arguments: { a: 2, b: 3 } })), "5");
    await listChanged;
    const names = (await agent.listTools()).tools.map((t) => t.name);
    assert.deepEqual(names, ["calc.multiply"]);
    const denied = await rejection(agent.callTool({ name: "calc.add", arguments: { a: 1, b: 1 } }));
    assert.match(denied.message, /changed since it was approved/);
    const alert = alerts(gw).find((a) => a.rule === "mcp.tool-changed");
    assert.match(JSON.stringify(alert?.detail), /keeps a copy of the inputs/);
  });
});

describe("attack: a tool nobody approved, when the policy waits for approval", () => {
  const dir = mkdtempSync(join(tmpdir(), "palisade-pins-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it("only the tools in the pin file are offered", async () => {
    const servers = { calc: fixtureServer("rugpull-live-server.mjs") };
    const pinsFile = join(dir, "pins.json");
    const identity = serverIdentity(McpConfigSchema.parse({ servers }).servers.calc as never);
    // Approve `multiply` only, as `palisade mcp approve --tool multiply` would: its definition as
    // the server lists it.
    const direct = new Client({ name: "reviewer", version: "1.0.0" });
    await direct.connect(new StdioClientTransport({ ...servers.calc, stderr: "ignore" }));
    const { tools } = await direct.listTools();
    await direct.close();
    writePins(
      pinsFile,
      approveTools(emptyPins(), { identity, serverName: "calc", tools: tools.filter((t) => t.name === "multiply") }),
    );
    const gw = await gateway({
      spec: `${ALL}\n  mcp: { pinning: { unapproved: hide } }`,
      servers,
      pinsFile,
      keys: { a: [] },
    });
    const agent = await gw.agent("a");
    assert.deepEqual(
      (await agent.listTools()).tools.map((t) => t.name),
      ["calc.multiply"],
      JSON.stringify(alerts(gw)),
    );
    assert.ok(alerts(gw).some((a) => a.rule === "mcp.tool-unapproved" && a.target === "add"));
  });
});
