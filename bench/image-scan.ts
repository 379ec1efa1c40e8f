/**
 * Image scan benchmark: what `scan image` costs on a large image, next to the least any scanner
 * must do with it. Generates an OCI layout (default 680 MiB of uncompressed layer tars, gzip'd)
 * in a temporary folder (removed at the end), then measures, each in a fresh child process:
 *   decompress-only  every layer blob read, gunzipped and parsed as tar (tar-stream), entry
 *                    contents discarded: the floor for anything that looks inside an image
 *   scan             scanImage(`oci:DIR:bench`, defaultScanOptions()): digest checks, the merged
 *                    file system, every analyzer, the AI layer, model scans and checks
 * and reports the wall-clock ratio scan ÷ decompress-only (target ≤ 1.5) and the scan's peak
 * memory (VmHWM of the child, target ≤ 300 MB), with the decompress-only child's peak beside it
 * (Node and the loaded modules count in both). Times exclude loading modules.
 *
 * The image has five layers of real and generated content, written as streamed gzip'd tars
 * (never whole in memory): a Debian-like base (this machine's dpkg status and os-release, and
 * a byte-proportional sample of /usr/lib and /usr/share: real binaries and text), a Python layer
 * (this machine's /usr/lib/python3/dist-packages, a few AI packages' dist-info and large
 * `.so`-like files half random, half symbol-like text), an app layer (this repository's
 * node_modules, whole when --size-mb leaves room, as the default does), a model layer (a
 * 100 MiB safetensors file of random weights, its tokenizer and config, a small pickle) and a
 * config layer. Filler comes from a seeded AES-CTR key stream, so two runs on one machine
 * generate the same image; random bytes do not compress, so the gzip'd size of those parts stays
 * close to their plain size.
 *
 *   node --import tsx bench/image-scan.ts [--size-mb=680] [--runs=2] [--from=dist|src]
 *        [--profile] [--keep] [--image=OCI_DIR --tag=TAG]
 *
 * The children are plain `node`, and the scan loads the scanner from dist/ (what `palisade scan
 * image` runs; built first when older than src/, as bench/gateway.ts does). `--from=src` loads
 * src/ through tsx instead, and then measures tsx too: its loader thread takes ~2 s and ~600 MB
 * to pass h5wasm's 4 MB module through, on the first HDF5 file met. MB in flags and output means
 * MiB (2^20 bytes). Each time is the best of `--runs` children (decompress and scan alternate,
 * on a warm page cache), each peak the highest. `--profile` adds one scan under `--cpu-prof` and
 * its top self-time functions; `--keep` keeps the generated layout (its path goes to stderr);
 * `--image` measures an existing OCI layout with gzip'd or plain layers instead. Prints JSON on
 * stdout, progress on stderr. Both children share the machine's cores with whatever else runs
 * (load averages are included): compare the ratio, which the machine's speed moves far less
 * than the absolute times.
 */
import { execFileSync, spawn } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createGzip } from "node:zlib";
import * as tar from "tar-stream";

const ROOT = new URL("..", import.meta.url).pathname;
const MIB = 1024 * 1024;

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k ?? "", v ?? "true"] as const;
  }),
);
const SIZE_MB = Number(args.get("size-mb") ?? 680);
const RUNS = Math.max(1, Number(args.get("runs") ?? 2));
const PROFILE = args.has("profile");
const KEEP = args.has("keep");
const IMAGE = args.get("image");
const TAG = args.get("tag") ?? "bench";
/** Where the scanner is loaded from: `dist` (what `palisade scan image` runs) or `src` (through tsx). */
const FROM = args.get("from") ?? "dist";
if (FROM !== "dist" && FROM !== "src") throw new Error(`--from=${FROM}: use dist or src`);

/** The issue's targets: scan time at most 1.5 × decompress-only time, peak RSS at most 300 MB. */
const TARGET_RATIO = 1.5;
const TARGET_PEAK_MB = 300;
const MODEL_BYTES = 100 * MIB;
/** The base layer gets what the others leave, but at least this much. */
const MIN_BASE_BYTES = 48 * MIB;

const log = (message: string) => process.stderr.write(`${message}\n`);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Deterministic filler

/** A seeded byte stream: the AES-128-CTR key stream of a key derived from `seed`. */
function createPrng(seed: string): (n: number) => Buffer {
  const key = createHash("sha256").update(seed).digest();
  const cipher = createCipheriv("aes-128-ctr", key.subarray(0, 16), key.subarray(16, 32));
  return (n) => cipher.update(Buffer.alloc(n));
}

const SYMBOL_WORDS =
  "torch autograd tensor impl dispatch kernel cuda cpu at native aten c10 detail vector allocator storage grad fn " +
  "forward backward optimizer module linear conv2d batch norm relu softmax attention layer weight bias shape stride " +
  "dtype device stream event graph node edge context registry operator schema value list dict string int64 float";

/** 1 MiB of symbol-table-like text (mangled names from a small vocabulary): compresses about 4:1. */
const TEXT_POOL = (() => {
  const words = SYMBOL_WORDS.split(" ");
  const random = createPrng("text-pool")(MIB);
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < MIB; i += 4) {
    const count = 2 + ((random[i] ?? 0) % 4);
    const name = Array.from({ length: count }, (_, j) => {
      const w = words[(random[(i + j) % MIB] ?? 0) % words.length] ?? "x";
      return `${w.length}${w}`;
    }).join("");
    const part = `_ZN${name}E${(random[i + 3] ?? 0) % 7 === 0 ? "v" : "RKNS_6TensorE"}\0`;
    parts.push(part);
    length += part.length;
  }
  return Buffer.from(parts.join("")).subarray(0, MIB);
})();

/**
 * `size` bytes in 64 KiB blocks, each random with probability `randomShare`, else a slice of the
 * text pool: native-library-like content that gzip shrinks by about the text share.
 */
function* filler(size: number, randomShare: number, seed: string, head?: Buffer): Generator<Buffer> {
  const prng = createPrng(seed);
  const BLOCK = 64 * 1024;
  for (let at = 0; at < size; ) {
    const chunk = Buffer.allocUnsafe(Math.min(MIB, size - at));
    const choices = prng(Math.ceil(chunk.length / BLOCK) * 4);
    for (let b = 0; b * BLOCK < chunk.length; b++) {
      const end = Math.min(chunk.length, (b + 1) * BLOCK);
      if ((choices[b * 4] ?? 0) < randomShare * 256) prng(end - b * BLOCK).copy(chunk, b * BLOCK);
      else {
        const from = (choices.readUInt16LE(b * 4 + 1) * 13) % (MIB - BLOCK);
        TEXT_POOL.copy(chunk, b * BLOCK, from, from + (end - b * BLOCK));
      }
    }
    if (at === 0 && head) head.copy(chunk, 0, 0, Math.min(head.length, chunk.length));
    at += chunk.length;
    yield chunk;
  }
}

// ---------------------------------------------------------------------------------------------
// Layer writer: tar-stream pack → sha256 of the tar (diff id) → gzip → sha256 of the blob → file

interface WrittenLayer {
  digest: string;
  diffId: string;
  size: number;
  tarBytes: number;
  files: number;
  createdBy: string;
}

/** A Transform that hashes and counts what passes through. */
function hashing(): { stream: Transform; result(): { digest: string; bytes: number } } {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  let digest: string | undefined;
  return {
    stream,
    result: () => {
      digest ??= `sha256:${hash.digest("hex")}`;
      return { digest, bytes };
    },
  };
}

/** Bytes an entry takes in a tar: its header block and its content padded to 512. */
const tarCost = (size: number) => 512 + Math.ceil(size / 512) * 512;

interface LayerWriter {
  file(
    path: string,
    options: { size: number; mode?: number; body: Iterable<Buffer> | AsyncIterable<Buffer> },
  ): Promise<void>;
  symlink(path: string, target: string): Promise<void>;
  finish(): Promise<WrittenLayer>;
}

function createLayerWriter(blobDir: string, createdBy: string): LayerWriter {
  const pack = tar.pack();
  const plain = hashing();
  const stored = hashing();
  const temp = join(blobDir, `partial-${process.hrtime.bigint()}`);
  const writing = pipeline(Readable.from(pack), plain.stream, createGzip(), stored.stream, createWriteStream(temp));
  writing.catch(() => undefined);
  const dirs = new Set<string>();
  let files = 0;
  const header = { uid: 0, gid: 0, uname: "root", gname: "root", mtime: new Date(0) };

  const put = (head: Partial<tar.Header> & { name: string }, body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (body) pack.entry(head, body, done);
      else pack.entry(head, done);
    });
  const parents = async (path: string) => {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      await put({ ...header, name: `${dir}/`, type: "directory", mode: 0o755 });
    }
  };
  return {
    async file(path, { size, mode = 0o644, body }) {
      await parents(path);
      files++;
      const sink = pack.entry({ ...header, name: path, type: "file", size, mode });
      const finished = new Promise<void>((resolve, reject) => {
        sink.once("finish", resolve);
        sink.once("error", reject);
      });
      let written = 0;
      for await (const chunk of body) {
        const part = chunk.subarray(0, size - written);
        written += part.length;
        if (part.length > 0 && !sink.write(part)) await new Promise<void>((r) => sink.once("drain", () => r()));
      }
      // A file that shrank while it was read: pad it, so the header's size stays true.
      if (written < size) sink.write(Buffer.alloc(size - written));
      sink.end(undefined);
      await finished;
    },
    async symlink(path, target) {
      await parents(path);
      await put({ ...header, name: path, type: "symlink", linkname: target, mode: 0o777 });
    },
    async finish() {
      pack.finalize();
      await writing;
      const digest = stored.result();
      renameSync(temp, join(blobDir, digest.digest.slice(7)));
      return {
        digest: digest.digest,
        size: digest.bytes,
        diffId: plain.result().digest,
        tarBytes: plain.result().bytes,
        files,
        createdBy,
      };
    },
  };
}

/** A file's content, read from disk in 1 MiB chunks (at most `size` bytes; none when it is gone). */
async function* fromDisk(path: string, size: number): AsyncGenerator<Buffer> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return;
  try {
    for (let at = 0; at < size; ) {
      const { bytesRead, buffer } = await handle.read(
        Buffer.allocUnsafe(Math.min(MIB, size - at)),
        0,
        Math.min(MIB, size - at),
        at,
      );
      if (bytesRead === 0) return;
      at += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Real files from this machine

interface SourceFile {
  /** Absolute path on this machine. */
  from: string;
  /** Path inside the image, without a leading slash. */
  to: string;
  size: number;
  mode: number;
  linkname?: string;
}

/** Regular files and symlinks under `root`, sorted, mapped to `prefix` in the image. */
function listFiles(root: string, prefix: string, skip: (path: string) => boolean = () => false): SourceFile[] {
  const out: SourceFile[] = [];
  const visit = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const from = join(dir, name);
      const to = rel ? `${rel}/${name}` : name;
      if (skip(from)) continue;
      const info = lstatSync(from, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) visit(from, to);
      else if (info.isFile()) out.push({ from, to, size: info.size, mode: info.mode & 0o7777 });
      else if (info.isSymbolicLink()) out.push({ from, to, size: 0, mode: 0o777, linkname: readlinkSync(from) });
    }
  };
  visit(root, prefix);
  return out;
}

/**
 * About `budget` tar bytes of `files`, spread evenly over the (sorted) list by bytes, so a sample
 * of /usr/lib has a little of every folder rather than all of the first few; `keep` forces files in.
 */
function spread(
  files: readonly SourceFile[],
  budget: number,
  keep: (f: SourceFile) => boolean = () => false,
): SourceFile[] {
  const total = files.reduce((sum, f) => sum + tarCost(f.size), 0);
  if (total <= budget) return [...files];
  const out: SourceFile[] = [];
  let seen = 0;
  let taken = 0;
  for (const f of files) {
    const cost = tarCost(f.size);
    seen += cost;
    if (keep(f) || taken + cost <= (budget * seen) / total + MIB) {
      out.push(f);
      taken += cost;
    }
  }
  return out;
}

const costOf = (files: readonly SourceFile[]) => files.reduce((sum, f) => sum + tarCost(f.size), 0);

async function copyFiles(layer: LayerWriter, files: readonly SourceFile[]): Promise<void> {
  for (const f of files) {
    if (f.linkname !== undefined) await layer.symlink(f.to, f.linkname);
    else await layer.file(f.to, { size: f.size, mode: f.mode, body: fromDisk(f.from, f.size) });
  }
}

const text = (s: string) => [Buffer.from(s)];
async function addText(layer: LayerWriter, path: string, content: string, mode = 0o644): Promise<void> {
  await layer.file(path, { size: Buffer.byteLength(content), mode, body: text(content) });
}

// ---------------------------------------------------------------------------------------------
// The image

/** AI packages a served-model image carries, as installed dist-info (the real wheels are huge). */
const AI_WHEELS: [name: string, version: string, libs: [file: string, mb: number][]][] = [
  [
    "torch",
    "2.3.1",
    [
      ["torch/lib/libtorch_cpu.so", 24],
      ["torch/lib/libtorch_python.so", 6],
    ],
  ],
  ["numpy", "1.26.4", [["numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", 4]]],
  ["safetensors", "0.4.3", [["safetensors/_safetensors_rust.cpython-311-x86_64-linux-gnu.so", 2]]],
  ["tokenizers", "0.19.1", [["tokenizers/tokenizers.cpython-311-x86_64-linux-gnu.so", 3]]],
  ["transformers", "4.41.2", []],
  ["vllm", "0.4.3", [["vllm/_C.abi3.so", 8]]],
];

/** A pickle (protocol 2) of `collections.OrderedDict()`, as a tiny state dict saves. */
const PICKLE = Buffer.from("\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01.", "latin1");

/** A safetensors file: 8-byte little-endian header length, the JSON header, then the tensors' bytes. */
function safetensors(dataBytes: number): { size: number; body: Generator<Buffer> } {
  const tensorBytes = 2 * 1024 * 1024;
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  for (let i = 0, at = 0; at < dataBytes; i++, at += tensorBytes) {
    const layer = Math.floor(i / 4);
    const kind = ["self_attn.q_proj", "self_attn.k_proj", "mlp.up_proj", "mlp.down_proj"][i % 4];
    header[`model.layers.${layer}.${kind}.weight`] = {
      dtype: "F16",
      shape: [1024, Math.min(tensorBytes, dataBytes - at) / 2048],
      data_offsets: [at, Math.min(at + tensorBytes, dataBytes)],
    };
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(8 + json.length);
  head.writeBigUInt64LE(BigInt(json.length), 0);
  head.write(json, 8);
  function* body() {
    yield head;
    yield* filler(dataBytes, 1, "safetensors-weights");
  }
  return { size: head.length + dataBytes, body: body() };
}

interface GeneratedImage {
  layers: WrittenLayer[];
  seconds: number;
}

async function generate(dir: string): Promise<GeneratedImage> {
  const started = performance.now();
  const blobDir = join(dir, "blobs/sha256");
  mkdirSync(blobDir, { recursive: true });
  const target = SIZE_MB * MIB;
  const modelCost = MODEL_BYTES + 4 * MIB;
  const pythonBudget = Math.round(0.12 * target);
  const nodeFiles = listFiles(join(ROOT, "node_modules"), "app/node_modules");
  const nodeBudget = Math.min(costOf(nodeFiles), target - modelCost - pythonBudget - MIN_BASE_BYTES);
  const baseBudget = target - modelCost - pythonBudget - nodeBudget;
  const layers: WrittenLayer[] = [];

  log(`base layer (~${Math.round(baseBudget / MIB)} MiB)`);
  let layer = createLayerWriter(blobDir, "ADD rootfs.tar.xz / # debian:bookworm-like base");
  const status = readFileSync("/var/lib/dpkg/status");
  await layer.file("var/lib/dpkg/status", { size: status.length, body: [status] });
  await addText(layer, "etc/os-release", readFileSync("/etc/os-release", "utf8"));
  await addText(layer, "etc/debian_version", "12.8\n");
  await addText(layer, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/app:/bin/sh\n");
  const system = [
    ...listFiles("/usr/lib", "usr/lib", (p) => p === "/usr/lib/python3"),
    ...listFiles("/usr/share", "usr/share"),
  ];
  await copyFiles(layer, spread(system, baseBudget - status.length - 8 * 1024));
  layers.push(await layer.finish());

  log(`python layer (~${Math.round(pythonBudget / MIB)} MiB)`);
  layer = createLayerWriter(blobDir, "RUN pip install torch vllm transformers # python");
  const distPackages = listFiles("/usr/lib/python3/dist-packages", "usr/lib/python3/dist-packages");
  const python = spread(distPackages, pythonBudget / 2, (f) => /\.(dist|egg)-info(\/|$)/.test(f.to));
  await copyFiles(layer, python);
  const site = "usr/local/lib/python3.11/site-packages";
  const libMb = AI_WHEELS.flatMap(([, , libs]) => libs.map(([, mb]) => mb)).reduce((a, b) => a + b, 0);
  const libScale = Math.max(0, pythonBudget - costOf(python)) / (libMb * MIB);
  for (const [name, version, libs] of AI_WHEELS) {
    const info = `${site}/${name}-${version}.dist-info`;
    await addText(
      layer,
      `${info}/METADATA`,
      `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${name} for the image-scan bench\nLicense: BSD-3-Clause\nRequires-Python: >=3.8\n\n${name} long description.\n`,
    );
    await addText(layer, `${info}/RECORD`, libs.map(([file]) => `${file},,\n`).join(""));
    await addText(layer, `${info}/WHEEL`, "Wheel-Version: 1.0\nGenerator: bdist_wheel\nRoot-Is-Purelib: false\n");
    for (const [file, mb] of libs) {
      const size = Math.floor(mb * MIB * libScale);
      const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
      await layer.file(`${site}/${file}`, { size, mode: 0o755, body: filler(size, 0.5, file, elf) });
    }
  }
  layers.push(await layer.finish());

  log(`node_modules layer (~${Math.round(nodeBudget / MIB)} MiB of ${Math.round(costOf(nodeFiles) / MIB)})`);
  layer = createLayerWriter(blobDir, "COPY node_modules /app/node_modules # app");
  await copyFiles(
    layer,
    spread(nodeFiles, nodeBudget, (f) => f.to.endsWith("/package.json")),
  );
  await addText(layer, "app/package.json", readFileSync(join(ROOT, "package.json"), "utf8"));
  layers.push(await layer.finish());

  log(`model layer (${Math.round(MODEL_BYTES / MIB)} MiB safetensors)`);
  layer = createLayerWriter(blobDir, "COPY models /models # model");
  const model = "models/llama-mini";
  const weights = safetensors(MODEL_BYTES);
  await layer.file(`${model}/model.safetensors`, { size: weights.size, body: weights.body });
  await addText(
    layer,
    `${model}/config.json`,
    JSON.stringify(
      { architectures: ["LlamaForCausalLM"], hidden_size: 1024, num_hidden_layers: 12, torch_dtype: "float16" },
      null,
      2,
    ),
  );
  const words = SYMBOL_WORDS.split(" ");
  const vocab = Object.fromEntries(Array.from({ length: 32_000 }, (_, i) => [`${words[i % words.length]}${i}`, i]));
  await addText(layer, `${model}/tokenizer.json`, JSON.stringify({ version: "1.0", model: { type: "BPE", vocab } }));
  await layer.file("models/classifier/model.pkl", { size: PICKLE.length, body: [PICKLE] });
  layers.push(await layer.finish());

  log("config layer");
  layer = createLayerWriter(blobDir, "COPY entrypoint.sh /app/ # config");
  await addText(
    layer,
    "app/entrypoint.sh",
    '#!/bin/sh\nexec python3 -m vllm.entrypoints.openai.api_server "$@"\n',
    0o755,
  );
  await addText(layer, "app/.wh.README.md", "");
  layers.push(await layer.finish());

  writeLayout(dir, layers);
  return { layers, seconds: (performance.now() - started) / 1000 };
}

/** index.json (one manifest tagged `bench`), the manifest and the config, as the OCI image spec lays them out. */
function writeLayout(dir: string, layers: readonly WrittenLayer[]): void {
  const put = (value: unknown) => {
    const bytes = Buffer.from(JSON.stringify(value));
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    writeFileSync(join(dir, "blobs/sha256", digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const config = put({
    architecture: "amd64",
    os: "linux",
    created: "2026-01-01T00:00:00Z",
    config: {
      User: "1000",
      Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "HF_HOME=/models"],
      Entrypoint: ["/app/entrypoint.sh"],
      Cmd: ["--model", "/models/llama-mini", "--port", "8000"],
      ExposedPorts: { "8000/tcp": {} },
      WorkingDir: "/app",
    },
    rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created: "2026-01-01T00:00:00Z", created_by: l.createdBy })),
  });
  const manifest = put({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: layers.map((l) => ({
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: l.digest,
      size: l.size,
    })),
  });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          ...manifest,
          annotations: { "org.opencontainers.image.ref.name": TAG },
        },
      ],
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Children: one measurement each, in a fresh plain `node` (no TypeScript loader, see the header),
// timed inside (module loading excluded), peak RSS read at the end.

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

/** The layer descriptors of the layout's image tagged TAG (through an index to linux/amd64). */
function layoutLayers(dir: string): Descriptor[] {
  const blob = (d: Descriptor) => JSON.parse(readFileSync(join(dir, "blobs", ...d.digest.split(":")), "utf8"));
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] };
  const tagged = index.manifests.filter((m) => m.annotations?.["org.opencontainers.image.ref.name"] === TAG);
  let document = blob(tagged[0] ?? (index.manifests[0] as Descriptor));
  while (Array.isArray(document.manifests)) {
    const manifests = document.manifests as Descriptor[];
    const pick =
      manifests.find((m) => m.platform?.os === "linux" && m.platform.architecture === "amd64") ?? manifests[0];
    document = blob(pick as Descriptor);
  }
  return document.layers as Descriptor[];
}

/** Shared by both child scripts: prints the measurement with CPU time and peak RSS (VmHWM, else maxRSS). */
const REPORT = `
const baselineRssMb = process.memoryUsage.rss() / 1048576;
const cpu = process.cpuUsage();
const started = performance.now();
const report = (result) => {
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const kb = /VmHWM:\\s+(\\d+) kB/.exec(fs.existsSync("/proc/self/status") ? fs.readFileSync("/proc/self/status", "utf8") : "")?.[1];
  const peakRssMb = kb ? Number(kb) / 1024 : process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...result, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb, baselineRssMb }) + "\\n");
};`;

/** Decompress only: read each blob, gunzip it, parse the tar, discard every entry's content. */
const DECOMPRESS_CHILD = `
import fs from "node:fs";
import { createRequire } from "node:module";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
const [root, layersJson] = process.argv.slice(1);
const tar = createRequire(root + "/package.json")("tar-stream");
${REPORT}
let entries = 0;
let bytes = 0;
for (const { path, gzip } of JSON.parse(layersJson)) {
  const extract = tar.extract();
  const stages = [fs.createReadStream(path, { highWaterMark: 1 << 20 }), ...(gzip ? [createGunzip({ chunkSize: 1 << 20 })] : []), extract];
  const feeding = pipeline(stages);
  feeding.catch(() => {});
  for await (const entry of extract) {
    entries++;
    bytes += entry.header.size ?? 0;
    entry.resume();
  }
  await feeding;
}
report({ entries, bytes });`;

/** The scan: scanImage with the defaults, from the module given (dist's JS, or src's TS under tsx). */
const SCAN_CHILD = `
import fs from "node:fs";
const [module, reference] = process.argv.slice(1);
const { defaultScanOptions, scanImage } = await import(module);
${REPORT}
const r = await scanImage(reference, defaultScanOptions());
const packagesByEcosystem = {};
for (const p of r.packages) packagesByEcosystem[p.ecosystem] = (packagesByEcosystem[p.ecosystem] ?? 0) + 1;
report({
  packages: r.packages.length,
  packagesByEcosystem,
  models: r.models.length,
  modelPaths: r.models.map((m) => m.path),
  ai: r.ai.length,
  findings: r.findings.length,
  warnings: r.warnings.length,
  firstWarnings: r.warnings.slice(0, 5),
  files: r.totals.files,
  os: r.os?.prettyName,
  servedModel: r.servedModel?.model,
});`;

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  baselineRssMb: number;
  [key: string]: unknown;
}

function runChild(script: string, argv: string[], nodeFlags: string[] = []): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeFlags, "--input-type=module", "-e", script, ...argv], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    proc.once("error", reject);
    proc.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as ChildResult);
    });
  });
}

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * The scanner's module and the node flags to load it: src/ under tsx, or dist/, built first when
 * older than src/ (as bench/gateway.ts does); a failed build (someone's half-edited src/) is
 * reported in the output and dist/ measured as it is.
 */
function scannerModule(): { module: string; flags: string[]; build?: string } {
  if (FROM === "src")
    return { module: pathToFileURL(join(ROOT, "src/scan/image/index.ts")).href, flags: ["--import", "tsx"] };
  const entry = join(ROOT, "dist/scan/image/index.js");
  let build: string | undefined;
  if (!existsSync(entry) || newest(join(ROOT, "dist")) < newest(join(ROOT, "src"))) {
    log("building dist/ (npm run build) ...");
    try {
      execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
      build = "rebuilt from src/";
    } catch {
      if (!existsSync(entry)) throw new Error("npm run build failed and there is no dist/ to measure");
      build = "npm run build failed (tsc still emits what it can): measured dist/ as it is";
      log(build);
    }
  }
  return { module: pathToFileURL(entry).href, flags: [], ...(build ? { build } : {}) };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time in a `--cpu-prof` profile. */
function topFunctions(file: string, count = 15) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    if (!frame) return;
    const where = frame.url
      ? `${frame.url.replace(`file://${ROOT}`, "").replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}`
      : "";
    self.set(
      `${frame.functionName || "(anonymous)"} ${where}`.trim(),
      (self.get(`${frame.functionName || "(anonymous)"} ${where}`.trim()) ?? 0) + delta,
    );
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, us]) => ({ function: fn, selfMs: Math.round(us / 1000), selfPercent: round((100 * us) / total, 1) }));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg();
  const dir = IMAGE ?? mkdtempSync(join(tmpdir(), "palisade-bench-image-"));
  try {
    const generated = IMAGE ? undefined : await generate(dir);
    if (generated) log(`generated in ${generated.seconds.toFixed(1)} s`);
    if (KEEP && !IMAGE) log(`image kept at oci:${dir}:${TAG}`);
    const layers = layoutLayers(dir);
    const layerArg = JSON.stringify(
      layers.map((l) => ({ path: join(dir, "blobs", ...l.digest.split(":")), gzip: /gzip/.test(l.mediaType ?? "") })),
    );
    if (layers.some((l) => /zstd/.test(l.mediaType ?? "")))
      throw new Error("zstd layers: the decompress-only baseline reads gzip and plain tars");
    const scanner = scannerModule();
    const reference = `oci:${dir}:${TAG}`;
    const decompressOnly = (flags: string[] = []) => runChild(DECOMPRESS_CHILD, [ROOT, layerArg], flags);
    const scan = (flags: string[] = []) =>
      runChild(SCAN_CHILD, [scanner.module, reference], [...scanner.flags, ...flags]);

    const decompress: ChildResult[] = [];
    const scans: ChildResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      log(`run ${run}/${RUNS}: decompress-only`);
      decompress.push(await decompressOnly());
      log(`  ${decompress.at(-1)?.seconds.toFixed(2)} s, peak ${decompress.at(-1)?.peakRssMb.toFixed(0)} MiB`);
      log(`run ${run}/${RUNS}: scan`);
      scans.push(await scan());
      log(`  ${scans.at(-1)?.seconds.toFixed(2)} s, peak ${scans.at(-1)?.peakRssMb.toFixed(0)} MiB`);
    }
    let profile: ReturnType<typeof topFunctions> | undefined;
    if (PROFILE) {
      const profileDir = mkdtempSync(join(tmpdir(), "palisade-bench-image-prof-"));
      log("profiled scan");
      await scan(["--cpu-prof", `--cpu-prof-dir=${profileDir}`]);
      const file = readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
      if (file) profile = topFunctions(join(profileDir, file));
      rmSync(profileDir, { recursive: true, force: true });
    }

    const best = (runs: ChildResult[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const peak = (runs: ChildResult[]) => Math.max(...runs.map((r) => r.peakRssMb));
    const d = best(decompress);
    const s = best(scans);
    const ratio = s.seconds / d.seconds;
    const scanPeak = peak(scans);
    const tarBytes = Number(d.bytes);
    const report = {
      benchmark: "image-scan",
      image: {
        generated: !IMAGE,
        uncompressedBytes: generated ? generated.layers.reduce((sum, l) => sum + l.tarBytes, 0) : undefined,
        compressedBytes: layers.reduce((sum, l) => sum + (l.size ?? 0), 0),
        fileContentBytes: tarBytes,
        layers: layers.length,
        files: s.files,
        entries: d.entries,
        perLayer: generated?.layers.map((l) => ({
          createdBy: l.createdBy,
          files: l.files,
          uncompressedMb: round(l.tarBytes / MIB, 1),
          compressedMb: round(l.size / MIB, 1),
        })),
        generateSeconds: generated ? round(generated.seconds, 1) : undefined,
      },
      decompressSeconds: round(d.seconds),
      scanSeconds: round(s.seconds),
      ratio: { scanOverDecompress: round(ratio), target: TARGET_RATIO, met: ratio <= TARGET_RATIO },
      cpuSeconds: {
        decompress: round(d.cpuSeconds),
        scan: round(s.cpuSeconds),
        ratio: round(s.cpuSeconds / d.cpuSeconds),
      },
      peakRssMb: {
        scan: round(scanPeak, 0),
        target: TARGET_PEAK_MB,
        met: scanPeak <= TARGET_PEAK_MB,
        decompressOnly: round(peak(decompress), 0),
        childBaseline: round(s.baselineRssMb, 0),
      },
      packages: s.packages,
      packagesByEcosystem: s.packagesByEcosystem,
      models: s.models,
      modelPaths: s.modelPaths,
      ai: s.ai,
      findings: s.findings,
      warnings: s.warnings,
      firstWarnings: s.firstWarnings,
      os: s.os,
      servedModel: s.servedModel,
      runs: {
        decompress: decompress.map((r) => ({
          seconds: round(r.seconds),
          cpuSeconds: round(r.cpuSeconds),
          peakRssMb: round(r.peakRssMb, 0),
        })),
        scan: scans.map((r) => ({
          seconds: round(r.seconds),
          cpuSeconds: round(r.cpuSeconds),
          peakRssMb: round(r.peakRssMb, 0),
        })),
      },
      ...(profile ? { scanProfile: profile } : {}),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryMb: Math.round(totalmem() / MIB),
        node: process.version,
        loadAverageBefore: loadBefore.map((l) => round(l)),
        loadAverageAfter: loadavg().map((l) => round(l)),
      },
      settings: {
        sizeMb: SIZE_MB,
        runs: RUNS,
        tag: TAG,
        scannerFrom: FROM,
        ...(scanner.build ? { build: scanner.build } : {}),
      },
      totalSeconds: round((performance.now() - started) / 1000, 1),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    if (!IMAGE && !KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
