/**
 * Images written by tests, without a container engine: layers as tars built in code (gzip,
 * zstd through Debian's `zstd` tool, or plain), saved as OCI layouts (folders or tars, with
 * multi-platform indexes) or as `docker save` archives.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as tar from "tar-stream";

export interface FileSpec {
  path: string;
  content?: string | Buffer;
  mode?: number;
  type?: "file" | "directory" | "symlink" | "link";
  linkname?: string;
  uid?: number;
}

export interface LayerSpec {
  files: FileSpec[];
  compression?: "gzip" | "zstd" | "none";
  createdBy?: string;
}

export interface BuiltLayer {
  blob: Buffer;
  digest: string;
  diffId: string;
  mediaType: string;
  createdBy?: string;
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

export async function tarOf(files: readonly FileSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const f of files) {
    const type = f.type ?? "file";
    const body = type === "file" ? Buffer.from(f.content ?? "") : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: f.path,
        type,
        mode: f.mode ?? (type === "directory" ? 0o755 : 0o644),
        uid: f.uid ?? 0,
        gid: 0,
        mtime: new Date(0),
        ...(f.linkname ? { linkname: f.linkname } : {}),
      };
      if (body) pack.entry(header, body, (e) => (e ? reject(e) : resolve()));
      else pack.entry(header, (e) => (e ? reject(e) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function compress(bytes: Buffer, how: LayerSpec["compression"] = "gzip"): Buffer {
  if (how === "none") return bytes;
  if (how === "gzip") return gzipSync(bytes);
  const run = spawnSync("zstd", ["-q", "-c", "-3"], { input: bytes, maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`zstd failed: ${run.stderr}`);
  return run.stdout;
}

export async function buildLayer(spec: LayerSpec): Promise<BuiltLayer> {
  const plain = await tarOf(spec.files);
  const blob = compress(plain, spec.compression);
  const suffix = spec.compression === "none" ? "" : spec.compression === "zstd" ? "+zstd" : "+gzip";
  return {
    blob,
    digest: sha256(blob),
    diffId: sha256(plain),
    mediaType: `application/vnd.oci.image.layer.v1.tar${suffix}`,
    ...(spec.createdBy ? { createdBy: spec.createdBy } : {}),
  };
}

export interface ImageSpec {
  layers: BuiltLayer[];
  config?: Record<string, unknown>;
  platform?: { os: string; architecture: string; variant?: string };
}

function configOf(image: ImageSpec): Record<string, unknown> {
  const platform = image.platform ?? { os: "linux", architecture: "amd64" };
  return {
    ...platform,
    created: "2026-01-01T00:00:00Z",
    config: image.config ?? {},
    rootfs: { type: "layers", diff_ids: image.layers.map((l) => l.diffId) },
    history: image.layers.map((l) => ({ created_by: l.createdBy ?? "ADD files /" })),
  };
}

/** Write an OCI layout folder with one entry per tag; a tag may hold several platforms (an index). */
export function writeOciLayout(dir: string, tags: Record<string, ImageSpec | ImageSpec[]>): void {
  mkdirSync(join(dir, "blobs/sha256"), { recursive: true });
  const put = (bytes: Buffer) => {
    const digest = sha256(bytes);
    writeFileSync(join(dir, "blobs/sha256", digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const manifestOf = (image: ImageSpec) => {
    for (const l of image.layers) put(l.blob);
    const config = put(Buffer.from(JSON.stringify(configOf(image))));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
        layers: image.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
      }),
    );
    return { mediaType: "application/vnd.oci.image.manifest.v1+json", ...put(manifest) };
  };
  const manifests = Object.entries(tags).map(([tag, spec]) => {
    const annotations = { "org.opencontainers.image.ref.name": tag };
    if (!Array.isArray(spec)) return { ...manifestOf(spec), annotations };
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: spec.map((image) => ({
          ...manifestOf(image),
          platform: image.platform ?? { os: "linux", architecture: "amd64" },
        })),
      }),
    );
    return { mediaType: "application/vnd.oci.image.index.v1+json", ...put(index), annotations };
  });
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests }));
}

/** Write a `docker save` archive (the layout of Docker 25+: blobs named by digest). */
export async function writeDockerArchive(
  path: string,
  image: ImageSpec,
  repoTag = "example/app:latest",
): Promise<void> {
  const config = Buffer.from(JSON.stringify(configOf(image)));
  const configName = `blobs/sha256/${sha256(config).slice(7)}`;
  const files: FileSpec[] = [{ path: configName, content: config }];
  // Docker writes layers uncompressed into the archive.
  for (const l of image.layers) files.push({ path: `blobs/sha256/${l.digest.slice(7)}`, content: l.blob });
  files.push({
    path: "manifest.json",
    content: JSON.stringify([
      { Config: configName, RepoTags: [repoTag], Layers: image.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`) },
    ]),
  });
  writeFileSync(path, await tarOf(files));
}
