/**
 * 7z, RAR, xz and bzip2 through 7-Zip compiled to WebAssembly (the `7z-wasm` package: Igor
 * Pavlov's 7-Zip 24.09, no native binary, nothing downloaded at install). WebAssembly is its
 * sandbox: 7-Zip sees only an in-memory file system holding the archive, never the host's.
 * Members are listed first (`l -slt`), so encrypted members and sizes are known before anything
 * is decoded; archives are extracted only when the listed sizes fit the caller's budget, and
 * single compressed streams are decoded through a byte sink that stops at the caller's limit.
 */
import type { SevenZipModule, SevenZipModuleFactory } from "7z-wasm";

/** A member as 7-Zip lists it. */
export interface SevenZipEntry {
  name: string;
  /** Undefined when the archive does not record it (RAR5 streamed members may not). */
  size: number | undefined;
  encrypted: boolean;
  folder: boolean;
}

export interface SevenZipListing {
  /** `7z`, `Rar5`, `xz`, ... as 7-Zip names the type. */
  type: string;
  entries: SevenZipEntry[];
  /** Why the archive could not be listed (encrypted headers, damage), when it could not. */
  error?: string;
}

/**
 * 7-Zip asks for a password on stdin when none is given; a fixed wrong one makes it report
 * encrypted data as an error instead. The scanner never decrypts anything.
 */
const NO_PASSWORD = "-ppalisade-does-not-decrypt";
const ARCHIVE = "/archive";
const OUT = "/out";

/** A fresh 7-Zip instance per archive: a failed run may leave the instance unusable. */
class SevenZip {
  private errors: string[] = [];
  private lines: string[] = [];
  private sink: ((byte: number) => void) | undefined;
  private partial: number[] = [];

  private constructor(private readonly module: SevenZipModule) {}

  static async create(bytes: Uint8Array): Promise<SevenZip> {
    // A UMD module: Node's ESM loader hands its module.exports (the factory) over as `default`,
    // while its typings describe an ES default export; the cast says what Node does.
    const factory = ((await import("7z-wasm")) as unknown as { default: SevenZipModuleFactory }).default;
    let self: SevenZip | undefined;
    const module = await factory({
      printErr: (line: string) => self?.errors.push(line),
      // With a byte handler, Emscripten sends stdout here instead of to print: bytes go to the
      // sink while one is set (binary output of `-so`), else they are split into text lines.
      stdout: (byte: number | null) => {
        if (byte === null || !self) return;
        if (self.sink) self.sink(byte);
        else self.addByte(byte);
      },
    });
    self = new SevenZip(module);
    module.FS.writeFile(ARCHIVE, bytes);
    return self;
  }

  private addByte(byte: number): void {
    if (byte !== 0x0a) {
      if (this.partial.length < 64 * 1024) this.partial.push(byte);
      return;
    }
    this.lines.push(new TextDecoder().decode(Uint8Array.from(this.partial)));
    this.partial = [];
  }

  /** Run one 7-Zip command; its exit code, or the reason it failed. */
  run(args: string[]): { code: number; failure?: string } {
    this.lines = [];
    this.errors = [];
    this.partial = [];
    // Emscripten's Node glue sets process.exitCode when the program fails: the scan's exit
    // code must stay the CLI's own.
    const exitCode = process.exitCode;
    try {
      // callMain returns main's exit code (its typings say void).
      const code = (this.module.callMain as (argv: string[]) => unknown)([...args]);
      return { code: typeof code === "number" ? code : 0 };
    } catch (error) {
      const status = (error as { status?: unknown })?.status;
      if (typeof status === "number") return { code: status };
      const message = error instanceof Error ? error.message || error.name : "";
      return { code: -1, failure: message || "7-Zip stopped" };
    } finally {
      process.exitCode = exitCode;
    }
  }

  get output(): string[] {
    return this.lines;
  }

  /** 7-Zip's error lines, the noise (banners, progress) left out. */
  get errorText(): string {
    return this.errors
      .map((l) => l.trim())
      .filter((l) => l && !/^(7-Zip|Scanning|Listing|Extracting|--|Path =|Type =|Physical Size)/.test(l))
      .join("; ");
  }

  withSink<T>(sink: (byte: number) => void, run: () => T): T {
    this.sink = sink;
    try {
      return run();
    } finally {
      this.sink = undefined;
    }
  }

  get fs(): SevenZipModule["FS"] {
    return this.module.FS;
  }
}

function list(zip: SevenZip): SevenZipListing {
  const { code, failure } = zip.run(["l", "-slt", "-bd", NO_PASSWORD, ARCHIVE]);
  const listing = parseListing(zip.output);
  if (code !== 0 || failure) {
    listing.error = zip.errorText || failure || `7-Zip exit code ${code}`;
  }
  return listing;
}

/** Parse `7z l -slt`: archive properties, a `----------` line, then one block per member. */
export function parseListing(lines: readonly string[]): SevenZipListing {
  const listing: SevenZipListing = { type: "", entries: [] };
  let inMembers = false;
  let block: Record<string, string> = {};
  const flush = () => {
    if (block.Path !== undefined) {
      listing.entries.push({
        name: block.Path,
        size: listedSize(block.Size),
        encrypted: block.Encrypted === "+",
        folder: block.Folder === "+" || /^D/.test(block.Attributes ?? ""),
      });
    }
    block = {};
  };
  for (const line of lines) {
    if (line.startsWith("----------")) {
      inMembers = true;
      continue;
    }
    const m = /^([A-Za-z ]+?) = (.*)$/.exec(line);
    if (!inMembers) {
      if (m?.[1] === "Type") listing.type = m[2] ?? "";
      continue;
    }
    if (line.trim() === "") flush();
    else if (m) block[m[1] as string] = m[2] as string;
  }
  flush();
  return listing;
}

/** A listed size only when 7-Zip printed a whole number: an absent size is not zero bytes. */
function listedSize(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Why the wanted members cannot be extracted within `maxBytes`, judged from the listing alone:
 * 7-Zip writes members into its in-memory file system before we can count them, so a member
 * whose size is not recorded could decode to any length and is never extracted.
 */
export function extractionRefusal(wanted: readonly SevenZipEntry[], maxBytes: number): string | undefined {
  const unsized = wanted.find((e) => e.size === undefined);
  if (unsized) return `member ${JSON.stringify(unsized.name)} has no recorded size, so it is not extracted`;
  const total = wanted.reduce((n, e) => n + (e.size ?? 0), 0);
  if (total > maxBytes) return `members hold ${total} bytes, over the ${maxBytes}-byte limit`;
  return undefined;
}

export interface ExtractResult {
  listing: SevenZipListing;
  /** Extracted members by the name 7-Zip lists. */
  members: Map<string, Uint8Array>;
  /** Why members that should have been extracted were not. */
  error?: string;
}

/**
 * List, then extract every member that is not encrypted when their listed sizes fit in
 * `maxBytes` (7-Zip decodes exactly the listed size of each member, so the listing bounds memory).
 */
export async function extractSevenZip(bytes: Uint8Array, maxBytes: number): Promise<ExtractResult> {
  const zip = await SevenZip.create(bytes);
  const listing = list(zip);
  const members = new Map<string, Uint8Array>();
  if (listing.error) return { listing, members };
  const wanted = listing.entries.filter((e) => !e.folder && !e.encrypted);
  if (wanted.length === 0) return { listing, members };
  const refusal = extractionRefusal(wanted, maxBytes);
  if (refusal) return { listing, members, error: refusal };
  zip.fs.mkdir(OUT);
  const { code, failure } = zip.run(["x", "-y", "-bd", "-snl", NO_PASSWORD, `-o${OUT}`, ARCHIVE]);
  let links = 0;
  let read = 0;
  for (const entry of wanted) {
    try {
      const path = `${OUT}/${entry.name}`;
      // A link is listed at the length of its target's name but reads as the whole target: a
      // thousand links to one large member would be a thousand copies. Links are not read.
      if (zip.fs.isLink(zip.fs.lstat(path).mode)) {
        links++;
        continue;
      }
      const bytes = zip.fs.readFile(path);
      read += bytes.length;
      if (read > maxBytes) return { listing, members, error: `members hold more than ${maxBytes} bytes` };
      members.set(entry.name, bytes);
    } catch {
      // Not extracted: the error below says why.
    }
  }
  const missing = wanted.length - members.size - links;
  const result: ExtractResult = { listing, members };
  if (missing > 0 || (code !== 0 && code !== 2) || failure) {
    result.error = zip.errorText || failure || `7-Zip exit code ${code}`;
  }
  return result;
}

/** What came out of a compressed stream: at most the limit's worth of bytes, and why it stopped early. */
export interface DecodedStream {
  bytes: Uint8Array;
  /** Set when the stream did not decode to its end within the limit. */
  error?: string;
  /** True when the output went past the limit (`bytes` is then the first `maxBytes`). */
  overLimit: boolean;
}

/** Thrown by the byte sink to stop 7-Zip once the output passes the caller's limit. */
class OverLimit extends Error {}

/**
 * Decode the single stream of an xz, bzip2 or zstd file (`7z e -so`), keeping at most
 * `maxBytes`: these formats need not record the decoded size, so the sink is the bound. A
 * truncated input still yields what decoded before the cut (used to sniff a prefix).
 */
export async function decodeStream(bytes: Uint8Array, maxBytes: number): Promise<DecodedStream> {
  const zip = await SevenZip.create(bytes);
  const out = new Uint8Array(Math.min(maxBytes, 1 << 20));
  let buffer = out;
  let used = 0;
  let over = false;
  const sink = (byte: number) => {
    if (used === maxBytes) {
      // Emscripten turns the throw into EIO on stdout, and 7-Zip stops with an I/O error.
      over = true;
      throw new OverLimit();
    }
    if (used === buffer.length) {
      const grown = new Uint8Array(Math.min(maxBytes, buffer.length * 2));
      grown.set(buffer);
      buffer = grown;
    }
    buffer[used++] = byte;
  };
  const run = zip.withSink(sink, () => zip.run(["e", "-so", "-bd", NO_PASSWORD, ARCHIVE]));
  const result: DecodedStream = { bytes: buffer.subarray(0, used), overLimit: false };
  if (over) {
    result.overLimit = true;
    result.error = `decodes past ${maxBytes} bytes`;
  } else if (run.code !== 0 || run.failure) {
    result.error = zip.errorText || run.failure || `7-Zip exit code ${run.code}`;
  }
  return result;
}
