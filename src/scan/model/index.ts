/** Public surface of scan/model: model-file safety (pickle VM and format checks) and model identity. */
export { DEFAULT_ARCHIVE_LIMITS, MODEL_EXTENSIONS } from "./analyse.js";
export { toComponent, toCycloneDxComponent, toFindings } from "./bom.js";
export { readTarDirectory, type TarEntry } from "./containers/tar.js";
export { checkTemplate } from "./formats/gguf.js";
export { CAPABILITIES, type Capability } from "./pickle/callables.js";
export { dangerousPrefixes, safeCallables } from "./pickle/classify.js";
export {
  analysePickle,
  DEFAULT_PICKLE_LIMITS,
  type PickleAnalysis,
  type PickleAnalysisOptions,
  type PickleLimits,
} from "./pickle/vm.js";
export { type FindingEffect, MODEL_RULE_IDS, MODEL_RULES, type ModelRule, type ModelRuleId } from "./rules.js";
export {
  type ScanModelOptions,
  scanModelBytes,
  scanModelFile,
  scanModelPath,
  scanModelPaths,
  sha256File,
} from "./scan.js";
export { type ByteSource, fileSource } from "./source.js";
export { type ModelStoreRef, storeLabel } from "./stores.js";
export {
  MODEL_FORMATS,
  MODEL_VERDICTS,
  type ModelFinding,
  type ModelFormat,
  type ModelIdentity,
  type ModelScanResult,
  type ModelVerdict,
  toVerdict,
} from "./types.js";
