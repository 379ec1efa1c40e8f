/**
 * Attacks on budgets, caps and the audit trail: spellings of max_tokens that slipped past the
 * role's cap, counts that were reserved as one answer, values servers read as "unlimited",
 * client-chosen request ids that collapsed events, and raw values stored from headers.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { type ScriptedUpstream, startScriptedUpstream } from "../helpers/scripted-upstream.js";

const POLICY = `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: limits }
spec:
  runtime:
    roles:
      - { name: capped, identities: ["api-key:capped*"], models: ["*"], tools: ["*"], maxTokens: 100, limits: { tokensPerDay: 2000 } }
    injection: { user: { action: allow }, document: { action: allow } }
`;

type Json = Record<string, unknown>;

describe("attack: budgets and caps", () => {
  let upstream: ScriptedUpstream;
  let gw: TestGateway;
  let key: string;
  const post = (path: string, body: Json, k = key) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${k}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  before(async () => {
    upstream = await startScriptedUpstream();
    gw = await startTestGateway({ upstream: upstream.url, upstreamKind: "ollama", policy: POLICY });
    key = await gw.key("capped-1");
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const chat = (extra: Json) => ({ model: "m", messages: [{ role: "user", content: "hi" }], ...extra });

  for (const [name, extra] of [
    ["a negative max_tokens", { max_tokens: -5 }],
    ["max_tokens: -1", { max_tokens: -1 }],
    ["max_tokens: 0", { max_tokens: 0 }],
    ["a fractional max_tokens", { max_tokens: 1.5 }],
    ["a negative max_completion_tokens", { max_completion_tokens: -100 }],
    ["a negative n_predict", { n_predict: -1 }],
    ["n: 0", { n: 0 }],
    ["n: 500", { n: 500 }],
  ] as const) {
    it(`refuses ${name} with a 400 naming it`, async () => {
      const before = upstream.received.length;
      const res = await post("/v1/chat/completions", chat(extra));
      const body = (await res.json()) as { error: { param: string } };
      assert.equal(res.status, 400);
      assert.equal(body.error.param, Object.keys(extra)[0]);
      assert.equal(upstream.received.length, before);
    });
  }

  it("refuses Ollama's num_predict: -1 (unlimited) instead of passing it", async () => {
    const res = await post("/api/chat", { ...chat({}), stream: false, options: { num_predict: -1 } });
    assert.equal(res.status, 400);
  });

  for (const [alias, extra, read] of [
    ["max_completion_tokens", { max_completion_tokens: 5000 }, (b: Json) => b.max_completion_tokens],
    ["n_predict", { n_predict: 5000 }, (b: Json) => b.n_predict],
    [
      "max_tokens and max_completion_tokens together",
      { max_tokens: 50, max_completion_tokens: 5000 },
      (b: Json) => b.max_completion_tokens,
    ],
  ] as const) {
    it(`lowers ${alias} to the role's cap`, async () => {
      const res = await post("/v1/chat/completions", chat(extra));
      assert.equal(res.status, 200);
      assert.equal(read(upstream.received.at(-1) as Json), 100);
    });
  }

  it("lowers Ollama's options.num_predict to the role's cap, and sets it when absent", async () => {
    upstream.next({ json: { model: "m", message: { role: "assistant", content: "ok" }, done: true } });
    await post("/api/chat", { ...chat({}), stream: false, options: { num_predict: 9000 } });
    assert.equal(((upstream.received.at(-1) as Json).options as Json).num_predict, 100);
    upstream.next({ json: { model: "m", message: { role: "assistant", content: "ok" }, done: true } });
    await post("/api/chat", { ...chat({}), stream: false });
    assert.equal(((upstream.received.at(-1) as Json).options as Json).num_predict, 100);
  });

  it("reserves every answer of n, so n=50 cannot spend a day's budget as one answer", async () => {
    const other = await gw.key("capped-2");
    const res = await post("/v1/chat/completions", chat({ n: 50 }), other);
    // 50 answers × 100 tokens = 5,000 > the 2,000 tokens a day.
    assert.equal(res.status, 429);
  });
});

describe("attack: the audit trail", () => {
  let upstream: ScriptedUpstream;
  let gw: TestGateway;
  let key: string;

  before(async () => {
    upstream = await startScriptedUpstream();
    gw = await startTestGateway({ upstream: upstream.url, policy: POLICY });
    key = await gw.key("capped-audit");
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function events(): Promise<{ id: string; payload: Json }[]> {
    await gw.audit.flush();
    const rows = await gw.store.db.selectFrom("events").selectAll().execute();
    return rows.map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as Json }));
  }

  it("keeps one event per request when a client repeats its x-request-id", async () => {
    const before = (await events()).length;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": "same-id" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      await res.arrayBuffer();
    }
    const after = await events();
    assert.equal(after.length, before + 3);
    assert.equal(after.filter((e) => e.payload.clientRequestId === "same-id").length, 3);
  });

  it("audits 401, 404, 405 and GET /v1/models", async () => {
    const before = (await events()).length;
    await (await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", body: "{}" })).arrayBuffer();
    await (await fetch(`${gw.url}/v1/nothing`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    await (await fetch(`${gw.url}/v1/chat/completions`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    await (await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    await (await fetch(`${gw.url}/v1/models`)).arrayBuffer();
    const statuses = (await events())
      .slice(before)
      .map((e) => e.payload.status)
      .sort();
    assert.deepEqual(statuses, [200, 401, 401, 404, 405]);
  });

  it("stores no raw value from headers, the model name or error messages", async () => {
    const email = "mallory.secret@example.com";
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "x-request-id": `id ${email}`,
        traceparent: `00-${email}`,
      },
      body: JSON.stringify({ model: `m-${email}`, messages: [{ role: "user", content: "hi" }] }),
    });
    await res.arrayBuffer();
    const bad = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: `{"model": "m", "messages": [{"role": "user", "content": "${email}"`,
    });
    await bad.arrayBuffer();
    const stored = JSON.stringify(await events());
    assert.doesNotMatch(stored, /mallory/);
  });

  it("keeps nothing of a private-key block that runs past the excerpt's scan", async () => {
    const body = Array.from({ length: 60 }, (_, i) =>
      `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${i}`.slice(0, 64),
    ).join("\n");
    const prompt = `${"x".repeat(450)}\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n${"y".repeat(2000)}`;
    const res = await fetch(`${gw.url}/v1/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: prompt }),
    });
    const id = res.headers.get("x-palisade-request-id");
    await res.arrayBuffer();
    const event = (await events()).find((e) => e.id === id);
    assert.ok(event);
    assert.doesNotMatch(String(event.payload.promptExcerpt), /MIIEvQ|BEGIN PRIVATE/);
  });

  it("cuts the prompt excerpt after redaction, never through a value", async () => {
    const email = "victor.victim@example.org";
    const prompt = `${"x".repeat(480)} ${email} end`;
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: prompt }] }),
    });
    const id = res.headers.get("x-palisade-request-id");
    await res.arrayBuffer();
    const event = (await events()).find((e) => e.id === id);
    assert.ok(event);
    assert.doesNotMatch(String(event.payload.promptExcerpt), /victor|victim/);
  });
});
