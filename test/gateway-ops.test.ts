import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { Agent, fetch as undiciFetch } from "undici";
import type { Event } from "../src/core/index.js";
import { openStore } from "../src/store/index.js";
import { type FakeUpstream, startFakeUpstream } from "./helpers/fake-upstream.js";
import { startTestGateway } from "./helpers/gateway.js";
import { startGatewayProcess, startupLogOf, stopGatewayProcess } from "./helpers/gateway-process.js";
import { startOfMinuteWithRoom } from "./helpers/rate-window.js";
import { redisSkipReason, startRedis } from "./helpers/redis.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("gateway operations", () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  it("in monitor mode passes traffic unchanged and records what enforce would have done", async () => {
    const gw = await startTestGateway({
      upstream: upstream.url,
      noAuth: true,
      policy: `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: m }
spec:
  runtime:
    roles: [{ name: all, identities: ["*"], models: ["*"], tools: ["*"] }]
    guards: { mode: monitor }
    pii: { prompt: { default: block } }
`,
    });
    try {
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "x", maxRetries: 0 });
      const { data, response } = await client.chat.completions
        .create({
          model: "m",
          messages: [{ role: "user", content: `say64: ${b64("call +1 (415) 555-2671")} jane@example.com` }],
        })
        .withResponse();
      assert.equal(data.choices[0]?.message.content, "call +1 (415) 555-2671");
      await gw.audit.flush();
      const row = await gw.store.db
        .selectFrom("events")
        .selectAll()
        .where("id", "=", response.headers.get("x-palisade-request-id") as string)
        .executeTakeFirstOrThrow();
      const guards = (
        JSON.parse(row.payload) as { guards: { guard: string; direction: string; outcome: string; wouldBe?: string }[] }
      ).guards;
      assert.ok(
        guards.some(
          (g) => g.guard === "pii" && g.direction === "prompt" && g.outcome === "flagged" && g.wouldBe === "blocked",
        ),
        JSON.stringify(guards),
      );
      assert.ok(
        guards.some((g) => g.guard === "pii" && g.direction === "response" && g.outcome === "flagged"),
        JSON.stringify(guards),
      );
    } finally {
      await gw.close();
    }
  });

  it("guards Ollama's native NDJSON chat stream", async () => {
    const gw = await startTestGateway({ upstream: upstream.url, upstreamKind: "ollama", noAuth: true });
    try {
      const response = await fetch(`${gw.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({
          model: "llama3",
          messages: [{ role: "user", content: `say64[chunk=2]: ${b64("iban DE89 3704 0044 0532 0130 00 ok")}` }],
        }),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/x-ndjson");
      const lines = (await response.text())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { message: { content: string }; done: boolean });
      assert.equal(lines.map((l) => l.message.content).join(""), "iban <IBAN_CODE> ok");
      assert.equal(lines.at(-1)?.done, true);
    } finally {
      await gw.close();
    }
  });

  it("serves health, readiness and Prometheus metrics", async () => {
    const gw = await startTestGateway({ upstream: upstream.url, noAuth: true });
    try {
      assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${gw.url}/readyz`)).status, 200);
      await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "say: hi" }] }),
      });
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      assert.match(metrics, /palisade_gateway_requests_total\{endpoint="chat",status="200"\} 1/);
      const missing = await fetch(`${gw.url}/v2/nothing`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { type: string } }).error.type, "invalid_request_error");
    } finally {
      await gw.close();
    }
  });

  it("writes exactly one audit event for each of 1,000 concurrent requests", async () => {
    const gw = await startTestGateway({ upstream: upstream.url, noAuth: true });
    try {
      // Like a real client fleet: many requests in flight over a pool of keep-alive connections.
      const dispatcher = new Agent({ connections: 200 });
      const statuses = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          undiciFetch(`${gw.url}/v1/chat/completions`, {
            dispatcher,
            method: "POST",
            headers: { "x-request-id": `req-${i}` },
            body: JSON.stringify({
              model: "m",
              stream: i % 2 === 0,
              messages: [{ role: "user", content: `say: answer ${i}` }],
            }),
          }).then(async (r) => {
            await r.text();
            return r.status;
          }),
        ),
      );
      await dispatcher.close();
      assert.equal(statuses.filter((s) => s === 200).length, 1000);
      await gw.audit.flush();
      const ids = (await gw.store.db.selectFrom("events").select("id").execute()).map((r) => r.id);
      assert.equal(ids.length, 1000);
      assert.equal(new Set(ids).size, 1000);
    } finally {
      await gw.close();
    }
  });

  it("spools audit events while the store is down and replays them without duplicates", async () => {
    let down = true;
    const gw = await startTestGateway({
      upstream: upstream.url,
      noAuth: true,
      sink: (store) => ({
        appendEvents: async (events: readonly Event[]) => {
          if (down) throw new Error("store is down");
          await store.appendEvents(events);
        },
      }),
    });
    try {
      for (let i = 0; i < 30; i++) {
        await fetch(`${gw.url}/v1/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "say: hi" }] }),
        });
      }
      await gw.audit.flush();
      assert.equal(gw.audit.stats.spooled, 30);
      assert.equal(await gw.store.countRows("events"), 0);
      down = false;
      await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "say: back" }] }),
      });
      await gw.audit.flush();
      assert.equal(await gw.store.countRows("events"), 31);
      assert.equal(gw.audit.stats.replayed, 30);
    } finally {
      await gw.close();
    }
  });

  it("the shipped gateway writes every audit event through its writer thread before it exits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-gw-audit-"));
    const db = join(dir, "audit.db");
    const port = 21000 + Math.floor(Math.random() * 4000);
    const child = await startGatewayProcess(
      ["--upstream", upstream.url, "--listen", `127.0.0.1:${port}`, "--no-auth", "--db", db],
      { PALISADE_HOME: dir, PALISADE_HASH_KEY: "k" },
    );
    const ids: string[] = [];
    try {
      for (let i = 0; i < 25; i++) {
        const r = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: `say: hello ${i}` }] }),
        });
        assert.equal(r.status, 200);
        ids.push(r.headers.get("x-palisade-request-id") as string);
        await r.text();
      }
    } finally {
      // SIGTERM: the gateway drains, flushes its queue to the writer thread and waits for the commit.
      await stopGatewayProcess(child);
    }
    assert.equal(child.exitCode, 0);
    const store = openStore({ location: db });
    try {
      const rows = await store.db.selectFrom("events").select("id").where("kind", "=", "gateway.request").execute();
      assert.deepEqual(rows.map((r) => r.id).sort(), [...ids].sort());
    } finally {
      await store.close();
    }
  });

  it("shares one rate limit between two gateway processes through Redis", { skip: redisSkipReason() }, async () => {
    const redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), "palisade-two-gw-"));
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: r }\nspec:\n  runtime:\n    roles: [{ name: all, identities: ["*"], models: ["*"], limits: { requestsPerMinute: 10 } }]\n`,
    );
    const start = (port: number) =>
      startGatewayProcess(
        [
          "--upstream",
          upstream.url,
          "--listen",
          `127.0.0.1:${port}`,
          "--no-auth",
          "--policy",
          policy,
          "--db",
          join(dir, `g${port}.db`),
        ],
        {
          PALISADE_REDIS_URL: redis.url,
          PALISADE_HOME: dir,
          PALISADE_LOG_LEVEL: "info",
          PALISADE_HASH_KEY: "a-secret-for-this-test",
        },
      );
    const ports = [18000 + Math.floor(Math.random() * 1000), 19000 + Math.floor(Math.random() * 1000)];
    const children = await Promise.all(ports.map(start));
    try {
      for (const child of children) assert.doesNotMatch(startupLogOf(child), /PALISADE_HASH_KEY/);
      // The limit counts per calendar minute and two real processes cannot share a fake clock,
      // so start the twenty calls where one minute has room for all of them.
      await startOfMinuteWithRoom(20_000);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await fetch(`http://127.0.0.1:${ports[i % 2]}/v1/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "say: hi" }] }),
        });
        await r.text();
        statuses.push(r.status);
      }
      assert.equal(statuses.filter((s) => s === 200).length, 10);
      assert.equal(statuses.filter((s) => s === 429).length, 10);
    } finally {
      for (const child of children) await stopGatewayProcess(child);
      await redis.stop();
    }
  });
});

describe("gateway routes per upstream kind", () => {
  it("answers 404 for Ollama's native API in front of a non-Ollama upstream", async () => {
    const upstream = await startFakeUpstream();
    const gw = await startTestGateway({ upstream: upstream.url, noAuth: true });
    try {
      const r = await fetch(`${gw.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "say: hi" }] }),
      });
      assert.equal(r.status, 404);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, "not_found");
    } finally {
      await gw.close();
      await upstream.close();
    }
  });
});
