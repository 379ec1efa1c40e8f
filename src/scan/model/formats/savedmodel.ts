/**
 * TensorFlow SavedModel (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto,
 * graph.proto, function.proto): every NodeDef of the graph and of its function library is
 * checked for ops that read or write files or call back into Python.
 */
import { aFinding, unscannable } from "../finding.js";
import type { ByteSource } from "../source.js";
import { cachedSource } from "../source-cache.js";
import { readString, WireError, type WireField, walkMessage } from "./protobuf.js";
import type { FormatReport } from "./report.js";

/** Ops that reach the file system or Python; the saver's SaveV2/RestoreV2 are expected and not listed. */
export const DANGEROUS_TF_OPS = new Set([
  "ReadFile",
  "WriteFile",
  "MatchingFiles",
  "PyFunc",
  "PyFuncStateless",
  "EagerPyFunc",
  "DeleteFile",
  "ImmutableConst",
  "LoadLibrary",
  "SystemCall",
]);

/**
 * A SavedModel (`saved_model.pb`), or with `frozen` a bare GraphDef (`frozen_graph.pb`), whose
 * nodes (1) and function library (2) sit at the top level.
 */
export async function analyseSavedModel(raw: ByteSource, frozen = false): Promise<FormatReport> {
  const src = cachedSource(raw);
  const report: FormatReport = { format: frozen ? "tf-graphdef" : "tf-savedmodel", findings: [], identity: {} };
  const budget = { fields: 5_000_000 };
  const seen = new Map<string, number>();
  const nodeDef = async (f: WireField) => {
    await walkMessage(
      src,
      f,
      async (n) => {
        if (n.no === 2 && n.wire === 2) {
          const op = await readString(src, n, 4096);
          if (DANGEROUS_TF_OPS.has(op)) {
            const count = (seen.get(op) ?? 0) + 1;
            seen.set(op, count);
            if (count === 1) report.findings.push(aFinding("savedmodel-dangerous-op", `graph uses op ${op}`, n.start));
          }
        }
      },
      budget,
    );
  };
  // GraphDef: node (1) and library (2) → FunctionDef (1) → node_def (3).
  const graphDef = async (g: WireField) => {
    if (g.wire !== 2) return;
    if (g.no === 1) await nodeDef(g);
    else if (g.no === 2) {
      await walkMessage(
        src,
        g,
        async (lib) => {
          if (lib.no !== 1 || lib.wire !== 2) return;
          await walkMessage(
            src,
            lib,
            async (fn) => {
              if (fn.no === 3 && fn.wire === 2) await nodeDef(fn);
            },
            budget,
          );
        },
        budget,
      );
    }
  };
  const whole = { start: 0, end: src.size };
  try {
    if (frozen) await walkMessage(src, whole, graphDef, budget);
    else {
      // SavedModel: meta_graphs (2) → MetaGraphDef.graph_def (2) → GraphDef.
      await walkMessage(
        src,
        whole,
        async (top) => {
          if (top.no !== 2 || top.wire !== 2) return;
          await walkMessage(
            src,
            top,
            async (meta) => {
              if (meta.no === 2 && meta.wire === 2) await walkMessage(src, meta, graphDef, budget);
            },
            budget,
          );
        },
        budget,
      );
    }
  } catch (error) {
    report.findings.push(
      unscannable(`${report.format}: ${error instanceof WireError ? error.message : String(error)}`),
    );
  }
  return report;
}
