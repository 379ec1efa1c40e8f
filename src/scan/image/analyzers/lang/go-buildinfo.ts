/**
 * The build information the Go linker embeds in every binary since Go 1.13 (the layout read by
 * the standard library's debug/buildinfo): a 32-byte header starting with `\xff Go buildinf:`,
 * 16-byte aligned, followed (Go 1.18+, flag bit 2) by two length-prefixed strings — the
 * toolchain version and the module info — or (older) by two pointers to Go string headers.
 */
import { type ElfFile, isElf, toElfFile, toFileOffset } from "./elf.js";

/** What the build-info blob says, before the module text is parsed. */
export interface GoBuildInfo {
  /** Toolchain version as the runtime reports it: `go1.22.3`, `go1.22.3 X:boringcrypto`. */
  goVersion: string;
  /** The module text (`path`, `mod`, `dep`, `=>`, `build` lines); empty without module support. */
  modInfo: string;
}

/** `found` with the info, `absent` for binaries that are not Go, `corrupt` with the reason. */
export type GoBuildInfoResult =
  | { kind: "found"; info: GoBuildInfo }
  | { kind: "absent" }
  | { kind: "corrupt"; reason: string };

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const HEADER_SIZE = 32;
const ALIGN = 16;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE = 2;
/** The module text of a binary with ~500 dependencies is ~50 KB; more is corruption. */
const MAX_STRING = 4 * 1024 * 1024;
/** The runtime wraps the module text in 16-byte sentinels (cmd/go/internal/modload). */
const SENTINEL = 16;

/** Finds and decodes the build info of an ELF, Mach-O or PE binary. */
export function toGoBuildInfo(data: Buffer): GoBuildInfoResult {
  const elf = isElf(data) ? toElfFile(data) : undefined;
  const start = findHeader(data, elf);
  if (start === undefined) {
    // A damaged ELF may have lost its build info; say so rather than call it "not Go".
    if (isElf(data) && (!elf || elf.truncated)) return { kind: "corrupt", reason: "ELF file is truncated or damaged" };
    return { kind: "absent" };
  }
  if (start + HEADER_SIZE > data.length) return { kind: "corrupt", reason: "build info header is truncated" };
  const pointerSize = data[start + 14];
  const flags = data[start + 15] ?? 0;
  if ((flags & FLAG_INLINE) !== 0) return decodeInline(data, start + HEADER_SIZE);
  if (pointerSize !== 4 && pointerSize !== 8) return { kind: "corrupt", reason: `pointer size ${pointerSize}` };
  if (!elf) {
    const reason =
      start === 0
        ? `the build info of a Go < 1.18 binary points into the file, which is over ${MAX_WHOLE_BINARY_BYTES} bytes and was not kept`
        : "pre-Go 1.18 build info is only read from ELF files";
    return { kind: "corrupt", reason };
  }
  return decodePointers(data, { elf, at: start + 16, pointerSize, bigEndian: (flags & FLAG_BIG_ENDIAN) !== 0 });
}

/** The `.go.buildinfo` section when the section table names it, else the first aligned magic. */
function findHeader(data: Buffer, elf: ElfFile | undefined): number | undefined {
  const section = elf?.sections.find((s) => s.name === ".go.buildinfo" && s.hasBits);
  if (section && section.offset + MAGIC.length <= data.length && hasMagicAt(data, section.offset)) {
    return section.offset;
  }
  // Stripped section tables, Mach-O and PE: segments keep file offsets congruent to addresses
  // modulo the page size, so the 16-byte alignment holds for file offsets too.
  // A magic whose header is implausible is a literal in the data (the Go toolchain has one).
  for (let at = data.indexOf(MAGIC); at >= 0; at = data.indexOf(MAGIC, at + 1)) {
    if (at % ALIGN === 0 && candidateState({ parts: [data.subarray(at)], length: data.length - at }) !== "invalid") {
      return at;
    }
  }
  return undefined;
}

function hasMagicAt(data: Buffer, at: number): boolean {
  return data.subarray(at, at + MAGIC.length).equals(MAGIC);
}

/** Go 1.18+: uvarint length + bytes, twice. */
function decodeInline(data: Buffer, at: number): GoBuildInfoResult {
  const version = readVarString(data, at);
  if (!version) return { kind: "corrupt", reason: "truncated version string" };
  const mod = readVarString(data, version.end);
  if (!mod) return { kind: "corrupt", reason: "truncated module info" };
  return { kind: "found", info: { goVersion: version.bytes.toString("utf8"), modInfo: stripSentinels(mod.bytes) } };
}

function readVarString(data: Buffer, at: number): { bytes: Buffer; end: number } | undefined {
  let length = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = data[pos++];
    if (byte === undefined || shift > 28) return undefined;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  if (length > MAX_STRING || pos + length > data.length) return undefined;
  return { bytes: data.subarray(pos, pos + length), end: pos + length };
}

interface PointerLayout {
  elf: ElfFile;
  at: number;
  pointerSize: number;
  bigEndian: boolean;
}

/** Before Go 1.18: two pointers to Go string headers `{data *byte; len int}`. */
function decodePointers(data: Buffer, layout: PointerLayout): GoBuildInfoResult {
  const { at, pointerSize } = layout;
  const versionPtr = readWord(data, at, layout);
  const modPtr = readWord(data, at + pointerSize, layout);
  if (versionPtr === undefined || modPtr === undefined) return { kind: "corrupt", reason: "truncated header" };
  const goVersion = readGoString(data, versionPtr, layout);
  const modInfo = readGoString(data, modPtr, layout);
  if (goVersion === undefined || modInfo === undefined) {
    return { kind: "corrupt", reason: "build info points outside the loaded segments" };
  }
  return { kind: "found", info: { goVersion: goVersion.toString("utf8"), modInfo: stripSentinels(modInfo) } };
}

function readGoString(data: Buffer, address: bigint, layout: PointerLayout): Buffer | undefined {
  const header = toFileOffset(layout.elf, address, layout.pointerSize * 2);
  if (header === undefined) return undefined;
  const pointer = readWord(data, header, layout);
  const length = readWord(data, header + layout.pointerSize, layout);
  if (pointer === undefined || length === undefined || length > BigInt(MAX_STRING)) return undefined;
  if (length === 0n) return Buffer.alloc(0);
  const offset = toFileOffset(layout.elf, pointer, Number(length));
  return offset === undefined ? undefined : data.subarray(offset, offset + Number(length));
}

function readWord(data: Buffer, at: number, layout: PointerLayout): bigint | undefined {
  if (at < 0 || at + layout.pointerSize > data.length) return undefined;
  if (layout.pointerSize === 4) return BigInt(layout.bigEndian ? data.readUInt32BE(at) : data.readUInt32LE(at));
  return layout.bigEndian ? data.readBigUInt64BE(at) : data.readBigUInt64LE(at);
}

/** Removes the 16-byte sentinels around the module text (bytes: they are not UTF-8), as debug/buildinfo does. */
function stripSentinels(mod: Buffer): string {
  if (mod.length >= 2 * SENTINEL + 1 && mod[mod.length - SENTINEL - 1] === 0x0a) {
    return mod.toString("utf8", SENTINEL, mod.length - SENTINEL);
  }
  return mod.toString("utf8");
}

/**
 * A pre-1.18 header points into the data segment, which only the whole file resolves: a binary
 * up to this size is copied whole while it streams in case it turns out to be one (Go programs
 * of that age are mostly smaller); a larger one reports that its build info was not read.
 */
export const MAX_WHOLE_BINARY_BYTES = 16 * 1024 * 1024;
/** Toolchain versions are short (`go1.22.3 X:boringcrypto`); a longer one means no header. */
const MAX_VERSION = 1024;
/** Candidate headers followed at once: a file of repeated magics must not multiply the work. */
const MAX_CANDIDATES = 4;

/** An aligned magic met in the stream, and the bytes after it gathered so far. */
interface Candidate {
  parts: Buffer[];
  length: number;
  /** Total bytes of header and strings, once the two lengths are known. */
  need?: number;
}

/**
 * Reads an executable as a stream and keeps only what `toGoBuildInfo` needs: the build-info
 * header and its two inline strings (Go 1.18+), a few kilobytes instead of the whole binary,
 * or the whole binary when it is small and its header is of the older pointer kind. Returns
 * undefined when no plausible header was met. Consumes the stream to its end.
 */
export async function extractGoBuildInfo(stream: AsyncIterable<Buffer>, size: number): Promise<Buffer | undefined> {
  const whole = size <= MAX_WHOLE_BINARY_BYTES ? Buffer.allocUnsafe(size) : undefined;
  let position = 0;
  let tail = Buffer.alloc(0);
  let candidates: Candidate[] = [];
  let found: { header: Buffer; legacy: boolean } | undefined;
  for await (const chunk of stream) {
    if (whole) chunk.copy(whole, position, 0, Math.max(0, Math.min(chunk.length, size - position)));
    if (!found) {
      for (const c of candidates) add(c, chunk);
      // The window overlaps the previous chunk by one magic length less a byte, so no header is missed.
      const window = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      const base = position - tail.length;
      for (let at = window.indexOf(MAGIC); at >= 0 && candidates.length < MAX_CANDIDATES; ) {
        if ((base + at) % ALIGN === 0)
          candidates.push({ parts: [Buffer.from(window.subarray(at))], length: window.length - at });
        at = window.indexOf(MAGIC, at + 1);
      }
      tail = Buffer.from(window.subarray(Math.max(0, window.length - (MAGIC.length - 1))));
      const pending: Candidate[] = [];
      for (const c of candidates) {
        const state = candidateState(c);
        if (state === "more") pending.push(c);
        else if (state !== "invalid") {
          found = state;
          break;
        }
      }
      candidates = found ? [] : pending;
    }
    position += chunk.length;
  }
  if (!found) {
    // A header cut short by the end of the file is still decoded: it reports the damage.
    const cut = candidates[0];
    return cut ? Buffer.concat(cut.parts) : undefined;
  }
  return found.legacy && whole && position === size ? whole : found.header;
}

function add(candidate: Candidate, chunk: Buffer): void {
  const room = (candidate.need ?? HEADER_SIZE + 2 * 10 + MAX_VERSION) - candidate.length;
  if (room <= 0) return;
  const part = Buffer.from(chunk.subarray(0, room));
  candidate.parts.push(part);
  candidate.length += part.length;
}

/** Judges a candidate once enough has arrived: `more` to wait, `invalid` to drop it, or the header. */
function candidateState(candidate: Candidate): { header: Buffer; legacy: boolean } | "more" | "invalid" {
  if (candidate.need !== undefined) {
    if (candidate.length < candidate.need) return "more";
    return { header: Buffer.from(joined(candidate.parts).subarray(0, candidate.need)), legacy: false };
  }
  if (candidate.length < HEADER_SIZE) return "more";
  // Only the first bytes are needed to learn the lengths; join them once (they are small).
  const data = joined(candidate.parts);
  candidate.parts = [data];
  const pointerSize = data[14];
  const flags = data[15] ?? 0;
  if ((flags & ~(FLAG_BIG_ENDIAN | FLAG_INLINE)) !== 0) return "invalid";
  if ((flags & FLAG_INLINE) === 0) {
    if (pointerSize !== 4 && pointerSize !== 8) return "invalid";
    return { header: Buffer.from(data.subarray(0, HEADER_SIZE)), legacy: true };
  }
  const version = readVarLength(data, HEADER_SIZE);
  if (version === "more") return "more";
  if (version === undefined || version.length > MAX_VERSION) return "invalid";
  const versionEnd = version.start + version.length;
  if (data.length < versionEnd) return "more";
  // A string that is not a toolchain version means the magic was a literal in the data, not the header.
  if (!/^(go|devel)/.test(data.toString("latin1", version.start, Math.min(versionEnd, version.start + 5)))) {
    return "invalid";
  }
  const mod = readVarLength(data, versionEnd);
  if (mod === "more") return "more";
  if (mod === undefined || mod.length > MAX_STRING) return "invalid";
  candidate.need = mod.start + mod.length;
  return candidateState(candidate);
}

function joined(parts: Buffer[]): Buffer {
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** A uvarint length at `at`: where its string starts and how long it is, `more` when cut off, undefined when malformed. */
function readVarLength(data: Buffer, at: number): { start: number; length: number } | "more" | undefined {
  let length = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = data[pos++];
    if (byte === undefined) return "more";
    if (shift > 28) return undefined;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  return { start: pos, length };
}
