/**
 * A bounded tar reader (POSIX ustar, GNU long names, pax `path`) over a random-access source:
 * it lists members with their data offsets and never reads member data it is not asked for.
 */
import type { ByteSource } from "../source.js";

export interface TarEntry {
  name: string;
  offset: number;
  size: number;
  type: string;
}

export interface TarDirectory {
  entries: TarEntry[];
  damaged?: string;
}

export const MAX_TAR_ENTRIES = 100_000;
const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

/** True when a 512-byte header has the ustar magic or a valid checksum. */
export function isTar(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  if (latin1.decode(head.subarray(257, 262)) === "ustar") return true;
  return checksumOk(head);
}

function checksumOk(h: Uint8Array): boolean {
  const stored = Number.parseInt(latin1.decode(h.subarray(148, 156)).replace(/\0.*$/, "").trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
  return sum === stored;
}

function field(h: Uint8Array, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return utf8.decode(end < 0 ? raw : raw.subarray(0, end));
}

function size(h: Uint8Array): number {
  if ((h[124] as number) & 0x80) {
    let n = 0;
    for (let i = 125; i < 136; i++) n = n * 256 + (h[i] as number);
    return n;
  }
  const text = latin1.decode(h.subarray(124, 136)).replace(/\0.*$/, "").trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

/** List the members of a tar archive. */
export async function readTarDirectory(src: ByteSource): Promise<TarDirectory> {
  const entries: TarEntry[] = [];
  let p = 0;
  let longName: string | undefined;
  while (p + 512 <= src.size) {
    if (entries.length >= MAX_TAR_ENTRIES) return { entries, damaged: `more than ${MAX_TAR_ENTRIES} members` };
    const h = await src.read(p, 512);
    if (h.every((b) => b === 0)) break;
    if (!checksumOk(h)) return { entries, damaged: `bad header checksum at offset ${p}` };
    const n = size(h);
    if (!Number.isFinite(n) || n < 0) return { entries, damaged: `bad size at offset ${p}` };
    if (p + 512 + n > src.size) return { entries, damaged: `member at offset ${p} runs past the end` };
    const type = String.fromCharCode(h[156] as number) || "0";
    if (type === "L" || type === "x") {
      const data = utf8.decode(await src.read(p + 512, Math.min(n, 1 << 20)));
      if (type === "L") longName = data.replace(/\0.*$/s, "");
      else {
        const m = /\d+ path=([^\n]*)\n/.exec(data);
        if (m?.[1]) longName = m[1];
      }
    } else {
      const prefix = latin1.decode(h.subarray(257, 262)) === "ustar" ? field(h, 345, 155) : "";
      const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
      longName = undefined;
      entries.push({ name, offset: p + 512, size: n, type: type === "\0" ? "0" : type });
    }
    p += 512 + Math.ceil(n / 512) * 512;
  }
  return { entries };
}
