/**
 * Hand-built ELF executables holding Go build info, for tests that need formats no binary on a
 * test machine has (pre-1.18 pointer layout, 32-bit big-endian, a stripped section table).
 */

/** The 16-byte sentinels the Go linker puts around the module text. */
const SENTINEL_START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
const SENTINEL_END = Buffer.from("f932433186182072008242104116d8f2", "hex");
const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
/** File offset of the build info; its address is BASE_ADDRESS + this. */
const PAYLOAD_OFFSET = 0x100;
const BASE_ADDRESS = 0x400000;

/** How to build the test binary. */
export interface ElfOptions {
  goVersion: string;
  /** Module text without sentinels (they are added), e.g. `path\tx\nmod\tx\t(devel)\t\n`. */
  modInfo: string;
  layout: "inline" | "pointers";
  is64?: boolean;
  littleEndian?: boolean;
  /** Leave out the section table, as `strip`-like tools can. */
  withSections?: boolean;
}

/** An ELF executable with one PT_LOAD covering the file and, optionally, a `.go.buildinfo` section. */
export function aGoElf(options: ElfOptions): Buffer {
  const is64 = options.is64 ?? true;
  const little = options.littleEndian ?? true;
  const w = createWriter(little);
  const payload = options.layout === "inline" ? inlinePayload(options) : pointerPayload(options, { is64, w });
  const headerSize = is64 ? 64 : 52;
  const phSize = is64 ? 56 : 32;
  const shSize = is64 ? 64 : 40;
  const shstrtab = Buffer.from("\0.go.buildinfo\0.shstrtab\0", "latin1");
  const shstrtabOffset = PAYLOAD_OFFSET + payload.length;
  const shoff = align(shstrtabOffset + shstrtab.length, 8);
  const withSections = options.withSections ?? true;
  const total = withSections ? shoff + 3 * shSize : shoff;
  const file = Buffer.alloc(total);
  // e_ident: magic, class, data encoding, version.
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1]).copy(file);
  w.u16(file, 16, 2); // ET_EXEC
  w.u16(file, 18, is64 ? 62 : 8); // x86-64 or MIPS
  w.u32(file, 20, 1);
  const phoff = headerSize;
  if (is64) {
    w.u64(file, 0x20, phoff);
    w.u64(file, 0x28, withSections ? shoff : 0);
  } else {
    w.u32(file, 0x1c, phoff);
    w.u32(file, 0x20, withSections ? shoff : 0);
  }
  const tail = is64 ? 0x34 : 0x28;
  w.u16(file, tail, headerSize);
  w.u16(file, tail + 2, phSize);
  w.u16(file, tail + 4, 1);
  w.u16(file, tail + 6, shSize);
  w.u16(file, tail + 8, withSections ? 3 : 0);
  w.u16(file, tail + 10, withSections ? 2 : 0);
  // PT_LOAD mapping the whole file at BASE_ADDRESS.
  w.u32(file, phoff, 1);
  if (is64) {
    w.u32(file, phoff + 4, 6);
    w.u64(file, phoff + 8, 0);
    w.u64(file, phoff + 16, BASE_ADDRESS);
    w.u64(file, phoff + 24, BASE_ADDRESS);
    w.u64(file, phoff + 32, total);
    w.u64(file, phoff + 40, total);
  } else {
    w.u32(file, phoff + 4, 0);
    w.u32(file, phoff + 8, BASE_ADDRESS);
    w.u32(file, phoff + 12, BASE_ADDRESS);
    w.u32(file, phoff + 16, total);
    w.u32(file, phoff + 20, total);
  }
  payload.copy(file, PAYLOAD_OFFSET);
  shstrtab.copy(file, shstrtabOffset);
  if (withSections) {
    const section = (index: number, fields: { name: number; type: number; offset: number; size: number }) => {
      const at = shoff + index * shSize;
      w.u32(file, at, fields.name);
      w.u32(file, at + 4, fields.type);
      if (is64) {
        w.u64(file, at + 24, fields.offset);
        w.u64(file, at + 32, fields.size);
      } else {
        w.u32(file, at + 16, fields.offset);
        w.u32(file, at + 20, fields.size);
      }
    };
    section(1, { name: 1, type: 1, offset: PAYLOAD_OFFSET, size: payload.length });
    section(2, { name: 15, type: 3, offset: shstrtabOffset, size: shstrtab.length });
  }
  return file;
}

/** The module text as the linker stores it. */
export function withSentinels(modInfo: string): Buffer {
  return Buffer.concat([SENTINEL_START, Buffer.from(modInfo), SENTINEL_END]);
}

/** The Go 1.18+ build info blob alone (32-byte header, then the two length-prefixed strings). */
export function anInlineBuildInfo(options: Pick<ElfOptions, "goVersion" | "modInfo">): Buffer {
  return inlinePayload(options);
}

function inlinePayload(options: Pick<ElfOptions, "goVersion" | "modInfo">): Buffer {
  const header = Buffer.alloc(32);
  MAGIC.copy(header);
  header[14] = 8;
  header[15] = 2;
  const version = Buffer.from(options.goVersion);
  const mod = withSentinels(options.modInfo);
  return Buffer.concat([header, uvarint(version.length), version, uvarint(mod.length), mod]);
}

/** Header, two pointers, two string headers, then the string bytes, all inside the PT_LOAD. */
function pointerPayload(options: ElfOptions, ctx: { is64: boolean; w: Writer }): Buffer {
  const ptr = ctx.is64 ? 8 : 4;
  const version = Buffer.from(options.goVersion);
  const mod = withSentinels(options.modInfo);
  const headersAt = 32;
  const versionDataAt = headersAt + 4 * ptr;
  const modDataAt = versionDataAt + version.length;
  const payload = Buffer.alloc(modDataAt + mod.length);
  MAGIC.copy(payload);
  payload[14] = ptr;
  payload[15] = ctx.w.little ? 0 : 1;
  const address = (offset: number) => BASE_ADDRESS + PAYLOAD_OFFSET + offset;
  const word = (at: number, value: number) =>
    ptr === 8 ? ctx.w.u64(payload, at, value) : ctx.w.u32(payload, at, value);
  word(16, address(headersAt));
  word(16 + ptr, address(headersAt + 2 * ptr));
  word(headersAt, address(versionDataAt));
  word(headersAt + ptr, version.length);
  word(headersAt + 2 * ptr, address(modDataAt));
  word(headersAt + 3 * ptr, mod.length);
  version.copy(payload, versionDataAt);
  mod.copy(payload, modDataAt);
  return payload;
}

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

interface Writer {
  little: boolean;
  u16(buf: Buffer, at: number, value: number): void;
  u32(buf: Buffer, at: number, value: number): void;
  u64(buf: Buffer, at: number, value: number): void;
}

function createWriter(little: boolean): Writer {
  return {
    little,
    u16: (buf, at, value) => (little ? buf.writeUInt16LE(value, at) : buf.writeUInt16BE(value, at)),
    u32: (buf, at, value) => (little ? buf.writeUInt32LE(value, at) : buf.writeUInt32BE(value, at)),
    u64: (buf, at, value) =>
      little ? buf.writeBigUInt64LE(BigInt(value), at) : buf.writeBigUInt64BE(BigInt(value), at),
  };
}
