/**
 * Model ids in tabular data kept in a repository: a CSV/TSV table with a model column (a
 * leaderboard's `model`, an eval log's `model name`) and JSON Lines named after the model whose
 * records they hold (an eval's saved answers, `model_answer/gpt-4-0314.jsonl` with `"model":
 * "gpt-4-0314"` in each record). Only the head of such a file is read
 * (`RECORDS_HEAD_BYTES` in walk.ts), row by row, with a cap on rows and on line length: the ids
 * a table names sit in every row, and a data file may be any size.
 */
import type { AiCatalog } from "./catalog.js";
import { matchModel } from "./models.js";

export interface RecordModel {
  id: string;
  provider: string;
  line: number;
}

/** Rows read from one file; the rest is ignored. */
const MAX_ROWS = 5_000;
/** Longest CSV row read; a longer one (a cell of prose, a payload) is skipped. */
const MAX_CSV_LINE = 4_096;
/** How far into a JSON Lines record its `model` field is looked for. */
const MAX_RECORD_PREFIX = 16_384;
/** Cells of a CSV row split. */
const MAX_CELLS = 200;

/** A column that names the model of each row: `model`, `model_name`, `Model Name`, `model-id`. */
const MODEL_COLUMN = /^model(?:[ _-]?(?:name|id))?$/i;

/** A JSON Lines record's model field, as the first string field of that name in the record. */
const RECORD_MODEL = /"(model(?:_?(?:id|name))?|modelId|modelName)"\s*:\s*"([^"\\\n]{2,200})"/;

/**
 * The cells of one CSV row: RFC 4180 quoting (`"a, b"`, `""` for a quote) on one line. Written here,
 * not with a CSV library: rows are read one line at a time from a capped head of the file, and a
 * row that a quoted line break would continue is simply skipped.
 */
export function splitCsvRow(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length && cells.length < MAX_CELLS) {
    if (line[i] === '"') {
      let cell = "";
      let j = i + 1;
      for (; j < line.length; j += 1) {
        if (line[j] === '"') {
          if (line[j + 1] === '"') {
            cell += '"';
            j += 1;
          } else break;
        } else cell += line[j];
      }
      cells.push(cell);
      const next = line.indexOf(delimiter, j);
      i = next === -1 ? line.length + 1 : next + 1;
    } else {
      const next = line.indexOf(delimiter, i);
      cells.push(line.slice(i, next === -1 ? line.length : next));
      i = next === -1 ? line.length + 1 : next + 1;
    }
  }
  return cells;
}

/** A table header's delimiter and model column (see `MODEL_COLUMN`), or undefined when it has none. */
function modelColumnOf(header: string | undefined): { delimiter: string; column: number } | undefined {
  if (header === undefined || header.length > MAX_CSV_LINE) return undefined;
  const delimiter = header.includes("\t") ? "\t" : header.includes(",") ? "," : header.includes(";") ? ";" : undefined;
  if (delimiter === undefined) return undefined;
  const column = splitCsvRow(header.replace(/^\uFEFF/, ""), delimiter).findIndex((c) => MODEL_COLUMN.test(c.trim()));
  return column < 0 ? undefined : { delimiter, column };
}

/** A JSON Lines file's stem that could be a model id (`gpt-4-0314`, `vicuna-13b`, `llama2`): id characters, a digit or a separator. */
const MODEL_STEM = /^(?=[^/]*[\d.:-])[a-z0-9][\w.:@+-]{1,199}$/;

/** The stem `jsonLinesModels` compares each record's model with. */
function stemOf(name: string | undefined): string | undefined {
  return name?.replace(/\.(?:jsonl|ndjson)$/i, "").toLowerCase();
}

/**
 * Whether a data file read as records can name a model, from its first line (its first 4 KB at most,
 * `RECORDS_FIRST_LINE_BYTES` in walk.ts) and its name, before the rest of its head is read: a table
 * whose header has a model column, or JSON Lines named after a model id.
 */
export function recordsMayNameModels(head: string, name: string): boolean {
  const lines = head.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const at = lines.findIndex((l) => l.trim() !== "");
  if (at < 0) return false;
  const first = lines[at] ?? "";
  if (/^\uFEFF?\s*\{/.test(first)) return MODEL_STEM.test(stemOf(name) ?? "");
  // The header must be whole: a line cut at the end of `head` is longer than any header read.
  return at < lines.length - 1 && modelColumnOf(first) !== undefined;
}

/** Models in a CSV or TSV table, from the column its header names as the model's. */
function tableModels(lines: readonly string[], catalog: AiCatalog): RecordModel[] {
  const headerAt = lines.findIndex((l) => l.trim() !== "");
  const found = modelColumnOf(lines[headerAt]);
  if (found === undefined) return [];
  const { delimiter, column } = found;
  const out: RecordModel[] = [];
  const seen = new Set<string>();
  for (let index = headerAt + 1; index < lines.length && index <= MAX_ROWS; index += 1) {
    const line = lines[index] ?? "";
    if (line.length > MAX_CSV_LINE) continue;
    const cell = splitCsvRow(line, delimiter)[column]?.trim();
    if (!cell || seen.has(cell)) continue;
    seen.add(cell);
    const match = matchModel(cell, "model", catalog);
    if (match) out.push({ ...match, line: index + 1 });
  }
  return out;
}

/**
 * Models in JSON Lines: each record's `model` field, when the file is named after it. Other logs
 * (a judge's verdicts on several models, a training set) are benchmark data rather than the
 * repository's choice of model, and are left out.
 */
function jsonLinesModels(lines: readonly string[], catalog: AiCatalog, stem: string | undefined): RecordModel[] {
  if (stem === undefined) return [];
  const out: RecordModel[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < lines.length && index < MAX_ROWS; index += 1) {
    const line = lines[index] ?? "";
    if (!line.includes('"model')) continue;
    const value = RECORD_MODEL.exec(line.length > MAX_RECORD_PREFIX ? line.slice(0, MAX_RECORD_PREFIX) : line)?.[2];
    if (!value || seen.has(value)) continue;
    seen.add(value);
    if (value.toLowerCase() !== stem && value.slice(value.lastIndexOf("/") + 1).toLowerCase() !== stem) continue;
    const match = matchModel(value, "model", catalog);
    if (match) out.push({ ...match, line: index + 1 });
  }
  return out;
}

/**
 * Models in a data file read as records: JSON Lines when its first record opens with `{`, else
 * a delimited table. `text` is the head of the file, cut at a line end; `name` is the file's name.
 */
export function recordModels(text: string, catalog: AiCatalog, name?: string): RecordModel[] {
  if (!text.includes("model") && !text.includes("Model") && !text.includes("MODEL")) return [];
  const lines = text.split("\n", MAX_ROWS + 1).map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const first = lines.find((l) => l.trim() !== "");
  if (first === undefined) return [];
  const stem = stemOf(name);
  return /^\uFEFF?\s*\{/.test(first) ? jsonLinesModels(lines, catalog, stem) : tableModels(lines, catalog);
}
