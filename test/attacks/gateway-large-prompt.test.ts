/**
 * Attack: one huge prompt used to hold the gateway's event loop for minutes (9.5 MB: 471 s),
 * so health checks and every other caller waited. The shipped gateway scans large texts on its
 * worker threads: while a 10 MB prompt is guarded, /healthz keeps answering.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type FakeUpstream, startFakeUpstream } from "../helpers/fake-upstream.js";
import { startGatewayProcess, stopGatewayProcess } from "../helpers/gateway-process.js";

/** Ordinary prose with a little PII (an e-mail address and a phone number every ~4 KB), `size` characters. */
function prose(size: number): string {
  const sentence =
    "The quarterly report was sent to finance on Tuesday, and the team reviewed the open items together. ";
  const contact = "Questions go to ops-team@example.com or the desk at +1 415 555 2671. ";
  const block = sentence.repeat(40) + contact;
  return block.repeat(Math.ceil(size / block.length)).slice(0, size);
}

describe("attack: a 10 MB prompt", () => {
  let upstream: FakeUpstream;
  let child: Awaited<ReturnType<typeof startGatewayProcess>>;
  let port: number;

  before(async () => {
    upstream = await startFakeUpstream();
    const dir = mkdtempSync(join(tmpdir(), "palisade-gw-large-"));
    port = 25000 + Math.floor(Math.random() * 4000);
    child = await startGatewayProcess(
      ["--upstream", upstream.url, "--listen", `127.0.0.1:${port}`, "--no-auth", "--db", join(dir, "p.db")],
      { PALISADE_HOME: dir, PALISADE_HASH_KEY: "k" },
    );
  });
  after(async () => {
    await stopGatewayProcess(child);
    await upstream.close();
  });

  it("leaves /healthz answering within 100 ms while it is guarded", async (t) => {
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: prose(10_000_000) }] });
    // Warm the worker thread with one large prompt, so the figure is the steady state.
    const warmBody = JSON.stringify({ model: "m", messages: [{ role: "user", content: prose(2_000_000) }] });
    const warm = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: "POST", body: warmBody });
    await warm.arrayBuffer();

    let done = false;
    const big = fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: "POST", body }).then(async (r) => {
      await r.arrayBuffer();
      done = true;
      return r.status;
    });
    const latencies: number[] = [];
    while (!done) {
      const started = performance.now();
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      await r.arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // 200, or 503 when the guards' time budget (2 s by default) ran out first: either way the
    // answer came, and the event loop kept serving meanwhile.
    assert.ok([200, 503].includes(await big), `unexpected status ${await big}`);
    const worst = Math.max(...latencies);
    t.diagnostic(`${latencies.length} health checks, slowest ${worst.toFixed(1)} ms`);
    assert.ok(latencies.length >= 3, `only ${latencies.length} health checks ran`);
    assert.ok(worst <= 100, `slowest /healthz answer took ${worst.toFixed(0)} ms (${latencies.length} checks)`);
  });
});
