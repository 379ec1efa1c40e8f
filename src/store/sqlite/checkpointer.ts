/**
 * WAL checkpoints on a thread of their own. A checkpoint copies the write-ahead log into the
 * database file and syncs it; run by the writer (SQLite's default, every 1,000 pages) it stalls
 * every write transaction that trips it, and on the ingest path that was about a quarter of the
 * time. Here a worker thread with its own connection checkpoints passively (never waiting for the
 * writer) every `everyMs`, on the other core, while the writer keeps a far higher automatic
 * threshold as a backstop should the thread fall behind (SQLite's documented pattern).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The worker's code, as CommonJS text: it needs nothing but the driver, whose path the parent
 * resolves (an eval'd worker resolves modules from the working directory, not from here).
 */
const WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 1000 });
const checkpoint = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** A last checkpoint, then the thread ends (never keeps the process alive). */
  stop(): void;
}

export function startCheckpointer(path: string, everyMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs } });
  worker.unref();
  // A failing checkpointer only costs speed (the writer's backstop checkpoints); never crash for it.
  worker.on("error", () => undefined);
  return { stop: () => worker.postMessage("stop") };
}
