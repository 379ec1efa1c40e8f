/**
 * A small, bounded reader for zip archives (PKWARE APPNOTE.TXT §4.3): the central directory is
 * read from the end of the file, entries are inflated one at a time with node:zlib. Enough for
 * OSV's per-ecosystem `all.zip` exports without a dependency. Supports stored and deflated
 * entries and Zip64 counts and offsets; refuses encryption, multi-disk archives and entries
 * larger than the caller's bound.
 */
import { inflateRawSync } from "node:zlib";
import { PalisadeError } from "../core/index.js";

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** One file inside the archive; `read` inflates it and checks its CRC-32. */
export interface ZipEntry {
  name: string;
  /** Uncompressed size as the central directory declares it. */
  size: number;
  read(): Buffer;
}

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
}

function corrupt(file: string, message: string, cause?: unknown): PalisadeError {
  return new PalisadeError("bad-input", `${file}: ${message}`, { input: file, cause });
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as zip uses it (ISO 3309); node:zlib only exports one from Node 20.15. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u64(buf: Buffer, at: number, file: string): number {
  const value = buf.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, "zip64 field out of range");
  return Number(value);
}

/** Where the central directory is and how many entries it has. */
function findDirectory(buf: Buffer, file: string): { offset: number; size: number; count: number } {
  const lowest = Math.max(0, buf.length - 22 - MAX_COMMENT);
  let eocd = -1;
  for (let at = buf.length - 22; at >= lowest; at--) {
    if (buf.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt(file, "not a zip archive (no end of central directory record)");
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) {
    throw corrupt(file, "multi-disk zip archives are not supported");
  }
  let count = buf.readUInt16LE(eocd + 10);
  let size = buf.readUInt32LE(eocd + 12);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) throw corrupt(file, "zip64 locator missing");
    const record = u64(buf, locator + 8, file);
    if (record + 56 > buf.length || buf.readUInt32LE(record) !== ZIP64_EOCD)
      throw corrupt(file, "zip64 record missing");
    count = u64(buf, record + 32, file);
    size = u64(buf, record + 40, file);
    offset = u64(buf, record + 48, file);
  }
  if (offset + size > buf.length) throw corrupt(file, "central directory lies outside the file");
  return { offset, size, count };
}

/** Sizes and offset, taking 0xffffffff fields from the Zip64 extra field (§4.5.3). */
function zip64Fields(extra: Buffer, fields: { compressed: number; size: number; local: number }, file: string) {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const next = () => {
        if (p + 8 > Math.min(at + 4 + length, extra.length)) throw corrupt(file, "truncated zip64 extra field");
        const v = u64(extra, p, file);
        p += 8;
        return v;
      };
      if (fields.size === 0xffffffff) fields.size = next();
      if (fields.compressed === 0xffffffff) fields.compressed = next();
      if (fields.local === 0xffffffff) fields.local = next();
      return;
    }
    at += 4 + length;
  }
}

/**
 * Lists the entries of a zip archive held in `buf`. Throws PalisadeError (`bad-input`) naming
 * `file` when the archive's directory is unreadable; `read()` throws the same for one bad entry.
 */
export function readZip(buf: Buffer, file: string, limits: ZipLimits): ZipEntry[] {
  return guarded(file, () => listEntries(buf, file, limits));
}

/** Bounds are checked before every read; this only turns a missed one into a clean error. */
function guarded<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    throw corrupt(file, "damaged archive", error);
  }
}

function listEntries(buf: Buffer, file: string, limits: ZipLimits): ZipEntry[] {
  if (buf.length < 22) throw corrupt(file, "not a zip archive (too short)");
  const directory = findDirectory(buf, file);
  if (directory.count > limits.maxEntries) {
    throw corrupt(file, `has ${directory.count} entries (at most ${limits.maxEntries})`);
  }
  const entries: ZipEntry[] = [];
  let at = directory.offset;
  const end = directory.offset + directory.size;
  for (let i = 0; i < directory.count; i++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL)
      throw corrupt(file, `central directory entry ${i} is damaged`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const fields = {
      compressed: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      local: buf.readUInt32LE(at + 42),
    };
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw corrupt(file, `central directory entry ${i} is damaged`);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    zip64Fields(buf.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), fields, file);
    at = next;
    if (name.endsWith("/")) continue;
    const where = `${file}!${name}`;
    entries.push({
      name,
      size: fields.size,
      read: () => guarded(where, () => readEntry(buf, where, { flags, method, crc, ...fields }, limits.maxEntryBytes)),
    });
  }
  return entries;
}

interface EntryFields {
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  local: number;
}

function readEntry(buf: Buffer, where: string, e: EntryFields, maxBytes: number): Buffer {
  if (e.flags & 1) throw corrupt(where, "encrypted entries are not supported");
  if (e.size > maxBytes) throw corrupt(where, `larger than ${maxBytes} bytes`);
  if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== LOCAL) throw corrupt(where, "local header is damaged");
  const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
  if (start + e.compressed > buf.length) throw corrupt(where, "data lies outside the file");
  const raw = buf.subarray(start, start + e.compressed);
  let data: Buffer;
  if (e.method === 0) {
    data = raw;
  } else if (e.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, maxBytes) });
    } catch (cause) {
      throw corrupt(where, "cannot inflate (damaged, or larger than declared)", cause);
    }
  } else {
    throw corrupt(where, `compression method ${e.method} is not supported`);
  }
  if (data.length !== e.size) throw corrupt(where, "size differs from the central directory");
  if (crc32(data) !== e.crc) throw corrupt(where, "CRC-32 mismatch");
  return data;
}
