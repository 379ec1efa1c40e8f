/** Public surface of the secrets detector: rule format, rule loading and the detector itself. */
export { createKeywordMatcher, type KeywordMatcher } from "./aho-corasick.js";
export {
  createSecretsDetector,
  DEFAULT_MAX_DETECTIONS,
  type SecretsDetectorOptions,
} from "./detector.js";
export {
  type CompiledSecretRule,
  compileSecretRules,
  type LoadSecretRulesOptions,
  loadSecretRules,
  MAX_MATCH_LENGTH,
  PROBE_BUDGET_MS,
  type SecretRuleSet,
  type SecretRuleSource,
  shippedSecretRulesDir,
} from "./load-rules.js";
export { analyzeRegex, hostileInputs, probeRegexTime, type RegexAnalysis } from "./regex-safety.js";
export {
  MAX_PATTERN_LENGTH,
  MAX_SECRET_SPAN,
  type SecretAllowlist,
  SecretAllowlistSchema,
  type SecretRule,
  type SecretRuleFile,
  SecretRuleFileSchema,
  SecretRuleSchema,
} from "./rule-schema.js";
export { formatSecretRulesMarkdown, RULES_DOC_END, RULES_DOC_START } from "./rules-doc.js";
export { findStopword, isPlaceholder, shannonEntropy } from "./value-gates.js";
