/**
 * The evaluation set of the system injection mode: text a caller sends in the system role
 * (system and developer messages, Ollama's and Anthropic-style `system` fields).
 *
 * Benign: awesome-chatgpt-prompts' "act as" prompts (CC0-1.0), the developer system prompts
 * written for Palisade (fixtures/system-prompts.json: support bots, RAG assistants with
 * confidentiality lines, coding assistants, JSON-output agents, tool-using agents, personas,
 * refusal policies, defensive lines, several languages), and the RAG ones with a clean BIPIA
 * e-mail or table appended as context (MIT).
 * Attacks: every public jailbreak and injection of the shared datasets placed whole in the
 * system role, the system-role attacks written for Palisade, and attacks appended to a benign
 * system prompt (as a concatenation bug produces): the Palisade attack lines and the short
 * public injections.
 *
 * Splits, fixed before anything was scored: public texts keep the split of
 * bench/injection-data.ts (its `test` fifth, which the shipped model never saw, is `report`; its
 * `train` part is `tune`); Palisade's own texts are split in half by a second hash of the text.
 * A composed text takes the split of its parts, which are always drawn from the same split.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DATASETS, FIXTURES, languageOf, loadPublicCorpus, type Sample, textKey } from "./injection-data.js";

export type SystemSplit = "tune" | "report";

/** One labelled system-role text. */
export interface SystemSample {
  text: string;
  label: 0 | 1;
  /** Where it came from: awesome-act-as, palisade-benign, palisade-rag-context, public:<source>, palisade-attack, appended-palisade, appended-public. */
  source: string;
  /** Style of a benign prompt or kind of an attack. */
  category: string;
  lang: string;
  split: SystemSplit;
}

interface SystemFixtures {
  benign: { style: string; text: string }[];
  attacks: { kind: string; text: string }[];
  appended: { kind: string; text: string }[];
}

/** Split of a text written for Palisade: half by a second slice of its key, independent of the public split. */
export function ownSplitOf(text: string): SystemSplit {
  return Number.parseInt(textKey(text).slice(8, 16), 16) % 2 === 0 ? "report" : "tune";
}

function publicSplit(s: Sample): SystemSplit {
  return s.split === "test" ? "report" : "tune";
}

/** A deterministic index for a string, for picks that must not depend on list order elsewhere. */
function pickIndex(seed: string, n: number): number {
  return Number.parseInt(createHash("sha256").update(seed).digest("hex").slice(0, 8), 16) % n;
}

/** Separators a concatenation bug puts between the developer's prompt and the attacker's text. */
const SEPARATORS = ["\n\n", " ", "\n", "\n\nUser preferences: ", "\n\n---\n", "\nAdditional context: "];

/** Longest public attack appended to a benign prompt: longer ones are placed whole already. */
const MAX_APPENDED = 400;

function bipiaContexts(): string[] {
  const read = (file: string) =>
    readFileSync(join(DATASETS, "bipia-train/benchmark", file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => String((JSON.parse(l) as { context?: unknown }).context ?? ""));
  const emails = read("email/train.jsonl").map((c) => c.replaceAll("|", "\n"));
  const tables = read("table/train.jsonl").slice(0, 60);
  return [...emails, ...tables].filter((c) => c.length > 80 && c.length < 2500);
}

/** The whole system-role evaluation set, both splits. Deterministic. */
export function buildSystemSet(): SystemSample[] {
  const fixtures = JSON.parse(readFileSync(join(FIXTURES, "system-prompts.json"), "utf8")) as SystemFixtures;
  const corpus = loadPublicCorpus();
  const out: SystemSample[] = [];

  const actAs = corpus.samples.filter((s) => s.source === "awesome-act-as" && s.label === 0);
  for (const s of actAs)
    out.push({
      text: s.text,
      label: 0,
      source: "awesome-act-as",
      category: "act-as",
      lang: s.lang,
      split: publicSplit(s),
    });
  for (const b of fixtures.benign)
    out.push({
      text: b.text,
      label: 0,
      source: "palisade-benign",
      category: b.style,
      lang: languageOf(b.text),
      split: ownSplitOf(b.text),
    });

  // RAG prompts with their retrieved context pasted in, as RAG applications send them.
  const contexts = bipiaContexts();
  const rag = fixtures.benign.filter((b) => b.style === "rag" || b.style === "support" || b.style === "long");
  for (const [i, b] of rag.entries()) {
    const context = contexts[pickIndex(`ctx:${b.text}`, contexts.length)] ?? "";
    const text = i % 2 === 0 ? `${b.text}\n\n<context>\n${context}\n</context>` : `${b.text}\n\nContext:\n${context}`;
    out.push({
      text,
      label: 0,
      source: "palisade-rag-context",
      category: b.style,
      lang: "en",
      split: ownSplitOf(b.text),
    });
  }

  // Public attacks placed whole in the system role.
  const attacks = corpus.samples.filter((s) => s.label === 1);
  for (const s of attacks)
    out.push({
      text: s.text,
      label: 1,
      source: `public:${s.source}`,
      category: s.category,
      lang: s.lang,
      split: publicSplit(s),
    });
  for (const a of fixtures.attacks)
    out.push({
      text: a.text,
      label: 1,
      source: "palisade-attack",
      category: a.kind,
      lang: languageOf(a.text),
      split: ownSplitOf(a.text),
    });

  // Attacks appended to a benign system prompt of the same split.
  const benignBySplit = (split: SystemSplit) => [
    ...fixtures.benign.filter((b) => ownSplitOf(b.text) === split).map((b) => b.text),
    ...actAs.filter((s) => publicSplit(s) === split).map((s) => s.text),
  ];
  for (const split of ["tune", "report"] as const) {
    const hosts = benignBySplit(split);
    const lines = [
      ...fixtures.appended
        .filter((a) => ownSplitOf(a.text) === split)
        .map((a) => ({ text: a.text, kind: a.kind, source: "appended-palisade" })),
      ...attacks
        .filter((s) => publicSplit(s) === split && s.text.length <= MAX_APPENDED)
        .map((s) => ({ text: s.text, kind: s.source, source: "appended-public" })),
    ];
    for (const line of lines) {
      // Each attack line twice, after two different hosts and separators.
      for (const copy of [0, 1]) {
        const host = hosts[pickIndex(`host:${copy}:${line.text}`, hosts.length)] ?? "";
        const sep = SEPARATORS[pickIndex(`sep:${copy}:${line.text}`, SEPARATORS.length)] ?? "\n\n";
        out.push({
          text: `${host}${sep}${line.text}`,
          label: 1,
          source: line.source,
          category: line.kind,
          lang: languageOf(line.text),
          split,
        });
      }
    }
  }
  // Drop exact duplicates (a text keeps its first label and split).
  const seen = new Set<string>();
  return out.filter((s) => {
    const key = `${s.label}:${textKey(s.text)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
