/**
 * Gazetteer recognisers for PERSON, LOCATION, STREET_ADDRESS and ORGANIZATION: runs of
 * capitalised words checked against name and place lists (rules/pii/*.txt, built from open data
 * by scripts/build-gazetteer.ts), with titles, street and company suffixes and context words.
 * No model is downloaded; this is the best in-process method without one, and it misses names
 * written in lower case or absent from the lists (see docs/detectors.md for measured figures).
 */
import { readFileSync } from "node:fs";
import type { Detection } from "../detection.js";
import { createContextMatcher, wordsOf } from "../words.js";
import { contextWindow } from "./recognizer.js";

export interface Gazetteer {
  firstNames: ReadonlySet<string>;
  lastNames: ReadonlySet<string>;
  places: ReadonlySet<string>;
}

const RULES = new URL("../../../rules/pii/", import.meta.url);
let cached: Gazetteer | undefined;

/** The shipped gazetteer, read once per process. */
export function loadGazetteer(): Gazetteer {
  if (!cached) {
    const read = (name: string) =>
      new Set(
        readFileSync(new URL(name, RULES), "utf8")
          .split("\n")
          .filter((l) => l !== ""),
      );
    cached = { firstNames: read("first-names.txt"), lastNames: read("last-names.txt"), places: read("places.txt") };
  }
  return cached;
}

const TITLES = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "dr",
  "prof",
  "sir",
  "madam",
  "herr",
  "frau",
  "mme",
  "mlle",
  "sr",
  "sra",
  "don",
  "madame",
  "monsieur",
  "signora",
  "signor",
  "señora",
  "señor",
  "mevrouw",
  "meneer",
]);
const PERSON_CONTEXT = createContextMatcher([
  "name",
  "named",
  "called",
  "dear",
  "hi",
  "hello",
  "thanks",
  "regards",
  "sincerely",
  "contact",
  "from",
  "by",
  "with",
  "customer",
  "client",
  "patient",
  "employee",
  "manager",
  "my name is",
  "i am",
  "this is",
  "signed",
  "attn",
  "cc",
  // salutations in German, French, Spanish, Italian and Dutch
  "liebe",
  "lieber",
  "geehrte",
  "geehrter",
  "cher",
  "chère",
  "bonjour",
  "estimada",
  "estimado",
  "hola",
  "gentile",
  "caro",
  "cara",
  "buongiorno",
  "beste",
  "geachte",
  "hallo",
]);
/** Street types written after the name ("Clarke Avenue"), in several languages. */
export const STREET_SUFFIXES = new Set([
  "street",
  "st",
  "avenue",
  "ave",
  "road",
  "rd",
  "lane",
  "ln",
  "drive",
  "dr",
  "way",
  "boulevard",
  "blvd",
  "court",
  "ct",
  "place",
  "pl",
  "square",
  "sq",
  "parkway",
  "pkwy",
  "highway",
  "hwy",
  "terrace",
  "crescent",
  "close",
  "circle",
  "trail",
  "alley",
  "row",
  "walk",
  "plaza",
  "strasse",
  "straße",
  "weg",
  "gasse",
  "platz",
  "rue",
  "allée",
  "calle",
  "avenida",
  "via",
  "viale",
  "piazza",
  "rua",
  "travessa",
  "vej",
  "gade",
  "katu",
  "tie",
  "tér",
  "utca",
  "ulica",
  "straat",
  "laan",
  "gracht",
  "gatan",
  "vägen",
  "forges",
  "parks",
  "extension",
  "mews",
  "gardens",
  "grove",
  "heights",
  "hills",
  "loop",
]);
/** Street types written before the name in Romance languages ("Rue Lafayette", "Calle Mayor"). */
const STREET_PREFIXES = new Set([
  "rue",
  "calle",
  "via",
  "viale",
  "avenida",
  "rua",
  "travessa",
  "piazza",
  "plaza",
  "avenue",
  "boulevard",
  "allée",
  "chemin",
  "route",
  "camino",
  "paseo",
  "largo",
  "praça",
  "place",
]);
/** Germanic compounds end in the street type ("Lindenweg", "Hauptstraße", "Kalverstraat"). */
const STREET_COMPOUND =
  /(?:weg|straße|strasse|str|gasse|platz|allee|ring|damm|laan|straat|gracht|plein|vej|gade|gatan|vägen|katu|tie|veien|gata)$/;
const STREET_ABBREVIATIONS = new Set(["st", "ave", "rd", "ln", "dr", "blvd", "ct", "pl", "sq", "pkwy", "hwy", "str"]);

function isStreetName(lower: readonly string[]): boolean {
  const first = lower[0] ?? "";
  const last = lower[lower.length - 1] ?? "";
  return STREET_SUFFIXES.has(last) || (lower.length >= 2 && STREET_PREFIXES.has(first)) || STREET_COMPOUND.test(last);
}

const ORG_SUFFIXES = new Set([
  "inc",
  "incorporated",
  "corp",
  "corporation",
  "co",
  "company",
  "ltd",
  "limited",
  "llc",
  "llp",
  "plc",
  "gmbh",
  "ag",
  "sa",
  "sas",
  "sarl",
  "srl",
  "spa",
  "bv",
  "nv",
  "ab",
  "as",
  "oy",
  "kg",
  "group",
  "holdings",
  "bank",
  "university",
  "institute",
  "foundation",
  "association",
  "partners",
  "technologies",
  "systems",
  "solutions",
  "labs",
  "ministry",
]);

const PLACE_CONTEXT = new Set([
  "in",
  "at",
  "from",
  "to",
  "city",
  "country",
  "near",
  "visit",
  "live",
  "lives",
  "located",
  "moved",
  "town",
  "village",
  "region",
]);

/** A capitalised word (letters, apostrophes, inner hyphens), with an optional trailing period. */
const CAP_WORD = /\p{Lu}[\p{L}\p{M}'’]*(?:-\p{Lu}?[\p{L}\p{M}'’]+)*\.?/u;
const MAX_RUN = 5;
/** A house number ("12", "17b", "4-6") and the space after it, right before a street name. */
const HOUSE_NUMBER = /\d[\dA-Za-z-]{0,6}\s$/;
/** Lower-case particles that may stand between two words of one name ("van der", "de la"). */
const PARTICLES = new Set("van der den de del della di da dos das du la le von zu bin al ibn y e".split(" "));

/** Longest particle, in characters. */
const PARTICLE_MAX = 5;

/**
 * True when text[from, to) joins two words of one name: a space, or spaces around particles
 * (` van der `). Walks the gap word by word and stops at the first other word, so the cost is
 * bounded by that word, not the gap (in prose the gap is the rest of a sentence).
 */
function isJoiner(text: string, from: number, to: number): boolean {
  if (text.charCodeAt(from) !== 32) return false;
  let at = from + 1;
  while (at < to) {
    let space = at;
    while (space < to && space - at <= PARTICLE_MAX && text.charCodeAt(space) !== 32) space++;
    if (space === to || text.charCodeAt(space) !== 32 || !PARTICLES.has(text.slice(at, space))) return false;
    at = space + 1;
  }
  return at === to;
}

interface Token {
  text: string;
  bare: string;
  start: number;
  end: number;
}

/** Longest span the gazetteer reports (five words of up to ~20 characters). */
export const GAZETTEER_MAX_SPAN = 120;

export function recognizeWithGazetteer(text: string, gazetteer: Gazetteer, contextReach: number): Detection[] {
  const out: Detection[] = [];
  forEachCapitalisedRun(text, (run) => {
    for (const detection of classifyRun(text, run, gazetteer, contextReach)) out.push(detection);
  });
  return out;
}

/**
 * Runs of capitalised words separated by a space or lower-case particles ("van der"), each
 * handed over as soon as it ends, so memory stays bounded by one run whatever the text.
 */
function forEachCapitalisedRun(text: string, onRun: (run: Token[]) => void): void {
  let current: Token[] = [];
  const flush = () => {
    if (current.length > 0) onRun(current);
    current = [];
  };
  const words = new RegExp(CAP_WORD.source, "gu");
  for (let match = words.exec(text); match !== null; match = words.exec(text)) {
    const start = match.index;
    // Only whole words: "McDonald" yes, the "D" inside it no (the regex consumed it already),
    // "iPhone" no.
    if (start > 0 && isLetterOrDigit(text.charCodeAt(start - 1))) continue;
    // "Liam's": the possessive is not part of the name.
    const word = withoutPossessive(match[0]);
    const bare = word.endsWith(".") ? word.slice(0, -1) : word;
    const last = current[current.length - 1];
    if (last && !isJoiner(text, last.end, start)) flush();
    current.push({ text: word, bare, start, end: start + word.length });
    if (current.length > MAX_RUN) current.shift();
    if (word.endsWith(".") && !TITLES.has(bare.toLowerCase()) && !ORG_SUFFIXES.has(bare.toLowerCase())) flush();
  }
  flush();
}

/** The word without a trailing possessive `'s` or `’s` ("Liam's" is "Liam"). */
function withoutPossessive(word: string): string {
  const n = word.length;
  if (n < 2 || word.charCodeAt(n - 1) !== 115) return word;
  const quote = word.charCodeAt(n - 2);
  return quote === 39 || quote === 0x2019 ? word.slice(0, -2) : word;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isLetterOrDigit(code: number): boolean {
  if (code < 0x80) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  // A lone surrogate half tests false, as the single code unit did before.
  return LETTER_OR_DIGIT.test(String.fromCharCode(code));
}

/**
 * Capitalised words that are not a name or a place on their own: each language's most frequent
 * function words and the salutations written before a name (rules/pii/stop-words.txt, where the
 * list's source is stated). Lower case; name particles ("De", "Van", "Di") are not among them.
 */
let stopWords: ReadonlySet<string> | undefined;
function loadStopWords(): ReadonlySet<string> {
  stopWords ??= new Set(
    readFileSync(new URL("stop-words.txt", RULES), "utf8")
      .split("\n")
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== "" && !l.startsWith("#")),
  );
  return stopWords;
}

/** Whether a capitalised word is a stop word ("Per", "Bon", "Gentile"). */
export function isStopWord(word: string): boolean {
  return loadStopWords().has(word.toLowerCase());
}

function classifyRun(text: string, run: Token[], g: Gazetteer, reach: number): Detection[] {
  // "Gentile Elisa Marchetti", "Per Lorenzo": a stop word opening a run is not part of the name.
  while (run.length > 1 && isStopWord((run[0] as Token).bare) && !TITLES.has((run[0] as Token).bare.toLowerCase()))
    run = run.slice(1);
  // Most runs are a capitalised word at a sentence start: reject those before any real work.
  if (run.length === 1) {
    const only = withoutPossessive((run[0] as Token).bare);
    if (isStopWord(only)) return [];
    const known = g.firstNames.has(only) || g.lastNames.has(only) || g.places.has(only);
    if (!known && !STREET_COMPOUND.test(only.toLowerCase())) return [];
  }
  const lower = run.map((t) => t.bare.toLowerCase());
  const start = run[0]?.start ?? 0;
  const end = run[run.length - 1]?.end ?? 0;
  // A house number is at most 8 characters before the name; searching only there keeps this
  // constant per run (a search over text.slice(0, start) costs the whole text before it).
  const before = Math.max(0, start - 8);
  const numberAt = text.slice(before, start).search(HOUSE_NUMBER);
  const precedingNumber = numberAt >= 0;
  const lastWord = lower[lower.length - 1] ?? "";

  if (precedingNumber && isStreetName(lower)) {
    const numberStart = before + numberAt;
    const last = run[run.length - 1] as Token;
    // "Avenue." at a sentence end: the period is punctuation; "St." keeps it.
    const streetEnd = last.text.endsWith(".") && !STREET_ABBREVIATIONS.has(lastWord) ? end - 1 : end;
    return [span("STREET_ADDRESS", numberStart, streetEnd, 0.8, "street-address", ["street-suffix"])];
  }
  // "Order AB-123456": a suffix glued to a code by a hyphen or a digit is part of the code.
  const afterRun = text.charCodeAt(end);
  const gluedToCode = afterRun === 45 || (afterRun >= 48 && afterRun <= 57);
  if (run.length >= 2 && ORG_SUFFIXES.has(lastWord) && !gluedToCode) {
    return [span("ORGANIZATION", start, end, 0.75, "organization-suffix", ["org-suffix"])];
  }

  // Titles are not part of the name, but they make what follows one.
  let from = 0;
  let titled = false;
  while (from < run.length && TITLES.has(lower[from] ?? "")) {
    from++;
    titled = true;
  }
  // The line after a closing ("Kind regards,\n", "Mit freundlichen Grüßen\n") is the signer's
  // name: two or three capitalised words of which one is a known name, first names unlisted too.
  if (!titled && run.length >= 2 && run.length <= 3 && isAfterClosing(text, start)) {
    const words = run.map((t) => withoutPossessive(t.bare));
    if (words.some((w) => g.firstNames.has(w) || g.lastNames.has(w))) {
      const nameEnd = text[end - 1] === "." ? end - 1 : end;
      return [span("PERSON", start, nameEnd, 0.85, "person-gazetteer", ["gazetteer:name", "signature"])];
    }
  }
  // "Email Donald Voet": a capitalised word before the first known name is not part of it.
  if (!titled) {
    const firstKnown = run.findIndex((t) => g.firstNames.has(t.bare) || g.lastNames.has(t.bare));
    if (firstKnown > 0) from = firstKnown;
  }
  const names = run.slice(from).map((t) => withoutPossessive(t.bare));
  if (names.length === 0) return [];
  const isFirst = names.map((n) => g.firstNames.has(n));
  const isLast = names.map((n) => g.lastNames.has(n));
  const known = names.map((_, k) => isFirst[k] || isLast[k]);
  const placeText = names.join(" ");

  const isPlace = g.places.has(placeText);
  const placeContext = isPlace && wordsOf(contextWindow(text, start, end, reach)).some((w) => PLACE_CONTEXT.has(w));
  const looksLikeName = names.length > 1 ? isFirst[0] && isLast[names.length - 1] : isFirst[0] && !placeContext;
  if (isPlace && !looksLikeName) {
    const score = placeText.includes(" ") || placeContext ? 0.7 : 0.55;
    // "Tell me about Germany." — the sentence's full stop is not part of the place.
    const placeEnd = text[end - 1] === "." && (run[run.length - 1]?.bare.length ?? 0) > 1 ? end - 1 : end;
    return [span("LOCATION", run[from]?.start ?? start, placeEnd, score, "location-gazetteer", ["gazetteer:place"])];
  }

  const nameStart = run[from]?.start ?? start;
  const knownCount = known.filter(Boolean).length;
  if (knownCount === 0) return [];
  let score: number;
  if (names.length >= 2 && isFirst[0] && (isLast[names.length - 1] || knownCount >= 2)) score = 0.85;
  else if (names.length >= 2 && knownCount >= 1) score = 0.6;
  else if (isFirst[0])
    score = 0.55; // a lone first name ("Johnny is ...") is still a name
  else score = 0.35; // a lone surname needs a title or context
  const reasons = ["gazetteer:name"];
  if (titled) {
    score += 0.3;
    reasons.push("title");
  } else {
    const hit = PERSON_CONTEXT.find(wordsOf(contextWindow(text, nameStart, end, reach)));
    if (hit) {
      score += 0.2;
      reasons.push(`context:${hit}`);
    }
  }
  const nameEnd = text[end - 1] === "." && (run[run.length - 1]?.bare.length ?? 0) > 1 ? end - 1 : end;
  return [span("PERSON", nameStart, nameEnd, Math.min(1, score), "person-gazetteer", reasons)];
}

/** Closing formulas of a letter or e-mail, in English, German, French, Spanish, Italian and Dutch. */
const CLOSING =
  /(?:regards|sincerely|thanks|thank you|cheers|best|grüßen|grüße|gruß|cordialement|salutations|saludos|saludo|atentamente|saluti|cordialmente|groet|groeten)[,.!]?[ \t]*\r?\n[ \t]*$/iu;

/** Whether the line before `start` is a closing formula ("Kind regards,"). */
function isAfterClosing(text: string, start: number): boolean {
  return CLOSING.test(text.slice(Math.max(0, start - 32), start));
}

function span(entity: string, start: number, end: number, score: number, ruleId: string, reasons: string[]): Detection {
  return { entity, start, end, score: Math.round(score * 1000) / 1000, detector: "pii", ruleId, reasons };
}
