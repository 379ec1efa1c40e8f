import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createKeywordMatcher } from "./aho-corasick.js";

function hits(keywords: string[], text: string): string[] {
  const found: string[] = [];
  createKeywordMatcher(keywords).scan(text, (k, end) => found.push(`${keywords[k]}@${end}`));
  return found.sort();
}

function naive(keywords: string[], text: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const keyword of keywords) {
    for (let i = lower.indexOf(keyword); i >= 0; i = lower.indexOf(keyword, i + 1)) {
      found.push(`${keyword}@${i + keyword.length}`);
    }
  }
  return found.sort();
}

describe("createKeywordMatcher", () => {
  it("finds overlapping keywords case-insensitively", () => {
    assert.deepEqual(hits(["he", "she", "hers", "his"], "uSHErs"), ["he@4", "hers@6", "she@4"]);
  });

  it("resets on non-ASCII characters", () => {
    assert.deepEqual(hits(["ab"], "aéb ab"), ["ab@6"]);
  });

  it("agrees with a naive search on random text", () => {
    const alphabet = fc.constantFrom("a", "b", "c", "A", "B", "-", "_", "é");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: fc.constantFrom("a", "b", "c", "-", "_"), minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.string({ unit: alphabet, maxLength: 200 }),
        (keywords, text) => {
          assert.deepEqual(hits(keywords, text), naive(keywords, text));
        },
      ),
    );
  });

  it("refuses non-ASCII keywords", () => {
    assert.throws(() => createKeywordMatcher(["clé"]), RangeError);
  });
});
