/**
 * Training for the linear classifier: logistic regression with AdaGrad and L2, deterministic
 * for a given seed and example order. Pure: examples in, model out (the script does the I/O).
 */
import { createFeatureExtractor, DEFAULT_FEATURE_CONFIG, type FeatureConfig, featureScale } from "./features.js";
import type { LinearModel } from "./model.js";
import { normaliseText } from "./normalise.js";

/** One labelled training text (raw; it is normalised here exactly as at inference). */
export interface TrainingExample {
  text: string;
  /** 1 attack, 0 benign. */
  label: 0 | 1;
  /** Sample weight (class and source balancing); default 1. */
  weight?: number;
}

export interface TrainOptions {
  seed: number;
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per example step. */
  l2?: number;
  features?: FeatureConfig;
  /**
   * Whether texts are normalised (normaliseText) before feature extraction, as the user-mode
   * classifier is at inference. Default true; the span model passes false because its inputs are
   * built already normalised (document.ts toSpanInputs).
   */
  normalise?: boolean;
}

/** A small seeded PRNG (mulberry32), so shuffles are reproducible. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Train logistic regression over L2-normalised binary hashed n-grams. */
export function trainLinearModel(examples: readonly TrainingExample[], options: TrainOptions): LinearModel {
  const features = options.features ?? DEFAULT_FEATURE_CONFIG;
  const epochs = options.epochs ?? 12;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-6;
  const extractor = createFeatureExtractor(features);
  const rows = examples.map((e) => ({
    indexes: extractor.extract(options.normalise === false ? e.text : normaliseText(e.text).text),
    label: e.label,
    weight: e.weight ?? 1,
  }));
  const weights = new Float32Array(features.dims);
  const squared = new Float64Array(features.dims);
  let bias = 0;
  let biasSquared = 0;
  const random = createRandom(options.seed);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    for (const index of order) {
      const row = rows[index];
      if (!row || row.indexes.length === 0) continue;
      const scale = featureScale(features, row.indexes.length);
      let z = bias;
      for (const f of row.indexes) z += (weights[f] ?? 0) * scale;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - row.label) * row.weight;
      for (const f of row.indexes) {
        const w = weights[f] ?? 0;
        const grad = g * scale + l2 * w;
        const s = (squared[f] ?? 0) + grad * grad;
        squared[f] = s;
        weights[f] = w - (rate * grad) / Math.sqrt(s + 1e-8);
      }
      biasSquared += g * g;
      bias -= (rate * 0.1 * g) / Math.sqrt(biasSquared + 1e-8);
    }
  }
  return { features, bias, weights };
}
