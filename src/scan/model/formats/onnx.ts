/**
 * ONNX (onnx/onnx.proto3): ModelProto → graph → nodes (op domains, subgraphs in attributes) and
 * initializers (external data locations). Tensor payloads are skipped unread.
 */
import { aFinding, unscannable } from "../finding.js";
import type { ByteSource } from "../source.js";
import { cachedSource } from "../source-cache.js";
import { readString, WireError, type WireField, walkMessage } from "./protobuf.js";
import type { FormatReport } from "./report.js";

/** Operator domains of the ONNX standard and ONNX Runtime's built-in contrib ops. */
const KNOWN_DOMAINS = new Set([
  "",
  "ai.onnx",
  "ai.onnx.ml",
  "ai.onnx.training",
  "ai.onnx.preview.training",
  "com.microsoft",
  "com.microsoft.nchwc",
]);

/** Whether bytes plausibly start an ONNX ModelProto: ir_version (field 1 varint) first. */
export function looksLikeOnnx(head: Uint8Array): boolean {
  return (
    head[0] === 0x08 &&
    (head[1] ?? 0) >= 1 &&
    (head[1] ?? 0) <= 20 &&
    [0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a, 0x42].includes(head[2] ?? 0)
  );
}

/** True when an external-data location is absolute or climbs out of the model folder. */
export function escapesModelDir(location: string): boolean {
  if (/^([a-zA-Z]:)?[\\/]/.test(location) || location.startsWith("~")) return true;
  let depth = 0;
  for (const part of location.split(/[\\/]+/)) {
    if (part === "..") depth--;
    else if (part !== "." && part !== "") depth++;
    if (depth < 0) return true;
  }
  return false;
}

interface State {
  src: ByteSource;
  report: FormatReport;
  domains: Set<string>;
  parameters: number;
  budget: { fields: number };
}

export async function analyseOnnx(raw: ByteSource): Promise<FormatReport> {
  const src = cachedSource(raw);
  const report: FormatReport = { format: "onnx", findings: [], identity: {} };
  const state: State = { src, report, domains: new Set(), parameters: 0, budget: { fields: 5_000_000 } };
  let sawGraph = false;
  try {
    await walkMessage(
      src,
      { start: 0, end: src.size },
      async (f) => {
        if (f.wire !== 2) return;
        if (f.no === 7) {
          sawGraph = true;
          await graph(state, f, 0);
        } else if (f.no === 2) report.identity.name = await readString(src, f);
        else if (f.no === 8) {
          await walkMessage(src, f, async (g) => {
            if (g.no === 1 && g.wire === 2) checkDomain(state, await readString(src, g), g.start);
          });
        } else if (f.no === 25) {
          // FunctionProto: nodes (7) like a graph's.
          await walkMessage(
            src,
            f,
            async (fn) => {
              if (fn.no === 7 && fn.wire === 2) await node(state, fn, 1);
            },
            state.budget,
          );
        }
      },
      state.budget,
    );
  } catch (error) {
    report.findings.push(unscannable(`onnx: ${error instanceof WireError ? error.message : String(error)}`));
    return report;
  }
  if (!sawGraph) report.findings.push(unscannable("onnx: no graph in the model"));
  report.identity.parameters = state.parameters;
  return report;
}

function checkDomain(state: State, domain: string, offset: number): void {
  if (KNOWN_DOMAINS.has(domain) || state.domains.has(domain)) return;
  state.domains.add(domain);
  state.report.findings.push(aFinding("onnx-custom-domain", `operator domain ${JSON.stringify(domain)}`, offset));
}

async function graph(state: State, field: WireField, depth: number): Promise<void> {
  if (depth > 32) throw new WireError("limit: subgraphs nested deeper than 32");
  const { src } = state;
  await walkMessage(
    src,
    field,
    async (f) => {
      if (f.wire !== 2) return;
      if (f.no === 1) await node(state, f, depth);
      else if (f.no === 5) await initializer(state, f);
      else if (f.no === 15) await sparse(state, f);
    },
    state.budget,
  );
}

async function node(state: State, field: WireField, depth: number): Promise<void> {
  const { src } = state;
  await walkMessage(
    src,
    field,
    async (f) => {
      if (f.wire !== 2) return;
      if (f.no === 7) checkDomain(state, await readString(src, f), f.start);
      else if (f.no === 5) {
        await walkMessage(
          src,
          f,
          async (a) => {
            if (a.wire !== 2) return;
            if (a.no === 6 || a.no === 11) await graph(state, a, depth + 1);
            else if (a.no === 5 || a.no === 10) await initializer(state, a);
            else if (a.no === 22 || a.no === 23) await sparse(state, a);
          },
          state.budget,
        );
      }
    },
    state.budget,
  );
}

async function initializer(state: State, field: WireField): Promise<void> {
  const { src } = state;
  let count = 1;
  await walkMessage(
    src,
    field,
    async (f) => {
      if (f.no === 1 && f.wire === 0 && f.value !== undefined) count *= Number(f.value);
      else if (f.no === 1 && f.wire === 2) {
        // packed dims
        const bytes = await src.read(f.start, Math.min(f.end - f.start, 1024));
        let v = 0;
        let shift = 0;
        for (const b of bytes) {
          v += (b & 0x7f) * 2 ** shift;
          shift += 7;
          if ((b & 0x80) === 0) {
            count *= v;
            v = 0;
            shift = 0;
          }
        }
      } else if (f.no === 13 && f.wire === 2) {
        let key = "";
        let value = "";
        await walkMessage(src, f, async (e) => {
          if (e.wire !== 2) return;
          if (e.no === 1) key = await readString(src, e);
          else if (e.no === 2) value = await readString(src, e);
        });
        if (key === "location" && escapesModelDir(value)) {
          state.report.findings.push(
            aFinding("onnx-external-data-escape", `external data location ${JSON.stringify(value)}`, f.start),
          );
        }
      }
    },
    state.budget,
  );
  if (Number.isFinite(count)) state.parameters += count;
}

/** SparseTensorProto: values (1) and indices (2) are tensors that may live in external data. */
async function sparse(state: State, field: WireField): Promise<void> {
  await walkMessage(
    state.src,
    field,
    async (f) => {
      if ((f.no === 1 || f.no === 2) && f.wire === 2) await initializer(state, f);
    },
    state.budget,
  );
}
