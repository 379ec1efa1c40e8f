/**
 * Reading what `strace -f -ttt -e trace=execve,execveat` writes about a sandboxed MCP server:
 * every program it executes, as runtime events. Pure: text in, records and events out.
 *
 * strace's line format (strace(1), "-f" and "-ttt"): `PID SECONDS.MICROS execve("path",
 * ["argv0", ...], ENV-POINTER) = 0` (the environment itself is printed only with `-v`); a call
 * interrupted by another process's output is split into `... <unfinished ...>` and
 * `PID SECONDS <... execve resumed>) = 0`. Strings are
 * C-escaped (`\"`, `\\`, `\n`, octal `\303`), cut at `-s` bytes with a trailing `...`, and an
 * argv longer than `-s` elements ends in `...`. Only the strings can hold the traced program's
 * bytes, so the parser reads them escape by escape and trusts nothing else on the line.
 */

/** One line of strace output about an exec, as written. */
export type StraceRecord =
  | {
      type: "call";
      pid: number;
      /** Milliseconds since the Unix epoch, when the line has a `-ttt` timestamp. */
      time?: number;
      syscall: "execve" | "execveat";
      path: string;
      argv: string[];
      /** A string or the argv list was cut by strace's `-s` limit. */
      truncated: boolean;
      outcome: ExecOutcome;
    }
  | { type: "resumed"; pid: number; time?: number; syscall: "execve" | "execveat"; outcome: ExecOutcome };

/** `ok`: the program now runs; `failed`: it did not (ENOENT, EACCES…); `unfinished`: see a later line. */
export type ExecOutcome = "ok" | "failed" | "unfinished";

const HEAD = /^(\d{1,10}) +(?:(\d{1,12})\.(\d{1,9}) +)?/;
const RESUMED = /^<\.\.\. (execve|execveat) resumed>/;
const CALL = /^(execve|execveat)\(/;

/** Reads one line of strace output; anything that is not an exec line (or is mangled) is `undefined`. */
export function parseStraceLine(line: string): StraceRecord | undefined {
  const head = HEAD.exec(line);
  if (!head) return undefined;
  const pid = Number(head[1]);
  const time = head[2] === undefined ? undefined : Number(head[2]) * 1000 + Math.floor(Number(`0.${head[3]}`) * 1000);
  const rest = line.slice(head[0].length);
  const resumed = RESUMED.exec(rest);
  if (resumed) {
    const outcome = outcomeOf(rest.slice(resumed[0].length));
    if (outcome === undefined) return undefined;
    return { type: "resumed", pid, ...(time === undefined ? {} : { time }), syscall: syscallOf(resumed[1]), outcome };
  }
  const call = CALL.exec(rest);
  if (!call) return undefined;
  const syscall = syscallOf(call[1]);
  const cursor = { text: rest, at: call[0].length };
  let dirfd: string | undefined;
  if (syscall === "execveat") {
    const comma = rest.indexOf(", ", cursor.at);
    if (comma < 0) return undefined;
    dirfd = rest.slice(cursor.at, comma);
    cursor.at = comma + 2;
  }
  const path = readStringOrPointer(cursor);
  if (!path || !expect(cursor, ", ")) return undefined;
  const argv = readArgv(cursor);
  if (!argv) return undefined;
  // After argv: the environment pointer, execveat's flags, then the result; none of it holds
  // the program's bytes, so the first `) = ` is the result.
  const tail = rest.slice(cursor.at);
  const outcome = /^, [^"]* <unfinished \.\.\.>$/.test(tail) ? "unfinished" : outcomeOf(tail);
  if (outcome === undefined) return undefined;
  return {
    type: "call",
    pid,
    ...(time === undefined ? {} : { time }),
    syscall,
    path: dirfd === undefined ? path.value : execveatPath(dirfd, path.value),
    argv: argv.values,
    truncated: path.truncated || argv.truncated,
    outcome,
  };
}

const syscallOf = (name: string | undefined): "execve" | "execveat" => (name === "execveat" ? "execveat" : "execve");

/** `) = 0` → ok; `) = -1 ENOENT (…)` and `) = ?` (the process vanished mid-call) → failed. */
function outcomeOf(tail: string): Exclude<ExecOutcome, "unfinished"> | undefined {
  const m = /\) = (-?\d+|\?)(?: |$)/.exec(tail);
  if (!m) return undefined;
  return m[1] === "0" ? "ok" : "failed";
}

/** execveat(dirfd, path): an absolute path stands alone; `fexecve` (empty path) names only the fd. */
function execveatPath(dirfd: string, path: string): string {
  if (path.startsWith("/") || dirfd === "AT_FDCWD") return path;
  return path === "" ? `<fd ${dirfd}>` : `<fd ${dirfd}>/${path}`;
}

interface Cursor {
  text: string;
  at: number;
}

function expect(cursor: Cursor, literal: string): boolean {
  if (!cursor.text.startsWith(literal, cursor.at)) return false;
  cursor.at += literal.length;
  return true;
}

/** A pointer strace did not follow (`NULL`, or an address it could not read). */
function readPointer(cursor: Cursor): boolean {
  const m = /^(?:NULL|0x[0-9a-f]{1,16})/.exec(cursor.text.slice(cursor.at, cursor.at + 18));
  if (m) cursor.at += m[0].length;
  return m !== null;
}

/** A quoted string, or an unreadable pointer, which reads as "". */
function readStringOrPointer(cursor: Cursor): { value: string; truncated: boolean } | undefined {
  if (cursor.text[cursor.at] === '"') return readString(cursor);
  return readPointer(cursor) ? { value: "", truncated: false } : undefined;
}

/** `["a", "b"...]`, `["a", ...]`, `[]`, or an unreadable pointer (an empty argv). */
function readArgv(cursor: Cursor): { values: string[]; truncated: boolean } | undefined {
  if (cursor.text[cursor.at] !== "[") return readPointer(cursor) ? { values: [], truncated: false } : undefined;
  cursor.at++;
  const values: string[] = [];
  let truncated = false;
  if (expect(cursor, "]")) return { values, truncated };
  for (;;) {
    if (expect(cursor, "...]")) return { values, truncated: true };
    const value = readString(cursor);
    if (!value) return undefined;
    values.push(value.value);
    truncated ||= value.truncated;
    if (expect(cursor, "]")) return { values, truncated };
    if (!expect(cursor, ", ")) return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '"': 34, "\\": 92 };

/** A C string as strace prints it, decoded to its bytes and read as UTF-8. */
function readString(cursor: Cursor): { value: string; truncated: boolean } | undefined {
  const { text } = cursor;
  if (text[cursor.at] !== '"') return undefined;
  const bytes: number[] = [];
  let i = cursor.at + 1;
  for (;;) {
    if (i >= text.length) return undefined;
    const c = text.charCodeAt(i);
    if (c === 34) break; // closing quote
    if (c !== 92) {
      // Outside escapes strace prints printable ASCII only; anything else is not its output.
      if (c < 0x20 || c > 0x7e) return undefined;
      bytes.push(c);
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
    const hex = next === "x" ? /^[0-9a-fA-F]{2}/.exec(text.slice(i + 2, i + 4)) : null;
    if (octal) {
      const value = Number.parseInt(octal[0], 8);
      if (value > 255) return undefined;
      bytes.push(value);
      i += 1 + octal[0].length;
    } else if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 4;
    } else return undefined;
  }
  cursor.at = i + 1;
  const truncated = expect(cursor, "...");
  return { value: Buffer.from(bytes).toString("utf8"), truncated };
}

/** What a sandboxed server executed: the runtime event the proxy reports. */
export interface McpExecEvent {
  kind: "mcp.exec";
  /** The server's name in the proxy's configuration. */
  server: string;
  /** Process id as the proxy sees it (the host's pid namespace, not the sandbox's). */
  pid: number;
  /** The program as the caller named it (`/bin/sh`, not what a symlink resolves to). */
  path: string;
  argv: string[];
  /** Milliseconds since the Unix epoch. */
  time: number;
  /** Some of argv was cut (by strace's string limit or the decoder's bounds). */
  truncated: boolean;
}

/** Counters a recorder keeps instead of memory: a hostile server cannot make them grow a heap. */
export interface ExecStats {
  events: number;
  /** Lines over the length bound, dropped unread. */
  droppedLines: number;
  /** `<unfinished ...>` calls forgotten because too many were pending, or resumed without a start. */
  droppedCalls: number;
}

export interface ExecDecoderOptions {
  server: string;
  /**
   * Successful execs to leave out before reporting: the sandbox's own launch chain (setpriv,
   * bwrap, prlimit) and the server's command itself. Nothing the server does can come earlier.
   */
  skip: number;
  onExec: (event: McpExecEvent) => void;
  maxArgs?: number;
  maxArgLength?: number;
  /** Unfinished calls remembered at once (one per process mid-exec). */
  maxPending?: number;
  now?: () => number;
}

export interface ExecDecoder {
  /** One line of strace output, without its newline. */
  line(text: string): void;
  /** A line dropped by the reader (too long to hold). */
  dropped(): void;
  readonly stats: Readonly<ExecStats>;
}

/** Turns strace lines into `mcp.exec` events: pairs split calls, skips setup, bounds everything. */
export function createExecDecoder(options: ExecDecoderOptions): ExecDecoder {
  const maxArgs = options.maxArgs ?? 64;
  const maxArgLength = options.maxArgLength ?? 256;
  const maxPending = options.maxPending ?? 256;
  const now = options.now ?? Date.now;
  const stats: ExecStats = { events: 0, droppedLines: 0, droppedCalls: 0 };
  const pending = new Map<number, Extract<StraceRecord, { type: "call" }>>();
  let skip = options.skip;

  const succeeded = (call: Extract<StraceRecord, { type: "call" }>, pid: number, time: number | undefined) => {
    if (skip > 0) {
      skip--;
      return;
    }
    const argv = call.argv
      .slice(0, maxArgs)
      .map((arg) => (arg.length > maxArgLength ? arg.slice(0, maxArgLength) : arg));
    const cut = call.argv.length > maxArgs || call.argv.some((arg) => arg.length > maxArgLength);
    stats.events++;
    options.onExec({
      kind: "mcp.exec",
      server: options.server,
      pid,
      path: call.path.length > maxArgLength ? call.path.slice(0, maxArgLength) : call.path,
      argv,
      time: time ?? call.time ?? now(),
      truncated: call.truncated || cut || call.path.length > maxArgLength,
    });
  };

  return {
    stats,
    dropped: () => {
      stats.droppedLines++;
    },
    line(text) {
      const record = parseStraceLine(text);
      if (!record) return;
      if (record.type === "call") {
        if (record.outcome !== "unfinished") pending.delete(record.pid);
        if (record.outcome === "ok") succeeded(record, record.pid, record.time);
        else if (record.outcome === "unfinished") {
          if (pending.size >= maxPending && !pending.has(record.pid)) {
            const oldest = pending.keys().next().value;
            if (oldest !== undefined) pending.delete(oldest);
            stats.droppedCalls++;
          }
          pending.set(record.pid, record);
        }
        return;
      }
      const call = pending.get(record.pid);
      pending.delete(record.pid);
      // A thread's exec resumes under the process's pid: the call was started by another pid.
      // Without the start the path is unknown; count it rather than report half an event.
      if (!call) {
        if (record.outcome === "ok") stats.droppedCalls++;
        return;
      }
      if (record.outcome === "ok") succeeded(call, record.pid, record.time);
    },
  };
}

export interface LineSplitterOptions {
  /** Longest line kept, in bytes; longer ones are dropped whole (and counted by `onDrop`). */
  maxLine: number;
  onLine: (line: string) => void;
  onDrop: () => void;
}

/** Splits a byte stream into lines without ever holding more than `maxLine` bytes of one. */
export function createLineSplitter(options: LineSplitterOptions): { push(chunk: Uint8Array): void; end(): void } {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const emit = (tail: Buffer) => {
    if (skipping) {
      skipping = false;
      return;
    }
    const line = Buffer.concat([...parts, tail]);
    parts = [];
    size = 0;
    // strace escapes everything outside printable ASCII: latin1 reads its bytes one to one.
    options.onLine(line.toString("latin1"));
  };
  return {
    push(chunk) {
      let buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (;;) {
        const newline = buffer.indexOf(10);
        const piece = newline < 0 ? buffer : buffer.subarray(0, newline);
        if (!skipping && size + piece.length > options.maxLine) {
          parts = [];
          size = 0;
          skipping = true;
          options.onDrop();
        }
        if (newline < 0) {
          if (!skipping) {
            parts.push(Buffer.from(piece));
            size += piece.length;
          }
          return;
        }
        emit(piece);
        buffer = buffer.subarray(newline + 1);
      }
    },
    end() {
      if (size > 0 && !skipping) emit(Buffer.alloc(0));
      parts = [];
      size = 0;
      skipping = false;
    },
  };
}
