/**
 * Names, places and organisations by an NLP pass (`pii.names: full`): compromise's English
 * tagger (the model ships in the npm package; nothing is downloaded) reads each sentence, and its
 * people, places and organisations are kept when they survive checks that hold precision: every
 * word capitalised, titles, stop words and punctuation trimmed, a lone word kept only when the
 * name lists know it or it does not open the sentence. The spans score below the gazetteer's
 * confident ones, so they add what the lists miss and lose overlaps to what the lists confirm.
 *
 * Streaming: each sentence is tagged on its own, so a span depends only on its sentence.
 * Sentences end at a line break or at `.`, `!`, `?` before white space (not after a title or an
 * initial: `Mr. Smith`, `J. Smith`); a sentence longer than SENTENCE_MAX is not tagged at all, so
 * what is read never reaches further back than that.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type nlpType from "compromise";
import type { Detection } from "../detection.js";
import { type Gazetteer, isOrgSuffix, isStopWord, isTitle, STREET_SUFFIXES } from "./gazetteer.js";
import type { Recognizer, RecognizerHold } from "./recognizer.js";

/** Longest sentence tagged (characters); longer ones are skipped (see the module comment). */
export const SENTENCE_MAX = 240;
/** Longest span reported (characters). */
export const NLP_SPAN_MAX = 80;

/**
 * Scores: a span the lists confirm (a listed first name or surname in a person, a listed place),
 * and one they do not. Both are under the gazetteer's confident scores (0.7–1.0) and at or over
 * the default threshold (0.5).
 */
const CONFIRMED = 0.6;
const UNCONFIRMED = 0.52;

type Nlp = typeof nlpType;
let nlp: Nlp | undefined;
/** compromise, loaded on first use so `fast` and `off` never pay for it. */
function loadNlp(): Nlp {
  nlp ??= createRequire(import.meta.url)("compromise") as Nlp;
  return nlp;
}

/**
 * Per-process cache of tagged sentences: a stream re-scans the same sentences many times. Keyed
 * by a digest so prompt text is not kept in memory after the request (the spans are offsets).
 */
const CACHE_SIZE = 512;
const cache = new Map<string, readonly NlpSpan[]>();

interface NlpSpan {
  entity: "PERSON" | "LOCATION" | "ORGANIZATION";
  start: number;
  end: number;
}

interface Matched {
  text: string;
  offset?: { start: number; length: number };
}

/** The NLP recogniser of `names: full`, reading the name lists of `load` to confirm names. */
export function createNlpNamesRecognizer(load: () => Gazetteer): Recognizer {
  return {
    id: "nlp-names",
    entities: ["PERSON", "LOCATION", "ORGANIZATION"],
    maxLength: NLP_SPAN_MAX,
    hold: NLP_HOLD,
    recognize(text) {
      const out: Detection[] = [];
      const gazetteer = load();
      for (const [start, end] of sentencesOf(text)) {
        if (end - start > SENTENCE_MAX || !hasUpper(text, start, end)) continue;
        for (const s of tagSentence(text.slice(start, end))) {
          const d = validate(text, start + s.start, start + s.end, s.entity, { gazetteer, sentenceStart: start });
          if (d) out.push(d);
        }
      }
      return out;
    },
  };
}

const NLP_HOLD: RecognizerHold = {
  // The last sentence may still grow; once it is longer than SENTENCE_MAX it is never tagged.
  openFrom(text) {
    const last = lastSentenceStart(text);
    return last < 0 ? text.length : last;
  },
  isBreak: (text, at) => text.charCodeAt(at) === 10,
};

/** [start, end) of each sentence of `text` (see the module comment for where one ends). */
export function sentencesOf(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (i > start) out.push([start, i]);
      start = i + 1;
    } else if (isSentenceEnd(text, i)) {
      out.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (text.length > start) out.push([start, text.length]);
  return out;
}

/** Start of the last sentence of `text`, or -1 when it began more than SENTENCE_MAX characters back. */
export function lastSentenceStart(text: string): number {
  for (let i = text.length - 1; i >= 0 && i >= text.length - SENTENCE_MAX - 1; i--) {
    if (text.charCodeAt(i) === 10 || isSentenceEnd(text, i)) return i + 1;
  }
  return text.length > SENTENCE_MAX ? -1 : 0;
}

/** `.`, `!` or `?` followed by white space, unless the word before is a title or an initial. */
export function isSentenceEnd(text: string, at: number): boolean {
  // Character codes first: this runs on every character of a text.
  const code = text.charCodeAt(at);
  if (code !== 46 && code !== 33 && code !== 63) return false;
  const next = text.charCodeAt(at + 1);
  if (!(next === 32 || next === 9 || next === 13)) return false;
  if (code !== 46) return true;
  let from = at;
  while (from > 0 && from > at - 12 && /\p{L}/u.test(text[from - 1] as string)) from--;
  const word = text.slice(from, at);
  return !(word.length === 1 && /\p{Lu}/u.test(word)) && !isTitle(word);
}

function isWordChar(text: string, at: number): boolean {
  const c = text[at] as string;
  if (c === "-")
    return (
      at > 0 && at + 1 < text.length && /\p{L}/u.test(text[at - 1] as string) && /\p{L}/u.test(text[at + 1] as string)
    );
  return /[\p{L}\p{M}]/u.test(c);
}

function hasUpper(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
    if (c >= 0x80 && /\p{Lu}/u.test(text[i] as string)) return true;
  }
  return false;
}

function tagSentence(sentence: string): readonly NlpSpan[] {
  const key = createHash("sha256").update(sentence).digest("base64");
  const hit = cache.get(key);
  if (hit) return hit;
  const doc = loadNlp()(sentence);
  const spans: NlpSpan[] = [];
  const add = (entity: NlpSpan["entity"], matches: Matched[]) => {
    for (const m of matches) {
      if (!m.offset) continue;
      spans.push({ entity, start: m.offset.start, end: m.offset.start + m.offset.length });
    }
  };
  add("PERSON", doc.people().json({ offset: true }) as Matched[]);
  add("LOCATION", doc.places().json({ offset: true }) as Matched[]);
  add("ORGANIZATION", doc.organizations().json({ offset: true }) as Matched[]);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, spans);
  return spans;
}

const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’.-]*/gu;

/** Trim and check one tagged span; undefined when it does not hold up. */
function validate(
  text: string,
  start: number,
  end: number,
  entity: NlpSpan["entity"],
  at: { gazetteer: Gazetteer; sentenceStart: number },
): Detection | undefined {
  // A span cut inside a hyphenated word ("Mayer-" of "Mayer-Watkins") covers the whole word.
  let from = start;
  let to = end;
  while (from > 0 && isWordChar(text, from - 1)) from--;
  while (to < text.length && isWordChar(text, to)) to++;
  const words: { start: number; end: number; bare: string }[] = [];
  WORD.lastIndex = 0;
  const value = text.slice(from, to);
  for (let m = WORD.exec(value); m !== null; m = WORD.exec(value)) {
    let w = m[0].replace(/-+$/u, "");
    // Possessives are not part of the name; a dot is, after a company suffix only ("Corp.").
    if (/['’]s$/u.test(w)) w = w.slice(0, -2);
    const bare = w.replace(/\.+$/u, "");
    if (bare === "") continue;
    const keepDot = entity === "ORGANIZATION" && isOrgSuffix(bare);
    words.push({ start: from + m.index, end: from + m.index + (keepDot ? w.length : bare.length), bare });
  }
  // Titles, stop words and (for a person) acronyms opening the span are not part of the name.
  const opener = (w: string) =>
    isTitle(w) || isStopWord(w) || (entity === "PERSON" && w.length > 1 && w === w.toUpperCase());
  while (words.length > 0 && opener((words[0] as { bare: string }).bare)) words.shift();
  while (words.length > 0 && isStopWord((words[words.length - 1] as { bare: string }).bare)) words.pop();
  const first = words[0];
  const last = words[words.length - 1];
  if (!first || !last) return undefined;
  // A street is an address, not a person or a place: the address grammar reads it.
  if (entity !== "ORGANIZATION" && words.some((w) => STREET_SUFFIXES.has(w.bare.toLowerCase()))) return undefined;
  if (last.end - first.start > NLP_SPAN_MAX) return undefined;
  // Every word capitalised, except the particles inside a name ("de", "van", "of").
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w.bare));
  if (!/^\p{Lu}/u.test(first.bare) || !/^\p{Lu}/u.test(last.bare)) return undefined;
  if (words.some((w) => !/^\p{Lu}/u.test(w.bare) && w.bare.length > 4)) return undefined;
  // All capitals (an acronym, a shouted word) is not read as a name.
  if (entity === "PERSON" && words.every((w) => w.bare.length > 1 && w.bare === w.bare.toUpperCase())) return undefined;
  const g = at.gazetteer;
  const known = capitalised.filter((w) => g.firstNames.has(w.bare) || g.lastNames.has(w.bare)).length;
  let score: number;
  if (entity === "PERSON") {
    // A lone double-barrelled word ("Rolls-Royce", "Smith-Jones") is as often a firm as a person.
    if (words.length === 1 && first.bare.includes("-")) return undefined;
    if (capitalised.length === 1) {
      // A lone capitalised word: a name the lists know, or one not opening the sentence.
      const opens = text.slice(at.sentenceStart, first.start).trim() === "";
      if (known === 0 && opens) return undefined;
      if (first.bare.length < 3) return undefined;
      score = known > 0 ? CONFIRMED : UNCONFIRMED;
    } else score = known > 0 ? CONFIRMED : UNCONFIRMED;
  } else if (entity === "LOCATION") {
    score = g.places.has(words.map((w) => w.bare).join(" ")) ? CONFIRMED : UNCONFIRMED;
  } else {
    score = UNCONFIRMED;
  }
  return {
    entity,
    start: first.start,
    end: last.end,
    score,
    detector: "pii",
    ruleId: `nlp-${entity.toLowerCase().replace("_", "-")}`,
    reasons: [known > 0 ? "nlp+gazetteer" : "nlp"],
  };
}
