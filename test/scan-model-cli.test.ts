/** `palisade scan model` end to end: containers are never skipped silently, and the gate sees them. */
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { anLz4Frame, aSevenZip, EVIL_PICKLE } from "../src/scan/model/fixtures/archives.js";
import { runCli } from "./helpers/cli.js";

describe("palisade scan model", () => {
  it("fails the gate on a malicious pickle inside a 7z archive", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-7z-"));
    await writeFile(join(dir, "bundle.7z"), await aSevenZip({ "model/data.pkl": EVIL_PICKLE }));
    const result = await runCli(["scan", "model", dir, "--exit-code", "--format", "json"]);
    assert.equal(result.code, 1, result.stderr);
    const out = JSON.parse(result.stdout) as { files: { verdict: string; format: string }[] };
    assert.deepEqual(
      out.files.map((f) => [f.format, f.verdict]),
      [["7z-archive", "malicious"]],
    );
  });

  it("fails --fail-on unscannable on a container it cannot open, instead of finding no model", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-lz4-"));
    await writeFile(join(dir, "weights.lz4"), anLz4Frame());
    const result = await runCli(["scan", "model", dir, "--exit-code", "--fail-on", "unscannable"]);
    assert.equal(result.code, 1, result.stdout);
    assert.doesNotMatch(result.stdout, /no model files found/);
    assert.match(result.stdout, /UNSCANNABLE/);
  });
});
