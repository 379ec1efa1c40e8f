/**
 * Training for the classifier: logistic regression with AdaGrad and L2, optionally with one
 * hidden ReLU layer trained jointly beside it (the MLP, model.ts HiddenLayer); deterministic for
 * a given seed and example order. Pure: examples in, model out (the script does the I/O).
 */
import { createFeatureExtractor, DEFAULT_FEATURE_CONFIG, type FeatureConfig, featureScale } from "./features.js";
import type { HiddenLayer, LinearModel } from "./model.js";
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
  /** Add a hidden layer (an MLP beside the linear term); absent, plain logistic regression. */
  hidden?: HiddenOptions;
}

/** The hidden layer's shape and its own step size and penalty. */
export interface HiddenOptions {
  units: number;
  /** Hidden-layer buckets, a power of two ≤ the feature dims. */
  dims: number;
  /** AdaGrad step for the hidden layer's weights. Default 0.05. */
  learningRate?: number;
  /** L2 penalty per example step on the hidden layer's weights. Default 1e-5. */
  l2?: number;
  /** Input weights start uniform in ±init. Default 0.5. */
  init?: number;
  /** The hidden layer's own floor on the feature count for L2 normalisation. Default the features' minNorm. */
  minNorm?: number;
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
  const hidden = options.hidden ? createHiddenTrainer(options.hidden, features.dims, options.seed) : undefined;
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
      const hiddenScale = hidden
        ? featureScale(features, row.indexes.length, hidden.layer.minNorm ?? features.minNorm)
        : 0;
      if (hidden) z += hidden.forward(row.indexes, hiddenScale);
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - row.label) * row.weight;
      if (hidden) hidden.backward(row.indexes, hiddenScale, g);
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
  return { features, bias, weights, ...(hidden ? { hidden: hidden.layer } : {}) };
}

/**
 * The hidden layer's forward pass and AdaGrad step, over one example's buckets. Its weights are
 * drawn from their own seeded stream, so adding the layer leaves the shuffle order unchanged.
 */
function createHiddenTrainer(
  options: HiddenOptions,
  featureDims: number,
  seed: number,
): {
  layer: HiddenLayer;
  forward(indexes: Uint32Array, scale: number): number;
  backward(indexes: Uint32Array, scale: number, g: number): void;
} {
  const { units, dims } = options;
  if ((dims & (dims - 1)) !== 0 || dims > featureDims)
    throw new RangeError("hidden dims must be a power of two ≤ dims");
  const rate = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-5;
  const init = options.init ?? 0.5;
  const mask = dims - 1;
  const random = createRandom((seed ^ 0x5bd1e995) >>> 0);
  const input = new Float32Array(dims * units);
  for (let i = 0; i < input.length; i++) input[i] = (random() * 2 - 1) * init;
  const output = new Float32Array(units);
  for (let j = 0; j < units; j++) output[j] = ((random() * 2 - 1) * init) / Math.sqrt(units);
  const bias = new Float32Array(units);
  const inputSquared = new Float32Array(dims * units);
  const outputSquared = new Float64Array(units);
  const biasSquared = new Float64Array(units);
  const active = new Float64Array(units);
  const delta = new Float64Array(units);
  return {
    layer: { units, dims, input, bias, output, ...(options.minNorm !== undefined ? { minNorm: options.minNorm } : {}) },
    forward(indexes, scale) {
      for (let j = 0; j < units; j++) active[j] = bias[j] as number;
      for (const f of indexes) {
        const row = (f & mask) * units;
        for (let j = 0; j < units; j++) active[j] = (active[j] as number) + (input[row + j] as number) * scale;
      }
      let z = 0;
      for (let j = 0; j < units; j++) {
        const a = active[j] as number;
        if (a > 0) z += a * (output[j] as number);
      }
      return z;
    },
    backward(indexes, scale, g) {
      // Uses `active` from the forward pass of the same example.
      for (let j = 0; j < units; j++) {
        const a = active[j] as number;
        const o = output[j] as number;
        delta[j] = a > 0 ? g * o : 0;
        const grad = g * Math.max(0, a) + l2 * o;
        outputSquared[j] = (outputSquared[j] as number) + grad * grad;
        output[j] = o - (rate * grad) / Math.sqrt((outputSquared[j] as number) + 1e-8);
        const d = delta[j] as number;
        biasSquared[j] = (biasSquared[j] as number) + d * d;
        bias[j] = (bias[j] as number) - (rate * d) / Math.sqrt((biasSquared[j] as number) + 1e-8);
      }
      for (const f of indexes) {
        const row = (f & mask) * units;
        for (let j = 0; j < units; j++) {
          const d = delta[j] as number;
          if (d === 0) continue;
          const k = row + j;
          const w = input[k] as number;
          const grad = d * scale + l2 * w;
          const s = (inputSquared[k] as number) + grad * grad;
          inputSquared[k] = s;
          input[k] = w - (rate * grad) / Math.sqrt(s + 1e-8);
        }
      }
    },
  };
}
