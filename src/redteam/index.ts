/**
 * Public surface of the red-team module: probe packs, the probes a seed generates, sending them
 * to an OpenAI-compatible endpoint, judging the answers, and the report with the policy fixes.
 */

export {
  type Canaries,
  canaryValues,
  createCanaries,
  DEFAULT_SYSTEM_PROMPT,
  germanIban,
  REFERENCE_CODE_PATTERN,
  SYSTEM_PROMPT_PLACEHOLDERS,
  systemPromptFor,
} from "./canaries.js";
export { CATEGORIES, CATEGORY_IDS, type CategoryId, type RedteamCategory } from "./categories.js";
export {
  attackText,
  FIX_MAX_TOKENS,
  FIX_ROLE,
  type FixContext,
  fixFor,
  MIN_INJECTION_THRESHOLD,
  mergeFixes,
  type PolicyFix,
  type RuntimePatch,
  thresholdFloor,
  toSuggestedPolicy,
} from "./fixes.js";
export {
  type GenerateOptions,
  generateProbes,
  hashSeed,
  type ProbeCase,
  type ProbeMessage,
  type ProbeSet,
  renderTemplate,
} from "./generate.js";
export { type Answer, isRefusal, type Judgement, type Judges, judgeAnswer, type ToolCall } from "./judge.js";
export { createModelJudge, JUDGE_INSTRUCTIONS, type ModelJudge, toVerdict } from "./judge-model.js";
export { defaultPacksDir, loadProbePacks, selectPacks } from "./load.js";
export { createRandom, MUTATOR_IDS, type MutatorId, mutate, type Random, toTagCharacters } from "./mutate.js";
export {
  type ControlSpec,
  type DetectorSpec,
  MAX_PACK_BYTES,
  type ProbePack,
  ProbePackSchema,
  type ProbeSpec,
  parseProbePack,
  type ToolSpec,
} from "./pack.js";
export { sarifRuleId, showInvisible, toRedteamHtml, toRedteamSarif } from "./render.js";
export {
  ANSWER_EXCERPT_CHARS,
  type Baseline,
  type BaselineComparison,
  BaselineSchema,
  buildReport,
  type CategoryTotals,
  type ControlResult,
  compareWithBaseline,
  type ProbeResult,
  type RedteamReport,
} from "./report.js";
export { createRateLimiter, type ProbeOutcome, type RunProbesOptions, runProbes } from "./run.js";
export {
  createOpenAiTarget,
  type OpenAiTargetOptions,
  type RedteamTarget,
  type TargetReply,
  toBaseUrl,
} from "./target.js";
