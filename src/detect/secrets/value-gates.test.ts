import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findStopword, isPlaceholder, shannonEntropy } from "./value-gates.js";

describe("shannonEntropy", () => {
  it("is 0 for one repeated symbol and log2(n) for n distinct symbols", () => {
    assert.equal(shannonEntropy(""), 0);
    assert.equal(shannonEntropy("aaaa"), 0);
    assert.equal(shannonEntropy("abcd"), 2);
    assert.equal(shannonEntropy("0123456789abcdef"), 4);
  });
});

describe("isPlaceholder", () => {
  for (const value of [
    "xxxxxxxx",
    "sk-XXXXXXXXXXXXXXXX",
    "********",
    "<your-key>",
    "<YOUR_API_KEY>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the input under test
    "${DB_PASSWORD}",
    "{{ db_password }}",
    "%(password)s",
    "$PASSWORD",
    "%PASSWORD%",
    'os.environ["KEY"]',
    "process.env.OPENAI_API_KEY",
    "getenv(",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the input under test
    "${{ secrets.TOKEN }}",
    "abc...",
    "0000000",
    "AKIAIOSFODNN7EXAMPLE",
    "dapi123456789abcdef123456789abcdef00",
    "lin_api_abcdefgiRuRkwmbYFY7xGlBxe8GUg8YNBzaRyF4W",
  ]) {
    it(`treats ${value} as a placeholder`, () => assert.equal(isPlaceholder(value), true));
  }
  for (const value of ["hunter2xyz", "Prl23Db#@", "ghp_8fJ2kLm9QxZ", "AKIAZ3Q4R5T6Y7U8I9O0"]) {
    it(`treats ${value} as a possible secret`, () => assert.equal(isPlaceholder(value), false));
  }
});

describe("findStopword", () => {
  it("matches case-insensitive substrings", () => {
    assert.equal(findStopword("MyExampleKey", ["example"]), "example");
    assert.equal(findStopword("Zq8vR2kL", ["example"]), undefined);
  });
});
