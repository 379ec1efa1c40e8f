/**
 * `runtime.injection.classifier`: a local ONNX sequence classifier (Prompt Guard 2, a deberta
 * injection classifier, exported to ONNX with its tokenizer.json) that decides the texts the
 * fast detector is unsure about: those whose fast score falls in `band`. File paths are
 * relative to the policy file that names them. Nothing is shipped or downloaded: the files are
 * the operator's.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";

/** Injection modes the classifier can serve (the detector's INJECTION_MODES). */
export const CLASSIFIER_MODES = ["user", "document"] as const;

const Probability = z.number().min(0).max(1);
const FilePath = z.string().min(1).max(4096);

export const InjectionClassifierSchema = z
  .strictObject({
    /** The `.onnx` model file. */
    model: FilePath,
    /** Its `tokenizer.json` (WordPiece, BPE or Unigram, as Hugging Face tokenizers write it). */
    tokenizer: FilePath,
    /** config.json with `id2label`; default: config.json next to the model, if there is one. */
    config: FilePath.optional(),
    /** `[low, high]` of the fast score: texts scoring in it (inclusive) go to the classifier. */
    band: z.tuple([Probability, Probability]).default([0.2, 0.8]),
    /** Classifier probability at or above which a text in the band is an injection. */
    threshold: Probability.default(0.5),
    /** Output indexes that mean "attack" (default: from config.json's id2label, else index 1 of two). */
    injectionLabels: z.array(z.number().int().min(0).max(1023)).min(1).max(64).optional(),
    /** Tokens per window, special tokens included (capped by config.json's max_position_embeddings). */
    maxTokens: z.number().int().min(8).max(8192).default(512),
    /** Windows scored per text; a text longer than that can be blocked by the classifier, never cleared. */
    maxWindows: z.number().int().min(1).max(64).default(8),
    /** Inference time per text; on expiry the fail mode applies. */
    timeoutMs: z.number().int().positive().max(60_000).default(1000),
    /** What a classifier failure means; default `runtime.guards.failMode`. */
    failMode: z.enum(["closed", "open"]).optional(),
    /** Injection modes that use the classifier. */
    modes: z.array(z.enum(CLASSIFIER_MODES)).min(1).default(["user", "document"]),
    /** onnxruntime intra-op threads per session (one session per thread that scans). */
    threads: z.number().int().min(1).max(64).default(1),
  })
  .refine((c) => c.band[0] < c.band[1], { message: "band must be [low, high] with low < high", path: ["band"] });
export type InjectionClassifierPolicy = z.infer<typeof InjectionClassifierSchema>;

/**
 * Problems of a classifier section against the thresholds it serves: the band must contain
 * each served mode's threshold, so that below the band means benign and above it injection.
 */
export function classifierBandIssues(
  classifier: InjectionClassifierPolicy,
  thresholds: Readonly<Record<string, number>>,
): string[] {
  const [low, high] = classifier.band;
  return classifier.modes
    .filter((mode) => {
      const t = thresholds[mode];
      return t !== undefined && (t < low || t > high);
    })
    .map(
      (mode) =>
        `band [${low}, ${high}] must contain injection.${mode}.threshold (${thresholds[mode]}): the fast verdict outside the band must agree with it`,
    );
}

/** The section with its file paths resolved against the policy file's directory. */
export function resolveClassifierPaths(
  classifier: InjectionClassifierPolicy,
  policyFile: string,
): InjectionClassifierPolicy {
  const base = dirname(resolve(policyFile));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...classifier,
    model: at(classifier.model),
    tokenizer: at(classifier.tokenizer),
    ...(classifier.config ? { config: at(classifier.config) } : {}),
  };
}

/** The files of a (resolved) section that do not exist, each with its field name. */
export function missingClassifierFiles(classifier: InjectionClassifierPolicy): { field: string; file: string }[] {
  const files: [string, string | undefined][] = [
    ["model", classifier.model],
    ["tokenizer", classifier.tokenizer],
    ["config", classifier.config],
  ];
  return files
    .filter((entry): entry is [string, string] => entry[1] !== undefined && !isFile(entry[1]))
    .map(([field, file]) => ({ field, file }));
}

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}
