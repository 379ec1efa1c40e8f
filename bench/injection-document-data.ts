/**
 * Composed documents for document mode: carriers of eight genres (e-mail, Markdown table, CSV,
 * tool-result JSON, web page, Markdown RAG chunk, source code, code Q&A) built from
 * bipia-train's contexts (read in place from ../shared/datasets/prompt-attacks/bipia-train; its
 * test split is never read) and from the parts in src/detect/injection/fixtures/document-parts.json,
 * each clean or with one attack hidden in a place that genre offers (a sentence, a cell, a JSON
 * value, an HTML or Markdown comment, hidden HTML, alt text, a code comment). Half the documents,
 * clean and attacked alike, also carry notes written to a person reading them (reviewers,
 * customers, employees; security advice, disclaimers, how-to steps, recipes, forms), from
 * src/detect/injection/fixtures/document-reader-notes.json: instructions to a human are part of
 * data, and only what addresses the assistant is an injection.
 *
 * Two splits keep the figures honest:
 * - contexts (and benign parts) by a hash of their text: `train` (3/5), `calibrate` (1/5, sets
 *   the operating point), `validate` (1/5, reported);
 * - attacks by CATEGORY: bipia's 15 text and 10 code categories and Palisade's 12 are dealt into
 *   CATEGORY_FOLDS folds, so a fold's validation attacks are kinds its model never saw.
 * Deterministic for a seed.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRandom } from "../src/detect/injection/index.js";
import { DATASETS, FIXTURES, loadPublicCorpus } from "./injection-data.js";

const BIPIA = join(DATASETS, "bipia-train/benchmark");

export const DOCUMENT_GENRES = ["email", "table", "csv", "tool-json", "web", "markdown", "code", "code-qa"] as const;
export type DocumentGenre = (typeof DOCUMENT_GENRES)[number];

export type ContextSplit = "train" | "calibrate" | "validate";

/** One attack instruction and its category. */
export interface Attack {
  category: string;
  text: string;
}

/** A composed document; `attack` is the inserted range when it has one. */
export interface ComposedDocument {
  text: string;
  label: 0 | 1;
  genre: DocumentGenre;
  category: string;
  placement: string;
  attack?: { start: number; end: number };
}

function hashOf(text: string): number {
  return Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 8), 16);
}

/** Split of a context or benign part: 3/5 train, 1/5 calibrate, 1/5 validate. */
export function contextSplit(text: string): ContextSplit {
  const h = hashOf(`ctx:${text}`) % 5;
  return h === 0 ? "validate" : h === 1 ? "calibrate" : "train";
}

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Parts {
  attacks: Record<string, string[]>;
  benign: Record<string, string[]>;
}

/** Every attack with its category: bipia-train text and code attacks plus Palisade's own. */
export function loadAttacks(): Attack[] {
  const out: Attack[] = [];
  for (const [file, prefix] of [
    ["text_attack_train.json", "bipia-text"],
    ["code_attack_train.json", "bipia-code"],
  ] as const) {
    const value = JSON.parse(readFileSync(join(BIPIA, file), "utf8")) as Record<string, string[]>;
    for (const [category, list] of Object.entries(value))
      for (const text of list) out.push({ category: `${prefix}:${category}`, text });
  }
  const parts = loadParts();
  for (const [category, list] of Object.entries(parts.attacks)) for (const text of list) out.push({ category, text });
  return out;
}

/** Longest public prompt used as a training span: instructions hidden in data are short. */
const MAX_PROMPT_CHARS = 280;

/**
 * Short prompts from the public user-mode corpus (its train split only, either label), as
 * training-only attacks of category `prompt:<source>`: inside data that should only be read,
 * any text written to an assistant is out of place, so they teach "addressed to the assistant"
 * in many more wordings than the injection sets alone. Never used for validation.
 */
export function loadPromptPool(): Attack[] {
  return loadPublicCorpus()
    .samples.filter((s) => s.split === "train" && s.text.length <= MAX_PROMPT_CHARS && s.text.trim().length >= 12)
    .map((s) => ({ category: `prompt:${s.source}`, text: s.text.trim() }));
}

/** Sentences written to a person reading a document, by kind (document-reader-notes.json). */
export function loadReaderNotes(): string[] {
  const value = JSON.parse(readFileSync(join(FIXTURES, "document-reader-notes.json"), "utf8")) as {
    notes: Record<string, string[]>;
  };
  return Object.values(value.notes).flat();
}

function loadParts(): Parts {
  return JSON.parse(readFileSync(join(FIXTURES, "document-parts.json"), "utf8")) as Parts;
}

/** Number of attack-category folds. */
export const CATEGORY_FOLDS = 5;

/** The fold of each category: sorted, dealt round-robin, so each fold mixes sources. */
export function categoryFolds(attacks: readonly Attack[]): Map<string, number> {
  const categories = [...new Set(attacks.map((a) => a.category))].sort((a, b) => hashOf(a) - hashOf(b));
  return new Map(categories.map((c, i) => [c, i % CATEGORY_FOLDS]));
}

interface Contexts {
  emails: string[];
  tables: string[];
  codeQa: string[];
  code: string[];
}

function loadContexts(): Contexts {
  const emails = readJsonl(join(BIPIA, "email/train.jsonl")).map((r) => String(r.context));
  const tables = readJsonl(join(BIPIA, "table/train.jsonl")).map((r) => String(r.context));
  const codeRows = readJsonl(join(BIPIA, "code/train.jsonl"));
  const codeQa = codeRows.map((r) => (r.context as string[]).join("\n").trim()).filter((t) => t.length > 40);
  const code = codeRows.flatMap((r) => [(r.code as string[]).join("\n"), (r.ideal as string[]).join("\n")]);
  return { emails, tables, codeQa, code: [...new Set(code)] };
}

/** Table rows as cells (header first), from a Markdown pipe table. */
function tableRows(table: string): string[][] {
  return table
    .split("\n")
    .filter((l) => l.trim().startsWith("|"))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim()),
    );
}

function csvField(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Sentences of an e-mail or prose (rough): used to pick insertion points. */
function proseSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.trim() !== "");
}

export interface ComposeOptions {
  split: ContextSplit;
  /** Attacks allowed in this set (by category); an empty list composes clean documents only. */
  attacks: readonly Attack[];
  seed: number;
  /** Clean and attacked documents per genre (each). */
  perGenre: number;
}

/** Compose clean and attacked documents of every genre from one context split. */
export function composeDocuments(options: ComposeOptions): ComposedDocument[] {
  const random = createRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const contexts = loadContexts();
  const parts = loadParts();
  const inSplit = (list: readonly string[]) => list.filter((t) => contextSplit(t) === options.split);
  const ctx = {
    emails: inSplit(contexts.emails),
    tables: inSplit(contexts.tables),
    codeQa: inSplit(contexts.codeQa),
    code: inSplit(contexts.code),
  };
  const benign = Object.fromEntries(Object.entries(parts.benign).map(([k, v]) => [k, inSplit(v)])) as Record<
    string,
    string[]
  >;
  const benignOf = (kind: string): string => pick(benign[kind]?.length ? benign[kind] : (parts.benign[kind] ?? [""]));
  // Reader notes draw from their own random stream, so the documents around them stay as they were.
  const noteRandom = createRandom(options.seed + 7919);
  const notes = inSplit(loadReaderNotes());
  const readerNotes = (): string[] => {
    const off = env("SPAN_NOTES") === "0" || (env("SPAN_NOTES") === "train" && options.split !== "train");
    if (off || notes.length === 0 || noteRandom() >= NOTE_SHARE) return [];
    const n = 1 + Math.floor(noteRandom() * 2);
    return Array.from({ length: n }, () => notes[Math.floor(noteRandom() * notes.length)] ?? "");
  };
  const out: ComposedDocument[] = [];

  const textAttacks = options.attacks;
  for (const genre of DOCUMENT_GENRES) {
    for (let i = 0; i < options.perGenre * 2; i++) {
      const attacked = i % 2 === 1 && textAttacks.length > 0;
      if (i % 2 === 1 && !attacked) continue;
      const attack = attacked ? pick(textAttacks) : undefined;
      const doc = composeOne(genre, attack, { pick, random, ctx, benignOf, notes: readerNotes(), noteRandom });
      if (doc) out.push(doc);
    }
  }
  return out;
}

interface Tools {
  pick: <T>(list: readonly T[]) => T;
  random: () => number;
  ctx: Contexts;
  benignOf: (kind: string) => string;
  /** Reader notes to add to this document (often none). */
  notes: readonly string[];
  noteRandom: () => number;
}

const env = (name: string): string | undefined => process.env[name];
/**
 * Share of composed documents that carry reader notes, in every split (env SPAN_NOTE_SHARE;
 * SPAN_NOTES=0 turns them off, SPAN_NOTES=train keeps them out of calibration and validation).
 */
export const NOTE_SHARE = Number(env("SPAN_NOTE_SHARE") ?? 0.5);

/** Build one document; the attack (if any) is placed where the genre allows and located afterwards. */
function composeOne(genre: DocumentGenre, attack: Attack | undefined, tools: Tools): ComposedDocument | undefined {
  const { pick, random, ctx, benignOf, notes, noteRandom } = tools;
  const a = attack?.text ?? "";
  /** `items` with the reader notes (each made by `wrap`) at places of the note stream's choosing. */
  const withNotes = (items: string[], wrap: (note: string) => string = (n) => n): string[] => {
    let out = items;
    for (const note of notes) {
      const at = Math.floor(noteRandom() * (out.length + 1));
      out = [...out.slice(0, at), wrap(note), ...out.slice(at)];
    }
    return out;
  };
  let text = "";
  let placement = "clean";
  let needle = a;
  const placeIn = (items: string[], item: string): string[] => {
    const at = Math.floor(random() * (items.length + 1));
    return [...items.slice(0, at), item, ...items.slice(at)];
  };
  switch (genre) {
    case "email": {
      if (ctx.emails.length === 0) return undefined;
      const sentences = proseSentences(pick(ctx.emails));
      let body = random() < 0.5 ? placeIn(sentences, benignOf("email")) : sentences;
      body = withNotes(body);
      if (attack) {
        placement = "sentence";
        body = placeIn(body, a);
      }
      text = body.join(" ");
      break;
    }
    case "table":
    case "csv":
    case "tool-json": {
      if (ctx.tables.length === 0) return undefined;
      const rows = tableRows(pick(ctx.tables)).slice(0, 25);
      if (rows.length < 2) return undefined;
      const header = rows[0] ?? [];
      // A note sits in a cell of its own row (a remark under a table, a comment line in a sheet).
      for (const note of notes) {
        const at = 1 + Math.floor(noteRandom() * rows.length);
        rows.splice(Math.min(at, rows.length), 0, [note, ...header.slice(1).map(() => "")]);
      }
      const body = rows.slice(1);
      const r = 1 + Math.floor(random() * body.length);
      const row = rows[r] ?? [];
      const c = Math.floor(random() * Math.max(1, row.length));
      if (attack && genre !== "tool-json") {
        const mode = random();
        if (mode < 0.4) {
          row[c] = a;
          placement = "cell";
        } else if (mode < 0.8) {
          row[c] = `${row[c] ?? ""} ${a}`.trim();
          placement = "cell-appended";
        } else {
          rows.splice(r, 0, [a, ...header.slice(1).map(() => "")]);
          placement = "row";
        }
      }
      if (genre === "table") {
        text = `${rows.map((cells) => `| ${cells.join(" | ")} |`).join("\n")}\n`;
      } else if (genre === "csv") {
        text = `${rows.map((cells) => cells.map(csvField).join(",")).join("\n")}\n`;
      } else {
        const objects = body.map((cells) => Object.fromEntries(header.map((h, k) => [h || `col${k}`, cells[k] ?? ""])));
        const result: Record<string, unknown> = { status: "ok", count: objects.length, results: objects };
        if (random() < 0.5) result.message = benignOf("json");
        for (const note of notes) {
          const target = objects[Math.floor(noteRandom() * objects.length)];
          if (target) target[noteRandom() < 0.5 ? "note" : "instructions"] = note;
          else result.notice = note;
        }
        if (attack) {
          const target = objects[Math.floor(random() * objects.length)] ?? {};
          const keys = Object.keys(target);
          const key = keys[Math.floor(random() * keys.length)] ?? "note";
          if (random() < 0.5) {
            target[key] = `${target[key] ?? ""} ${a}`.trim();
            placement = "json-value";
          } else {
            target.note = a;
            placement = "json-field";
          }
        }
        text = JSON.stringify(result, null, random() < 0.5 ? 2 : undefined);
        needle = JSON.stringify(a).slice(1, -1);
      }
      break;
    }
    case "web": {
      const fromTable = random() < 0.4 && ctx.tables.length > 0;
      const paragraphs = fromTable
        ? tableRows(pick(ctx.tables))
            .slice(1, 8)
            .map((cells) => cells.filter((x) => x !== "").join(", "))
        : proseSentences(pick(ctx.emails.length ? ctx.emails : ["A short note."]));
      const items: string[] = [
        `<!-- ${benignOf("html-comment")} -->`,
        `<nav><a href="/">Home</a> <a href="/about">About</a></nav>`,
        `<div class="banner">${benignOf("web")}</div>`,
        ...paragraphs.map((p) => `<p>${p}</p>`),
        `<img src="/img/${Math.floor(random() * 100)}.png" alt="${benignOf("alt-text")}">`,
        `<footer>${benignOf("web")}</footer>`,
      ];
      if (random() < 0.3) items.splice(1, 0, `<span style="display:none">${benignOf("web")}</span>`);
      let body = withNotes(items, (n) => (noteRandom() < 0.5 ? `<p>${n}</p>` : `<li>${n}</li>`));
      if (attack) {
        const mode = Math.floor(random() * 5);
        const variants = [
          [`<div style="display:none">${a}</div>`, "hidden-html"],
          [`<!-- ${a} -->`, "html-comment"],
          [`<img src="/img/pixel.gif" alt="${a.replace(/"/g, "'")}">`, "alt-text"],
          [`<p>${a}</p>`, "paragraph"],
          [`<span style="color:#ffffff;font-size:1px">${a}</span>`, "white-text"],
        ] as const;
        const [snippet, where] = variants[mode] ?? variants[0];
        placement = where;
        if (where === "alt-text") needle = a.replace(/"/g, "'");
        body = placeIn(body, snippet);
      }
      text = `<html><head><title>${paragraphs[0]?.slice(0, 60) ?? "Page"}</title></head><body>\n${body.join("\n")}\n</body></html>`;
      break;
    }
    case "markdown": {
      const prose =
        random() < 0.5 && ctx.codeQa.length ? pick(ctx.codeQa) : pick(ctx.emails.length ? ctx.emails : [""]);
      let blocks = [`## ${proseSentences(prose)[0]?.slice(0, 50) ?? "Notes"}`, ...prose.split(/\n{2,}/)];
      if (random() < 0.5) blocks = placeIn(blocks, `[//]: # (${benignOf("markdown-comment")})`);
      if (random() < 0.3) blocks = placeIn(blocks, `![${benignOf("alt-text")}](images/figure.png)`);
      blocks = withNotes(blocks, (n) => (noteRandom() < 0.5 ? n : `${noteRandom() < 0.5 ? "-" : "1."} ${n}`));
      if (attack) {
        const mode = Math.floor(random() * 4);
        const single = a.replace(/\n+/g, " ");
        const variants = [
          [`[//]: # (${single.replace(/[()]/g, "")})`, "markdown-comment", single.replace(/[()]/g, "")],
          [`<!-- ${a} -->`, "html-comment", a],
          [a, "paragraph", a],
          [`![${single.replace(/[[\]]/g, "")}](images/chart.png)`, "alt-text", single.replace(/[[\]]/g, "")],
        ] as const;
        const [snippet, where, n] = variants[mode] ?? variants[2];
        placement = where;
        needle = n;
        blocks = placeIn(blocks, snippet);
      }
      text = blocks.join("\n\n");
      break;
    }
    case "code": {
      if (ctx.code.length === 0) return undefined;
      let lines = pick(ctx.code).split("\n");
      const indentAt = (k: number) => /^\s*/.exec(lines[k] ?? "")?.[0] ?? "";
      // Real code carries several comments, many of them imperative ("Return early if ...").
      const comments = Math.floor(random() * 4);
      for (let n = 0; n < comments; n++) {
        const k = Math.floor(random() * lines.length);
        lines.splice(k, 0, `${indentAt(k)}# ${benignOf("code-comment")}`);
      }
      for (const note of notes) {
        const k = Math.floor(noteRandom() * lines.length);
        lines.splice(k, 0, `${indentAt(k)}# ${note}`);
      }
      if (attack) {
        const single = a.replace(/\n+/g, " ");
        const k = Math.floor(random() * (lines.length + 1));
        if (random() < 0.6) {
          lines.splice(k, 0, `${indentAt(k)}# ${single}`);
          placement = "code-comment";
          needle = single;
        } else {
          lines.splice(k, 0, `${indentAt(k)}"""${a}"""`);
          placement = "docstring";
        }
      }
      text = lines.join("\n");
      lines = [];
      break;
    }
    case "code-qa": {
      if (ctx.codeQa.length === 0) return undefined;
      let blocks = withNotes(pick(ctx.codeQa).split(/\n{2,}/));
      if (attack) {
        placement = "paragraph";
        blocks = placeIn(blocks, a);
      }
      text = blocks.join("\n\n");
      break;
    }
  }
  if (!attack) return { text, label: 0, genre, category: "clean", placement };
  const start = text.indexOf(needle);
  if (start < 0) return undefined;
  return { text, label: 1, genre, category: attack.category, placement, attack: { start, end: start + needle.length } };
}
