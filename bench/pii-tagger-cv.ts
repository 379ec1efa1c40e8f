/**
 * Cross-validation of the name tagger on Presidio's generated_large.json (the tuning set), folds
 * split by template so that no template is both trained on and scored: the held-out folds stand in
 * for text written from other templates. `node --import tsx bench/pii-tagger-cv.ts [--folds 5]`.
 * Prints PERSON, LOCATION, ORGANIZATION, STREET_ADDRESS and overall F2 for the detector without the
 * tagger and with it under a few scorings. synth_dataset_v2.json is never read here.
 */

import {
  augment,
  examplesOf,
  loadTrainingRecords,
  OWN_COPIES,
  ownRecords,
  type PresidioRecord,
  trainTagger,
} from "../scripts/train-name-tagger.js";
import type { Detection } from "../src/detect/detection.js";
import { type EvalRecord, GOLD_TYPE_ALIASES, scoreSpans } from "../src/detect/evaluate.js";
import { builtinRecognizers } from "../src/detect/pii/builtin.js";
import { createPiiDetector, piiEntities } from "../src/detect/pii/detector.js";
import { loadGazetteer } from "../src/detect/pii/gazetteer.js";
import {
  createNameTaggerRecognizer,
  DEFAULT_TAGGER_SCORING,
  type NameTaggerModel,
  type TaggerScoring,
} from "../src/detect/pii/name-tagger.js";

const args = process.argv.slice(2);
const folds = Number(args[args.indexOf("--folds") + 1] ?? 5) || 5;
const records = loadTrainingRecords();
const templates = [...new Set(records.map((r) => r.template_id ?? 0))].sort((a, b) => a - b);
const foldOf = new Map(templates.map((t, i) => [t, i % folds]));

const all = (score: number, sureScore: number, sure: number): TaggerScoring => ({
  PERSON: { score, sureScore, sure },
  LOCATION: { score, sureScore, sure },
  ORGANIZATION: { score, sureScore, sure },
});
const po = (lone?: number): TaggerScoring => ({
  PERSON: { score: 0.52, sureScore: 0.6, sure: 2, lone },
  ORGANIZATION: { score: 0.52, sureScore: 0.6, sure: 2, lone },
});
const { LOCATION: _places, ...peopleAndOrgs } = DEFAULT_TAGGER_SCORING;
const scorings: Record<string, TaggerScoring> = {
  shipped: DEFAULT_TAGGER_SCORING,
  "P+O, no lone": po(),
  "P+O lone@5": po(5),
  "P+O (no L)": peopleAndOrgs,
  "P+O+L lone@10": { ...peopleAndOrgs, LOCATION: { score: 0.52, sureScore: 0.6, sure: 2, lone: 10 } },
  "P+O+L sure@4": { ...peopleAndOrgs, LOCATION: { score: 0, sureScore: 0.6, sure: 4 } },
};
const augmentCopies = args.includes("--augment") ? Number(args[args.indexOf("--augment") + 1]) : 0;
// Our own generated records (scripts/data/name-tagger-templates.txt) join the training data of
// every fold, as in the shipped model; they are never scored. `--own 0` leaves them out.
const ownCopies = args.includes("--own") ? Number(args[args.indexOf("--own") + 1]) : OWN_COPIES;

const toEval = (r: PresidioRecord): EvalRecord => ({
  text: r.full_text,
  spans: r.spans.map((s) => ({ start: s.start_position, end: s.end_position, type: s.entity_type })),
});
const items: Record<string, { gold: EvalRecord["spans"]; predicted: Detection[] }[]> = { base: [] };
/** The list of scored records of one setting, created on first use. */
function listOf(name: string): { gold: EvalRecord["spans"]; predicted: Detection[] }[] {
  items[name] ??= [];
  return items[name];
}
const base = createPiiDetector({ names: "fast", tagger: false });
const g = loadGazetteer();
const own = ownRecords(g, ownCopies);
let trainMs = 0;
for (let fold = 0; fold < folds; fold++) {
  const train = records.filter((r) => foldOf.get(r.template_id ?? 0) !== fold);
  const test = records.filter((r) => foldOf.get(r.template_id ?? 0) === fold);
  const started = performance.now();
  const model: NameTaggerModel = trainTagger(examplesOf([...train, ...augment(train, g, augmentCopies, 7), ...own], g));
  trainMs += performance.now() - started;
  for (const r of test) items.base?.push({ gold: toEval(r).spans, predicted: base.detect(r.full_text) });
  for (const [name, scoring] of Object.entries(scorings)) {
    const detector = createPiiDetector({
      names: "fast",
      tagger: false,
      extra: [createNameTaggerRecognizer(() => model, loadGazetteer, scoring)],
    });
    const list = listOf(name);
    for (const r of test) list.push({ gold: toEval(r).spans, predicted: detector.detect(r.full_text) });
  }
  // The tagger in the gazetteer's place (the other recognisers kept).
  const replaced = createPiiDetector({
    builtins: false,
    extra: [
      ...builtinRecognizers().filter((r) => !r.id.startsWith("gazetteer")),
      createNameTaggerRecognizer(() => model, loadGazetteer, all(0.9, 0.9, 0)),
    ],
  });
  const replacedList = listOf("in gaz place");
  for (const r of test) replacedList.push({ gold: toEval(r).spans, predicted: replaced.detect(r.full_text) });
  // Tagger alone.
  const alone = createPiiDetector({
    builtins: false,
    extra: [createNameTaggerRecognizer(() => model, loadGazetteer, all(0.9, 0.9, 0))],
  });
  const list = listOf("tagger alone");
  for (const r of test) list.push({ gold: toEval(r).spans, predicted: alone.detect(r.full_text) });
}
const labelled = new Set(records.flatMap((r) => r.spans.map((s) => GOLD_TYPE_ALIASES[s.entity_type] ?? s.entity_type)));
const supported = new Set(piiEntities().filter((e) => labelled.has(e)));
const show = ["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"];
console.log(
  `folds ${folds} by template (${templates.length} templates), ${own.length} own records, training ${Math.round(trainMs)} ms in all`,
);
console.log(["setting".padEnd(14), ...show.map((e) => e.slice(0, 6).padStart(16)), "OVERALL".padStart(16)].join(""));
for (const [name, list] of Object.entries(items)) {
  const s = scoreSpans(list, name === "tagger alone" ? new Set(["PERSON", "LOCATION", "ORGANIZATION"]) : supported);
  const cell = (x?: { precision: number; recall: number; f2: number }) =>
    x ? ` ${x.f2.toFixed(3)} ${x.precision.toFixed(2)}/${x.recall.toFixed(2)}`.padStart(16) : "".padStart(16);
  console.log([name.padEnd(14), ...show.map((e) => cell(s.entities[e])), cell(s.overall)].join(""));
}

// --diff NAME: spans the setting adds or loses against the base (tuning set only).
const diffAt = args.indexOf("--diff");
if (diffAt >= 0) {
  const name = args[diffAt + 1] as string;
  const texts: string[] = [];
  for (let fold = 0; fold < folds; fold++)
    for (const r of records) if (foldOf.get(r.template_id ?? 0) === fold) texts.push(r.full_text);
  const key = (d: { entity: string; start: number; end: number }) => `${d.entity}@${d.start}-${d.end}`;
  const counts: Record<string, number> = {};
  (items[name] ?? []).forEach((it, k) => {
    const before = new Set((items.base?.[k]?.predicted ?? []).map(key));
    const after = new Set(it.predicted.map(key));
    const gold = new Set(it.gold.map((s) => key({ entity: GOLD_TYPE_ALIASES[s.type] ?? s.type, ...s })));
    const text = texts[k] as string;
    for (const d of it.predicted) {
      if (before.has(key(d)) || !show.includes(d.entity)) continue;
      const tag = gold.has(key(d)) ? "ADD-TP" : "ADD-FP";
      counts[`${tag} ${d.entity}`] = (counts[`${tag} ${d.entity}`] ?? 0) + 1;
      console.log(
        `${tag} ${d.entity} ${JSON.stringify(text.slice(d.start, d.end))} :: ${JSON.stringify(text.slice(Math.max(0, d.start - 40), d.end + 30))}`,
      );
    }
    for (const d of items.base?.[k]?.predicted ?? []) {
      if (after.has(key(d)) || !show.includes(d.entity)) continue;
      const tag = gold.has(key(d)) ? "LOST-TP" : "LOST-FP";
      counts[`${tag} ${d.entity}`] = (counts[`${tag} ${d.entity}`] ?? 0) + 1;
      console.log(
        `${tag} ${d.entity} ${JSON.stringify(text.slice(d.start, d.end))} :: ${JSON.stringify(text.slice(Math.max(0, d.start - 40), d.end + 30))}`,
      );
    }
  });
  console.log(counts);
}

// --misses NAME ENTITY: gold spans of ENTITY the setting misses (tuning set only).
const missAt = args.indexOf("--misses");
if (missAt >= 0) {
  const name = args[missAt + 1] as string;
  const entity = args[missAt + 2] as string;
  const texts: string[] = [];
  for (let fold = 0; fold < folds; fold++)
    for (const r of records) if (foldOf.get(r.template_id ?? 0) === fold) texts.push(r.full_text);
  (items[name] ?? []).forEach((it, k) => {
    const text = texts[k] as string;
    for (const s of it.gold) {
      if ((GOLD_TYPE_ALIASES[s.type] ?? s.type) !== entity) continue;
      const hit = it.predicted.find((p) => p.entity === entity && p.start === s.start && p.end === s.end);
      if (hit) continue;
      const near = it.predicted.filter((p) => p.start < s.end && p.end > s.start);
      console.log(
        `MISS ${JSON.stringify(text.slice(s.start, s.end))} got ${near.map((p) => `${p.entity}:${JSON.stringify(text.slice(p.start, p.end))}`).join(",")} :: ${JSON.stringify(text.slice(Math.max(0, s.start - 40), s.end + 30))}`,
      );
    }
  });
}
