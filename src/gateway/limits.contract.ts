/** The limiter contract: memory and Redis limiters run the same suite. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Limiter } from "./limits.js";

export function runLimiterContract(
  name: string,
  make: (clock: () => number) => Promise<{ limiter: Limiter; done: () => Promise<void> }>,
  options: { skip?: string } = {},
): void {
  describe(`limiter contract: ${name}`, { skip: options.skip }, () => {
    // Time is injected, never read from the wall clock: every limiter reads `now` from here.
    const T = Date.UTC(2026, 10, 26, 10, 15, 30);
    let now = T;
    let n = 0;
    const key = () => `k${n++}-${Math.random()}`;

    async function withLimiter(fn: (l: Limiter) => Promise<void>) {
      now = T;
      const { limiter, done } = await make(() => now);
      try {
        await fn(limiter);
      } finally {
        await done();
      }
    }

    it("counts requests per minute and answers with the seconds left in the window", async () => {
      await withLimiter(async (l) => {
        const k = key();
        for (let i = 0; i < 3; i++) assert.equal((await l.admit(k, { requestsPerMinute: 3 }, 0)).ok, true);
        const rejected = await l.admit(k, { requestsPerMinute: 3 }, 0);
        assert.deepEqual(rejected, { ok: false, limit: "requestsPerMinute", retryAfterSeconds: 30 });
        now = T + 31_000;
        assert.equal((await l.admit(k, { requestsPerMinute: 3 }, 0)).ok, true, "a new minute");
      });
    });

    it("reserves tokens up front and reconciles them with real usage", async () => {
      await withLimiter(async (l) => {
        const k = key();
        const a = await l.admit(k, { tokensPerDay: 1000 }, 800);
        assert.ok(a.ok);
        const b = await l.admit(k, { tokensPerDay: 1000 }, 300);
        assert.equal(b.ok, false, "800 reserved + 300 would pass the budget");
        if (a.ok) await a.finish(100);
        const usage = await l.usage(k);
        assert.equal(usage.tokensToday, 100);
        assert.equal((await l.admit(k, { tokensPerDay: 1000 }, 300)).ok, true);
      });
    });

    it("holds a concurrency slot until finish and releases it once", async () => {
      await withLimiter(async (l) => {
        const k = key();
        const first = await l.admit(k, { concurrency: 1 }, 0);
        assert.ok(first.ok);
        assert.deepEqual(await l.admit(k, { concurrency: 1 }, 0), {
          ok: false,
          limit: "concurrency",
          retryAfterSeconds: 1,
        });
        if (first.ok) {
          await first.finish(0);
          await first.finish(0);
        }
        assert.equal((await l.usage(k)).inFlight, 0);
        assert.equal((await l.admit(k, { concurrency: 1 }, 0)).ok, true);
      });
    });

    it("enforces monthly budgets with Retry-After at the month's end", async () => {
      await withLimiter(async (l) => {
        const k = key();
        assert.equal((await l.admit(k, { tokensPerMonth: 10 }, 10)).ok, true);
        const r = await l.admit(k, { tokensPerMonth: 10 }, 1);
        assert.equal(r.ok, false);
        if (!r.ok) assert.equal(r.retryAfterSeconds, Math.ceil((Date.UTC(2026, 11, 1) - T) / 1000));
      });
    });

    it("admits exactly the limit under concurrent callers", async () => {
      await withLimiter(async (l) => {
        const k = key();
        const results = await Promise.all(Array.from({ length: 50 }, () => l.admit(k, { requestsPerMinute: 20 }, 0)));
        assert.equal(results.filter((r) => r.ok).length, 20);
      });
    });
  });
}
