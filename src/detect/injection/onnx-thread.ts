/**
 * An ONNX classifier (onnx-classifier.ts) that runs in a thread of its own, for callers on an
 * event loop that must keep turning (the gateway's main thread): onnxruntime-node runs a session
 * synchronously, so in the caller's thread a text holds the loop for the model's whole inference
 * time. Here the thread holds the session; the caller waits on a message, its timeout is real
 * (a late answer is dropped), and requests beyond `maxPending` are refused (`busy`) rather than
 * queued without end. The thread starts on first use, does not keep the process alive while
 * idle, and is started again after a crash.
 */
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  type ClassifierScore,
  type OnnxClassifier,
  OnnxClassifierError,
  type OnnxClassifierFailure,
  type OnnxClassifierOptions,
} from "./onnx-classifier.js";
import type { OnnxWorkerAnswer, OnnxWorkerRequest } from "./onnx-worker.js";

export interface ThreadedOnnxClassifierOptions
  extends Omit<OnnxClassifierOptions, "openSession" | "toTensor" | "retryLoadAfterMs"> {
  /** Requests waiting for the thread at most (a long text or a slow model backs them up). Default 16. */
  maxPending?: number;
}

/** A classifier in its own thread; `close` stops the thread. */
export interface ThreadedOnnxClassifier extends OnnxClassifier {
  close(): Promise<void>;
}

const DEFAULT_MAX_PENDING = 16;
const DEFAULT_TIMEOUT_MS = 1000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/** Start (lazily) a classifier thread over the given files. */
export function createThreadedOnnxClassifier(options: ThreadedOnnxClassifierOptions): ThreadedOnnxClassifier {
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { maxPending: _, ...classifierOptions } = options;
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let nextId = 1;
  let loaded = false;

  const settleAll = (error: Error) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(error);
    }
  };

  const start = (): Worker => {
    if (worker) return worker;
    const started = new Worker(fileURLToPath(workerUrl()), { workerData: classifierOptions });
    started.on("message", (answer: OnnxWorkerAnswer) => {
      const p = pending.get(answer.id);
      if (!p) return; // timed out: the answer came too late
      pending.delete(answer.id);
      clearTimeout(p.timer);
      if (pending.size === 0) started.unref();
      if ("error" in answer) {
        const { reason, message, file } = answer.error;
        p.reject(new OnnxClassifierError(reason as OnnxClassifierFailure, message, file ? { file } : {}));
      } else p.resolve(answer.result);
    });
    const gone = (cause: unknown) => {
      if (worker !== started) return;
      worker = undefined;
      loaded = false;
      settleAll(new OnnxClassifierError("run-failed", "the classifier thread stopped", { cause }));
    };
    started.on("error", gone);
    started.on("exit", gone);
    worker = started;
    return started;
  };

  const request = (kind: OnnxWorkerRequest["kind"], text: string | undefined, timeout: number | undefined) => {
    if (pending.size >= maxPending)
      return Promise.reject(new OnnxClassifierError("busy", `classifier busy: ${pending.size} texts waiting`));
    const thread = start();
    const id = nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      if (timeout !== undefined)
        entry.timer = setTimeout(() => {
          pending.delete(id);
          if (pending.size === 0) thread.unref();
          reject(new OnnxClassifierError("timeout", `classifier timed out after ${timeout} ms`));
        }, timeout);
      pending.set(id, entry);
      thread.ref();
      thread.postMessage({ id, kind, ...(text === undefined ? {} : { text }) } satisfies OnnxWorkerRequest);
    });
  };

  const load = async () => {
    if (loaded && worker) return;
    await request("load", undefined, undefined);
    loaded = true;
  };

  return {
    name: options.model.split(/[\\/]/).at(-1) ?? options.model,
    load,
    async score(text) {
      // Loading is not part of a text's time budget; inference is.
      await load();
      return (await request("score", text, timeoutMs)) as ClassifierScore;
    },
    async close() {
      const thread = worker;
      worker = undefined;
      settleAll(new OnnxClassifierError("run-failed", "the classifier was closed"));
      if (thread) await thread.terminate();
    },
  };
}

/** The compiled worker next to this file under dist/; from source, the shim that registers tsx first. */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./onnx-worker-tsx.mjs" : "./onnx-worker.js", import.meta.url);
}
