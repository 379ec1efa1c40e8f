import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createLineIndex, type TextPosition } from "./position.js";

/** Lines of any characters (astral ones and lone surrogate halves too), joined by `\n` and `\r\n`. */
const textWithLines = fc
  .array(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("\n", "\r\n", "\ud83d", "\ude00")))
  .map((parts) => parts.join(""));

/** The obvious definition: split the text before the offset, count the last line's code points. */
function naivePosition(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length))).split("\n");
  return { line: before.length, column: [...(before.at(-1) ?? "")].length + 1 };
}

/**
 * How many characters `run` reads with `charCodeAt`: a measure of work that does not depend on
 * the machine. Past `budget` it throws, so a quadratic lookup fails at once instead of running on.
 */
function countCharReads<T>(budget: number, run: () => T): { result: T; reads: number } {
  const charCodeAt = Object.getOwnPropertyDescriptor(String.prototype, "charCodeAt");
  const original = String.prototype.charCodeAt;
  let reads = 0;
  String.prototype.charCodeAt = function (this: string, index: number) {
    if (++reads > budget) throw new Error(`read more than ${budget} characters`);
    return original.call(this, index);
  };
  try {
    return { result: run(), reads };
  } finally {
    if (charCodeAt) Object.defineProperty(String.prototype, "charCodeAt", charCodeAt);
  }
}

describe("createLineIndex", () => {
  it("counts lines and columns from 1, columns in characters of the line", () => {
    const text = "ab\n  café 😀 x\r\nlast";
    const lines = createLineIndex(text);
    assert.deepEqual(lines.positionOf(0), { line: 1, column: 1 });
    assert.deepEqual(lines.positionOf(2), { line: 1, column: 3 });
    assert.deepEqual(lines.positionOf(3), { line: 2, column: 1 });
    // "  café " is 7 characters, the emoji two UTF-16 units but one column.
    assert.deepEqual(lines.positionOf(text.indexOf("😀")), { line: 2, column: 8 });
    assert.deepEqual(lines.positionOf(text.indexOf("x")), { line: 2, column: 10 });
    assert.deepEqual(lines.positionOf(text.indexOf("last")), { line: 3, column: 1 });
    assert.deepEqual(lines.positionOf(text.length + 5), { line: 3, column: 5 });
  });

  it("agrees with splitting the text before the offset, for any text", () => {
    fc.assert(
      fc.property(textWithLines, fc.nat(), (text, n) => {
        const offset = n % (text.length + 1);
        assert.deepEqual(createLineIndex(text).positionOf(offset), naivePosition(text, offset));
      }),
    );
  });

  it("answers many offsets from one index, in any order, as the naive definition does", () => {
    fc.assert(
      fc.property(textWithLines, fc.array(fc.integer({ min: -2, max: 200 })), (text, offsets) => {
        const lines = createLineIndex(text);
        for (const offset of offsets) assert.deepEqual(lines.positionOf(offset), naivePosition(text, offset));
      }),
    );
  });

  it("places 20k findings on a 1 MB line reading each character a bounded number of times", () => {
    // One line of e-mail addresses with an emoji every so often, as a minified file would be.
    const unit = "to: someone.else@example.com 😀 ";
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const offsets = Array.from({ length: 20_000 }, (_, i) => Math.floor((i * text.length) / 20_000) + (i % 7));
    // Building the index may read every character (twice at most); the lookups must not walk the line.
    const { result: positions, reads } = countCharReads(2 * text.length, () => {
      const lines = createLineIndex(text);
      return offsets.map((offset) => lines.positionOf(offset));
    });
    assert.ok(reads <= 2 * text.length, `${reads} reads`);
    // The naive reference is itself quadratic, so it checks a sample spread over the line.
    for (let i = 0; i < offsets.length; i += 499) {
      assert.deepEqual(positions[i], naivePosition(text, offsets[i] ?? 0), `offset ${offsets[i]}`);
    }
    assert.equal(positions.at(-1)?.line, 1);
  });
});
