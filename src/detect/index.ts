/** Public surface of the text detectors: PII, secrets, prompt injection, redaction, streaming. */
export { DETECTOR_KINDS, type Detection, type DetectorKind, type TextDetector } from "./detection.js";
export {
  type EvalRecord,
  type EvalReport,
  GOLD_TYPE_ALIASES,
  type GoldSpan,
  IOU_THRESHOLD,
  parseEvalRecords,
  type Scores,
  scoreSpans,
} from "./evaluate.js";
export { resolveOverlaps } from "./overlap.js";
export { createPiiDetector, PII_CONTEXT_REACH, type PiiDetectorOptions } from "./pii/detector.js";
export { definePatternRecognizer, type PatternRecognizerSpec, type Recognizer } from "./pii/recognizer.js";
