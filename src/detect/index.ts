/** Public surface of the text detectors: PII, secrets, prompt injection, redaction, streaming. */

export { combineDetectors } from "./combine.js";
export {
  DETECTOR_KINDS,
  type Detection,
  type DetectorKind,
  type StreamProfile,
  type TextDetector,
} from "./detection.js";
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
export {
  type CascadeResult,
  type CascadeStage,
  createDefaultInjectionDetector,
  createExternalGuard,
  createInjectionCascade,
  createInjectionDetector,
  createOnnxClassifier,
  createRandom,
  createThreadedOnnxClassifier,
  type DefaultInjectionDetectorOptions,
  type EvaluationSummary,
  type ExternalGuard,
  INJECTION_MODES,
  type InjectionDetector,
  type InjectionMode,
  type InjectionResult,
  type InjectionSignal,
  loadInjectionRules,
  type OnnxClassifier,
  OnnxClassifierError,
  type OnnxClassifierOptions,
  summariseEvaluation,
} from "./injection/index.js";
export { resolveOverlaps } from "./overlap.js";
export { nestedQuantifierReason } from "./pattern-safety.js";
export {
  CUSTOM_VALIDATORS,
  type CustomRecognizerSpec,
  type CustomValidator,
  defineCustomRecognizer,
} from "./pii/custom.js";
export {
  createPiiDetector,
  PII_CONTEXT_REACH,
  PII_NAMES_MODES,
  type PiiDetectorOptions,
  type PiiNamesMode,
  piiEntities,
} from "./pii/detector.js";
export { definePatternRecognizer, type PatternRecognizerSpec, type Recognizer } from "./pii/recognizer.js";
export { createLineIndex, type LineIndex, type TextPosition } from "./position.js";
export {
  createPseudonymTable,
  maskValue,
  type PseudonymTable,
  REDACTION_STYLES,
  type RedactionStyle,
  type RedactOptions,
  type Replacement,
  redact,
  styleFor,
} from "./redact.js";
export {
  createSecretsDetector,
  loadSecretRules,
  type SecretRuleSet,
  type SecretsDetectorOptions,
} from "./secrets/index.js";
export {
  createIncrementalDetector,
  createStreamingRedactor,
  createStreamingRestorer,
  type IncrementalDetector,
  type IncrementalOptions,
  type StreamingRedactor,
  type StreamSegment,
} from "./stream.js";
