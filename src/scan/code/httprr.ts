/**
 * Recorded HTTP traces in the httprr format (`rsc.io/httprr`, used by Go clients such as
 * langchaingo to replay API calls in tests): a `httprr trace v1` line, then for each exchange a
 * line `N M` with the byte lengths of the request and the response that follow, each dumped as
 * HTTP/1.1 text (request line or status line, headers, blank line, body). Recorded fixtures name
 * the models a repository calls: the request URL (`/v1beta/models/gemini-2.0-flash:generateContent`)
 * and the JSON bodies (`"model": "gpt-4o"` sent, `"model": "gpt-4o-2024-08-06"` answered).
 */

/** The first line of an httprr file. */
const HTTPRR_HEADER = "httprr trace v1\n";
/** Exchanges read from one file; a trace of more is cut there. */
const MAX_EXCHANGES = 10_000;
/** Longest body line read as a JSON event (a streamed `data: {...}` chunk). */
const MAX_EVENT_LINE = 1024 * 1024;

/** A part of a recorded exchange that can name a model, with the 1-based line it starts on. */
export interface HttprrPart {
  kind: "url" | "json";
  text: string;
  line: number;
}

/** Whether `text` is an httprr trace (by its first line). */
export function isHttprrTrace(text: string): boolean {
  return text.startsWith(HTTPRR_HEADER) || text.startsWith("httprr trace v1\r\n");
}

/**
 * The request URLs and JSON bodies of an httprr trace. The lengths are byte counts, so the
 * trace is walked as bytes; a malformed length ends the walk with what was read so far.
 */
export function readHttprr(text: string): HttprrPart[] {
  if (!isHttprrTrace(text)) return [];
  const bytes = Buffer.from(text, "utf8");
  const parts: HttprrPart[] = [];
  let offset = bytes.indexOf(0x0a) + 1;
  let line = 2;
  for (let exchange = 0; exchange < MAX_EXCHANGES && offset < bytes.length; exchange += 1) {
    const end = bytes.indexOf(0x0a, offset);
    if (end < 0) break;
    const lengths = /^(\d{1,12}) (\d{1,12})\r?$/.exec(bytes.toString("latin1", offset, end));
    if (!lengths) break;
    offset = end + 1;
    line += 1;
    for (const size of [Number(lengths[1]), Number(lengths[2])]) {
      const stop = Math.min(bytes.length, offset + size);
      const message = bytes.toString("utf8", offset, stop);
      messageParts(message, line, parts);
      line += countNewlines(bytes, offset, stop);
      offset = stop;
    }
  }
  return parts;
}

function countNewlines(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a, from); i >= 0 && i < to; i = bytes.indexOf(0x0a, i + 1)) count += 1;
  return count;
}

/** One dumped request or response: its request URL, and its body as JSON documents. */
function messageParts(message: string, line: number, parts: HttprrPart[]): void {
  const newline = message.indexOf("\n");
  const first = (newline < 0 ? message : message.slice(0, newline)).trim();
  const request = /^[A-Z]{3,10} (\S{1,8192}) HTTP\/\d/.exec(first);
  if (request?.[1]) parts.push({ kind: "url", text: request[1], line });
  const split = /\r?\n\r?\n/.exec(message);
  if (!split) return;
  const bodyStart = split.index + split[0].length;
  const body = message.slice(bodyStart);
  const bodyLine = line + countLines(message.slice(0, bodyStart));
  if (/^\s*[[{]/.test(body) && isJson(body)) {
    parts.push({ kind: "json", text: body, line: bodyLine });
    return;
  }
  // A streamed answer: server-sent events (`data: {...}`) or JSON lines (Ollama's NDJSON).
  for (const [index, raw] of body.split("\n").entries()) {
    if (raw.length > MAX_EVENT_LINE) continue;
    const event = raw.startsWith("data:") ? raw.slice(5).trim() : raw.trim();
    if (event.startsWith("{")) parts.push({ kind: "json", text: event, line: bodyLine + index });
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count += 1;
  return count;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
