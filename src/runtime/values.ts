/**
 * Reading single values out of a sensor's JSON: loose on the way in (numbers as strings, `<NA>`,
 * nulls, wrong types dropped), strict on the way out (bounded strings without NUL or lone
 * surrogates, ports in range, IPs that parse). A `FieldReader` remembers which fields it had to
 * truncate so the batch result can say so.
 */
import { isIP } from "node:net";

/** Collects the names of fields that were cut to fit the runtime event schema. */
export interface FieldReader {
  /** A bounded, cleaned string, or undefined when absent, empty, `<NA>` or not a string. */
  text(value: unknown, max: number, field: string): string | undefined;
  /** The first of `values` that reads as text (so a wrong-typed preferred field falls through). */
  first(values: readonly unknown[], max: number, field: string): string | undefined;
  /** At most `max` items of a list, noting the cut. */
  list<T>(items: readonly T[], max: number, field: string): T[];
  readonly truncated: ReadonlySet<string>;
}

/** Falco prints `<NA>` for a field it could not resolve; JSON output may carry null or it. */
const ABSENT = new Set(["", "<NA>", "N/A"]);

export function createFieldReader(): FieldReader {
  const truncated = new Set<string>();
  return {
    text(value, max, field) {
      if (typeof value !== "string" && typeof value !== "number") return undefined;
      const raw = typeof value === "number" ? String(value) : value;
      if (ABSENT.has(raw)) return undefined;
      const clean = cleanString(raw);
      if (clean.length <= max) return clean;
      truncated.add(field);
      return cutAt(clean, max);
    },
    first(values, max, field) {
      for (const value of values) {
        const text = this.text(value, max, field);
        if (text !== undefined) return text;
      }
      return undefined;
    },
    list(items, max, field) {
      if (items.length <= max) return [...items];
      truncated.add(field);
      return items.slice(0, max);
    },
    truncated,
  };
}

/**
 * Replace NUL and unpaired surrogates with U+FFFD: PostgreSQL rejects `\u0000` in text and jsonb,
 * and a lone surrogate cannot be encoded as UTF-8.
 */
export function cleanString(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is being removed
  return value.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** First `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(value: string, max: number): string {
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A non-negative integer from a number or a decimal string (protobuf JSON writes 64-bit ints as strings). */
export function toCount(value: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const n =
    typeof value === "number" ? value : typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n <= max ? n : undefined;
}

/** A TCP/UDP port, 0 to 65535. */
export const toPort = (value: unknown): number | undefined => toCount(value, 65535);

/** A user id; 4294967295 is `(uid_t)-1`, which sensors print for "unknown". */
export const toUid = (value: unknown): number | undefined => toCount(value, 4294967294);

/** An IPv4 or IPv6 address as text, or undefined when the value is not one. */
export function toIp(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 64) return undefined;
  const bare = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
  return isIP(bare) ? bare.toLowerCase() : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What kind of JSON value this is, for a rejection reason that never quotes the value. */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch from an RFC 3339 timestamp (RFC 3339 section 5.6) with up to
 * nanosecond fractions, as Falco and Tetragon write them; undefined when it is not one or is
 * before 1970. Fractions below a millisecond are dropped.
 */
export function toEpochMillis(value: unknown): number | undefined {
  if (typeof value !== "string" || value.length > 40) return undefined;
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1970) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const seconds = Math.min(Number(s), 59); // a leap second lands on :59
  let ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), seconds, Number(frac.padEnd(3, "0").slice(0, 3)));
  if (zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(":").map(Number);
    if ((zh ?? 0) > 23 || (zm ?? 0) > 59) return undefined;
    ms -= sign * ((zh ?? 0) * 60 + (zm ?? 0)) * 60_000;
  }
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

/** Arguments cut to the schema: at most 256, each at most 4096 characters. */
export function boundedArgs(args: readonly string[], read: FieldReader, field: string): string[] {
  return read.list(args, 256, field).map((a) => read.text(a, 4096, field) ?? "");
}

/** True when any property has a value. */
export function someDefined(value: object): boolean {
  return Object.values(value).some((v) => v !== undefined);
}

/** A copy without undefined properties, so payloads stored as JSON compare equal to fresh ones. */
export function dropUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}
