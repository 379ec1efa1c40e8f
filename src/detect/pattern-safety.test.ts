import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { boundQuantifiers } from "./pattern-safety.js";

describe("boundQuantifiers", () => {
  it("bounds *, + and {n,}, lazy ones included", () => {
    assert.equal(boundQuantifiers("a*b+c{2,}d*?", 64), "a{0,64}b{1,64}c{2,64}d{0,64}?");
    assert.equal(boundQuantifiers("(?:ab)+x{100,}", 64), "(?:ab){1,64}x{100,100}");
  });

  it("leaves classes, escapes and bounded quantifiers alone", () => {
    assert.equal(boundQuantifiers("[*+]\\*\\+x{1,3}\\p{L}{2}\\u{1F600}", 64), "[*+]\\*\\+x{1,3}\\p{L}{2}\\u{1F600}");
    assert.equal(boundQuantifiers("[\\]*]+", 8), "[\\]*]{1,8}");
  });

  it("matches what the unbounded pattern matches when repeats stay within the bound", () => {
    const source = "(===|---|\\*\\*\\*|###)[=*#-]*\\s?(end|stop|begin|start)\\b";
    const bounded = new RegExp(boundQuantifiers(source, 64));
    for (const text of ["=== end", "------------ stop now", "#### begin", "--- nothing", `${"-".repeat(500)} end`]) {
      assert.equal(bounded.test(text), new RegExp(source).test(text), text);
    }
  });
});
