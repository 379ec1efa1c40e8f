import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createFeatureExtractor, DEFAULT_FEATURE_CONFIG, type FeatureConfig } from "./features.js";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x9e3779b9;
const SEED_BIGRAM = 0x85ebca6b;

/** The features as documented, written plainly: the buckets a model was trained on must not move. */
function reference(text: string, config: FeatureConfig): number[] {
  const mask = config.dims - 1;
  const buckets = new Set<number>();
  const padded = ` ${text} `;
  for (const n of config.charNgrams)
    for (let i = 0; i + n <= padded.length; i++) {
      let h = FNV_OFFSET;
      for (let k = 0; k < n; k++) h = Math.imul(h ^ padded.charCodeAt(i + k), FNV_PRIME);
      buckets.add((Math.imul(h ^ n, FNV_PRIME) >>> 0) & mask);
    }
  let previous: number | undefined;
  for (const word of text.match(/[a-z0-9'\u00c0-\uffff]+/g) ?? []) {
    let h = FNV_OFFSET ^ SEED_WORD;
    let kept = "";
    for (const ch of word) {
      for (let k = 0; k < ch.length; k++) {
        const code = ch.charCodeAt(k);
        if (!isWordChar(code)) {
          if (kept !== "") previous = flush(h, previous);
          h = FNV_OFFSET ^ SEED_WORD;
          kept = "";
          continue;
        }
        h = Math.imul(h ^ code, FNV_PRIME);
        kept += ch[k];
      }
    }
    if (kept !== "") previous = flush(h, previous);
  }
  function flush(h: number, before: number | undefined): number {
    buckets.add((h >>> 0) & mask);
    if (config.wordBigrams && before !== undefined)
      buckets.add((Math.imul(Math.imul(before, 31) ^ h ^ SEED_BIGRAM, FNV_PRIME) >>> 0) & mask);
    return h;
  }
  return [...buckets].sort((a, b) => a - b);
}

function isWordChar(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39) return true;
  if (code < 0xc0) return false;
  if (code >= 0x2000 && code <= 0x206f) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  if (code >= 0xff00 && code <= 0xff65) return false;
  return code !== 0xd7 && code !== 0xf7;
}

describe("injection features", () => {
  for (const config of [DEFAULT_FEATURE_CONFIG, { ...DEFAULT_FEATURE_CONFIG, charNgrams: [3, 5], wordBigrams: true }]) {
    it(`hash to the documented buckets (char n-grams ${config.charNgrams.join("+")})`, () => {
      const extractor = createFeatureExtractor(config);
      const text = fc.oneof(
        fc.string({ unit: fc.constantFrom(..."ignore all previous instructions 0'xé—\u3001\uff01 "), maxLength: 400 }),
        fc.string({ unit: "binary", maxLength: 400 }),
      );
      fc.assert(
        fc.property(text, (t) => {
          assert.deepEqual(
            [...extractor.extract(t)].sort((a, b) => a - b),
            reference(t, config),
          );
        }),
        { numRuns: 500 },
      );
    });
  }

  it("score a range as the same slice scored whole", () => {
    const extractor = createFeatureExtractor();
    const weights = new Int16Array(DEFAULT_FEATURE_CONFIG.dims).map((_, i) => ((i * 7919) & 0xffff) - 32768);
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.nat(), fc.nat(), (t, a, b) => {
        const from = Math.min(a, b) % (t.length + 1);
        const to = Math.max(from, Math.max(a, b) % (t.length + 1));
        assert.deepEqual(extractor.dotRange(t, from, to, weights), extractor.dot(t.slice(from, to), weights));
      }),
      { numRuns: 500 },
    );
  });
});
