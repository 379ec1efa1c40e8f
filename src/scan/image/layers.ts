/**
 * The image's file system: every layer streamed once (gzip, zstd or plain tar), never written
 * to disk, applied in order with OCI whiteouts (`.wh.NAME` deletes, `.wh..wh..opq` empties a
 * directory of what lower layers put there). The tree keeps metadata for every path and the
 * content only of files a caller wants, within a byte budget, so memory stays bounded however
 * large the image.
 */
import { createHash } from "node:crypto";
import { PassThrough, type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { Decompress as ZstdDecompress } from "fzstd";
import * as tar from "tar-stream";
import { PalisadeError } from "../../core/index.js";
import { fileDigest } from "./source/file-digest.js";
import type { LayerRef } from "./source/open.js";

export type NodeType = "file" | "dir" | "symlink" | "other";

export interface FsNode {
  type: NodeType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Layer that wrote this path last. */
  layer: number;
  linkname?: string;
  content?: Buffer;
  children?: Map<string, FsNode>;
  /** Whatever a consumer attached while the layer streamed (a model scan result, say). */
  note?: unknown;
}

export interface LayerSummary {
  index: number;
  digest?: string;
  /** Bytes of file content the layer holds (uncompressed). */
  bytes: number;
  entries: number;
  /** Largest regular files it adds, biggest first. */
  largest: { path: string; size: number }[];
}

export interface LayerLimits {
  /** Content kept per wanted file; larger wanted files are skipped with a warning. */
  maxFileBytes: number;
  /** Content kept for all wanted files together. */
  maxKeptBytes: number;
  /** Entries per layer. */
  maxEntries: number;
  /**
   * Uncompressed bytes a layer may expand to, as a multiple of its stored size:
   * past it the layer is a decompression bomb, not an image.
   */
  maxExpansion: number;
  /** ...but a layer may always expand to this many bytes. */
  expansionFloor: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxKeptBytes: 256 * 1024 * 1024,
  maxEntries: 1_000_000,
  maxExpansion: 200,
  expansionFloor: 1024 * 1024 * 1024,
};
const LARGEST_KEPT = 10;

export interface LayerVisitor {
  /** Keep this file's content (analyzers' databases, manifests, small binaries). */
  wants(path: string, size: number, mode: number): boolean;
  /**
   * Offered every regular file not wanted, with its first bytes: return a function that consumes
   * the whole file as a stream (its result is attached to the node), or undefined to skip it.
   * Deciding before any stream exists keeps the tens of thousands of ordinary files cheap.
   */
  take?(path: string, size: number, mode: number, head: Buffer): ((stream: Readable) => Promise<unknown>) | undefined;
  /** Whether `take` might want the file, judged without its content (a `dir:` source opens only these). */
  mayTake?(path: string, size: number, mode: number): boolean;
}

export interface ImageFileSystem {
  root: FsNode;
  layers: LayerSummary[];
  warnings: string[];
}

export function newRoot(): FsNode {
  return { type: "dir", size: 0, mode: 0o40755, uid: 0, gid: 0, layer: -1, children: new Map() };
}

/** Apply every layer in order. */
export async function readLayers(
  layers: readonly LayerRef[],
  visitor: LayerVisitor,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
): Promise<ImageFileSystem> {
  const fs: ImageFileSystem = { root: newRoot(), layers: [], warnings: [] };
  const budget = { kept: 0 };
  for (const layer of layers) fs.layers.push(await applyLayer(fs, layer, visitor, limits, budget));
  return fs;
}

/** Normalised path components, or undefined for a path that climbs out of the root. */
export function splitPath(name: string): string[] | undefined {
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") return undefined;
    parts.push(part);
  }
  return parts;
}

function lookup(root: FsNode, parts: readonly string[]): FsNode | undefined {
  let node: FsNode | undefined = root;
  for (const part of parts) {
    node = node?.children?.get(part);
    if (!node) return undefined;
  }
  return node;
}

/** The directory holding `parts`, created (as layer `layer`) where missing. */
function parentOf(root: FsNode, parts: readonly string[], layer: number): FsNode {
  let node = root;
  for (const part of parts.slice(0, -1)) {
    let next = node.children?.get(part);
    if (!next || next.type !== "dir") {
      next = { type: "dir", size: 0, mode: 0o40755, uid: 0, gid: 0, layer, children: new Map() };
      node.children?.set(part, next);
    }
    node = next;
  }
  return node;
}

/** Remove what layers below `layer` put under `dir` (an opaque whiteout); this layer's entries stay. */
function hideLower(dir: FsNode, layer: number): void {
  for (const [name, child] of dir.children ?? []) {
    if (child.layer < layer) dir.children?.delete(name);
    else if (child.type === "dir") hideLower(child, layer);
  }
}

/** A member of a layer being read (tar-stream's entry: a streamx stream with its header). */
type TarEntry = AsyncIterable<Buffer> & {
  header: tar.Header;
  resume(): unknown;
  pause(): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
};

const TYPES: Record<string, NodeType> = {
  file: "file",
  "contiguous-file": "file",
  directory: "dir",
  symlink: "symlink",
};

async function applyLayer(
  fs: ImageFileSystem,
  layer: LayerRef,
  visitor: LayerVisitor,
  limits: LayerLimits,
  budget: { kept: number },
): Promise<LayerSummary> {
  const summary: LayerSummary = {
    index: layer.index,
    ...(layer.digest ? { digest: layer.digest } : {}),
    bytes: 0,
    entries: 0,
    largest: [],
  };
  const where = `layer ${layer.index} (${layer.digest ?? layer.name})`;
  const stored = await layer.open();
  // A local blob is hashed on a worker thread alongside; a downloaded one as it streams by.
  const digest = layer.digest?.startsWith("sha256:") ? layer.digest : undefined;
  const hashedApart = digest && layer.region ? fileDigest(layer.region) : undefined;
  hashedApart?.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  const verify = digest && !hashedApart ? [digestCheck(digest, where)] : [];
  const maxBytes = Math.max(limits.expansionFloor, (layer.size ?? 0) * limits.maxExpansion);
  const extract = tar.extract();
  const pending: Promise<void>[] = [];
  const head = await firstBytes(stored);
  const decoder = head ? pickDecoder(head, where) : undefined;
  const feeding = pipeline([
    stored,
    ...verify,
    ...(decoder ? [decoder] : []),
    expansionLimit(maxBytes, where),
    extract,
  ]);
  // A failure upstream ends the entry loop too; remember it so the loop's own error does not hide it.
  let failed: unknown;
  feeding.catch((error: unknown) => {
    failed = error;
  });
  try {
    for await (const entry of extract) {
      summary.entries++;
      if (summary.entries > limits.maxEntries)
        throw new PalisadeError("bad-input", `${where}: more than ${limits.maxEntries} entries`);
      // streamx yields Buffers; its types say unknown.
      await applyEntry(fs, entry as unknown as TarEntry, layer.index, visitor, limits, budget, summary, pending);
    }
    await feeding;
    await Promise.all(pending);
    if (hashedApart) {
      const actual = await hashedApart;
      if (actual !== digest)
        throw new PalisadeError("bad-input", `${where}: content does not match its digest (got ${actual})`);
    }
  } catch (error) {
    stored.destroy();
    throw asLayerError(failed ?? error, where);
  }
  return summary;
}

function asLayerError(error: unknown, where: string): PalisadeError {
  if (error instanceof PalisadeError) return error;
  const message = (error as Error)?.message ?? String(error);
  return new PalisadeError("bad-input", `${where}: cannot be read (${message})`, { cause: error });
}

async function applyEntry(
  fs: ImageFileSystem,
  entry: TarEntry,
  layer: number,
  visitor: LayerVisitor,
  limits: LayerLimits,
  budget: { kept: number },
  summary: LayerSummary,
  /** Consumers of taken files still running: the layer is done when they are. */
  pending: Promise<void>[],
): Promise<void> {
  const header = entry.header;
  const parts = splitPath(header.name);
  if (!parts || parts.length === 0) {
    if (!parts) fs.warnings.push(`layer ${layer}: skipped ${header.name} (climbs out of the root)`);
    entry.resume();
    return;
  }
  const base = parts[parts.length - 1] as string;
  if (base.startsWith(".wh.")) {
    entry.resume();
    const dirParts = parts.slice(0, -1);
    const dir = lookup(fs.root, dirParts);
    if (base === ".wh..wh..opq") {
      if (dir?.type === "dir") hideLower(dir, layer);
    } else dir?.children?.delete(base.slice(4));
    return;
  }
  const parent = parentOf(fs.root, parts, layer);
  const path = parts.join("/");
  const mode = header.mode ?? 0;
  const common = { mode, uid: header.uid ?? 0, gid: header.gid ?? 0, layer };

  if (header.type === "link") {
    // A hard link: the same file under another name (content shared, not re-read).
    entry.resume();
    const target = splitPath(header.linkname ?? "");
    const existing = target ? lookup(fs.root, target) : undefined;
    if (existing?.type === "file") parent.children?.set(base, { ...existing, ...common, mode: existing.mode });
    return;
  }
  const type = TYPES[header.type ?? "file"] ?? "other";
  if (type === "dir") {
    entry.resume();
    const existing = parent.children?.get(base);
    if (existing?.type === "dir") Object.assign(existing, common);
    else parent.children?.set(base, { type, size: 0, ...common, children: new Map() });
    return;
  }
  const size = header.size ?? 0;
  const node: FsNode = { type, size, ...common, ...(header.linkname ? { linkname: header.linkname } : {}) };
  parent.children?.set(base, node);
  if (type !== "file") {
    entry.resume();
    return;
  }
  summary.bytes += size;
  noteLargest(summary.largest, path, size);
  if (visitor.wants(path, size, mode)) {
    if (size > limits.maxFileBytes || budget.kept + size > limits.maxKeptBytes) {
      fs.warnings.push(
        `${path} (layer ${layer}, ${size} bytes) was not read: ${size > limits.maxFileBytes ? "larger than the per-file limit" : "the content budget is spent"}`,
      );
      entry.resume();
      return;
    }
    node.content = await collect(entry, size);
    budget.kept += size;
    return;
  }
  if (visitor.take && size > 0) {
    const take = visitor.take;
    // No promise per file: most files are declined on their first chunk and then flow on unread.
    // A taken file is handed over from inside the data event, so no byte or end is missed; its
    // consumer may finish after the entry has drained (a model scan), overlapping later entries.
    entry.once("data", (head: Buffer) => {
      const taker = take(path, size, mode, head);
      if (!taker) return;
      entry.pause();
      const taking = taker(rest(head, entry)).then((note) => {
        node.note = note;
      });
      taking.catch(() => {}); // awaited with the layer; this only keeps it from being "unhandled"
      pending.push(taking);
    });
  }
  entry.resume();
}

/** The whole entry as a Node stream: `head` (already read) and then the rest, with backpressure. */
function rest(head: Buffer, entry: TarEntry): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  out.write(head);
  entry.on("data", (chunk: Buffer) => {
    if (!out.write(chunk)) entry.pause();
  });
  out.on("drain", () => entry.resume());
  entry.on("end", () => out.end());
  entry.on("error", (error: Error) => out.destroy(error));
  entry.resume();
  return out;
}

function noteLargest(list: { path: string; size: number }[], path: string, size: number): void {
  if (list.length === LARGEST_KEPT && (list[LARGEST_KEPT - 1]?.size ?? 0) >= size) return;
  list.push({ path, size });
  list.sort((a, b) => b.size - a.size);
  if (list.length > LARGEST_KEPT) list.pop();
}
async function collect(stream: AsyncIterable<Buffer>, size: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of stream) {
    chunk.copy(out, at, 0, Math.min(chunk.length, size - at));
    at += chunk.length;
  }
  return at === size ? out : out.subarray(0, Math.min(at, size));
}

/** Passes bytes through and fails at the end when their sha256 is not `digest`. */
function digestCheck(digest: string, where: string): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      const actual = `sha256:${hash.digest("hex")}`;
      done(
        actual === digest
          ? null
          : new PalisadeError("bad-input", `${where}: content does not match its digest (got ${actual})`),
      );
    },
  });
}

/**
 * The first bytes of a stream, put back so the stream still yields them: enough to recognise
 * gzip or zstd before the pipeline is built (a plain pipeline keeps backpressure end to end).
 */
function firstBytes(stream: Readable): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const finish = (chunk: Buffer | undefined) => {
      stream.off("readable", onReadable);
      stream.off("end", onEnd);
      stream.off("error", reject);
      if (chunk) stream.unshift(chunk);
      resolve(chunk);
    };
    const onReadable = () => finish((stream.read() as Buffer | null) ?? undefined);
    const onEnd = () => finish(undefined);
    stream.on("readable", onReadable);
    stream.on("end", onEnd);
    stream.on("error", reject);
  });
}

function pickDecoder(head: Buffer, where: string): Transform | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return createGunzip({ chunkSize: 1 << 20 });
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return zstdStream(where);
  return undefined;
}

/** fzstd's push-based decompressor as a stream. */
function zstdStream(where: string): Transform {
  let stream: Transform | undefined;
  const decoder = new ZstdDecompress((data) => {
    stream?.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  stream = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        decoder.push(chunk);
        done();
      } catch (error) {
        done(new PalisadeError("bad-input", `${where}: zstd data is corrupt (${(error as Error).message})`));
      }
    },
    flush(done: TransformCallback) {
      try {
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (error) {
        done(new PalisadeError("bad-input", `${where}: zstd data is corrupt (${(error as Error).message})`));
      }
    },
  });
  return stream;
}

/** Fails once more than `max` bytes have passed: a decompression bomb. */
function expansionLimit(max: number, where: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max)
        return done(
          new PalisadeError("bad-input", `${where}: expands to more than ${max} bytes (a decompression bomb?)`),
        );
      done(null, chunk);
    },
  });
}

/** Every regular file and symlink of the tree, depth first, with its path. */
export function* walk(node: FsNode, prefix = ""): Generator<[string, FsNode]> {
  for (const [name, child] of node.children ?? []) {
    const path = prefix ? `${prefix}/${name}` : name;
    yield [path, child];
    if (child.type === "dir") yield* walk(child, path);
  }
}
