import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import {
  buildLayer,
  type ImageSpec,
  tarOf,
  writeDockerArchive,
  writeOciLayout,
} from "../../../test/helpers/oci-image.js";
import { readLayers, walk } from "./layers.js";
import { openImage, parsePlatform } from "./source/open.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-layers-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `img-${n++}`);

/** Every regular file of the merged image: path → [content, layer]. */
async function filesOf(reference: string, options = {}): Promise<Record<string, [string, number]>> {
  const image = await openImage(reference, options);
  try {
    const fs = await readLayers(image.layers, { wants: () => true });
    const out: Record<string, [string, number]> = {};
    for (const [path, node] of walk(fs.root))
      if (node.type === "file") out[path] = [node.content?.toString("utf8") ?? "", node.layer];
    return out;
  } finally {
    await image.close();
  }
}

async function twoLayerImage(): Promise<ImageSpec> {
  return {
    layers: [
      await buildLayer({
        files: [
          { path: "etc/", type: "directory" },
          { path: "etc/keep", content: "base" },
          { path: "etc/gone", content: "deleted later" },
          { path: "var/cache/a", content: "a" },
          { path: "var/cache/b", content: "b" },
          { path: "usr/bin/tool", content: "v1", mode: 0o755 },
        ],
      }),
      await buildLayer({
        compression: "zstd",
        files: [
          { path: "etc/.wh.gone" },
          { path: "var/cache/.wh..wh..opq" },
          { path: "var/cache/c", content: "c" },
          { path: "usr/bin/tool", content: "v2", mode: 0o755 },
          { path: "usr/bin/tool-link", type: "link", linkname: "usr/bin/tool" },
          { path: "../escape", content: "no" },
        ],
      }),
      await buildLayer({ compression: "none", files: [{ path: "./srv/plain", content: "uncompressed" }] }),
    ],
  };
}

describe("image layers", () => {
  it("apply whiteouts, opaque directories, replacements and hard links in order (gzip, zstd and plain)", async () => {
    const path = fresh();
    writeOciLayout(path, { latest: await twoLayerImage() });
    // Written before running: what `docker run image find / -type f` would list.
    assert.deepEqual(await filesOf(`oci:${path}`), {
      "etc/keep": ["base", 0],
      "var/cache/c": ["c", 1],
      "usr/bin/tool": ["v2", 1],
      "usr/bin/tool-link": ["v2", 1],
      "srv/plain": ["uncompressed", 2],
    });
  });

  it("read the same image from an OCI layout tar and from a docker archive", async () => {
    const layout = fresh();
    const image = await twoLayerImage();
    writeOciLayout(layout, { v1: image });
    const expected = await filesOf(`oci:${layout}:v1`);
    const files = [];
    for (const name of ["oci-layout", "index.json"])
      files.push({ path: name, content: readFileSync(join(layout, name)) });
    for (const name of readdirSync(join(layout, "blobs/sha256")))
      files.push({ path: `blobs/sha256/${name}`, content: readFileSync(join(layout, "blobs/sha256", name)) });
    const tarPath = `${fresh()}.tar`;
    writeFileSync(tarPath, await tarOf(files));
    assert.deepEqual(await filesOf(`oci:${tarPath}:v1`), expected);
    const archive = `${fresh()}.tar`;
    await writeDockerArchive(archive, image);
    assert.deepEqual(await filesOf(`docker-archive:${archive}`), expected);
    assert.deepEqual(await filesOf(archive), expected, "a bare path is recognised");
  });

  it("pick the platform of a multi-arch index, linux/amd64 by default", async () => {
    const path = fresh();
    const arch = async (a: string) => ({
      platform: { os: "linux", architecture: a },
      layers: [await buildLayer({ files: [{ path: "arch", content: a }] })],
    });
    writeOciLayout(path, { multi: [await arch("arm64"), await arch("amd64")] });
    assert.deepEqual(await filesOf(`oci:${path}`), { arch: ["amd64", 0] });
    assert.deepEqual(await filesOf(`oci:${path}`, { platform: "linux/arm64" }), { arch: ["arm64", 0] });
    await assert.rejects(
      filesOf(`oci:${path}`, { platform: "linux/s390x" }),
      /no manifest for platform linux\/s390x \(has: linux\/arm64, linux\/amd64\)/,
    );
    assert.throws(() => parsePlatform("amd64"), /expected os\/arch/);
  });

  it("refuse a layer whose bytes do not match its digest", async () => {
    const path = fresh();
    const image = await twoLayerImage();
    writeOciLayout(path, { latest: image });
    const digest = image.layers[0]?.digest.slice(7) ?? "";
    const blob = join(path, "blobs/sha256", digest);
    const bytes = readFileSync(blob);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff;
    writeFileSync(blob, bytes);
    await assert.rejects(filesOf(`oci:${path}`), /layer 0 \(sha256:[0-9a-f]+\)/);
  });

  it("name a missing blob, a corrupt manifest and an unknown tag", async () => {
    const path = fresh();
    const image = await twoLayerImage();
    writeOciLayout(path, { latest: image });
    await assert.rejects(filesOf(`oci:${path}:nope`), /no image tagged nope \(tags: latest\)/);
    rmSync(join(path, "blobs/sha256", image.layers[1]?.digest.slice(7) ?? ""));
    await assert.rejects(filesOf(`oci:${path}`), /is missing/);
    writeFileSync(join(path, "index.json"), "{not json");
    await assert.rejects(filesOf(`oci:${path}`), /index index.json is not valid JSON/);
    await assert.rejects(filesOf("oci:/nonexistent/layout"), /no such file or folder/);
  });

  it("stop a decompression bomb and an endless chain of indexes", async () => {
    const path = fresh();
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const layer = {
      blob: bomb,
      digest: `sha256:${createHash("sha256").update(bomb).digest("hex")}`,
      diffId: "sha256:0",
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
    };
    writeOciLayout(path, { latest: { layers: [layer] } });
    const image = await openImage(`oci:${path}`);
    await assert.rejects(
      readLayers(
        image.layers,
        { wants: () => false },
        { maxFileBytes: 1, maxKeptBytes: 1, maxEntries: 10, maxExpansion: 10, expansionFloor: 1024 * 1024 },
      ),
      /layer 0 \(sha256:[0-9a-f]+\): expands to more than 1048576 bytes/,
    );
    await image.close();

    // An index whose only entry is itself (by digest it cannot be, so: a chain deeper than allowed).
    const chain = fresh();
    const leaf = { layers: [await buildLayer({ files: [{ path: "x", content: "x" }] })] };
    writeOciLayout(chain, { deep: [leaf] });
    const index = JSON.parse(readFileSync(join(chain, "index.json"), "utf8"));
    let top = index.manifests[0];
    for (let i = 0; i < 6; i++) {
      const doc = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.index.v1+json",
          manifests: [{ ...top, platform: { os: "linux", architecture: "amd64" } }],
        }),
      );
      const digest = `sha256:${createHash("sha256").update(doc).digest("hex")}`;
      writeFileSync(join(chain, "blobs/sha256", digest.slice(7)), doc);
      top = {
        mediaType: "application/vnd.oci.image.index.v1+json",
        digest,
        size: doc.length,
        annotations: top.annotations,
      };
    }
    writeFileSync(join(chain, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [top] }));
    await assert.rejects(filesOf(`oci:${chain}`), /indexes nested more than 4 deep/);
  });

  it("give a clear error, never a crash, for a corrupted layer", async () => {
    const image = await twoLayerImage();
    const good = image.layers[0]?.blob as Buffer;
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
        const blob = Buffer.from(good);
        blob[at] = (blob[at] as number) ^ flip;
        const path = fresh();
        // No digest check here (docker-archive layers named by path): the parser itself must cope.
        const layer = {
          ...image.layers[0],
          blob,
          digest: `sha256:${createHash("sha256").update(blob).digest("hex")}`,
        } as (typeof image.layers)[0];
        writeOciLayout(path, { latest: { layers: [layer] } });
        try {
          await filesOf(`oci:${path}`);
        } catch (error) {
          assert.match((error as Error).message, /layer 0/);
        }
        rmSync(path, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });

  it("hand a taken file over whole, large or small, and skip the rest without reading them twice", async () => {
    const big = Buffer.from(Uint8Array.from({ length: 5 * 1024 * 1024 + 7 }, (_, i) => (i * 31) & 0xff));
    const path = fresh();
    writeOciLayout(path, {
      latest: {
        layers: [
          await buildLayer({
            files: [
              { path: "models/big.bin", content: big },
              { path: "models/tiny.bin", content: "xy" },
              { path: "etc/other", content: "not taken" },
            ],
          }),
        ],
      },
    });
    const image = await openImage(`oci:${path}`);
    const seen: Record<string, string> = {};
    const fs = await readLayers(image.layers, {
      wants: () => false,
      take: (p) =>
        p.startsWith("models/")
          ? async (stream) => {
              const hash = createHash("sha256");
              for await (const chunk of stream) hash.update(chunk as Buffer);
              seen[p] = hash.digest("hex");
              return p;
            }
          : undefined,
    });
    await image.close();
    assert.deepEqual(seen, {
      "models/big.bin": createHash("sha256").update(big).digest("hex"),
      "models/tiny.bin": createHash("sha256").update("xy").digest("hex"),
    });
    const notes = [...walk(fs.root)].filter(([, n]) => n.note !== undefined).map(([p, n]) => [p, n.note]);
    assert.deepEqual(notes.sort(), [
      ["models/big.bin", "models/big.bin"],
      ["models/tiny.bin", "models/tiny.bin"],
    ]);
  });
});
