/**
 * Reading command input, one reader for every command that takes text: `--text`, a FILE, `-` or
 * piped stdin. Refuses, with one line naming the input, what would hang or be scanned as
 * garbage: a named pipe, a directory or a device given as FILE, no input given while stdin
 * carries none (a terminal, /dev/null, closed), binary data, and anything over the size limit.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { isatty } from "node:tty";
import { PalisadeError } from "../core/index.js";

/** Inputs larger than this are refused rather than read into memory (64 MiB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** How many leading bytes are searched for a NUL, as git and grep do to tell binary from text. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

/** The usage error for no FILE, no --text and nothing piped on stdin. */
export const NO_INPUT_MESSAGE = "no input: give FILE, --text TEXT, or pipe text on stdin";

export interface TextInput {
  text: string;
  /** `--text`, `stdin`, or the file name as given. */
  source: string;
  /** The file name when the text came from a FILE, for `file:line:col` locations. */
  file?: string;
}

/**
 * What stdin is. Only a pipe, a regular file (`< file`) or a socket (how Node and many
 * supervisors pipe a child's stdin) carries input someone meant to give; a terminal would wait
 * for typing, and a device such as /dev/null or a closed stdin (which Node reopens on /dev/null)
 * yields nothing, which must not pass as an empty input.
 */
export type StdinKind = "pipe" | "file" | "socket" | "terminal" | "device" | "closed" | "other";

/** The stdin kinds read when no FILE or --text is given. */
const PIPED_KINDS: ReadonlySet<StdinKind> = new Set(["pipe", "file", "socket"]);

/** Where stdin comes from; commands use the process's, tests pass their own. */
export interface StdinSource {
  /** What stdin is, asked when no FILE or --text is given. */
  kind(): StdinKind;
  /** All of stdin, refused past `maxBytes`. */
  read(maxBytes: number): Promise<Buffer>;
}

/** The process's stdin. */
export const processStdin: StdinSource = {
  kind: stdinKind,
  read: (maxBytes) => readStream(process.stdin, maxBytes),
};

/** What the process's stdin (file descriptor 0) is, from fstat(2); one that cannot be stat'ed is not read. */
function stdinKind(): StdinKind {
  let stat: Stats;
  try {
    stat = fstatSync(0);
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "EBADF" ? "closed" : "other";
  }
  if (stat.isFIFO()) return "pipe";
  if (stat.isFile()) return "file";
  if (stat.isSocket()) return "socket";
  if (stat.isCharacterDevice()) return isatty(0) ? "terminal" : "device";
  return "other";
}

export interface ReadTextInputOptions {
  text?: string | undefined;
  /** A path, `-` for stdin, or undefined: stdin when it is a pipe, file or socket, else a usage error. */
  file?: string | undefined;
  stdin?: StdinSource;
  maxBytes?: number;
}

/** Read a command's text from `--text`, a FILE or stdin (see the module comment for what is refused). */
export async function readTextInput(options: ReadTextInputOptions): Promise<TextInput> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const stdin = options.stdin ?? processStdin;
  if (options.text !== undefined && options.file !== undefined) {
    throw new PalisadeError("bad-usage", "give either --text or a FILE, not both");
  }
  if (options.text !== undefined) return { text: options.text, source: "--text" };
  if (options.file === undefined && !PIPED_KINDS.has(stdin.kind())) {
    throw new PalisadeError("bad-usage", NO_INPUT_MESSAGE);
  }
  // An explicit `-` reads a terminal too: the user asked to type the text (ended by Ctrl-D).
  if (options.file === undefined || options.file === "-") {
    const bytes = await stdin.read(maxBytes);
    return { text: toText(bytes, "stdin"), source: "stdin" };
  }
  return { text: readFileText(options.file, { maxBytes }), source: options.file, file: options.file };
}

/** Read a regular UTF-8 text file for a command, with a one-line error naming it on any failure. */
export function readFileText(file: string, options: { maxBytes?: number } = {}): string {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  let fd: number;
  try {
    // Non-blocking, so that opening a named pipe with no writer returns at once instead of
    // waiting; the fstat below then refuses it. Regular files ignore the flag.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new PalisadeError(
      code === "ENOENT" ? "not-found" : "bad-input",
      `cannot read ${file}: ${code ?? (cause as Error).message}`,
      { input: file, cause },
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new PalisadeError("bad-input", `${file} is not a regular file (it is a ${fileKind(stat)})`, {
        input: file,
      });
    }
    if (stat.size > maxBytes) {
      throw new PalisadeError("bad-input", `${file} is ${stat.size} bytes; the limit is ${maxBytes}`, { input: file });
    }
    const bytes = readFileSync(fd);
    if (bytes.length > maxBytes) {
      throw new PalisadeError("bad-input", `${file} is larger than ${maxBytes} bytes`, { input: file });
    }
    return toText(bytes, file);
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new PalisadeError("bad-input", `cannot read ${file}: ${code ?? (cause as Error).message}`, {
      input: file,
      cause,
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * Decode bytes as UTF-8 text, or refuse them as binary: a NUL in the first 8 KiB (images,
 * archives, executables) or any invalid UTF-8 sequence. A leading byte-order mark is dropped.
 */
export function toText(bytes: Uint8Array, source: string): string {
  const what = source === "stdin" ? "stdin is binary data" : `${source} is a binary file`;
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw new PalisadeError("bad-input", `${what}, not text`, { input: source });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new PalisadeError("bad-input", `${what}, not text (not valid UTF-8)`, { input: source, cause });
  }
}

function fileKind(stat: Stats): string {
  if (stat.isFIFO()) return "named pipe";
  if (stat.isDirectory()) return "directory";
  if (stat.isSocket()) return "socket";
  if (stat.isCharacterDevice()) return "character device";
  if (stat.isBlockDevice()) return "block device";
  return "special file";
}

async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) {
      throw new PalisadeError("bad-input", `stdin is larger than ${maxBytes} bytes`, { input: "stdin" });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
