import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { createLogger } from "../src/core/index.js";
import { AUDIT_EVENT_KIND, type EventPruner, startAuditRetention } from "../src/gateway/index.js";
import { type FakeUpstream, startFakeUpstream } from "./helpers/fake-upstream.js";
import { startTestGateway, type TestGateway } from "./helpers/gateway.js";

const policy = (logging: string) => `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: logging }
spec:
  runtime:
    roles:
      - { name: support, identities: ["*"], models: ["*"], useCases: [support-bot, triage] }
    injection: { user: { action: allow }, document: { action: allow } }
    logging: ${logging}
`;

async function auditPayload(gw: TestGateway, id: string): Promise<Record<string, unknown>> {
  await gw.audit.flush();
  const row = await gw.store.db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return JSON.parse(row.payload) as Record<string, unknown>;
}

async function ask(gw: TestGateway, content: string, headers: Record<string, string> = {}) {
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "x", maxRetries: 0, defaultHeaders: headers });
  const { response } = await client.chat.completions
    .create({ model: "m", messages: [{ role: "user", content }] })
    .withResponse();
  return response.headers.get("x-palisade-request-id") as string;
}

describe("gateway audit logging follows the policy", () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  for (const [mode, check] of [
    [
      "redacted",
      (p: Record<string, unknown>) => {
        assert.match(String(p.promptExcerpt), /<EMAIL_ADDRESS>/);
        assert.ok(!String(p.promptExcerpt).includes("jane.doe"));
      },
    ],
    [
      "hashed",
      (p: Record<string, unknown>) => {
        assert.equal(p.promptExcerpt, undefined);
        assert.equal(p.answerExcerpt, undefined);
      },
    ],
    [
      "raw",
      (p: Record<string, unknown>) => {
        assert.match(String(p.promptExcerpt), /jane\.doe@example\.com/);
      },
    ],
  ] as const) {
    it(`logging.prompts: ${mode}`, async () => {
      const gw = await startTestGateway({
        upstream: upstream.url,
        noAuth: true,
        policy: policy(`{ prompts: ${mode} }`),
      });
      try {
        const id = await ask(gw, "please write to jane.doe@example.com about the invoice");
        const payload = await auditPayload(gw, id);
        assert.equal(payload.promptLogging, mode);
        assert.match(String(payload.promptHmac), /^[0-9a-f]{64}$/);
        check(payload);
      } finally {
        await gw.close();
      }
    });
  }

  it("checks the x-palisade-use-case header against the caller's roles and records it", async () => {
    const gw = await startTestGateway({ upstream: upstream.url, noAuth: true, policy: policy("{}") });
    const client = (useCase: string) =>
      new OpenAI({
        baseURL: `${gw.url}/v1`,
        apiKey: "x",
        maxRetries: 0,
        defaultHeaders: { "x-palisade-use-case": useCase },
      });
    try {
      const id = await ask(gw, "hello", { "x-palisade-use-case": "triage" });
      assert.equal((await auditPayload(gw, id)).useCase, "triage");
      await assert.rejects(
        client("marketing").chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }),
        (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /use case marketing/.test(error.message),
      );
      await assert.rejects(
        client("two words").chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }),
        (error: unknown) => error instanceof OpenAI.BadRequestError && /x-palisade-use-case/.test(error.message),
      );
      // Without the header the request is not tied to a use case and is admitted.
      await ask(gw, "hello again");
    } finally {
      await gw.close();
    }
  });

  it("deletes audit events older than retentionDays and keeps newer ones", async () => {
    const gw = await startTestGateway({ upstream: upstream.url, noAuth: true, policy: policy("{ retentionDays: 7 }") });
    try {
      const day = 86_400_000;
      const now = Date.now();
      const event = (id: string, age: number) => ({
        id,
        kind: AUDIT_EVENT_KIND,
        time: now - age,
        correlation: {},
        payload: {},
      });
      await gw.store.appendEvents([event("a", 8 * day), event("b", 30 * day), event("c", 6 * day), event("d", 0)]);
      const retention = startAuditRetention({
        store: gw.store,
        retentionDays: () => 7,
        logger: createLogger({ level: "silent" }),
        firstAfterMs: 60_000,
        now: () => now,
      });
      assert.equal(await retention.runOnce(), 2);
      await retention.stop();
      const ids = (await gw.store.db.selectFrom("events").select("id").orderBy("id").execute()).map((r) => r.id);
      assert.deepEqual(ids, ["c", "d"]);
    } finally {
      await gw.close();
    }
  });

  it("reports no deletions instead of throwing when a retention run fails", async () => {
    const failing: EventPruner = {
      pruneEvents: async () => {
        throw new Error("database is locked");
      },
    };
    const retention = startAuditRetention({
      store: failing,
      retentionDays: () => 30,
      logger: createLogger({ level: "silent" }),
    });
    assert.equal(await retention.runOnce(), 0);
    await retention.stop();
  });
});
