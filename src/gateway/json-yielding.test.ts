import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stringifyYielding } from "./json-yielding.js";

describe("yielding JSON.stringify", () => {
  it("writes exactly what JSON.stringify writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        assert.equal(await stringifyYielding(value), JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
    const odd = { a: undefined, b: [undefined, 1], c: new Date(0), d: "x".repeat(600_000) };
    assert.equal(await stringifyYielding(odd), JSON.stringify(odd));
    // A surrogate pair across a slice boundary, quotes, control characters and a lone surrogate.
    const hostile = `${"a".repeat(256 * 1024 - 1)}😀"\n\u0001\ud800${"é".repeat(300_000)}`;
    assert.equal(await stringifyYielding({ hostile }), JSON.stringify({ hostile }));
  });
});
