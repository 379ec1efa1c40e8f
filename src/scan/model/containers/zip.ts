/**
 * A bounded ZIP reader over a random-access source (APPNOTE.TXT 6.3.x): the end of central
 * directory record (with ZIP64), the central directory, and members read one at a time with an
 * output limit, so zip bombs and lying sizes cannot take unbounded memory. When the central
 * directory is damaged, local file headers are walked instead and the archive is reported.
 */
import { constants, inflateRawSync } from "node:zlib";
import type { ByteSource } from "../source.js";

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local file header. */
  headerOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Why the central directory could not be used, when entries came from local headers instead. */
  damaged?: string;
}

export const MAX_ZIP_ENTRIES = 100_000;
const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const TAIL = 22 + 0xffff + 20;

/** True when the bytes start like a ZIP archive (local header or empty-archive EOCD). */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Read the member list, from the central directory or, when it is damaged, from local headers. */
export async function readZipDirectory(src: ByteSource): Promise<ZipDirectory> {
  try {
    return { entries: await readCentralDirectory(src) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { entries: await walkLocalHeaders(src), damaged: reason };
  }
}

async function readCentralDirectory(src: ByteSource): Promise<ZipEntry[]> {
  const tailStart = Math.max(0, src.size - TAIL);
  const tail = await src.read(tailStart, src.size - tailStart);
  const view = dv(tail);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("no end of central directory record");
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || count === 0xffff || cdSize === 0xffffffff) {
    // ZIP64 end of central directory locator sits just before the EOCD.
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) throw new Error("ZIP64 locator missing");
    const rec = Number(view.getBigUint64(loc + 8, true));
    const r = dv(await src.read(rec, 56));
    if (r.byteLength < 56 || r.getUint32(0, true) !== 0x06064b50) throw new Error("ZIP64 end record missing");
    count = Number(r.getBigUint64(32, true));
    cdSize = Number(r.getBigUint64(40, true));
    cdOffset = Number(r.getBigUint64(48, true));
  }
  if (count > MAX_ZIP_ENTRIES) throw new Error(`more than ${MAX_ZIP_ENTRIES} entries`);
  if (cdOffset + cdSize > src.size) throw new Error("central directory lies past the end of the file");
  if (cdSize > 64 * 1024 * 1024) throw new Error("central directory larger than 64 MiB");
  const cd = await src.read(cdOffset, cdSize);
  const v = dv(cd);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CDH) throw new Error(`bad central directory header #${i}`);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    if (p + 46 + nameLen + extraLen > cd.length) throw new Error(`central directory header #${i} is truncated`);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLen)),
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      headerOffset: v.getUint32(p + 42, true),
    };
    applyZip64(entry, cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
    if (entry.headerOffset >= src.size) throw new Error(`entry ${entry.name} starts past the end of the file`);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function applyZip64(entry: ZipEntry, extra: Uint8Array): void {
  const v = dv(extra);
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = v.getUint16(p, true);
    const len = v.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const value = q + 8 <= p + 4 + len && q + 8 <= extra.length ? Number(v.getBigUint64(q, true)) : 0;
        q += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.headerOffset === 0xffffffff) entry.headerOffset = next();
    }
    p += 4 + len;
  }
}

/** Fallback for a damaged central directory: walk local file headers from the start. */
async function walkLocalHeaders(src: ByteSource): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 30 <= src.size && entries.length < MAX_ZIP_ENTRIES) {
    const h = await src.read(p, 30);
    const v = dv(h);
    if (h.length < 30 || v.getUint32(0, true) !== LFH) break;
    const nameLen = v.getUint16(26, true);
    const extraLen = v.getUint16(28, true);
    const name = new TextDecoder().decode(await src.read(p + 30, nameLen));
    const entry: ZipEntry = {
      name,
      flags: v.getUint16(6, true),
      method: v.getUint16(8, true),
      compressedSize: v.getUint32(18, true),
      size: v.getUint32(22, true),
      headerOffset: p,
    };
    applyZip64(entry, await src.read(p + 30 + nameLen, extraLen));
    entries.push(entry);
    if (entry.flags & 0x8 && entry.compressedSize === 0) break; // sizes only in a data descriptor
    p += 30 + nameLen + extraLen + entry.compressedSize;
  }
  return entries;
}

/** Offset of a member's data, after its local header. */
export async function zipDataOffset(src: ByteSource, entry: ZipEntry): Promise<number> {
  return (await zipLocalPrefix(src, entry, 0)).dataStart;
}

/**
 * The member's data offset and up to `n` raw (not inflated) bytes of its data, in one read when
 * the local header and its extra field are small (PyTorch pads them to align tensor data).
 */
export async function zipLocalPrefix(
  src: ByteSource,
  entry: ZipEntry,
  n: number,
): Promise<{ dataStart: number; raw: Uint8Array }> {
  const guess = 30 + 4 * entry.name.length + 256 + n;
  const h = await src.read(entry.headerOffset, guess);
  const v = dv(h);
  if (h.length < 30 || v.getUint32(0, true) !== LFH) throw new Error(`no local header for ${entry.name}`);
  const skip = 30 + v.getUint16(26, true) + v.getUint16(28, true);
  const dataStart = entry.headerOffset + skip;
  const want = Math.min(n, entry.compressedSize);
  const raw = skip + want <= h.length ? h.subarray(skip, skip + want) : await src.read(dataStart, want);
  return { dataStart, raw };
}

/** A member inflated past the limit it was read with: the whole limit was spent. */
export class ZipLimitError extends Error {}

/** Read a member, inflating when deflated, refusing output larger than `maxBytes`. */
export async function readZipEntry(src: ByteSource, entry: ZipEntry, maxBytes: number): Promise<Uint8Array> {
  const start = await zipDataOffset(src, entry);
  if (entry.method === 0) {
    if (entry.compressedSize > maxBytes) throw new Error(`${entry.name} is larger than ${maxBytes} bytes`);
    const data = await src.read(start, entry.compressedSize);
    if (data.length < entry.compressedSize) throw new Error(`${entry.name} is truncated`);
    return data;
  }
  if (entry.method === 8) {
    if (entry.compressedSize > maxBytes) throw new Error(`${entry.name} is larger than ${maxBytes} bytes`);
    const data = await src.read(start, entry.compressedSize);
    try {
      return inflateRawSync(data, { maxOutputLength: maxBytes });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE") throw new ZipLimitError(`${entry.name} inflates past ${maxBytes} bytes`);
      throw new Error(`${entry.name} does not inflate: ${code ?? String(cause)}`);
    }
  }
  throw new Error(`${entry.name} uses unsupported compression method ${entry.method}`);
}

/** The first bytes of a member, for format sniffing, without reading or inflating the whole member. */
export async function readZipEntryHead(
  src: ByteSource,
  entry: ZipEntry,
  length: number,
  prefix?: { dataStart: number; raw: Uint8Array },
): Promise<Uint8Array> {
  if (entry.method === 0) return (prefix ?? (await zipLocalPrefix(src, entry, length))).raw.subarray(0, length);
  if (entry.method !== 8) throw new Error(`${entry.name} uses unsupported compression method ${entry.method}`);
  // Inflate only a prefix: a sync flush returns what the prefix holds instead of failing on it.
  const start = prefix?.dataStart ?? (await zipDataOffset(src, entry));
  const compressed = await src.read(start, Math.min(entry.compressedSize, 64 * 1024));
  try {
    return inflateRawSync(compressed, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: 16 * 1024 * 1024,
    }).subarray(0, length);
  } catch (cause) {
    throw new Error(`${entry.name} does not inflate: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
  }
}
