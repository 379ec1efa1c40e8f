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

/** Render rows as a left-aligned table with a header row. */
export function renderTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [
    headers.map(String),
    ...rows.map((row) => row.map((c) => (c === null || c === undefined ? "-" : String(c)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Render `key: value` lines with aligned values. */
export function renderPairs(pairs: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs
    .map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v === null || v === undefined ? "-" : String(v)}`)
    .join("\n");
}
