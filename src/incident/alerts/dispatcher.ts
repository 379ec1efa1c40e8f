/**
 * The alert dispatcher: between whoever raises alerts and the sinks. Per sink, in this order:
 * 1. routing — the sink's `minSeverity` or `severities`;
 * 2. deduplication — the same key within `dedupWindow` raises a count instead of an alert; when
 *    the window ends with repeats, one follow-up alert carries the count;
 * 3. rate limit — at most `rateLimit.perMinute` alerts a minute; the rest are counted by rule and
 *    severity and become ONE summary alert when the minute rolls;
 * 4. a bounded queue drained by one worker, so `dispatch` never waits and never throws.
 * Delivery failures are logged and counted (`stats()`), never thrown to the caller.
 */
import { isAtLeast, type Logger, PalisadeError, type Severity, severityRank } from "../../core/index.js";
import { type AlertsPolicy, parseDuration } from "../../policy/index.js";
import { type CreateAlertSinkOptions, createAlertSinks } from "./sinks.js";
import { type Alert, AlertDeliveryError, type AlertSink } from "./types.js";

/** Time source, so tests can move time; the dispatcher also polls it once a `tickMs`. */
export interface AlertClock {
  now(): number;
}

/** Counters per sink since the dispatcher started. */
export interface AlertSinkStats {
  /** Delivered (including summaries and follow-ups). */
  sent: number;
  /** Folded into an earlier alert with the same key. */
  deduplicated: number;
  /** Over the rate limit (reported in a summary alert). */
  suppressed: number;
  /** The sink did not take them (after its retries). */
  failed: number;
  /** The queue was full. */
  dropped: number;
  /** Waiting for delivery now. */
  queued: number;
}

export interface AlertDispatcher {
  /** Hand an alert over; returns at once. Ignored after `close()`. */
  dispatch(alert: Alert): void;
  /** Send what is due (rolled windows) and wait until every queue is delivered or failed. */
  flush(): Promise<void>;
  /** Send pending repeat counts and summaries, wait for delivery, then close the sinks. */
  close(): Promise<void>;
  stats(): Record<string, AlertSinkStats>;
}

export interface AlertDispatcherOptions extends CreateAlertSinkOptions {
  /** Sinks to use instead of building them from `config.sinks`; routing still comes from the entry of the same name. */
  sinks?: readonly AlertSink[];
  clock?: AlertClock;
  logger?: Logger;
  /** How often windows are checked for rolling (ms); 0 checks only on dispatch, flush and close. */
  tickMs?: number;
  /** Alerts handed to a sink at once (default 50). */
  batchSize?: number;
  /** Longest a sink's `send` may take before its batch counts as failed (ms, default 60 s). */
  sendTimeoutMs?: number;
  /** Distinct keys remembered per sink for deduplication (default 10,000; the oldest go first). */
  maxKeys?: number;
}

const MINUTE = 60_000;
/** Rule of the summary alert that reports alerts held back by the rate limit. */
export const SUPPRESSED_RULE = "palisade.alerts.suppressed";
/** Field of the follow-up alert that counts the repeats folded by deduplication. */
export const REPEATED_FIELD = "repeats";

interface DedupEntry {
  until: number;
  repeats: number;
  latest: Alert;
}

interface SinkState {
  sink: AlertSink;
  accepts(severity: Severity): boolean;
  dedup: Map<string, DedupEntry>;
  windowStart: number;
  windowSent: number;
  held: Map<string, { rule: string; severity: Severity; count: number }>;
  queue: Alert[];
  running: Promise<void> | undefined;
  stats: Omit<AlertSinkStats, "queued">;
  droppedLogged: number;
}

/**
 * A dispatcher for the policy's alerts section. Sinks come from `config.sinks` (or
 * `options.sinks`); throws PalisadeError `bad-config` when a sink cannot be built.
 */
export function createAlertDispatcher(config: AlertsPolicy, options: AlertDispatcherOptions = {}): AlertDispatcher {
  const clock = options.clock ?? { now: Date.now };
  const dedupWindow = parseDuration(config.dedupWindow);
  const perMinute = config.rateLimit.perMinute;
  const batchSize = options.batchSize ?? 50;
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const logger = options.logger;
  const sinks = options.sinks ?? createAlertSinks(config, options);

  const names = new Set<string>();
  const states: SinkState[] = sinks.map((sink) => {
    if (names.has(sink.name))
      throw new PalisadeError("bad-config", `alerts.sinks: sink name "${sink.name}" is used twice`);
    names.add(sink.name);
    const route = config.sinks.find((s) => s.name === sink.name);
    const accepts = route?.severities
      ? (severity: Severity) => route.severities?.includes(severity) === true
      : (severity: Severity) => isAtLeast(severity, route?.minSeverity ?? "info");
    return {
      sink,
      accepts,
      dedup: new Map(),
      windowStart: Number.NEGATIVE_INFINITY,
      windowSent: 0,
      held: new Map(),
      queue: [],
      running: undefined,
      stats: { sent: 0, deduplicated: 0, suppressed: 0, failed: 0, dropped: 0 },
      droppedLogged: 0,
    };
  });

  let closed = false;
  const tickMs = options.tickMs ?? 1000;
  const timer = tickMs > 0 ? setInterval(() => rollAll(clock.now(), false), tickMs) : undefined;
  timer?.unref();

  function rollAll(now: number, final: boolean): void {
    for (const state of states) {
      rollDedup(state, now, final);
      rollRate(state, now, final);
    }
  }

  /** Follow-ups for keys whose window ended with repeats; forget keys without. */
  function rollDedup(state: SinkState, now: number, final: boolean): void {
    for (const [key, entry] of state.dedup) if (final || entry.until <= now) expire(state, key, entry, now, final);
  }

  function expire(state: SinkState, key: string, entry: DedupEntry, now: number, final: boolean): void {
    if (entry.repeats === 0) {
      state.dedup.delete(key);
      return;
    }
    // A new window starts with the follow-up: a flood that goes on yields one alert per window.
    state.dedup.set(key, { until: now + dedupWindow, repeats: 0, latest: entry.latest });
    admit(state, repeated(entry.latest, entry.repeats), now, final);
  }

  function repeated(alert: Alert, repeats: number): Alert {
    return {
      ...alert,
      title: `${alert.title} (repeated ${repeats} more ${repeats === 1 ? "time" : "times"})`,
      summary: `Seen ${repeats} more ${repeats === 1 ? "time" : "times"} within ${config.dedupWindow}. ${alert.summary}`,
      fields: { ...alert.fields, [REPEATED_FIELD]: repeats },
    };
  }

  /** When the rate window has passed (or at the end), report what it held back in one alert. */
  function rollRate(state: SinkState, now: number, final: boolean): void {
    if (!final && now - state.windowStart < MINUTE) return;
    const held = [...state.held.values()];
    state.held.clear();
    state.windowStart = now;
    state.windowSent = 0;
    if (held.length === 0) return;
    enqueue(state, summaryOf(state.sink.name, held, now));
  }

  function summaryOf(sink: string, held: { rule: string; severity: Severity; count: number }[], now: number): Alert {
    held.sort((a, b) => b.count - a.count || severityRank(b.severity) - severityRank(a.severity));
    const total = held.reduce((sum, h) => sum + h.count, 0);
    const worst = held.reduce<Severity>(
      (top, h) => (severityRank(h.severity) > severityRank(top) ? h.severity : top),
      "info",
    );
    const shown = held.slice(0, 20);
    const breakdown = shown.map((h) => `${h.count} ${h.rule} (${h.severity})`).join(", ");
    const more = held.length > shown.length ? `, and ${held.length - shown.length} more groups` : "";
    const fields: Record<string, number> = { suppressed: total };
    for (const h of shown) fields[`suppressed.${h.rule}.${h.severity}`] = h.count;
    return {
      key: `${SUPPRESSED_RULE}:${sink}`,
      severity: worst,
      title: `${total} more ${total === 1 ? "alert" : "alerts"} suppressed`,
      summary: `The rate limit of ${perMinute} alerts a minute held back ${total}: ${breakdown}${more}.`,
      time: now,
      rule: SUPPRESSED_RULE,
      fields,
    };
  }

  /** Past dedup: within the rate limit it is queued, beyond it counted for the summary. */
  function admit(state: SinkState, alert: Alert, now: number, final: boolean): void {
    if (!final && now - state.windowStart >= MINUTE) rollRate(state, now, false);
    if (state.windowSent < perMinute) {
      state.windowSent++;
      enqueue(state, alert);
      return;
    }
    state.stats.suppressed++;
    const rule = alert.rule ?? "alert";
    const group = `${rule}\u0000${alert.severity}`;
    const held = state.held.get(group);
    if (held) held.count++;
    else state.held.set(group, { rule, severity: alert.severity, count: 1 });
  }

  function enqueue(state: SinkState, alert: Alert): void {
    if (state.queue.length >= config.queueSize) {
      state.stats.dropped++;
      if (state.stats.dropped >= state.droppedLogged * 10 || state.droppedLogged === 0) {
        state.droppedLogged = state.stats.dropped;
        logger?.warn({ sink: state.sink.name, dropped: state.stats.dropped }, "alert queue full: alerts dropped");
      }
      return;
    }
    state.queue.push(alert);
    pump(state);
  }

  function pump(state: SinkState): void {
    if (state.running) return;
    state.running = drain(state).finally(() => {
      state.running = undefined;
      if (state.queue.length > 0) pump(state);
    });
  }

  async function drain(state: SinkState): Promise<void> {
    while (state.queue.length > 0) {
      const batch = state.queue.splice(0, batchSize);
      try {
        await withTimeout(
          Promise.resolve().then(() => state.sink.send(batch)),
          sendTimeoutMs,
          state.sink.name,
        );
        state.stats.sent += batch.length;
      } catch (error) {
        const undelivered =
          error instanceof AlertDeliveryError && error.undelivered !== undefined
            ? Math.min(error.undelivered, batch.length)
            : batch.length;
        state.stats.failed += undelivered;
        state.stats.sent += batch.length - undelivered;
        logger?.warn({ sink: state.sink.name, alerts: undelivered, err: describe(error) }, "alert delivery failed");
      }
    }
  }

  async function settle(): Promise<void> {
    for (;;) {
      const running = states.map((s) => s.running).filter((p): p is Promise<void> => p !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  return {
    dispatch(alert) {
      if (closed) return;
      const now = clock.now();
      const normalised = Number.isFinite(alert.time) ? alert : { ...alert, time: now };
      for (const state of states) {
        if (!state.accepts(normalised.severity)) continue;
        const expired = state.dedup.get(normalised.key);
        if (expired && expired.until <= now) expire(state, normalised.key, expired, now, false);
        const entry = state.dedup.get(normalised.key);
        if (entry) {
          entry.repeats++;
          entry.latest = normalised;
          state.stats.deduplicated++;
          continue;
        }
        if (state.dedup.size >= maxKeys) evictOldest(state, now);
        state.dedup.set(normalised.key, { until: now + dedupWindow, repeats: 0, latest: normalised });
        admit(state, normalised, now, false);
      }
    },
    async flush() {
      if (!closed) rollAll(clock.now(), false);
      await settle();
    },
    async close() {
      if (closed) return settle();
      closed = true;
      if (timer) clearInterval(timer);
      rollAll(clock.now(), true);
      await settle();
      await Promise.all(
        states.map(async (state) => {
          try {
            await state.sink.close?.();
          } catch (error) {
            logger?.warn({ sink: state.sink.name, err: describe(error) }, "alert sink did not close cleanly");
          }
        }),
      );
    },
    stats() {
      return Object.fromEntries(states.map((s) => [s.sink.name, { ...s.stats, queued: s.queue.length }]));
    },
  };

  function evictOldest(state: SinkState, now: number): void {
    const oldest = state.dedup.entries().next().value;
    if (!oldest) return;
    const [key, entry] = oldest;
    state.dedup.delete(key);
    if (entry.repeats > 0) admit(state, repeated(entry.latest, entry.repeats), now, false);
  }
}

function withTimeout(promise: Promise<void>, ms: number, sink: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AlertDeliveryError(sink, `send not done within ${ms} ms`, { retryable: false })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An error for the log: its message (sinks keep URLs and secrets out of theirs). */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
