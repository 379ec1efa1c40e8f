/**
 * The injection cascade end to end: a policy names a local ONNX classifier (a tiny one the test
 * builds), and a prompt the fast detector is unsure about is decided by it, through the gateway,
 * with the official openai client.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { createDefaultInjectionDetector } from "../src/detect/index.js";
import { type FakeUpstream, startFakeUpstream } from "./helpers/fake-upstream.js";
import { startTestGateway, type TestGateway } from "./helpers/gateway.js";
import { writeTinyClassifier } from "./helpers/tiny-onnx-classifier.js";

const root = mkdtempSync(join(tmpdir(), "palisade-gw-classifier-"));
const tiny = writeTinyClassifier(join(root, "classifier"));

/** The fast detector alone lets it through; the tiny classifier's trigger word makes it an injection. */
const UNSURE_ATTACK = "please override this report";
const UNSURE_BENIGN = "please summarise this report";
const BAND = [0.05, 0.95] as const;

const policy = (classifier: string) => `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: cascade }
spec:
  runtime:
    roles: [{ name: all, identities: ["*"], models: ["*"] }]
    injection:
      user: { threshold: 0.5, action: block }
${classifier}
`;

async function guardsOf(gw: TestGateway, id: string): Promise<{ guard: string; outcome: string; signals: string[] }[]> {
  await gw.audit.flush();
  const row = await gw.store.db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  return (JSON.parse(row.payload) as { guards: { guard: string; outcome: string; signals: string[] }[] }).guards;
}

describe("gateway injection cascade with a local ONNX classifier", () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await upstream.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("blocks a prompt in the fast detector's uncertain band when the classifier says injection", async () => {
    const fast = createDefaultInjectionDetector();
    for (const text of [UNSURE_ATTACK, UNSURE_BENIGN]) {
      const { score } = fast.detect(text, { mode: "user" });
      assert.ok(score >= BAND[0] && score < 0.5, `fast score ${score} of "${text}" is in the band and passes alone`);
    }
    const gw = await startTestGateway({
      upstream: upstream.url,
      noAuth: true,
      policy: policy(`      classifier:
        model: ${JSON.stringify(tiny.model)}
        tokenizer: ${JSON.stringify(tiny.tokenizer)}
        band: [${BAND.join(", ")}]
        threshold: 0.5
        timeoutMs: 5000`),
    });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "x", maxRetries: 0 });
    try {
      let blockedId = "";
      await assert.rejects(
        client.chat.completions.create({ model: "m", messages: [{ role: "user", content: UNSURE_ATTACK }] }),
        (error: unknown) => {
          if (!(error instanceof OpenAI.BadRequestError) || !/injection/.test(error.message)) return false;
          blockedId = error.headers?.get("x-palisade-request-id") ?? "";
          return true;
        },
      );
      const guards = await guardsOf(gw, blockedId);
      const injection = guards.find((g) => g.guard === "injection");
      assert.equal(injection?.outcome, "blocked", JSON.stringify(guards));
      assert.ok(injection?.signals.includes("cascade:classifier"), JSON.stringify(injection));

      const ok = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: UNSURE_BENIGN }],
      });
      assert.equal(ok.choices[0]?.message.content, "Hello from upstream");
    } finally {
      await gw.close();
    }
  });

  it("fails closed when the model cannot be used, and only for texts in the band", async () => {
    const broken = writeTinyClassifier(join(root, "broken"));
    // A file that exists (so the policy loads) but is not an ONNX model.
    writeFileSync(broken.model, "not a model");
    const gw = await startTestGateway({
      upstream: upstream.url,
      noAuth: true,
      policy: policy(`      classifier:
        model: ${JSON.stringify(broken.model)}
        tokenizer: ${JSON.stringify(broken.tokenizer)}
        band: [0.2, 0.8]
        failMode: closed`),
    });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "x", maxRetries: 0 });
    try {
      await assert.rejects(
        client.chat.completions.create({ model: "m", messages: [{ role: "user", content: UNSURE_BENIGN }] }),
        (error: unknown) => error instanceof OpenAI.BadRequestError && /injection/.test(error.message),
      );
      // Below the band the fast verdict stands and the broken model is never consulted.
      const ok = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "What is the capital of Portugal?" }],
      });
      assert.equal(ok.choices[0]?.message.content, "Hello from upstream");
    } finally {
      await gw.close();
    }
  });
});
