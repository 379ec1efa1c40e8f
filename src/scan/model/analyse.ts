/**
 * Format detection by content and dispatch to the format analysers, recursing into archives
 * (zip, tar) with limits on depth, member count and bytes extracted.
 */
import { gunzipSync, inflateSync, constants as zconstants } from "node:zlib";
import { sniffContainer } from "./containers/magic.js";
import { decodeStream, extractSevenZip } from "./containers/sevenzip.js";
import { isTar, readTarDirectory, type TarEntry } from "./containers/tar.js";
import {
  isZip,
  readZipDirectory,
  readZipEntry,
  readZipEntryHead,
  type ZipEntry,
  ZipLimitError,
  zipLocalPrefix,
} from "./containers/zip.js";
import { inEntry, unscannable } from "./finding.js";
import { analyseConfig, configKind, MAX_CONFIG_BYTES, MAX_YAML_BYTES } from "./formats/config.js";
import { analyseGguf, isGguf } from "./formats/gguf.js";
import { analyseKerasConfig, analyseKerasH5, analyseKerasH5Bytes, isHdf5 } from "./formats/keras.js";
import { analyseMsgpack, isMsgpackName } from "./formats/msgpack.js";
import { analyseNpy, isNpy } from "./formats/npy.js";
import { analyseOnnx, looksLikeOnnx } from "./formats/onnx.js";
import type { FormatReport } from "./formats/report.js";
import { analyseSafetensors, isSafetensors } from "./formats/safetensors.js";
import { analyseSavedModel } from "./formats/savedmodel.js";
import { analysePickle } from "./pickle/vm.js";
import { analysePickleSource, isBinaryPickle, MAX_PICKLE_BYTES, toReport } from "./pickle-file.js";
import { type ByteSource, bytesSource, sliceSource } from "./source.js";

/** Bounds on archive recursion, shared across one top-level file. */
export interface ArchiveLimits {
  maxDepth: number;
  maxMembers: number;
  /** Bytes of members read into memory across the whole file. */
  maxExtractedBytes: number;
  maxMemberBytes: number;
  /** Wall-clock budget for one top-level file, archives included. */
  maxSeconds: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 4,
  maxMembers: 10_000,
  maxExtractedBytes: 2 * 1024 * 1024 * 1024,
  maxMemberBytes: 256 * 1024 * 1024,
  maxSeconds: 120,
};

export interface AnalyseContext {
  limits: ArchiveLimits;
  /** Bytes of archive members loaded into memory so far (inflated or copied). */
  extracted: number;
  members: number;
  /** Epoch ms after which archive members are no longer analysed. */
  deadline: number;
}

/** Take `n` bytes from the extraction budget, or say why not. */
function reserve(ctx: AnalyseContext, n: number): string | undefined {
  if (Date.now() > ctx.deadline) return "time limit for this file reached";
  if (n > ctx.limits.maxMemberBytes) return `member of ${n} bytes is over the ${ctx.limits.maxMemberBytes}-byte limit`;
  if (ctx.extracted + n > ctx.limits.maxExtractedBytes)
    return `archive members over ${ctx.limits.maxExtractedBytes} bytes in total`;
  ctx.extracted += n;
  return undefined;
}

/** Extensions that promise a model: content that matches no format is then unscannable, not skipped. */
export const MODEL_EXTENSIONS =
  /\.(pkl|pickle|bin|pt|pth|ckpt|joblib|sav|npy|npz|keras|h5|hdf5|gguf|ggml|safetensors|onnx|pb|model|mar|tar|zip|dat|data)$/i;

/** Bytes a protocol 0/1 pickle can start with (text opcodes). */
const TEXT_PICKLE_START = new Set([..."(c]})NISVldKJXUTGFLiP"].map((c) => c.charCodeAt(0)));

const HEAD = 1024;
const PROBE = 1024 * 1024;

/**
 * Analyse one file or member. `name` is the file name (for hints only: content decides), `path`
 * the file on disk when there is one (HDF5 is read by path). Undefined means "not a model file".
 */
export async function analyseSource(
  src: ByteSource,
  options: { name: string; path?: string; depth: number; ctx: AnalyseContext },
): Promise<FormatReport | undefined> {
  const head = await src.read(0, HEAD);
  const { name, ctx } = options;
  const promised = MODEL_EXTENSIONS.test(name);
  if (isZip(head)) return analyseZip(src, options);
  if (head[0] === 0x1f && head[1] === 0x8b) return analyseCompressed(src, options, "gzip");
  if (isZlib(head)) return analyseCompressed(src, options, "zlib");
  if (head.length >= 512 && isTar(head)) return analyseTar(src, options);
  const container = sniffContainer(head);
  if (container?.kind === "7z" || container?.kind === "rar") return analyseSevenZip(src, options, container.kind);
  if (container?.kind === "xz" || container?.kind === "bzip2" || container?.kind === "zstd") {
    return analyseStream(src, options, container.label);
  }
  if (container?.kind === "lz4") {
    return {
      format: "unknown",
      findings: [unscannable("LZ4 stream: this scanner does not decode LZ4, so its content was not analysed")],
      identity: {},
    };
  }
  if (isGguf(head)) return analyseGguf(src);
  if (isHdf5(head)) {
    if (options.path) return analyseKerasH5(options.path);
    const why = reserve(ctx, src.size);
    if (why) return { format: "keras-h5", findings: [unscannable(`hdf5: ${why}`)], identity: {} };
    return analyseKerasH5Bytes(await src.read(0, src.size));
  }
  if (isNpy(head)) return analyseNpy(src);
  if (isBinaryPickle(head)) return analysePickleSource(src);
  if (isMsgpackName(name)) return analyseMsgpack(src);
  if (isSafetensors(head, src.size)) return analyseSafetensors(src);
  if (/(^|\/)saved_model\.pb$/.test(name)) return analyseSavedModel(src);
  if (/\.pb$/i.test(name) && head[0] === 0x0a) return analyseSavedModel(src, true);
  if (looksLikeOnnx(head) || /\.onnx$/i.test(name)) return analyseOnnx(src);
  if (head.length > 0 && TEXT_PICKLE_START.has(head[0] as number) && src.size <= MAX_PICKLE_BYTES) {
    // Probe the first MiB: most non-pickles fail within it, so big text files are not read whole.
    let analysis = analysePickle(await src.read(0, Math.min(src.size, PROBE)));
    const needsMore = analysis.findings.some((f) => /truncated/.test(f.detail));
    // The VM reads sequentially: a stream that failed inside the probe fails the same way whole.
    if (src.size > PROBE && needsMore) analysis = analysePickle(await src.read(0, src.size));
    // Text is a pickle only when it runs to STOP: a YAML file whose first line starts with `c`
    // is not a GLOBAL opcode. A name that promises a model keeps what the VM found either way.
    if (analysis.pickles > 0 || promised) return toReport(analysis, false);
  }
  const config = configKind(name);
  if (config && src.size <= (config === "yaml" ? MAX_YAML_BYTES : MAX_CONFIG_BYTES)) {
    return analyseConfig(new TextDecoder().decode(await src.read(0, src.size)), config);
  }
  if (promised) {
    return {
      format: "unknown",
      findings: [unscannable(`content of ${name} matches no known model format`, 0)],
      identity: {},
    };
  }
  return undefined;
}

/** zlib (RFC 1950) header: CM 8, a 32 KiB window or less, and a valid FCHECK. */
function isZlib(head: Uint8Array): boolean {
  const [cmf, flg] = [head[0] ?? 0, head[1] ?? 0];
  return cmf === 0x78 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * gzip (RFC 1952, usually a .tar.gz) and zlib (RFC 1950, joblib's `compress=`): the inflated
 * prefix is sniffed first, so a compressed log or a source tarball is not inflated whole; a
 * model inside is inflated with an output limit and analysed as a member.
 */
async function analyseCompressed(
  src: ByteSource,
  options: Options,
  kind: "gzip" | "zlib",
): Promise<FormatReport | undefined> {
  const { ctx } = options;
  const inflate = kind === "gzip" ? gunzipSync : inflateSync;
  let head: Uint8Array;
  try {
    const prefix = await src.read(0, Math.min(src.size, 64 * 1024));
    head = inflate(prefix, { finishFlush: zconstants.Z_SYNC_FLUSH, maxOutputLength: 16 << 20 }).subarray(0, HEAD);
  } catch (error) {
    return {
      format: "unknown",
      findings: [unscannable(`${kind}: does not inflate (${(error as NodeJS.ErrnoException).code ?? error})`)],
      identity: {},
    };
  }
  const bare = options.name.replace(/\.(gz|tgz)$/i, "");
  const textPickle = head[0] !== undefined && TEXT_PICKLE_START.has(head[0]);
  if (!startsLikeModel(head) && !(kind === "zlib" && textPickle) && !MODEL_EXTENSIONS.test(bare)) return undefined;
  const limit = Math.min(ctx.limits.maxMemberBytes, ctx.limits.maxExtractedBytes - ctx.extracted);
  const inner = options.name.replace(/\.(gz|tgz)$/i, (m) => (m.toLowerCase() === ".tgz" ? ".tar" : ""));
  if (src.size > ctx.limits.maxMemberBytes) {
    return {
      format: "unknown",
      findings: [unscannable(`${kind}: ${src.size} compressed bytes is over the limit`)],
      identity: {},
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = inflate(await src.read(0, src.size), { maxOutputLength: Math.max(1, limit) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ERR_BUFFER_TOO_LARGE" ? `inflates past ${limit} bytes` : `does not inflate (${code ?? error})`;
    return { format: "unknown", findings: [unscannable(`${kind}: ${why}`)], identity: {} };
  }
  const why = reserve(ctx, bytes.length);
  if (why) return { format: "unknown", findings: [unscannable(`${kind}: ${why}`)], identity: {} };
  return analyseMember(async () => bytes, inner || "content", options);
}

/** Signatures of the formats and archives the scanner opens (for sniffing inside containers). */
function startsLikeModel(head: Uint8Array): boolean {
  return (
    isZip(head) ||
    (head.length >= 512 && isTar(head)) ||
    isGguf(head) ||
    isHdf5(head) ||
    isNpy(head) ||
    isBinaryPickle(head) ||
    (head[0] === 0x1f && head[1] === 0x8b) ||
    sniffContainer(head) !== undefined
  );
}

/** Signatures of at least four bytes: zip, 7z, RAR, xz, bzip2, zstd, LZ4, GGUF, HDF5, npy. */
function hasStrongSignature(head: Uint8Array): boolean {
  return isZip(head) || sniffContainer(head) !== undefined || isGguf(head) || isHdf5(head) || isNpy(head);
}

function tooBig(format: FormatReport["format"], size: number): FormatReport {
  return { format, findings: [unscannable(`member of ${size} bytes is over the size limit`)], identity: {} };
}

type Options = Parameters<typeof analyseSource>[1];

/**
 * Analyse an archive member: a window of the archive when it is stored (read in place), or
 * bytes inflated into memory, which count against the extraction budget.
 */
async function analyseMember(
  member: ByteSource | (() => Promise<Uint8Array>),
  entry: string,
  options: Options,
): Promise<FormatReport | undefined> {
  const { ctx } = options;
  if (options.depth + 1 > ctx.limits.maxDepth) {
    return { format: "unknown", findings: inEntry(entry, [unscannable("archive nested too deeply")]), identity: {} };
  }
  if (Date.now() > ctx.deadline) {
    return {
      format: "unknown",
      findings: inEntry(entry, [unscannable("time limit for this file reached")]),
      identity: {},
    };
  }
  let source: ByteSource;
  if (typeof member === "function") {
    try {
      source = bytesSource(await member());
    } catch (error) {
      return { format: "unknown", findings: inEntry(entry, [unscannable((error as Error).message)]), identity: {} };
    }
  } else {
    source = member;
  }
  const inner = await analyseSource(source, { name: entry, depth: options.depth + 1, ctx });
  if (!inner) return undefined;
  return { ...inner, findings: inEntry(entry, inner.findings) };
}

/** Fold a member's report into its archive's; true when the member was a model file. */
function merge(into: FormatReport, from: FormatReport | undefined): boolean {
  if (!from) return false;
  into.findings.push(...from.findings);
  for (const [k, v] of Object.entries(from.identity)) {
    const key = k as keyof FormatReport["identity"];
    if (into.identity[key] === undefined && v !== undefined) (into.identity as Record<string, unknown>)[key] = v;
  }
  return true;
}

async function analyseZip(src: ByteSource, options: Options): Promise<FormatReport | undefined> {
  const dir = await readZipDirectory(src);
  const names = dir.entries.map((e) => e.name);
  const torch = names.some((n) => /(^|\/)data\.pkl$/.test(n));
  const keras =
    names.includes("config.json") && (names.includes("metadata.json") || names.includes("model.weights.h5"));
  const npz = names.length > 0 && names.every((n) => n.endsWith(".npy"));
  const report: FormatReport = {
    format: torch ? "pytorch-zip" : keras ? "keras-v3" : npz ? "numpy-npz" : "zip-archive",
    findings: [],
    identity: {},
  };
  if (dir.damaged) {
    report.findings.push(
      unscannable(`zip: central directory unusable (${dir.damaged}); members read from local headers`),
    );
  }
  if (dir.entries.length === 0) report.findings.push(unscannable("zip: no members found"));
  let models = 0;
  for (const entry of dir.entries) {
    if (++options.ctx.members > options.ctx.limits.maxMembers) {
      report.findings.push(unscannable(`archive has more than ${options.ctx.limits.maxMembers} members`));
      break;
    }
    try {
      if (merge(report, await zipMember(src, entry, report.format, options))) models++;
    } catch (error) {
      report.findings.push(...inEntry(entry.name, [unscannable(`zip member: ${(error as Error).message}`)]));
    }
  }
  return plainArchive(report, models) ? undefined : report;
}

/** A generic archive with no model inside and nothing wrong with it is not a model file. */
function plainArchive(report: FormatReport, models: number): boolean {
  const plain = ["zip-archive", "tar-archive", "7z-archive", "rar-archive"].includes(report.format);
  return plain && models === 0 && report.findings.length === 0;
}

async function zipMember(
  src: ByteSource,
  entry: ZipEntry,
  format: FormatReport["format"],
  options: Options,
): Promise<FormatReport | undefined> {
  if (entry.name.endsWith("/")) return undefined;
  if (entry.flags & 0x1 || entry.method === 99) {
    // APPNOTE 4.4.4 bit 0 (traditional or strong encryption), method 99 (WinZip AES): the
    // data is ciphertext, so nothing in it can be analysed, and it is not parsed as if it were.
    const how = entry.method === 99 ? "AES-encrypted" : "encrypted";
    return {
      format: "unknown",
      findings: inEntry(entry.name, [unscannable(`zip: member is ${how}; its content cannot be analysed`)]),
      identity: {},
    };
  }
  const { ctx } = options;
  const read = async () => {
    // Inflation stops at what is left of the budget, whatever size the directory claims.
    const room = Math.min(ctx.limits.maxMemberBytes, ctx.limits.maxExtractedBytes - ctx.extracted);
    const why =
      room <= 0 ? reserve(ctx, 1) : Date.now() > ctx.deadline ? "time limit for this file reached" : undefined;
    if (why) throw new Error(why);
    try {
      const bytes = await readZipEntry(src, entry, room);
      ctx.extracted += bytes.length;
      return bytes;
    } catch (error) {
      if (error instanceof ZipLimitError) ctx.extracted += room;
      throw error;
    }
  };
  const prefix = await zipLocalPrefix(src, entry, HEAD);
  const stored = entry.method === 0 ? sliceSource(src, prefix.dataStart, entry.compressedSize) : undefined;
  if (format === "keras-v3" && entry.name === "config.json") {
    const text = new TextDecoder().decode(await read());
    const r = analyseKerasConfig(text, "keras-v3");
    return { ...r, findings: inEntry(entry.name, r.findings) };
  }
  if (format === "keras-v3" && entry.name === "model.weights.h5") return undefined;
  if (entry.name.endsWith(".pkl")) {
    if (entry.size > MAX_PICKLE_BYTES) return tooBig("pickle", entry.size);
    const why = stored ? reserve(ctx, stored.size) : undefined;
    if (why) return { format: "pickle", findings: inEntry(entry.name, [unscannable(why)]), identity: {} };
    const r = await analysePickleSource(stored ?? bytesSource(await read()));
    return { ...r, findings: inEntry(entry.name, r.findings) };
  }
  const head = await readZipEntryHead(src, entry, HEAD, prefix);
  if (format === "pytorch-zip") {
    // Tensor records are raw bytes: only a member that starts like a pickle is analysed, and
    // only what it proves (a dangerous call, or a complete pickle) is kept.
    if (!isBinaryPickle(head)) {
      // A container or model format hidden as a tensor record is opened, never skipped; only
      // signatures of four bytes or more count, so float data does not match by chance.
      return hasStrongSignature(head) ? analyseMember(stored ?? read, entry.name, options) : undefined;
    }
    if (entry.size > MAX_PICKLE_BYTES) return undefined;
    const why = stored ? reserve(ctx, stored.size) : undefined;
    if (why) return { format: "pickle", findings: inEntry(entry.name, [unscannable(why)]), identity: {} };
    const analysis = analysePickle(stored ? await stored.read(0, stored.size) : await read());
    const complete = analysis.pickles > 0 && !analysis.findings.some((f) => f.effect === "unscannable");
    const kept = complete ? analysis.findings : analysis.findings.filter((f) => f.effect === "malicious");
    return { format: "pickle", findings: inEntry(entry.name, kept), identity: {} };
  }
  return analyseMember(stored ?? read, entry.name, options);
}

async function analyseTar(src: ByteSource, options: Options): Promise<FormatReport | undefined> {
  const dir = await readTarDirectory(src);
  const names = new Set(dir.entries.map((e) => e.name.replace(/^\.\//, "")));
  const legacy = names.has("pickle") && names.has("sys_info");
  const report: FormatReport = { format: legacy ? "pytorch-legacy-tar" : "tar-archive", findings: [], identity: {} };
  if (dir.damaged) report.findings.push(unscannable(`tar: ${dir.damaged}`));
  let models = 0;
  for (const entry of dir.entries) {
    if (entry.type !== "0" && entry.type !== "7") continue;
    if (++options.ctx.members > options.ctx.limits.maxMembers) {
      report.findings.push(unscannable(`archive has more than ${options.ctx.limits.maxMembers} members`));
      break;
    }
    if (merge(report, await tarMember(src, entry, options))) models++;
  }
  return plainArchive(report, models) ? undefined : report;
}

async function tarMember(src: ByteSource, entry: TarEntry, options: Options): Promise<FormatReport | undefined> {
  const head = await src.read(entry.offset, Math.min(HEAD, entry.size));
  const named =
    /(^|\/)(pickle|sys_info|storages|tensors)$/.test(entry.name) ||
    MODEL_EXTENSIONS.test(entry.name) ||
    configKind(entry.name) !== undefined;
  if (!named && !startsLikeModel(head) && !isSafetensors(head, entry.size)) {
    const text = head[0] !== undefined && TEXT_PICKLE_START.has(head[0]);
    if (!text) return undefined;
  }
  return analyseMember(sliceSource(src, entry.offset, entry.size), entry.name, options);
}

/**
 * 7z and RAR archives, read with 7-Zip (WebAssembly): the archive is loaded into memory (it
 * counts against the extraction budget), members are listed, encrypted ones are reported by
 * name, and the rest are extracted when their listed sizes fit what is left of the budget.
 */
async function analyseSevenZip(
  src: ByteSource,
  options: Options,
  kind: "7z" | "rar",
): Promise<FormatReport | undefined> {
  const { ctx } = options;
  const label = kind === "7z" ? "7z" : "RAR";
  const report: FormatReport = { format: kind === "7z" ? "7z-archive" : "rar-archive", findings: [], identity: {} };
  const why =
    src.size > ctx.limits.maxMemberBytes
      ? `archive of ${src.size} bytes is over the ${ctx.limits.maxMemberBytes}-byte limit`
      : reserve(ctx, src.size);
  if (why) {
    report.findings.push(unscannable(`${label}: ${why}; its members were not analysed`));
    return report;
  }
  // 7-Zip holds the archive and its extracted members in WebAssembly memory (4 GiB at most):
  // extraction is bounded by the budget left and by two members' worth.
  const room = Math.max(0, Math.min(ctx.limits.maxExtractedBytes - ctx.extracted, 2 * ctx.limits.maxMemberBytes));
  const result = await extractSevenZip(await src.read(0, src.size), room);
  if (result.listing.error) {
    report.findings.push(
      unscannable(
        `${label}: members cannot be listed (encrypted headers or a damaged archive): ${result.listing.error}`,
      ),
    );
    return report;
  }
  let models = 0;
  for (const entry of result.listing.entries) {
    if (entry.folder) continue;
    if (++ctx.members > ctx.limits.maxMembers) {
      report.findings.push(unscannable(`archive has more than ${ctx.limits.maxMembers} members`));
      break;
    }
    if (entry.encrypted) {
      report.findings.push(
        ...inEntry(entry.name, [unscannable(`${label}: member is encrypted; its content cannot be analysed`)]),
      );
      continue;
    }
    const bytes = result.members.get(entry.name);
    if (!bytes) continue;
    const why = reserve(ctx, Math.max(bytes.length, entry.size ?? 0));
    if (why) {
      report.findings.push(...inEntry(entry.name, [unscannable(why)]));
      continue;
    }
    if (merge(report, await analyseMember(async () => bytes, entry.name, options))) models++;
  }
  if (result.error) report.findings.push(unscannable(`${label}: not every member could be extracted: ${result.error}`));
  return plainArchive(report, models) ? undefined : report;
}

/**
 * A single xz, bzip2 or zstd stream: a decoded prefix is sniffed first (so a compressed log or a
 * source tarball is not decoded whole); a model inside is decoded up to the member limit.
 */
async function analyseStream(src: ByteSource, options: Options, label: string): Promise<FormatReport | undefined> {
  const { ctx } = options;
  const prefix = await decodeStream(await src.read(0, Math.min(src.size, 64 * 1024)), HEAD);
  if (prefix.bytes.length === 0 && prefix.error) {
    return { format: "unknown", findings: [unscannable(`${label}: does not decode (${prefix.error})`)], identity: {} };
  }
  const bare = options.name.replace(/\.(xz|txz|bz2|tbz2?|zst|tzst)$/i, "");
  if (!startsLikeModel(prefix.bytes) && !MODEL_EXTENSIONS.test(bare)) return undefined;
  const inner = options.name.replace(/\.(xz|bz2|zst)$/i, "").replace(/\.(txz|tbz2?|tzst)$/i, ".tar");
  if (src.size > ctx.limits.maxMemberBytes) {
    return {
      format: "unknown",
      findings: [unscannable(`${label}: ${src.size} compressed bytes is over the limit`)],
      identity: {},
    };
  }
  const limit = Math.max(1, Math.min(ctx.limits.maxMemberBytes, ctx.limits.maxExtractedBytes - ctx.extracted));
  const decoded = await decodeStream(await src.read(0, src.size), limit);
  if (decoded.error) {
    return {
      format: "unknown",
      findings: [unscannable(`${label}: ${decoded.overLimit ? decoded.error : `does not decode (${decoded.error})`}`)],
      identity: {},
    };
  }
  const why = reserve(ctx, decoded.bytes.length);
  if (why) return { format: "unknown", findings: [unscannable(`${label}: ${why}`)], identity: {} };
  return analyseMember(async () => decoded.bytes, inner || "content", options);
}
