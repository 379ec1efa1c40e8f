/**
 * MessagePack model files (Flax `flax_model.msgpack`, checkpoints written with msgpack): decoded
 * with @msgpack/msgpack under length limits, then walked for pickles embedded as bytes, base64 or
 * extension data. MessagePack has no magic bytes: the `.msgpack` name selects this reader.
 */
import { Decoder } from "@msgpack/msgpack";
import { embeddedPickleFindings } from "../embedded.js";
import { unscannable } from "../finding.js";
import type { ByteSource } from "../source.js";
import type { FormatReport } from "./report.js";

export const MAX_MSGPACK_BYTES = 256 * 1024 * 1024;

/** True when a file name says MessagePack. */
export function isMsgpackName(name: string): boolean {
  return /\.(msgpack|mpk)$/i.test(name);
}

export async function analyseMsgpack(src: ByteSource): Promise<FormatReport> {
  const report: FormatReport = { format: "msgpack", findings: [], identity: {} };
  if (src.size > MAX_MSGPACK_BYTES) {
    report.findings.push(unscannable(`msgpack: ${src.size} bytes is over the ${MAX_MSGPACK_BYTES}-byte limit`));
    return report;
  }
  let value: unknown;
  try {
    const decoder = new Decoder({
      maxStrLength: 64 * 1024 * 1024,
      maxBinLength: MAX_MSGPACK_BYTES,
      maxArrayLength: 10_000_000,
      maxMapLength: 10_000_000,
      maxExtLength: MAX_MSGPACK_BYTES,
      useBigInt64: true,
    });
    value = decoder.decode(await src.read(0, src.size));
  } catch (error) {
    report.findings.push(unscannable(`msgpack: does not decode (${(error as Error).message})`, 0));
    return report;
  }
  report.findings.push(...embeddedPickleFindings(value, "msgpack"));
  return report;
}
