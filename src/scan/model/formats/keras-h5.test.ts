import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { scanModelFile } from "../index.js";
import { hdf5Cause } from "./keras.js";

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Everything written to this process's stderr while `run` runs (HDF5's default error handler
 * prints there; stdout is left alone, the test runner reports through it).
 */
async function captureStderr(run: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await run();
  } finally {
    process.stderr.write = original;
  }
  return written.join("");
}

describe("corrupt Keras HDF5 files", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "palisade-h5-corrupt-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives one unscannable finding with HDF5's innermost reason, and prints nothing", async () => {
    const corrupt = join(dir, "corrupt.h5");
    await writeFile(corrupt, Buffer.concat([Buffer.from(HDF5_SIGNATURE), Buffer.alloc(2048, 0xa5)]));
    const good = join(dir, "good.h5");
    const h5wasm = await import("h5wasm/node");
    await h5wasm.ready;
    const file = new h5wasm.File(good, "w");
    file.create_attribute("model_config", JSON.stringify({ class_name: "Sequential", config: { name: "m" } }));
    file.close();

    let results: Awaited<ReturnType<typeof scanModelFile>>[] = [];
    const printed = await captureStderr(async () => {
      results = [await scanModelFile(corrupt), await scanModelFile(good), await scanModelFile(corrupt)];
    });
    assert.equal(printed, "");
    const [first, readable, again] = results;
    assert.equal(first?.verdict, "unscannable");
    assert.deepEqual(
      first?.findings.map((f) => [f.rule, f.detail]),
      [["unscannable", "hdf5: cannot read (bad superblock version number)"]],
    );
    // The library is usable after a corrupt file, and its output is back where it was.
    assert.equal(readable?.verdict, "safe");
    assert.equal(readable?.identity.name, "m");
    assert.deepEqual(again?.findings, first?.findings);
  });

  it("takes the innermost frame of the first HDF5 error stack", () => {
    const diagnostics = [
      "HDF5-DIAG: Error detected in HDF5 (2.0.0):",
      "  #000: H5F.c line 821 in H5Fopen(): unable to synchronously open file",
      "    major: File accessibility",
      "  #001: H5Fsuper_cache.c line 165 in H5F__superblock_prefix_decode(): bad superblock version number",
      "    minor: Bad value",
      "HDF5-DIAG: Error detected in HDF5 (2.0.0):",
      "  #000: H5F.c line 1035 in H5Fclose(): not a file ID",
      "",
    ].join("\n");
    assert.equal(hdf5Cause(diagnostics), "bad superblock version number");
    assert.equal(hdf5Cause(""), undefined);
  });
});
