/**
 * How long writing a batch of gateway audit events holds the caller's event loop: the store
 * on the same thread (better-sqlite3 is synchronous) next to the worker-thread writer the
 * gateway uses, on the same SQLite file, alternating, in one run. Prints JSON.
 *   node --import tsx bench/audit-writer.ts [--rounds=40]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Event } from "../src/core/index.js";
import { percentile } from "../src/detect/injection/index.js";
import { createWorkerEventWriter, openStore } from "../src/store/index.js";

const ROUNDS = Number(process.argv.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 40);

/** A payload shaped like a real gateway.request event (two 500-character excerpts). */
const payload = {
  endpoint: "chat",
  route: "/v1/chat/completions",
  stream: false,
  model: "llama3.1",
  roles: ["analyst"],
  policy: { decision: "allow", reasons: [] },
  status: 200,
  guards: [{ guard: "pii", direction: "prompt", outcome: "redacted", signals: ["EMAIL_ADDRESS"] }],
  usage: { prompt: 250, completion: 98 },
  latencyMs: 3.2,
  promptHmac: "9a".repeat(32),
  promptExcerpt: "x".repeat(500),
  answerExcerpt: "y".repeat(500),
};
let next = 0;
const batch = (size: number): Event[] =>
  Array.from({ length: size }, () => ({
    id: `e-${next++}`,
    kind: "gateway.request",
    time: Date.now(),
    correlation: { requestId: `r-${next}` },
    payload,
  }));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-audit-bench-"));
  const location = join(dir, "palisade.db");
  const store = openStore({ location });
  await store.migrate();
  const worker = createWorkerEventWriter({ location });
  await worker.appendEvents(batch(50));
  await store.appendEvents(batch(50));
  const results: Record<string, unknown> = {};
  for (const size of [10, 50, 100]) {
    const sameThread: number[] = [];
    const workerCaller: number[] = [];
    const workerCommitted: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let started = performance.now();
      await store.appendEvents(batch(size));
      sameThread.push(performance.now() - started);
      started = performance.now();
      const pending = worker.appendEvents(batch(size));
      workerCaller.push(performance.now() - started);
      await pending;
      workerCommitted.push(performance.now() - started);
    }
    const ms = (list: number[]) => ({
      p50: Math.round(percentile(list, 0.5) * 1000) / 1000,
      p99: Math.round(percentile(list, 0.99) * 1000) / 1000,
    });
    results[`batch${size}`] = {
      sameThreadBlockingMs: ms(sameThread),
      workerCallerThreadMs: ms(workerCaller),
      workerUntilCommittedMs: ms(workerCommitted),
      blockingRatio: Math.round((percentile(sameThread, 0.5) / percentile(workerCaller, 0.5)) * 10) / 10,
    };
  }
  await worker.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ rounds: ROUNDS, results }, null, 2));
}

await main();
