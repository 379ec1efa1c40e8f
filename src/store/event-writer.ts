/**
 * Event appends and prunes in a worker thread. better-sqlite3 is synchronous, so a batch of audit
 * events written on the gateway's event loop stalls every request in flight for the length of the
 * transaction (the p99 of a busy gateway); a worker with its own connection keeps that off the
 * request path. PostgreSQL writes go the same way, so there is one code path for both stores.
 * Calls resolve when the worker's transaction has committed and reject with a store error
 * otherwise (the caller spools and retries); a crashed worker is replaced on the next call.
 */
import { Worker } from "node:worker_threads";
import { type Event, PalisadeError } from "../core/index.js";
import type { WorkerOp, WorkerReply } from "./event-writer-worker.js";
import type { OpenStoreOptions } from "./open.js";

export interface WorkerEventWriter {
  appendEvents(events: readonly Event[]): Promise<void>;
  pruneEvents(options: { kind: string; before: number }): Promise<number>;
  /** Finish queued requests, close the worker's connection and stop the worker. */
  close(): Promise<void>;
}

type Pending = { resolve: (value: number | undefined) => void; reject: (error: Error) => void };

/** Start a worker that writes to the store at `options.location`. */
export function createWorkerEventWriter(options: OpenStoreOptions): WorkerEventWriter {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let closed = false;

  const failAll = (message: string) => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new PalisadeError("store-unavailable", `event writer: ${message}`, { input: options.location }));
    }
  };

  const spawn = (): Worker => {
    // From src/ (tests, tsx) the worker is TypeScript and needs tsx's loader registered in it.
    const typescript = import.meta.url.endsWith(".ts");
    const entry = new URL(`./event-writer-worker${typescript ? ".ts" : ".js"}`, import.meta.url);
    const w = typescript
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true, workerData: options },
        )
      : new Worker(entry, { workerData: options });
    w.on("message", (reply: WorkerReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new PalisadeError("store-unavailable", reply.message, { input: options.location }));
      if (pending.size === 0) w.unref();
    });
    w.on("error", (error) => failAll(error.message));
    w.on("exit", (code) => {
      if (worker === w) worker = undefined;
      failAll(`worker exited (code ${code})`);
    });
    return w;
  };

  const call = (request: WorkerOp): Promise<number | undefined> => {
    if (closed) return Promise.reject(new PalisadeError("store-unavailable", "event writer is closed"));
    worker ??= spawn();
    const w = worker;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      // Referenced while a request is in flight, so the process waits for the commit.
      w.ref();
      w.postMessage({ ...request, id });
    });
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
      if (closed) return;
      const w = worker;
      if (w) await call({ op: "close" }).catch(() => undefined);
      closed = true;
      worker = undefined;
      await w?.terminate();
    },
  };
}
