/**
 * Server-sent events, parsed incrementally per the WHATWG HTML "event stream" grammar: lines end
 * in CRLF, LF or CR; `data:` lines join with LF; a blank line dispatches; `:` lines are comments.
 * This is the one SSE parser in Palisade; nothing else strips `data: ` by hand.
 */

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export interface SseParser {
  /** Feed decoded text; returns the events completed by it. */
  push(text: string): SseEvent[];
  /** The stream ended: a final event without its blank line is dispatched (lenient, like browsers). */
  end(): SseEvent[];
}

/** Longest event we accept; an upstream sending more without a blank line is broken or hostile. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

export function createSseParser(): SseParser {
  let buffer = "";
  let data: string[] = [];
  let event = "";
  let id: string | undefined;
  let size = 0;

  const dispatch = (out: SseEvent[]) => {
    if (data.length > 0)
      out.push({ event: event || "message", data: data.join("\n"), ...(id === undefined ? {} : { id }) });
    data = [];
    event = "";
    size = 0;
  };

  const line = (text: string, out: SseEvent[]) => {
    if (text === "") return dispatch(out);
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    size += value.length;
    if (size > MAX_EVENT_CHARS) throw new Error(`server-sent event larger than ${MAX_EVENT_CHARS} characters`);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\u0000")) id = value;
  };

  return {
    push(text) {
      buffer += text;
      const out: SseEvent[] = [];
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        // A CR at the very end may be the first half of CRLF: wait for the next chunk.
        if (c === 13 && i === buffer.length - 1) break;
        line(buffer.slice(start, i), out);
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      if (buffer.length > MAX_EVENT_CHARS)
        throw new Error(`server-sent event line longer than ${MAX_EVENT_CHARS} characters`);
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      if (buffer !== "") line(buffer.replace(/\r$/, ""), out);
      buffer = "";
      dispatch(out);
      return out;
    },
  };
}

/** Encode one event for the wire. Multi-line data becomes several `data:` lines. */
export function formatSse(data: string, event?: string): string {
  const head = event ? `event: ${event}\n` : "";
  return `${head}${data
    .split(/\r\n|\r|\n/)
    .map((l) => `data: ${l}`)
    .join("\n")}\n\n`;
}

/** Newline-delimited JSON (Ollama's streaming format), incrementally: complete lines out. */
export function createNdjsonSplitter(): { push(text: string): string[]; end(): string[] } {
  let buffer = "";
  return {
    push(text) {
      buffer += text;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      if (buffer.length > MAX_EVENT_CHARS) throw new Error(`NDJSON line longer than ${MAX_EVENT_CHARS} characters`);
      return lines.filter((l) => l.trim() !== "");
    },
    end() {
      const rest = buffer.trim();
      buffer = "";
      return rest ? [rest] : [];
    },
  };
}
