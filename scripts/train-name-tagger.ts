/**
 * Train the name tagger (src/detect/pii/name-tagger.ts): `node --import tsx scripts/train-name-tagger.ts`.
 * Reads Presidio's generated_large.json (../shared/datasets/pii/presidio-research, MIT; never
 * synth_dataset_v2.json, the report set, nor Presidio's templates.txt) and our own records
 * (ownRecords: hand-written templates in scripts/data/, filled from the gazetteers with a fixed
 * seed), labels each token of each sentence with a BIO tag of
 * PERSON, LOCATION (Presidio's GPE too) or ORGANIZATION, trains an averaged perceptron with a
 * fixed seed and writes rules/pii/name-tagger.json. Same data and seed give the same bytes.
 *   --out FILE   write the model elsewhere
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../bench/pii-corpus.js";
import { type Gazetteer, loadGazetteer } from "../src/detect/pii/gazetteer.js";
import {
  allowed,
  featuresOf,
  isCandidate,
  type NameTaggerModel,
  type NameTaggerModelFile,
  prepareSentence,
  TAGS,
} from "../src/detect/pii/name-tagger.js";
import { SENTENCE_MAX, sentencesOf } from "../src/detect/pii/nlp-names.js";

export const SEED = 20_261_207;
export const EPOCHS = 4;
const SCALE = 1000;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const TRAIN_FILE = resolve(ROOT, "../shared/datasets/pii/presidio-research/generated_large.json");

export interface PresidioRecord {
  full_text: string;
  spans: { entity_type: string; start_position: number; end_position: number }[];
  template_id?: number;
}

const TAG_OF: Readonly<Record<string, number>> = { PERSON: 1, LOCATION: 3, GPE: 3, ORGANIZATION: 5 };

interface Example {
  sentence: ReturnType<typeof prepareSentence>;
  gold: Uint8Array;
}

/** Sentences of the records with a gold tag per token. */
export function examplesOf(records: readonly PresidioRecord[], g: Gazetteer): Example[] {
  const out: Example[] = [];
  for (const r of records) {
    const text = r.full_text;
    const spans = r.spans
      .filter((s) => TAG_OF[s.entity_type] !== undefined)
      .map((s) => ({ start: s.start_position, end: s.end_position, tag: TAG_OF[s.entity_type] as number }));
    for (const [start, end] of sentencesOf(text)) {
      if (end - start > SENTENCE_MAX) continue;
      const sentence = prepareSentence(text, start, end, g);
      const gold = new Uint8Array(sentence.tokens.length);
      for (const span of spans) {
        let first = true;
        sentence.tokens.forEach((t, i) => {
          if (t.start >= span.start && t.end <= span.end) {
            gold[i] = first ? span.tag : span.tag + 1;
            first = false;
          }
        });
      }
      out.push({ sentence, gold });
    }
  }
  return out;
}

/**
 * Copies of the records with their people and places replaced by others (`copies` per record):
 * names from the lists or made-up words, written in the case of the word they replace, so the
 * model learns the contexts names stand in rather than the generator's few names.
 */
export function augment(
  records: readonly PresidioRecord[],
  g: Gazetteer,
  copies: number,
  seed: number,
): PresidioRecord[] {
  const next = mulberry32(seed);
  const firsts = [...g.firstNames].sort();
  const lasts = [...g.lastNames].sort();
  const places = [...g.places].filter((p) => !p.includes(" ")).sort();
  const pick = (list: readonly string[]) => list[Math.floor(next() * list.length)] as string;
  const syllables = "ka lo mi ra ten vo su be da ni gor el an is tu ma re zo pa li".split(" ");
  const madeUp = () => {
    let w = "";
    const n = 2 + Math.floor(next() * 2);
    for (let k = 0; k < n; k++) w += pick(syllables);
    return (w[0] as string).toUpperCase() + w.slice(1);
  };
  const out: PresidioRecord[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const r of records) {
      const spans = [...r.spans].sort((a, b) => a.start_position - b.start_position);
      let text = "";
      let at = 0;
      let shift = 0;
      const moved: PresidioRecord["spans"] = [];
      for (const s of spans) {
        if (s.start_position < at) continue; // overlapping gold spans: leave the record's later ones out
        const value = r.full_text.slice(s.start_position, s.end_position);
        let replacement = value;
        const simple = /^[\p{L}' .-]+$/u.test(value);
        if (s.entity_type === "PERSON" && simple) {
          const words = value.split(" ").length;
          const last = next() < 0.25 ? madeUp() : pick(lasts);
          const first = next() < 0.25 ? madeUp() : pick(firsts);
          replacement = words >= 2 ? `${first} ${last}` : next() < 0.5 ? first : last;
        } else if ((s.entity_type === "LOCATION" || s.entity_type === "GPE") && simple && !value.includes(" ")) {
          replacement = next() < 0.2 ? madeUp() : pick(places);
        }
        if (value === value.toLowerCase()) replacement = replacement.toLowerCase();
        text += r.full_text.slice(at, s.start_position);
        const start = s.start_position + shift;
        text += replacement;
        shift += replacement.length - value.length;
        moved.push({ ...s, start_position: start, end_position: start + replacement.length });
        at = s.end_position;
      }
      text += r.full_text.slice(at);
      out.push({ full_text: text, spans: moved, template_id: r.template_id });
    }
  }
  return out;
}

/** Our own sentence templates (scripts/data/name-tagger-templates.txt, written by hand; see its header). */
export const OWN_TEMPLATES_FILE = resolve(ROOT, "scripts/data/name-tagger-templates.txt");
/** Records generated per template, and the generator's seed. */
export const OWN_COPIES = 12;
export const OWN_SEED = 20_261_208;

const PARTICLES = ["van", "van der", "van den", "de", "de la", "del", "von", "di", "da", "dos", "le", "al", "ter"];
const GENERATIONS = ["Jr.", "Sr.", "II", "III"];
const TITLE_WORDS = ["Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs.", "Dr", "Dr.", "Prof.", "Miss"];
const COMPANY_SUFFIXES = [
  "Inc.",
  "Ltd",
  "Ltd.",
  "LLC",
  "GmbH",
  "AG",
  "S.A.",
  "SAS",
  "SRL",
  "S.p.A.",
  "B.V.",
  "plc",
  "Corp.",
  "& Co.",
];
const COMPANY_NOUNS = (
  "Solutions Systems Group Holdings Partners Consulting Logistics Technologies Labs Software Foods Insurance " +
  "Capital Media Energy Motors Pharma Analytics Networks Industries Trading Services Studio Design Bank Telecom " +
  "Robotics Ventures Health Airlines Textiles Construction Legal Finance Retail"
).split(" ");
const INSTITUTIONS = ["University of", "Bank of", "Museum of", "Hospital of", "Port of", "Chamber of Commerce of"];

/**
 * Records from our own templates (OWN_TEMPLATES_FILE), each filled `copies` times with names from
 * the gazetteer's lists, places from its place list and organisations built from surnames, places,
 * made-up words, company nouns and legal suffixes; one in ten written in lower case, one in
 * twenty-five in capitals, and the names alone in capitals one in twenty. Template ids are negative
 * so they never meet a Presidio template's.
 */
export function ownRecords(g: Gazetteer, copies = OWN_COPIES, seed = OWN_SEED): PresidioRecord[] {
  const next = mulberry32(seed);
  const lines = readFileSync(OWN_TEMPLATES_FILE, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
  // "THING: a, b, c" lines list capitalised phrases that name nobody, for the {THING} slot.
  const things = lines
    .filter((l) => l.startsWith("THING:"))
    .flatMap((l) => l.slice(6).split(","))
    .map((t) => t.trim())
    .filter((t) => t !== "");
  const templates = lines.filter((l) => !l.startsWith("THING:")).map((l) => l.replaceAll("\\n", "\n"));
  const firsts = [...g.firstNames].sort();
  const lasts = [...g.lastNames].sort();
  const places = [...g.places].sort();
  const onePlaces = places.filter((p) => !p.includes(" "));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const syllables = "ka lo mi ra ten vo su be da ni gor el an is tu ma re zo pa li ve tro nix qua".split(" ");
  const madeUp = () => {
    let w = "";
    const n = 2 + Math.floor(next() * 2);
    for (let k = 0; k < n; k++) w += pick(syllables);
    return (w[0] as string).toUpperCase() + w.slice(1);
  };
  const person = (): string => {
    const r = next();
    const first = pick(firsts);
    const last = pick(lasts);
    if (r < 0.55) return `${first} ${last}`;
    if (r < 0.63) return `${first} ${pick(firsts)} ${last}`;
    if (r < 0.7) return `${first[0]}. ${last}`;
    if (r < 0.74) return `${first} ${pick(firsts)[0]}. ${last}`;
    if (r < 0.8) return `${first} ${pick(PARTICLES)} ${last}`;
    if (r < 0.87) return `${first} ${last}-${pick(lasts)}`;
    if (r < 0.94) return `${first}-${pick(firsts)} ${last}`;
    if (r < 0.97) return `${first} ${last} ${pick(GENERATIONS)}`;
    return `${first} ${madeUp()}`;
  };
  const organisation = (): string => {
    const r = next();
    if (r < 0.25) return `${pick(lasts)} ${pick(COMPANY_SUFFIXES)}`;
    if (r < 0.4) return `${pick(lasts)} ${pick(COMPANY_NOUNS)}`;
    if (r < 0.5) return `${pick(lasts)} & ${pick(lasts)}`;
    if (r < 0.7) return `${madeUp()} ${pick(COMPANY_NOUNS)}${next() < 0.4 ? ` ${pick(COMPANY_SUFFIXES)}` : ""}`;
    if (r < 0.8) return madeUp();
    if (r < 0.9) return `${pick(onePlaces)} ${pick(COMPANY_NOUNS)}`;
    return `${pick(INSTITUTIONS)} ${pick(places)}`;
  };
  const out: PresidioRecord[] = [];
  for (let copy = 0; copy < copies; copy++) {
    templates.forEach((template, id) => {
      const lower = next() < 0.1;
      const upper = !lower && next() < 0.04;
      const namesUpper = !lower && !upper && next() < 0.05;
      let text = "";
      const spans: PresidioRecord["spans"] = [];
      let at = 0;
      for (const m of template.matchAll(/\{(PER|FIRST|LAST|TITLE|LOC|ORG|THING)\}/g)) {
        text += template.slice(at, m.index);
        at = (m.index as number) + m[0].length;
        const slot = m[1] as string;
        let value =
          slot === "PER"
            ? person()
            : slot === "FIRST"
              ? pick(firsts)
              : slot === "LAST"
                ? pick(lasts)
                : slot === "TITLE"
                  ? pick(TITLE_WORDS)
                  : slot === "THING"
                    ? pick(things)
                    : slot === "LOC"
                      ? pick(places)
                      : organisation();
        if (namesUpper && slot !== "TITLE") value = value.toUpperCase();
        const entity =
          slot === "LOC"
            ? "LOCATION"
            : slot === "ORG"
              ? "ORGANIZATION"
              : slot === "TITLE" || slot === "THING"
                ? ""
                : "PERSON";
        if (entity)
          spans.push({ entity_type: entity, start_position: text.length, end_position: text.length + value.length });
        text += value;
      }
      text += template.slice(at);
      if (lower) text = text.toLowerCase();
      if (upper) text = text.toUpperCase();
      out.push({ full_text: text, spans, template_id: -1 - id });
    });
  }
  return out;
}

const NTAGS = TAGS.length;

/** Averaged perceptron over the examples; greedy decoding with the predicted previous tag. */
export function trainTagger(
  examples: readonly Example[],
  options: { epochs?: number; seed?: number } = {},
): NameTaggerModel {
  const epochs = options.epochs ?? EPOCHS;
  const next = mulberry32(options.seed ?? SEED);
  const w = new Map<number, Float64Array>();
  const acc = new Map<number, Float64Array>();
  const stamp = new Map<number, Float64Array>();
  let step = 1;
  const get = (map: Map<number, Float64Array>, f: number) => {
    let v = map.get(f);
    if (!v) {
      v = new Float64Array(NTAGS);
      map.set(f, v);
    }
    return v;
  };
  const bump = (f: number, t: number, by: number) => {
    const wf = get(w, f);
    const af = get(acc, f);
    const sf = get(stamp, f);
    af[t] = (af[t] as number) + (step - (sf[t] as number)) * (wf[t] as number);
    sf[t] = step;
    wf[t] = (wf[t] as number) + by;
  };
  const order = examples.map((_, i) => i);
  const scores = new Float64Array(NTAGS);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const { sentence, gold } = examples[index] as Example;
      let prev = 0;
      for (let i = 0; i < sentence.tokens.length; i++) {
        if (!isCandidate(sentence, i, prev)) {
          prev = 0;
          continue;
        }
        const features = featuresOf(sentence, i, prev);
        scores.fill(0);
        for (const f of features) {
          const wf = w.get(f);
          if (wf) for (let t = 0; t < NTAGS; t++) scores[t] = (scores[t] as number) + (wf[t] as number);
        }
        let best = -1;
        for (let t = 0; t < NTAGS; t++) {
          if (!allowed(prev, t)) continue;
          if (best < 0 || (scores[t] as number) > (scores[best] as number)) best = t;
        }
        let truth = gold[i] as number;
        if (!allowed(prev, truth)) truth = truth - 1; // an I- tag after a miss: its B- tag
        if (best !== truth) {
          for (const f of features) {
            bump(f, truth, 1);
            bump(f, best, -1);
          }
        }
        step++;
        prev = best;
      }
    }
  }
  const weights = new Map<number, Float64Array>();
  for (const [f, wf] of w) {
    const af = acc.get(f) as Float64Array;
    const sf = stamp.get(f) as Float64Array;
    const avg = new Float64Array(NTAGS);
    let keep = false;
    for (let t = 0; t < NTAGS; t++) {
      const total = (af[t] as number) + (step - (sf[t] as number)) * (wf[t] as number);
      avg[t] = Math.round((total / step) * SCALE) / SCALE;
      if (avg[t] !== 0) keep = true;
    }
    if (keep) weights.set(f, avg);
  }
  return { weights };
}

/** The model as its file: features sorted, weights as integers (× SCALE), zero weights left out. */
export function toModelFile(model: NameTaggerModel): NameTaggerModelFile {
  const weights: Record<string, number[]> = {};
  for (const f of [...model.weights.keys()].sort((a, b) => a - b)) {
    const wf = model.weights.get(f) as Float64Array;
    const pairs: number[] = [];
    for (let t = 0; t < NTAGS; t++) {
      const v = Math.round((wf[t] as number) * SCALE);
      if (v !== 0) pairs.push(t, v);
    }
    if (pairs.length > 0) weights[f] = pairs;
  }
  return { format: "palisade-name-tagger/2", tags: [...TAGS], scale: SCALE, weights };
}

export function loadTrainingRecords(file = TRAIN_FILE): PresidioRecord[] {
  return JSON.parse(readFileSync(file, "utf8")) as PresidioRecord[];
}

function main(): void {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? resolve(args[outAt + 1] as string) : resolve(ROOT, "rules/pii/name-tagger.json");
  const raw = readFileSync(TRAIN_FILE);
  const records = JSON.parse(raw.toString("utf8")) as PresidioRecord[];
  const g = loadGazetteer();
  const own = ownRecords(g);
  const examples = examplesOf([...records, ...own], g);
  const model = trainTagger(examples);
  const file = toModelFile(model);
  const provenance = {
    source:
      "presidio-research tests/data/generated_large.json (github.com/microsoft/presidio-research, commit " +
      "7622dec1e5f7d25dc60b57c28c39f4c4af197018), MIT licence; synthetic text generated with Faker",
    sha256: createHash("sha256").update(raw).digest("hex"),
    records: records.length,
    own: {
      source:
        "scripts/data/name-tagger-templates.txt: sentence templates written by hand for Palisade (Apache-2.0), " +
        "filled by ownRecords() from rules/pii/first-names.txt, last-names.txt and places.txt",
      sha256: createHash("sha256").update(readFileSync(OWN_TEMPLATES_FILE)).digest("hex"),
      records: own.length,
      copies: OWN_COPIES,
      seed: OWN_SEED,
    },
    sentences: examples.length,
    epochs: EPOCHS,
    seed: SEED,
    trainer: "scripts/train-name-tagger.ts",
  };
  writeFileSync(out, `${JSON.stringify({ ...file, provenance })}\n`);
  console.log(`${out}: ${Object.keys(file.weights).length} features from ${examples.length} sentences`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
