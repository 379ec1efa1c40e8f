/**
 * Audit retention: deletes gateway audit events older than the policy's
 * `runtime.logging.retentionDays`, once shortly after start and then on an interval. The
 * policy is read at each run, so a hot-reloaded retention applies from the next run. Events
 * attached to an incident are kept by the store (they are its evidence).
 */
import type { Logger } from "../core/index.js";
import { AUDIT_EVENT_KIND } from "./audit.js";

const DAY_MS = 86_400_000;

export interface EventPruner {
  pruneEvents(options: { kind: string; before: number }): Promise<number>;
}

export interface AuditRetentionOptions {
  store: EventPruner;
  /** Current retention in days (read from the live policy at each run). */
  retentionDays: () => number;
  logger: Logger;
  /** Between runs; default one hour. */
  everyMs?: number;
  /** Before the first run; default 10 s, so start-up is not slowed by a large purge. */
  firstAfterMs?: number;
  now?: () => number;
}

export interface AuditRetention {
  /** Run one purge now; resolves to the number of events deleted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startAuditRetention(options: AuditRetentionOptions): AuditRetention {
  const now = options.now ?? Date.now;
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      const days = options.retentionDays();
      const before = now() - days * DAY_MS;
      try {
        const deleted = await options.store.pruneEvents({ kind: AUDIT_EVENT_KIND, before });
        if (deleted > 0) options.logger.info({ deleted, retentionDays: days }, "old audit events deleted");
        return deleted;
      } catch (error) {
        // A store outage must not take the gateway down; the next run tries again.
        options.logger.warn({ err: (error as Error).message }, "audit retention run failed");
        return 0;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const tick = () => {
    if (!stopped) void runOnce();
  };
  const first = setTimeout(tick, options.firstAfterMs ?? 10_000);
  const every = setInterval(tick, options.everyMs ?? 3_600_000);
  first.unref();
  every.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
