/** Public surface of the prompt-injection and jailbreak detector. */
export {
  createInjectionDetector,
  type DetectOptions,
  type ExternalGuard,
  type InjectionDetector,
  type InjectionDetectorOptions,
} from "./detector.js";
export { createExternalGuard, type ExternalGuardOptions, toGuardScore } from "./guard.js";
export {
  createDefaultInjectionDetector,
  type DefaultInjectionDetectorOptions,
  defaultInjectionRulesDir,
  INJECTION_MODEL_FILE,
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
  type InjectionClassifier,
  type LinearModel,
  parseInjectionModel,
  toInjectionModelFile,
} from "./model.js";
export { type NormalisedText, normaliseText, TRANSFORMATIONS, type Transformation } from "./normalise.js";
export {
  type CompiledInjectionRule,
  compileInjectionRules,
  InjectionRulePackSchema,
  parseInjectionRulePack,
} from "./rules.js";
export { createRandom, type TrainingExample, type TrainOptions, trainLinearModel } from "./train.js";
export {
  INJECTION_MODES,
  type InjectionMode,
  type InjectionResult,
  type InjectionSignal,
  type InjectionVerdict,
} from "./types.js";
