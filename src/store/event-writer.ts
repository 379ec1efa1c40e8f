/**
 * Event appends and prunes in a worker thread. better-sqlite3 is synchronous, so a batch of audit
 * events written on the gateway's event loop stalls every request in flight for the length of the
 * transaction (the p99 of a busy gateway); a worker with its own connection keeps that off the
 * request path. PostgreSQL writes go the same way, so there is one code path for both stores.
 * Calls resolve when the worker's transaction has committed and reject with a store error
 * otherwise (the caller spools and retries); a crashed worker is replaced on the next call.
 */
import { createWorkerClient, type Event, PalisadeError } from "../core/index.js";
import type { WorkerOp, WorkerReply } from "./event-writer-worker.js";
import type { OpenStoreOptions } from "./open.js";

export interface WorkerEventWriter {
  appendEvents(events: readonly Event[]): Promise<void>;
  pruneEvents(options: { kind: string; before: number }): Promise<number>;
  /** Finish queued requests, close the worker's connection and stop the worker. */
  close(): Promise<void>;
}

/** Start a worker that writes to the store at `options.location`. */
export function createWorkerEventWriter(options: OpenStoreOptions): WorkerEventWriter {
  const client = createWorkerClient<WorkerOp, WorkerReply>({
    base: import.meta.url,
    name: "event-writer-worker",
    workerData: options,
    failure: (message) =>
      new PalisadeError("store-unavailable", `event writer: ${message}`, { input: options.location }),
  });
  // Resolves when the worker's transaction has committed (the thread is referenced until then).
  const call = async (request: WorkerOp): Promise<number | undefined> => {
    const reply = await client.call(request);
    if (!reply.ok) throw new PalisadeError("store-unavailable", reply.message, { input: options.location });
    return reply.value;
  };

  return {
    async appendEvents(events) {
      if (events.length === 0) return;
      await call({ op: "append", events });
    },
    async pruneEvents({ kind, before }) {
      return (await call({ op: "prune", kind, before })) ?? 0;
    },
    async close() {
      if (client.running) await call({ op: "close" }).catch(() => undefined);
      await client.close();
    },
  };
}
