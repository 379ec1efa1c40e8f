/** Result types of the model scanner. */
import type { Severity } from "../../core/index.js";
import type { Capability } from "./pickle/callables.js";
import type { FindingEffect, ModelRuleId } from "./rules.js";
import type { ModelStoreRef } from "./stores.js";

/** A file's verdict: whether it is safe to load. `unscannable` is never a pass. */
export const MODEL_VERDICTS = ["malicious", "unscannable", "suspicious", "safe"] as const;
export type ModelVerdict = (typeof MODEL_VERDICTS)[number];

/** Formats recognised by content. */
export const MODEL_FORMATS = [
  "pickle",
  "pytorch-zip",
  "pytorch-legacy-tar",
  "pytorch-legacy",
  "joblib",
  "numpy-npy",
  "numpy-npz",
  "keras-v3",
  "keras-h5",
  "gguf",
  "safetensors",
  "onnx",
  "tf-savedmodel",
  "tf-graphdef",
  "zip-archive",
  "tar-archive",
  "7z-archive",
  "rar-archive",
  "model-config",
  "msgpack",
  "unknown",
] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** One problem in one model file. `offset` is a byte offset in the file or the archive member. */
export interface ModelFinding {
  rule: ModelRuleId;
  severity: Severity;
  effect: FindingEffect;
  detail: string;
  offset?: number;
  /** Archive member (`a/b/data.pkl`, nested members joined with `!`) the finding is in. */
  entry?: string;
  /** What the callable behind the finding can do (rules/model-scan/callables.yaml), when known. */
  capability?: Capability;
}

/** What the AI-BOM records about a model file. */
export interface ModelIdentity {
  format: ModelFormat;
  name?: string;
  architecture?: string;
  parameters?: number;
  quantisation?: string;
  contextLength?: number;
  license?: string;
  /** Where name/architecture came from: `gguf`, `safetensors`, `config.json`, `pickle`, `huggingface-cache`, `ollama-manifest`. */
  source?: string;
}

/** The scanner's answer for one file. */
export interface ModelScanResult {
  path: string;
  format: ModelFormat;
  verdict: ModelVerdict;
  findings: ModelFinding[];
  /** Hex sha256 of the whole file (streamed), absent when hashing was turned off. */
  sha256?: string;
  size: number;
  identity: ModelIdentity;
  /** Where the file sits in a model store (Hugging Face cache, Ollama), when it does. */
  stores?: ModelStoreRef[];
}

const ORDER: Record<FindingEffect, number> = { malicious: 3, unscannable: 2, suspicious: 1, info: 0 };

/** Worst effect among the findings decides: malicious > unscannable > suspicious > safe. */
export function toVerdict(findings: readonly ModelFinding[]): ModelVerdict {
  let worst = 0;
  for (const f of findings) worst = Math.max(worst, ORDER[f.effect]);
  return worst === 3 ? "malicious" : worst === 2 ? "unscannable" : worst === 1 ? "suspicious" : "safe";
}
