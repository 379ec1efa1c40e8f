/**
 * Ingesting events: append them to the audit trail and correlate them in one transaction (or,
 * when other writers' events wait before them, by a correlation run right after), then tell
 * whoever listens what incidents changed. The same whether a batch comes from a file, the
 * ingestion endpoint or a job on the shared Redis queue, so every path counts an event once.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import { type Event, EventSchema, PalisadeError } from "../core/index.js";
import type { Store } from "../store/index.js";
import type { CorrelationRun, Correlator } from "./correlate.js";
import type { IncidentChange } from "./incidents.js";

/** The job name of a batch of events on the shared queue. */
export const EVENT_BATCH_JOB = "event-batch";

/** A batch of normalised, already redacted events (raw sensor text never reaches the queue). */
export interface EventBatchJob {
  /** Where the batch came from (`falco`, `tetragon`), for logs. */
  source: string;
  events: Event[];
}
export type EventJobTypes = { [EVENT_BATCH_JOB]: EventBatchJob };

const EventBatchJobSchema = z.object({ source: z.string().max(64), events: z.array(EventSchema).max(100_000) });

/** A job's data as read back from Redis, checked before any of it is stored. */
export function parseEventBatchJob(data: unknown, id: string): EventBatchJob {
  const parsed = EventBatchJobSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PalisadeError(
      "bad-input",
      `event batch job ${id} is malformed at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
      { input: id },
    );
  }
  return parsed.data;
}

/**
 * The job id of a batch: the SHA-256 of its event ids in order, so a sender's retry of the same
 * batch is the same job (and, were it queued again, its events are already stored by id).
 */
export function eventBatchJobId(events: readonly Event[]): string {
  const hash = createHash("sha256");
  for (const event of events) hash.update(event.id).update("\n");
  return `events:${hash.digest("hex")}`;
}

export interface EventIngestor {
  /**
   * Store and correlate; what the correlation found (also passed to `onChanges`). Throws only
   * when the events could not be stored: a failing correlation leaves them stored and
   * uncorrelated (reported to `onCorrelationError`), for the next run to take up.
   */
  ingest(events: readonly Event[]): Promise<CorrelationRun>;
}

export function createEventIngestor(options: {
  store: Store;
  correlator: Correlator;
  onChanges?: (changes: readonly IncidentChange[]) => void;
  onCorrelationError?: (error: unknown) => void;
}): EventIngestor {
  const { store, correlator } = options;
  const failed = (error: unknown): CorrelationRun => {
    options.onCorrelationError?.(error);
    return { events: 0, changes: [] };
  };
  return {
    async ingest(events) {
      if (events.length === 0) return { events: 0, changes: [] };
      let error: unknown;
      // Correlation inside a savepoint: if it fails, its writes are undone and the events still commit.
      const inline = await store.appendEventsWith(events, async (trx, rows) => {
        await sql`savepoint correlate_appended`.execute(trx);
        try {
          const run = await correlator.appended(trx, rows);
          await sql`release savepoint correlate_appended`.execute(trx);
          return run;
        } catch (cause) {
          error = cause;
          await sql`rollback to savepoint correlate_appended`.execute(trx);
          await sql`release savepoint correlate_appended`.execute(trx);
          return undefined;
        }
      });
      if (error !== undefined) return failed(error);
      let run = inline;
      if (!run)
        try {
          run = await correlator.run();
        } catch (cause) {
          return failed(cause);
        }
      if (run.changes.length > 0) options.onChanges?.(run.changes);
      return run;
    },
  };
}
