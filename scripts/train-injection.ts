/**
 * Train the injection classifier: `npm run train:injection`.
 * Reads ../shared/datasets/prompt-attacks (train split only: a fixed hash of the canonical
 * text) and src/detect/injection/fixtures/train-*.jsonl, trains logistic regression over hashed n-grams with a fixed seed, and writes
 * rules/injection/model/injection-classifier.json. Same data and seed give the same file.
 *   --validate   report a small hyper-parameter grid on a validation split carved from train
 *   --out FILE   write the model elsewhere
 *   --length-bands 200,1000   one operating point per length band (not shipped; see LENGTH_BANDS)
 *   --candidate NAME   train one of CANDIDATES (default `linear`, the shipped one)
 *   --document   train document mode's span model instead (scripts/train-injection-document.ts)
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  EVALUATION_FIXTURES,
  loadFixtureSet,
  loadPublicCorpus,
  loadTrainingFixtures,
  type Sample,
} from "../bench/injection-data.js";
import {
  type CompiledInjectionRule,
  createInjectionClassifier,
  createInjectionDetector,
  DEFAULT_FEATURE_CONFIG,
  type FeatureConfig,
  type InjectionDetectorOptions,
  type LinearModel,
  loadInjectionRules,
  normaliseText,
  type TrainingExample,
  type TrainOptions,
  toInjectionModelFile,
  trainLinearModel,
} from "../src/detect/injection/index.js";
import { augment } from "./injection-augment.js";
import { modelFileJson } from "./model-json.js";
import { trainDocumentModel } from "./train-injection-document.js";

export const SEED = 20_260_401;
export const HYPER = { epochs: 6, learningRate: 0.1, l2: 1e-4 } as const;
/**
 * The user-mode classifier's features: words plus character 4-grams in 2^17 buckets
 * (DEFAULT_FEATURE_CONFIG). 2^18 buckets had out-of-fold recall 0.877 against 0.871 but put
 * benign trigger-word sentences of the detector's property test just over the threshold.
 */
export const FEATURES: FeatureConfig = DEFAULT_FEATURE_CONFIG;
/**
 * Model candidates by name (`--candidate NAME`; scripts/train-injection-validate.ts compares them
 * on the train split). `linear` is the shipped configuration; the others add a hidden layer
 * (units per fold model × hidden buckets; the shipped file would hold five folds' units).
 */
export const CANDIDATES: Record<string, Partial<TrainOptions>> = {
  linear: {},
  "mlp-8x2^15": { hidden: { units: 8, dims: 1 << 15 } },
  "mlp-8x2^16": { hidden: { units: 8, dims: 1 << 16 } },
  "mlp-16x2^15": { hidden: { units: 16, dims: 1 << 15 } },
  "mlp-8x2^15-lr0.02": { hidden: { units: 8, dims: 1 << 15, learningRate: 0.02 } },
  "mlp-8x2^15-lr0.1": { hidden: { units: 8, dims: 1 << 15, learningRate: 0.1 } },
  "mlp-8x2^15-init0.2": { hidden: { units: 8, dims: 1 << 15, init: 0.2 } },
  "mlp-4x2^16": { hidden: { units: 4, dims: 1 << 16 } },
  "mlp-8x2^15-norm1": { hidden: { units: 8, dims: 1 << 15, minNorm: 1 } },
  "mlp-8x2^15-norm50": { hidden: { units: 8, dims: 1 << 15, minNorm: 50 } },
  "mlp-8x2^15-norm50-lr0.02": { hidden: { units: 8, dims: 1 << 15, minNorm: 50, learningRate: 0.02 } },
  "mlp-16x2^15-lr0.02": { hidden: { units: 16, dims: 1 << 15, learningRate: 0.02 } },
  "mlp-8x2^15-lr0.01": { hidden: { units: 8, dims: 1 << 15, learningRate: 0.01 } },
};

/** Composed texts per label added to every training set (scripts/injection-augment.ts). */
export const AUGMENT_PER_LABEL = 800;

/** Every public and evaluation-fixture text: composed training texts must not repeat one. */
let known: ReadonlySet<string> | undefined;
function knownKeys(): ReadonlySet<string> {
  // Read once per process: buildModel runs once per held-out source in the evaluation.
  known ??= new Set([
    ...loadPublicCorpus().samples.map((s) => s.key),
    ...EVALUATION_FIXTURES.flatMap((name) => loadFixtureSet(name).map((s) => s.key)),
  ]);
  return known;
}

/**
 * The examples one model is fitted on: the given texts plus texts composed around them only,
 * so a held-out fold or source never contributes a carrier.
 */
export function fitExamples(fit: readonly Sample[], seed: number, exclude: ReadonlySet<string>): TrainingExample[] {
  return toExamples([...fit, ...augment(fit, { seed, perLabel: AUGMENT_PER_LABEL, exclude })]);
}

/** Share of out-of-fold benign texts the detector (rules + model) may flag; sets the bias shift. */
export const TARGET_VALIDATION_FPR = 0.01;

/**
 * Class-balanced examples, with each source's weight damped by the square root of its size so
 * that one big source (in-the-wild jailbreaks, WildGuard) does not define its class alone.
 */
export function toExamples(samples: readonly Sample[]): TrainingExample[] {
  const perSource = new Map<string, number>();
  for (const s of samples) perSource.set(`${s.label}:${s.source}`, (perSource.get(`${s.label}:${s.source}`) ?? 0) + 1);
  const raw = samples.map((s) => 1 / Math.sqrt(perSource.get(`${s.label}:${s.source}`) ?? 1));
  const total = [0, 0];
  for (const [i, s] of samples.entries()) total[s.label] = (total[s.label] ?? 0) + (raw[i] ?? 0);
  return samples.map((s, i) => ({
    text: s.text,
    label: s.label,
    weight: ((raw[i] ?? 0) * samples.length) / (2 * (total[s.label] ?? 1)),
  }));
}

/**
 * Length bands (characters of normalised text) with an operating point each; empty for one
 * shared shift (shipped). `--length-bands 200,1000` trains with bands: each band's benign texts
 * flagged at most TARGET_VALIDATION_FPR out of fold. It cut the cross-source false positives on
 * long benign prompts but cost out-of-fold recall (docs/detectors-injection.md), so it is off.
 */
export const LENGTH_BANDS: readonly number[] = [];

function bandIndex(bands: readonly number[], length: number): number {
  let i = 0;
  while (i < bands.length && length >= (bands[i] as number)) i++;
  return i;
}

/** Folds for the operating point: a second hash of the key, independent of the test split. */
export const FOLDS = 5;

function foldOf(s: Sample): number {
  return Number.parseInt(s.key.slice(8, 16), 16) % FOLDS;
}

/**
 * Train on all the given samples and set the operating point by cross-validation: for each of
 * FOLDS folds a model is fitted on the other folds, and the bias shift is the smallest one
 * (closest to zero) for which the whole detector (shipped rules + the fold's model, threshold
 * 0.5) flags at most TARGET_VALIDATION_FPR of the benign texts it did not see. With length
 * bands, one shift per band, each set on that band's benign texts. The final model is the mean
 * of the fold models with those shifts. Test data never enters.
 */
export function buildModel(
  train: readonly Sample[],
  rules: readonly CompiledInjectionRule[] = loadInjectionRules(),
  options: {
    train?: Partial<TrainOptions>;
    detector?: Partial<InjectionDetectorOptions>;
    lengthBands?: readonly number[];
  } = {},
): {
  model: LinearModel;
  biasShift: number;
  lengthShifts: number[] | undefined;
  outOfFoldBenign: number;
  outOfFoldRecall: number;
  /** Each out-of-fold text's verdict at the operating point (for validation reports). */
  outOfFold: { sample: Sample; flagged: boolean; score: number }[];
} {
  const exclude = knownKeys();
  const folds = Array.from({ length: FOLDS }, (_, f) => {
    const model = trainLinearModel(
      fitExamples(
        train.filter((s) => foldOf(s) !== f),
        SEED + f + 1,
        exclude,
      ),
      {
        seed: SEED,
        ...HYPER,
        features: FEATURES,
        ...options.train,
      },
    );
    const benign = train.filter((s) => foldOf(s) === f && s.label === 0).map((s) => s.text);
    const attacks = train.filter((s) => foldOf(s) === f && s.label === 1).map((s) => s.text);
    return { model, benign, attacks };
  });
  const benignCount = folds.reduce((n, f) => n + f.benign.length, 0);
  const bands = options.lengthBands ?? LENGTH_BANDS;
  // Each benign text's length band, by the length of its normalised text (what the classifier reads).
  const bandsOf = folds.map((fold) => fold.benign.map((text) => bandIndex(bands, normaliseText(text).text.length)));
  const shifted = (model: LinearModel, shifts: readonly number[]): LinearModel =>
    bands.length === 0
      ? { ...model, bias: model.bias + (shifts[0] ?? 0) }
      : { ...model, lengthBias: { below: [...bands], bias: [...shifts] } };
  /** Share of out-of-fold benign texts (of one band, or all) the detector flags with these shifts. */
  const falsePositiveRate = (shifts: readonly number[], band?: number): number => {
    let flagged = 0;
    let total = 0;
    for (const [f, fold] of folds.entries()) {
      const detector = createInjectionDetector({ ...options.detector, rules, model: shifted(fold.model, shifts) });
      for (const [i, text] of fold.benign.entries()) {
        if (band !== undefined && bandsOf[f]?.[i] !== band) continue;
        total++;
        if (detector.detect(text).verdict === "injection") flagged++;
      }
    }
    return flagged / Math.max(1, total);
  };
  // Bisection over each shift: the flagged share only falls as the bias falls. Without length
  // bands one shift, at most 0; with bands one shift per band (each may also rise, up to 4), so
  // that the default threshold flags the same share of benign texts of every length.
  const shifts = Array.from({ length: bands.length + 1 }, () => 0);
  for (let b = 0; b < shifts.length; b++) {
    const band = bands.length === 0 ? undefined : b;
    const at = (shift: number) => {
      const trial = [...shifts];
      trial[b] = shift;
      return falsePositiveRate(trial, band);
    };
    let high = bands.length === 0 ? 0 : 4;
    let low = -8;
    if (at(high) <= TARGET_VALIDATION_FPR) low = high;
    for (let i = 0; i < 14 && high - low > 0.01; i++) {
      const mid = (high + low) / 2;
      if (at(mid) <= TARGET_VALIDATION_FPR) low = mid;
      else high = mid;
    }
    shifts[b] = low;
  }
  const low = bands.length === 0 ? (shifts[0] ?? 0) : 0;
  // Out-of-fold recall at that operating point: the figure to compare design choices by.
  let caught = 0;
  let attackCount = 0;
  const outOfFold: { sample: Sample; flagged: boolean; score: number }[] = [];
  for (const [f, fold] of folds.entries()) {
    const detector = createInjectionDetector({ ...options.detector, rules, model: shifted(fold.model, shifts) });
    for (const sample of train.filter((s) => foldOf(s) === f)) {
      const result = detector.detect(sample.text);
      const flagged = result.verdict === "injection";
      if (sample.label === 1) {
        attackCount++;
        if (flagged) caught++;
      }
      outOfFold.push({ sample, flagged, score: result.score });
    }
  }
  // The shipped model is the mean of the fold models rather than a refit on everything: the
  // operating point was measured on exactly these models, and a refit on more data scores
  // higher overall, so its false-positive rate would drift above the target.
  const mean = meanModel(folds.map((f) => f.model));
  const final = shifted(mean, shifts);
  return {
    model: final,
    lengthShifts: bands.length === 0 ? undefined : shifts,
    biasShift: low,
    outOfFoldBenign: benignCount,
    outOfFoldRecall: Math.round((caught / Math.max(1, attackCount)) * 10000) / 10000,
    outOfFold,
  };
}

/**
 * The mean of the fold models' logits as one model: the linear weights and biases averaged, and
 * (for an MLP) the fold models' hidden units side by side with their output weights divided by
 * the number of folds, so the hidden term is also the mean of the folds' (units × folds in all).
 */
export function meanModel(models: readonly LinearModel[]): LinearModel {
  const first = models[0];
  if (!first) throw new Error("no folds");
  const n = models.length;
  const weights = new Float32Array(first.weights.length);
  for (const model of models)
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) + (model.weights[i] ?? 0) / n;
  const bias = models.reduce((sum, model) => sum + model.bias, 0) / n;
  const layers = models.map((m) => m.hidden).filter((h) => h !== undefined);
  if (layers.length === 0) return { features: first.features, weights, bias };
  const one = layers[0];
  if (!one || layers.length !== n) throw new Error("every fold model needs the same hidden layer");
  const units = one.units * n;
  const dims = one.dims;
  const input = new Float32Array(dims * units);
  for (const [m, layer] of layers.entries())
    for (let row = 0; row < dims; row++)
      for (let j = 0; j < one.units; j++)
        input[row * units + m * one.units + j] = layer.input[row * one.units + j] as number;
  const hiddenBias = new Float32Array(units);
  const output = new Float32Array(units);
  for (const [m, layer] of layers.entries())
    for (let j = 0; j < one.units; j++) {
      hiddenBias[m * one.units + j] = layer.bias[j] as number;
      output[m * one.units + j] = (layer.output[j] as number) / n;
    }
  const minNorm = one.minNorm !== undefined ? { minNorm: one.minNorm } : {};
  return {
    features: first.features,
    weights,
    bias,
    hidden: { units, dims, input, bias: hiddenBias, output, ...minNorm },
  };
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes("--document")) {
    trainDocumentModel(args.filter((a) => a !== "--document"));
    return;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const outIndex = args.indexOf("--out");
  const out =
    outIndex >= 0 ? resolve(args[outIndex + 1] ?? "") : join(root, "rules/injection/model/injection-classifier.json");
  const corpus = loadPublicCorpus();
  const train = [...corpus.samples.filter((s) => s.split === "train"), ...loadTrainingFixtures()];

  if (args.includes("--validate")) {
    const fit = train.filter((s) => foldOf(s) !== 0);
    const val = train.filter((s) => foldOf(s) === 0);
    for (const epochs of [4, 6, 8]) {
      for (const l2 of [1e-5, 1e-4, 1e-3]) {
        for (const learningRate of [0.1]) {
          const model = trainLinearModel(fitExamples(fit, SEED + 1, knownKeys()), {
            seed: SEED,
            features: FEATURES,
            epochs,
            l2,
            learningRate,
          });
          const c = createInjectionClassifier(model);
          const scored = val.map((s) => ({ label: s.label, p: c.predict(normaliseText(s.text).text) }));
          const pos = scored.filter((s) => s.label === 1);
          const neg = scored.filter((s) => s.label === 0);
          const at = (t: number) => ({
            recall: pos.filter((s) => s.p >= t).length / pos.length,
            fpr: neg.filter((s) => s.p >= t).length / neg.length,
          });
          const negSorted = neg.map((s) => s.p).sort((a, b) => b - a);
          const t1 = negSorted[Math.floor(neg.length * 0.01)] ?? 1;
          console.log(JSON.stringify({ epochs, l2, learningRate, at05: at(0.5), atFpr1: { t: t1, ...at(t1 + 1e-9) } }));
        }
      }
    }
    return;
  }

  const bandsIndex = args.indexOf("--length-bands");
  const lengthBands =
    bandsIndex >= 0
      ? (args[bandsIndex + 1] ?? "")
          .split(",")
          .filter((x) => x !== "")
          .map(Number)
      : LENGTH_BANDS;
  const candidateIndex = args.indexOf("--candidate");
  const candidate = candidateIndex >= 0 ? (args[candidateIndex + 1] ?? "") : "linear";
  const trainOptions = CANDIDATES[candidate];
  if (!trainOptions) throw new Error(`unknown candidate ${candidate}; one of ${Object.keys(CANDIDATES).join(", ")}`);
  const started = performance.now();
  const { model, biasShift, lengthShifts, outOfFoldBenign, outOfFoldRecall } = buildModel(train, undefined, {
    lengthBands,
    train: trainOptions,
  });
  const seconds = (performance.now() - started) / 1000;
  const dataHash = createHash("sha256")
    .update(
      train
        .map((s) => `${s.key}:${s.label}`)
        .sort()
        .join("\n"),
    )
    .digest("hex")
    .slice(0, 16);
  const file = toInjectionModelFile(model, {
    seed: SEED,
    ...HYPER,
    ...(trainOptions.hidden ? { hidden: trainOptions.hidden } : {}),
    trainSamples: train.length,
    trainPositives: train.filter((s) => s.label === 1).length,
    trainNegatives: train.filter((s) => s.label === 0).length,
    composedPerLabel: AUGMENT_PER_LABEL,
    operatingPoint: `${FOLDS}-fold out-of-fold benign texts (${outOfFoldBenign})`,
    outOfFoldRecall,
    biasShift,
    ...(lengthShifts ? { lengthShifts } : {}),
    targetValidationFpr: TARGET_VALIDATION_FPR,
    droppedLabelConflicts: corpus.conflicts.length,
    dataHash,
    split: "sha256(canonical text)[0:8] % 5 == 0 is test; test never used",
  });
  const json = modelFileJson(file);
  writeFileSync(out, json);
  console.log(
    JSON.stringify({
      out,
      bytes: Buffer.byteLength(json),
      trainSamples: train.length,
      positives: train.filter((s) => s.label === 1).length,
      negatives: train.filter((s) => s.label === 0).length,
      outOfFoldBenign,
      outOfFoldRecall,
      biasShift: Math.round(biasShift * 1000) / 1000,
      conflicts: corpus.conflicts.length,
      trainingSeconds: Math.round(seconds * 100) / 100,
      dataHash,
    }),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
