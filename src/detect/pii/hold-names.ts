/**
 * The gazetteer's side of streaming hold-back: whether the run of capitalised words at the end
 * of a text may still grow (`Donald van der` waiting for `Voet`, `Acme` for `Corp`), and which
 * characters no name run can cross. The run rules mirror gazetteer.ts; hold.test.ts fails if
 * they drift apart.
 */

/** A capitalised word, as the gazetteer reads one. */
export const CAP_WORD = /\p{Lu}[\p{L}\p{M}'’]*(?:-\p{Lu}?[\p{L}\p{M}'’]+)*\.?/u;
/** Lower-case particles that may join the words of one name ("van der", "de la"). */
export const NAME_PARTICLES = [
  "van",
  "der",
  "den",
  "de",
  "del",
  "della",
  "di",
  "da",
  "dos",
  "das",
  "du",
  "la",
  "le",
  "von",
  "zu",
  "bin",
  "al",
  "ibn",
  "y",
  "e",
] as const;
/** Words in one gazetteer run at most. */
export const MAX_NAME_RUN = 5;
/** How far back a run of name words is looked for; longer runs are cut by holdBack anyway. */
export const NAME_WINDOW = 400;

const PARTICLES = new Set<string>(NAME_PARTICLES);
/**
 * A character no gazetteer candidate contains: one that is not part of a word, a joining gap or
 * the house number before a street name (so not a letter, digit, `'`, `-`, `.` or space), or a
 * letter of a lower-case word that is not a joining particle, with a space before it (such a
 * word ends every run of name words, and no capitalised word or house number reaches into it).
 */
const NAME_PART = /[\p{L}\p{M}\p{N}'’.\-\s]/u;
const LOWER_WORD = /^\p{Ll}+$/u;
const WORD_PART = /[\p{L}\p{M}\p{N}'’-]/u;
export function isNameBreak(text: string, at: number): boolean {
  const ch = text[at] as string;
  const code = ch.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (!NAME_PART.test(ch)) return true;
  if (!LOWER_WORD.test(ch)) return false;
  // Only the last letter of a word is tested, so a word costs one look at its letters.
  if (at + 1 < text.length && WORD_PART.test(text[at + 1] as string)) return false;
  let start = at;
  while (start > 0 && WORD_PART.test(text[start - 1] as string)) start--;
  if (start === 0 || !/\s/.test(text[start - 1] as string)) return false;
  const word = text.slice(start, at + 1);
  return LOWER_WORD.test(word) && !PARTICLES.has(word);
}

const JOINER_GAP = new RegExp(`^ (?:(?:${NAME_PARTICLES.join("|")}) )*$`);
const WORD_CHAR = /[\p{L}\p{N}]/u;
const HOUSE_NUMBER = /\d[\dA-Za-z-]{0,6}\s$/;

/** The end of a text that may still become the house number before a street name still to come. */
const HOUSE_NUMBER_SO_FAR = /\d[\dA-Za-z-]{0,6}\s?$/;

/**
 * Where the run of capitalised words at the end of `text` starts, if the gazetteer may still
 * extend it (the last word may grow, or what follows it may still become a joining particle);
 * text.length otherwise. A run's words are the last MAX_NAME_RUN at most, and a street address
 * starts at the house number before them, which may also be all there is yet ("at 12" before
 * "Main Street" arrives). Periods are treated as never ending a run, which holds a little more
 * than the gazetteer needs.
 */
export function openNameRunStart(text: string): number {
  const n = text.length;
  const tail = Math.max(0, n - 8);
  const number = HOUSE_NUMBER_SO_FAR.exec(text.slice(tail));
  return Math.min(number ? tail + number.index : n, openRunStart(text), openListItemStart(text));
}

/** Gaps between the items of a list of names (gazetteer.ts isEnumerationGap). */
const LIST_GAPS = [", ", " and ", ", and ", " & "] as const;
/** Characters after a run within which its own judgement may still change (context after it). */
const RUN_DECIDED_AFTER = 32;

/**
 * Items of a list of names are judged in pairs ("Kovalev, Lee and Phillips": a lone surname is
 * raised when the next item is a name), so an item stays open while the item after it may
 * still change: while the text ends in what may become a list gap after it ("Lee and"), and
 * while the next item is open or its context after it is incomplete. Returns the start of the
 * earliest such item, or text.length.
 */
function openListItemStart(text: string): number {
  const n = text.length;
  const runs = capitalisedRuns(text);
  const last = runs[runs.length - 1];
  if (!last) return n;
  const after = text.slice(last.end);
  if (LIST_GAPS.some((gap) => gap.startsWith(after) && after.length < gap.length)) return last.start;
  if (last.end + RUN_DECIDED_AFTER < n) return n;
  const previous = runs[runs.length - 2];
  const gap = previous ? text.slice(previous.end, last.start) : "";
  return previous && LIST_GAPS.some((g) => g === gap) ? previous.start : n;
}

/** The runs of capitalised words (joined as names are) in the last NAME_WINDOW characters. */
function capitalisedRuns(text: string): { start: number; end: number }[] {
  const re = new RegExp(CAP_WORD.source, "gu");
  re.lastIndex = Math.max(0, text.length - NAME_WINDOW);
  const runs: { start: number; end: number }[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > 0 && WORD_CHAR.test(text[m.index - 1] as string)) continue;
    const end = m.index + m[0].replace(/['’]s$/, "").length;
    const last = runs[runs.length - 1];
    if (last && JOINER_GAP.test(text.slice(last.end, m.index))) last.end = end;
    else runs.push({ start: m.index, end });
  }
  return runs;
}

function openRunStart(text: string): number {
  const n = text.length;
  const words: { start: number; end: number }[] = [];
  const re = new RegExp(CAP_WORD.source, "gu");
  re.lastIndex = Math.max(0, n - NAME_WINDOW);
  let lastMatchEnd = -1;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    if (start > 0 && WORD_CHAR.test(text[start - 1] as string)) continue;
    const word = m[0].replace(/['’]s$/, "");
    words.push({ start, end: start + word.length });
    lastMatchEnd = start + m[0].length;
  }
  const last = words[words.length - 1];
  if (!last) return n;
  // The word itself may grow ("Dona" + "ld", "Jean-" + "Luc"), or the gap may still become a joiner.
  const open = lastMatchEnd === n || text.slice(lastMatchEnd) === "-" || isJoinerPrefix(text.slice(last.end));
  if (!open) return n;
  let first = words.length - 1;
  while (
    first > 0 &&
    words.length - first < MAX_NAME_RUN &&
    JOINER_GAP.test(text.slice((words[first - 1] as { end: number }).end, (words[first] as { start: number }).start))
  ) {
    first--;
  }
  const start = (words[first] as { start: number }).start;
  const number = HOUSE_NUMBER.exec(text.slice(Math.max(0, start - 8), start));
  return number ? start - number[0].length : start;
}

/** Whether `gap` can still grow into a joining gap: " ", " van", " van d", " van der ". */
function isJoinerPrefix(gap: string): boolean {
  if (gap === "") return true;
  if (!gap.startsWith(" ")) return false;
  const parts = gap.slice(1).split(" ");
  const partial = parts.pop() as string;
  return parts.every((p) => PARTICLES.has(p)) && (partial === "" || NAME_PARTICLES.some((p) => p.startsWith(partial)));
}
