/**
 * The learned classifier: logistic regression over hashed n-gram features (features.ts),
 * optionally with one hidden ReLU layer over the same features beside the linear term (a
 * "wide and deep" MLP; format `palisade-injection-mlp/1`). Stored as JSON with the linear
 * weights quantised to little-endian int16 (times `weightScale`) and the hidden layer's input
 * weights to int8 (times `hidden.inputScale`), each in base64; inference is pure TypeScript.
 */
import { z } from "zod";
import { PalisadeError } from "../../core/index.js";
import { createFeatureExtractor, type FeatureConfig, type FeatureExtractor, featureScale } from "./features.js";

/** The model file as committed (`rules/injection/model/injection-classifier.json`). */
export const InjectionModelFileSchema = z
  .object({
    format: z.enum(["palisade-injection-linear/1", "palisade-injection-mlp/1"]),
    features: z
      .object({
        dims: z.number().int().positive(),
        charNgrams: z.array(z.number().int().min(1).max(8)),
        wordBigrams: z.boolean(),
        minNorm: z.number().int().min(0),
      })
      .strict(),
    bias: z.number(),
    /** Added to the bias for spans of a document of that genre (document mode's span model only). */
    genreBias: z.record(z.string(), z.number()).optional(),
    /**
     * Added to the bias by the length of the scored text (user-mode classifier only): `bias[i]`
     * for texts shorter than `below[i]` characters (and not an earlier bound), the last entry for
     * longer ones. Sets one operating point per length band (scripts/train-injection.ts).
     */
    lengthBias: z
      .object({ below: z.array(z.number().int().positive()), bias: z.array(z.number()) })
      .strict()
      .refine((l) => l.bias.length === l.below.length + 1, "lengthBias needs one more bias than bounds")
      .optional(),
    /** Weight of one int16 step: weight = int16 value × weightScale. */
    weightScale: z.number().positive(),
    /** Base64 of `dims` little-endian int16 quantised weights. */
    weights: z.string(),
    /** The MLP's hidden layer (format `palisade-injection-mlp/1` only). */
    hidden: z
      .object({
        units: z.number().int().positive().max(1024),
        /** Buckets of the hidden layer's input: a feature's bucket modulo `dims` (a power of two). */
        dims: z.number().int().positive(),
        /** Weight of one int8 step of `input`. */
        inputScale: z.number().positive(),
        /** Base64 of `dims × units` int8 weights, one row of `units` per bucket. */
        input: z.string(),
        bias: z.array(z.number()),
        output: z.array(z.number()),
        /** Floor on the feature count for the hidden layer's scale; absent, `features.minNorm`. */
        minNorm: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    /** How it was trained: seed, data counts, hyper-parameters (informational). */
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine(
    (m) => (m.format === "palisade-injection-mlp/1") === (m.hidden !== undefined),
    "an mlp model needs a hidden layer and a linear one has none",
  );
export type InjectionModelFile = z.infer<typeof InjectionModelFileSchema>;

/** A loaded linear model. */
export interface LinearModel {
  readonly features: FeatureConfig;
  readonly bias: number;
  readonly weights: Float32Array;
  /**
   * Document mode: an offset to the bias per document genre (segment.ts), so each genre's
   * operating point keeps its clean documents under the same false-positive rate.
   */
  readonly genreBias?: Readonly<Record<string, number>>;
  /** An offset to the bias by text length (see the file schema): one operating point per band. */
  readonly lengthBias?: LengthBias;
  /** One hidden ReLU layer over the same features, added to the linear logit (the MLP). */
  readonly hidden?: HiddenLayer;
}

/**
 * The MLP's hidden layer: logit += Σ_j output[j] · relu(bias[j] + s · Σ_f input[f mod dims][j]),
 * with s the same feature scale as the linear term (featureScale).
 */
export interface HiddenLayer {
  readonly units: number;
  /** Hidden-layer buckets (a power of two, at most the feature dims): bucket = feature & (dims - 1). */
  readonly dims: number;
  /** `dims × units`, one row of `units` weights per bucket. */
  readonly input: Float32Array;
  readonly bias: Float32Array;
  readonly output: Float32Array;
  /** The hidden layer's own floor on the feature count for its scale; absent, the features' minNorm. */
  readonly minNorm?: number;
}

/** Bias offsets by length band: `bias[i]` below `below[i]` characters, the last one above them all. */
export interface LengthBias {
  readonly below: readonly number[];
  readonly bias: readonly number[];
}

/** The offset for a text of `length` characters (0 without length bands). */
export function lengthOffset(bands: LengthBias | undefined, length: number): number {
  if (!bands) return 0;
  let i = 0;
  while (i < bands.below.length && length >= (bands.below[i] as number)) i++;
  return bands.bias[i] ?? 0;
}

/** Scores normalised text with a linear model; reuses one feature extractor. */
export interface InjectionClassifier {
  readonly model: LinearModel;
  /** Probability in [0, 1] that the (normalised) text is an attack. */
  predict(text: string): number;
  /** Raw logit, for analysis. */
  logit(text: string): number;
  /** Probability for `text.slice(from, to)`, without allocating the slice. */
  predictRange(text: string, from: number, to: number): number;
}

/** Build a classifier around a model. */
export function createInjectionClassifier(model: LinearModel): InjectionClassifier {
  const extractor: FeatureExtractor = createFeatureExtractor(model.features);
  const { quantised, scale } = quantise(model.weights);
  const bands = model.lengthBias;
  const hidden = model.hidden ? createHiddenScorer(model.hidden) : undefined;
  const hiddenScale = (count: number): number =>
    featureScale(model.features, count, model.hidden?.minNorm ?? model.features.minNorm);
  const combine = (bias: number, sum: number, count: number): number => {
    const s = count === 0 ? 0 : featureScale(model.features, count);
    const linear = bias + sum * scale * s;
    return hidden ? linear + hidden(extractor.lastIndexes(), count, count === 0 ? 0 : hiddenScale(count)) : linear;
  };
  const logit = (text: string): number => {
    const { sum, count } = extractor.dot(text, quantised);
    return combine(model.bias + lengthOffset(bands, text.length), sum, count);
  };
  const predictRange = (text: string, from: number, to: number): number => {
    const bias = model.bias + lengthOffset(bands, Math.min(text.length, to) - Math.max(0, from));
    const { sum, count } = extractor.dotRange(text, from, to, quantised);
    return sigmoid(combine(bias, sum, count));
  };
  return { model, logit, predict: (text) => sigmoid(logit(text)), predictRange };
}

/**
 * The hidden layer's contribution for the first `count` buckets of `indexes`, each scaled by `s`.
 * Int8 weights summed in an Int32Array: the rows stay in cache and the adds are integer.
 */
function createHiddenScorer(layer: HiddenLayer): (indexes: Uint32Array, count: number, s: number) => number {
  const { quantised, scale } = quantise8(layer.input);
  const units = layer.units;
  const mask = layer.dims - 1;
  const sums = new Int32Array(units);
  const bias = Float64Array.from(layer.bias);
  const output = Float64Array.from(layer.output);
  return (indexes, count, s) => {
    sums.fill(0);
    for (let k = 0; k < count; k++) {
      const row = ((indexes[k] as number) & mask) * units;
      for (let j = 0; j < units; j++) sums[j] = (sums[j] as number) + (quantised[row + j] as number);
    }
    const step = s * scale;
    let z = 0;
    for (let j = 0; j < units; j++) {
      const a = (bias[j] as number) + (sums[j] as number) * step;
      if (a > 0) z += a * (output[j] as number);
    }
    return z;
  };
}

/** Int8 weights and their step (the hidden layer's input weights), as stored in the model file. */
export function quantise8(weights: Float32Array): { quantised: Int8Array; scale: number } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 127 : 1;
  const quantised = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) quantised[i] = Math.round((weights[i] ?? 0) / scale);
  return { quantised, scale };
}

/**
 * Int16 weights and their step. The model file stores exactly these, so a loaded model scores
 * identically; a freshly trained one is quantised the same way it will be when saved.
 */
export function quantise(weights: Float32Array): { quantised: Int16Array; scale: number } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 32767 : 1;
  const quantised = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) quantised[i] = Math.round((weights[i] ?? 0) / scale);
  return { quantised, scale };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Decode and check a model file's JSON value; throws bad-config naming the file. */
export function parseInjectionModel(value: unknown, file: string): LinearModel {
  const parsed = InjectionModelFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new PalisadeError("bad-config", `${file}: not an injection model file (${parsed.error.issues[0]?.message})`, {
      input: file,
    });
  }
  const { features, bias, weights, weightScale, genreBias, lengthBias, hidden } = parsed.data;
  if ((features.dims & (features.dims - 1)) !== 0) {
    throw new PalisadeError("bad-config", `${file}: features.dims must be a power of two`, { input: file });
  }
  const bytes = Buffer.from(weights, "base64");
  if (bytes.length !== features.dims * 2) {
    throw new PalisadeError("bad-config", `${file}: expected ${features.dims} weights, found ${bytes.length / 2}`, {
      input: file,
    });
  }
  const array = new Float32Array(features.dims);
  for (let i = 0; i < features.dims; i++) array[i] = bytes.readInt16LE(i * 2) * weightScale;
  return {
    features,
    bias,
    weights: array,
    ...(genreBias ? { genreBias } : {}),
    ...(lengthBias ? { lengthBias } : {}),
    ...(hidden ? { hidden: parseHidden(hidden, features.dims, file) } : {}),
  };
}

function parseHidden(
  hidden: NonNullable<InjectionModelFile["hidden"]>,
  featureDims: number,
  file: string,
): HiddenLayer {
  const { units, dims } = hidden;
  const bad = (why: string) => new PalisadeError("bad-config", `${file}: ${why}`, { input: file });
  if ((dims & (dims - 1)) !== 0 || dims > featureDims) throw bad("hidden.dims must be a power of two ≤ features.dims");
  if (hidden.bias.length !== units || hidden.output.length !== units)
    throw bad("hidden.bias and output need one value per unit");
  const bytes = Buffer.from(hidden.input, "base64");
  if (bytes.length !== dims * units) throw bad(`expected ${dims * units} hidden weights, found ${bytes.length}`);
  const input = new Float32Array(dims * units);
  for (let i = 0; i < input.length; i++) input[i] = bytes.readInt8(i) * hidden.inputScale;
  return {
    units,
    dims,
    input,
    bias: Float32Array.from(hidden.bias),
    output: Float32Array.from(hidden.output),
    ...(hidden.minNorm !== undefined ? { minNorm: hidden.minNorm } : {}),
  };
}

/** Encode a model as its JSON file value. */
export function toInjectionModelFile(model: LinearModel, training?: Record<string, unknown>): InjectionModelFile {
  const { quantised, scale: weightScale } = quantise(model.weights);
  const bytes = Buffer.alloc(quantised.length * 2);
  for (let i = 0; i < quantised.length; i++) bytes.writeInt16LE(quantised[i] ?? 0, i * 2);
  const hidden = model.hidden;
  return {
    format: hidden ? "palisade-injection-mlp/1" : "palisade-injection-linear/1",
    features: { ...model.features, charNgrams: [...model.features.charNgrams] },
    bias: model.bias,
    ...(model.genreBias ? { genreBias: { ...model.genreBias } } : {}),
    ...(model.lengthBias
      ? { lengthBias: { below: [...model.lengthBias.below], bias: [...model.lengthBias.bias] } }
      : {}),
    weightScale,
    weights: bytes.toString("base64"),
    ...(hidden ? { hidden: toHiddenFile(hidden) } : {}),
    ...(training ? { training } : {}),
  };
}

function toHiddenFile(hidden: HiddenLayer): NonNullable<InjectionModelFile["hidden"]> {
  const { quantised, scale } = quantise8(hidden.input);
  return {
    units: hidden.units,
    dims: hidden.dims,
    inputScale: scale,
    input: Buffer.from(quantised.buffer, quantised.byteOffset, quantised.byteLength).toString("base64"),
    bias: [...hidden.bias],
    output: [...hidden.output],
    ...(hidden.minNorm !== undefined ? { minNorm: hidden.minNorm } : {}),
  };
}
