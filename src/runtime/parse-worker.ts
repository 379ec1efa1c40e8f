/**
 * The thread behind parse-pool.ts: parses and redacts sensor batches, answering each request by
 * id with the batch or the error (its code and HTTP status kept).
 */
import { parentPort } from "node:worker_threads";
import { PalisadeError } from "../core/index.js";
import { parseSensorBatch, type SensorSource } from "./ingest.js";
import { createSensorRedactor } from "./redact.js";

export interface ParseRequest {
  id: number;
  source: SensorSource;
  body: Uint8Array;
}

export type ParseReply =
  | { id: number; ok: true; batch: ReturnType<typeof parseSensorBatch> }
  | { id: number; ok: false; code: string; message: string; status?: number };

const redact = createSensorRedactor();

parentPort?.on("message", (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const batch = parseSensorBatch(request.source, request.body);
    reply = { id: request.id, ok: true, batch: { ...batch, events: batch.events.map(redact) } };
  } catch (error) {
    const known = error instanceof PalisadeError;
    reply = {
      id: request.id,
      ok: false,
      code: known ? error.code : "internal",
      message: (error as Error).message,
      ...(known && error.status !== undefined ? { status: error.status } : {}),
    };
  }
  parentPort?.postMessage(reply);
});
