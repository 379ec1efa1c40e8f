import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createLineIndex } from "./position.js";

/** Lines of any characters (astral ones too), joined by `\n` and `\r\n`. */
const textWithLines = fc
  .array(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("\n", "\r\n")))
  .map((parts) => parts.join(""));

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
        const before = text.slice(0, offset).split("\n");
        const last = before.at(-1) ?? "";
        assert.deepEqual(createLineIndex(text).positionOf(offset), {
          line: before.length,
          column: [...last].length + 1,
        });
      }),
    );
  });
});
