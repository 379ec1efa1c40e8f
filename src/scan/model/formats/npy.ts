/**
 * NumPy .npy (numpy/lib/format.py): magic, version, a Python-literal header dict, then data.
 * Object arrays (`descr` containing `O`) store a pickle after the header, which is analysed.
 */

import { unscannable } from "../finding.js";
import { analysePickle } from "../pickle/vm.js";
import type { ByteSource } from "../source.js";
import type { FormatReport } from "./report.js";

export const MAX_NPY_PICKLE = 256 * 1024 * 1024;

export function isNpy(head: Uint8Array): boolean {
  return head[0] === 0x93 && new TextDecoder("latin1").decode(head.subarray(1, 6)) === "NUMPY";
}

export async function analyseNpy(src: ByteSource): Promise<FormatReport> {
  const report: FormatReport = { format: "numpy-npy", findings: [], identity: {} };
  const head = await src.read(0, 12);
  const major = head[6];
  if (head.length < 10 || (major !== 1 && major !== 2 && major !== 3)) {
    report.findings.push(unscannable(`npy: unsupported version ${major}`, 6));
    return report;
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : head.length >= 12 ? view.getUint32(8, true) : -1;
  const start = major === 1 ? 10 : 12;
  if (headerLen < 0 || headerLen > 1024 * 1024 || start + headerLen > src.size) {
    report.findings.push(unscannable("npy: header length out of range", 8));
    return report;
  }
  const header = new TextDecoder("latin1").decode(await src.read(start, headerLen));
  const descr = /['"]descr['"]\s*:\s*(.*?)\s*,\s*['"](fortran_order|shape)['"]/s.exec(header)?.[1];
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shape === undefined) {
    report.findings.push(unscannable("npy: header has no descr or shape", start));
    return report;
  }
  const dims = shape
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (dims.every((d) => Number.isSafeInteger(d))) report.identity.parameters = dims.reduce((a, b) => a * b, 1);
  if (/['"][<>|=]?O\d*['"]/.test(descr)) {
    const dataStart = start + headerLen;
    const length = src.size - dataStart;
    if (length > MAX_NPY_PICKLE) {
      report.findings.push(unscannable(`npy: object-array pickle larger than ${MAX_NPY_PICKLE} bytes`, dataStart));
      return report;
    }
    const analysis = analysePickle(await src.read(dataStart, length), { baseOffset: dataStart });
    report.findings.push(...analysis.findings);
  }
  return report;
}
