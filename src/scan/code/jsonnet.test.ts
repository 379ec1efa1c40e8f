import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readJsonnet } from "./jsonnet.js";

describe("Jsonnet reader", () => {
  it("reads the JSON a file spells out: locals skipped, strings joined, objects merged", () => {
    const text = [
      "local f(x) = x + 1;",
      "local base = { a: 1 };",
      "{",
      "  a+: { b: 'x' + \"y\", c:: [1, 2], hidden::: true },",
      "  m(x): x,",
      "  [std.format('%s', 'k')]: 1,",
      "  local inner = 3,",
      "  e: |||",
      "    line one",
      "      two",
      "  |||,",
      "  s: @'c:\\path',",
      "  ref: std.extVar('HOME') + '/bin',",
      "  cond: if true then 'a' else 'b',",
      "  list: [x for x in [1, 2]],",
      "  merged: { a: 1 } + { b: 2 },",
      "  n: null,",
      "}",
    ].join("\n");
    assert.deepEqual(readJsonnet(text).value, {
      a: { b: "xy", c: [1, 2], hidden: true },
      e: "line one\n  two\n",
      s: "c:\\path",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the reader keeps expressions as ${source}
      ref: "${std.extVar('HOME')}/bin",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the reader keeps expressions as ${source}
      cond: "${if true then 'a' else 'b'}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the reader keeps expressions as ${source}
      list: ["${x for x in [1, 2]}"],
      merged: { a: 1, b: 2 },
      n: null,
    });
  });

  it("keeps the offset of each member, for its line", () => {
    const text = "{\n  servers: {\n    one: { command: 'x' },\n  },\n}";
    const root = readJsonnet(text);
    const one = root.children?.get("servers")?.children?.get("one");
    assert.equal(one?.offset, text.indexOf("one"));
  });

  it("throws a plain error on text that is not Jsonnet, and never hangs or overflows", () => {
    for (const bad of ["{ a: 'x }", "{ a: (1 }", "/* open", "{ a: 1 } }", "{ a ~ 1 }"])
      assert.throws(() => readJsonnet(bad), Error, bad);
    assert.throws(() => readJsonnet("[".repeat(10_000)), /nested deeper|unbalanced|expected/);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          readJsonnet(text);
        } catch (e) {
          assert.ok(e instanceof Error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
