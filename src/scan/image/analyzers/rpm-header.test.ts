import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { aRpmHeader, encodeRpmHeader } from "./fixtures/rpmdb.js";
import { MAX_HEADER_DATA_BYTES, MAX_HEADER_ENTRIES, RPM_TAG, RPM_TYPE, toRpmHeader } from "./rpm-header.js";

const BASH = {
  name: "bash",
  version: "5.1.8",
  release: "9.el9",
  epoch: 1,
  arch: "x86_64",
  license: "GPLv3+",
  sourceRpm: "bash-5.1.8-9.el9.src.rpm",
  summary: "The GNU Bourne Again shell",
};

function errorOf(blob: Uint8Array): string {
  const result = toRpmHeader(blob);
  assert.ok("error" in result, "expected an error");
  return result.error;
}

/** A preamble claiming `il` entries and `dl` data bytes, followed by `rest`. */
function preamble(il: number, dl: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(il, 0);
  b.writeUInt32BE(dl, 4);
  return Buffer.concat([b, rest]);
}

describe("toRpmHeader", () => {
  it("decodes the package tags of an encoded header", () => {
    const { summary: _, ...expected } = BASH;
    assert.deepEqual(toRpmHeader(aRpmHeader(BASH)), { header: expected });
  });

  it("leaves optional tags out when absent", () => {
    assert.deepEqual(toRpmHeader(aRpmHeader({ name: "a", version: "1", release: "2" })), {
      header: { name: "a", version: "1", release: "2" },
    });
  });

  it("reads the first string of a string array or i18n string", () => {
    const blob = encodeRpmHeader([
      { tag: RPM_TAG.name, type: RPM_TYPE.stringArray, value: ["first", "second"] },
      { tag: RPM_TAG.version, type: RPM_TYPE.i18nString, value: "1.0" },
      { tag: RPM_TAG.release, type: RPM_TYPE.string, value: "1" },
    ]);
    assert.deepEqual(toRpmHeader(blob), { header: { name: "first", version: "1.0", release: "1" } });
  });

  it("accepts a buffer that is a view into a larger one", () => {
    const blob = aRpmHeader(BASH);
    const big = Buffer.concat([Buffer.alloc(13), blob, Buffer.alloc(7)]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 13, blob.length);
    assert.ok("header" in toRpmHeader(view));
  });

  it("rejects a header without name, version or release", () => {
    assert.match(errorOf(aRpmHeader({ name: "a", version: "1" })), /NAME, VERSION or RELEASE/);
  });

  it("rejects a tag of the wrong type", () => {
    const blob = encodeRpmHeader([
      { tag: RPM_TAG.name, type: RPM_TYPE.int32, value: [1] },
      { tag: RPM_TAG.version, type: RPM_TYPE.string, value: "1" },
      { tag: RPM_TAG.release, type: RPM_TYPE.string, value: "1" },
    ]);
    assert.match(errorOf(blob), /type 4/);
    const epoch = encodeRpmHeader([
      { tag: RPM_TAG.name, type: RPM_TYPE.string, value: "a" },
      { tag: RPM_TAG.version, type: RPM_TYPE.string, value: "1" },
      { tag: RPM_TAG.release, type: RPM_TYPE.string, value: "1" },
      { tag: RPM_TAG.epoch, type: RPM_TYPE.string, value: "1" },
    ]);
    assert.match(errorOf(epoch), /int32/);
  });

  it("rejects a negative epoch", () => {
    assert.match(errorOf(aRpmHeader({ ...BASH, epoch: -1 })), /negative/);
  });

  it("rejects offsets outside the data store and strings without their NUL", () => {
    const blob = aRpmHeader({ name: "a", version: "1", release: "2" });
    // Entry 1 is NAME (after the region tag): point it past the store, then before it.
    const nameOffsetAt = 8 + 16 + 8;
    const past = Buffer.from(blob);
    past.writeInt32BE(1_000_000, nameOffsetAt);
    assert.match(errorOf(past), /outside/);
    const negative = Buffer.from(blob);
    negative.writeInt32BE(-5, nameOffsetAt);
    assert.match(errorOf(negative), /outside/);
    const noNul = Buffer.from(blob);
    noNul.fill(0x41, blob.length - 20);
    assert.ok("error" in toRpmHeader(noNul));
  });

  it("rejects preambles beyond its bounds before reading on", () => {
    assert.match(errorOf(Buffer.alloc(5)), /preamble/);
    assert.match(errorOf(preamble(0, 0)), /0 index entries/);
    assert.match(errorOf(preamble(MAX_HEADER_ENTRIES + 1, 0)), /index entries/);
    assert.match(errorOf(preamble(1, MAX_HEADER_DATA_BYTES + 1)), /data bytes/);
    assert.match(errorOf(preamble(0xffffffff, 0xffffffff)), /index entries/);
  });

  it("reports every truncation of a valid header", () => {
    const blob = aRpmHeader(BASH);
    fc.assert(
      fc.property(fc.nat(blob.length - 1), (length) => {
        assert.ok("error" in toRpmHeader(blob.subarray(0, length)));
      }),
    );
    for (let length = 0; length < blob.length; length++) assert.ok("error" in toRpmHeader(blob.subarray(0, length)));
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        toRpmHeader(bytes);
      }),
    );
  });

  it("never throws on a valid header with random bytes overwritten", () => {
    const blob = aRpmHeader(BASH);
    const patch = fc.record({ at: fc.nat(blob.length - 1), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(fc.array(patch, { minLength: 1, maxLength: 8 }), (patches) => {
        const damaged = Buffer.from(blob);
        for (const { at, value } of patches) damaged[at] = value;
        const result = toRpmHeader(damaged);
        assert.ok("header" in result || typeof result.error === "string");
      }),
    );
  });

  it("decodes whatever fields it was given", () => {
    const text = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }).filter((s) => !s.includes("\0"));
    const fields = fc.record({
      name: text,
      version: text,
      release: text,
      epoch: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
      arch: fc.option(text, { nil: undefined }),
      license: fc.option(text, { nil: undefined }),
      sourceRpm: fc.option(text, { nil: undefined }),
    });
    fc.assert(
      fc.property(fields, (f) => {
        const expected = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
        assert.deepEqual(toRpmHeader(aRpmHeader(f)), { header: expected });
      }),
    );
  });
});
