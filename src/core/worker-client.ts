/**
 * A request/reply client for a module running on a worker thread: each request carries an id its
 * reply repeats; the thread is started on the first call, referenced only while a request is in
 * flight (an idle one never keeps the process alive), and, should it die, the requests it held
 * fail and the next call starts a new one. Callers turn replies into results and errors.
 */
import { Worker } from "node:worker_threads";

export interface WorkerClient<Req extends object, Reply extends { id: number }> {
  call(request: Req): Promise<Reply>;
  /** Whether a thread is running (a close message is only worth sending then). */
  readonly running: boolean;
  /** Stop the thread; later calls fail. */
  close(): Promise<void>;
}

export interface WorkerClientOptions {
  /** `import.meta.url` of the module beside which the worker module lies. */
  base: string;
  /** The worker module's name without extension (`.ts` from src/ under tsx, `.js` from dist/). */
  name: string;
  workerData?: unknown;
  /** The error a failed or refused call rejects with. */
  failure: (message: string) => Error;
}

export function createWorkerClient<Req extends object, Reply extends { id: number }>(
  options: WorkerClientOptions,
): WorkerClient<Req, Reply> {
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let worker: Worker | undefined;
  let closed = false;
  const failAll = (message: string) => {
    for (const p of pending.values()) p.reject(options.failure(message));
    pending.clear();
  };

  const spawn = (): Worker => {
    // From src/ (tests, tsx) the worker is TypeScript and needs tsx's loader registered in it.
    const typescript = options.base.endsWith(".ts");
    const entry = new URL(`./${options.name}${typescript ? ".ts" : ".js"}`, options.base);
    const data = options.workerData === undefined ? {} : { workerData: options.workerData };
    const w = typescript
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true, ...data },
        )
      : new Worker(entry, data);
    w.on("message", (reply: Reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      p.resolve(reply);
    });
    w.on("error", (error) => failAll(error.message));
    w.on("exit", (code) => {
      if (worker === w) worker = undefined;
      failAll(`worker exited (code ${code})`);
    });
    return w;
  };

  return {
    call(request) {
      if (closed) return Promise.reject(options.failure("closed"));
      worker ??= spawn();
      const w = worker;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ ...request, id });
      });
    },
    get running() {
      return worker !== undefined;
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
