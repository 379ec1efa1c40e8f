/**
 * Span segmentation of data-genre content for document mode: a document (e-mail, table, CSV,
 * web page, Markdown, code, tool-result JSON) is cut into the spans an instruction could hide
 * in — sentences, table cells and CSV fields, JSON string values, HTML and Markdown comments,
 * hidden HTML, alt and title text, code comments — each with its offsets in the original text.
 * Linear in the input and bounded: at most MAX_SPANS spans, each at most MAX_SPAN_CHARS long
 * (longer runs are cut at spaces), and nothing is parsed beyond `maxChars`.
 */

/** What a span is; the detector weighs hidden constructs more than visible sentences. */
export const SPAN_KINDS = [
  "sentence",
  "cell",
  "json-string",
  "html-comment",
  "markdown-comment",
  "hidden-html",
  "alt-text",
  "code-comment",
  "code",
] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** The genre of the document around the spans. */
export const GENRES = ["prose", "email", "table", "csv", "html", "markdown", "code", "json"] as const;
export type Genre = (typeof GENRES)[number];

/** One span: `[start, end)` offsets into the original text. */
export interface DocumentSpan {
  start: number;
  end: number;
  kind: SpanKind;
}

export interface SegmentedDocument {
  genre: Genre;
  spans: DocumentSpan[];
}

/** Most spans per document; a longer document's tail is covered by coarser spans. */
export const MAX_SPANS = 4_000;
/** Longest span scored as one; longer runs are cut at a space. */
export const MAX_SPAN_CHARS = 360;
/** Spans shorter than this (after trimming) carry no instruction and are dropped. */
const MIN_SPAN_CHARS = 8;

/** Cut a document into spans and name its genre. */
export function segmentDocument(text: string, maxChars = 200_000): SegmentedDocument {
  const source = text.length > maxChars ? text.slice(0, maxChars) : text;
  const genre = genreOf(source);
  const spans: DocumentSpan[] = [];
  const covered: [number, number][] = [];
  const add = (start: number, end: number, kind: SpanKind): void => pushSpan(source, spans, start, end, kind);

  // Hidden constructs first, in every genre: attackers put them anywhere.
  hiddenConstructs(source, add, covered);
  covered.sort(byStart);

  switch (genre) {
    case "json":
      jsonStrings(source, add);
      break;
    case "table":
      tableCells(source, add, covered);
      break;
    case "csv":
      csvFields(source, add, covered);
      break;
    case "code":
      codeSpans(source, 0, source.length, add, covered);
      break;
    default:
      proseWithFences(source, add, covered, genre === "html");
  }
  if (spans.length > MAX_SPANS) spans.length = MAX_SPANS;
  return { genre, spans };
}

/** Guess the genre from cheap counts over the first 4,000 characters. */
export function genreOf(text: string): Genre {
  const head = text.length > 4_000 ? text.slice(0, 4_000) : text;
  const trimmed = head.trimStart();
  const first = trimmed.charCodeAt(0);
  if ((first === 123 || first === 91) && /"\s*:|^\[\s*"/.test(trimmed)) return "json";
  const lines = head.split("\n", 200);
  let pipeLines = 0;
  let codeLines = 0;
  let nonEmpty = 0;
  const commaCounts = new Map<number, number>();
  for (const line of lines) {
    const l = line.trim();
    if (l === "") continue;
    nonEmpty++;
    if (l.startsWith("|") && l.indexOf("|", 1) > 0) pipeLines++;
    if (
      /^(def |class |import |from \S+ import|function |const |let |var |return\b|#include|public |private |package |fn |}|\w+\(.*\);?$|[\w.[\]'"]+ ?[+\-*/]?= ?[^=])|[;{(,]$|\):$/.test(
        l,
      )
    )
      codeLines++;
    const commas = countSeparators(l);
    if (commas >= 2) commaCounts.set(commas, (commaCounts.get(commas) ?? 0) + 1);
  }
  if (nonEmpty === 0) return "prose";
  if (pipeLines >= 2 && pipeLines >= nonEmpty / 2) return "table";
  const commonCommas = Math.max(0, ...commaCounts.values());
  if (nonEmpty >= 3 && commonCommas >= Math.max(3, nonEmpty * 0.6)) return "csv";
  if (/<(html|body|div|p|span|a|table|head|meta|img)\b/i.test(head)) return "html";
  if (codeLines >= 3 && codeLines >= nonEmpty * 0.4 && !head.includes("```")) return "code";
  if (/^(subject|from|to|cc|date|sent|received date|email_from)\s*:/im.test(head) || /\bsubject:\s/i.test(head))
    return "email";
  if (/^#{1,6} |^\s*[-*] |\]\(|^```|^\[[^\]]+\]:/m.test(head)) return "markdown";
  return "prose";
}

/** Commas (or tabs) outside double quotes on one line: the CSV field count minus one. */
function countSeparators(line: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (!quoted && (c === 44 || c === 9)) n++;
  }
  return n;
}

/** Push a span after trimming whitespace and punctuation framing; long spans are cut at spaces. */
function pushSpan(text: string, spans: DocumentSpan[], from: number, to: number, kind: SpanKind): void {
  let start = from;
  let end = to;
  while (start < end && isFrame(text.charCodeAt(start))) start++;
  while (end > start && isFrame(text.charCodeAt(end - 1))) end--;
  if (end - start < MIN_SPAN_CHARS || spans.length >= MAX_SPANS) return;
  while (end - start > MAX_SPAN_CHARS && spans.length < MAX_SPANS) {
    let cut = start + MAX_SPAN_CHARS;
    const floor = start + MAX_SPAN_CHARS / 2;
    while (cut > floor && text.charCodeAt(cut) !== 32) cut--;
    if (cut <= floor) cut = start + MAX_SPAN_CHARS;
    spans.push({ start, end: cut, kind });
    start = cut;
    while (start < end && text.charCodeAt(start) === 32) start++;
  }
  if (end - start >= MIN_SPAN_CHARS && spans.length < MAX_SPANS) spans.push({ start, end, kind });
}

/** Whitespace and the punctuation that frames cells and bullets (`|`, `*`, `-`, `>`, `#`, quotes). */
function isFrame(c: number): boolean {
  return c <= 32 || c === 124 || c === 42 || c === 45 || c === 62 || c === 35 || c === 34 || c === 0xa0;
}

type Add = (start: number, end: number, kind: SpanKind) => void;

const HTML_COMMENT = /<!--([\s\S]{0,4000}?)-->/g;
/** `[//]: # (text)`, `[comment]: # "text"`, `[//]: <> (text)`: Markdown link-reference definitions used as comments. */
const MD_COMMENT =
  /^[ \t]{0,3}\[(?:\/\/|comment|#|_|note|hidden)\]:[ \t]*(?:#|<>|\S{1,200})[ \t]*(?:\(([^\n)]{1,2000})\)|"([^\n"]{1,2000})"|'([^\n']{1,2000})')/gim;
/** An element hidden by style or attribute, its content up to the next closing tag. */
const HIDDEN_HTML =
  /<(\w{1,10})\b[^>]{0,400}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0(?:\.0+)?\s*[;"']|color\s*:\s*(?:#fff(?:fff)?|white|transparent)\b|\bhidden\b|aria-hidden\s*=\s*["']?true)[^>]{0,400}>([\s\S]{0,4000}?)<\/\1>/gi;
const ALT_TEXT = /\b(?:alt|title|aria-label|data-\w{1,30})\s*=\s*(?:"([^"]{1,2000})"|'([^']{1,2000})')/gi;
const MD_IMAGE_ALT = /!\[([^\]\n]{1,1000})\]\(/g;

/** HTML comments, Markdown comments, hidden elements, alt/title attributes and image alt text. */
function hiddenConstructs(text: string, add: Add, covered: [number, number][]): void {
  if (text.includes("<!--")) {
    for (const m of text.matchAll(HTML_COMMENT)) {
      const start = (m.index ?? 0) + 4;
      add(start, start + (m[1]?.length ?? 0), "html-comment");
      covered.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    }
  }
  if (text.includes("]:")) {
    for (const m of text.matchAll(MD_COMMENT)) {
      const inner = m[1] ?? m[2] ?? m[3] ?? "";
      const at = (m.index ?? 0) + m[0].length - inner.length - 1;
      add(at, at + inner.length, "markdown-comment");
      covered.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    }
  }
  if (text.includes("<")) {
    for (const m of text.matchAll(HIDDEN_HTML)) {
      const inner = m[2] ?? "";
      const at = (m.index ?? 0) + m[0].length - inner.length - (m[1]?.length ?? 0) - 3;
      textNodes(text, at, at + inner.length, (s, e) => add(s, e, "hidden-html"));
      covered.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
    }
    for (const m of text.matchAll(ALT_TEXT)) {
      const inner = m[1] ?? m[2] ?? "";
      const at = (m.index ?? 0) + m[0].length - inner.length - 1;
      add(at, at + inner.length, "alt-text");
    }
  }
  if (text.includes("![")) {
    for (const m of text.matchAll(MD_IMAGE_ALT))
      add((m.index ?? 0) + 2, (m.index ?? 0) + 2 + (m[1]?.length ?? 0), "alt-text");
  }
}

/** Text between tags in `[from, to)`, each run passed on. */
function textNodes(text: string, from: number, to: number, emit: (start: number, end: number) => void): void {
  let i = from;
  while (i < to) {
    const open = text.indexOf("<", i);
    const stop = open < 0 || open > to ? to : open;
    if (stop > i) emit(i, stop);
    if (stop >= to) break;
    const close = text.indexOf(">", stop);
    i = close < 0 || close >= to ? to : close + 1;
  }
}

/** How many ranges before the nearest one `isCovered` looks at (nested constructs are shallow). */
const COVER_LOOKBACK = 8;

/**
 * Whether `[start, end)` lies inside a construct already reported. `covered` is sorted by start,
 * so a binary search finds the nearest candidates: a linear scan made hostile input with tens of
 * thousands of comments quadratic.
 */
function isCovered(covered: readonly [number, number][], start: number, end: number): boolean {
  let low = 0;
  let high = covered.length - 1;
  let at = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if ((covered[mid] as [number, number])[0] <= start) {
      at = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  for (let i = at; i >= 0 && i > at - COVER_LOOKBACK; i--) {
    const [s, e] = covered[i] as [number, number];
    if (start >= s && end <= e) return true;
  }
  return false;
}

function byStart(a: [number, number], b: [number, number]): number {
  return a[0] - b[0];
}

/** Sentences of prose (or of HTML text nodes), with fenced code blocks handed to the code segmenter. */
function proseWithFences(text: string, add: Add, covered: [number, number][], html: boolean): void {
  let i = 0;
  while (i < text.length) {
    const fence = text.indexOf("```", i);
    const stop = fence < 0 ? text.length : fence;
    proseRange(text, i, stop, add, covered, html);
    if (fence < 0) break;
    const lineEnd = text.indexOf("\n", fence);
    const close = lineEnd < 0 ? -1 : text.indexOf("```", lineEnd);
    const end = close < 0 ? text.length : close;
    if (lineEnd >= 0) codeSpans(text, lineEnd + 1, end, add, covered);
    i = close < 0 ? text.length : close + 3;
  }
}

function proseRange(
  text: string,
  from: number,
  to: number,
  add: Add,
  covered: [number, number][],
  html: boolean,
): void {
  const emitSentences = (s: number, e: number) =>
    sentences(text, s, e, (a, b) => {
      if (covered.length === 0 || !isCovered(covered, a, b)) add(a, b, "sentence");
    });
  if (html) textNodes(text, from, to, emitSentences);
  else emitSentences(from, to);
}

/**
 * Sentences in `[from, to)`: cut after `.`, `!`, `?` (and their CJK forms) followed by a space
 * or glued to the next sentence's capital, at line breaks, and at the `|` separators some
 * e-mail exports use between fields.
 */
export function sentences(text: string, from: number, to: number, emit: (start: number, end: number) => void): void {
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    let cut = -1;
    if (c === 10 || c === 124) cut = i;
    else if (c === 0x3002 || c === 0xff01 || c === 0xff1f) cut = i + 1;
    else if ((c === 46 || c === 33 || c === 63) && i + 1 < to) {
      const next = text.charCodeAt(i + 1);
      if (next === 32 || next === 10 || next === 9) {
        // Not after a one-letter initial or a common abbreviation ("e.g. ", "Mr. ").
        if (c !== 46 || !isAbbreviation(text, i)) cut = i + 1;
      } else if (next >= 65 && next <= 90 && (c !== 46 || isGluedSentence(text, i, to))) cut = i + 1;
    }
    if (cut >= 0) {
      if (cut > start) emit(start, cut);
      start = cut === i ? i + 1 : cut;
    }
  }
  if (to > start) emit(start, to);
}

/**
 * A full stop with no space before the next sentence, as exports of e-mails leave them
 * (`ending ••7681.If you have`, `$3,620.00.They`): a lower-case letter or digit before the dot,
 * an upper-case then a lower-case letter after it. Not `U.S.Army`, not `Node.JS`.
 */
function isGluedSentence(text: string, dot: number, to: number): boolean {
  const before = text.charCodeAt(dot - 1);
  const after = dot + 2 < to ? text.charCodeAt(dot + 2) : 0;
  return ((before >= 97 && before <= 122) || (before >= 48 && before <= 57)) && after >= 97 && after <= 122;
}

function isAbbreviation(text: string, dot: number): boolean {
  let s = dot;
  while (s > 0 && dot - s < 5 && /[A-Za-z]/.test(text.charAt(s - 1))) s--;
  const word = text.slice(s, dot).toLowerCase();
  return (
    word.length === 1 ||
    word === "e.g" ||
    word === "i.e" ||
    ["mr", "mrs", "ms", "dr", "vs", "etc", "inc", "st", "no"].includes(word)
  );
}

/** Cells of a Markdown (pipe) table; lines that are not table rows become sentences. */
function tableCells(text: string, add: Add, covered: [number, number][]): void {
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const trimmedStart = skipSpaces(text, lineStart, lineEnd);
    if (text.charCodeAt(trimmedStart) === 124) {
      let cellStart = trimmedStart + 1;
      for (let i = cellStart; i <= lineEnd; i++) {
        if (i === lineEnd || text.charCodeAt(i) === 124) {
          if (!isCovered(covered, cellStart, i)) sentences(text, cellStart, i, (s, e) => add(s, e, "cell"));
          cellStart = i + 1;
        }
      }
    } else {
      sentences(text, lineStart, lineEnd, (s, e) => {
        if (!isCovered(covered, s, e)) add(s, e, "sentence");
      });
    }
    lineStart = lineEnd + 1;
  }
}

function skipSpaces(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** Fields of CSV (or TSV) text, quotes respected; a field spanning lines stays one field. */
function csvFields(text: string, add: Add, covered: [number, number][]): void {
  let fieldStart = 0;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 34) quoted = !quoted;
    else if (!quoted && (c === 44 || c === 9 || c === 10 || c === 13)) {
      if (i > fieldStart && !isCovered(covered, fieldStart, i)) {
        // A field of several sentences is prose: each sentence is a span.
        sentences(text, fieldStart, i, (s, e) => add(s, e, "cell"));
      }
      fieldStart = i + 1;
    }
  }
}

/**
 * String values of JSON (keys are skipped), found by a scanner rather than a parser so
 * truncated or invalid tool output is still covered. Escapes stay in the span; the detector
 * reads `\n` and `\"` as text.
 */
function jsonStrings(text: string, add: Add): void {
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('"', i);
    if (open < 0) break;
    let j = open + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 92) j += 2;
      else if (c === 34) break;
      else j++;
    }
    let k = j + 1;
    while (k < text.length && text.charCodeAt(k) <= 32) k++;
    const isKey = text.charCodeAt(k) === 58;
    if (!isKey && j - open > 1) {
      // A value of several sentences is prose: each sentence is a span.
      sentences(text, open + 1, Math.min(j, text.length), (s, e) => add(s, e, "json-string"));
    }
    i = j + 1;
  }
}

const LINE_COMMENT = /(?:^|[ \t;])(?:#|\/\/|--)(?!!)[ \t]?([^\n]{3,})/gm;
const BLOCK_COMMENT = /\/\*([\s\S]{0,4000}?)\*\/|"""([\s\S]{0,4000}?)"""|'''([\s\S]{0,4000}?)'''/g;

/** Comments (line, block, docstrings) of code in `[from, to)` as code-comment spans; the rest as code lines. */
function codeSpans(text: string, from: number, to: number, add: Add, covered: [number, number][]): void {
  const body = text.slice(from, to);
  const local: [number, number][] = [];
  for (const m of body.matchAll(BLOCK_COMMENT)) {
    const inner = m[1] ?? m[2] ?? m[3] ?? "";
    const at = from + (m.index ?? 0) + (m[0].length - inner.length) / 2;
    sentences(text, at, at + inner.length, (s, e) => add(s, e, "code-comment"));
    local.push([from + (m.index ?? 0), from + (m.index ?? 0) + m[0].length]);
  }
  // Block comments were found left to right, so `local` is sorted; line comments do not nest.
  for (const m of body.matchAll(LINE_COMMENT)) {
    const inner = m[1] ?? "";
    const at = from + (m.index ?? 0) + m[0].length - inner.length;
    if (isCovered(local, at, at + inner.length) || isCovered(covered, at, at + inner.length)) continue;
    add(at, at + inner.length, "code-comment");
  }
  // Code itself, a few lines at a time: what the code does (reads secrets, posts them) is evidence too.
  // Comment-only lines end a chunk: they were reported above as comments.
  let chunkStart = from;
  let lineStart = from;
  let lines = 0;
  for (let i = from; i <= to; i++) {
    if (i !== to && text.charCodeAt(i) !== 10) continue;
    const first = skipSpaces(text, lineStart, i);
    const c = text.charCodeAt(first);
    const comment = c === 35 || (c === 47 && text.charCodeAt(first + 1) === 47);
    if (comment) {
      if (lineStart > chunkStart && !isCovered(covered, chunkStart, lineStart)) add(chunkStart, lineStart, "code");
      chunkStart = i + 1;
      lines = 0;
    } else if (++lines === 6 || i === to) {
      if (i > chunkStart && !isCovered(covered, chunkStart, i)) add(chunkStart, i, "code");
      chunkStart = i + 1;
      lines = 0;
    }
    lineStart = i + 1;
  }
}
