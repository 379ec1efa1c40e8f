/**
 * Model stores as inventory: a Hugging Face hub cache and an Ollama store, laid out by the test,
 * are reported model by model with repo and revision (or name:tag and digest), each file once.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { EVIL_PICKLE } from "./fixtures/archives.js";
import { scanModelPath } from "./index.js";

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A GGUF v3 header: no tensors, `general.architecture` and optionally a chat template. */
function gguf(template?: string): Uint8Array {
  const kv: [string, string][] = [["general.architecture", "llama"]];
  if (template) kv.push(["tokenizer.chat_template", template]);
  const parts: Buffer[] = [Buffer.from("GGUF"), u32(3), u64(0), u64(kv.length)];
  for (const [k, v] of kv) parts.push(str(k), u32(8), str(v));
  return new Uint8Array(Buffer.concat(parts));
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("Hugging Face hub cache", () => {
  it("reads refs only from regular files: a FIFO there neither hangs nor fails the scan", async () => {
    const cache = await tempDir("palisade-hub-fifo-");
    const repo = join(cache, "models--acme--fifo");
    const rev = "89abcdef0123456789abcdef0123456789abcdef";
    mkdirSync(join(repo, "snapshots", rev), { recursive: true });
    mkdirSync(join(repo, "refs"), { recursive: true });
    execFileSync("mkfifo", [join(repo, "refs", "main")]);
    writeFileSync(join(repo, "snapshots", rev, "model.pkl"), EVIL_PICKLE);
    const results = await scanModelPath(cache, { hash: false });
    assert.deepEqual(
      results.map((r) => r.verdict),
      ["malicious"],
    );
  });

  it("names each snapshot file by repo, revision and ref, and scans each blob once", async () => {
    const cache = await tempDir("palisade-hub-");
    const repo = join(cache, "models--acme--tiny-bert");
    const rev = "0123456789abcdef0123456789abcdef01234567";
    mkdirSync(join(repo, "blobs"), { recursive: true });
    mkdirSync(join(repo, "snapshots", rev), { recursive: true });
    mkdirSync(join(repo, "refs"), { recursive: true });
    writeFileSync(join(repo, "refs", "main"), rev);
    const blob = join(repo, "blobs", sha256(EVIL_PICKLE));
    writeFileSync(blob, EVIL_PICKLE);
    symlinkSync(blob, join(repo, "snapshots", rev, "pytorch_model.bin"));
    // A blob no snapshot links to is still scanned, under its own path.
    const orphan = join(repo, "blobs", "f".repeat(40));
    writeFileSync(orphan, EVIL_PICKLE);

    const results = await scanModelPath(cache, { hash: false });
    assert.deepEqual(
      results.map((r) => [r.path, r.verdict]),
      [
        [orphan, "malicious"],
        [join(repo, "snapshots", rev, "pytorch_model.bin"), "malicious"],
      ],
    );
    const relativeScan = await scanModelPath(relative(process.cwd(), cache), { hash: false });
    assert.equal(
      relativeScan.length,
      2,
      "a blob reached through a link is not scanned again, from a relative path too",
    );
    const snap = results[1];
    assert.deepEqual(snap?.stores, [
      { store: "huggingface", name: "acme/tiny-bert", revision: rev, file: "pytorch_model.bin", refs: ["main"] },
    ]);
    assert.equal(snap?.identity.name, "acme/tiny-bert");
    assert.equal(snap?.identity.source, "huggingface-cache");
  });
});

describe("Ollama store", () => {
  it("names each blob by model name, tag and digest from the manifests", async () => {
    const root = await tempDir("palisade-ollama-");
    const model = gguf("{% for m in messages %}{{ m.content }}{% endfor %}");
    const evil = gguf("{{ cycler.__init__.__globals__.os.popen('id').read() }}");
    const template = new TextEncoder().encode("{{ .Prompt }}");
    mkdirSync(join(root, "blobs"), { recursive: true });
    for (const b of [model, evil, template]) writeFileSync(join(root, "blobs", `sha256-${sha256(b)}`), b);
    const manifest = (layers: [string, Uint8Array][]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        layers: layers.map(([mediaType, b]) => ({ mediaType, digest: `sha256:${sha256(b)}`, size: b.length })),
      });
    const library = join(root, "manifests", "registry.ollama.ai", "library", "tinyllama");
    mkdirSync(library, { recursive: true });
    writeFileSync(
      join(library, "latest"),
      manifest([
        ["application/vnd.ollama.image.model", model],
        ["application/vnd.ollama.image.template", template],
      ]),
    );
    const user = join(root, "manifests", "registry.ollama.ai", "mallory", "helper");
    mkdirSync(user, { recursive: true });
    writeFileSync(join(user, "v1"), manifest([["application/vnd.ollama.image.model", evil]]));

    const results = await scanModelPath(root, { hash: false });
    const byName = new Map(results.map((r) => [r.identity.name, r]));
    assert.equal(byName.get("tinyllama:latest")?.verdict, "safe");
    assert.equal(byName.get("tinyllama:latest")?.format, "gguf");
    assert.equal(byName.get("tinyllama:latest")?.stores?.[0]?.digest, `sha256:${sha256(model)}`);
    assert.equal(byName.get("mallory/helper:v1")?.verdict, "malicious");
    assert.equal(byName.get("mallory/helper:v1")?.identity.source, "ollama-manifest");
    assert.equal(results.length, 2, "the template layer is not a model file");
  });
});
