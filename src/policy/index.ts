/** Public surface of the policy engine: load, compile, evaluate; schema and rule catalog. */
export {
  ALERT_SINK_TYPES,
  type AlertSinkConfig,
  AlertSinkConfigSchema,
  type AlertsPolicy,
  AlertsPolicySchema,
  DURATION_SYNTAX,
  isHttpUrl,
  type OtlpSinkConfig,
  parseDuration,
  resolveEnvReferences,
  SYSLOG_FACILITIES,
  SYSLOG_FORMATS,
  type SyslogFacility,
  type SyslogFormat,
  type SyslogSinkConfig,
  WEBHOOK_FORMATS,
  type WebhookFormat,
  type WebhookSinkConfig,
} from "./alerts.js";
export {
  CONTROL_IDS,
  CONTROL_STATES,
  type Control,
  type ControlId,
  type ControlState,
  controlsOf,
} from "./controls.js";
export { type CompiledPolicy, compilePolicy } from "./evaluate.js";
export {
  GATES,
  type Gate,
  type GateDecision,
  GateDecisionSchema,
  gateDecisionEvent,
  MAX_GATE_REASONS,
  scanGateEvent,
  toGateDecision,
} from "./gate-decision.js";
export { compileGlobs, type Matcher } from "./glob.js";
export {
  CLASSIFIER_MODES,
  type InjectionClassifierPolicy,
  InjectionClassifierSchema,
} from "./injection-classifier.js";
export {
  type KubernetesInput,
  KubernetesInputSchema,
  type PolicyInput,
  PolicyInputSchema,
  type RequestInput,
  RequestInputSchema,
  type ScanInput,
  type ScanInputDraft,
  ScanInputSchema,
} from "./input.js";
export { type Container, containersOf, GPU_RESOURCES, type PodSpec, podSpecOf, podTemplateOf } from "./kubernetes.js";
export { type ModelReference, modelReferencesOf } from "./kubernetes-models.js";
export {
  checkPattern,
  type LoadedPolicy,
  loadPolicyFiles,
  mergePolicies,
  type ParsedPolicy,
  parsePolicyText,
} from "./load.js";
export {
  type ApprovedModel,
  compileModelPins,
  type ModelPinResult,
  type ModelPinStatus,
  type PinnedModelReference,
} from "./model-pins.js";
export { OPT_IN_PII_ENTITIES, type OptInEntity, type PiiDirection, piiActionFor } from "./pii.js";
export { BUILTIN_RULES, type BuiltinRuleId } from "./rules.js";
export type { EffectiveAccess, McpEffectiveAccess } from "./runtime.js";
export {
  ACTIONS,
  type CustomRecognizerSpec,
  type CustomRule,
  DEFAULT_AI_IMAGES,
  defaultRuntime,
  FAIL_MODES,
  GUARD_ACTIONS,
  GUARD_MODES,
  type GuardAction,
  type KubernetesPolicy,
  type Limits,
  MAX_KEEP_LAST,
  type McpAccess,
  type McpArgumentRule,
  type McpRuntimePolicy,
  PII_NAMES_SETTINGS,
  type PolicyDocument,
  PolicyDocumentSchema,
  type PolicyException,
  type PolicySpec,
  type Role,
  type RuntimePolicy,
  STREAM_MODES,
  UNKNOWN_FIELD_MODES,
} from "./schema.js";
export { compileMcpApproval, type McpServerRef } from "./supply-chain.js";
export { findPolicyTests, type PolicyTestResult, runPolicyTestFile } from "./test-runner.js";
export { type CompiledException, compileExceptions, matchException, toVerdict, type Violation } from "./verdict.js";
export { createPolicyHolder, type PolicyHolder, type PolicyHolderOptions } from "./watch.js";
