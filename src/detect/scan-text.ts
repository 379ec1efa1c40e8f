/**
 * The text PII and secret recognisers scan: default-ignorable code points removed (zero-width
 * space and joiners, soft hyphen, word joiner, BOM, bidi controls, variation selectors), then
 * Unicode NFKC (full-width `４１１１` and `＠` become `4111` and `@`, ligatures such as `ﬁ`
 * become `fi`), with an exact map from its offsets back to the original text, so that
 * detections point at, and redaction replaces, the characters the user sent.
 *
 * Linear in the text. Pure ASCII costs one native length check, text already normalised one
 * native normalisation. Otherwise ignorables are cut out in one pass, and the rest is cut into
 * blocks before ASCII characters (UAX #15: a normalisation boundary precedes every ASCII
 * character, so blocks normalise independently); a block that normalises character for
 * character maps one to one, any other is mapped unit by unit (a character and the marks or
 * jamo that may compose with it), checked against NFKC of the whole block.
 */

/** Code points that render as nothing (Unicode's Default_Ignorable_Code_Point). */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const IGNORABLE_ALL = /\p{Default_Ignorable_Code_Point}/gu;
/**
 * Characters that may combine with the character before them under NFKC: marks, Hangul jamo
 * (conjoining, compatibility and half-width forms) and the half-width kana voicing marks.
 */
const EXTENDS = /[\p{M}\u1100-\u11FF\u3131-\u318E\uA960-\uA97F\uD7B0-\uD7FF\uFF9E\uFF9F\uFFA0-\uFFDC]/u;
/** Blocks are cut at the first ASCII character after this many characters. */
const BLOCK = 4096;

/** Text to scan and how its offsets map back to the original. */
export interface ScanText {
  /** The normalised text (the original itself when nothing changes). */
  readonly text: string;
  /** True when `text` is the original, so offsets need no mapping. */
  readonly identity: boolean;
  /** Original offset of the character at `offset` of `text` (the start of what produced it). */
  toOriginalStart(offset: number): number;
  /** Original offset just past what produced the character before `offset` of `text`. */
  toOriginalEnd(offset: number): number;
}

let last: { input: string; scan: ScanText } | undefined;

/**
 * The scan text of `text`. The last result is kept, since the PII and secrets detectors of one
 * combined detector are handed the same text one after the other.
 */
export function toScanText(text: string): ScanText {
  if (last?.input === text) return last.scan;
  const scan = build(text);
  last = { input: text, scan };
  return scan;
}

function identityOf(text: string): ScanText {
  return { text, identity: true, toOriginalStart: (o) => o, toOriginalEnd: (o) => o };
}

function isAscii(text: string): boolean {
  // Buffer.byteLength counts UTF-8 bytes natively: equal to the length only for pure ASCII.
  return Buffer.byteLength(text, "utf8") === text.length;
}

function build(text: string): ScanText {
  if (isAscii(text)) return identityOf(text);
  const stripped = IGNORABLE.test(text) ? stripIgnorables(text) : identityOf(text);
  const normalised = isAscii(stripped.text) ? identityOf(stripped.text) : normaliseBlocks(stripped.text);
  if (stripped.identity) return normalised;
  if (normalised.identity) return stripped;
  return {
    text: normalised.text,
    identity: false,
    toOriginalStart: (o) => stripped.toOriginalStart(normalised.toOriginalStart(o)),
    toOriginalEnd: (o) => stripped.toOriginalEnd(normalised.toOriginalEnd(o)),
  };
}

/** The text without ignorables; a kept character maps to its original place. */
function stripIgnorables(text: string): ScanText {
  // cuts[r]: where, in the stripped text, the r-th removed code unit was (non-decreasing).
  const cuts: number[] = [];
  const kept: string[] = [];
  let from = 0;
  IGNORABLE_ALL.lastIndex = 0;
  for (let m = IGNORABLE_ALL.exec(text); m !== null; m = IGNORABLE_ALL.exec(text)) {
    kept.push(text.slice(from, m.index));
    for (let k = 0; k < m[0].length; k++) cuts.push(m.index + k - cuts.length);
    from = m.index + m[0].length;
  }
  kept.push(text.slice(from));
  const stripped = kept.join("");
  /** Original offset of stripped character `offset`: it comes after every cut at or before it. */
  const original = (offset: number) => offset + countAtMost(cuts, offset);
  return {
    text: stripped,
    identity: false,
    toOriginalStart: (o) => (o >= stripped.length ? text.length : original(o)),
    toOriginalEnd: (o) => (o <= 0 ? 0 : original(Math.min(o, stripped.length) - 1) + 1),
  };
}

/** How many entries of the ascending `sorted` are at most `value`. */
function countAtMost(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** NFKC of a text without ignorables, block by block (the text itself when no block changes). */
function normaliseBlocks(text: string): ScanText {
  const map = createMapBuilder(text);
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + BLOCK);
    while (to < text.length && text.charCodeAt(to) >= 0x80) to++;
    addBlock(text, from, to, map);
    from = to;
  }
  return map.unchanged() ? identityOf(text) : map.finish();
}

function addBlock(text: string, from: number, to: number, map: MapBuilder): void {
  const block = text.slice(from, to);
  const normalised = block.normalize("NFKC");
  if (normalised === block) {
    map.copy(from, to);
    return;
  }
  if (normalised.length === block.length && characterForCharacter(block, normalised)) {
    map.linear(from, normalised);
    return;
  }
  const mark = map.mark();
  addUnits(text, from, to, map);
  // A composition across units this module does not know of: map the block as one unit.
  if (map.textSince(mark) !== normalised) {
    map.reset(mark);
    map.unit(from, to, normalised);
  }
}

/** True when NFKC of each character of `block` alone is the character at its place in `normalised`. */
function characterForCharacter(block: string, normalised: string): boolean {
  for (let i = 0; i < block.length; i++) {
    const code = block.charCodeAt(i);
    if (code < 0x80) {
      if (normalised.charCodeAt(i) !== code) return false;
    } else if (singleCode(code) !== normalised.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

/** Split [from, to) into units (a character and what composes with it) and add each. */
function addUnits(text: string, from: number, to: number, map: MapBuilder): void {
  let copyFrom = from;
  let i = from;
  while (i < to) {
    let j = i + ((text.codePointAt(i) as number) > 0xffff ? 2 : 1);
    while (j < to) {
      const cp = text.codePointAt(j) as number;
      if (!extendsPrevious(cp)) break;
      j += cp > 0xffff ? 2 : 1;
    }
    const code = text.charCodeAt(i);
    if (j - i > 1 || (code >= 0x80 && singleCode(code) !== code)) {
      map.copy(copyFrom, i);
      const unit = text.slice(i, j);
      const normalised = j - i === 1 ? singleNormalised(code) : unit.normalize("NFKC");
      if (normalised === unit) map.copy(i, j);
      else if (normalised.length === 1 && j - i === 1) map.linear(i, normalised);
      else map.unit(i, j, normalised);
      copyFrom = j;
    }
    i = j;
  }
  map.copy(copyFrom, to);
}

/** Whether the code point may compose with what comes before it. */
function extendsPrevious(cp: number): boolean {
  if (cp < 0x300) return false;
  // Full-width ASCII and CJK ideographs, the common cases here, are starters.
  if ((cp >= 0xff01 && cp <= 0xff5e) || (cp >= 0x4e00 && cp <= 0x9fff)) return false;
  return EXTENDS.test(String.fromCodePoint(cp));
}

/** NFKC of single UTF-16 code units, memoised (at most 65,536 entries). */
const SINGLE = new Map<number, string>();
/** Per code unit: the one code unit it normalises to, -2 if several or none, -1 not known yet. */
const SINGLE_CODE = new Int32Array(0x10000).fill(-1);

function singleNormalised(code: number): string {
  let normalised = SINGLE.get(code);
  if (normalised === undefined) {
    normalised = String.fromCharCode(code).normalize("NFKC");
    SINGLE.set(code, normalised);
  }
  return normalised;
}

function singleCode(code: number): number {
  let known = SINGLE_CODE[code] as number;
  if (known === -1) {
    const normalised = singleNormalised(code);
    known = normalised.length === 1 ? normalised.charCodeAt(0) : -2;
    SINGLE_CODE[code] = known;
  }
  return known;
}

/**
 * Builds the normalised text and a piecewise map: segment k covers normalised
 * [normStart[k], normStart[k] + normLength[k]) and original [origStart[k], origEnd[k]); a linear
 * segment maps offsets one to one, any other maps every offset inside it to its whole extent.
 */
interface MapBuilder {
  /** Original [from, to) stays as it is. */
  copy(from: number, to: number): void;
  /** Original [from, from + normalised.length) became `normalised`, character for character. */
  linear(from: number, normalised: string): void;
  /** Original [from, to) became `normalised` as a whole. */
  unit(from: number, to: number, normalised: string): void;
  mark(): number;
  textSince(mark: number): string;
  reset(mark: number): void;
  /** True when everything so far was copied as it is. */
  unchanged(): boolean;
  finish(): ScanText;
}

function createMapBuilder(original: string): MapBuilder {
  const pieces: string[] = [];
  const normStart: number[] = [];
  const normLength: number[] = [];
  const origStart: number[] = [];
  const origEnd: number[] = [];
  const linear: boolean[] = [];
  let length = 0;
  let changed = false;
  const push = (from: number, to: number, piece: string, isLinear: boolean) => {
    if (piece.length === 0) return;
    const k = linear.length - 1;
    const extendsLast =
      isLinear &&
      k >= 0 &&
      linear[k] &&
      origEnd[k] === from &&
      (normStart[k] as number) + (normLength[k] as number) === length;
    if (extendsLast) {
      normLength[k] = (normLength[k] as number) + piece.length;
      origEnd[k] = to;
    } else {
      normStart.push(length);
      normLength.push(piece.length);
      origStart.push(from);
      origEnd.push(to);
      linear.push(isLinear);
    }
    pieces.push(piece);
    length += piece.length;
  };
  return {
    copy: (from, to) => push(from, to, original.slice(from, to), true),
    linear(from, normalised) {
      changed = true;
      push(from, from + normalised.length, normalised, true);
    },
    unit(from, to, normalised) {
      changed = true;
      push(from, to, normalised, false);
    },
    mark: () => pieces.length,
    textSince: (mark) => pieces.slice(mark).join(""),
    reset(mark) {
      while (pieces.length > mark) length -= (pieces.pop() as string).length;
      // Drop the segments that start at or after the new end, and trim one that runs past it.
      while (normStart.length > 0 && (normStart[normStart.length - 1] as number) >= length) {
        normStart.pop();
        normLength.pop();
        origStart.pop();
        origEnd.pop();
        linear.pop();
      }
      const k = linear.length - 1;
      if (k >= 0 && (normStart[k] as number) + (normLength[k] as number) > length) {
        normLength[k] = length - (normStart[k] as number);
        origEnd[k] = (origStart[k] as number) + (normLength[k] as number);
      }
    },
    unchanged: () => !changed,
    finish: () => mapOf(pieces.join(""), { normStart, normLength, origStart, origEnd, linear }, original.length),
  };
}

interface Segments {
  normStart: number[];
  normLength: number[];
  origStart: number[];
  origEnd: number[];
  linear: boolean[];
}

function mapOf(text: string, seg: Segments, originalLength: number): ScanText {
  const count = seg.normStart.length;
  /** The segment holding normalised offset `offset`: the last one starting at or before it. */
  const segmentAt = (offset: number): number => {
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((seg.normStart[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  return {
    text,
    identity: false,
    toOriginalStart(offset) {
      if (offset >= text.length || count === 0) return originalLength;
      const k = segmentAt(Math.max(0, offset));
      const start = seg.origStart[k] as number;
      return seg.linear[k] ? start + (offset - (seg.normStart[k] as number)) : start;
    },
    toOriginalEnd(offset) {
      if (offset <= 0 || count === 0) return 0;
      const at = Math.min(text.length, offset);
      const k = segmentAt(at - 1);
      if (!seg.linear[k]) return seg.origEnd[k] as number;
      return (seg.origStart[k] as number) + (at - (seg.normStart[k] as number));
    },
  };
}

/**
 * Detections over `scan.text` moved onto the original text. Spans keep their order; where two
 * spans that were apart come to share an original character (a ligature split between them),
 * the later one starts after the earlier one, so redaction still replaces both.
 */
export function toOriginalDetections<T extends { start: number; end: number }>(detections: T[], scan: ScanText): T[] {
  if (scan.identity) return detections;
  let previous: { scanEnd: number; end: number } | undefined;
  return detections.map((d) => {
    let start = scan.toOriginalStart(d.start);
    const end = Math.max(start, scan.toOriginalEnd(d.end));
    if (previous && d.start >= previous.scanEnd && start < previous.end) start = Math.min(end, previous.end);
    if (!previous || end >= previous.end) previous = { scanEnd: d.end, end };
    return { ...d, start, end };
  });
}
