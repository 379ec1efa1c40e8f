/**
 * The worker side of createWorkerEventWriter: owns its own store connection and runs event
 * appends and prunes off the caller's event loop. The store is opened (and migrated) on first
 * use and again after a failure, so a store that is down at start is picked up when it is back.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Event } from "../core/index.js";
import { type OpenStoreOptions, openStore } from "./open.js";
import type { Store } from "./store.js";

/** What the caller asks of the worker; each request also carries an id its reply repeats. */
export type WorkerOp =
  | { op: "append"; events: readonly Event[] }
  | { op: "prune"; kind: string; before: number }
  | { op: "close" };
export type WorkerRequest = WorkerOp & { id: number };

export type WorkerReply = { id: number; ok: true; value?: number } | { id: number; ok: false; message: string };

const options = workerData as OpenStoreOptions;
let store: Store | undefined;

async function ready(): Promise<Store> {
  if (store) return store;
  const opened = openStore(options);
  try {
    await opened.migrate();
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
  store = opened;
  return opened;
}

async function handle(request: WorkerRequest): Promise<number | undefined> {
  if (request.op === "close") {
    await store?.close();
    store = undefined;
    return undefined;
  }
  const s = await ready();
  try {
    if (request.op === "append") {
      await s.appendEvents(request.events);
      return undefined;
    }
    return await s.pruneEvents({ kind: request.kind, before: request.before });
  } catch (error) {
    // Drop the connection so the next request opens a fresh one (the database may have moved or restarted).
    store = undefined;
    await s.close().catch(() => undefined);
    throw error;
  }
}

// Requests are handled one at a time, in order, as a single connection would.
let queue: Promise<unknown> = Promise.resolve();
parentPort?.on("message", (request: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      const value = await handle(request);
      reply = value === undefined ? { id: request.id, ok: true } : { id: request.id, ok: true, value };
    } catch (error) {
      reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
  });
});
