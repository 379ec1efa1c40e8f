/**
 * Rate limits, token budgets and concurrency per identity. A request is admitted by reserving
 * its estimated tokens (prompt estimate + max_tokens) and a concurrency slot; when the answer
 * ends the reservation is reconciled with the real usage and the slot released, so a streamed
 * answer cannot overrun a budget. The same counters answer `usage()`, so enforcement and
 * reporting never drift. In memory by default; Redis (atomic Lua scripts) shares them between
 * gateway replicas.
 */
import type { Redis } from "ioredis";
import type { Limits } from "../policy/index.js";

export type LimitName = keyof Limits;

export interface Admission {
  ok: true;
  /** Reconcile the reservation with `actualTokens` and release the concurrency slot; idempotent. */
  finish(actualTokens: number): Promise<void>;
}

export interface Rejection {
  ok: false;
  limit: LimitName;
  retryAfterSeconds: number;
}

export interface Usage {
  requestsThisMinute: number;
  tokensThisMinute: number;
  tokensToday: number;
  tokensThisMonth: number;
  inFlight: number;
}

export interface Limiter {
  admit(key: string, limits: Limits, tokens: number, now?: number): Promise<Admission | Rejection>;
  usage(key: string, now?: number): Promise<Usage>;
  close(): Promise<void>;
}

interface Windows {
  minute: string;
  day: string;
  month: string;
  /** Seconds until each window ends, for Retry-After. */
  untilMinute: number;
  untilDay: number;
  untilMonth: number;
}

export function windowsAt(now: number): Windows {
  const d = new Date(now);
  const nextDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return {
    minute: String(Math.floor(now / 60_000)),
    day: d.toISOString().slice(0, 10),
    month: d.toISOString().slice(0, 7),
    untilMinute: Math.ceil((60_000 - (now % 60_000)) / 1000),
    untilDay: Math.ceil((nextDay - now) / 1000),
    untilMonth: Math.ceil((nextMonth - now) / 1000),
  };
}

/** Check order and the Retry-After of each limit: the first one exceeded is reported. */
function retryAfter(limit: LimitName, w: Windows): number {
  switch (limit) {
    case "requestsPerMinute":
    case "tokensPerMinute":
      return w.untilMinute;
    case "tokensPerDay":
      return w.untilDay;
    case "tokensPerMonth":
      return w.untilMonth;
    case "concurrency":
      return 1;
  }
}

interface Counters {
  minute: string;
  requests: number;
  minuteTokens: number;
  day: string;
  dayTokens: number;
  month: string;
  monthTokens: number;
  inFlight: number;
}

/** Options every limiter takes: the clock is injected so tests never read the wall clock. */
export interface LimiterOptions {
  /** Milliseconds since the epoch; `Date.now` unless a test fixes time. */
  clock?: () => number;
}

export function createMemoryLimiter(options: LimiterOptions = {}): Limiter {
  const clock = options.clock ?? Date.now;
  const byKey = new Map<string, Counters>();

  function counters(key: string, w: Windows): Counters {
    let c = byKey.get(key);
    if (!c) {
      c = {
        minute: w.minute,
        requests: 0,
        minuteTokens: 0,
        day: w.day,
        dayTokens: 0,
        month: w.month,
        monthTokens: 0,
        inFlight: 0,
      };
      byKey.set(key, c);
    }
    if (c.minute !== w.minute) Object.assign(c, { minute: w.minute, requests: 0, minuteTokens: 0 });
    if (c.day !== w.day) Object.assign(c, { day: w.day, dayTokens: 0 });
    if (c.month !== w.month) Object.assign(c, { month: w.month, monthTokens: 0 });
    return c;
  }

  return {
    async admit(key, limits, tokens, now = clock()) {
      const w = windowsAt(now);
      const c = counters(key, w);
      const checks: [LimitName, number, number][] = [
        ["concurrency", c.inFlight + 1, limits.concurrency ?? 0],
        ["requestsPerMinute", c.requests + 1, limits.requestsPerMinute ?? 0],
        ["tokensPerMinute", c.minuteTokens + tokens, limits.tokensPerMinute ?? 0],
        ["tokensPerDay", c.dayTokens + tokens, limits.tokensPerDay ?? 0],
        ["tokensPerMonth", c.monthTokens + tokens, limits.tokensPerMonth ?? 0],
      ];
      for (const [limit, next, max] of checks) {
        if (max > 0 && next > max) return { ok: false, limit, retryAfterSeconds: retryAfter(limit, w) };
      }
      c.inFlight++;
      c.requests++;
      c.minuteTokens += tokens;
      c.dayTokens += tokens;
      c.monthTokens += tokens;
      const admitted = { minute: w.minute, day: w.day, month: w.month };
      let done = false;
      return {
        ok: true,
        async finish(actual) {
          if (done) return;
          done = true;
          const current = counters(key, windowsAt(clock()));
          current.inFlight = Math.max(0, current.inFlight - 1);
          const delta = actual - tokens;
          // Reconcile only the windows the reservation was made in.
          if (current.minute === admitted.minute) current.minuteTokens = Math.max(0, current.minuteTokens + delta);
          if (current.day === admitted.day) current.dayTokens = Math.max(0, current.dayTokens + delta);
          if (current.month === admitted.month) current.monthTokens = Math.max(0, current.monthTokens + delta);
        },
      };
    },
    async usage(key, now = clock()) {
      const c = counters(key, windowsAt(now));
      return {
        requestsThisMinute: c.requests,
        tokensThisMinute: c.minuteTokens,
        tokensToday: c.dayTokens,
        tokensThisMonth: c.monthTokens,
        inFlight: c.inFlight,
      };
    },
    async close() {},
  };
}

/**
 * KEYS: concurrency, requests/min, tokens/min, tokens/day, tokens/month.
 * ARGV: limits in the same order (0 = none), tokens, TTLs for the four windows.
 * Returns {1} when admitted, or {0, index of the exceeded limit}.
 */
const ADMIT_SCRIPT = `
local adds = {1, 1, tonumber(ARGV[6]), tonumber(ARGV[6]), tonumber(ARGV[6])}
for i = 1, 5 do
  local limit = tonumber(ARGV[i])
  if limit > 0 and (tonumber(redis.call('GET', KEYS[i]) or '0') + adds[i]) > limit then
    return {0, i}
  end
end
for i = 1, 5 do
  redis.call('INCRBY', KEYS[i], adds[i])
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[6 + i]))
end
return {1}
`;

/** KEYS: concurrency, tokens/min, tokens/day, tokens/month. ARGV: token delta. */
const FINISH_SCRIPT = `
local c = tonumber(redis.call('DECR', KEYS[1]))
if c < 0 then redis.call('SET', KEYS[1], 0) end
local delta = tonumber(ARGV[1])
for i = 2, 4 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local v = tonumber(redis.call('INCRBY', KEYS[i], delta))
    if v < 0 then redis.call('SET', KEYS[i], 0, 'KEEPTTL') end
  end
end
return 1
`;

const LIMIT_ORDER: LimitName[] = [
  "concurrency",
  "requestsPerMinute",
  "tokensPerMinute",
  "tokensPerDay",
  "tokensPerMonth",
];
/** A concurrency slot of a crashed replica expires after this long. */
const SLOT_TTL_SECONDS = 600;

export function createRedisLimiter(redis: Redis, options: LimiterOptions & { prefix?: string } = {}): Limiter {
  const clock = options.clock ?? Date.now;
  const prefix = options.prefix ?? "palisade:limits";
  const keys = (key: string, w: Windows) => [
    `${prefix}:{${key}}:inflight`,
    `${prefix}:{${key}}:rpm:${w.minute}`,
    `${prefix}:{${key}}:tpm:${w.minute}`,
    `${prefix}:{${key}}:tpd:${w.day}`,
    `${prefix}:{${key}}:tpmo:${w.month}`,
  ];
  return {
    async admit(key, limits, tokens, now = clock()) {
      const w = windowsAt(now);
      const k = keys(key, w);
      const result = (await redis.eval(
        ADMIT_SCRIPT,
        5,
        ...k,
        limits.concurrency ?? 0,
        limits.requestsPerMinute ?? 0,
        limits.tokensPerMinute ?? 0,
        limits.tokensPerDay ?? 0,
        limits.tokensPerMonth ?? 0,
        tokens,
        SLOT_TTL_SECONDS,
        120,
        120,
        w.untilDay + 3600,
        w.untilMonth + 86_400,
      )) as [number, number?];
      if (result[0] !== 1) {
        const limit = LIMIT_ORDER[(result[1] ?? 1) - 1] ?? "concurrency";
        return { ok: false, limit, retryAfterSeconds: retryAfter(limit, w) };
      }
      let done = false;
      return {
        ok: true,
        async finish(actual) {
          if (done) return;
          done = true;
          await redis.eval(
            FINISH_SCRIPT,
            4,
            k[0] as string,
            k[2] as string,
            k[3] as string,
            k[4] as string,
            actual - tokens,
          );
        },
      };
    },
    async usage(key, now = clock()) {
      const values = await redis.mget(...keys(key, windowsAt(now)));
      const n = (i: number) => Number(values[i] ?? 0);
      return {
        inFlight: n(0),
        requestsThisMinute: n(1),
        tokensThisMinute: n(2),
        tokensToday: n(3),
        tokensThisMonth: n(4),
      };
    },
    async close() {
      redis.disconnect();
    },
  };
}
