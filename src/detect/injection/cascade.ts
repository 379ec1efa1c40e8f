/**
 * The injection cascade: the fast detector scores every text; only a text whose fast score falls
 * in the uncertain band goes to a model stage (a local ONNX classifier, onnx-classifier.ts).
 * Below the band the fast verdict stands as benign, above it as injection, both with the fast
 * score; in the band the classifier decides. When the classifier fails (missing or corrupt
 * model, timeout, run error) the fast verdict stands under `fail-open`, and the text is blocked
 * under `fail-closed`. Every result says which stage decided, in a `cascade:*` signal.
 */
import type { ClassifierScore } from "./onnx-classifier.js";
import type { InjectionMode } from "./types.js";

/** Which stage decided: the fast detector, the classifier, or the fail mode after a classifier failure. */
export const CASCADE_STAGES = ["fast", "classifier", "fail-open", "fail-closed"] as const;
export type CascadeStage = (typeof CASCADE_STAGES)[number];

/** A score and its signals, as the fast detector (and the cascade) report them. */
export interface CascadeScore {
  score: number;
  signals: { id: string; score: number; detail?: string }[];
}

/** What the cascade answers for one text. */
export interface CascadeResult extends CascadeScore {
  stage: CascadeStage;
  /** The fast detector's score. */
  fastScore: number;
  /** The classifier's probability, when it ran and answered. */
  probability?: number;
}

export interface InjectionCascadeOptions<M extends string = InjectionMode> {
  /** The fast detector (createInjectionDetector's `detect`, or the gateway's cached scorer). */
  fast: (text: string, mode: M) => CascadeScore | Promise<CascadeScore>;
  /** The model stage. */
  classifier: { readonly name: string; score(text: string): Promise<ClassifierScore> };
  /** `[low, high]` of the fast score: texts scoring in it (inclusive) go to the classifier. */
  band: readonly [number, number];
  /** Classifier probability at or above which a text is an injection. */
  threshold: number;
  /**
   * The threshold each mode's result is compared against (the policy's
   * `injection.user.threshold`, `injection.document.threshold`). A classifier decision is
   * reported as a score on the same side of it as the probability is of `threshold`. Default 0.5.
   */
  thresholds: Readonly<Partial<Record<M, number>>>;
  /** What a classifier failure means: the fast verdict stands (`fail-open`) or the text is blocked. */
  failMode: "fail-open" | "fail-closed";
  /** Modes the classifier serves; in the others the fast detector alone decides. Default every mode. */
  modes?: readonly M[];
}

/** Score one text through the cascade. */
export type InjectionCascade<M extends string = InjectionMode> = (text: string, mode: M) => Promise<CascadeResult>;

/** Build a cascade over a fast detector and a classifier. */
export function createInjectionCascade<M extends string = InjectionMode>(
  options: InjectionCascadeOptions<M>,
): InjectionCascade<M> {
  const [low, high] = options.band;
  const modes = options.modes ? new Set<M>(options.modes) : undefined;
  return async (text, mode) => {
    const fast = await options.fast(text, mode);
    const fastScore = fast.score;
    const served = modes === undefined || modes.has(mode);
    if (!served || fastScore < low || fastScore > high) {
      const where = !served ? `classifier off in ${mode} mode` : fastScore < low ? "below" : "above";
      return {
        ...withSignal(fast, fast.score, { id: "cascade:fast", score: fastScore, detail: bandDetail(where, low, high) }),
        stage: "fast",
        fastScore,
      };
    }
    let scored: ClassifierScore;
    try {
      scored = await options.classifier.score(text);
    } catch (error) {
      const closed = options.failMode === "fail-closed";
      const detail = `${options.classifier.name} unavailable (${describe(error)}); ${options.failMode}`;
      return {
        ...withSignal(fast, closed ? 1 : fastScore, {
          id: `cascade:${options.failMode}`,
          score: closed ? 1 : 0,
          detail,
        }),
        stage: options.failMode,
        fastScore,
      };
    }
    const p = scored.probability;
    const threshold = options.thresholds[mode] ?? 0.5;
    const where = scored.windows > 1 ? `, window ${scored.window + 1} of ${scored.windows}` : "";
    if (scored.partial && p < options.threshold) {
      // The classifier saw the beginning only: it may block the text, never clear it.
      const detail = `${options.classifier.name} p=${round(p)} on the first ${scored.windows} windows only; the fast verdict stands`;
      return {
        ...withSignal(fast, fastScore, { id: "cascade:fast", score: round(p), detail }),
        stage: "fast",
        fastScore,
        probability: p,
      };
    }
    const score = toPolicyScale(p, options.threshold, threshold);
    const detail = `${options.classifier.name} p=${round(p)} (threshold ${options.threshold}${where}); fast score ${fastScore} was in [${low}, ${high}]`;
    return {
      ...withSignal(fast, score, { id: "cascade:classifier", score: round(p), detail }),
      stage: "classifier",
      fastScore,
      probability: p,
    };
  };
}

/**
 * Map a classifier probability onto the scale of the policy threshold: piecewise linear, so that
 * `p >= classifierThreshold` exactly when the result is `>= policyThreshold`.
 */
export function toPolicyScale(p: number, classifierThreshold: number, policyThreshold: number): number {
  if (p >= classifierThreshold) {
    if (classifierThreshold >= 1) return Math.max(policyThreshold, p);
    return round(policyThreshold + ((1 - policyThreshold) * (p - classifierThreshold)) / (1 - classifierThreshold));
  }
  // Below the classifier's threshold the result stays strictly below the policy's.
  const scaled = classifierThreshold <= 0 ? 0 : (policyThreshold * p) / classifierThreshold;
  return Math.min(scaled, Math.max(0, policyThreshold - 0.001));
}

function withSignal(
  fast: CascadeScore,
  score: number,
  signal: { id: string; score: number; detail: string },
): CascadeScore {
  return { score: round(score), signals: [signal, ...fast.signals] };
}

function bandDetail(where: string, low: number, high: number): string {
  if (where === "below" || where === "above") return `fast score ${where} the band [${low}, ${high}]`;
  return where;
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "reason" in error && typeof error.reason === "string") return error.reason;
  return error instanceof Error ? error.name : "error";
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
