import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { auditHashKey } from "./hash-key.js";

describe("audit hash key", () => {
  it("uses $PALISADE_HASH_KEY when set, and makes nothing", () => {
    const home = mkdtempSync(join(tmpdir(), "palisade-hk-"));
    assert.deepEqual(auditHashKey({ PALISADE_HASH_KEY: "s3cret", PALISADE_HOME: home }), { key: "s3cret" });
    assert.throws(() => statSync(join(home, "hash-key")));
  });

  it("otherwise makes a random key once, owner-readable only, and reads the same one after", () => {
    const home = join(mkdtempSync(join(tmpdir(), "palisade-hk-")), "new-home");
    const first = auditHashKey({ PALISADE_HOME: home });
    assert.equal(first.file, join(home, "hash-key"));
    assert.match(first.key, /^[0-9a-f]{64}$/);
    assert.equal(statSync(join(home, "hash-key")).mode & 0o777, 0o600);
    assert.equal(auditHashKey({ PALISADE_HOME: home }).key, first.key);
    const other = auditHashKey({ PALISADE_HOME: mkdtempSync(join(tmpdir(), "palisade-hk-")) });
    assert.notEqual(other.key, first.key, "each installation has its own");
  });

  it("refuses a key file that holds no usable key, naming it", () => {
    const home = mkdtempSync(join(tmpdir(), "palisade-hk-"));
    writeFileSync(join(home, "hash-key"), "short\n");
    assert.throws(() => auditHashKey({ PALISADE_HOME: home }), /hash-key holds no usable hash key/);
    assert.equal(readFileSync(join(home, "hash-key"), "utf8"), "short\n", "left as it was");
  });
});
