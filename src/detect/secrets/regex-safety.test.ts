import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeRegex, probeRegexTime, requiredLiterals } from "./regex-safety.js";

function maxLength(source: string): number {
  const result = analyzeRegex(source);
  assert.ok(result.ok, `expected ${source} to be accepted`);
  return result.maxLength;
}

function refusal(source: string): string {
  const result = analyzeRegex(source);
  assert.ok(!result.ok, `expected ${source} to be refused`);
  return result.reason;
}

describe("analyzeRegex", () => {
  it("computes the longest match of bounded patterns", () => {
    assert.equal(maxLength("ghp_[A-Za-z0-9]{36}"), 40);
    assert.equal(maxLength("(?<![\\w-])sk-(?:proj|admin)-[A-Za-z0-9_-]{40,250}(?![\\w-])"), 259);
    assert.equal(maxLength("a|bcd|ef"), 3);
    assert.equal(maxLength("(?:[a-f0-9]{4}-){3}x"), 16);
    assert.equal(maxLength("\\u{1F600}\\p{L}{2}\\x41"), 4);
    assert.equal(maxLength("(?<name>ab)?c\\b$"), 3);
  });

  it("reports unbounded quantifiers as an infinite length", () => {
    assert.equal(maxLength("key=\\S+"), Number.POSITIVE_INFINITY);
    assert.equal(maxLength("a{2,}"), Number.POSITIVE_INFINITY);
  });

  it("refuses nested quantifiers and repeated alternations", () => {
    assert.match(refusal("(a+)+$"), /nested quantifier/);
    assert.match(refusal("(?:a|aa){1,40}"), /nested quantifier/);
    assert.match(refusal("(\\w{1,9}\\s?){2,30}"), /nested quantifier/);
    assert.match(refusal("(?:x(?:a|b)){2}"), /nested quantifier/);
  });

  it("refuses backreferences", () => {
    assert.match(refusal("(a)\\1"), /backreference/);
    assert.match(refusal("(?<q>['\"])x\\k<q>"), /backreference/);
  });

  it("accepts a repeated group of fixed width", () => {
    assert.equal(maxLength("(?:[A-Z0-9]{5}-){4}[A-Z0-9]{5}"), 29);
  });

  it("measures a slow pattern as slow and a safe one as fast", () => {
    const fast = probeRegexTime(/ghp_[A-Za-z0-9]{36}/gu, 10_000);
    assert.ok(fast < 50, `safe pattern took ${fast} ms`);
  });
});

describe("requiredLiterals", () => {
  it("finds the plain runs every match contains", () => {
    assert.deepEqual(
      requiredLiterals(
        "-----BEGIN (?:(?:RSA|EC) )?PRIVATE KEY-----[\\s\\S]{40,8000}?-----END (?:(?:RSA|EC) )?PRIVATE KEY-----",
      ),
      ["-----BEGIN ", "PRIVATE KEY-----", "-----END ", "PRIVATE KEY-----"],
    );
    assert.deepEqual(requiredLiterals("(?<![\\w-])eyJ[\\w-]{10,20}\\.eyJ[\\w-]{8,40}"), [".eyJ"]);
    assert.deepEqual(requiredLiterals("https?:\\/\\/hooks\\.slack\\.com\\/x"), ["http", "://hooks.slack.com/x"]);
  });

  it("leaves out what may be missing: optional characters, groups, classes and alternatives", () => {
    assert.deepEqual(requiredLiterals("abcde?fghij"), ["abcd", "fghij"]);
    assert.deepEqual(requiredLiterals("abcd|efgh"), []);
    assert.deepEqual(requiredLiterals("(?:abcdef)x[abcdef]\\d{4}wxyz{0,2}"), []);
    assert.deepEqual(requiredLiterals("token\\b:{1,3}value"), ["token", "value"]);
  });
});
