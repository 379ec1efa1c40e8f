/**
 * Model stores as inventory: which model, at which revision, a file on disk belongs to.
 *
 * - Hugging Face hub cache (huggingface_hub's `file_download.py` layout):
 *   `<cache>/models--<org>--<name>/snapshots/<revision>/<file>`, with `refs/<ref>` files holding
 *   the revision a ref (e.g. `main`) points to, and `blobs/<hash>` the content the snapshot
 *   files link to.
 * - Ollama (`~/.ollama/models`): `manifests/<host>/<namespace>/<model>/<tag>` are OCI-style
 *   image manifests whose layers name blobs by digest, stored as `blobs/sha256-<hex>`.
 *
 * Only small files are read (refs, manifests), each bounded; a store that cannot be read adds
 * no identity, and its files are still scanned as files.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";

/** Where a model file sits in a model store. */
export interface ModelStoreRef {
  store: "huggingface" | "ollama";
  /** `org/name` (Hugging Face), `model` or `namespace/model` (Ollama; `host/...` off the default registry). */
  name: string;
  /** Snapshot revision (a commit hash) or Ollama tag. */
  revision: string;
  /** Refs naming the revision (`main`). */
  refs?: string[];
  /** Ollama: the layer's digest (`sha256:…`) and media type. */
  digest?: string;
  layer?: string;
  /** Hugging Face: the file's path inside the snapshot. */
  file?: string;
}

const MAX_SMALL_FILE = 1024 * 1024;
const MAX_MANIFESTS = 10_000;
const OLLAMA_REGISTRY = "registry.ollama.ai";

/** A small regular file's text: a FIFO or a device would block or never end, a link may lead out of the store. */
async function small(path: string): Promise<string | undefined> {
  try {
    const info = await lstat(path);
    if (!info.isFile() || info.size > MAX_SMALL_FILE) return undefined;
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** `models--org--name` → `org/name` (huggingface_hub's repo_folder_name, reversed). */
function hubRepoId(folder: string): string | undefined {
  const m = /^models--(.+)$/.exec(folder);
  if (!m?.[1]) return undefined;
  const [org, ...rest] = m[1].split("--");
  return rest.length === 0 ? org : `${org}/${rest.join("--")}`;
}

/** Store identity of each file that sits in a Hugging Face cache or an Ollama store. */
export async function readModelStores(files: readonly string[]): Promise<Map<string, ModelStoreRef[]>> {
  const out = new Map<string, ModelStoreRef[]>();
  const refsCache = new Map<string, Promise<Map<string, string[]>>>();
  const ollamaCache = new Map<string, Promise<Map<string, ModelStoreRef[]>>>();
  for (const file of files) {
    const hub = hubRef(file);
    if (hub) {
      const { repoDir, ref } = hub;
      let refs = refsCache.get(repoDir);
      if (!refs) {
        refs = readHubRefs(repoDir);
        refsCache.set(repoDir, refs);
      }
      const named = (await refs).get(ref.revision);
      if (named) ref.refs = named;
      out.set(file, [ref]);
      continue;
    }
    if (/^sha256-[0-9a-f]{64}$/.test(basename(file)) && basename(dirname(file)) === "blobs") {
      const root = dirname(dirname(file));
      let blobs = ollamaCache.get(root);
      if (!blobs) {
        blobs = readOllamaManifests(root);
        ollamaCache.set(root, blobs);
      }
      const refs = (await blobs).get(basename(file));
      if (refs) out.set(file, refs);
    }
  }
  return out;
}

function hubRef(file: string): { repoDir: string; ref: ModelStoreRef } | undefined {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("snapshots");
  if (at < 1 || at + 2 >= parts.length) return undefined;
  const name = hubRepoId(parts[at - 1] as string);
  if (!name) return undefined;
  const repoDir = parts.slice(0, at).join(sep);
  const revision = parts[at + 1] as string;
  return { repoDir, ref: { store: "huggingface", name, revision, file: parts.slice(at + 2).join("/") } };
}

/** revision → refs naming it, from `<repo>/refs/**` (a ref may contain slashes: `refs/pr/1`). */
async function readHubRefs(repoDir: string): Promise<Map<string, string[]>> {
  const byRevision = new Map<string, string[]>();
  const refsDir = join(repoDir, "refs");
  let entries: string[];
  try {
    entries = (await readdir(refsDir, { recursive: true })).slice(0, 1000);
  } catch {
    return byRevision;
  }
  for (const entry of entries.sort()) {
    const text = await small(join(refsDir, entry));
    const revision = text?.trim();
    if (!revision || !/^[0-9a-f]{7,64}$/.test(revision)) continue;
    const list = byRevision.get(revision) ?? [];
    list.push(entry.split(sep).join("/"));
    byRevision.set(revision, list);
  }
  return byRevision;
}

/** blob file name (`sha256-<hex>`) → the model names and tags whose manifests list it. */
async function readOllamaManifests(root: string): Promise<Map<string, ModelStoreRef[]>> {
  const byBlob = new Map<string, ModelStoreRef[]>();
  const manifests = join(root, "manifests");
  let entries: string[];
  try {
    entries = (await readdir(manifests, { recursive: true })).slice(0, MAX_MANIFESTS);
  } catch {
    return byBlob;
  }
  for (const entry of entries.sort()) {
    const parts = entry.split(sep);
    if (parts.length < 4) continue; // host/namespace/model/tag
    const text = await small(join(manifests, entry));
    if (text === undefined) continue;
    let manifest: { layers?: { mediaType?: unknown; digest?: unknown }[] };
    try {
      manifest = JSON.parse(text) as typeof manifest;
    } catch {
      continue;
    }
    if (!Array.isArray(manifest.layers)) continue;
    const [host, ...path] = parts;
    const tag = path.pop() as string;
    const model = path[0] === "library" && path.length === 2 ? (path[1] as string) : path.join("/");
    const name = host === OLLAMA_REGISTRY ? model : `${host}/${path.join("/")}`;
    for (const layer of manifest.layers) {
      if (typeof layer?.digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) continue;
      const blob = layer.digest.replace(":", "-");
      const ref: ModelStoreRef = { store: "ollama", name, revision: tag, digest: layer.digest };
      if (typeof layer.mediaType === "string") ref.layer = layer.mediaType;
      const list = byBlob.get(blob) ?? [];
      list.push(ref);
      byBlob.set(blob, list);
    }
  }
  return byBlob;
}

/** How a store reference reads: `org/name@rev (main)`, `llama3:latest`. */
export function storeLabel(ref: ModelStoreRef): string {
  if (ref.store === "ollama") return `${ref.name}:${ref.revision}`;
  const refs = ref.refs?.length ? ` (${ref.refs.join(", ")})` : "";
  return `${ref.name}@${ref.revision.slice(0, 12)}${refs}`;
}
