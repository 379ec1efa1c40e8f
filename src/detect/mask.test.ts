import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createPiiDetector } from "./pii/detector.js";
import { maskValue } from "./redact.js";

describe("mask redaction", () => {
  it("keeps the last characters of a long value and masks the rest", () => {
    assert.equal(maskValue("4111 1111 1111 1234", 4), "**** **** **** 1234");
  });

  it("never shows more than half of a value's letters and digits", () => {
    assert.equal(maskValue("12-34", 4), "**-34");
    assert.equal(maskValue("123", 4), "**3");
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 4 }), (value, keep) => {
        const significant = [...value].filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
        const shown = [...maskValue(value, keep)].filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
        assert.ok(shown <= Math.floor(significant / 2) && shown <= keep);
      }),
    );
  });
});

describe("places at the end of a sentence", () => {
  it("ends the place before the sentence's full stop", () => {
    const text = "Tell me about Germany.";
    const found = createPiiDetector()
      .detect(text)
      .filter((d) => d.entity === "LOCATION");
    assert.deepEqual(
      found.map((d) => text.slice(d.start, d.end)),
      ["Germany"],
    );
  });
});
