/**
 * safetensors (huggingface/safetensors, "Format"): an 8-byte little-endian header length, a JSON
 * header mapping tensor names to {dtype, shape, data_offsets}, then the data. The header is
 * checked the way a strict loader would: valid JSON, known dtypes, offsets inside the data
 * section, no overlaps, sizes that match shapes.
 */
import { embeddedPickleFindings, payloadKind } from "../embedded.js";
import { aFinding, unscannable } from "../finding.js";
import type { ByteSource } from "../source.js";
import type { ModelFinding } from "../types.js";
import type { FormatReport } from "./report.js";

export const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;

const DTYPE_BITS: Record<string, number> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E4M3: 8,
  F8_E5M2: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

/** True when the head looks like a safetensors file: plausible length then `{`. */
export function isSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 9) return false;
  const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  return n > 1n && n + 8n <= BigInt(size) && head[8] === 0x7b;
}

export async function analyseSafetensors(src: ByteSource): Promise<FormatReport> {
  const report: FormatReport = { format: "safetensors", findings: [], identity: {} };
  const head = await src.read(0, 8);
  const n = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_SAFETENSORS_HEADER || n + 8 > src.size) {
    report.findings.push(unscannable(`safetensors: header length ${n} is too large or past the end`, 0));
    return report;
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await src.read(8, n)));
  } catch (error) {
    report.findings.push(unscannable(`safetensors: header is not valid JSON (${(error as Error).message})`, 8));
    return report;
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) {
    report.findings.push(unscannable("safetensors: header is not a JSON object", 8));
    return report;
  }
  const dataSize = src.size - 8 - n;
  const ranges: [number, number, string][] = [];
  let parameters = 0;
  const dtypes = new Set<string>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      const meta = raw as Record<string, unknown>;
      if (meta && typeof meta === "object" && typeof meta.format === "string") report.identity.source = "safetensors";
      if (meta && typeof meta === "object") report.findings.push(...metadataFindings(meta));
      continue;
    }
    const t = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offsets = t?.data_offsets;
    const shape = t?.shape;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ) {
      report.findings.push(unscannable(`safetensors: tensor ${JSON.stringify(name)} has a malformed entry`, 8));
      continue;
    }
    const [begin, end] = offsets as [number, number];
    const dtype = String(t.dtype);
    const bits = DTYPE_BITS[dtype];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (bits === undefined) {
      report.findings.push(aFinding("safetensors-unknown-dtype", `tensor ${JSON.stringify(name)}: dtype ${dtype}`, 8));
    } else {
      dtypes.add(dtype);
      if (end - begin !== Math.ceil((count * bits) / 8)) {
        report.findings.push(
          aFinding(
            "safetensors-bad-offsets",
            `tensor ${JSON.stringify(name)}: ${end - begin} bytes for shape [${(shape as number[]).join(", ")}] of ${dtype}`,
            8,
          ),
        );
      }
    }
    if (end < begin || end > dataSize) {
      report.findings.push(
        aFinding(
          "safetensors-bad-offsets",
          `tensor ${JSON.stringify(name)}: offsets [${begin}, ${end}] outside the ${dataSize}-byte data section`,
          8,
        ),
      );
    }
    ranges.push([begin, end, name]);
    parameters += count;
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1] as [number, number, string];
    const cur = ranges[i] as [number, number, string];
    if (cur[0] < prev[1]) {
      report.findings.push(
        aFinding(
          "safetensors-bad-offsets",
          `tensors ${JSON.stringify(prev[2])} and ${JSON.stringify(cur[2])} overlap at byte ${cur[0]}`,
          8,
        ),
      );
    }
  }
  report.identity.parameters = parameters;
  if (dtypes.size > 0) report.identity.quantisation = [...dtypes].sort().join("+");
  return report;
}

/**
 * `__metadata__` is a string-to-string map that safetensors loaders never execute; an
 * application that reads it might. Pickles hidden in it are analysed; code or a shell command
 * makes the file suspicious; a URL is noted.
 */
function metadataFindings(meta: Record<string, unknown>): ModelFinding[] {
  const findings: ModelFinding[] = embeddedPickleFindings(meta, "__metadata__");
  for (const [key, value] of Object.entries(meta)) {
    if (typeof value !== "string" || findings.length > 100) continue;
    const payload = payloadKind(value);
    if (!payload) continue;
    const shown = JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
    const rule = payload.kind === "url" ? "safetensors-metadata-url" : "safetensors-metadata-code";
    findings.push(aFinding(rule, `__metadata__.${key} carries ${payload.says}: ${shown}`));
  }
  return findings;
}
