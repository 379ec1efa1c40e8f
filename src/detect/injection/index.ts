/** Public surface of the prompt-injection and jailbreak detector. */

export {
  addressesPerson,
  CUES,
  type Cue,
  cueBits,
  cueWords,
  hasCue,
} from "./address.js";
export {
  CASCADE_STAGES,
  type CascadeResult,
  type CascadeScore,
  type CascadeStage,
  createInjectionCascade,
  type InjectionCascade,
  type InjectionCascadeOptions,
  toPolicyScale,
} from "./cascade.js";
export {
  createInjectionDetector,
  type DetectOptions,
  type ExternalGuard,
  type InjectionDetector,
  type InjectionDetectorOptions,
} from "./detector.js";
export {
  createDocumentSpanScorer,
  type DocumentAnalysis,
  type DocumentSpanScorer,
  OBFUSCATING,
  type ScoredSpan,
  toSpanInputs,
} from "./document.js";
export { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from "./features.js";
export { createExternalGuard, type ExternalGuardOptions, toGuardScore } from "./guard.js";
export {
  createDefaultInjectionDetector,
  type DefaultInjectionDetectorOptions,
  DOCUMENT_MODEL_FILE,
  defaultInjectionRulesDir,
  INJECTION_MODEL_FILE,
  loadDocumentModel,
  loadInjectionModel,
  loadInjectionRules,
} from "./load.js";
export {
  type EvaluationSummary,
  percentile,
  rocAuc,
  type ScoredExample,
  summariseEvaluation,
} from "./metrics.js";
export {
  createInjectionClassifier,
  type HiddenLayer,
  type InjectionClassifier,
  type LengthBias,
  type LinearModel,
  lengthOffset,
  parseInjectionModel,
  toInjectionModelFile,
} from "./model.js";
export { type NormalisedText, normaliseText, TRANSFORMATIONS, type Transformation } from "./normalise.js";
export {
  type ClassifierScore,
  type ClassifierSession,
  createOnnxClassifier,
  ONNX_CLASSIFIER_FAILURES,
  type OnnxClassifier,
  OnnxClassifierError,
  type OnnxClassifierFailure,
  type OnnxClassifierOptions,
} from "./onnx-classifier.js";
export {
  createThreadedOnnxClassifier,
  type ThreadedOnnxClassifier,
  type ThreadedOnnxClassifierOptions,
} from "./onnx-thread.js";
export {
  type CompiledInjectionRule,
  compileInjectionRules,
  InjectionRulePackSchema,
  parseInjectionRulePack,
} from "./rules.js";
export {
  type DocumentSpan,
  GENRES,
  type Genre,
  genreOf,
  type SegmentedDocument,
  SPAN_KINDS,
  type SpanKind,
  segmentDocument,
} from "./segment.js";
export { createRandom, type TrainingExample, type TrainOptions, trainLinearModel } from "./train.js";
export {
  INJECTION_MODES,
  type InjectionMode,
  type InjectionResult,
  type InjectionSignal,
  type InjectionVerdict,
  type ReportedSpan,
} from "./types.js";
