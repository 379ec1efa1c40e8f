/**
 * Parse source files on worker threads: the files are dealt round-robin to up to `workers`
 * threads, each loads the grammars once and returns one result per file.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { AiCatalog } from "../catalog.js";
import type { WalkedFile, WalkLimits } from "../walk.js";
import type { SourceFileResult } from "./source-file.js";
import type { WorkerInput, WorkerMessage } from "./worker.js";

/** The compiled worker next to this file, or the TypeScript one when running from source (tsx). */
function workerUrl(): URL {
  const js = new URL("./worker.js", import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL("./worker.ts", import.meta.url);
}

/** Analyse `files` on `workers` threads; `onProgress` gets the number of newly finished files. */
export async function analyzeOnWorkers(options: {
  files: readonly WalkedFile[];
  catalog: AiCatalog;
  limits: WalkLimits;
  workers: number;
  onProgress?: (finished: number) => void;
}): Promise<Map<string, SourceFileResult>> {
  const shares: WalkedFile[][] = Array.from({ length: options.workers }, () => []);
  for (const [i, file] of options.files.entries()) shares[i % options.workers]?.push(file);
  const results = new Map<string, SourceFileResult>();
  const running: Worker[] = [];
  try {
    await Promise.all(
      shares
        .filter((share) => share.length > 0)
        .map(
          (share) =>
            new Promise<void>((resolve, reject) => {
              const input: WorkerInput = { catalog: options.catalog, files: share, limits: options.limits };
              const url = workerUrl();
              // From source (tsx), the worker needs the TypeScript loader too.
              const execArgv = url.pathname.endsWith(".ts") ? ["--import", "tsx"] : undefined;
              const worker = new Worker(url, { workerData: input, ...(execArgv ? { execArgv } : {}) });
              running.push(worker);
              let settled = false;
              worker.on("message", (message: WorkerMessage) => {
                if (message.type === "progress") options.onProgress?.(message.done);
                else {
                  for (const [rel, result] of message.results) results.set(rel, result);
                  options.onProgress?.(share.length % 100);
                  settled = true;
                  resolve();
                }
              });
              worker.on("error", (error) => {
                settled = true;
                reject(error);
              });
              worker.on("exit", (code) => {
                if (!settled) reject(new Error(`parse worker exited with code ${code} before finishing`));
              });
            }),
        ),
    );
  } catch (error) {
    // One failed: stop the others so the caller can fall back without threads left running.
    await Promise.all(running.map((w) => w.terminate()));
    throw error;
  }
  return results;
}
