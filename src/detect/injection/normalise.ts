/**
 * Text normalisation for injection detection: undo the tricks attackers use to slip past
 * pattern matching (invisible characters, look-alike letters, full-width forms, leetspeak,
 * spaced letters) and find encoded segments (base64, hex, URL encoding, ROT13) to analyse too.
 * Which transformations were needed is recorded, because obfuscation is itself a signal.
 */

/** A transformation that changed the text; the closed set reported as `normalisation:<name>`. */
export const TRANSFORMATIONS = [
  "tag-characters",
  "zero-width",
  "bidi-controls",
  "fullwidth",
  "nfkc",
  "confusables",
  "leetspeak",
  "spaced-letters",
] as const;
export type Transformation = (typeof TRANSFORMATIONS)[number];

/** Encodings whose decoded segments are analysed as further layers. */
export const ENCODINGS = ["base64", "hex", "url", "rot13", "morse", "tag-characters"] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** A segment that decoded to readable text. */
export interface DecodedLayer {
  encoding: Encoding;
  /** The decoded text, normalised (lower case, collapsed). */
  text: string;
}

export interface NormalisedText {
  /** Lower-cased, de-obfuscated text with collapsed whitespace; what rules and the model see. */
  text: string;
  transformations: Transformation[];
  layers: DecodedLayer[];
}

/** Bounds that keep decoding linear and small. */
const MAX_LAYERS = 8;
const MAX_DECODED_CHARS = 8_000;

// Unicode tags block (U+E0000..U+E007F): invisible, and U+E0020..U+E007E mirror printable ASCII.
const TAG_RE = /[\u{E0000}-\u{E007F}]/gu;
const ZERO_WIDTH_RE = /\u034F|[\u00AD\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200D\u2060-\u2064\u3164\uFEFF]/g;
const BIDI_RE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const FULLWIDTH_RE = /[\uFF01-\uFF5E\u3000]/;
const NON_ASCII_RE = /[\u0080-\uffff]/;

/** Cyrillic and Greek letters that look like Latin ones (a subset of Unicode's confusables.txt). */
const CONFUSABLES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "i",
  ї: "i",
  ј: "j",
  ԁ: "d",
  һ: "h",
  ӏ: "l",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  ı: "i",
  ᴀ: "a",
  А: "a",
  В: "b",
  Е: "e",
  К: "k",
  М: "m",
  Н: "h",
  О: "o",
  Р: "p",
  С: "c",
  Т: "t",
  Х: "x",
  У: "y",
  І: "i",
  Ј: "j",
  Ѕ: "s",
  α: "a",
  ο: "o",
  ι: "i",
  κ: "k",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ϲ: "c",
  ϳ: "j",
  Α: "a",
  Β: "b",
  Ε: "e",
  Ζ: "z",
  Η: "h",
  Ι: "i",
  Κ: "k",
  Μ: "m",
  Ν: "n",
  Ο: "o",
  Ρ: "p",
  Τ: "t",
  Υ: "y",
  Χ: "x",
};
const CONFUSABLE_CLASS = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`);
const CONFUSABLE_GLOBAL = new RegExp(CONFUSABLE_CLASS.source, "g");
const LETTER_RE = /\p{L}/u;

const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
};

/** Normalise text for matching; see the module comment. Linear in the input length. */
export function normaliseText(input: string, depth = 0): NormalisedText {
  const transformations = new Set<Transformation>();
  const layers: DecodedLayer[] = [];
  let text = input;

  // Tag characters are astral: their UTF-16 high surrogate is U+DB40, a cheap first check.
  if (text.includes("\uDB40") && TAG_RE.test(text)) {
    TAG_RE.lastIndex = 0;
    transformations.add("tag-characters");
    let hidden = "";
    text = text.replace(TAG_RE, (ch) => {
      const cp = (ch.codePointAt(0) ?? 0) - 0xe0000;
      const ascii = cp >= 0x20 && cp <= 0x7e ? String.fromCharCode(cp) : "";
      hidden += ascii;
      return ascii;
    });
    if (hidden.trim().length > 0) layers.push({ encoding: "tag-characters", text: collapse(hidden.toLowerCase()) });
  }
  ZERO_WIDTH_RE.lastIndex = 0;
  if (ZERO_WIDTH_RE.test(text)) {
    if (hasZeroWidthInWord(text)) transformations.add("zero-width");
    text = text.replace(ZERO_WIDTH_RE, "");
  }
  BIDI_RE.lastIndex = 0;
  if (BIDI_RE.test(text)) {
    transformations.add("bidi-controls");
    text = text.replace(BIDI_RE, "");
  }
  if (NON_ASCII_RE.test(text)) {
    if (FULLWIDTH_RE.test(text)) transformations.add("fullwidth");
    const nfkc = text.normalize("NFKC");
    if (nfkc !== text && !transformations.has("fullwidth")) transformations.add("nfkc");
    text = nfkc;
  }

  if (NON_ASCII_RE.test(text) && CONFUSABLE_CLASS.test(text)) {
    const mapped = mapConfusables(text);
    if (mapped !== text) {
      transformations.add("confusables");
      text = mapped;
    }
  }
  text = text.toLowerCase();

  // Decode encoded segments before leetspeak and letter-joining change their alphabet.
  if (depth < 3) collectLayers(text, input, layers, depth);

  const unspaced = joinSpacedLetters(text);
  if (unspaced !== text) {
    transformations.add("spaced-letters");
    text = unspaced;
  }
  const unleet = undoLeetspeak(text);
  if (unleet !== text) {
    transformations.add("leetspeak");
    text = unleet;
  }
  return { text: collapse(text), transformations: [...transformations], layers: layers.slice(0, MAX_LAYERS) };
}

/** Whitespace runs to one space. Single spaces are not matched, which makes prose ~4x faster. */
export function collapse(text: string): string {
  return text.replace(/\s{2,}|[^\S ]/g, " ").trim();
}

/** Zero-width characters between letters hide words from matching; between emoji (ZWJ) they are normal. */
function hasZeroWidthInWord(text: string): boolean {
  return /\p{L}[\u00AD\u200B-\u200D\u2060-\u2064\uFEFF]+\p{L}/u.test(text);
}

/**
 * Map look-alike letters in words that mix scripts (`іgnоre`), and in all-look-alike words inside
 * mostly Latin text. Words written wholly in Cyrillic or Greek are left alone, so Russian and
 * Greek prose is not mangled.
 */
function mapConfusables(text: string): string {
  // Counted in one pass without building match arrays: this runs on every text with one odd letter.
  let latin = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) {
      latin++;
      letters++;
    } else if (c > 127 && LETTER_RE.test(text.charAt(i))) letters++;
  }
  const mostlyLatin = letters > 0 && latin / letters > 0.6;
  return text.replace(/[\p{L}\p{M}]+/gu, (word) => {
    if (!CONFUSABLE_CLASS.test(word)) return word;
    const hasLatin = /[A-Za-z]/.test(word);
    const allConfusable = [...word].every((ch) => ch in CONFUSABLES || /[A-Za-z]/.test(ch));
    if (!(hasLatin && allConfusable) && !(mostlyLatin && allConfusable)) return word;
    return word.replace(CONFUSABLE_GLOBAL, (ch) => CONFUSABLES[ch] ?? ch);
  });
}

/**
 * `i g n o r e`, `i-g-n-o-r-e`, `i.g.n.o.r.e` → `ignore` (four or more single letters). A gap
 * wider than the run's narrowest one separates words (`r e v e a l  t h e` → `reveal the`).
 */
function joinSpacedLetters(text: string): string {
  if (!/[a-z][ .\-_*]{1,3}[a-z][ .\-_*]{1,3}[a-z][ .\-_*]{1,3}[a-z]/.test(text)) return text;
  return text.replace(/(?<![a-z0-9])(?:[a-z][ .\-_*]{1,3}){3,}[a-z](?![a-z0-9])/g, (run) => {
    const gaps = run.match(/[ .\-_*]+/g) ?? [];
    let narrow = 3;
    for (const g of gaps) narrow = Math.min(narrow, g.length);
    return run.replace(/[ .\-_*]+/g, (g) => (g.length > narrow ? " " : ""));
  });
}

/** A letter next to a look-alike: the pair that makes a token worth mapping back. */
const LEET_PAIR = /[a-z][0134578@$!|]|[0134578@$!|][a-z]/g;

/** `1gn0r3 pr3v10u5` → `ignore previous`, only in words that mix letters with look-alike digits. */
/** Exported for its equivalence test with the regex it replaced. */
export function undoLeetspeak(text: string): string {
  // Tokens are maximal runs of letters, digits and @$!|; only those with a letter next to a
  // look-alike are looked at, found by searching for such a pair (a regex search skips prose far
  // faster than reading every character) and widening it to its token. The equivalent regex
  // replace cost ~110 µs on 8 KB of prose that merely contained an e-mail address.
  let out = "";
  let copied = 0;
  LEET_PAIR.lastIndex = 0;
  for (let pair = LEET_PAIR.exec(text); pair !== null; pair = LEET_PAIR.exec(text)) {
    let start = pair.index;
    while (start > 0 && hasClass(text.charCodeAt(start - 1), LEET_TOKEN)) start--;
    let end = pair.index + 2;
    while (end < text.length && hasClass(text.charCodeAt(end), LEET_TOKEN)) end++;
    LEET_PAIR.lastIndex = end;
    const token = text.slice(start, end);
    const mapped = unleetToken(token, start, text);
    if (mapped === token) continue;
    out += text.slice(copied, start) + mapped;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** ASCII character classes as bit flags, so the hand-written scans do one table read per character. */
const LOWER = 1;
const LEET_CHAR = 2;
const LEET_TOKEN = 4;
const BASE64 = 8;
const HEX = 16;
const LOWER_ALNUM = 32;
const CHAR_CLASS = (() => {
  const table = new Uint8Array(128);
  const mark = (chars: string, flag: number) => {
    for (const ch of chars) table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] ?? 0) | flag;
  };
  const lower = "abcdefghijklmnopqrstuvwxyz";
  const digits = "0123456789";
  mark(lower, LOWER | LEET_TOKEN | BASE64 | LOWER_ALNUM);
  mark(lower.toUpperCase(), BASE64);
  mark(digits, LEET_TOKEN | BASE64 | LOWER_ALNUM);
  // The look-alike set of undoLeetspeak and unleetToken (8 counts there, though LEET leaves it as is).
  mark("0134578@$!|", LEET_CHAR);
  mark("@$!|", LEET_TOKEN);
  mark("+/_-", BASE64);
  mark("0123456789abcdef", HEX);
  return table;
})();

function hasClass(c: number, flag: number): boolean {
  return c < 128 && ((CHAR_CLASS[c] as number) & flag) !== 0;
}

/** One token that mixes letters and look-alikes, mapped back unless it is an address, a version or an id. */
export function unleetToken(token: string, offset: number, whole: string): string {
  // Leave e-mail addresses, @mentions, trailing punctuation, version numbers and ids
  // (`mp3`, `utf8`, `x86`, `h2o`) alone.
  if (token.startsWith("@") || (token.includes("@") && whole[offset + token.length] === ".")) return token;
  const core = token.replace(/[!|]+$/, "");
  const letters = (core.match(/[a-z]/g) ?? []).length;
  const leet = (core.match(/[0134578@$!|]/g) ?? []).length;
  if (letters < 2 || leet === 0 || core.length < 4) return token;
  if (/^[a-z]+[0-9]+$/.test(core) && leet <= 2) return token;
  if (/[0-9]{3,}/.test(core)) return token;
  // Digits no one uses as a letter (2, 6, 9), ordinals (11th, 2nd) and tokens glued to an
  // identifier by `_`, `-` or `/` are ids, dates and references, not leetspeak.
  if (/[269]/.test(core) || /^[0-9]+(?:st|nd|rd|th|s)$/.test(core) || /^[0-9]{2}/.test(core)) return token;
  const before = whole.charCodeAt(offset - 1);
  const after = whole.charCodeAt(offset + token.length);
  if (before === 95 || before === 45 || before === 47 || after === 95 || after === 45 || after === 47) return token;
  // `|` and `!` alone are separators ("inc.|content:", "thanks!|from"): they count as letters
  // only beside a digit or sign look-alike.
  if (!/[0134578@$]/.test(core)) return token;
  const mapped = core.replace(/[0134578@$!|]/g, (ch) => LEET[ch] ?? ch);
  return mapped + token.slice(core.length);
}

const COMMON_WORDS = new Set(
  "the you and your all are for not with this that ignore instructions previous prompt system say print reveal tell now from what have rules forget".split(
    " ",
  ),
);

const ROT13_COMMON_WORDS = new Set([...COMMON_WORDS].map((w) => rot13(w)));
/** Substrings one of which any ROT13 text of a few common words contains: a cheap first check. */
const ROT13_HINTS = ["gur ", "lbh", "naq ", "vtaber", "vafgehpg", "flfgrz", "cebzcg", "cerivbhf", "eriry", "cevag"];

/** Find base64, hex, URL-encoded and ROT13 segments that decode to readable text. */
function collectLayers(lower: string, original: string, layers: DecodedLayer[], depth: number): void {
  const push = (encoding: Encoding, decoded: string) => {
    if (layers.length >= MAX_LAYERS) return;
    const readable = isReadable(decoded);
    // An encoding of an encoding decodes to another run of base64 or hex: look inside it.
    if (!readable && !/^[A-Za-z0-9+/=_-]{20,}$/.test(decoded.trim())) return;
    const inner = normaliseText(decoded.slice(0, MAX_DECODED_CHARS), depth + 1);
    if (readable) layers.push({ encoding, text: inner.text });
    for (const layer of inner.layers) if (layers.length < MAX_LAYERS) layers.push(layer);
  };
  // Base64 and hex need a run of 20+ characters without a space: most prose has none.
  const longRun = longestRun(original) >= 20;
  // Base64 is case-sensitive: search the original text; each maximal run is one candidate.
  if (longRun)
    for (const segment of base64Runs(original)) {
      if (!/[A-Z]/.test(segment) || !/[a-z]/.test(segment)) continue;
      push("base64", Buffer.from(segment.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8"));
      if (layers.length >= MAX_LAYERS) return;
    }
  // Contiguous hex (optionally 0x-prefixed) and \xNN escapes; runs start at a word start to stay linear.
  const hexRuns = !longRun
    ? []
    : [
        ...hexDigitRuns(lower),
        ...(lower.includes("\\x") ? [...lower.matchAll(/(?:\\x[0-9a-f]{2}){6,}/g)].map((m) => m[0]) : []),
      ];
  for (const run of hexRuns) {
    const hex = run.replace(/\\x|0x/g, "");
    if (hex.length % 2 !== 0 || !/[a-f]/.test(hex)) continue;
    push("hex", Buffer.from(hex, "hex").toString("utf8"));
  }
  if (lower.includes("%"))
    for (const m of lower.matchAll(/[^\s%]{0,40}(?:%[0-9a-f]{2}[^\s%]{0,3}){4,}[^\s%]{0,40}/g)) {
      try {
        push("url", decodeURIComponent(m[0].replace(/\+/g, " ")));
      } catch {
        // Malformed escapes: not a layer.
      }
    }
  // Morse: runs of dots and dashes, letters split by a space, words by two spaces or a slash.
  if (lower.includes(".-") || lower.includes("-."))
    for (const m of lower.matchAll(/(?<![.-])(?:[.-]{1,7}(?: {1,3}| ?\/ ?)){7,}[.-]{1,7}/g))
      push("morse", decodeMorse(m[0]));
  // ROT13: only when the text contains several ROT13 forms of common words (`gur`, `lbh`, `vtaber`).
  if (ROT13_HINTS.some((hint) => lower.includes(hint)) && countWords(lower, ROT13_COMMON_WORDS) >= 3) {
    const rot = rot13(lower);
    if (countWords(rot, COMMON_WORDS) > 2 * countWords(lower, COMMON_WORDS)) push("rot13", rot);
  }
}

const MORSE: Record<string, string> = Object.fromEntries(
  Object.entries({
    a: ".-",
    b: "-...",
    c: "-.-.",
    d: "-..",
    e: ".",
    f: "..-.",
    g: "--.",
    h: "....",
    i: "..",
    j: ".---",
    k: "-.-",
    l: ".-..",
    m: "--",
    n: "-.",
    o: "---",
    p: ".--.",
    q: "--.-",
    r: ".-.",
    s: "...",
    t: "-",
    u: "..-",
    v: "...-",
    w: ".--",
    x: "-..-",
    y: "-.--",
    z: "--..",
    "0": "-----",
    "1": ".----",
    "2": "..---",
    "3": "...--",
    "4": "....-",
    "5": ".....",
    "6": "-....",
    "7": "--...",
    "8": "---..",
    "9": "----.",
    ".": ".-.-.-",
    ",": "--..--",
    "?": "..--..",
    "'": ".----.",
    ":": "---...",
  }).map(([letter, code]) => [code, letter]),
);

/** Morse to text: one space between letters, two or more spaces or a slash between words. */
function decodeMorse(run: string): string {
  return run
    .trim()
    .split(/ {2,}| ?\/ ?/)
    .map((word) =>
      word
        .split(" ")
        .map((code) => MORSE[code] ?? "")
        .join(""),
    )
    .join(" ");
}

/**
 * Maximal runs of at least `min` characters of one class, as [start, end) pairs. Looks at every
 * `min`-th character first and walks back only from one inside the class, so on prose (words far
 * shorter than `min`) most characters are never read: several times faster than a plain scan.
 */
function classRuns(text: string, flag: number, min: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i + min <= text.length) {
    const probe = i + min - 1;
    if (!hasClass(text.charCodeAt(probe), flag)) {
      i = probe + 1;
      continue;
    }
    // Everything from i to probe must be in the class too; else restart after the one that is not.
    let back = probe - 1;
    while (back >= i && hasClass(text.charCodeAt(back), flag)) back--;
    if (back >= i) {
      i = back + 1;
      continue;
    }
    let start = i;
    while (start > 0 && hasClass(text.charCodeAt(start - 1), flag)) start--;
    let end = probe + 1;
    while (end < text.length && hasClass(text.charCodeAt(end), flag)) end++;
    out.push(start, end);
    i = end + 1;
  }
  return out;
}

/** Maximal runs of 20+ base64-alphabet characters (standard or URL-safe) with up to two `=`. */
export function base64Runs(text: string): string[] {
  const runs: string[] = [];
  const spans = classRuns(text, BASE64, 20);
  for (let k = 0; k < spans.length; k += 2) {
    let end = spans[k + 1] as number;
    const stop = end + 2;
    while (end < text.length && end < stop && text.charCodeAt(end) === 61) end++;
    runs.push(text.slice(spans[k] as number, end));
  }
  return runs;
}

/** Runs of 20+ hex digits (optionally `0x`-prefixed) that start a word of lower-case text. */
export function hexDigitRuns(lower: string): string[] {
  const runs: string[] = [];
  const wordStart = (i: number) => i === 0 || !hasClass(lower.charCodeAt(i - 1), LOWER_ALNUM);
  const spans = classRuns(lower, HEX, 20);
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k] as number;
    const end = spans[k + 1] as number;
    if (wordStart(start)) runs.push(lower.slice(start, end));
    else if (start >= 2 && lower.startsWith("0x", start - 2) && wordStart(start - 2))
      runs.push(lower.slice(start - 2, end));
  }
  return runs;
}

/** Length of the longest run of characters other than whitespace. */
function longestRun(text: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      best = Math.max(best, run);
      run = 0;
    } else run++;
  }
  return Math.max(run, best);
}

function isReadable(text: string): boolean {
  if (text.length < 8) return false;
  let printable = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfffd) continue;
    if ((cp >= 0x20 && cp < 0x7f) || cp === 0x0a || cp === 0x09 || (cp > 0xa0 && cp !== 0xfffd)) printable++;
  }
  return printable / text.length > 0.9 && /\p{L}{3,}/u.test(text) && /\s/.test(text.trim());
}

function countWords(text: string, words: ReadonlySet<string>): number {
  let n = 0;
  for (const m of text.matchAll(/[a-z]{3,}/g)) if (words.has(m[0])) n++;
  return n;
}

/** ROT13 over ASCII letters. */
export function rot13(text: string): string {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    codes[i] = c >= 97 && c <= 122 ? ((c - 84) % 26) + 97 : c >= 65 && c <= 90 ? ((c - 52) % 26) + 65 : c;
  }
  return new TextDecoder("utf-16le").decode(codes);
}
