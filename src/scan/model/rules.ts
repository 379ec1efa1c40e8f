/**
 * The model scanner's rules, defined once: every finding names one of these ids, and the docs
 * table and the verdict logic are derived from this registry.
 */
import type { Severity } from "../../core/index.js";

/** What a finding does to a file's verdict. */
export type FindingEffect = "malicious" | "suspicious" | "unscannable" | "info";

export interface ModelRule {
  severity: Severity;
  effect: FindingEffect;
  title: string;
  /** OWASP Top 10 for LLM Applications 2025. */
  owasp: readonly ("LLM03:2025" | "LLM04:2025" | "LLM05:2025")[];
  /** MITRE ATLAS: AML.T0010 ML supply chain compromise, AML.T0011 user execution (unsafe ML artefacts). */
  atlas: readonly string[];
}

const SUPPLY = ["LLM03:2025", "LLM04:2025"] as const;
const EXEC = ["AML.T0010", "AML.T0011"] as const;

export const MODEL_RULES = {
  "pickle-dangerous-call": {
    severity: "critical",
    effect: "malicious",
    title: "pickle calls a dangerous callable when loaded",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "pickle-dangerous-global": {
    severity: "critical",
    effect: "malicious",
    title: "pickle imports a dangerous callable",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "pickle-dynamic-global": {
    severity: "critical",
    effect: "malicious",
    title: "pickle imports a callable whose name is computed at load time",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "pickle-attribute-injection": {
    severity: "critical",
    effect: "malicious",
    title: "pickle sets attributes on an imported module, class or function (BUILD on a global)",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "pickle-unknown-call-payload": {
    severity: "high",
    effect: "malicious",
    title: "pickle calls a callable outside the allowlist with code, a shell command or a URL as argument",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "pickle-unknown-global": {
    severity: "medium",
    effect: "suspicious",
    title: "pickle imports a callable outside the allowlist of known checkpoint callables",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "pickle-dynamic-call": {
    severity: "medium",
    effect: "suspicious",
    title: "pickle calls the result of another call",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "pickle-extension-code": {
    severity: "medium",
    effect: "suspicious",
    title: "pickle uses a copyreg extension code that this file does not register",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "pickle-trailing-data": {
    severity: "info",
    effect: "info",
    title: "data after the last pickle that is not a pickle",
    owasp: [],
    atlas: [],
  },
  "keras-lambda": {
    severity: "critical",
    effect: "malicious",
    title: "Keras Lambda layer carries marshalled Python code",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "keras-custom-object": {
    severity: "medium",
    effect: "suspicious",
    title: "Keras model needs custom (non-Keras) Python objects to load",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "gguf-template-injection": {
    severity: "critical",
    effect: "malicious",
    title: "GGUF chat template contains Jinja server-side template injection (CVE-2024-34359 class)",
    owasp: ["LLM03:2025", "LLM05:2025"],
    atlas: EXEC,
  },
  "chat-template-injection": {
    severity: "critical",
    effect: "malicious",
    title: "chat template in a tokenizer or model config contains Jinja server-side template injection",
    owasp: ["LLM03:2025", "LLM05:2025"],
    atlas: EXEC,
  },
  "yaml-python-tag": {
    severity: "critical",
    effect: "malicious",
    title: "YAML config has a Python tag that imports or calls a dangerous callable under an unsafe loader",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  "yaml-python-object": {
    severity: "medium",
    effect: "suspicious",
    title: "YAML config has a Python tag that builds an object or imports a name under an unsafe loader",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "onnx-external-data-escape": {
    severity: "high",
    effect: "malicious",
    title: "ONNX external data path is absolute or escapes the model folder",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "onnx-custom-domain": {
    severity: "medium",
    effect: "suspicious",
    title: "ONNX model uses operators from a custom domain (native custom-op library)",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "safetensors-bad-offsets": {
    severity: "high",
    effect: "malicious",
    title: "safetensors tensor offsets overlap or lie outside the data section",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "safetensors-metadata-code": {
    severity: "medium",
    effect: "suspicious",
    title: "safetensors metadata carries code or a shell command",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "safetensors-metadata-url": {
    severity: "info",
    effect: "info",
    title: "safetensors metadata carries a URL",
    owasp: [],
    atlas: [],
  },
  "safetensors-unknown-dtype": {
    severity: "medium",
    effect: "suspicious",
    title: "safetensors tensor has an unknown dtype",
    owasp: SUPPLY,
    atlas: ["AML.T0010"],
  },
  "savedmodel-dangerous-op": {
    severity: "critical",
    effect: "malicious",
    title: "TensorFlow graph reads or writes files or calls Python",
    owasp: SUPPLY,
    atlas: EXEC,
  },
  unscannable: {
    severity: "high",
    effect: "unscannable",
    title: "file could not be fully analysed",
    owasp: SUPPLY,
    atlas: [],
  },
} as const satisfies Record<string, ModelRule>;

export type ModelRuleId = keyof typeof MODEL_RULES;

/** Rule ids in registry order, for docs and help text. */
export const MODEL_RULE_IDS = Object.keys(MODEL_RULES) as ModelRuleId[];
