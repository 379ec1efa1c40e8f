/** Raw pickle files: plain pickles, legacy PyTorch (five pickles then raw storages) and joblib. */
import { unscannable } from "./finding.js";
import type { FormatReport } from "./formats/report.js";
import { analysePickle, type PickleAnalysis } from "./pickle/vm.js";
import type { ByteSource } from "./source.js";

/** Largest pickle stream the scanner reads into memory. */
export const MAX_PICKLE_BYTES = 256 * 1024 * 1024;

/** `torch.serialization.MAGIC_NUMBER`, the first pickle of a legacy (pre-1.6) checkpoint. */
const TORCH_MAGIC = 0x1950a86a20f9469cfc6c9n;
const TORCH_MAGIC_OLD = 0x1950a86a20f9469cfc6cn;

export function isBinaryPickle(head: Uint8Array): boolean {
  return head[0] === 0x80;
}

/** Analyse a pickle file, reading more of it only while the pickles need more bytes. */
export async function analysePickleSource(src: ByteSource, baseOffset = 0): Promise<FormatReport> {
  let length = Math.min(src.size, 16 * 1024 * 1024);
  for (;;) {
    const bytes = await src.read(0, length);
    const probe = analysePickle(bytes, { baseOffset, maxPickles: 1 });
    const legacy = probe.firstInt === TORCH_MAGIC || probe.firstInt === TORCH_MAGIC_OLD;
    const analysis = legacy
      ? analysePickle(bytes, { baseOffset, maxPickles: 5 })
      : analysePickle(bytes, { baseOffset });
    const truncated = analysis.findings.some((f) => f.effect === "unscannable" && /truncated/.test(f.detail));
    const cutShort = truncated || (!legacy && analysis.end < bytes.length && hasCutTrailing(analysis));
    if (cutShort && length < src.size) {
      if (length >= MAX_PICKLE_BYTES) {
        return {
          format: "pickle",
          findings: [...analysis.findings, unscannable(`pickle: stream longer than ${MAX_PICKLE_BYTES} bytes`, length)],
          identity: {},
        };
      }
      length = Math.min(src.size, length * 4, MAX_PICKLE_BYTES);
      continue;
    }
    return toReport(analysis, legacy);
  }
}

function hasCutTrailing(analysis: PickleAnalysis): boolean {
  return analysis.findings.some((f) => f.rule === "pickle-trailing-data" && /truncated/.test(f.detail));
}

/** Format and identity of an analysed pickle. */
export function toReport(analysis: PickleAnalysis, legacy: boolean): FormatReport {
  const joblib = analysis.globals.some((g) => g.name.startsWith("joblib.") || g.name.includes(".joblib."));
  const format = legacy ? "pytorch-legacy" : joblib ? "joblib" : "pickle";
  const report: FormatReport = { format, findings: analysis.findings, identity: {} };
  if (analysis.tensors > 0) {
    report.identity.parameters = analysis.parameters;
    report.identity.source = "pickle";
    if (analysis.dtypes.length > 0) report.identity.quantisation = analysis.dtypes.join("+");
  }
  const estimator = analysis.globals.find((g) => g.name.startsWith("sklearn.") && g.calls > 0);
  if (estimator) report.identity.architecture = estimator.name;
  return report;
}
