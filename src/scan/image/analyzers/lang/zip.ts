/**
 * A bounded reader for zip archives (PKWARE APPNOTE.TXT 6.3): the central directory, then the
 * members a caller asks for, stored or deflated. Every size and offset comes from the file, so
 * every one is checked; a bad archive or member is a returned reason, never an exception.
 * ZIP64 is not read: the bounds below (10,000 members, archives of at most a few hundred MB)
 * never need it.
 */
import { inflateRawSync } from "node:zlib";

/** One member as the central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local header, already shifted by any bytes prepended to the archive. */
  localHeaderOffset: number;
}

/** The members of an archive; `truncated` when the directory holds more than the limit. */
export type ZipDirectoryResult =
  | { kind: "ok"; entries: ZipEntry[]; truncated: boolean }
  | { kind: "corrupt"; reason: string };

/** A member's bytes, or why they were not read. */
export type ZipReadResult = { kind: "ok"; data: Buffer } | { kind: "error"; reason: string };

/** Bounds on what one archive may cost. */
export interface ZipLimits {
  maxEntries: number;
  /** Largest inflated size of one member. */
  maxMemberBytes: number;
  /** Largest uncompressed/compressed ratio for members over 1 MiB (zip bombs reach 1000:1). */
  maxRatio: number;
}

/** The defaults the Java analyzer uses. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxMemberBytes: 16 * 1024 * 1024, maxRatio: 100 };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 1;
const FLAG_UTF8 = 1 << 11;
const RATIO_FLOOR = 1024 * 1024;

/** Reads the central directory named by the end-of-central-directory record. */
export function toZipDirectory(data: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipDirectoryResult {
  const eocd = findEocd(data);
  if (eocd === undefined) return { kind: "corrupt", reason: "no end of central directory record" };
  const count = data.readUInt16LE(eocd + 10);
  const size = data.readUInt32LE(eocd + 12);
  const offset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    return { kind: "corrupt", reason: "ZIP64 archives are not read" };
  }
  // Self-executing jars prepend a launcher script; offsets then count from the zip's own start.
  const base = eocd - size - offset;
  if (base < 0) return { kind: "corrupt", reason: "central directory lies outside the file" };
  const entries: ZipEntry[] = [];
  let at = base + offset;
  for (let i = 0; i < Math.min(count, limits.maxEntries); i++) {
    if (at + CENTRAL_SIZE > eocd || data.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      return { kind: "corrupt", reason: `central directory entry ${i} is damaged` };
    }
    const nameLength = data.readUInt16LE(at + 28);
    const next = at + CENTRAL_SIZE + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    if (next > eocd) return { kind: "corrupt", reason: `central directory entry ${i} is truncated` };
    const flags = data.readUInt16LE(at + 8);
    entries.push({
      name: data.toString(flags & FLAG_UTF8 ? "utf8" : "latin1", at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength),
      method: data.readUInt16LE(at + 10),
      flags,
      compressedSize: data.readUInt32LE(at + 20),
      uncompressedSize: data.readUInt32LE(at + 24),
      localHeaderOffset: base + data.readUInt32LE(at + 42),
    });
    at = next;
  }
  return { kind: "ok", entries, truncated: count > limits.maxEntries };
}

/** Reads one member's bytes; stored members are views into `data`, deflated ones are inflated. */
export function readZipEntry(data: Buffer, entry: ZipEntry, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipReadResult {
  const at = entry.localHeaderOffset;
  if (at + LOCAL_SIZE > data.length || data.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    return { kind: "error", reason: `${entry.name}: local header is damaged` };
  }
  const start = at + LOCAL_SIZE + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) return { kind: "error", reason: `${entry.name}: member data is truncated` };
  if (entry.flags & FLAG_ENCRYPTED) return { kind: "error", reason: `${entry.name}: member is encrypted` };
  const raw = data.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      return { kind: "error", reason: `${entry.name}: stored member sizes disagree` };
    }
    return { kind: "ok", data: raw };
  }
  if (entry.method !== 8) return { kind: "error", reason: `${entry.name}: compression method ${entry.method}` };
  return inflateMember(raw, entry, limits);
}

function inflateMember(raw: Buffer, entry: ZipEntry, limits: ZipLimits): ZipReadResult {
  const declared = entry.uncompressedSize;
  if (declared > limits.maxMemberBytes) {
    return { kind: "error", reason: `${entry.name}: ${declared} bytes inflated exceeds the member limit` };
  }
  if (declared > RATIO_FLOOR && declared > raw.length * limits.maxRatio) {
    return { kind: "error", reason: `${entry.name}: compression ratio exceeds ${limits.maxRatio}:1` };
  }
  try {
    // The declared size caps the output, so a header that under-states it cannot smuggle a bomb.
    const inflated = inflateRawSync(raw, { maxOutputLength: Math.max(1, declared) });
    if (inflated.length !== declared) return { kind: "error", reason: `${entry.name}: inflated size disagrees` };
    return { kind: "ok", data: inflated };
  } catch {
    return { kind: "error", reason: `${entry.name}: deflate data is corrupt or larger than declared` };
  }
}

/** The last end-of-central-directory record whose comment length fits the file. */
function findEocd(data: Buffer): number | undefined {
  const lowest = Math.max(0, data.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = data.length - EOCD_SIZE; at >= lowest; at--) {
    if (data.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    if (at + EOCD_SIZE + data.readUInt16LE(at + 20) <= data.length) return at;
  }
  return undefined;
}
