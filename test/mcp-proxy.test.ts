/**
 * `palisade mcp proxy` with real MCP servers (written with the official SDK) behind it and the
 * SDK's client as the agent, over stdio (the CLI started as a child, as a desktop client would)
 * and over Streamable HTTP.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import Database from "better-sqlite3";
import { McpConfigSchema } from "../src/core/index.js";
import { type HttpServing, type McpProxy, serveHttp, startMcpProxy } from "../src/mcp/index.js";

const FIXTURES = join(import.meta.dirname, "fixtures/mcp");
const dir = mkdtempSync(join(tmpdir(), "palisade-mcp-proxy-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const servers = {
  notes: { command: process.execPath, args: [join(FIXTURES, "notes-server.mjs")] },
  weather: { command: process.execPath, args: [join(FIXTURES, "weather-server.mjs")] },
};
/** The text of a tool result or of a resource's first contents. */
const text = (result: object) => {
  const content = (result as { content?: { text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
};
const resourceText = (result: { contents: object[] }) => (result.contents[0] as { text?: string } | undefined)?.text;

async function agent(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<Client> {
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

describe("mcp proxy over stdio (the CLI as a client's MCP server)", () => {
  let client: Client;
  const changes: string[] = [];
  before(async () => {
    const config = join(dir, "palisade.yaml");
    // The servers live in Palisade's configuration (`mcp.servers`); one of them cannot start.
    writeFileSync(
      config,
      JSON.stringify({ mcp: { servers: { ...servers, broken: { command: "/nonexistent/server" } } } }),
    );
    client = await agent(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(import.meta.dirname, "../bin/palisade.js"), "--config", config, "mcp", "proxy"],
        env: { PATH: process.env.PATH ?? "", PALISADE_HOME: dir },
        stderr: "ignore",
      }),
    );
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      changes.push("tools");
    });
  });
  after(() => client?.close());

  it("lists every upstream's tools under its server's name, and says only what the upstreams offer", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      "notes.add_note",
      "notes.cancelled_count",
      "notes.crash",
      "notes.list_notes",
      "notes.slow",
      "weather.enable_alerts",
      "weather.forecast",
    ]);
    assert.equal(tools.find((t) => t.name === "weather.forecast")?.description, "Forecast for a city");
    assert.deepEqual(Object.keys(client.getServerCapabilities() ?? {}).sort(), ["prompts", "resources", "tools"]);
  });

  it("routes calls, prompts and resources (listed and templated) to their server", async () => {
    assert.equal(
      text(await client.callTool({ name: "notes.add_note", arguments: { text: "buy milk" } })),
      "added note 1",
    );
    assert.equal(text(await client.callTool({ name: "notes.list_notes", arguments: {} })), '["buy milk"]');
    assert.equal(
      text(await client.callTool({ name: "weather.forecast", arguments: { city: "Oslo" } })),
      "Oslo: sunny, 21°C",
    );
    const prompt = await client.getPrompt({ name: "notes.summarize", arguments: { style: "briefly" } });
    assert.deepEqual(prompt.messages[0]?.content, { type: "text", text: "Summarise 1 notes, briefly" });
    const { resources } = await client.listResources();
    assert.deepEqual(
      resources.map((r) => r.uri),
      ["notes://all"],
    );
    assert.equal(resourceText(await client.readResource({ uri: "notes://all" })), '["buy milk"]');
    assert.equal(resourceText(await client.readResource({ uri: "notes://note/1" })), "buy milk");
  });

  it("answers unknown tools, prompts and resources with JSON-RPC errors", async () => {
    for (const call of [
      () => client.callTool({ name: "nope.tool", arguments: {} }),
      () => client.callTool({ name: "notes.nope", arguments: {} }),
      () => client.callTool({ name: "notes", arguments: {} }),
      () => client.getPrompt({ name: "weather.none" }),
      () => client.readResource({ uri: "file:///etc/passwd" }),
    ]) {
      await assert.rejects(
        call,
        (error: unknown) => error instanceof McpError && error.code === ErrorCode.InvalidParams,
      );
    }
  });

  it("passes progress through and cancels the upstream call when the agent cancels", async () => {
    const progress: number[] = [];
    const done = await client.callTool({ name: "notes.slow", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    assert.equal(text(done), "done");
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const abort = new AbortController();
    const call = client.callTool({ name: "notes.slow", arguments: {} }, undefined, {
      signal: abort.signal,
      onprogress: () => abort.abort(),
    });
    await assert.rejects(call);
    // The upstream saw the cancellation (its tool stops at its next step).
    for (let i = 0; i < 30; i++) {
      if (text(await client.callTool({ name: "notes.cancelled_count", arguments: {} })) === "1") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(text(await client.callTool({ name: "notes.cancelled_count", arguments: {} })), "1");
  });

  it("announces a tool added upstream, and serves it", async () => {
    await client.callTool({ name: "weather.enable_alerts", arguments: {} });
    for (let i = 0; i < 30 && !changes.includes("tools"); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(changes.includes("tools"), "tools/list_changed reached the agent");
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === "weather.alerts"));
    assert.equal(text(await client.callTool({ name: "weather.alerts", arguments: {} })), "none");
  });

  it("answers with an error when an upstream dies mid-call, and keeps serving the others", async () => {
    await assert.rejects(client.callTool({ name: "notes.crash", arguments: {} }), McpError);
    assert.equal(
      text(await client.callTool({ name: "weather.forecast", arguments: { city: "Rome" } })),
      "Rome: sunny, 21°C",
    );
    await assert.rejects(
      client.callTool({ name: "notes.list_notes", arguments: {} }),
      (error: unknown) => error instanceof McpError && error.code === ErrorCode.InvalidParams,
    );
  });
});

describe("mcp proxy over Streamable HTTP", () => {
  let proxy: McpProxy;
  let serving: HttpServing;
  before(async () => {
    proxy = await startMcpProxy(McpConfigSchema.parse({ servers }), { stderr: "ignore" });
    serving = await serveHttp(proxy, "127.0.0.1", 0);
  });
  after(async () => {
    await serving?.close();
    await proxy?.close();
  });

  it("serves sessions to SDK clients", async () => {
    const a = await agent(new StreamableHTTPClientTransport(new URL(serving.url)));
    const b = await agent(new StreamableHTTPClientTransport(new URL(serving.url)));
    assert.equal((await a.listTools()).tools.length, 7);
    assert.equal(
      text(await b.callTool({ name: "weather.forecast", arguments: { city: "Lima" } })),
      "Lima: sunny, 21°C",
    );
    await a.close();
    await b.close();
  });

  it("answers malformed bodies, unknown sessions and other paths with JSON-RPC errors", async () => {
    const post = (body: string, headers: Record<string, string> = {}, path = "/mcp") =>
      fetch(new URL(path, serving.url), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body,
      });
    const malformed = await post("{not json");
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: number } }).error.code, ErrorCode.ParseError);
    const stale = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), {
      "mcp-session-id": "nope",
    });
    assert.equal(stale.status, 404);
    const other = await post("{}", {}, "/other");
    assert.equal(other.status, 404);
    const huge = await post(
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "x", params: { a: "x".repeat(5 * 1024 * 1024) } }),
    );
    assert.equal(huge.status, 413);
    // A request without a session that is not initialize is refused by the transport.
    const noSession = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
    assert.equal(noSession.status, 400);
    // Refused before any per-session server is made: a flood of these allocates nothing.
    assert.match(((await noSession.json()) as { error: { message: string } }).error.message, /no session/);
  });
});

describe("mcp proxy from the CLI over HTTP, servers from a client's config", () => {
  it("prints where it listens as JSON and serves the client's servers", async () => {
    const file = join(dir, "claude_desktop_config.json");
    writeFileSync(file, JSON.stringify({ mcpServers: { weather: servers.weather } }));
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, "../bin/palisade.js"),
        "mcp",
        "proxy",
        "--servers",
        file,
        "--http",
        "127.0.0.1:0",
        "--no-auth",
        "--format",
        "json",
      ],
      { env: { PATH: process.env.PATH ?? "", PALISADE_HOME: dir }, stdio: ["ignore", "pipe", "ignore"] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout as Readable }), "line")) as [string];
      const ready = JSON.parse(line) as { url: string; servers: string[]; failed: Record<string, string> };
      assert.deepEqual([ready.servers, ready.failed], [["weather"], {}]);
      const client = await agent(new StreamableHTTPClientTransport(new URL(ready.url)));
      assert.deepEqual(
        (await client.listTools()).tools.map((t) => t.name),
        ["weather.forecast", "weather.enable_alerts"],
      );
      await client.close();
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});

describe("mcp proxy from the CLI over HTTP with the AI gateway's API keys", () => {
  it("admits a key made with `palisade keys create`, refuses none, and audits each call in the store", async () => {
    const home = mkdtempSync(join(tmpdir(), "palisade-mcp-keys-"));
    const cli = join(import.meta.dirname, "../bin/palisade.js");
    const env = { PATH: process.env.PATH ?? "", PALISADE_HOME: home };
    const created = spawnSync(process.execPath, [cli, "keys", "create", "agent-1", "--format", "json"], {
      env,
      encoding: "utf8",
    });
    assert.equal(created.status, 0, created.stderr);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const file = join(home, "mcp.json");
    writeFileSync(file, JSON.stringify({ mcpServers: { weather: servers.weather } }));
    const child = spawn(
      process.execPath,
      [cli, "mcp", "proxy", "--servers", file, "--http", "127.0.0.1:0", "--format", "json"],
      { env, stdio: ["ignore", "pipe", "ignore"] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout as Readable }), "line")) as [string];
      const { url } = JSON.parse(line) as { url: string };
      const anonymous = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }),
      });
      assert.equal(anonymous.status, 401);
      const client = await agent(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${key}`, "x-palisade-request-id": "req-from-ai-gateway" } },
        }),
      );
      const result = await client.callTool({ name: "weather.forecast", arguments: { city: "Lyon" } });
      assert.match(text(result), /Lyon/);
      await client.close();
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    // Shutdown flushed the audit trail into the store the keys live in.
    const db = new Database(join(home, "palisade.db"), { readonly: true });
    try {
      const rows = db.prepare("SELECT identity_id, request_id, payload FROM events WHERE kind = 'mcp.call'").all() as {
        identity_id: string;
        request_id: string;
        payload: string;
      }[];
      assert.equal(rows.length, 1);
      const row = rows[0] as (typeof rows)[number];
      assert.equal(row.identity_id, "api-key:agent-1");
      assert.equal(row.request_id, "req-from-ai-gateway");
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      assert.deepEqual(
        [payload.target, payload.decision, payload.argumentShape],
        ["weather.forecast", "allow", { city: "string" }],
      );
    } finally {
      db.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
