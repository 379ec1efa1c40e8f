/**
 * Keras model configs: v3 `.keras` archives (config.json) and legacy HDF5 `.h5` files (the
 * `model_config` attribute, read with h5wasm). Lambda layers carry marshalled Python bytecode
 * that runs on load; layers from non-Keras modules need custom Python objects.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aFinding, unscannable } from "../finding.js";
import type { ModelFinding } from "../types.js";
import type { FormatReport } from "./report.js";

const MAX_NODES = 1_000_000;
const KERAS_MODULES = /^(keras|tf_keras|tensorflow|tensorflow\.keras)(\.|$)/;

export function isHdf5(head: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return sig.every((b, i) => head[i] === b);
}

/** Findings and identity from a Keras model config (JSON text). */
export function analyseKerasConfig(text: string, format: "keras-v3" | "keras-h5"): FormatReport {
  const report: FormatReport = { format, findings: [], identity: { source: "keras config" } };
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    report.findings.push(unscannable(`keras: model config is not JSON (${(error as Error).message})`));
    return report;
  }
  const root = config as { class_name?: unknown; config?: { name?: unknown } };
  if (typeof root?.class_name === "string") report.identity.architecture = root.class_name;
  if (typeof root?.config?.name === "string") report.identity.name = root.config.name;
  const budget = { nodes: MAX_NODES };
  try {
    walk(config, report.findings, budget, 0);
  } catch (error) {
    report.findings.push(unscannable(`keras: ${(error as Error).message}`));
  }
  return report;
}

function walk(value: unknown, findings: ModelFinding[], budget: { nodes: number }, depth: number): void {
  if (--budget.nodes < 0) throw new Error("limit: model config too large");
  if (depth > 200) throw new Error("limit: model config nested too deeply");
  if (Array.isArray(value)) {
    for (const v of value) walk(v, findings, budget, depth + 1);
    return;
  }
  if (!value || typeof value !== "object") return;
  const o = value as Record<string, unknown>;
  const cls = typeof o.class_name === "string" ? o.class_name : undefined;
  const cfg = (o.config ?? {}) as Record<string, unknown>;
  const layer = typeof cfg.name === "string" ? cfg.name : "?";
  if (cls === "Lambda" || cls === "__lambda__") {
    const fn = cls === "__lambda__" ? o : cfg.function;
    const type = cfg.function_type;
    if (cls === "__lambda__" || type === "lambda" || Array.isArray(fn) || (fn && typeof fn === "object")) {
      findings.push(aFinding("keras-lambda", `Lambda layer ${JSON.stringify(layer)} holds marshalled bytecode`));
    } else if (typeof fn === "string") {
      findings.push(aFinding("keras-custom-object", `Lambda layer ${JSON.stringify(layer)} calls function ${fn}`));
    }
  } else if (cls) {
    const module = typeof o.module === "string" ? o.module : undefined;
    const registered = typeof o.registered_name === "string" ? o.registered_name : undefined;
    if ((module && !KERAS_MODULES.test(module)) || registered?.includes(">")) {
      findings.push(
        aFinding(
          "keras-custom-object",
          `${cls} from ${module ?? registered} (${JSON.stringify(layer)}) needs custom Python code`,
        ),
      );
    }
  }
  for (const [key, v] of Object.entries(o)) {
    // A Lambda's own function was reported above; do not report its `__lambda__` record again.
    if (cls === "Lambda" && key === "config" && v && typeof v === "object") {
      for (const [k, inner] of Object.entries(v)) if (k !== "function") walk(inner, findings, budget, depth + 2);
    } else walk(v, findings, budget, depth + 1);
  }
}

/** Read `model_config` from a legacy Keras HDF5 file with h5wasm and analyse it. */
export async function analyseKerasH5(path: string): Promise<FormatReport> {
  let lib: typeof import("h5wasm/node");
  try {
    lib = await import("h5wasm/node");
    await lib.ready;
  } catch (error) {
    return cannotRead(`cannot load h5wasm (${(error as Error).message})`);
  }
  const { value, error, diagnostics } = capturingDiagnostics(
    lib.FS as unknown as EmscriptenFs,
    (): FormatReport | undefined => {
      const file = new lib.File(path, "r");
      // A file HDF5 cannot open gets id -1 instead of an exception; the reason is in the diagnostics.
      if (file.file_id < 0n) return undefined;
      try {
        const attr = file.attrs.model_config;
        if (!attr) return { format: "keras-h5", findings: [], identity: { source: "hdf5 (weights only)" } };
        const raw = attr.value;
        const text = typeof raw === "string" ? raw : Array.isArray(raw) ? String(raw[0]) : String(raw);
        return analyseKerasConfig(text, "keras-h5");
      } finally {
        file.close();
      }
    },
  );
  if (value) return value;
  const thrown =
    error === undefined ? undefined : (error instanceof Error ? error.message : String(error)).split("\n")[0];
  return cannotRead(hdf5Cause(diagnostics) ?? thrown ?? "not an HDF5 file");
}

function cannotRead(reason: string): FormatReport {
  return { format: "keras-h5", findings: [unscannable(`hdf5: cannot read (${reason})`)], identity: {} };
}

/** The part of h5wasm's Emscripten FS that the C library's stdout and stderr go through. */
interface EmscriptenFs {
  write(
    stream: { fd?: number },
    buffer: Uint8Array,
    offset: number,
    length: number,
    position?: number,
    canOwn?: boolean,
  ): number;
}

/** Most diagnostic text kept from one call; the rest is dropped. */
const MAX_DIAGNOSTICS = 64 * 1024;

/**
 * Run synchronous h5wasm calls with the HDF5 library's own output (its default error handler
 * prints the whole error stack to stderr, tens of lines per corrupt file) captured instead of
 * printed. h5wasm writes through its Emscripten FS, so `FS.write` on fds 1 and 2 is diverted for
 * the duration of the call. h5wasm's other switch, its throwing error handler, leaks a temp file
 * and wasm stack per error and corrupts memory after a few thousand corrupt files.
 */
function capturingDiagnostics<T>(fs: EmscriptenFs, run: () => T): { value?: T; error?: unknown; diagnostics: string } {
  const original = fs.write;
  const chunks: string[] = [];
  let kept = 0;
  const decoder = new TextDecoder();
  fs.write = (stream, buffer, offset, length, position, canOwn) => {
    if (stream.fd !== 1 && stream.fd !== 2) return original.call(fs, stream, buffer, offset, length, position, canOwn);
    if (kept < MAX_DIAGNOSTICS) {
      const text = decoder.decode(buffer.subarray(offset, offset + Math.min(length, MAX_DIAGNOSTICS - kept)));
      chunks.push(text);
      kept += text.length;
    }
    return length;
  };
  try {
    return { value: run(), diagnostics: chunks.join("") };
  } catch (error) {
    return { error, diagnostics: chunks.join("") };
  } finally {
    fs.write = original;
  }
}

/**
 * The innermost cause from the first HDF5 error stack in `diagnostics` (`#011: ... in
 * H5F__superblock_prefix_decode(): bad superblock version number` → `bad superblock version
 * number`), or undefined when there is none.
 */
export function hdf5Cause(diagnostics: string): string | undefined {
  const firstStack = diagnostics.split(/HDF5-DIAG: /).find((block) => block.trim() !== "") ?? "";
  const frames = [...firstStack.matchAll(/^\s*#\d+: .* in [\w.]+\(\): (.+)$/gm)];
  return frames.at(-1)?.[1]?.trim();
}

/** HDF5 bytes from inside an archive: written to a private temp file for h5wasm, then removed. */
export async function analyseKerasH5Bytes(bytes: Uint8Array): Promise<FormatReport> {
  const dir = await mkdtemp(join(tmpdir(), "palisade-h5-"));
  try {
    const path = join(dir, "model.h5");
    await writeFile(path, bytes, { mode: 0o600 });
    return await analyseKerasH5(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
