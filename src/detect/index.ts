/** Public surface of the text detectors: PII, secrets, prompt injection. */
export { DETECTOR_KINDS, type Detection, type DetectorKind, type TextDetector } from "./detection.js";
export {
  createDefaultInjectionDetector,
  createExternalGuard,
  createInjectionDetector,
  type DefaultInjectionDetectorOptions,
  type EvaluationSummary,
  type ExternalGuard,
  INJECTION_MODES,
  type InjectionDetector,
  type InjectionMode,
  type InjectionResult,
  type InjectionSignal,
  loadInjectionRules,
  summariseEvaluation,
} from "./injection/index.js";
