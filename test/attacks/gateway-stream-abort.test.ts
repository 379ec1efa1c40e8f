/**
 * Attack: a client starts a streamed answer and leaves while the guards still hold text back;
 * the upstream must be cancelled, not left generating for nobody.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakeUpstream, startFakeUpstream } from "../helpers/fake-upstream.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

describe("attack: leaving mid-stream", () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;

  before(async () => {
    upstream = await startFakeUpstream();
    gw = await startTestGateway({ upstream: upstream.url, noAuth: true });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it("cancels the upstream when the client leaves while text is held back", async () => {
    const controller = new AbortController();
    // Digits in groups keep the card recogniser's hold-back engaged: nothing is released yet.
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        stream: true,
        messages: [{ role: "user", content: `slow: ${"1234 ".repeat(60)}` }],
      }),
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const deadline = Date.now() + 3000;
    while (upstream.aborted === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.equal(upstream.aborted, 1, "the upstream stream was cancelled");
  });
});
