/**
 * The thread of a threaded ONNX classifier (onnx-thread.ts): loads the classifier from the
 * options it was started with and answers `load` and `score` messages one at a time, errors as
 * their reason and message (an OnnxClassifierError does not survive the structured clone).
 */
import { parentPort, workerData } from "node:worker_threads";
import { createOnnxClassifier, OnnxClassifierError, type OnnxClassifierOptions } from "./onnx-classifier.js";

/** A request from the owning thread. */
export interface OnnxWorkerRequest {
  id: number;
  kind: "load" | "score";
  text?: string;
}

/** The answer to one request. */
export type OnnxWorkerAnswer =
  | { id: number; result: unknown }
  | { id: number; error: { reason: string; message: string; file?: string } };

const classifier = createOnnxClassifier(workerData as OnnxClassifierOptions);
// Requests run one after another: a session runs synchronously anyway, and order keeps the
// owner's timeouts meaningful (a timed-out request's late answer is dropped there).
let queue: Promise<void> = Promise.resolve();

parentPort?.on("message", (request: OnnxWorkerRequest) => {
  queue = queue.then(async () => {
    let answer: OnnxWorkerAnswer;
    try {
      const result = request.kind === "load" ? await classifier.load() : await classifier.score(request.text ?? "");
      answer = { id: request.id, result: result ?? null };
    } catch (error) {
      answer = {
        id: request.id,
        error: {
          reason: error instanceof OnnxClassifierError ? error.reason : "run-failed",
          message: error instanceof Error ? error.message : String(error),
          ...(error instanceof OnnxClassifierError && error.input ? { file: error.input } : {}),
        },
      };
    }
    parentPort?.postMessage(answer);
  });
});
