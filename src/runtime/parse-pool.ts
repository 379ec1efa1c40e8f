/**
 * Sensor batches parsed and redacted on a worker thread, so the thread that stores and
 * correlates never waits for JSON parsing and the secret scan (about a quarter of the work per
 * event): with two cores, parsing the next batch overlaps storing this one. Errors come back
 * as the PalisadeError they were (a 413 for a batch over the limits stays a 413).
 */
import { createWorkerClient, ERROR_CODES, type ErrorCode, PalisadeError } from "../core/index.js";
import type { SensorBatch, SensorSource } from "./ingest.js";
import type { ParseReply, ParseRequest } from "./parse-worker.js";

export interface SensorParser {
  /** The batch with its events redacted, as `parseSensorBatch` then the redactor give it. */
  parse(source: SensorSource, body: Uint8Array): Promise<SensorBatch>;
  close(): Promise<void>;
}

/** The parser thread; a dead one fails only the batches it held, and the next batch starts a new one. */
export function createSensorParser(): SensorParser {
  const client = createWorkerClient<Omit<ParseRequest, "id">, ParseReply>({
    base: import.meta.url,
    name: "parse-worker",
    failure: (message) => new PalisadeError("internal", `sensor parser: ${message}`),
  });
  return {
    async parse(source, body) {
      const reply = await client.call({ source, body });
      if (reply.ok) return reply.batch;
      const code = (ERROR_CODES as readonly string[]).includes(reply.code) ? (reply.code as ErrorCode) : "internal";
      throw new PalisadeError(code, reply.message, reply.status === undefined ? {} : { status: reply.status });
    },
    close: () => client.close(),
  };
}
