/** Overlap resolution shared by every detector: keep the best span where spans overlap. */
import type { Detection } from "./detection.js";

/**
 * Greedy best-first: higher score wins, then the longer span, then the earlier one. Returns the
 * kept spans in text order. Deterministic, so streaming and whole-text runs agree.
 */
export function resolveOverlaps(detections: readonly Detection[]): Detection[] {
  const ranked = [...detections].sort(
    (a, b) =>
      b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start || a.entity.localeCompare(b.entity),
  );
  const kept: Detection[] = [];
  for (const candidate of ranked) {
    if (kept.every((k) => candidate.end <= k.start || candidate.start >= k.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
