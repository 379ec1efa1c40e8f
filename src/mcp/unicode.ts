/**
 * Characters a person reviewing a tool definition cannot see but a model reads: format
 * characters (zero-width, bidi controls, Unicode tags), fillers, variation selectors used to
 * smuggle bytes, and private-use code points. Shared by the pinning diff (shown escaped), the
 * shadowing check (stripped from names) and the poisoning check (reported).
 */

/** Invisible characters by kind, in the order they are tested (first match names the kind). */
const INVISIBLE_KINDS: readonly (readonly [kind: InvisibleKind, pattern: RegExp])[] = [
  ["tag", /^[\u{E0000}-\u{E007F}]$/u],
  ["bidi", /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/u],
  ["zero-width", /^(?:\u034F|[\u00AD\u115F\u1160\u180E\u200B-\u200D\u2060-\u2064\u3164\uFEFF\uFFA0])$/u],
  ["variation-selector", /^(?:\u180B|\u180C|\u180D|\u180F|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}])$/u],
  ["private-use", /^[\p{Co}]$/u],
  ["format", /^\p{Cf}$/u],
];

export type InvisibleKind = "tag" | "bidi" | "zero-width" | "variation-selector" | "private-use" | "format";

/** Any character of INVISIBLE_KINDS (one regex for scanning). */
const INVISIBLE_RE =
  /\u034F|\u180B|\u180C|\u180D|\u180F|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]|[\p{Cf}\p{Co}\u115F\u1160\u3164\uFFA0]/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** One invisible character found in a text, at a code-unit offset. */
export interface InvisibleChar {
  offset: number;
  codePoint: number;
  kind: InvisibleKind;
}

/** The kind of an invisible character, or undefined for a visible one. */
export function invisibleKind(char: string): InvisibleKind | undefined {
  return INVISIBLE_KINDS.find(([, pattern]) => pattern.test(char))?.[0];
}

/**
 * Invisible characters in `text`, except the ones emoji need: a zero-width joiner between two
 * pictographs (👩‍💻) and a single variation selector after a pictograph (❤️).
 */
export function findInvisible(text: string): InvisibleChar[] {
  const out: InvisibleChar[] = [];
  for (const match of text.matchAll(INVISIBLE_RE)) {
    const char = match[0];
    const offset = match.index;
    const codePoint = char.codePointAt(0) as number;
    const kind = invisibleKind(char);
    if (!kind) continue;
    const before = previousChar(text, offset);
    const after = String.fromCodePoint(text.codePointAt(offset + char.length) ?? 0x20);
    if (codePoint === 0x200d && PICTOGRAPH.test(before) && PICTOGRAPH.test(after)) continue;
    if ((codePoint === 0xfe0f || codePoint === 0xfe0e) && PICTOGRAPH.test(before)) continue;
    out.push({ offset, codePoint, kind });
  }
  return out;
}

function previousChar(text: string, offset: number): string {
  if (offset === 0) return " ";
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return String.fromCodePoint(text.codePointAt(start) ?? 0x20);
}

/**
 * Text hidden in Unicode tag characters (U+E0020..U+E007E mirror printable ASCII), decoded so a
 * reviewer sees what the model would read ("ASCII smuggling").
 */
export function decodeTagText(text: string): string {
  let out = "";
  for (const char of text) {
    const cp = char.codePointAt(0) as number;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}

/** `U+200B`, the way code points are written in messages. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Every invisible character of `text` spelled out as `\u{200B}`, so a reviewer sees it. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_RE, (c) => `\\u{${(c.codePointAt(0) as number).toString(16).toUpperCase()}}`);
}

/** A string as a JSON literal with every invisible character spelled out, for diffs. */
export function showString(text: string): string {
  return escapeInvisible(JSON.stringify(text));
}

/** Cyrillic and Greek lower-case letters drawn like Latin ones (a subset of Unicode's confusables.txt). */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: "a",
  в: "b",
  ԁ: "d",
  е: "e",
  ё: "e",
  һ: "h",
  н: "h",
  і: "i",
  ї: "i",
  ј: "j",
  к: "k",
  ӏ: "l",
  м: "m",
  о: "o",
  р: "p",
  ԛ: "q",
  ѕ: "s",
  т: "t",
  у: "y",
  х: "x",
  ԝ: "w",
  ɡ: "g",
  ı: "i",
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ϲ: "c",
  ᴀ: "a",
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "gu");

/**
 * The key two tool names collide on when a model could not tell them apart: compatibility
 * decomposition (NFKD: full-width and ligature forms, accents split off), accents, invisible
 * characters and format characters removed, lower case, Cyrillic/Greek look-alikes mapped to
 * Latin, and `-`, `.`, spaces folded to `_`. `read_file`, `read\u200b_file`, `Read_File`,
 * `rеad_file` (Cyrillic е) and `read-file` all give `read_file`.
 */
export function toNameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(INVISIBLE_RE, "")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c)
    .replace(/[\s._-]+/gu, "_");
}

/**
 * A text as pattern rules read it: compatibility forms folded (NFKC), invisible characters
 * removed, lower case, look-alike letters mapped to Latin, runs of blanks made one space and
 * runs of line breaks one line break.
 */
export function toMatchText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(INVISIBLE_RE, "")
    .toLowerCase()
    .replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c)
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n[\s]*/g, "\n");
}
