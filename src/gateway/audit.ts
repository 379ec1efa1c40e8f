/**
 * Audit events, written in batches off the hot path. When the store is down, batches are
 * spooled to a local JSONL file (fsync'd) and replayed when it is back; appends are idempotent
 * by event id, so a replay never duplicates. `close()` flushes everything before returning, so a
 * drained gateway has lost nothing.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import type { Event, Logger } from "../core/index.js";

/** The kind of the one audit event each proxied request produces. */
export const AUDIT_EVENT_KIND = "gateway.request";

export interface EventSink {
  appendEvents(events: readonly Event[]): Promise<void>;
}

export interface AuditWriter {
  record(event: Event): void;
  /** Write everything queued now (and replay the spool if the store is back). */
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly stats: { written: number; spooled: number; replayed: number; queued: number };
}

export interface AuditWriterOptions {
  sink: EventSink | undefined;
  spoolDir: string;
  batchSize: number;
  flushMs: number;
  logger?: Logger;
}

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const queue: Event[] = [];
  const stats = { written: 0, spooled: 0, replayed: 0, queued: 0 };
  const spoolFile = join(options.spoolDir, "audit-spool.jsonl");
  let flushing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = () => {
    if (!timer && !closed) {
      timer = setTimeout(() => {
        timer = undefined;
        void writer.flush();
      }, options.flushMs);
      timer.unref();
    }
  };

  function spool(events: readonly Event[]): void {
    mkdirSync(options.spoolDir, { recursive: true });
    const fd = openSync(spoolFile, "a");
    try {
      appendFileSync(fd, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    stats.spooled += events.length;
  }

  async function replay(sink: EventSink): Promise<void> {
    const replaying = `${spoolFile}.replaying`;
    // A replay interrupted earlier left `.replaying`; finish it first, then take the current spool.
    // Moving the spool aside means events spooled meanwhile go to a fresh file, replayed next time.
    while (existsSync(replaying) || existsSync(spoolFile)) {
      if (!existsSync(replaying)) renameSync(spoolFile, replaying);
      const events = readFileSync(replaying, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Event];
          } catch {
            options.logger?.warn({ line: l.slice(0, 80) }, "unreadable line in the audit spool, skipped");
            return [];
          }
        });
      for (let i = 0; i < events.length; i += 500) await sink.appendEvents(events.slice(i, i + 500));
      unlinkSync(replaying);
      stats.replayed += events.length;
      options.logger?.info({ events: events.length }, "audit spool replayed into the store");
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, options.batchSize);
      stats.queued = queue.length;
      if (!options.sink) {
        spool(batch);
        continue;
      }
      try {
        await options.sink.appendEvents(batch);
        stats.written += batch.length;
      } catch (error) {
        options.logger?.warn(
          { err: (error as Error).message, events: batch.length },
          "store unavailable: audit events spooled to disk",
        );
        spool(batch);
      }
    }
    if (options.sink && (existsSync(spoolFile) || existsSync(`${spoolFile}.replaying`))) {
      try {
        await replay(options.sink);
      } catch (error) {
        options.logger?.debug(
          { err: (error as Error).message },
          "audit spool replay deferred: store still unavailable",
        );
      }
    }
  }

  const writer: AuditWriter = {
    stats,
    record(event) {
      queue.push(event);
      stats.queued = queue.length;
      if (queue.length >= options.batchSize) void writer.flush();
      else schedule();
    },
    async flush() {
      while (flushing) await flushing;
      flushing = drain().finally(() => {
        flushing = undefined;
      });
      await flushing;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await writer.flush();
    },
  };
  return writer;
}
