/** Worker thread: analyses a share of the source files and posts the results back. */
import { parentPort, workerData } from "node:worker_threads";
import type { AiCatalog } from "../catalog.js";
import { readSourceText, type WalkedFile, type WalkLimits } from "../walk.js";
import { analyzeSourceFile, createSourceContext, type SourceFileResult } from "./source-file.js";

/** What the main thread hands each worker. */
export interface WorkerInput {
  catalog: AiCatalog;
  files: WalkedFile[];
  limits: WalkLimits;
}

/** Messages a worker posts: progress while it works, then every result keyed by file. */
export type WorkerMessage =
  | { type: "progress"; done: number }
  | { type: "done"; results: [string, SourceFileResult][] };

const input = workerData as WorkerInput;
const ctx = await createSourceContext(input.catalog);
const results: [string, SourceFileResult][] = [];
for (const [i, file] of input.files.entries()) {
  const text = readSourceText(file, input.limits);
  if (typeof text !== "string") results.push([file.rel, { parsed: false, skipped: text }]);
  else {
    try {
      results.push([file.rel, analyzeSourceFile(file, text, ctx)]);
    } catch (cause) {
      const reason = `malformed: ${cause instanceof Error ? cause.message.split("\n")[0] : "cannot parse"}`;
      results.push([file.rel, { parsed: false, skipped: { file: file.rel, reason } }]);
    }
  }
  if (i % 100 === 99) parentPort?.postMessage({ type: "progress", done: 100 } satisfies WorkerMessage);
}
parentPort?.postMessage({ type: "done", results } satisfies WorkerMessage);
