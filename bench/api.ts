/**
 * The dashboard's heaviest API calls over a SQLite store holding 100,000 gateway requests (and
 * MCP calls) spread over a week: GET /api/v1/overview and GET /api/v1/activity (last day, last
 * week), through the real HTTP server with an API key, as the dashboard calls them. Prints JSON:
 * per endpoint the median, p95 and worst of `--requests` sequential calls, after a warm-up.
 *
 *   npm run bench:api                       # 100,000 events
 *   npm run bench:api -- --events 20000 --requests 50
 *
 * The events are appended through the store's own path (hash chain, facts columns), as the
 * gateway's audit writer appends them; their mix (identities, models, verdicts) is fixed by a seed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { Event } from "../src/core/index.js";
import { createAuthenticator, generateApiKey } from "../src/gateway/index.js";
import { createStoreDirectory } from "../src/incident/index.js";
import { createApi, startApiServer } from "../src/server/index.js";
import { openStore } from "../src/store/index.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "100000" },
    requests: { type: "string", default: "40" },
  },
});
const EVENTS = Number(values.events);
const REQUESTS = Number(values.requests);
const NOW = Date.now();
const WEEK = 7 * 86_400_000;

/** A small deterministic generator (mulberry32): the same store on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const IDENTITIES = Array.from({ length: 40 }, (_, i) => `api-key:team-${i}`);
const MODELS = ["llama3.1:8b", "llama3.1:70b", "mistralai/Mistral-7B-Instruct-v0.3", "qwen2.5:14b", "gpt-4o-mini"];
const GUARDS: [string, string][] = [
  ["injection", "blocked"],
  ["pii", "redacted"],
  ["secrets", "blocked"],
  ["pii", "flagged"],
];

function event(i: number): Event {
  const mcp = i % 10 === 9;
  const guard = rand() < 0.12 ? pick(GUARDS) : undefined;
  const time = NOW - Math.floor(rand() * WEEK);
  if (mcp)
    return {
      id: `bench-mcp-${i}`,
      kind: "mcp.call",
      time,
      identity: pick(IDENTITIES),
      correlation: {},
      payload: {
        method: "tools/call",
        server: "github",
        target: "search_issues",
        decision: rand() < 0.05 ? "deny" : "allow",
        rule: "mcp.tool-not-allowed",
        guards: [],
        redacted: false,
        latencyMs: 5 + rand() * 50,
      },
    };
  return {
    id: `bench-req-${i}`,
    kind: "gateway.request",
    time,
    identity: pick(IDENTITIES),
    correlation: { requestId: `bench-req-${i}` },
    payload: {
      endpoint: "chat",
      model: pick(MODELS),
      status: guard?.[1] === "blocked" ? 400 : 200,
      guards: guard ? [{ guard: guard[0], direction: "prompt", outcome: guard[1], signals: [] }] : [],
      usage: { prompt: 50 + Math.floor(rand() * 500), completion: Math.floor(rand() * 800) },
      latencyMs: 80 + rand() * 2000,
      promptExcerpt: "a redacted prompt excerpt of some length, as the gateway stores it for admins",
      answerExcerpt: "an answer excerpt",
    },
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const dir = mkdtempSync(join(tmpdir(), "palisade-bench-api-"));
try {
  const store = openStore({ location: join(dir, "api.db") });
  await store.migrate();
  const fillStart = performance.now();
  for (let i = 0; i < EVENTS; i += 1000)
    await store.appendEvents(Array.from({ length: Math.min(1000, EVENTS - i) }, (_, j) => event(i + j)));
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const key = generateApiKey();
  await store.createApiKey({ name: "bench", prefix: key.prefix, hash: key.hash, roles: ["viewer"] });
  const auth = createAuthenticator({ apiKeys: store });
  const api = createApi({
    store,
    directory: createStoreDirectory({ mcp: {} }),
    authenticate: (h) => auth.authenticate(h),
    version: "bench",
  });
  const server = await startApiServer({ host: "127.0.0.1", port: 0, api: api.handler });

  const endpoints: Record<string, string> = {
    overview: "/api/v1/overview",
    "activity (last day)": "/api/v1/activity",
    "activity (last week)": `/api/v1/activity?from=${NOW - WEEK}&to=${NOW + 1}`,
    "activity MCP (last week)": `/api/v1/activity?kind=mcp.call&from=${NOW - WEEK}&to=${NOW + 1}`,
    "events, first page": "/api/v1/events?limit=50",
    "events blocked, first page": "/api/v1/events?verdict=blocked&limit=50",
  };
  const results: Record<string, { medianMs: number; p95Ms: number; maxMs: number }> = {};
  for (const [name, path] of Object.entries(endpoints)) {
    const call = async () => {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key.key}` } });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    for (let i = 0; i < 3; i++) await call();
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      await call();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 100) / 100;
    results[name] = {
      medianMs: round(quantile(times, 0.5)),
      p95Ms: round(quantile(times, 0.95)),
      maxMs: round(times.at(-1) ?? 0),
    };
  }
  await server.close();
  await store.close();
  console.log(
    JSON.stringify(
      {
        events: EVENTS,
        requestsPerEndpoint: REQUESTS,
        fillSeconds: Math.round(fillSeconds * 10) / 10,
        target: "overview and activity p95 <= 300 ms with 100k events (issue 19)",
        endpoints: results,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
