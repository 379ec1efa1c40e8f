/** Random-access byte sources: a file read by offset (never whole) or bytes already in memory. */
import type { FileHandle } from "node:fs/promises";

/** Something the scanner reads by offset, so a 2 GB checkpoint costs only the bytes it needs. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A source over an open file handle; short reads past the end return fewer bytes. */
export function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const { bytesRead } = await handle.read(buffer, done, n - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? buffer : buffer.subarray(0, done);
    },
  };
}

/** A source over bytes in memory (archive members, fixtures). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    async read(offset, length) {
      return bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.length, offset + length)));
    },
  };
}

/** A window [start, start + size) of another source: archive members read in place, never copied. */
export function sliceSource(src: ByteSource, start: number, size: number): ByteSource {
  const length = Math.max(0, Math.min(size, src.size - start));
  return {
    size: length,
    read(offset, n) {
      const from = Math.max(0, offset);
      return src.read(start + from, Math.max(0, Math.min(n, length - from)));
    },
  };
}
