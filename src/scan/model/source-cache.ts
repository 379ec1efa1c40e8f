/** A read-through block cache over a ByteSource, for parsers that read many small fields in order. */
import type { ByteSource } from "./source.js";

const BLOCK = 256 * 1024;

/** Wrap `src` so small sequential reads hit one cached block instead of the disk. */
export function cachedSource(src: ByteSource): ByteSource {
  let blockStart = -1;
  let block: Uint8Array = new Uint8Array(0);
  return {
    size: src.size,
    async read(offset, length) {
      if (length > BLOCK) return src.read(offset, length);
      if (blockStart < 0 || offset < blockStart || offset + length > blockStart + block.length) {
        blockStart = offset;
        block = await src.read(offset, BLOCK);
      }
      return block.subarray(offset - blockStart, Math.min(block.length, offset - blockStart + length));
    },
  };
}
