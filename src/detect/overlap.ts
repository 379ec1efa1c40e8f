/** Overlap resolution shared by every detector: keep the best span where spans overlap. */
import type { Detection } from "./detection.js";

/**
 * Greedy best-first: higher score wins, then the longer span, then the earlier one. Returns the
 * kept spans in text order. Deterministic, so streaming and whole-text runs agree.
 *
 * O(n log n): a candidate overlaps a kept span k when `k.start < candidate.end` and
 * `k.end > candidate.start`, so it is enough to know the largest end among kept spans that start
 * before `candidate.end` — a prefix maximum, kept in a Fenwick tree over the distinct starts.
 * (Checking every kept span instead is quadratic: 100,000 e-mail-shaped spans took minutes.)
 */
export function resolveOverlaps(detections: readonly Detection[]): Detection[] {
  if (detections.length <= 1) return [...detections];
  const ranked = [...detections].sort(
    (a, b) =>
      b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start || a.entity.localeCompare(b.entity),
  );
  const starts = sortedUnique(detections.map((d) => d.start));
  const maxEnd = createPrefixMax(starts.length);
  const kept: Detection[] = [];
  for (const candidate of ranked) {
    // Kept spans starting before candidate.end: the first `before` distinct starts.
    const before = countBelow(starts, candidate.end);
    if (maxEnd.query(before) > candidate.start) continue;
    kept.push(candidate);
    maxEnd.raise(countBelow(starts, candidate.start), candidate.end);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function sortedUnique(values: number[]): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i] as number;
  }
  return sorted.subarray(0, n);
}

/** How many entries of the ascending `sorted` are below `value`. */
function countBelow(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Fenwick tree of running maxima: raise slot i to at least v; the maximum of the first n slots. */
function createPrefixMax(size: number): { raise(slot: number, value: number): void; query(count: number): number } {
  const tree = new Float64Array(size + 1).fill(Number.NEGATIVE_INFINITY);
  return {
    raise(slot, value) {
      for (let i = slot + 1; i <= size; i += i & -i) if ((tree[i] as number) < value) tree[i] = value;
    },
    query(count) {
      let best = Number.NEGATIVE_INFINITY;
      for (let i = count; i > 0; i -= i & -i) if ((tree[i] as number) > best) best = tree[i] as number;
      return best;
    },
  };
}
