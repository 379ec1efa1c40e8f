/**
 * `scan image`: open the image, stream its layers once into the merged file system (keeping
 * only what analyzers read), then report packages, the AI layer (SDKs, frameworks, inference
 * and MCP servers, GPU libraries, model files and the model served) and misconfiguration.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Finding } from "../../core/index.js";
import { createSecretsDetector, type TextDetector } from "../../detect/index.js";
import { type AdvisoryLookup, matchPackage, toFinding, type VulnMatch } from "../../vuln/index.js";
import { loadAiCatalog } from "../code/index.js";
import { MODEL_EXTENSIONS, type ModelScanResult, scanModelFile, toFindings } from "../model/index.js";
import { type AiComponent, createAiClassifier, servedModel } from "./ai.js";
import { checkConfig, checkFiles } from "./checks.js";
import { readDirectory } from "./dir-tree.js";
import { DEFAULT_LAYER_LIMITS, type FsNode, type LayerLimits, type LayerSummary, readLayers, walk } from "./layers.js";
import { isSecretCandidate, MAX_SECRET_FILE_BYTES, secretFileFindings } from "./secret-files.js";
import { type OpenOptions, openImage } from "./source/open.js";
import type { Analyzer, FoundPackage, ImageFile, OsRelease } from "./types.js";

export interface ImageScanOptions extends OpenOptions {
  analyzers: readonly Analyzer[];
  /** Finds the OS first (its result is context for the package analyzers). */
  osAnalyzer?: Pick<Analyzer, "wants" | "maxBytes"> & { find(files: readonly ImageFile[]): OsRelease | undefined };
  limits?: Partial<LayerLimits>;
  /** Scan model files found in layers (default true). */
  models?: boolean;
  secrets?: TextDetector;
  /** Read configuration, scripts and credential files for secrets (default true). */
  fileSecrets?: boolean;
  /**
   * OSV advisories to match the packages against, or a function that fetches those for the
   * packages found (a store lookup); without them no vulnerability is reported.
   */
  advisories?: AdvisoryLookup | ((packages: readonly FoundPackage[]) => Promise<AdvisoryLookup | undefined>);
}

/** What an analyzer's extractor kept of a file, attached to its node by the layer reader. */
interface Extracted {
  extractedBy: string;
  content: Buffer;
}

export interface FoundModel {
  path: string;
  layer: number;
  result: ModelScanResult;
}

export interface ImageScanReport {
  reference: string;
  source: string;
  digest?: string;
  tags: string[];
  platform?: string;
  os?: OsRelease;
  config: { user?: string; entrypoint: string[]; cmd: string[]; exposedPorts: string[]; workingDir?: string };
  layers: (LayerSummary & { createdBy?: string })[];
  packages: FoundPackage[];
  ai: AiComponent[];
  models: FoundModel[];
  servedModel?: { model: string; from: string };
  /** Vulnerabilities of the packages; undefined when no advisories were given (not "none found"). */
  vulnerabilities?: (VulnMatch & { path: string; layer: number })[];
  findings: Finding[];
  warnings: string[];
  totals: { files: number; bytes: number };
}

/** Built once per process: compiling the secret rules and the AI catalog costs ~0.5 s each time. */
let secretsCache: TextDetector | undefined;
const secretsDetector = () => {
  secretsCache ??= createSecretsDetector();
  return secretsCache;
};
let classifierCache: ReturnType<typeof createAiClassifier> | undefined;
const aiClassifier = () => {
  classifierCache ??= createAiClassifier(loadAiCatalog());
  return classifierCache;
};

export async function scanImage(reference: string, options: ImageScanOptions): Promise<ImageScanReport> {
  const image = await openImage(reference, options);
  const limits = { ...DEFAULT_LAYER_LIMITS, ...options.limits };
  const secretsReader = { name: "secrets", wants: isSecretCandidate, maxBytes: MAX_SECRET_FILE_BYTES };
  const readers = [
    ...(options.osAnalyzer ? [{ name: "os-release", ...options.osAnalyzer }] : []),
    ...options.analyzers,
    ...(options.fileSecrets === false ? [] : [secretsReader]),
  ];
  const overCap: string[] = [];
  const wants = (path: string, size: number, mode: number) => {
    let wanted = false;
    for (const reader of readers) {
      if (!reader.wants(path, size, mode)) continue;
      if (size <= (reader.maxBytes ?? Number.POSITIVE_INFINITY)) wanted = true;
      else
        overCap.push(`${reader.name}: /${path} (${size} bytes) was not read: over its ${reader.maxBytes}-byte limit`);
    }
    return wanted;
  };
  const spool = options.models === false ? undefined : await mkdtemp(join(tmpdir(), "palisade-image-"));
  const extractors = options.analyzers.flatMap((a) => (a.extractor ? [{ name: a.name, ...a.extractor }] : []));
  try {
    const visitor = {
      wants,
      mayTake: (path: string, size: number, mode: number) => extractors.some((e) => e.wants(path, size, mode)),
      take: (path: string, size: number, mode: number, head: Buffer) => {
        const model = spool ? modelTaker(spool, path, size, head) : undefined;
        if (model) return model;
        for (const extractor of extractors) {
          const consume = extractor.wants(path, size, mode) ? extractor.start(head, size) : undefined;
          if (consume)
            return async (stream: Readable): Promise<Extracted | undefined> => {
              const content = await consume(stream);
              return content ? { extractedBy: extractor.name, content } : undefined;
            };
        }
        return undefined;
      },
    };
    const fs = image.rootDir
      ? await readDirectory(image.rootDir, visitor, limits)
      : await readLayers(image.layers, visitor, limits);
    const files: ImageFile[] = [];
    const models: FoundModel[] = [];
    const ai: AiComponent[] = [];
    const classifier = aiClassifier();
    let count = 0;
    let bytes = 0;
    const all: [string, FsNode][] = [];
    for (const [path, node] of walk(fs.root)) {
      all.push([path, node]);
      if (node.type !== "file") continue;
      count++;
      bytes += node.size;
      const common = { path, size: node.size, mode: node.mode, uid: node.uid, gid: node.gid, layer: node.layer };
      if (node.content) files.push({ ...common, content: node.content });
      const note = node.note as ModelScanResult | Extracted | undefined;
      if (note && "extractedBy" in note) files.push({ ...common, ...note });
      else if (note) models.push({ path: `/${path}`, layer: node.layer, result: { ...note, path: `/${path}` } });
      const found = classifier.classifyFile(path, node.mode, node.layer);
      if (found) ai.push(found);
    }
    if (image.rootDir && spool) models.push(...(await scanDirModels(image.rootDir, all)));

    const os = options.osAnalyzer?.find(files);
    const packages: FoundPackage[] = [];
    const warnings = [...fs.warnings, ...overCap];
    for (const analyzer of options.analyzers) {
      const wanted = files.filter((f) =>
        f.extractedBy === undefined
          ? analyzer.wants(f.path, f.size, f.mode) && f.size <= (analyzer.maxBytes ?? Number.POSITIVE_INFINITY)
          : f.extractedBy === analyzer.name,
      );
      if (wanted.length === 0) continue;
      try {
        const result = analyzer.analyze(wanted, os ? { os } : {});
        packages.push(...result.packages);
        warnings.push(...result.warnings.map((w) => `${analyzer.name}: ${w}`));
      } catch (error) {
        warnings.push(`${analyzer.name}: failed (${(error as Error)?.message ?? error})`);
      }
    }
    for (const pkg of packages) ai.push(...classifier.classifyPackage(pkg));

    const advisories =
      typeof options.advisories === "function" ? await options.advisories(packages) : options.advisories;
    const vulnerabilities = advisories
      ? packages.flatMap((pkg) =>
          // A package without a version cannot be placed in any range: every advisory would match.
          pkg.version === ""
            ? []
            : matchPackage(pkg, advisories).map((m) => ({ ...m, path: `/${pkg.path}`, layer: pkg.layer })),
        )
      : undefined;
    const cfg = image.config.config ?? {};
    const served = servedModel(cfg.Entrypoint ?? [], cfg.Cmd ?? [], cfg.Env ?? []);
    const findings = [
      ...checkConfig(image.config, options.secrets ?? secretsDetector()),
      ...(options.fileSecrets === false
        ? []
        : secretFileFindings(
            files.filter(
              (f) =>
                f.extractedBy === undefined &&
                f.size <= MAX_SECRET_FILE_BYTES &&
                isSecretCandidate(f.path, f.size, f.mode),
            ),
            options.secrets ?? secretsDetector(),
          )),
      ...checkFiles(all),
      ...(vulnerabilities ?? []).map((v) => ({ ...toFinding(v), location: { path: v.path, layer: String(v.layer) } })),
      ...models.flatMap((m) =>
        toFindings(m.result).map((f) => ({
          ...f,
          location: { ...f.location, path: f.location?.path ?? m.path, layer: String(m.layer) },
        })),
      ),
    ];
    const history = (image.config.history ?? []).filter((h) => !h.empty_layer);
    return {
      reference,
      source: image.source,
      ...(image.digest ? { digest: image.digest } : {}),
      tags: image.tags,
      ...(image.platform
        ? {
            platform: [image.platform.os, image.platform.architecture, image.platform.variant]
              .filter(Boolean)
              .join("/"),
          }
        : {}),
      ...(os ? { os } : {}),
      config: {
        ...(cfg.User ? { user: cfg.User } : {}),
        entrypoint: cfg.Entrypoint ?? [],
        cmd: cfg.Cmd ?? [],
        exposedPorts: Object.keys(cfg.ExposedPorts ?? {}),
        ...(cfg.WorkingDir ? { workingDir: cfg.WorkingDir } : {}),
      },
      layers: fs.layers.map((l, i) => ({
        ...l,
        ...(history[i]?.created_by ? { createdBy: history[i]?.created_by } : {}),
      })),
      packages,
      ai,
      models,
      ...(served ? { servedModel: served } : {}),
      ...(vulnerabilities ? { vulnerabilities } : {}),
      findings,
      warnings,
      totals: { files: count, bytes },
    };
  } finally {
    await image.close();
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

const GGUF = Buffer.from("GGUF");
const HDF5 = Buffer.from([0x89, 0x48, 0x44, 0x46]);

/** Whether a file's name or first bytes say it is a model (content wins over a missing extension). */
export function looksLikeModel(path: string, head: Buffer): boolean {
  // `.pth` is also Python's path-configuration text file (site-packages/*.pth): a PyTorch
  // checkpoint with that name is a zip or a pickle, so the content decides.
  if (/\.pth$/i.test(path)) return (head[0] === 0x50 && head[1] === 0x4b) || head[0] === 0x80;
  if (MODEL_EXTENSIONS.test(path) && !/\.(tar|zip|bin|dat|data|model)$/i.test(path)) return true;
  if (head.subarray(0, 4).equals(GGUF) || head.subarray(0, 4).equals(HDF5)) return true;
  // Pickle protocol 2-5, as torch.save and joblib write it.
  if (head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5) return true;
  // safetensors: an 8-byte little-endian header length, then a JSON object.
  if (head.length >= 10 && head[8] === 0x7b && head[9] === 0x22 && head.readBigUInt64LE(0) < 100_000_000n) return true;
  return (
    MODEL_EXTENSIONS.test(path) &&
    /\.(bin|model)$/i.test(path) &&
    /(pytorch_model|model|weights|checkpoint)/i.test(path)
  );
}

/**
 * A model file met in a layer is copied to a temporary file and scanned there: the model
 * scanner reads by offset, and holding a multi-gigabyte checkpoint in memory is not an option.
 */
function modelTaker(spool: string, path: string, size: number, head: Buffer) {
  if (size === 0 || !looksLikeModel(path, head)) return undefined;
  return async (stream: Readable): Promise<ModelScanResult | undefined> => {
    const file = join(
      spool,
      `${Date.now()}-${Math.random().toString(36).slice(2)}-${path.slice(path.lastIndexOf("/") + 1)}`,
    );
    try {
      await pipeline(stream, createWriteStream(file));
      return await scanModelFile(file);
    } finally {
      await rm(file, { force: true });
    }
  };
}

async function scanDirModels(root: string, files: readonly [string, FsNode][]): Promise<FoundModel[]> {
  const out: FoundModel[] = [];
  for (const [path, node] of files) {
    if (node.type !== "file" || !MODEL_EXTENSIONS.test(path)) continue;
    const result = await scanModelFile(join(root, path)).catch(() => undefined);
    if (result) out.push({ path: `/${path}`, layer: 0, result: { ...result, path: `/${path}` } });
  }
  return out;
}
