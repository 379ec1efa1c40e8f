/** Run several detectors as one: spans from all of them, overlaps resolved across detectors. */
import type { TextDetector } from "./detection.js";
import { resolveOverlaps } from "./overlap.js";

export function combineDetectors(detectors: readonly TextDetector[]): TextDetector {
  if (detectors.length === 1 && detectors[0]) return detectors[0];
  return {
    kind: detectors[0]?.kind ?? "pii",
    maxSpanLength: Math.max(1, ...detectors.map((d) => d.maxSpanLength)),
    contextReach: Math.max(0, ...detectors.map((d) => d.contextReach)),
    detect: (text) => resolveOverlaps(detectors.flatMap((d) => d.detect(text))),
  };
}
