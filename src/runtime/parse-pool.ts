/**
 * Sensor batches parsed and redacted on a worker thread, so the thread that stores and
 * correlates never waits for JSON parsing and the secret scan (about a quarter of the work per
 * event): with two cores, parsing the next batch overlaps storing this one. Errors come back
 * as the PalisadeError they were (a 413 for a batch over the limits stays a 413).
 */
import { Worker } from "node:worker_threads";
import { ERROR_CODES, type ErrorCode, PalisadeError } from "../core/index.js";
import type { SensorBatch, SensorSource } from "./ingest.js";
import type { ParseReply, ParseRequest } from "./parse-worker.js";

export interface SensorParser {
  /** The batch with its events redacted, as `parseSensorBatch` then the redactor give it. */
  parse(source: SensorSource, body: Uint8Array): Promise<SensorBatch>;
  close(): Promise<void>;
}

type Pending = { resolve: (batch: SensorBatch) => void; reject: (error: Error) => void };

export function createSensorParser(): SensorParser {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Worker | undefined;
  let closed = false;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  // A thread that dies fails the batches it held (the sender retries them); the next batch starts a new one.
  const spawn = (): Worker => {
    // From src/ (tests, tsx) the worker is TypeScript and needs tsx's loader registered in it.
    const typescript = import.meta.url.endsWith(".ts");
    const entry = new URL(`./parse-worker${typescript ? ".ts" : ".js"}`, import.meta.url);
    const w = typescript
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true },
        )
      : new Worker(entry);
    w.on("message", (reply: ParseReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if (reply.ok) return p.resolve(reply.batch);
      const code = (ERROR_CODES as readonly string[]).includes(reply.code) ? (reply.code as ErrorCode) : "internal";
      p.reject(new PalisadeError(code, reply.message, reply.status === undefined ? {} : { status: reply.status }));
    });
    w.on("error", (error) => failAll(new PalisadeError("internal", `sensor parser: ${error.message}`)));
    w.on("exit", (code) => {
      if (worker === w) worker = undefined;
      failAll(new PalisadeError("internal", `sensor parser exited (code ${code})`));
    });
    return w;
  };

  return {
    parse(source, body) {
      if (closed) return Promise.reject(new PalisadeError("internal", "sensor parser is closed"));
      worker ??= spawn();
      const w = worker;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Referenced while a batch is in flight, unreferenced when idle: never keeps a process alive.
        w.ref();
        w.postMessage({ id, source, body } satisfies ParseRequest);
      });
    },
    async close() {
      closed = true;
      await worker?.terminate();
    },
  };
}
