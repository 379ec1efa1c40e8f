/**
 * Scanning paths: files or folders (recursively), each model file judged by content, hashed
 * (streamed sha256) and identified for the AI-BOM.
 */
import { createHash } from "node:crypto";
import { createReadStream, type Stats } from "node:fs";
import { stat as fsStat, lstat, open, readdir, readFile, realpath } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PalisadeError } from "../../core/index.js";
import { type AnalyseContext, type ArchiveLimits, analyseSource, DEFAULT_ARCHIVE_LIMITS } from "./analyse.js";
import { unscannable } from "./finding.js";
import type { FormatReport } from "./formats/report.js";
import { type ByteSource, bytesSource, fileSource } from "./source.js";
import { type ModelStoreRef, readModelStores } from "./stores.js";
import { type ModelIdentity, type ModelScanResult, toVerdict } from "./types.js";

export interface ScanModelOptions {
  /** Compute the sha256 of every model file (default true). */
  hash?: boolean;
  /** Most files visited under the given paths (default 100 000). */
  maxFiles?: number;
  archive?: Partial<ArchiveLimits>;
  /** Filled in while scanning: bytes read from files to reach verdicts (hashing excluded). */
  stats?: { bytesRead: number; reads: number };
}

const DEFAULT_MAX_FILES = 100_000;

/** Scan files and folders; returns one result per model file found, in path order. */
export async function scanModelPaths(
  paths: readonly string[],
  options: ScanModelOptions = {},
): Promise<ModelScanResult[]> {
  const results: ModelScanResult[] = [];
  for (const path of paths) results.push(...(await scanModelPath(path, options)));
  return results;
}

/** Scan one file or folder (recursively; links to files are followed, links to folders are not). */
export async function scanModelPath(path: string, options: ScanModelOptions = {}): Promise<ModelScanResult[]> {
  const files = await withoutLinkedTargets(await listFiles(path, options.maxFiles ?? DEFAULT_MAX_FILES));
  const stores = await readModelStores(files);
  const results: ModelScanResult[] = [];
  for (const file of files) {
    try {
      const result = await scanModelFile(file, options);
      const refs = stores.get(file);
      if (result && refs) addStoreIdentity(result, refs);
      if (result) results.push(result);
    } catch (error) {
      // A named file that cannot be read is bad input; one found inside a folder is a result.
      if (file === path || !(error instanceof PalisadeError)) throw error;
      results.push({
        ...toResult(file, 0, { format: "unknown", findings: [unscannable(error.message)], identity: {} }),
      });
    }
  }
  return results;
}

async function listFiles(path: string, max: number): Promise<string[]> {
  let stat: Stats;
  try {
    stat = await fsStat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new PalisadeError(code === "ENOENT" ? "not-found" : "bad-input", `cannot read ${path}: ${code ?? cause}`, {
      input: path,
      cause,
    });
  }
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) return [];
  const out: string[] = [];
  const queue = [path];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    const entries = await readdir(dir, { withFileTypes: true }).catch((cause: NodeJS.ErrnoException) => {
      throw new PalisadeError("bad-input", `cannot read folder ${dir}: ${cause.code ?? cause.message}`, {
        input: dir,
        cause,
      });
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) queue.push(full);
      else if (entry.isFile() || (entry.isSymbolicLink() && (await isFileTarget(full)))) out.push(full);
      if (out.length > max) {
        throw new PalisadeError("bad-input", `${path} holds more than ${max} files`, { input: path });
      }
    }
  }
  return out.sort();
}

/**
 * A file that a link in the same walk points to is scanned once, through the link: a Hugging
 * Face snapshot file carries the model's identity, the blob it links to does not. A file no
 * link points to (a blob of a deleted snapshot, say) is still scanned under its own path.
 */
async function withoutLinkedTargets(files: string[]): Promise<string[]> {
  const targets = new Set<string>();
  for (const file of files) {
    try {
      if ((await lstat(file)).isSymbolicLink()) targets.add(await realpath(file));
    } catch {
      // a link that cannot be resolved is scanned (and reported) as it is
    }
  }
  if (targets.size === 0) return files;
  const kept: string[] = [];
  for (const file of files) {
    const linked = !(await lstat(file)).isSymbolicLink() && targets.has(await realpath(file).catch(() => file));
    if (!linked) kept.push(file);
  }
  return kept;
}

/** A file found in a model store is named by the store: repo id or Ollama name:tag. */
function addStoreIdentity(result: ModelScanResult, refs: ModelStoreRef[]): void {
  result.stores = refs;
  const first = refs[0] as ModelStoreRef;
  result.identity.name = first.store === "ollama" ? `${first.name}:${first.revision}` : first.name;
  result.identity.source = first.store === "ollama" ? "ollama-manifest" : "huggingface-cache";
}

/**
 * Symbolic links to files are followed (the Hugging Face cache links snapshots to blobs); links
 * to folders are not, so a walk cannot loop.
 */
async function isFileTarget(path: string): Promise<boolean> {
  try {
    return (await fsStat(path)).isFile();
  } catch {
    return false;
  }
}

/** Scan one file; undefined when it is not a model file (no model format, no model extension). */
export async function scanModelFile(
  path: string,
  options: ScanModelOptions = {},
): Promise<ModelScanResult | undefined> {
  const handle = await open(path, "r").catch((cause: NodeJS.ErrnoException) => {
    throw new PalisadeError("bad-input", `cannot open ${path}: ${cause.code ?? cause.message}`, { input: path, cause });
  });
  let report: FormatReport | undefined;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const ctx = newContext(options);
    report = await analyseGuarded(() =>
      analyseSource(counted(fileSource(handle, size), options.stats), { name: basename(path), path, depth: 0, ctx }),
    );
  } finally {
    await handle.close();
  }
  if (!report) return undefined;
  const result = toResult(path, size, report);
  await addConfigIdentity(result.identity, dirname(path));
  if (options.hash !== false) result.sha256 = await sha256File(path);
  return result;
}

/** Scan bytes already in memory (a file found inside an image layer, say). */
export async function scanModelBytes(
  bytes: Uint8Array,
  name: string,
  options: ScanModelOptions = {},
): Promise<ModelScanResult | undefined> {
  const ctx = newContext(options);
  const report = await analyseGuarded(() => analyseSource(bytesSource(bytes), { name: basename(name), depth: 0, ctx }));
  if (!report) return undefined;
  const result = toResult(name, bytes.length, report);
  if (options.hash !== false) result.sha256 = createHash("sha256").update(bytes).digest("hex");
  return result;
}

function counted(src: ByteSource, stats: ScanModelOptions["stats"]): ByteSource {
  if (!stats) return src;
  return {
    size: src.size,
    async read(offset, length) {
      const bytes = await src.read(offset, length);
      stats.bytesRead += bytes.length;
      stats.reads++;
      return bytes;
    },
  };
}

function newContext(options: ScanModelOptions): AnalyseContext {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.archive };
  return { limits, extracted: 0, members: 0, deadline: Date.now() + limits.maxSeconds * 1000 };
}

/** Any unexpected failure inside an analyser makes the file unscannable, never safe, never a crash. */
async function analyseGuarded(run: () => Promise<FormatReport | undefined>): Promise<FormatReport | undefined> {
  try {
    return await run();
  } catch (error) {
    return {
      format: "unknown",
      findings: [unscannable(`analysis failed: ${(error as Error)?.message ?? error}`)],
      identity: {},
    };
  }
}

function toResult(path: string, size: number, report: FormatReport): ModelScanResult {
  return {
    path,
    format: report.format,
    verdict: toVerdict(report.findings),
    findings: report.findings,
    size,
    identity: { format: report.format, ...report.identity },
  };
}

/** Streamed sha256 of a file. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Fill identity gaps from a Hugging Face style `config.json` next to the model file. */
async function addConfigIdentity(identity: ModelIdentity, dir: string): Promise<void> {
  let config: Record<string, unknown>;
  try {
    const text = await readFile(join(dir, "config.json"), "utf8");
    if (text.length > 4 * 1024 * 1024) return;
    config = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return;
  }
  if (!config || typeof config !== "object") return;
  const architectures = config.architectures;
  const set = <K extends keyof ModelIdentity>(key: K, value: ModelIdentity[K] | undefined) => {
    if (identity[key] === undefined && value !== undefined) identity[key] = value;
  };
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  set("architecture", Array.isArray(architectures) ? str(architectures[0]) : str(config.model_type));
  set("name", str(config._name_or_path) ?? str(config.model_type));
  set("contextLength", num(config.max_position_embeddings) ?? num(config.n_positions) ?? num(config.max_seq_len));
  const quant = config.quantization_config as Record<string, unknown> | undefined;
  set("quantisation", str(quant?.quant_method) ?? str(config.torch_dtype));
  set("license", str(config.license));
  if (identity.source === undefined) identity.source = "config.json";
}
