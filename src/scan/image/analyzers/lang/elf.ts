/**
 * Just enough of ELF (System V gABI, "ELF-64 Object File Format") to find a named section and to
 * map a virtual address to a file offset. Every offset is checked against the buffer, so a
 * truncated or hostile file yields undefined fields instead of an exception.
 */

/** A section header: where its bytes are in the file. */
export interface ElfSection {
  name: string;
  offset: number;
  size: number;
  /** SHT_NOBITS sections (.bss) have a size but no bytes in the file. */
  hasBits: boolean;
}

/** A PT_LOAD program header. */
export interface ElfSegment {
  vaddr: bigint;
  offset: number;
  fileSize: number;
}

/** The parts of an ELF file the Go build-info reader needs. */
export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
  /** A header table or a loadable segment ends past the end of the file. */
  truncated: boolean;
}

const SHT_NOBITS = 8;
const PT_LOAD = 1;
/** Real binaries have at most a few hundred; more means a corrupt header. */
const MAX_HEADERS = 4096;

/** Whether the buffer starts with the ELF magic. */
export function isElf(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

/** Reads the section and program headers, or undefined when the ELF header itself is unusable. */
export function toElfFile(data: Buffer): ElfFile | undefined {
  if (!isElf(data) || data.length < 52) return undefined;
  const elfClass = data[4];
  const encoding = data[5];
  if ((elfClass !== 1 && elfClass !== 2) || (encoding !== 1 && encoding !== 2)) return undefined;
  const is64 = elfClass === 2;
  if (is64 && data.length < 64) return undefined;
  const r = createReader(data, encoding === 1);
  const header = is64
    ? { phoff: r.addr(0x20, true), shoff: r.addr(0x28, true), at: 0x36 }
    : { phoff: r.addr(0x1c, false), shoff: r.addr(0x20, false), at: 0x2a };
  const phentsize = r.u16(header.at);
  const phnum = r.u16(header.at + 2);
  const shentsize = r.u16(header.at + 4);
  const shnum = r.u16(header.at + 6);
  const shstrndx = r.u16(header.at + 8);
  const programTable = { is64, offset: header.phoff, entrySize: phentsize, count: phnum };
  const sectionTable = { is64, offset: header.shoff, entrySize: shentsize, count: shnum };
  const segments = readSegments(r, programTable);
  return {
    is64,
    littleEndian: encoding === 1,
    segments: segments.map(({ declaredSize: _, ...segment }) => segment),
    sections: readSections(r, { ...sectionTable, shstrndx }),
    truncated:
      endsPastFile(r, programTable) ||
      endsPastFile(r, sectionTable) ||
      segments.some((s) => s.offset + s.declaredSize > r.length),
  };
}

/** Whether a header table (present: count > 0) extends beyond the file. */
function endsPastFile(r: Reader, table: TableOptions): boolean {
  const { offset, entrySize, count } = table;
  if (!count) return false;
  return offset === undefined || entrySize === undefined || offset + count * entrySize > r.length;
}

/** The file offset holding `length` bytes at virtual address `vaddr`, if one PT_LOAD has them all. */
export function toFileOffset(elf: ElfFile, vaddr: bigint, length: number): number | undefined {
  for (const segment of elf.segments) {
    if (vaddr < segment.vaddr) continue;
    const delta = vaddr - segment.vaddr;
    if (delta + BigInt(length) > BigInt(segment.fileSize)) continue;
    return segment.offset + Number(delta);
  }
  return undefined;
}

interface TableOptions {
  is64: boolean;
  offset: number | undefined;
  entrySize: number | undefined;
  count: number | undefined;
}

function readSegments(r: Reader, table: TableOptions): (ElfSegment & { declaredSize: number })[] {
  const segments: (ElfSegment & { declaredSize: number })[] = [];
  for (const at of tableEntries(r, table, table.is64 ? 56 : 32)) {
    if (r.u32(at) !== PT_LOAD) continue;
    const offset = table.is64 ? r.addr(at + 8, true) : r.addr(at + 4, false);
    const vaddr = table.is64 ? r.big(at + 16, true) : r.big(at + 8, false);
    const fileSize = table.is64 ? r.addr(at + 32, true) : r.addr(at + 16, false);
    if (offset === undefined || vaddr === undefined || fileSize === undefined) continue;
    segments.push({
      vaddr,
      offset,
      fileSize: Math.min(fileSize, Math.max(0, r.length - offset)),
      declaredSize: fileSize,
    });
  }
  return segments;
}

function readSections(r: Reader, table: TableOptions & { shstrndx: number | undefined }): ElfSection[] {
  const raw: { nameOffset: number; offset: number; size: number; hasBits: boolean }[] = [];
  for (const at of tableEntries(r, table, table.is64 ? 64 : 40)) {
    const nameOffset = r.u32(at);
    const type = r.u32(at + 4);
    const offset = table.is64 ? r.addr(at + 24, true) : r.addr(at + 16, false);
    const size = table.is64 ? r.addr(at + 32, true) : r.addr(at + 20, false);
    if (nameOffset === undefined || offset === undefined || size === undefined) continue;
    raw.push({ nameOffset, offset, size, hasBits: type !== SHT_NOBITS });
  }
  const names = table.shstrndx === undefined ? undefined : raw[table.shstrndx];
  return raw.map((s) => ({
    name: names ? r.cString(names.offset + s.nameOffset, names.offset + names.size) : "",
    offset: s.offset,
    size: s.size,
    hasBits: s.hasBits,
  }));
}

/** Offsets of the table's entries that lie wholly inside the file. */
function* tableEntries(r: Reader, table: TableOptions, minEntrySize: number): Generator<number> {
  const { offset, entrySize, count } = table;
  if (offset === undefined || entrySize === undefined || count === undefined || entrySize < minEntrySize) return;
  for (let i = 0; i < Math.min(count, MAX_HEADERS); i++) {
    const at = offset + i * entrySize;
    if (at + entrySize > r.length) return;
    yield at;
  }
}

/** Bounds-checked integer reads in the file's byte order; out of range gives undefined. */
interface Reader {
  length: number;
  u16(at: number): number | undefined;
  u32(at: number): number | undefined;
  big(at: number, wide: boolean): bigint | undefined;
  /** An address or size as a safe JS number (files we keep are far below 2^53). */
  addr(at: number, wide: boolean): number | undefined;
  cString(at: number, end: number): string;
}

function createReader(data: Buffer, little: boolean): Reader {
  const fits = (at: number, n: number) => Number.isSafeInteger(at) && at >= 0 && at + n <= data.length;
  const reader: Reader = {
    length: data.length,
    u16: (at) => (fits(at, 2) ? (little ? data.readUInt16LE(at) : data.readUInt16BE(at)) : undefined),
    u32: (at) => (fits(at, 4) ? (little ? data.readUInt32LE(at) : data.readUInt32BE(at)) : undefined),
    big(at, wide) {
      if (!wide) {
        const value = reader.u32(at);
        return value === undefined ? undefined : BigInt(value);
      }
      if (!fits(at, 8)) return undefined;
      return little ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at);
    },
    addr(at, wide) {
      const value = reader.big(at, wide);
      return value === undefined || value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(value);
    },
    cString(at, end) {
      if (!fits(at, 0)) return "";
      const stop = Math.min(end, data.length);
      const nul = data.indexOf(0, at);
      return data.toString("latin1", at, nul < 0 || nul > stop ? stop : nul);
    },
  };
  return reader;
}
