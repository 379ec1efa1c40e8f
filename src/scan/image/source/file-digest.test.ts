import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileDigest } from "./file-digest.js";

const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

describe("fileDigest", () => {
  const dir = mkdtempSync(join(tmpdir(), "palisade-digest-"));
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const path = join(dir, "blob");
  writeFileSync(path, bytes);

  it("hashes a whole file, a region of one and an empty region on the worker, concurrently", async () => {
    const [whole, region, empty] = await Promise.all([
      fileDigest({ path }),
      fileDigest({ path, start: 1000, size: 2_000_000 }),
      fileDigest({ path, start: 5, size: 0 }),
    ]);
    assert.equal(whole, sha256(bytes));
    assert.equal(region, sha256(bytes.subarray(1000, 2_001_000)));
    assert.equal(empty, sha256(Buffer.alloc(0)));
  });

  it("rejects for a file that is not there, and keeps serving after", async () => {
    await assert.rejects(fileDigest({ path: join(dir, "missing") }), /ENOENT/);
    assert.equal(await fileDigest({ path }), sha256(bytes));
  });

  it("keeps the process alive while a digest is pending, and not after", () => {
    // A pending promise alone does not hold Node open: the worker must, until it answers.
    const script = `import { fileDigest } from ${JSON.stringify(new URL("./file-digest.ts", import.meta.url).href)};
      fileDigest({ path: ${JSON.stringify(path)} }).then((d) => console.log(d));`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      timeout: 20_000,
      encoding: "utf8",
    });
    assert.equal(out.trim(), sha256(bytes));
  });
});
