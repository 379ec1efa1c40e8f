/**
 * One entry point for sensor input: a batch of Falco or Tetragon JSON in, stored-event shaped
 * `Event`s out, each malformed event rejected with its 1-based position and a reason that never
 * quotes its content, the rest of the batch kept. Event ids are derived from the event itself, so
 * a replayed batch yields the same ids and the store's duplicate-id rule makes ingestion idempotent.
 */
import { createHash } from "node:crypto";
import { type Event, PalisadeError } from "../core/index.js";
import type { SensorConversion } from "./conversion.js";
import { type RejectedEvent, RuntimePayloadSchema, runtimeEventKind } from "./event.js";
import { toFalcoEvent } from "./falco.js";
import { DEFAULT_SENSOR_BATCH_LIMITS, type SensorBatchLimits, scanJsonExtent, splitRecords } from "./json-records.js";
import { toTetragonEvent } from "./tetragon.js";
import { jsonKind } from "./values.js";

/** Sensors whose native JSON Palisade ingests. */
export const SENSOR_SOURCES = ["falco", "tetragon"] as const;
export type SensorSource = (typeof SENSOR_SOURCES)[number];

const CONVERTERS: Readonly<Record<SensorSource, (raw: unknown) => SensorConversion>> = {
  falco: toFalcoEvent,
  tetragon: toTetragonEvent,
};

/** An accepted event some of whose strings or lists were cut to the schema's bounds. */
export interface TruncatedEvent {
  index: number;
  id: string;
  /** Payload paths that were cut, e.g. `process.args`, `message`. */
  fields: string[];
}

/** The outcome of one batch: what to store, what was refused and why, what was shortened. */
export interface SensorBatch {
  events: Event[];
  rejected: RejectedEvent[];
  truncated: TruncatedEvent[];
}

/**
 * Parse a batch from a sensor: one JSON object (Falco `http_output`, falcosidekick's webhook,
 * pretty-printed or not) or newline-delimited JSON (several alerts; a Tetragon export file).
 * Throws a `bad-input` PalisadeError with status 413 only when the whole batch is over
 * `maxBatchBytes` or `maxEvents`; every other problem rejects just the event it is in.
 */
export function parseSensorBatch(
  source: SensorSource,
  input: string | Uint8Array,
  limits: Partial<SensorBatchLimits> = {},
): SensorBatch {
  const bounds = resolveLimits(limits);
  const convert = CONVERTERS[source];
  const out: SensorBatch = { events: [], rejected: [], truncated: [] };
  for (const record of splitRecords(input, bounds)) {
    if ("problem" in record) {
      out.rejected.push({ index: record.index, reason: record.problem });
      continue;
    }
    const parsed = parseRecord(record.text, bounds.maxDepth);
    if (!parsed.ok) {
      out.rejected.push({ index: record.index, reason: parsed.reason });
      continue;
    }
    const result = toSensorEvent(source, parsed.value, convert);
    if (!result.ok) {
      out.rejected.push({ index: record.index, reason: result.reason });
      continue;
    }
    out.events.push(result.event);
    if (result.truncated.length > 0)
      out.truncated.push({ index: record.index, id: result.event.id, fields: result.truncated });
  }
  return out;
}

/**
 * One already-parsed sensor event (say, from a streaming reader) to an `Event`, validated against
 * RuntimePayloadSchema. The caller must have bounded its nesting depth.
 */
export function toSensorEvent(
  source: SensorSource,
  raw: unknown,
  convert: (raw: unknown) => SensorConversion = CONVERTERS[source],
): { ok: true; event: Event; truncated: string[] } | { ok: false; reason: string } {
  const converted = convert(raw);
  if (!converted.ok) return converted;
  const checked = RuntimePayloadSchema.safeParse(converted.payload);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return {
      ok: false,
      reason: `normalised event is invalid at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
    };
  }
  const event: Event = {
    id: sensorEventId(source, raw, converted.sourceId),
    kind: runtimeEventKind(checked.data.category),
    time: converted.time,
    correlation: {},
    payload: checked.data,
  };
  return { ok: true, event, truncated: converted.truncated };
}

/**
 * `<source>:<id>`: the sensor's own id when it gives one (falcosidekick's uuid), otherwise the
 * SHA-256 of the event's canonical JSON (keys sorted at every level), so the same event always
 * gets the same id however its sender ordered or spaced it.
 */
export function sensorEventId(source: SensorSource, raw: unknown, sourceId?: string): string {
  if (sourceId) return `${source}:${sourceId}`;
  return `${source}:${createHash("sha256").update(canonicalJson(raw)).digest("hex")}`;
}

/**
 * JSON with object keys sorted at every level: a key-sorted copy handed to `JSON.stringify`
 * (measured faster than writing the text by hand). The input's depth must already be bounded.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedCopy(value)) ?? "null";
}

function sortedCopy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = sortedCopy((value as Record<string, unknown>)[key]);
    // `__proto__` from JSON.parse is an own key; define it so the copy keeps it as data.
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

/** JSON.parse behind a depth check, with a reason that never echoes the text (JSON.parse's does). */
function parseRecord(text: string, maxDepth: number): { ok: true; value: unknown } | { ok: false; reason: string } {
  const start = text.search(/[^ \t\r\n]/);
  const opener = text[start];
  const extent = opener === "{" || opener === "[" ? scanJsonExtent(text, start, maxDepth) : undefined;
  if (extent?.tooDeep) return { ok: false, reason: `nested deeper than ${maxDepth} levels` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const truncated = extent !== undefined && extent.end === undefined;
    return {
      ok: false,
      reason: truncated
        ? `not valid JSON: truncated (ends inside ${extent.inString ? "a string" : "an object or array"})`
        : "not valid JSON",
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, reason: `expected a JSON object, got ${jsonKind(value)}` };
  return { ok: true, value };
}

function resolveLimits(limits: Partial<SensorBatchLimits>): SensorBatchLimits {
  const merged = { ...DEFAULT_SENSOR_BATCH_LIMITS, ...limits };
  for (const [name, value] of Object.entries(merged))
    if (!Number.isSafeInteger(value) || value < 1)
      throw new PalisadeError("bad-usage", `sensor batch limit ${name} must be a positive integer`);
  return merged;
}
