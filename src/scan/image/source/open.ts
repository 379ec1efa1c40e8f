/**
 * Opening an image by reference: `oci:PATH[:TAG]` (an OCI layout folder or a tar of one),
 * `docker-archive:PATH[:TAG]` (`docker save`), `dir:PATH` (a root file system), or a bare path
 * whose kind is recognised. Indexes are walked to the manifest of the wanted platform.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import type { Readable } from "node:stream";
import type { z } from "zod";
import { PalisadeError } from "../../../core/index.js";
import {
  type Descriptor,
  DockerArchiveManifestSchema,
  type ImageConfig,
  ImageConfigSchema,
  type ImageManifest,
  IndexSchema,
  isIndex,
  ManifestSchema,
  type Platform,
} from "../oci.js";
import { type BlobStore, folderStore, tarStore } from "./blobs.js";
import type { FileRegion } from "./file-digest.js";
import { parseRegistryReference, RegistryClient, type RegistryOptions } from "./registry.js";

/** One layer as stored: its digest (when known) and a way to read its bytes. */
export interface LayerRef {
  index: number;
  /** `sha256:...` of the stored (usually compressed) bytes; checked while they are read. */
  digest?: string;
  /** Where it is in the archive or layout, for messages. */
  name: string;
  mediaType?: string;
  size?: number;
  open(): Promise<Readable>;
  /** The stored bytes as a region of a local file, when they are one (hashed off the main thread). */
  region?: FileRegion;
}

export interface OpenedImage {
  /** What the user asked for. */
  reference: string;
  source: "oci" | "docker-archive" | "dir" | "registry";
  /** Digest of the manifest (OCI layouts), else of the config (the image id of `docker save`). */
  digest?: string;
  tags: string[];
  platform?: Platform;
  config: ImageConfig;
  layers: LayerRef[];
  /** For `dir:` sources: the folder that is the root file system. */
  rootDir?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `os/arch[/variant]`; default linux/amd64. */
  platform?: string;
  registry?: RegistryOptions;
}

/** Manifests and configs are small; anything larger than this is not one. */
const DOCUMENT_LIMIT = 4 * 1024 * 1024;
/** Indexes inside indexes: deeper than this is a loop or an attack. */
const MAX_INDEX_DEPTH = 4;

export async function openImage(reference: string, options: OpenOptions = {}): Promise<OpenedImage> {
  const registry = /^(?:registry|docker):\/*(.+)$/s.exec(reference);
  if (registry) return openRegistry(reference, registry[1] as string, options);
  const parsed = parseReference(reference);
  if (parsed.kind === "dir") return openDir(reference, parsed.path);
  const isFolder = statSync(parsed.path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const store = isFolder ? folderStore(parsed.path) : await tarStore(parsed.path);
  try {
    const kind = parsed.kind === "auto" ? await detectKind(store) : parsed.kind;
    return kind === "oci"
      ? await openLayout(reference, store, parsed.tag, options)
      : await openDockerArchive(reference, store, parsed.tag);
  } catch (error) {
    await store.close();
    throw error;
  }
}

type ParsedReference = { kind: "oci" | "docker-archive" | "dir" | "auto"; path: string; tag?: string };

/** Split `kind:PATH[:TAG]`; the tag is taken only when PATH alone exists. */
export function parseReference(reference: string): ParsedReference {
  const m = /^(oci|docker-archive|dir|registry|docker):(.*)$/s.exec(reference);
  if (m?.[1] === "registry" || m?.[1] === "docker")
    throw new PalisadeError(
      "bad-usage",
      `${reference}: registry sources are not supported yet; copy the image to an OCI layout (skopeo copy docker://... oci:DIR:TAG) and scan that`,
      {
        input: reference,
      },
    );
  const kind = (m?.[1] as ParsedReference["kind"] | undefined) ?? "auto";
  const rest = m ? (m[2] ?? "") : reference;
  if (rest === "") throw new PalisadeError("bad-usage", `${reference}: no path given`, { input: reference });
  if (existsSync(rest) || kind === "dir") return { kind, path: rest };
  const colon = rest.lastIndexOf(":");
  if (colon > 0 && existsSync(rest.slice(0, colon)))
    return { kind, path: rest.slice(0, colon), tag: rest.slice(colon + 1) };
  throw new PalisadeError("bad-input", `${reference}: no such file or folder`, { input: reference });
}

async function detectKind(store: BlobStore): Promise<"oci" | "docker-archive"> {
  if ((await store.size("manifest.json")) !== undefined && (await store.size("index.json")) === undefined)
    return "docker-archive";
  if ((await store.size("index.json")) !== undefined) return "oci";
  throw new PalisadeError(
    "bad-input",
    `${store.label}: neither an OCI layout (no index.json) nor a docker archive (no manifest.json)`,
    {
      input: store.label,
    },
  );
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** A JSON document of the store, checked against its digest when it is named by one. */
async function readDocument<T extends z.ZodTypeAny>(
  store: BlobStore,
  name: string,
  schema: T,
  what: string,
  digest?: string,
): Promise<{ value: z.infer<T>; bytes: Buffer }> {
  const bytes = await store.read(name, DOCUMENT_LIMIT);
  if (digest?.startsWith("sha256:") && sha256(bytes) !== digest)
    throw new PalisadeError("bad-input", `${store.label}: ${what} ${name} does not match its digest ${digest}`, {
      input: store.label,
    });
  const value = parseWith(schema, parseJson(bytes, store.label, `${what} ${name}`), store.label, `${what} ${name}`);
  return { value, bytes };
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(":");
  return `blobs/${algorithm}/${hex}`;
}

/** `os/arch[/variant]` as a platform; linux/amd64 when not given. */
export function parsePlatform(text = "linux/amd64"): Platform {
  const [os, architecture, variant] = text.split("/");
  if (!os || !architecture)
    throw new PalisadeError("bad-usage", `--platform ${text}: expected os/arch[/variant], e.g. linux/arm64`, {
      input: text,
    });
  return variant ? { os, architecture, variant } : { os, architecture };
}

function matches(want: Platform, have: Platform | undefined): boolean {
  if (!have) return false;
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  return !want.variant || !have.variant || want.variant === have.variant;
}

const describePlatform = (p: Platform | undefined) =>
  p ? [p.os, p.architecture, p.variant].filter(Boolean).join("/") : "unknown";

async function openLayout(
  reference: string,
  store: BlobStore,
  tag: string | undefined,
  options: OpenOptions,
): Promise<OpenedImage> {
  const want = parsePlatform(options.platform);
  const { value: top } = await readDocument(store, "index.json", IndexSchema, "index");
  const tagged = (d: Descriptor) => d.annotations?.["org.opencontainers.image.ref.name"];
  let candidates = top.manifests;
  if (tag !== undefined) {
    candidates = candidates.filter((d) => tagged(d) === tag);
    if (candidates.length === 0) {
      const tags = top.manifests.map(tagged).filter(Boolean);
      throw new PalisadeError(
        "bad-input",
        `${store.label}: no image tagged ${tag} (tags: ${tags.join(", ") || "none"})`,
        {
          input: store.label,
        },
      );
    }
  }
  const tags = [...new Set(candidates.map(tagged).filter((t): t is string => t !== undefined))];
  // Several images and no tag: ambiguous unless they are one image's platforms.
  if (tag === undefined && new Set(candidates.map(tagged)).size > 1)
    throw new PalisadeError(
      "bad-usage",
      `${store.label}: holds several images; name one as oci:PATH:TAG (tags: ${tags.join(", ")})`,
      {
        input: reference,
      },
    );

  const fetchManifest = async (digest: string) => (await store.read(blobPath(digest), DOCUMENT_LIMIT)) as Buffer;
  const { manifest, digest } = await pickManifest(store.label, candidates, fetchManifest, want);
  const { value: config } = await readDocument(
    store,
    blobPath(manifest.config.digest),
    ImageConfigSchema,
    "config",
    manifest.config.digest,
  );
  return assemble(
    reference,
    "oci",
    digest,
    tags,
    config,
    want,
    manifest,
    (d) => store.stream(blobPath(d)),
    () => store.close(),
    (d) => store.region(blobPath(d)),
  );
}

/** The opened image from its manifest and config, layers read through `open`. */
function assemble(
  reference: string,
  source: OpenedImage["source"],
  digest: string,
  tags: string[],
  config: ImageConfig,
  want: Platform,
  manifest: ImageManifest,
  open: (digest: string) => Promise<Readable>,
  close: () => Promise<void>,
  region?: (digest: string) => FileRegion | undefined,
): OpenedImage {
  return {
    reference,
    source,
    digest,
    tags,
    platform: {
      os: config.os ?? want.os,
      architecture: config.architecture ?? want.architecture,
      ...(config.variant ? { variant: config.variant } : {}),
    },
    config,
    layers: manifest.layers.map((layer, index) => ({
      index,
      digest: layer.digest,
      name: blobPath(layer.digest),
      ...(layer.mediaType ? { mediaType: layer.mediaType } : {}),
      size: layer.size,
      open: () => open(layer.digest),
      ...withRegion(region?.(layer.digest)),
    })),
    close,
  };
}

/**
 * Walk from a list of descriptors (an index's) to the image manifest of the wanted platform,
 * through nested indexes; each document is checked against the digest it was fetched by.
 */
async function pickManifest(
  label: string,
  descriptors: readonly Descriptor[],
  fetchManifest: (digest: string) => Promise<Buffer>,
  want: Platform,
): Promise<{ manifest: ImageManifest; digest: string }> {
  let manifests = descriptors;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_INDEX_DEPTH)
      throw new PalisadeError("bad-input", `${label}: indexes nested more than ${MAX_INDEX_DEPTH} deep`, {
        input: label,
      });
    const pick = manifests.length === 1 ? manifests[0] : manifests.find((d) => matches(want, d.platform));
    if (!pick)
      throw new PalisadeError(
        "bad-input",
        `${label}: no manifest for platform ${describePlatform(want)} (has: ${manifests.map((d) => describePlatform(d.platform)).join(", ")})`,
        { input: label },
      );
    const bytes = await fetchManifest(pick.digest);
    if (pick.digest.startsWith("sha256:") && sha256(bytes) !== pick.digest)
      throw new PalisadeError("bad-input", `${label}: manifest ${pick.digest} does not match its digest`, {
        input: label,
      });
    const json = parseJson(bytes, label, `manifest ${pick.digest}`);
    if (!isIndex(json))
      return { manifest: parseWith(ManifestSchema, json, label, `manifest ${pick.digest}`), digest: pick.digest };
    manifests = parseWith(IndexSchema, json, label, `index ${pick.digest}`).manifests;
  }
}

function parseJson(bytes: Buffer, label: string, what: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new PalisadeError("bad-input", `${label}: ${what} is not valid JSON`, { input: label });
  }
}

function parseWith<T extends z.ZodTypeAny>(schema: T, json: unknown, label: string, what: string): z.infer<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PalisadeError(
    "bad-input",
    `${label}: ${what} is not valid (${issue?.path.join(".") || "document"}: ${issue?.message})`,
    {
      input: label,
    },
  );
}

/** An image in a registry: the tag's (or digest's) manifest, walked to the platform's image. */
async function openRegistry(reference: string, text: string, options: OpenOptions): Promise<OpenedImage> {
  const want = parsePlatform(options.platform);
  const client = new RegistryClient(parseRegistryReference(text), options.registry ?? {});
  try {
    const ref = client.ref;
    const first = await client.manifest(ref.digest ?? ref.tag ?? "latest");
    const label = `registry:${ref.registry}/${ref.repository}`;
    const json = parseJson(first.bytes, label, "manifest");
    const picked = isIndex(json)
      ? await pickManifest(
          label,
          parseWith(IndexSchema, json, label, "index").manifests,
          async (d) => (await client.manifest(d)).bytes,
          want,
        )
      : { manifest: parseWith(ManifestSchema, json, label, "manifest"), digest: first.digest };
    const configBytes = await client.blob(picked.manifest.config.digest, DOCUMENT_LIMIT);
    if (sha256(configBytes) !== picked.manifest.config.digest)
      throw new PalisadeError("bad-input", `${label}: config does not match its digest`, { input: label });
    const config = parseWith(ImageConfigSchema, parseJson(configBytes, label, "config"), label, "config");
    const tags = ref.tag ? [`${ref.registry}/${ref.repository}:${ref.tag}`] : [];
    return assemble(
      reference,
      "registry",
      picked.digest,
      tags,
      config,
      want,
      picked.manifest,
      (d) => client.blobStream(d),
      () => client.close(),
    );
  } catch (error) {
    await client.close();
    throw error;
  }
}

async function openDockerArchive(reference: string, store: BlobStore, tag: string | undefined): Promise<OpenedImage> {
  const { value: entries } = await readDocument(store, "manifest.json", DockerArchiveManifestSchema, "manifest");
  const entry =
    tag === undefined
      ? entries[0]
      : entries.find((e) => (e.RepoTags ?? []).some((t) => t === tag || t.endsWith(`:${tag}`)));
  if (!entry) throw new PalisadeError("bad-input", `${store.label}: no image tagged ${tag}`, { input: store.label });
  if (tag === undefined && entries.length > 1)
    throw new PalisadeError(
      "bad-usage",
      `${store.label}: holds ${entries.length} images; name one as docker-archive:PATH:TAG`,
      {
        input: reference,
      },
    );
  const configDigest = /^(?:blobs\/sha256\/|)([a-f0-9]{64})(?:\.json)?$/.exec(entry.Config)?.[1];
  const { value: config, bytes } = await readDocument(
    store,
    entry.Config,
    ImageConfigSchema,
    "config",
    configDigest ? `sha256:${configDigest}` : undefined,
  );
  return {
    reference,
    source: "docker-archive",
    digest: sha256(bytes),
    tags: entry.RepoTags ?? [],
    platform: { os: config.os ?? "linux", architecture: config.architecture ?? "amd64" },
    config,
    layers: entry.Layers.map((name, index) => {
      // Newer archives name layers by digest (blobs/sha256/HEX); older ones ID/layer.tar.
      const hex = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name)?.[1];
      return {
        index,
        name,
        ...(hex ? { digest: `sha256:${hex}` } : {}),
        open: () => store.stream(name),
        ...withRegion(store.region(name)),
      };
    }),
    close: () => store.close(),
  };
}

function withRegion(region: FileRegion | undefined): { region?: FileRegion } {
  return region ? { region } : {};
}

function openDir(reference: string, path: string): OpenedImage {
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new PalisadeError("bad-input", `${reference}: not a folder`, { input: reference });
  return { reference, source: "dir", tags: [], config: {}, layers: [], rootDir: path, close: async () => {} };
}
