/**
 * sha256 of a stored file (or a byte range of one) computed on a worker thread. A layer read
 * from a local layout or archive is checked against its digest while the main thread
 * decompresses and parses it: hashing inline cost the main thread ~0.2 s per 300 MB, and the
 * machine's other core is mostly idle during a scan. One worker, started on first use, serves
 * every request of the process; it holds the process open only while a request is pending.
 */
import { Worker } from "node:worker_threads";

export interface FileRegion {
  path: string;
  /** First byte (default 0). */
  start?: number;
  /** Bytes from `start`; to the end of the file when absent. */
  size?: number;
}

// Inline CommonJS (`eval`) so the worker runs the same from src/ under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createReadStream } = require("node:fs");
const { createHash } = require("node:crypto");
parentPort.on("message", ({ id, path, start, end }) => {
  const hash = createHash("sha256");
  createReadStream(path, { start, end, highWaterMark: 1 << 20 })
    .on("data", (chunk) => hash.update(chunk))
    .on("end", () => parentPort.postMessage({ id, digest: "sha256:" + hash.digest("hex") }))
    .on("error", (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }));
});`;

interface Reply {
  id: number;
  digest?: string;
  error?: string;
}

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (digest: string) => void; reject: (error: Error) => void }>();

function hashWorker(): Worker {
  if (worker) return worker;
  // No inherited flags: `--input-type=module` would make the CommonJS source a module.
  const started = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
  started.on("message", ({ id, digest, error }: Reply) => {
    const job = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) started.unref();
    if (digest !== undefined) job?.resolve(digest);
    else job?.reject(new Error(error ?? "digest failed"));
  });
  const failAll = (error: Error) => {
    worker = undefined;
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };
  started.on("error", failAll);
  started.on("exit", (code) => failAll(new Error(`digest worker exited (${code})`)));
  // Listeners first: adding a message listener refs the worker again.
  started.unref();
  worker = started;
  return started;
}

/** `sha256:<hex>` of the region's bytes. A region past the end of the file hashes what is there. */
export function fileDigest(region: FileRegion): Promise<string> {
  const id = nextId++;
  const start = region.start ?? 0;
  const end = region.size === undefined ? undefined : start + region.size - 1;
  return new Promise((resolve, reject) => {
    if (region.size === 0) {
      resolve("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      return;
    }
    const hasher = hashWorker();
    waiting.set(id, { resolve, reject });
    hasher.ref();
    hasher.postMessage({ id, path: region.path, start, end });
  });
}
