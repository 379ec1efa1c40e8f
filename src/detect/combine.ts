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
    // Streaming must satisfy every detector: the largest hold-back and look-back, the earliest hold point.
    ...(detectors.some((d) => d.stream)
      ? {
          stream: {
            holdBack: Math.max(...detectors.map((d) => d.stream?.holdBack ?? d.maxSpanLength + d.contextReach)),
            lookback: Math.max(...detectors.map((d) => d.stream?.lookback ?? 4 * d.maxSpanLength + d.contextReach)),
            holdFrom: (text: string) => Math.min(...detectors.map((d) => d.stream?.holdFrom(text) ?? text.length)),
          },
        }
      : {}),
  };
}
