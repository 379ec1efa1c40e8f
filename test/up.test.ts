/**
 * `palisade up --demo` from the shipped CLI: one process whose store is filled by running the
 * product (scans of examples/, sample traffic through its gateway), served by the API; the
 * gateway keeps serving real clients (the official openai client) and what they send shows up.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { assertOneLineError, runCli } from "./helpers/cli.js";
import { type RunningUp, startPalisadeUp } from "./helpers/palisade-up.js";

describe("palisade up --demo", () => {
  let up: RunningUp;
  before(async () => {
    up = await startPalisadeUp(["--demo"]);
  });
  after(async () => {
    await up?.stop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: API answers, checked field by field below.
  const get = async (path: string, key = up.adminKey): Promise<any> => {
    const response = await fetch(`${up.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return response.json();
  };

  it("prints the dashboard, API and gateway addresses and a one-time admin key", () => {
    assert.match(up.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(up.gatewayUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(up.adminKey, /^pal_/);
    assert.match(up.output(), new RegExp(`dashboard\\s+${up.url}/#key=${up.adminKey}`));
  });

  it("records the scans of examples/: the project's SDKs and models, the malicious pickle, the image and its vulnerability", async () => {
    const overview = await get("/api/v1/overview");
    const count = (type: string) => overview.inventory.find((i: { type: string }) => i.type === type)?.count ?? 0;
    assert.ok(count("ai-sdk") >= 5, "openai, langchain-openai, transformers, torch, ai, @ai-sdk/anthropic...");
    assert.ok(count("model-file") >= 2);
    assert.equal(count("image"), 1);
    const rules = overview.topRisks.map((r: { ruleId: string }) => r.ruleId);
    for (const rule of ["code.hardcoded-ai-key", "model/pickle-dangerous-call", "CVE-2019-10906"])
      assert.ok(rules.includes(rule), rule);
    assert.equal(overview.scans.count, 2);
  });

  it("audits the sample traffic the gateway judged, and correlates the attacker's attempts into an incident", async () => {
    const activity = await get("/api/v1/activity");
    assert.equal(activity.totals.requests, 28);
    const reasons = Object.fromEntries(
      activity.blockedByReason.map((r: { reason: string; count: number }) => [r.reason, r.count]),
    );
    assert.equal(reasons.injection, 6);
    assert.ok(reasons.secrets >= 1 && reasons.pii >= 1, JSON.stringify(reasons));
    assert.ok(activity.totals.verdicts.redacted >= 1);
    const mallory = activity.byIdentity.find((i: { identity: string }) => i.identity === "api-key:mallory");
    assert.ok(mallory.blocked >= 7);
    const incidents = await get("/api/v1/incidents");
    const jailbreaks = incidents.items.find((i: { ruleId: string }) => i.ruleId === "repeated-jailbreaks");
    assert.ok(jailbreaks, "repeated blocked injections from one identity opened an incident");
    assert.deepEqual(jailbreaks.summary.groupedBy, ["identity:api-key:mallory"]);
    const trace = await get(`/api/v1/incidents/${jailbreaks.id}/trace`);
    assert.ok(trace.nodes.some((n: { type: string }) => n.type === "identity"));
  });

  it("runs the MCP gateway in front of the sample server: searches pass, a poisoned result and tool abuse are stopped", async () => {
    assert.match(up.mcpUrl, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const activity = await get("/api/v1/activity?kind=mcp.call");
    assert.equal(activity.totals.requests, 6);
    assert.equal(activity.totals.verdicts.allowed, 2);
    const reasons = Object.fromEntries(
      activity.blockedByReason.map((r: { reason: string; count: number }) => [r.reason, r.count]),
    );
    assert.deepEqual(reasons, { "mcp.tool-not-allowed": 3, "mcp.results": 1 });
  });

  it("keeps serving: a key made through the API calls the gateway with the openai client, and the call is audited", async () => {
    const made = await fetch(`${up.url}/api/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${up.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "analytics-test" }),
    });
    assert.equal(made.status, 201);
    const { key } = (await made.json()) as { key: string };
    const client = new OpenAI({ baseURL: `${up.gatewayUrl}/v1`, apiKey: key });
    const answer = await client.chat.completions.create({
      model: "llama3.1:8b",
      messages: [{ role: "user", content: "How do I pin a model revision?" }],
    });
    assert.match(answer.choices[0]?.message.content ?? "", /^Sample upstream:/);
    for (let i = 0; ; i++) {
      const events = await get("/api/v1/events?identity=api-key:analytics-test");
      if (events.items.length === 1) break;
      assert.ok(i < 50, "the request was not audited within 10 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it("takes a CI job's scan with --upload and a scans:write key, and refuses it without a key", async () => {
    const made = await fetch(`${up.url}/api/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${up.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "ci-upload", roles: ["scans:write"] }),
    });
    const { key } = (await made.json()) as { key: string };
    const project = fileURLToPath(new URL("../examples/chat-app", import.meta.url));
    const args = ["scan", "code", project, "--no-store", "--format", "json", "--upload", up.url];
    const refused = await runCli(args, { env: { PALISADE_API_KEY: "" } });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /upload to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/scans refused \(401\): set PALISADE_API_KEY/,
    );
    const sent = await runCli(args, { env: { PALISADE_API_KEY: key } });
    assert.equal(sent.code, 0, sent.stderr);
    const scans = await get("/api/v1/scans?kind=code");
    assert.equal(scans.items.length, 1, "the scan fs of the demo is kind fs; this one is the upload");
    assert.match(scans.items[0].target, /chat-app$/);
  });

  it("serves the dashboard from the same address", async () => {
    const page = await fetch(`${up.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await page.text(), /<script type="module"[^>]+src="\/assets\/index-[\w-]+\.js"/);
  });

  it("hides the API from callers without a key", async () => {
    assert.equal((await fetch(`${up.url}/api/v1/overview`)).status, 401);
  });
});

describe("palisade up: bad usage", () => {
  it("refuses to start without an upstream unless --demo brings the sample one", async () => {
    const result = await runCli(["up", "--listen", "127.0.0.1:0", "--gateway-listen", "127.0.0.1:0"]);
    assertOneLineError(result, /no upstream: give --upstream URL/);
    assert.equal(result.code, 2);
  });

  it("refuses --no-auth on an address other machines reach", async () => {
    const result = await runCli([
      "up",
      "--demo",
      "--no-auth",
      "--listen",
      "0.0.0.0:0",
      "--gateway-listen",
      "127.0.0.1:0",
    ]);
    assertOneLineError(result, /--no-auth is only allowed when every address is loopback/);
    assert.equal(result.code, 2);
  });

  it("refuses a malformed address", async () => {
    const result = await runCli(["up", "--demo", "--listen", "localhost"]);
    assertOneLineError(result, /--listen must be HOST:PORT \(e\.g\. 127\.0\.0\.1:8080\), got localhost/);
  });
});
