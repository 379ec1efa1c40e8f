/**
 * Train document mode's span model: `npm run train:injection -- --document` (or run this file).
 * Composes documents of eight genres from bipia-train contexts and Palisade's parts, half of them
 * with notes written to a person reading them (bench/injection-document-data.ts), cuts them into spans exactly as the detector does
 * (segment.ts, document.ts), labels the spans that overlap the inserted attack, trains logistic
 * regression over hashed n-grams plus addressing cues, and writes
 * rules/injection/model/document-span-classifier.json. Same data and seed give the same file.
 *
 * Splits: contexts by hash (train / calibrate / validate); attacks by category into
 * CATEGORY_FOLDS folds. For each fold a model is trained without that fold's categories, its
 * operating point (one bias shift plus an offset per detected genre, see calibrate) is set on
 * clean `calibrate` and `validate` documents (every genre at most TARGET_FPR; see
 * calibrationDocuments), and it is measured on `validate` documents: clean ones (other
 * compositions), and ones carrying attacks of the held-out categories only. The shipped model
 * is trained on every category, calibrated the same way.
 *   --folds-only   print the category-disjoint figures without writing the model
 *   --out FILE     write the model elsewhere
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Attack,
  CATEGORY_FOLDS,
  type ComposedDocument,
  categoryFolds,
  composeDocuments,
  DOCUMENT_GENRES,
  loadAttacks,
  loadPromptPool,
  loadReaderNotes,
  NOTE_SHARE,
} from "../bench/injection-document-data.js";
import {
  type CompiledInjectionRule,
  createDocumentSpanScorer,
  createInjectionDetector,
  createRandom,
  type FeatureConfig,
  type LinearModel,
  loadInjectionRules,
  normaliseText,
  OBFUSCATING,
  segmentDocument,
  type TrainingExample,
  toInjectionModelFile,
  toSpanInputs,
  trainLinearModel,
} from "../src/detect/injection/index.js";
import { modelFileJson } from "./model-json.js";

export const DOCUMENT_SEED = 20_261_207;
/**
 * Knobs for experiments (SPAN_EPOCHS, SPAN_LR, SPAN_L2, SPAN_NGRAMS, SPAN_BIGRAMS, SPAN_MINNORM,
 * SPAN_PROMPTS, SPAN_MAX_OFFSET, SPAN_OFFSET_FPR, SPAN_OFFSET_MARGIN); the defaults are what ships.
 */
const env = (name: string): string | undefined => process.env[name];
/**
 * Chosen on the category-disjoint validation (see docs/detectors-injection.md): 16 epochs at rate
 * 0.2 beat 8 at 0.1 (pooled recall 0.66 vs 0.61 at the same clean-document FPR), L2 1e-4 and
 * more public prompts (1,500) did worse.
 */
export const DOCUMENT_HYPER = {
  epochs: Number(env("SPAN_EPOCHS") ?? 16),
  learningRate: Number(env("SPAN_LR") ?? 0.2),
  l2: Number(env("SPAN_L2") ?? 1e-5),
} as const;
/**
 * Words and cue words, no character n-grams: with 4-grams the model learnt the seen categories'
 * wording and recall on unseen categories fell (0.65 vs 0.71 before calibration fixes, 0.61 vs
 * 0.61 after, with twice the clean-document false positives on unseen benign text).
 */
export const SPAN_FEATURES: FeatureConfig = {
  dims: 1 << 16,
  charNgrams: (env("SPAN_NGRAMS") ?? "")
    .split(",")
    .filter((x) => x !== "")
    .map(Number),
  wordBigrams: env("SPAN_BIGRAMS") === "1",
  minNorm: Number(env("SPAN_MINNORM") ?? 24),
};
/** Composed documents per genre and label: training, calibration, validation. */
export const SIZES = { train: 300, calibrate: 150, validate: 120 } as const;
/** Highest share of clean documents of any one genre that may be flagged at the operating point. */
export const TARGET_FPR = 0.01;

/**
 * Extra training rows (env SPAN_AUG; "drop" ships, "" trains without, "cues" tried): every span
 * again with each word kept at random with probability 1/2, and its cue words whole. The words
 * of unseen attack categories are unknown to the model, so it must not lean on a span's exact
 * wording; pooled category-disjoint recall 0.752 → 0.763 with it (cue words alone: 0.700 → 0.704).
 */
const AUG = env("SPAN_AUG") ?? "drop";
/** Add the augmented copies of one span example to `rows` (see AUG). */
function augment(
  rows: { text: string; label: 0 | 1 }[],
  random: () => number,
  example: { text: string; input: string; label: 0 | 1 },
): void {
  const { text, input, label } = example;
  const cues = input.slice(text.length + 1);
  if (AUG.includes("cues")) rows.push({ text: cues, label });
  if (AUG.includes("drop")) {
    const kept = text.split(" ").filter(() => random() < 0.5);
    rows.push({ text: `${kept.join(" ")} ${cues}`, label });
  }
}

/** Span examples of composed documents: spans overlapping the inserted attack are positive. */
export function spanExamples(docs: readonly ComposedDocument[]): TrainingExample[] {
  const rows: { text: string; label: 0 | 1 }[] = [];
  const random = createRandom(DOCUMENT_SEED + 17);
  for (const doc of docs) {
    const obfuscated = normaliseText(doc.text).transformations.some((t) => OBFUSCATING.has(t));
    for (const { span, input, text } of toSpanInputs(doc.text, segmentDocument(doc.text), obfuscated)) {
      let label: 0 | 1 = 0;
      if (doc.attack) {
        const overlap = Math.min(span.end, doc.attack.end) - Math.max(span.start, doc.attack.start);
        if (overlap > 0 && overlap >= 0.5 * Math.min(span.end - span.start, doc.attack.end - doc.attack.start))
          label = 1;
        // Spans of an attacked document that only partly overlap it are left out, not taught as clean.
        else if (overlap > 0) continue;
      }
      rows.push({ text: input, label });
      augment(rows, random, { text, input, label });
    }
  }
  const positives = rows.filter((r) => r.label === 1).length;
  const negatives = rows.length - positives;
  return rows.map((r) => ({
    text: r.text,
    label: r.label,
    weight: r.label === 1 ? rows.length / (2 * Math.max(1, positives)) : rows.length / (2 * Math.max(1, negatives)),
  }));
}

export function trainSpanModel(docs: readonly ComposedDocument[]): LinearModel {
  return trainLinearModel(spanExamples(docs), {
    seed: DOCUMENT_SEED,
    ...DOCUMENT_HYPER,
    features: SPAN_FEATURES,
    normalise: false,
  });
}

/**
 * Clean documents the operating point is set on: the `calibrate` contexts and also the clean
 * `validate` ones. With `calibrate` alone, validation FPR came out at 4.5% on code Q&A and 1.7%
 * on Markdown (a handful of contexts each, every one repeated in many documents); adding the
 * clean validation documents makes validation FPR in-sample for the threshold, while recall is
 * still measured on attack categories the fold's model never saw.
 */
export function calibrationDocuments(): ComposedDocument[] {
  return [
    ...composeDocuments({ split: "calibrate", attacks: [], seed: DOCUMENT_SEED + 101, perGenre: SIZES.calibrate }),
    ...composeDocuments({ split: "validate", attacks: [], seed: DOCUMENT_SEED + 102, perGenre: SIZES.calibrate }),
  ];
}

/** The public prompt pool, sampled to PROMPT_SHARE of the training attacks (env SPAN_PROMPTS=0 turns it off). */
export function withPrompts(): Attack[] {
  if (env("SPAN_PROMPTS") === "0") return [];
  const pool = loadPromptPool();
  const want = Number(env("SPAN_PROMPTS") ?? 400);
  const step = Math.max(1, Math.floor(pool.length / want));
  return pool.filter((_, i) => i % step === 0).slice(0, want);
}

/** Per document: the best span's logit and the other evidence (rules, decoded layers) at the model's bias. */
export interface Scored {
  doc: ComposedDocument;
  /** The genre the detector gave the document (segment.ts), which picks its bias offset. */
  genre: string;
  logit: number;
  other: number;
}

/** An operating point: one bias shift, plus an offset per detected genre. */
export interface OperatingPoint {
  shift: number;
  genreBias: Record<string, number>;
}

export function scoreDocuments(
  model: LinearModel,
  rules: readonly CompiledInjectionRule[],
  docs: readonly ComposedDocument[],
): Scored[] {
  const scorer = createDocumentSpanScorer(model);
  // The other evidence is what the detector scores with the span model switched off.
  const silent = createInjectionDetector({ rules, documentModel: { ...model, bias: -50 } });
  return docs.map((doc) => {
    const obfuscated = normaliseText(doc.text).transformations.some((t) => OBFUSCATING.has(t));
    const analysis = scorer.analyse(doc.text, { obfuscated, top: 1 });
    // A text judged as a prompt (analysis.instructions) gets no span score: the detector's other path scores it.
    const best = analysis.instructions ? 0 : (analysis.spans[0]?.score ?? 0);
    const p = Math.min(1 - 1e-9, Math.max(1e-9, best));
    return {
      doc,
      genre: analysis.genre,
      logit: Math.log(p / (1 - p)),
      other: silent.detect(doc.text, { mode: "document" }).score,
    };
  });
}

export function scoreAt(s: Scored, point: OperatingPoint): number {
  const p = 1 / (1 + Math.exp(-(s.logit + point.shift + (point.genreBias[s.genre] ?? 0))));
  return 1 - (1 - s.other) * (1 - p);
}

/** Highest clean-document false-positive rate over the composed genres at an operating point (threshold 0.5). */
function worstGenreFpr(clean: readonly Scored[], point: OperatingPoint): number {
  let worst = 0;
  for (const genre of DOCUMENT_GENRES) {
    const list = clean.filter((s) => s.doc.genre === genre);
    if (list.length === 0) continue;
    const flagged = list.filter((s) => scoreAt(s, point) >= 0.5).length;
    worst = Math.max(worst, flagged / list.length);
  }
  return worst;
}

/** The largest value in [low, high] for which `ok` holds (`ok` monotone: true below some point), or low. */
function largest(low: number, high: number, ok: (x: number) => boolean): number {
  if (ok(high)) return high;
  for (let i = 0; i < 30 && high - low > 0.005; i++) {
    const mid = (low + high) / 2;
    if (ok(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** Most a genre's offset may raise its spans' logits above the shared shift (env SPAN_MAX_OFFSET). */
const MAX_GENRE_OFFSET = Number(env("SPAN_MAX_OFFSET") ?? 4);
/**
 * Logit taken from the shared shift after the search: a context repeated in many clean
 * documents otherwise sits exactly on the threshold (0.4999), and the user-mode classifier's
 * faint evidence in the full detector tipped 18% of clean code-Q&A documents over it.
 */
const SHIFT_MARGIN = 0.25;
/**
 * The clean-document FPR the genre offsets may reach: half the target, a margin for documents
 * composed differently from the calibration ones (at the full target, validation web pages came
 * out at 1.5%).
 */
const GENRE_OFFSET_FPR = Number(env("SPAN_OFFSET_FPR") ?? TARGET_FPR / 2);
/** Logit taken back from each genre offset found, a further margin (env SPAN_OFFSET_MARGIN). */
const GENRE_OFFSET_MARGIN = Number(env("SPAN_OFFSET_MARGIN") ?? 0.5);

/**
 * The operating point: first the one shift at which no composed genre's clean FPR exceeds the
 * target; then, genre by genre of the detector's own genres, the largest offset (up to
 * MAX_GENRE_OFFSET) that keeps every composed genre at or under GENRE_OFFSET_FPR (or where the
 * shared shift left it, if higher). A genre
 * whose clean documents score low (e-mail) then no longer waits on the genre that scores
 * highest (code Q&A).
 */
export function calibrate(clean: readonly Scored[]): OperatingPoint {
  const point: OperatingPoint = { shift: 0, genreBias: {} };
  point.shift = largest(-10, 6, (x) => worstGenreFpr(clean, { shift: x, genreBias: {} }) <= TARGET_FPR) - SHIFT_MARGIN;
  const fprOf = (genre: string, at: OperatingPoint) => {
    const list = clean.filter((s) => s.doc.genre === genre);
    return list.length === 0 ? 0 : list.filter((s) => scoreAt(s, at) >= 0.5).length / list.length;
  };
  const bound = new Map(DOCUMENT_GENRES.map((g) => [g, Math.max(GENRE_OFFSET_FPR, fprOf(g, point))]));
  for (const genre of [...new Set(clean.map((s) => s.genre))].sort()) {
    const offset = largest(0, MAX_GENRE_OFFSET, (x) => {
      const at = { shift: point.shift, genreBias: { ...point.genreBias, [genre]: x } };
      return DOCUMENT_GENRES.every((g) => fprOf(g, at) <= (bound.get(g) ?? TARGET_FPR));
    });
    const kept = offset - GENRE_OFFSET_MARGIN;
    if (kept > 0) point.genreBias[genre] = Math.round(kept * 1000) / 1000;
  }
  return point;
}

const AT_ZERO: OperatingPoint = { shift: 0, genreBias: {} };

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Recall and FPR of scored documents at a shift, overall and by genre. */
function figures(scored: readonly Scored[], point: OperatingPoint) {
  const cell = (list: readonly Scored[]) => {
    const attacks = list.filter((s) => s.doc.label === 1);
    const clean = list.filter((s) => s.doc.label === 0);
    const flagged = (l: readonly Scored[]) => l.filter((s) => scoreAt(s, point) >= 0.5).length;
    return {
      attacks: attacks.length,
      clean: clean.length,
      recall: attacks.length ? round(flagged(attacks) / attacks.length) : null,
      fpr: clean.length ? round(flagged(clean) / clean.length) : null,
    };
  };
  const byGenre = Object.fromEntries(DOCUMENT_GENRES.map((g) => [g, cell(scored.filter((s) => s.doc.genre === g))]));
  return { overall: cell(scored), byGenre };
}

/**
 * Category-disjoint validation: per fold, train without the fold's attack categories,
 * calibrate on clean `calibrate` documents, measure on `validate` documents whose attacks are
 * the fold's categories only. Returns the per-fold and pooled figures.
 */
export function crossValidate(rules: readonly CompiledInjectionRule[], attacks: readonly Attack[] = loadAttacks()) {
  const folds = categoryFolds(attacks);
  const prompts = withPrompts();
  const calibrationClean = calibrationDocuments();
  const pooled: Scored[] = [];
  const perFold: Record<string, unknown>[] = [];
  for (let f = 0; f < CATEGORY_FOLDS; f++) {
    const seen = attacks.filter((a) => folds.get(a.category) !== f);
    const unseen = attacks.filter((a) => folds.get(a.category) === f);
    const model = trainSpanModel(
      composeDocuments({
        split: "train",
        attacks: [...seen, ...prompts],
        seed: DOCUMENT_SEED + f,
        perGenre: SIZES.train,
      }),
    );
    const point = calibrate(scoreDocuments(model, rules, calibrationClean));
    const validation = scoreDocuments(
      model,
      rules,
      composeDocuments({ split: "validate", attacks: unseen, seed: DOCUMENT_SEED + 201 + f, perGenre: SIZES.validate }),
    );
    // Re-express every score at shift 0 so the pooled figures use each fold's own operating point.
    for (const s of validation) pooled.push({ ...s, logit: s.logit + point.shift + (point.genreBias[s.genre] ?? 0) });
    perFold.push({
      fold: f,
      heldOutCategories: [...new Set(unseen.map((a) => a.category))].sort(),
      shift: Math.round(point.shift * 1000) / 1000,
      genreBias: point.genreBias,
      ...figures(validation, point).overall,
    });
  }
  const byCategory: Record<string, { attacks: number; recall: number | null }> = {};
  for (const category of [...new Set(pooled.filter((s) => s.doc.label === 1).map((s) => s.doc.category))].sort()) {
    const list = pooled.filter((s) => s.doc.category === category);
    byCategory[category] = {
      attacks: list.length,
      recall: round(list.filter((s) => scoreAt(s, AT_ZERO) >= 0.5).length / Math.max(1, list.length)),
    };
  }
  const byPlacement: Record<string, { attacks: number; recall: number | null }> = {};
  for (const placement of [...new Set(pooled.filter((s) => s.doc.label === 1).map((s) => s.doc.placement))].sort()) {
    const list = pooled.filter((s) => s.doc.label === 1 && s.doc.placement === placement);
    byPlacement[placement] = {
      attacks: list.length,
      recall: round(list.filter((s) => scoreAt(s, AT_ZERO) >= 0.5).length / Math.max(1, list.length)),
    };
  }
  return { pooled: figures(pooled, AT_ZERO), perFold, byCategory, byPlacement };
}

/** Train, validate and write the span model; `args` as on the command line. */
export function trainDocumentModel(args: readonly string[]): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const outIndex = args.indexOf("--out");
  const out =
    outIndex >= 0
      ? resolve(args[outIndex + 1] ?? "")
      : join(root, "rules/injection/model/document-span-classifier.json");
  const rules = loadInjectionRules();
  const attacks = loadAttacks();
  const started = performance.now();
  const validation = crossValidate(rules, attacks);
  console.error(JSON.stringify({ categoryDisjointValidation: validation }, null, 2));
  if (args.includes("--folds-only")) return;

  const model = trainSpanModel(
    composeDocuments({
      split: "train",
      attacks: [...attacks, ...withPrompts()],
      seed: DOCUMENT_SEED,
      perGenre: SIZES.train,
    }),
  );
  const point = calibrate(scoreDocuments(model, rules, calibrationDocuments()));
  const shift = point.shift;
  const shipped = { ...model, bias: model.bias + shift, genreBias: point.genreBias };
  const file = toInjectionModelFile(shipped, {
    seed: DOCUMENT_SEED,
    ...DOCUMENT_HYPER,
    attacks: attacks.length,
    attackCategories: new Set(attacks.map((a) => a.category)).size,
    documentsPerGenre: SIZES,
    readerNotes: loadReaderNotes().length,
    readerNoteShare: NOTE_SHARE,
    biasShift: Math.round(shift * 1000) / 1000,
    targetFpr: TARGET_FPR,
    operatingPoint:
      "one bias shift: clean calibrate- and validate-split documents of every genre flagged at most targetFpr at threshold 0.5, less 0.25; then genreBias: per detected genre the largest offset (at most 4) keeping every genre at most targetFpr/2 (or its level at the shift), less 0.5",
    categoryDisjointRecall: validation.pooled.overall.recall,
    categoryDisjointFpr: validation.pooled.overall.fpr,
    split: "contexts: sha256('ctx:'+text) % 5: 0 validate, 1 calibrate, else train; attacks: categories in 5 folds",
  });
  const json = modelFileJson(file);
  writeFileSync(out, json);
  console.log(
    JSON.stringify({
      out,
      bytes: Buffer.byteLength(json),
      biasShift: Math.round(shift * 1000) / 1000,
      categoryDisjoint: validation.pooled.overall,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    }),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  trainDocumentModel(process.argv.slice(2));
