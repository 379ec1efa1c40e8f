import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import { UpstreamConfigSchema } from "../../core/index.js";
import { GatewayError } from "../errors.js";
import { createModelRouter } from "../router.js";
import { createUpstreamPool } from "./client.js";

async function server(answer: string): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const s = createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => res.end(answer));
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise((r) => s.close(() => r())) };
}

async function text(body: AsyncIterable<unknown>): Promise<string> {
  let out = "";
  for await (const chunk of body) out += String(chunk);
  return out;
}

const call = (signal = new AbortController().signal) => ({
  path: () => "/v1/chat/completions",
  body: () => "{}",
  signal,
});

describe("upstream pool", () => {
  it("fails over to the next upstream when one refuses connections, and skips it while unhealthy", async () => {
    const live = await server("from-b");
    const pool = createUpstreamPool([
      UpstreamConfigSchema.parse({ name: "a", url: "http://127.0.0.1:1", models: ["m"] }),
      UpstreamConfigSchema.parse({ name: "b", url: live.url, models: ["m", "other"], aliases: { fast: "m-small" } }),
    ]);
    const router = createModelRouter(pool.upstreams);
    try {
      const first = await pool.send(router.targets("m"), call());
      assert.equal(first.upstream.config.name, "b");
      assert.equal(await text(first.body), "from-b");
      first.release();
      assert.equal(pool.upstreams[0]?.healthy, false, "a is marked unhealthy after failing to connect");
      assert.deepEqual(
        router.targets("fast").map((t) => [t.upstream.config.name, t.model]),
        [["b", "m-small"]],
      );
      assert.deepEqual(router.targets("nope"), []);
    } finally {
      await pool.close();
      await live.close();
    }
  });

  it("answers 502 when no upstream can be reached, and queues requests beyond an upstream's concurrency cap", async () => {
    const pool = createUpstreamPool([
      UpstreamConfigSchema.parse({ name: "a", url: "http://127.0.0.1:1", maxConcurrency: 1 }),
    ]);
    try {
      await assert.rejects(
        pool.send([{ upstream: pool.upstreams[0] as never, model: "m" }], call()),
        (e: unknown) => e instanceof GatewayError && e.code === "upstream_error",
      );
    } finally {
      await pool.close();
    }
    const live = await server("ok");
    const capped = createUpstreamPool([UpstreamConfigSchema.parse({ name: "c", url: live.url, maxConcurrency: 1 })]);
    try {
      const target = [{ upstream: capped.upstreams[0] as never, model: "m" }];
      const held = await capped.send(target, call());
      // A second request waits for the slot instead of failing, and goes through once it is free.
      const waiting = capped.send(target, call());
      setTimeout(() => held.release(), 50);
      await text(held.body);
      const again = await waiting;
      again.release();
      await text(again.body);
      // A waiter whose client goes away stops waiting.
      const blocker = await capped.send(target, call());
      const gone = new AbortController();
      const abandoned = capped.send(target, call(gone.signal));
      gone.abort();
      await assert.rejects(abandoned, (e: unknown) => e instanceof GatewayError && e.code === "rate_limit_exceeded");
      blocker.release();
      await text(blocker.body);
    } finally {
      await capped.close();
      await live.close();
    }
  });
});
