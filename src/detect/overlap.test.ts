import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Detection } from "./detection.js";
import { resolveOverlaps } from "./overlap.js";

function aDetection(overrides: Partial<Detection>): Detection {
  return {
    entity: "EMAIL_ADDRESS",
    start: 0,
    end: 1,
    score: 0.5,
    detector: "pii",
    ruleId: "x",
    reasons: [],
    ...overrides,
  };
}

/** The definition: best first, kept unless it overlaps a span already kept (quadratic). */
function reference(detections: readonly Detection[]): Detection[] {
  const ranked = [...detections].sort(
    (a, b) =>
      b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start || a.entity.localeCompare(b.entity),
  );
  const kept: Detection[] = [];
  for (const c of ranked) if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

describe("resolveOverlaps", () => {
  it("keeps the higher score, then the longer span, then the earlier one", () => {
    const low = aDetection({ start: 0, end: 10, score: 0.4 });
    const high = aDetection({ start: 5, end: 8, score: 0.9 });
    const after = aDetection({ start: 10, end: 12, score: 0.1 });
    assert.deepEqual(resolveOverlaps([low, high, after]), [high, after]);
  });

  it("keeps what the one-by-one definition keeps", () => {
    const span = fc
      .record({
        start: fc.integer({ min: 0, max: 60 }),
        length: fc.integer({ min: 0, max: 15 }),
        score: fc.constantFrom(0.3, 0.5, 0.9, 1),
        entity: fc.constantFrom("A", "B"),
      })
      .map(({ start, length, score, entity }) => aDetection({ start, end: start + length, score, entity }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 40 }), (spans) => {
        assert.deepEqual(resolveOverlaps(spans), reference(spans));
      }),
      { numRuns: 500 },
    );
  });
});
