/** Command output: JSON on stdout for machines, aligned tables for people. Logs never go here. */

export const BASE_FORMATS = ["table", "json"] as const;
export type OutputFormat = (typeof BASE_FORMATS)[number];

export interface Output {
  json(value: unknown): void;
  text(line: string): void;
}

export function createOutput(stream: NodeJS.WritableStream = process.stdout): Output {
  return {
    json(value) {
      stream.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    text(line) {
      stream.write(`${line}\n`);
    },
  };
}

export interface RenderTableOptions {
  /**
   * Widest a line may be. Default: `$COLUMNS` when set, else the terminal's width when stdout is
   * a terminal, else unlimited (piped output stays complete and deterministic).
   */
  maxWidth?: number;
  /**
   * Headers of free-text columns, shrunk first (wrapped onto more lines). Default: the usual
   * prose headers (MESSAGE, TITLE, DETAIL, REASON, ...).
   */
  freeText?: readonly string[];
  /** A line printed indented under each row (same order as rows), e.g. how to fix a finding. */
  notes?: readonly (string | undefined)[];
}

/** Prose columns: cut at the end when a table does not fit. */
const FREE_TEXT = new Set([
  "MESSAGE",
  "TITLE",
  "DETAIL",
  "DESCRIPTION",
  "REASON",
  "MEANING",
  "REMEDIATION",
  "EVIDENCE",
  "WAIVED BY",
  "COMMAND / URL",
]);
/** Columns of paths and `file:line`: cut at the start when prose alone cannot make the table fit. */
const LOCATION = /^(PATH|FILE|WHERE|LOCATION|SOURCE|MANIFEST|FIRST USE)$/;

const GAP = 2;
/** Prose narrower than this reads badly even wrapped; paths are cut before it goes below. */
const MIN_WRAPPED_TEXT = 32;
const MIN_FREE_TEXT = 12;
const MIN_LOCATION = 16;
const ELLIPSIS = "…";

/** The width tables should fit: `$COLUMNS`, else a terminal stdout's width, else none. */
export function terminalWidth(): number | undefined {
  const columns = Number.parseInt(process.env.COLUMNS ?? "", 10);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  return undefined;
}

/**
 * Render rows as a left-aligned table with a header row. When wider than `maxWidth`, free-text
 * columns wrap onto more lines (widest first), then path columns are cut at the start so file
 * names and line numbers stay; ids are never cut.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: RenderTableOptions = {},
): string {
  const cells = [headers.map(String), ...rows.map((row) => row.map(toCell))];
  const natural = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const maxWidth = options.maxWidth ?? terminalWidth();
  const widths = maxWidth === undefined ? natural : fitWidths(headers, natural, maxWidth, options.freeText);
  const location = headers.map((h) => LOCATION.test(h));
  const free = headers.map((h) => isFreeText(h, options.freeText));
  // A row is one line, or several when a prose cell wraps; other cells are cut to their width.
  const lines = cells.map((row) => {
    const parts = row.map((cell, i) => {
      const width = widths[i];
      if (width === undefined || cell.length <= width) return [cell];
      return free[i] ? wrapCell(cell, width) : [cut(cell, width, location[i] ? "start" : "end")];
    });
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, line) =>
      parts
        .map((p, i) => (p[line] ?? "").padEnd(widths[i] ?? 0))
        .join(" ".repeat(GAP))
        .trimEnd(),
    ).join("\n");
  });
  if (!options.notes) return lines.join("\n");
  const out = [lines[0] ?? ""];
  rows.forEach((_, i) => {
    out.push(lines[i + 1] ?? "");
    const note = options.notes?.[i];
    if (note) out.push(...wrapText(note, { indent: "    ", maxWidth }));
  });
  return out.join("\n");
}

function toCell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  return String(value).replace(/\s*[\r\n]+\s*/g, " ");
}

/** Column widths that fit `maxWidth`: free text shrinks first, then locations; ids keep theirs. */
function fitWidths(
  headers: readonly string[],
  natural: readonly number[],
  maxWidth: number,
  freeText: readonly string[] | undefined,
): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, widths.length - 1);
  const isFree = (h: string) => isFreeText(h, freeText);
  const prose = headers.flatMap((h, i) => (isFree(h) ? [i] : []));
  const floor = (i: number, min: number) => Math.min(natural[i] ?? 0, Math.max(min, headers[i]?.length ?? 0));
  // Prose wraps to a readable width first, then paths lose their start, then prose narrows more.
  const groups: { columns: number[]; min: (i: number) => number }[] = [
    { columns: prose, min: (i) => floor(i, MIN_WRAPPED_TEXT) },
    {
      columns: headers.flatMap((h, i) => (!isFree(h) && LOCATION.test(h) ? [i] : [])),
      min: (i) => floor(i, MIN_LOCATION),
    },
    { columns: prose, min: (i) => floor(i, MIN_FREE_TEXT) },
  ];
  for (const group of groups) {
    // Take one column at a time from the widest one, so shrunk columns end up evenly wide.
    while (total() > maxWidth) {
      const candidates = group.columns.filter((i) => (widths[i] ?? 0) > group.min(i));
      if (candidates.length === 0) break;
      const width = (i: number) => widths[i] ?? 0;
      const widest = candidates.reduce((a, b) => (width(b) > width(a) ? b : a));
      const runnerUp = Math.max(0, ...candidates.filter((i) => i !== widest).map(width));
      const target = Math.max(group.min(widest), runnerUp, width(widest) - (total() - maxWidth));
      widths[widest] = target < width(widest) ? target : width(widest) - 1;
    }
  }
  return widths;
}

function isFreeText(header: string, freeText: readonly string[] | undefined): boolean {
  return freeText ? freeText.includes(header) : FREE_TEXT.has(header);
}

/** Prose wrapped at spaces into lines of at most `width`; a longer word is broken. */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of text.split(" ")) {
    while (word.length > width) {
      if (line) lines.push(line);
      line = "";
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `text` cut to `width` with `…` at the cut: at the end for prose, at the start for paths. */
function cut(text: string, width: number, side: "start" | "end"): string {
  if (width <= 0) return "";
  if (width === 1) return ELLIPSIS;
  return side === "end"
    ? `${text.slice(0, width - 1).trimEnd()}${ELLIPSIS}`
    : `${ELLIPSIS}${text.slice(text.length - (width - 1))}`;
}

/**
 * Word-wrap `text` to `maxWidth` (default: `terminalWidth()`; none: one line), every line
 * starting with `indent` and continuation lines with `hanging` (default: `indent`).
 */
export function wrapText(
  text: string,
  options: { indent?: string; hanging?: string; maxWidth?: number | undefined } = {},
): string[] {
  const indent = options.indent ?? "";
  const hanging = options.hanging ?? indent;
  const maxWidth = "maxWidth" in options ? options.maxWidth : terminalWidth();
  const flat = text.replace(/\s*[\r\n]+\s*/g, " ").trim();
  if (maxWidth === undefined || indent.length + flat.length <= maxWidth) return [`${indent}${flat}`];
  const room = (prefix: string) => Math.max(20, maxWidth - prefix.length);
  const lines: string[] = [];
  let line = "";
  const prefix = () => (lines.length === 0 ? indent : hanging);
  for (const word of flat.split(" ")) {
    if (line && line.length + 1 + word.length > room(prefix())) {
      lines.push(`${prefix()}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${prefix()}${line}`);
  return lines;
}

/** Render `key: value` lines with aligned values. */
export function renderPairs(pairs: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs
    .map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v === null || v === undefined ? "-" : String(v)}`)
    .join("\n");
}
