/**
 * Header blocks in the RFC 822 style used by Python core metadata (PEP 566/643) and jar
 * manifests: `Key: value` lines, continuation lines start with whitespace, the first blank
 * line ends the block.
 */

/** One header block: every value of every key, in order, keys as written. */
export type HeaderBlock = ReadonlyMap<string, readonly string[]>;

/** How continuation lines join: Python metadata keeps line breaks, jar manifests splice bytes. */
export interface HeaderOptions {
  /** `newline`: the continuation is a new line of the value; `splice`: drop one space, append. */
  continuation: "newline" | "splice";
  /** Key comparison: manifests are case-insensitive, so keys are stored lower-case. */
  lowerCaseKeys?: boolean;
}

/** Reads the first header block of `text`; lines that are not `Key: value` are ignored. */
export function toHeaderBlock(text: string, options: HeaderOptions): HeaderBlock {
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") break;
    if (line[0] === " " || line[0] === "\t") {
      if (!last) continue;
      const previous = last.values[last.index] ?? "";
      last.values[last.index] =
        options.continuation === "splice" ? previous + line.slice(1) : `${previous}\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    const rawKey = line.slice(0, colon).trim();
    const key = options.lowerCaseKeys ? rawKey.toLowerCase() : rawKey;
    const values = headers.get(key) ?? [];
    const raw = line.slice(colon + 1);
    // A manifest wraps at 72 bytes wherever it is, so a trailing space can belong to the value.
    values.push(options.continuation === "splice" ? raw.replace(/^ /, "") : raw.trim());
    headers.set(key, values);
    last = { values, index: values.length - 1 };
  }
  return headers;
}

/** The first value of `key`, or undefined when absent or blank. */
export function firstHeader(block: HeaderBlock, key: string): string | undefined {
  const value = block.get(key)?.[0]?.trim();
  return value ? value : undefined;
}
