/**
 * The learned classifier: logistic regression over hashed n-gram features (features.ts).
 * Stored as JSON with the weights quantised to little-endian int16 (times `weightScale`) in
 * base64, which keeps the file well under a megabyte; inference is pure TypeScript.
 */
import { z } from "zod";
import { PalisadeError } from "../../core/index.js";
import { createFeatureExtractor, type FeatureConfig, type FeatureExtractor, featureScale } from "./features.js";

/** The model file as committed (`rules/injection/model/injection-classifier.json`). */
export const InjectionModelFileSchema = z
  .object({
    format: z.literal("palisade-injection-linear/1"),
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
    /** How it was trained: seed, data counts, hyper-parameters (informational). */
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
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
  const logit = (text: string): number => {
    const bias = model.bias + lengthOffset(bands, text.length);
    const { sum, count } = extractor.dot(text, quantised);
    if (count === 0) return bias;
    return bias + sum * scale * featureScale(model.features, count);
  };
  const predictRange = (text: string, from: number, to: number): number => {
    const bias = model.bias + lengthOffset(bands, Math.min(text.length, to) - Math.max(0, from));
    const { sum, count } = extractor.dotRange(text, from, to, quantised);
    if (count === 0) return sigmoid(bias);
    return sigmoid(bias + sum * scale * featureScale(model.features, count));
  };
  return { model, logit, predict: (text) => sigmoid(logit(text)), predictRange };
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
  const { features, bias, weights, weightScale, genreBias, lengthBias } = parsed.data;
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
  };
}

/** Encode a model as its JSON file value. */
export function toInjectionModelFile(model: LinearModel, training?: Record<string, unknown>): InjectionModelFile {
  const { quantised, scale: weightScale } = quantise(model.weights);
  const bytes = Buffer.alloc(quantised.length * 2);
  for (let i = 0; i < quantised.length; i++) bytes.writeInt16LE(quantised[i] ?? 0, i * 2);
  return {
    format: "palisade-injection-linear/1",
    features: { ...model.features, charNgrams: [...model.features.charNgrams] },
    bias: model.bias,
    ...(model.genreBias ? { genreBias: { ...model.genreBias } } : {}),
    ...(model.lengthBias
      ? { lengthBias: { below: [...model.lengthBias.below], bias: [...model.lengthBias.bias] } }
      : {}),
    weightScale,
    weights: bytes.toString("base64"),
    ...(training ? { training } : {}),
  };
}
