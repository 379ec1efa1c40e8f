/**
 * Hostile-input properties for every parser: mutated corpus files and generated headers never
 * crash the scanner, never hang, and come back with a verdict.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { buildCorpus } from "./fixtures/corpus.js";
import { MODEL_VERDICTS, scanModelBytes } from "./index.js";

const small = { hash: false, archive: { maxMemberBytes: 8 * 1024 * 1024, maxExtractedBytes: 32 * 1024 * 1024 } };

/** Generous: the point is "no hang" on a shared, loaded CI machine, not a speed benchmark. */
async function scanWithin(bytes: Uint8Array, name: string, ms = 10_000) {
  const started = Date.now();
  const result = await scanModelBytes(bytes, name, small);
  const took = Date.now() - started;
  assert.ok(took < ms, `${name} took ${took} ms`);
  if (result) assert.ok(MODEL_VERDICTS.includes(result.verdict));
  return result;
}

describe("parsers under mutation", () => {
  const corpus = buildCorpus();
  before(async () => {
    // Load the HDF5 WebAssembly module once, outside the timed scans.
    const h5wasm = await import("h5wasm/node");
    await h5wasm.ready;
  });
  const files = corpus.entries
    .filter((e) => !e.path.includes("zip-bomb"))
    .map((e) => ({ name: e.path, bytes: new Uint8Array(readFileSync(join(corpus.dir, e.path))) }));

  it("survives every truncation point of every corpus file (sampled)", async () => {
    for (const f of files) {
      const step = Math.max(1, Math.floor(f.bytes.length / 40));
      for (let cut = 0; cut < f.bytes.length; cut += step) await scanWithin(f.bytes.subarray(0, cut), f.name);
    }
  });

  it("survives random byte flips in every corpus file", async () => {
    const file = fc.constantFrom(...files);
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (f, flips) => {
          const copy = Uint8Array.from(f.bytes);
          for (const [at, value] of flips) if (copy.length > 0) copy[at % copy.length] = value;
          await scanWithin(copy, f.name);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("never lets a truncated malicious pickle pass as safe", async () => {
    for (const f of files.filter((x) => x.name.startsWith("malicious/reduce-os-system/"))) {
      for (let cut = 1; cut < f.bytes.length; cut++) {
        const r = await scanWithin(f.bytes.subarray(0, cut), f.name);
        assert.notEqual(r?.verdict, "safe", `${f.name} cut at ${cut}`);
      }
    }
  });
});

describe("archive budgets", () => {
  it("stops inflating once the per-file extraction budget is spent", async () => {
    // 40 deflated members of 4 MiB each; the budget allows 16 MiB.
    const script =
      "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w',zipfile.ZIP_DEFLATED)\n" +
      "[z.writestr(f'm{i}.pkl', b'\\x80\\x02' + b'N0' * (2 << 20) + b'N.') for i in range(40)]\nz.close()\nsys.stdout.buffer.write(b.getvalue())";
    const zip = new Uint8Array(execFileSync("python3", ["-c", script], { maxBuffer: 64 << 20 }));
    const started = Date.now();
    const r = await scanModelBytes(zip, "many.zip", { hash: false, archive: { maxExtractedBytes: 16 << 20 } });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(r?.verdict, "unscannable");
    assert.ok(r?.findings.some((f) => /in total/.test(f.detail)));
  });
});

describe("header parsers on generated input", () => {
  const u64 = (n: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
    return b;
  };
  const cases: [string, (tail: Uint8Array) => Uint8Array][] = [
    ["model.gguf", (t) => Uint8Array.from([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, ...t])],
    ["model.safetensors", (t) => Uint8Array.from([...u64(t.length), ...t])],
    ["model.npy", (t) => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, t.length & 0xff, 0, ...t])],
    ["model.onnx", (t) => Uint8Array.from([0x08, 0x07, 0x3a, ...t])],
    ["saved_model.pb", (t) => Uint8Array.from([0x08, 0x01, 0x12, ...t])],
    ["model.zip", (t) => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...t])],
    ["model.tar", (t) => Uint8Array.from([...t, ...new Uint8Array(Math.max(0, 1024 - t.length))])],
    ["model.pt", (t) => Uint8Array.from([0x80, 0x04, 0x95, ...t])],
  ];
  for (const [name, make] of cases) {
    it(`survives arbitrary bytes after the ${name} signature`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (tail) => {
          await scanWithin(make(tail), name);
        }),
        { numRuns: 400 },
      );
    });
  }

  // Containers read by 7-Zip (one WebAssembly instance per file, so fewer runs) and LZ4: never
  // skipped silently, never safe on garbage.
  const containers: [string, number[]][] = [
    ["x.7z", [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]],
    ["x.rar", [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]],
    ["x.xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
    ["x.bz2", [0x42, 0x5a, 0x68, 0x39]],
    ["x.zst", [0x28, 0xb5, 0x2f, 0xfd]],
    ["x.lz4", [0x04, 0x22, 0x4d, 0x18]],
  ];
  for (const [name, magic] of containers) {
    it(`survives arbitrary bytes after the ${name} signature, and never calls them safe`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (tail) => {
          const r = await scanWithin(Uint8Array.from([...magic, ...tail]), name);
          assert.notEqual(r?.verdict, "safe");
        }),
        { numRuns: 60 },
      );
    });
  }

  it("survives arbitrary text as YAML, JSON, Jinja and MessagePack", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2048 }), fc.uint8Array({ maxLength: 2048 }), async (text, bytes) => {
        for (const name of ["train.yaml", "tokenizer_config.json", "chat_template.jinja"]) {
          await scanWithin(new TextEncoder().encode(text), name);
        }
        await scanWithin(bytes, "flax_model.msgpack");
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a GGUF that claims billions of keys without allocating them", async () => {
    const head = Uint8Array.from([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, ...u64(0), ...u64(2 ** 40)]);
    const r = await scanWithin(head, "huge.gguf");
    assert.equal(r?.verdict, "unscannable");
  });

  it("refuses a safetensors header length past the end of the file", async () => {
    const r = await scanWithin(Uint8Array.from([...u64(1 << 30), 0x7b, 0x7d]), "x.safetensors");
    assert.equal(r?.verdict, "unscannable");
  });
});
