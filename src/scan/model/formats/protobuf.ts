/**
 * A bounded protobuf wire-format walker (protobuf.dev/programming-guides/encoding) over a
 * random-access source: it yields each field of a message with its byte range so callers
 * descend only into the messages they need and skip large payloads (tensor data) unread.
 */
import type { ByteSource } from "../source.js";

export interface WireField {
  no: number;
  wire: number;
  /** Varint or fixed value (wire 0, 1, 5). */
  value?: bigint;
  /** Byte range of a length-delimited payload (wire 2). */
  start: number;
  end: number;
}

/** A malformed message; the caller turns it into an `unscannable` finding. */
export class WireError extends Error {}

async function varint(src: ByteSource, pos: number): Promise<[bigint, number]> {
  const bytes = await src.read(pos, 10);
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return [value, pos + i + 1];
  }
  throw new WireError(`bad varint at offset ${pos}`);
}

/** Walk the fields of the message in [start, end), calling `visit` for each. */
export async function walkMessage(
  src: ByteSource,
  range: { start: number; end: number },
  visit: (field: WireField) => Promise<void> | void,
  budget: { fields: number } = { fields: 5_000_000 },
): Promise<void> {
  let pos = range.start;
  while (pos < range.end) {
    if (--budget.fields < 0) throw new WireError("limit: too many protobuf fields");
    const [tag, afterTag] = await varint(src, pos);
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (no === 0) throw new WireError(`field number 0 at offset ${pos}`);
    pos = afterTag;
    switch (wire) {
      case 0: {
        const [value, next] = await varint(src, pos);
        await visit({ no, wire, value, start: pos, end: next });
        pos = next;
        break;
      }
      case 1:
      case 5: {
        const n = wire === 1 ? 8 : 4;
        if (pos + n > range.end) throw new WireError(`fixed field past the end at offset ${pos}`);
        const b = await src.read(pos, n);
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const value = n === 8 ? v.getBigUint64(0, true) : BigInt(v.getUint32(0, true));
        await visit({ no, wire, value, start: pos, end: pos + n });
        pos += n;
        break;
      }
      case 2: {
        const [len, next] = await varint(src, pos);
        const end = next + Number(len);
        if (end > range.end) throw new WireError(`field ${no} runs past its message at offset ${pos}`);
        await visit({ no, wire, start: next, end });
        pos = end;
        break;
      }
      default:
        throw new WireError(`unsupported wire type ${wire} at offset ${pos}`);
    }
  }
}

/** Read a length-delimited field as UTF-8 text (bounded). */
export async function readString(src: ByteSource, field: WireField, max = 1 << 20): Promise<string> {
  if (field.end - field.start > max) throw new WireError(`string field longer than ${max} bytes`);
  return new TextDecoder().decode(await src.read(field.start, field.end - field.start));
}
