/**
 * A token tagger for names, places and organisations: an averaged perceptron over BIO tags,
 * trained here by scripts/train-name-tagger.ts (data and licence in the model file), with
 * features of the word, its shape, its neighbours, the name and place lists and the tag before
 * it. Decoding is greedy, left to right, inside one sentence.
 *
 * Only "candidate" tokens are scored: a capitalised word that is no stop word (a sentence's first
 * word only when the lists hold it or the next word is a candidate), and any word or joining mark
 * (",", ".", "&") right after a token tagged as part of a name; in a sentence without capitals, the
 * words the name and place lists hold. Everything else is outside a name without any work, which is
 * what keeps prose fast.
 *
 * Streaming: like the NLP pass (nlp-names.ts), a span depends only on its sentence (sentences
 * longer than SENTENCE_MAX are not tagged), and within it only on a few tokens around it, so the
 * hold is the last few tokens of the last sentence, or that sentence whole while what it holds may
 * still change (createTaggerHold).
 */
import { readFileSync } from "node:fs";
import type { Detection } from "../detection.js";
import {
  type Gazetteer,
  hasStreetType,
  isGluedToCode,
  isOrgSuffix,
  isStopWord,
  isTitle,
  nameWordCount,
  STREET_SUFFIXES,
} from "./gazetteer.js";
import { isSentenceEnd, lastSentenceStart, SENTENCE_MAX, sentencesOf } from "./nlp-names.js";
import type { Recognizer, RecognizerHold } from "./recognizer.js";

/** Tags, in the order of the model's weights. */
export const TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"] as const;
const ENTITY_OF = ["", "PERSON", "PERSON", "LOCATION", "LOCATION", "ORGANIZATION", "ORGANIZATION"] as const;
const NTAGS = TAGS.length;

/** Longest span reported (characters). */
export const TAGGER_SPAN_MAX = 100;

/** Kinds of token. */
export const WORD = 0;
export const NUMBER = 1;
export const MARK = 2;

export interface TagToken {
  start: number;
  end: number;
  kind: typeof WORD | typeof NUMBER | typeof MARK;
}

function isLetterCode(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c < 0x80) return (c | 32) >= 97 && (c | 32) <= 122 ? 1 : 0;
  // A letter or mark, one or two code units long (0 when neither).
  const cp = text.codePointAt(at) as number;
  const ch = String.fromCodePoint(cp);
  return /[\p{L}\p{M}]/u.test(ch) ? ch.length : 0;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0;
}

/**
 * Tokens of text[from, to): words (letters and marks, with inner apostrophes and hyphens
 * followed by a letter, and digits after a letter), numbers (runs of digits) and single marks.
 * One pass, each character looked at a bounded number of times: linear in the text.
 */
export function tokenize(text: string, from = 0, to = text.length): TagToken[] {
  const out: TagToken[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isSpaceCode(c)) {
      i++;
      continue;
    }
    const start = i;
    let n = isLetterCode(text, i);
    if (n > 0) {
      i += n;
      while (i < to) {
        const d = text.charCodeAt(i);
        n = isLetterCode(text, i);
        if (n > 0) i += n;
        else if (isDigitCode(d)) i++;
        else if ((d === 39 || d === 0x2019 || d === 45) && i + 1 < to && isLetterCode(text, i + 1) > 0) i++;
        else break;
      }
      out.push({ start, end: Math.min(i, to), kind: WORD });
    } else if (isDigitCode(c)) {
      while (i < to && isDigitCode(text.charCodeAt(i))) i++;
      out.push({ start, end: i, kind: NUMBER });
    } else {
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
      out.push({ start, end: i, kind: MARK });
    }
  }
  return out;
}

/** Lower-case words that join the words of one name ("van der", "of", "and"). */
const CONNECTORS: ReadonlySet<string> = new Set(
  "van der den de del della di da dos das du la le von zu bin al ibn y e of and the".split(" "),
);
const JOIN_MARKS: ReadonlySet<string> = new Set([".", ",", "&", "'", "-"]);

/** Word shape: upper X, lower x, digit d, others as written; runs of one class written once. */
function shapeOf(word: string): string {
  let out = "";
  let last = "";
  for (let i = 0; i < word.length && out.length < 6; i++) {
    const c = word.charCodeAt(i);
    let k: string;
    if (c >= 48 && c <= 57) k = "d";
    else if (c >= 65 && c <= 90) k = "X";
    else if (c >= 97 && c <= 122) k = "x";
    else if (c < 0x80) k = word[i] as string;
    else {
      const ch = word[i] as string;
      k = ch.toLowerCase() !== ch ? "X" : ch.toUpperCase() !== ch ? "x" : ch;
    }
    if (k !== last) out += k;
    last = k;
  }
  return out;
}

/** The model: sparse weights per feature, and where it came from. */
export interface NameTaggerModel {
  weights: ReadonlyMap<number, Float64Array>;
}

/** The file written by scripts/train-name-tagger.ts. */
export interface NameTaggerModelFile {
  format: "palisade-name-tagger/2";
  tags: readonly string[];
  scale: number;
  /** Feature key (featuresOf) → [tag index, weight × scale, tag index, weight × scale, ...]. */
  weights: Record<string, number[]>;
  /** Where the training data came from, its licence and digest, the seed (written by the trainer). */
  provenance?: Record<string, unknown>;
}

export function modelFromFile(file: NameTaggerModelFile): NameTaggerModel {
  if (file.format !== "palisade-name-tagger/2" || file.tags.join() !== TAGS.join())
    throw new Error("name tagger model: unknown format");
  const weights = new Map<number, Float64Array>();
  for (const [key, pairs] of Object.entries(file.weights)) {
    const feature = Number(key);
    const w = new Float64Array(NTAGS);
    for (let k = 0; k + 1 < pairs.length; k += 2) w[pairs[k] as number] = (pairs[k + 1] as number) / file.scale;
    weights.set(feature, w);
  }
  return { weights };
}

const MODEL_FILE = new URL("../../../rules/pii/name-tagger.json", import.meta.url);
let shipped: NameTaggerModel | undefined;

/** The shipped model, read once per process. */
export function loadNameTagger(): NameTaggerModel {
  shipped ??= modelFromFile(JSON.parse(readFileSync(MODEL_FILE, "utf8")) as NameTaggerModelFile);
  return shipped;
}

/** What the features of a sentence's tokens are built from, computed once per sentence. */
export interface Sentence {
  tokens: TagToken[];
  words: string[];
  lower: string[];
  /** Shapes and list flags, filled in when a feature first asks for them. */
  shapes: (string | undefined)[];
  gaz: (string | undefined)[];
  candidate: Uint8Array;
  connector: Uint8Array;
  places2: Uint8Array;
  /**
   * A word that may carry on a name after a name token besides a candidate: a capitalised word.
   * A lower-case word carries one on only as a connector ("van der"), never as "fan" in "a huge
   * Susan Lyons fan"; in a sentence without capitals only the listed words (candidates) and
   * connectors do ("maria keller", not "maria just").
   */
  follows: Uint8Array;
  hashes: (Int32Array | undefined)[];
  /** No word of the sentence is capitalised. */
  lowerCase: boolean;
  g: Gazetteer;
}

function gazFlags(word: string, lower: string, g: Gazetteer): string {
  let f = "";
  if (g.firstNames.has(word)) f += "F";
  if (g.lastNames.has(word)) f += "L";
  if (g.places.has(word)) f += "P";
  if (isStopWord(lower)) f += "S";
  if (isTitle(lower)) f += "T";
  if (isOrgSuffix(lower)) f += "O";
  if (STREET_SUFFIXES.has(lower)) f += "R";
  return f;
}

function capitalise(word: string): string {
  return (word[0] as string).toUpperCase() + word.slice(1);
}

function isUpperInitial(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 0x80) return c >= 65 && c <= 90;
  const first = String.fromCodePoint(word.codePointAt(0) as number);
  return first.toLowerCase() !== first;
}

/** The shape of token i (see shapeOf). */
function shapeAt(s: Sentence, i: number): string {
  let v = s.shapes[i];
  if (v === undefined) {
    const t = s.tokens[i] as TagToken;
    v = t.kind === WORD ? shapeOf(s.words[i] as string) : t.kind === NUMBER ? "d" : (s.words[i] as string);
    s.shapes[i] = v;
  }
  return v;
}

/** The list flags of token i: F first name, L surname, P place, S stop word, T title, O company suffix, R street type; `l` before them when the word is written in lower case. */
function gazAt(s: Sentence, i: number): string {
  let v = s.gaz[i];
  if (v === undefined) {
    const w = s.words[i] as string;
    if (s.tokens[i]?.kind !== WORD) v = "";
    else if (isUpperInitial(w)) v = gazFlags(w, s.lower[i] as string, s.g);
    else {
      const flags = gazFlags(capitalise(w), s.lower[i] as string, s.g);
      v = flags === "" ? "" : `l${flags}`;
    }
    s.gaz[i] = v;
  }
  return v;
}

/**
 * Whether a sentence has anything to tag (a candidate). Without one every token is outside a
 * name; most prose sentences open with a capitalised word and hold nothing else.
 */
function hasNameCandidate(s: Sentence): boolean {
  return s.candidate.includes(1);
}

/** Prepares a sentence (text[from, to)) for tagging. */
export function prepareSentence(text: string, from: number, to: number, g: Gazetteer): Sentence {
  const tokens = tokenize(text, from, to);
  const n = tokens.length;
  const words: string[] = new Array(n);
  const lower: string[] = new Array(n);
  const candidate = new Uint8Array(n);
  const connector = new Uint8Array(n);
  const places2 = new Uint8Array(n);
  const follows = new Uint8Array(n);
  const s: Sentence = {
    tokens,
    words,
    lower,
    shapes: new Array(n),
    gaz: new Array(n),
    candidate,
    connector,
    places2,
    follows,
    hashes: new Array(n),
    lowerCase: false,
    g,
  };
  for (let i = 0; i < n; i++) {
    const t = tokens[i] as TagToken;
    const w = text.slice(t.start, t.end);
    words[i] = w;
    const lw = w.toLowerCase();
    lower[i] = lw;
    if (t.kind === WORD) {
      if (isUpperInitial(w)) {
        if (!isStopWord(lw)) candidate[i] = 1;
      } else if (CONNECTORS.has(lw)) connector[i] = 1;
    } else if (t.kind === MARK && JOIN_MARKS.has(w)) connector[i] = 1;
    else if (t.kind === NUMBER) s.shapes[i] = "d";
  }
  // A sentence without a capitalised word (chat text written in lower case): the words the lists
  // know, no stop word among them, are the candidates.
  s.lowerCase = !words.some((w, i) => tokens[i]?.kind === WORD && isUpperInitial(w));
  for (let i = 0; i < n; i++) {
    if (tokens[i]?.kind !== WORD) continue;
    if (s.lowerCase ? !isStopWord(lower[i] as string) : isUpperInitial(words[i] as string)) follows[i] = 1;
  }
  if (s.lowerCase) {
    for (let i = 0; i < n; i++) {
      if (tokens[i]?.kind !== WORD) continue;
      if (/[FLP]/.test(gazAt(s, i)) && !isStopWord(lower[i] as string)) candidate[i] = 1;
    }
  }
  // A sentence's first word is capitalised anyway: a candidate when the name lists hold it or
  // the next word is a candidate too ("Johnny is", "Acme Corp").
  if (candidate[0] === 1 && candidate[1] !== 1 && !/[FL]/.test(gazAt(s, 0))) candidate[0] = 0;
  for (let i = 0; i + 1 < n; i++) {
    if (candidate[i] && candidate[i + 1]) {
      const pair = `${capitalise(words[i] as string)} ${capitalise(words[i + 1] as string)}`;
      if (g.places.has(pair)) {
        places2[i] = 1;
        places2[i + 1] = 2;
      }
    }
  }
  return s;
}

/** FNV-1a over a string's code units: features are hashed, never built as strings. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A feature's key: its template number and up to three hashed values, mixed into 30 bits. */
function mix(template: number, a: number, b = 0, c = 0): number {
  let h = Math.imul(template + 1, 0x9e3779b1);
  h = Math.imul(h ^ a, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ c, 0x27d4eb2d);
  h ^= h >>> 15;
  return h & 0x3fffffff;
}

const BOS = hashString("<s>");
const EOS = hashString("</s>");
const TAG_HASH = TAGS.map(hashString);

/** Hashes of a token's word, shape, list flags, last and first three letters, cached per sentence. */
function hashesAt(s: Sentence, k: number): Int32Array {
  let h = s.hashes[k];
  if (!h) {
    const lw = s.lower[k] as string;
    h = Int32Array.of(
      hashString(lw),
      hashString(shapeAt(s, k)),
      hashString(gazAt(s, k)),
      hashString(lw.slice(-3)),
      hashString(lw.slice(0, 3)),
    );
    s.hashes[k] = h;
  }
  return h;
}

function wordAt(s: Sentence, k: number, n: number): number {
  return k < 0 ? BOS : k >= n ? EOS : (hashesAt(s, k)[0] as number);
}

function shapeHashAt(s: Sentence, k: number, n: number): number {
  return k < 0 ? BOS : k >= n ? EOS : (hashesAt(s, k)[1] as number);
}

function flagsAt(s: Sentence, k: number, n: number): number {
  return k < 0 || k >= n ? 0 : (hashesAt(s, k)[2] as number);
}

/** Number of features per token. */
export const FEATURES = 24;
const featureBuffer = new Int32Array(FEATURES);

/**
 * The features of token i given the tag before it, as keys (the word, its shape, list flags,
 * affixes; the words and shapes around it; the tag before it, alone and with the word). The
 * returned array is reused by the next call.
 */
export function featuresOf(s: Sentence, i: number, prevTag: number): Int32Array {
  const n = s.tokens.length;
  const h = hashesAt(s, i);
  const lw = h[0] as number;
  const sh = h[1] as number;
  const gz = h[2] as number;
  const pt = TAG_HASH[prevTag] as number;
  const p1 = wordAt(s, i - 1, n);
  const n1 = wordAt(s, i + 1, n);
  const f = featureBuffer;
  f[0] = mix(0, 0);
  f[1] = mix(1, lw);
  f[2] = mix(2, h[3] as number);
  f[3] = mix(3, h[4] as number);
  f[4] = mix(4, sh);
  f[5] = mix(5, gz);
  f[6] = mix(6, gz, sh);
  f[7] = mix(7, i === 0 ? 1 : 0, sh, gz);
  f[8] = mix(8, p1);
  f[9] = mix(9, n1);
  f[10] = mix(10, wordAt(s, i - 2, n));
  f[11] = mix(11, wordAt(s, i + 2, n));
  f[12] = mix(12, p1, lw);
  f[13] = mix(13, p1, sh);
  f[14] = mix(14, n1, sh);
  f[15] = mix(15, shapeHashAt(s, i - 1, n), flagsAt(s, i - 1, n));
  f[16] = mix(16, shapeHashAt(s, i + 1, n), flagsAt(s, i + 1, n));
  f[17] = mix(17, flagsAt(s, i - 1, n), gz, flagsAt(s, i + 1, n));
  f[18] = mix(18, pt);
  f[19] = mix(19, pt, sh);
  f[20] = mix(20, pt, gz);
  f[21] = mix(21, pt, lw);
  f[22] = mix(22, s.places2[i] as number);
  f[23] = mix(23, s.connector[i] as number, s.candidate[i] as number);
  return f;
}

/** Whether token i is scored at all, given the tag before it. */
export function isCandidate(s: Sentence, i: number, prevTag: number): boolean {
  return s.candidate[i] === 1 || (prevTag !== 0 && (s.connector[i] === 1 || s.follows[i] === 1));
}

/** Whether tag t may follow tag p (an I- tag continues its own entity). */
export function allowed(p: number, t: number): boolean {
  if (t === 2 || t === 4 || t === 6) return p === t || p === t - 1;
  return true;
}

/** Adds the weights of `features` to `scores`. */
export function scoreInto(model: NameTaggerModel, features: Int32Array, scores: Float64Array): void {
  scores.fill(0);
  for (const f of features) {
    const w = model.weights.get(f);
    if (!w) continue;
    for (let t = 0; t < NTAGS; t++) scores[t] = (scores[t] as number) + (w[t] as number);
  }
}

/** Tags of a prepared sentence, greedy left to right, and the margin of each tag over the next best. */
export function tagSentence(model: NameTaggerModel, s: Sentence): { tags: Uint8Array; margins: Float64Array } {
  const n = s.tokens.length;
  const tags = new Uint8Array(n);
  const margins = new Float64Array(n);
  const scores = new Float64Array(NTAGS);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    if (!isCandidate(s, i, prev)) {
      prev = 0;
      continue;
    }
    scoreInto(model, featuresOf(s, i, prev), scores);
    let best = -1;
    let second = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < NTAGS; t++) {
      if (!allowed(prev, t)) continue;
      if (best < 0 || (scores[t] as number) > (scores[best] as number)) {
        if (best >= 0) second = Math.max(second, scores[best] as number);
        best = t;
      } else second = Math.max(second, scores[t] as number);
    }
    tags[i] = best;
    margins[i] = (scores[best] as number) - second;
    prev = best;
  }
  return { tags, margins };
}

export interface TaggedSpan {
  entity: string;
  start: number;
  end: number;
  /** The smallest margin of its tokens. */
  margin: number;
  /** Words in it, and how many of them the name lists hold. */
  words: number;
  listed: number;
}

/** Spans of a tagged sentence: each B- tag and the I- tags after it, less joining tokens at the end. */
export function spansOf(s: Sentence, tags: Uint8Array, margins: Float64Array): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  const n = s.tokens.length;
  let i = 0;
  while (i < n) {
    const t = tags[i] as number;
    if (t === 0 || t % 2 === 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && tags[j] === t + 1) j++;
    let last = j - 1;
    // A span ends on a word, or on the dot of an abbreviation ("Ltd.").
    while (last > i && s.connector[last] === 1 && (s.words[last] !== "." || s.tokens[last - 1]?.kind !== WORD)) last--;
    // A span of titles and function words alone ("Dr", "Why") names nobody.
    let named = false;
    for (let k = i; k <= last && !named; k++) {
      const w = s.words[k] as string;
      named = s.tokens[k]?.kind === WORD && !isStopWord(w) && !isTitle(w);
    }
    if (!named) {
      i = j;
      continue;
    }
    let margin = Number.POSITIVE_INFINITY;
    for (let k = i; k <= last; k++) margin = Math.min(margin, margins[k] as number);
    const start = (s.tokens[i] as TagToken).start;
    const end = (s.tokens[last] as TagToken).end;
    // A word opening a street name ("Lange Nieuwstraat 5", "Grote Markt 11") is the address
    // grammar's to read.
    if (opensStreet(s, last + 1)) {
      i = j;
      continue;
    }
    let words = 0;
    let listed = 0;
    for (let k = i; k <= last; k++) {
      if (s.tokens[k]?.kind !== WORD) continue;
      words++;
      if (/[FL]/.test(gazAt(s, k))) listed++;
    }
    // In lower case many listed names are ordinary words ("fine", "said"): one word is not enough.
    if (end - start <= TAGGER_SPAN_MAX && !(s.lowerCase && words < 2))
      out.push({ entity: ENTITY_OF[t] as string, start, end, margin, words, listed });
    i = j;
  }
  return out;
}

/** Street types written as the end of one word ("Nieuwstraat", "Lindenweg", "Hauptstraße"). */
const STREET_END = /(?:straat|straße|strasse|weg|gasse|platz|allee|laan|gracht|plein|vej|gade|gatan|vägen|veien)$/u;

/** Whether token k (a word) and the tokens after it are a street: a street type, or a word before a house number. */
function opensStreet(s: Sentence, k: number): boolean {
  const t = s.tokens[k];
  if (t?.kind !== WORD) return false;
  const lw = s.lower[k] as string;
  if (STREET_SUFFIXES.has(lw) || STREET_END.test(lw)) return true;
  return isUpperInitial(s.words[k] as string) && s.tokens[k + 1]?.kind === NUMBER;
}

/** Spans the model finds in text, sentence by sentence (sentences over SENTENCE_MAX are skipped). */
export function tagText(model: NameTaggerModel, text: string, g: Gazetteer): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  for (const [start, end] of sentencesOf(text)) {
    if (end - start > SENTENCE_MAX || !worthTagging(text, start, end, g)) continue;
    const s = prepareSentence(text, start, end, g);
    if (!hasNameCandidate(s)) continue;
    const { tags, margins } = tagSentence(model, s);
    for (const span of spansOf(s, tags, margins)) out.push(span);
  }
  return out;
}

/**
 * A cheap look before tokenising: false when the sentence has no letter, or no capitalised word
 * but stop words and an unlisted first word, where prepareSentence would find no candidate either.
 */
function worthTagging(text: string, start: number, end: number, g: Gazetteer): boolean {
  let letters = false;
  let upper = false;
  let firstWord: string | undefined;
  let wordStart = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const isLetter = c < 0x80 ? (c | 32) >= 97 && (c | 32) <= 122 : isLetterCode(text, i) > 0;
    if (!isLetter) {
      if (c !== 39 && c !== 0x2019 && c !== 45 && !(c >= 48 && c <= 57)) wordStart = -1;
      continue;
    }
    letters = true;
    if (wordStart >= 0) continue;
    wordStart = i;
    const cap = c < 0x80 ? c >= 65 && c <= 90 : isUpperInitial(text.slice(i, i + 2));
    if (!cap) continue;
    upper = true;
    // The word as the tokeniser reads it ("O'Brien", "Jean-Luc").
    let j = i + 1;
    while (j < end) {
      const d = text.charCodeAt(j);
      if (isLetterCode(text, j) > 0) j++;
      else if ((d === 39 || d === 0x2019 || d === 45) && j + 1 < end && isLetterCode(text, j + 1) > 0) j += 2;
      else break;
    }
    const word = text.slice(i, j);
    if (firstWord === undefined && text.slice(start, i).trim() === "") {
      firstWord = word;
      continue;
    }
    if (!isStopWord(word.toLowerCase())) return true;
  }
  if (!letters) return false;
  if (!upper) return true;
  return firstWord !== undefined && (g.firstNames.has(firstWord) || g.lastNames.has(firstWord));
}

/** How a span's margin becomes a score, per entity (see createNameTaggerRecognizer). */
export interface EntityScoring {
  /** Score of a span whose smallest margin is at least `sure` (0: not reported). */
  sureScore: number;
  /** Score of the others (0: not reported). */
  score: number;
  sure: number;
  /** Margin a span of one word no name list holds needs to be reported at all (default: none). */
  lone?: number;
}
export type TaggerScoring = Readonly<Record<string, EntityScoring>>;

/**
 * Chosen by cross-validation on generated_large.json (bench/pii-tagger-cv.ts, folds by template,
 * with our own generated sentences in every fold's training data): people, places and
 * organisations the rules miss are added; a lone unlisted person or organisation word needs a
 * large margin, a place does not (places.txt is the list a lone place is checked against, and the
 * tagger's lone places were right more often than not). Scores are under the rules' confident spans.
 */
export const DEFAULT_TAGGER_SCORING: TaggerScoring = {
  PERSON: { sureScore: 0.6, score: 0.52, sure: 2, lone: 10 },
  LOCATION: { sureScore: 0.6, score: 0.52, sure: 2 },
  ORGANIZATION: { sureScore: 0.6, score: 0.52, sure: 2, lone: 10 },
};

/** The tagger as a recogniser; its spans merge with the others' by score (best span wins). */
export function createNameTaggerRecognizer(
  loadModel: () => NameTaggerModel,
  load: () => Gazetteer,
  scoring: TaggerScoring = DEFAULT_TAGGER_SCORING,
): Recognizer {
  return {
    id: "name-tagger",
    entities: ["PERSON", "LOCATION", "ORGANIZATION"],
    maxLength: TAGGER_SPAN_MAX,
    hold: createTaggerHold(loadModel, load),
    recognize(text) {
      const out: Detection[] = [];
      const g = load();
      for (const s of tagText(loadModel(), text, g)) {
        const rule = scoring[s.entity];
        const score = !rule ? 0 : s.margin >= rule.sure ? rule.sureScore : rule.score;
        if (score <= 0) continue;
        if (rule?.lone !== undefined && s.words === 1 && s.listed === 0 && s.margin < rule.lone) continue;
        let end = s.end;
        if (s.entity === "PERSON") {
          end = personEnd(text, s.start, s.end, g);
          if (end < 0) continue;
        }
        // Glued to digits by a hyphen, slash or underscore ("EMP-204816", "INV/2026"), the span is
        // the letters of an identifier, whatever its entity.
        if (isGluedToCode(text, s.start, s.end)) continue;
        out.push({
          entity: s.entity,
          start: s.start,
          end,
          score,
          detector: "pii",
          ruleId: `tagger-${s.entity.toLowerCase()}`,
          reasons: [`tagger:${Math.round(s.margin * 100) / 100}`],
        });
      }
      return out;
    },
  };
}

/**
 * Streaming hold for the tagger. Sentences before the last are final. In the last one a token's
 * tag depends on the two tokens after it (its features) and the tag before it, and the last two
 * tokens may still merge ("Jean-" and "Luc"), so the last four tokens are open. Held from the
 * sentence's start instead when what is already there may still change: when a token before
 * those is tagged part of a name (the sentence may yet grow past SENTENCE_MAX and never be
 * tagged), or when it has no capital letter and a candidate (a capital arriving later ends the
 * lower-case reading).
 */
export function createTaggerHold(loadModel: () => NameTaggerModel, load: () => Gazetteer): RecognizerHold {
  return {
    openFrom(text) {
      const start = lastSentenceStart(text);
      if (start < 0) return text.length;
      const g = load();
      // Nothing is tagged without a candidate, and nothing already there can become one but the
      // last word, which may still grow (or join the one before it across "-" or "'"), and the
      // first, which the second makes a candidate.
      const untagged = (tokens: readonly TagToken[]) => {
        let last = tokens.length - 1;
        const t = tokens[last] as TagToken;
        if (last > 0 && t.kind === MARK && /^['’-]$/u.test(text.slice(t.start, t.end))) last--;
        return (tokens[last <= 1 ? 0 : last] as TagToken).start;
      };
      if (!worthTagging(text, start, text.length, g)) {
        const tokens = tokenize(text, start, text.length);
        return tokens.length === 0 ? text.length : untagged(tokens);
      }
      const s = prepareSentence(text, start, text.length, g);
      const n = s.tokens.length;
      if (n === 0) return text.length;
      if (!hasNameCandidate(s)) return untagged(s.tokens);
      const firstOpen = Math.max(0, n - OPEN_TOKENS);
      if (s.lowerCase) return start;
      const { tags } = tagSentence(loadModel(), s);
      for (let i = 0; i < firstOpen; i++) if (tags[i] !== 0) return start;
      return (s.tokens[firstOpen] as TagToken).start;
    },
    // A line break, or the white space after a sentence's end: no span reads across either.
    isBreak(text, at) {
      const c = text.charCodeAt(at);
      return c === 10 || ((c === 32 || c === 9 || c === 13) && at > 0 && isSentenceEnd(text, at - 1));
    },
  };
}

/** Tokens at the end of an unfinished sentence whose tags may still change (see createTaggerHold). */
const OPEN_TOKENS = 4;

/**
 * Where a person the tagger found in text[start, end) ends, or -1 when it is none: a street
 * ("Corso Italia") or a code ("Facture FA-2026-…") is no person, and a role in capitals after
 * the name is no part of it ("John Smith CEO"); what is left must hold a listed name.
 */
function personEnd(text: string, start: number, end: number, g: Gazetteer): number {
  const words = [...text.slice(start, end).matchAll(/\S+/gu)];
  const bare = words.map((w) => w[0]);
  if (hasStreetType(bare, g.firstNames)) return -1;
  const kept = nameWordCount(bare, text.slice(end, end + 2));
  if (kept === 0) return -1;
  if (kept === words.length) return end;
  const left = bare.slice(0, kept).map((w) => w.replace(/[.,]$/u, ""));
  if (!left.some((w) => g.firstNames.has(w) || g.lastNames.has(w))) return -1;
  const last = words[kept - 1] as RegExpMatchArray;
  return start + (last.index as number) + last[0].length;
}
