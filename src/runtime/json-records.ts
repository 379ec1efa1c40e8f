/**
 * Framing of a sensor batch into JSON records, before any JSON is parsed: one JSON object (a
 * Falco `http_output` request, a falcosidekick webhook, pretty-printed or not) or newline-delimited
 * JSON (several Falco alerts, a Tetragon export file). Every record keeps its 1-based line number
 * so a rejection can name it; bytes that are not UTF-8 spoil only their own line.
 */
import { PalisadeError } from "../core/index.js";

/** Bounds on one batch; every parser of sensor input must have them (DESIGN.md, bad input). */
export interface SensorBatchLimits {
  /** Whole request body or file. Over it the batch is refused (HTTP 413), nothing is parsed. */
  maxBatchBytes: number;
  /** One event (one line, or the single JSON document). Over it that event is rejected. */
  maxEventBytes: number;
  /** Non-blank lines in one batch. Over it the batch is refused: split the file. */
  maxEvents: number;
  /** Nesting of objects and arrays in one event, checked before `JSON.parse`. */
  maxDepth: number;
}

export const DEFAULT_SENSOR_BATCH_LIMITS: Readonly<SensorBatchLimits> = Object.freeze({
  maxBatchBytes: 16 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxEvents: 100_000,
  maxDepth: 32,
});

/** One framed record: the JSON text, or why it cannot be read at all. */
export type RawRecord = { index: number; text: string } | { index: number; problem: string };

/** Where the first JSON value starting at `start` ends, scanned without recursion or parsing. */
export interface JsonExtent {
  /** Offset just past the value, or undefined when the text ends inside it. */
  end: number | undefined;
  /** Nesting went past the limit (scanning stopped there). */
  tooDeep: boolean;
  /** The text ends inside a string. */
  inString: boolean;
}

/**
 * Scan one object or array from `start` (which must be `{` or `[`), counting depth outside
 * strings. Linear, constant stack: safe to run on hostile input before `JSON.parse` or any
 * recursive walk sees it.
 */
export function scanJsonExtent(text: string, start: number, maxDepth: number): JsonExtent {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) return { end: undefined, tooDeep: true, inString: false };
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth <= 0) return { end: i + 1, tooDeep: false, inString: false };
    }
  }
  return { end: undefined, tooDeep: false, inString };
}

const JSON_SPACE = /^[ \t\r\n]*$/;
/** Throws on bytes that are not UTF-8; drops a leading byte-order mark. */
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Split a batch into records. Throws a `bad-input` PalisadeError (status 413) when the batch is
 * over `maxBatchBytes` or holds more than `maxEvents` records: those are refusals of the whole
 * request, the only ones; everything else is per record.
 */
export function splitRecords(input: string | Uint8Array, limits: SensorBatchLimits): RawRecord[] {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (size > limits.maxBatchBytes)
    throw new PalisadeError(
      "bad-input",
      `sensor batch of ${size} bytes is over the ${limits.maxBatchBytes}-byte limit`,
      {
        status: 413,
      },
    );
  let text: string | undefined;
  if (typeof input === "string") text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  else {
    try {
      text = fatalUtf8.decode(input);
    } catch {
      text = undefined;
    }
  }
  const records = text === undefined ? splitByteLines(input as Uint8Array, limits) : splitText(text, limits);
  if (records.length > limits.maxEvents)
    throw new PalisadeError(
      "bad-input",
      `sensor batch holds ${records.length} events, over the limit of ${limits.maxEvents}: send it in parts`,
      { status: 413 },
    );
  return records;
}

function splitText(text: string, limits: SensorBatchLimits): RawRecord[] {
  const single = singleDocument(text, limits.maxDepth);
  if (single !== undefined) return [sized(1, single, Buffer.byteLength(single), limits)];
  const records: RawRecord[] = [];
  let line = 0;
  for (let from = 0; from <= text.length; ) {
    const nl = text.indexOf("\n", from);
    const to = nl === -1 ? text.length : nl;
    line++;
    const slice = text.slice(from, to);
    if (!JSON_SPACE.test(slice)) records.push(sized(line, slice, Buffer.byteLength(slice), limits));
    from = to + 1;
  }
  return records;
}

/** The text when it is exactly one valid object spread over several lines (a pretty-printed alert). */
function singleDocument(text: string, maxDepth: number): string | undefined {
  const start = text.search(/[^ \t\r\n]/);
  if (start === -1 || text[start] !== "{") return undefined;
  const { end } = scanJsonExtent(text, start, maxDepth);
  if (end === undefined || !JSON_SPACE.test(text.slice(end))) return undefined;
  const body = text.slice(start, end);
  if (!body.includes("\n")) return undefined;
  // Lines `{`, an event, `}` look like one document but are not: read those line by line.
  try {
    JSON.parse(body);
    return body;
  } catch {
    return undefined;
  }
}

/** Line framing on bytes, for a batch that is not UTF-8 as a whole: each line decoded alone. */
function splitByteLines(bytes: Uint8Array, limits: SensorBatchLimits): RawRecord[] {
  const records: RawRecord[] = [];
  let line = 0;
  for (let from = 0; from <= bytes.length; ) {
    let to = bytes.indexOf(0x0a, from);
    if (to === -1) to = bytes.length;
    line++;
    const chunk = bytes.subarray(from, to);
    from = to + 1;
    if (chunk.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) continue;
    if (chunk.length > limits.maxEventBytes) {
      records.push(oversize(line, chunk.length, limits));
      continue;
    }
    let decoded: string;
    try {
      decoded = fatalUtf8.decode(chunk);
    } catch {
      records.push({ index: line, problem: "not valid UTF-8" });
      continue;
    }
    records.push({ index: line, text: decoded });
  }
  return records;
}

function sized(index: number, text: string, bytes: number, limits: SensorBatchLimits): RawRecord {
  return bytes > limits.maxEventBytes ? oversize(index, bytes, limits) : { index, text };
}

const oversize = (index: number, bytes: number, limits: SensorBatchLimits): RawRecord => ({
  index,
  problem: `event of ${bytes} bytes is over the ${limits.maxEventBytes}-byte limit`,
});
