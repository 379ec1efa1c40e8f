/**
 * The activity view counts whole hours from the rollups the store keeps at append time and the
 * partial hours from the events: for any range, its answer must equal counting the events one by
 * one. Checked over random traffic and random ranges (fast-check), on SQLite.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { type Event, eventFacts } from "../src/core/index.js";
import { createStoreDirectory } from "../src/incident/index.js";
import { type ApiServer, createApi, startApiServer } from "../src/server/index.js";
import { openStore, type Store } from "../src/store/index.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);
const SPAN = 72 * HOUR;
const IDENTITIES = ["api-key:a", "api-key:b", "api-key:c", undefined];
const MODELS = ["llama3.1:8b", "qwen2.5:14b", undefined];
const OUTCOMES = [
  [],
  [["injection", "blocked"]],
  [["pii", "redacted"]],
  [["secrets", "blocked"]],
  [["pii", "flagged"]],
];

function traffic(seed: number, count: number): Event[] {
  let a = seed;
  const rand = () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return a / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const identity = pick(IDENTITIES);
    const model = pick(MODELS);
    const mcp = rand() < 0.2;
    const guards = pick(OUTCOMES).map(([guard, outcome]) => ({ guard, direction: "prompt", outcome, signals: [] }));
    return {
      id: `ev-${i}`,
      kind: mcp ? "mcp.call" : "gateway.request",
      time: T0 + Math.floor(rand() * SPAN),
      ...(identity ? { identity } : {}),
      correlation: {},
      payload: mcp
        ? { decision: rand() < 0.2 ? "deny" : "allow", rule: "mcp.tool-not-allowed", guards, latencyMs: 5 }
        : {
            ...(model ? { model } : {}),
            status: rand() < 0.05 ? 502 : 200,
            guards,
            // Some never reached the upstream (refused first): no usage, and their model is only the client's text.
            ...(rand() < 0.15
              ? {}
              : { usage: { prompt: Math.floor(rand() * 100), completion: Math.floor(rand() * 100) } }),
            latencyMs: Math.floor(rand() * 1000),
          },
    };
  });
}

/** What the activity answer should say, counted event by event. */
function expected(events: readonly Event[], kind: string, from: number, to: number) {
  const inRange = events.filter((e) => e.kind === kind && e.time >= from && e.time < to);
  const verdicts: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  const identities: Record<string, number> = {};
  const models: Record<string, number> = {};
  let tokens = 0;
  for (const e of inRange) {
    const f = eventFacts(e.kind, e.payload);
    if (!f.verdict) continue;
    verdicts[f.verdict] = (verdicts[f.verdict] ?? 0) + 1;
    if (f.verdict === "blocked") reasons[f.reason ?? "unknown"] = (reasons[f.reason ?? "unknown"] ?? 0) + 1;
    identities[e.identity ?? "anonymous"] = (identities[e.identity ?? "anonymous"] ?? 0) + 1;
    tokens += f.tokens ?? 0;
    const model = (f.tokens === null ? null : f.model) ?? "unknown";
    models[model] = (models[model] ?? 0) + 1;
  }
  return {
    verdicts,
    reasons,
    identities,
    models,
    tokens,
    requests: Object.values(verdicts).reduce((s, v) => s + v, 0),
  };
}

describe("activity over hourly rollups", () => {
  let dir: string;
  let store: Store;
  let server: ApiServer;
  const events = traffic(7, 3000);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "palisade-rollups-"));
    store = openStore({ location: join(dir, "r.db") });
    await store.migrate();
    // In uneven batches and with a resend: an event appended twice is counted once.
    for (let i = 0; i < events.length; i += 337) await store.appendEvents(events.slice(i, i + 337));
    await store.appendEvents(events.slice(100, 600));
    const api = createApi({ store, directory: createStoreDirectory({ mcp: {} }), version: "test" });
    server = await startApiServer({ host: "127.0.0.1", port: 0, api: api.handler });
  });
  after(async () => {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts any range, aligned to hours or not, exactly as the events one by one", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -HOUR, max: SPAN }),
        fc.integer({ min: 1, max: SPAN + HOUR }),
        fc.constantFrom("gateway.request", "mcp.call"),
        async (offset, length, kind) => {
          const from = T0 + offset;
          const to = from + length;
          const response = await fetch(`${server.url}/api/v1/activity?kind=${kind}&from=${from}&to=${to}`);
          assert.equal(response.status, 200);
          const a = (await response.json()) as {
            totals: { requests: number; tokens: number; verdicts: Record<string, number> };
            series: { requests: number }[];
            blockedByReason: { reason: string; count: number }[];
            byIdentity: { identity: string; requests: number }[];
            byModel: { model: string; requests: number }[];
          };
          const want = expected(events, kind, from, to);
          assert.equal(a.totals.requests, want.requests);
          assert.equal(a.totals.tokens, want.tokens);
          for (const [verdict, count] of Object.entries(a.totals.verdicts))
            assert.equal(count, want.verdicts[verdict] ?? 0, verdict);
          assert.deepEqual(Object.fromEntries(a.blockedByReason.map((r) => [r.reason, r.count])), want.reasons);
          assert.deepEqual(Object.fromEntries(a.byIdentity.map((r) => [r.identity, r.requests])), want.identities);
          assert.deepEqual(Object.fromEntries(a.byModel.map((r) => [r.model, r.requests])), want.models);
          assert.equal(
            a.series.reduce((s, p) => s + p.requests, 0),
            want.requests,
          );
        },
      ),
      { numRuns: 40, seed: 19 },
    );
  });
});
