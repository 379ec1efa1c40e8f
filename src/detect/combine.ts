/** Run several detectors as one: spans from all of them, overlaps resolved across detectors. */
import type { Detection, TextDetector } from "./detection.js";
import { resolveOverlaps } from "./overlap.js";
import { fixedWindowProfile, holdBefore } from "./stream.js";

export function combineDetectors(detectors: readonly TextDetector[]): TextDetector {
  if (detectors.length === 1 && detectors[0]) return detectors[0];
  // Streaming calls detect and then holdFrom on the same buffer; both need every detector's
  // spans before overlaps are resolved across detectors, so the last text's are kept.
  let lastText: string | undefined;
  let lastSpans: Detection[] = [];
  const spansOf = (text: string): Detection[] => {
    if (text !== lastText) {
      lastSpans = detectors.flatMap((d) => d.detect(text));
      lastText = text;
    }
    return lastSpans;
  };
  const profiles = detectors.map((d) => d.stream ?? fixedWindowProfile(d));
  return {
    kind: detectors[0]?.kind ?? "pii",
    maxSpanLength: Math.max(1, ...detectors.map((d) => d.maxSpanLength)),
    contextReach: Math.max(0, ...detectors.map((d) => d.contextReach)),
    detect: (text) => resolveOverlaps(spansOf(text)),
    // Streaming must satisfy every detector: the largest hold-back and look-back, the earliest
    // hold point, moved left past any span crossing it, since one detector's span still to come
    // may displace another's there when overlaps are resolved across detectors.
    stream: {
      holdBack: Math.max(0, ...profiles.map((p) => p.holdBack)),
      lookback: Math.max(0, ...profiles.map((p) => p.lookback)),
      holdFrom: (text) => holdBefore(spansOf(text), Math.min(text.length, ...profiles.map((p) => p.holdFrom(text)))),
    },
  };
}
