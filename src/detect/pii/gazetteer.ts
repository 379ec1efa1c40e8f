/**
 * Gazetteer recognisers for PERSON, LOCATION, STREET_ADDRESS and ORGANIZATION: runs of
 * capitalised words checked against name and place lists (rules/pii/*.txt, built from open data
 * by scripts/build-gazetteer.ts), with titles, street and company suffixes and context words.
 * Context phrases ("my name is", "lives in", "works at") and lists of names cover some words the
 * lists lack, and lines written all in lower case get a second reading (`recognizeLowerCaseLines`).
 * No model is downloaded; this is the best in-process method without one, and it still misses most
 * names absent from the lists (see docs/detectors.md for measured figures).
 */
import { readFileSync } from "node:fs";
import type { Detection } from "../detection.js";
import { createContextMatcher, wordsOf } from "../words.js";
import { contextWindow, type RecognizerHold } from "./recognizer.js";

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
  // Nouns that close a company's or an institution's name ("Kroll Bond Ratings Agency").
  "agency",
  "associates",
  "consulting",
  "enterprises",
  "industries",
  "insurance",
  "international",
  "laboratories",
  "networks",
  "research",
  "services",
  "software",
  "ventures",
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
  return recognizeCased(text, gazetteer, contextReach);
}

/** Longest line read for names in lower case; longer lines are left to the cased rules. */
export const LOWER_CASE_LINE_MAX = 320;

/**
 * Names and places in lines written all in lower case ("said petra to michael"), each line on
 * its own so a streamed text gets the same answer as the whole: a line counts once it ends (or the
 * text does) and has no capital letter and at most LOWER_CASE_LINE_MAX characters.
 */
export function recognizeLowerCaseLines(text: string, gazetteer: Gazetteer, contextReach: number): Detection[] {
  const out: Detection[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start <= LOWER_CASE_LINE_MAX) {
      const line = text.slice(start, end);
      if (/\p{Ll}/u.test(line) && !/\p{Lu}/u.test(line)) {
        for (const d of recognizeLowerCase(line, gazetteer, contextReach))
          out.push({ ...d, start: d.start + start, end: d.end + start });
      }
    }
    start = end + 1;
  }
  return out;
}

/**
 * Streaming hold for lower-case lines: the last line is open while it has no capital letter and
 * may still be at most LOWER_CASE_LINE_MAX long, from its first word the lists would capitalise
 * (every match starts at one); a line break ends every match.
 */
export function createLowerCaseHold(load: () => Gazetteer): RecognizerHold {
  return {
    openFrom(text) {
      const start = text.lastIndexOf("\n") + 1;
      if (text.length - start > LOWER_CASE_LINE_MAX) return text.length;
      const line = text.slice(start);
      if (/\p{Lu}/u.test(line)) return text.length;
      const g = load();
      const words = /\p{Ll}[\p{Ll}\p{M}'’-]*/gu;
      for (let m = words.exec(line); m !== null; m = words.exec(line)) {
        // The last word may still grow into a listed one.
        if (m.index + m[0].length === line.length || isCapitalisedWhenLower(m[0], g)) return start + m.index;
      }
      return text.length;
    },
    isBreak(text, at) {
      return text[at] === "\n";
    },
  };
}

/** Whether a lower-case reading capitalises a word: a listed name, place or title. */
function isCapitalisedWhenLower(word: string, g: Gazetteer): boolean {
  const head = (word[0] as string).toUpperCase();
  if (head.length !== 1) return false;
  const capital = head + word.slice(1);
  const known = g.firstNames.has(capital) || g.lastNames.has(capital) || g.places.has(capital) || TITLES.has(word);
  return known && !isStopWord(word) && !LOWER_CASE_WORDS.has(word);
}

/**
 * Whether a reason says the words right before a name name one: the name-phrase rule, or a
 * context phrase ("my name is", not one word such as "with") written right before `start`.
 */
function isNamingContext(reason: string, text: string, start: number): boolean {
  if (reason.startsWith("context:name")) return true;
  if (!reason.startsWith("context:") || !reason.includes(" ")) return false;
  const phrase = reason.slice("context:".length);
  return text.slice(Math.max(0, start - phrase.length - 1), start).toLowerCase() === `${phrase} `;
}

/**
 * English words that follow a name in a sentence and are no surname: auxiliaries, frequent verbs
 * and adverbs (the stop words hold only the closed classes of each language).
 */
const COMMON_AFTER_NAME: ReadonlySet<string> = new Set(
  (
    "is was are were be been being has have had do does did will would can could shall should may might must " +
    "just also not never always still only even now then again too very really please thanks thank time " +
    "says said told asks asked wants wanted needs needed likes liked loves loved thinks thought knows knew " +
    "gets got goes went comes came makes made takes took gives gave sees saw calls called works worked lives " +
    "lived seems seemed feels felt tries tried uses used writes wrote sent sends"
  ).split(" "),
);

/** A lower-case word right after a name, up to the next non-letter. */
const NEXT_LOWER_WORD = /^ (\p{Ll}[\p{Ll}\p{M}'’-]{1,30})(?![\p{L}\p{M}])/u;

/**
 * In lower-case text, a listed first name that the words before it name a person ("my name is
 * janice beneventi", "follow up with jessica kadyrov") takes the word after it as its surname
 * when no list holds that word and it is not a function word.
 */
function withUnlistedSurname(cased: string, d: Detection, g: Gazetteer): Detection {
  if (d.entity !== "PERSON" || !d.reasons.some((r) => isNamingContext(r, cased, d.start))) return d;
  const name = cased.slice(d.start, d.end);
  if (name.includes(" ") || !g.firstNames.has(name)) return d;
  const next = NEXT_LOWER_WORD.exec(cased.slice(d.end, d.end + 34));
  const written = next?.[1];
  // "ashley spencer's": the possessive is not part of the name.
  const word = written && /['’]s$/u.test(written) ? written.slice(0, -2) : written;
  if (!word || word.length < 2 || isStopWord(word) || LOWER_CASE_WORDS.has(word) || COMMON_AFTER_NAME.has(word))
    return d;
  const capital = (word[0] as string).toUpperCase() + word.slice(1);
  if (g.places.has(capital)) return d;
  return { ...d, end: d.end + 1 + word.length, reasons: [...d.reasons, "unlisted-surname"] };
}

/** Names that are also frequent English verbs or nouns written in lower case ("said", "says"). */
const LOWER_CASE_WORDS = new Set(["said", "says", "royal", "princess", "prince", "baby", "sung", "long", "young"]);

/**
 * Text written all in lower case ("said petra to michael"): the words the lists know (names,
 * places, titles) are capitalised in a copy of the same length, which the cased rules then read.
 * Many names are ordinary words too ("faith", "park"), so only the evidence that survives case
 * counts: a first and last name together, a title or a name phrase, a place of several words or
 * after "in", "from".
 */
function recognizeLowerCase(text: string, g: Gazetteer, contextReach: number): Detection[] {
  const cased = text.replace(/\p{Ll}[\p{Ll}\p{M}'’-]*/gu, (word) =>
    isCapitalisedWhenLower(word, g) ? (word[0] as string).toUpperCase() + word.slice(1) : word,
  );
  return recognizeCased(cased, g, contextReach)
    .map((d) => withUnlistedSurname(cased, d, g))
    .filter((d) => {
      const words = cased.slice(d.start, d.end).split(" ").length;
      if (d.entity === "PERSON")
        return (
          (words >= 2 && d.score >= 0.85) ||
          d.reasons.some((r) => r === "title" || r === "enumeration" || isNamingContext(r, cased, d.start))
        );
      if (d.entity === "LOCATION") return words >= 2 || d.score >= 0.7;
      return false;
    });
}

function recognizeCased(text: string, gazetteer: Gazetteer, contextReach: number): Detection[] {
  const out: Detection[] = firmsOf(text, gazetteer);
  // The last run, its name candidate if any, for enumerations ("Kovalev, Lee and Phillips").
  let previous:
    | { run: Token[]; person: Detection | undefined; unknown: boolean; empty: boolean; weakPlace: boolean }
    | undefined;
  // The last run if it ends with an institution's head word ("Bank", "University"), for "of".
  let head: Token[] | undefined;
  forEachCapitalisedRun(text, (run) => {
    const institution = institutionOf(text, head, run);
    if (institution) out.push(institution);
    head = undefined;
    const lastBare = (run[run.length - 1] as Token).bare;
    if (INSTITUTION_HEADS.has(lastBare.toLowerCase())) {
      head = run;
      // Below every threshold: it only keeps a stream holding "Bank of" until what follows arrives.
      const from = run.find((t) => !isStopWord(t.bare)) ?? (run[0] as Token);
      const end = (run[run.length - 1] as Token).end;
      out.push(span("ORGANIZATION", from.start, end, 0.3, "organization-head", ["org-head"]));
    }
    // Most runs are one capitalised function word at a sentence start ("The", "We"): nothing to do.
    if (run.length === 1 && isStopWord((run[0] as Token).bare)) {
      previous = undefined;
      return;
    }
    let found = placeTypeOf(classifyRun(text, run, gazetteer, contextReach), text);
    // A lone surname or first name the lists give a low score, or a lone word taken for a place,
    // may still be named by its context.
    if (found.every((d) => (d.entity === "PERSON" || d.entity === "LOCATION") && d.score < ENUMERATED_SCORE)) {
      const named = nameByContext(text, run, gazetteer);
      if (named.length > 0) found = named;
    }
    // "Gregorina's addr…": below every threshold, it holds a stream until the word after the
    // possessive, which may make the run a name, is complete.
    const lastToken = run[run.length - 1] as Token;
    if (found.length === 0 && isPossessiveAt(text, lastToken.end))
      out.push(span("PERSON", (run[0] as Token).start, lastToken.end, 0.3, "person-context", ["possessive"]));
    const organization = organizationByContext(text, run, gazetteer);
    if (organization) out.push(organization);
    const place = placeByContext(text, run);
    if (place) out.push(place);
    for (const detection of found) out.push(detection);
    const current = {
      run,
      person: found.find((d) => d.entity === "PERSON"),
      unknown: false,
      empty: found.length === 0,
      weakPlace: isWeakPlaceName(found, run, gazetteer),
    };
    // Items of one list with a name among them are names, in either order: a lone surname or an
    // unlisted word is raised to a name's score. Whether a word is unknown is asked only in a list.
    const listed = previous !== undefined && isEnumerationGap(text, previous.run, run);
    if (listed) {
      current.unknown = (found.length === 0 && isUnknownWord(run, gazetteer)) || current.weakPlace;
      if (previous && !previous.person) previous.unknown = previous.empty && isUnknownWord(previous.run, gazetteer);
      if (previous && !previous.person && previous.weakPlace) previous.unknown = true;
    }
    if (
      previous &&
      listed &&
      (previous.person || previous.unknown) &&
      (current.person || current.unknown) &&
      (previous.person || current.person)
    ) {
      // Each pair is judged on what the lists and context said of its two items, never on what an
      // earlier pair concluded, so the answer depends only on text near the items (streaming).
      for (const item of [previous, current]) {
        if (item.person && item.person.score < ENUMERATED_SCORE)
          out.push({ ...item.person, score: ENUMERATED_SCORE, reasons: [...item.person.reasons, "enumeration"] });
        else if (!item.person) out.push(enumerated(item.run));
      }
    }
    previous = current;
  });
  return out;
}

/** Words before a name that say one follows ("my name is", "directed by", "call me"). */
const NAME_BEFORE = createPhraseSet(
  "name is|names are|call me|calls me|called|named|starring|directed by|written by|produced by|sung by|featuring|" +
    "says|said|i am|i'm|i’m|he is|she is|hieß|heiße|je m'appelle|me llamo|mi chiamo|ik heet|mijn naam is|" +
    "mi nombre es|mein name ist|je suis|shouted at|yelled at|smiled at|thanked|texted|emailed|follow up with|" +
    "followed up with|meet with|met with|meeting with|spoke with|spoke to|talked to|talk to|speak to|speak with|" +
    "reach out to|married",
);
/** Words after a name that say it was one ("Klimek shouted", "Ana says"). */
const NAME_AFTER: ReadonlySet<string> = new Set(
  "says said shouted asked replied told wrote explained whispered answered".split(" "),
);

/**
 * A run no list knows, named a person by the words around it: one or two capitalised words after
 * "my name is", "call me", "directed by", or before "said", "shouted". Places and stop words stay out.
 */
function nameByContext(text: string, whole: Token[], g: Gazetteer): Detection[] {
  // A capitalised greeting opens the run itself ("Hi Danival,").
  const greeted = whole.length > 1 && GREETING_WORDS.has((whole[0] as Token).bare.toLowerCase());
  const run = greeted ? whole.slice(1) : whole;
  if (run.length > 2) return [];
  const start = (run[0] as Token).start;
  const last = run[run.length - 1] as Token;
  const end = last.text.endsWith(".") ? last.end - 1 : last.end;
  // The context first: it rejects almost every run with a look at one word.
  if (
    !followsPhrase(text, start, NAME_BEFORE) &&
    !precedesWord(text, end, NAME_AFTER) &&
    !((greeted || followsPhrase(text, start, GREETINGS)) && endsGreeting(text, end)) &&
    !isPossessor(text, end)
  )
    return [];
  const words = run.map((t) => withoutPossessive(t.bare));
  if (words.some((w) => VOCATIVES.has(w.toLowerCase()))) return [];
  if (words.some((w) => isStopWord(w) || TITLES.has(w.toLowerCase()) || w.length < 2)) return [];
  // A place is a name here only if the lists know it as a name too ("starring Martinez").
  const listedName = words.every((w) => g.firstNames.has(w) || g.lastNames.has(w));
  if (g.places.has(words.join(" ")) && !listedName) return [];
  if (words.some((w) => ORG_SUFFIXES.has(w.toLowerCase()))) return [];
  if (words.some((w) => STREET_SUFFIXES.has(w.toLowerCase()))) return [];
  return [span("PERSON", start, end, 0.6, "person-context", ["context:name-phrase"])];
}

/** Last words that make a run a place, not a person ("Czech Republic", "Hamilton East"). */
const PLACE_TYPES: ReadonlySet<string> = new Set(
  (
    "republic kingdom island islands county province state city town village valley river lake mountains " +
    "north south east west heights hills bay"
  ).split(" "),
);

/** A person of two or more words ending with a place's type word is that place. */
function placeTypeOf(found: Detection[], text: string): Detection[] {
  return found.map((d) => {
    if (d.entity !== "PERSON") return d;
    const value = text.slice(d.start, d.end);
    const space = value.lastIndexOf(" ");
    if (space < 0 || !PLACE_TYPES.has(value.slice(space + 1).toLowerCase())) return d;
    return {
      ...d,
      entity: "LOCATION",
      score: Math.max(d.score, 0.6),
      ruleId: "location-type",
      reasons: ["place-type"],
    };
  });
}

/** Greetings that open a message with the name of who it is for ("Hi Danival,"). */
const GREETINGS = createPhraseSet("hi|hello|hey|dear|good morning|good afternoon|good evening|hallo|hola|ciao|bonjour");

/** The one-word greetings, as the first word of a capitalised run. */
const GREETING_WORDS: ReadonlySet<string> = new Set("hi hello hey dear hallo hola ciao bonjour".split(" "));

/** Words written after a greeting that name no one ("Hello World", "Hi Team"). */
const VOCATIVES: ReadonlySet<string> = new Set(
  "world all everyone everybody team folks guys friends there sir madam colleagues customer user".split(" "),
);

/** Whether a greeting's name ends here: a comma, `!`, `:` or the end of the line follows. */
function endsGreeting(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  return Number.isNaN(c) ? false : c === 44 || c === 33 || c === 58 || c === 10 || c === 13;
}

/** What belongs to a person ("Gregorina's address", "Tom's wife"), read after a possessive. */
const POSSESSED: ReadonlySet<string> = new Set(
  (
    "address addresses phone number email e-mail account accounts birthday password wife husband son daughter " +
    "mother father sister brother mom dad parents partner children kids family boss manager car house flat apartment"
  ).split(" "),
);

function isPossessiveAt(text: string, end: number): boolean {
  const quote = text.charCodeAt(end);
  return (quote === 39 || quote === 0x2019) && text.charCodeAt(end + 1) === 115;
}

/** Whether the name ending at `end` is followed by a possessive and something only a person has. */
function isPossessor(text: string, end: number): boolean {
  const quote = text.charCodeAt(end);
  if ((quote !== 39 && quote !== 0x2019) || text.charCodeAt(end + 1) !== 115) return false;
  return precedesWord(text, end + 2, POSSESSED);
}

/**
 * Head words of an institution's name written "X of Y" ("Bank of America", "University of
 * Oslo", "Department of Labor"): the head run, "of" (or "of the") and the next run are one
 * organisation. Also within one run when "Of" is capitalised ("Department Of Better Technology").
 */
const INSTITUTION_HEADS: ReadonlySet<string> = new Set(
  (
    "academy agency association bank board bureau chamber church college commission council court department " +
    "embassy federation hospital institute library ministry museum office school society university"
  ).split(" "),
);

/** The organisation "head of run" when `run` follows `head` after " of " or " of the ". */
function institutionOf(text: string, head: Token[] | undefined, run: Token[]): Detection | undefined {
  let words = run;
  let startRun = head;
  if (
    !startRun ||
    !/^ of (?:the )?$/.test(text.slice((startRun[startRun.length - 1] as Token).end, (run[0] as Token).start))
  ) {
    // "Department Of Better Technology": one run holding a head, "Of" and more.
    const at = run.findIndex(
      (t, i) => i > 0 && t.bare === "Of" && INSTITUTION_HEADS.has((run[i - 1] as Token).bare.toLowerCase()),
    );
    if (at < 0 || at === run.length - 1) return undefined;
    startRun = run.slice(0, at);
    words = run.slice(at + 1);
  }
  let first = 0;
  while (first < startRun.length - 1 && isStopWord((startRun[first] as Token).bare)) first++;
  const last = words[words.length - 1] as Token;
  if (words.every((t) => isStopWord(t.bare))) return undefined;
  const end = last.text.endsWith(".") && !ORG_SUFFIXES.has(last.bare.toLowerCase()) ? last.end - 1 : last.end;
  return span("ORGANIZATION", (startRun[first] as Token).start, end, 0.75, "organization-head", ["org-head"]);
}

const FIRM_WORD = String.raw`\p{Lu}[\p{L}\p{M}'’]*(?:-\p{Lu}[\p{L}\p{M}'’]*)?`;
/** "Davis, Reynolds and Williamson": three surnames, the last after "and" or "&". */
const FIRM = new RegExp(
  String.raw`(${FIRM_WORD}), (${FIRM_WORD}) (?:and|&) (${FIRM_WORD})(?![\p{L}\p{M}\p{N}'’-])`,
  "uy",
);
const FIRM_WORD_CHAR = /[\p{L}\p{M}\p{N}'’-]/u;
/** Longest first word of a firm's name looked back for from its comma. */
const FIRM_WORD_MAX = 40;
/** The start of a firm's name that may still be completed at the end of a text ("Davis, Reynolds an"). */
const FIRM_OPEN = new RegExp(
  String.raw`(?<![\p{L}\p{M}\p{N}'’-])${FIRM_WORD}, ${FIRM_WORD}(?: (?:a|an|and|&)?)?$`,
  "u",
);
const FIRM_OPEN_WINDOW = 96;

/**
 * Firms named after their partners ("Davis, Reynolds and Williamson", "Smith, Jones & Brown"):
 * three single words, each a listed surname or unknown to the lists, at least two of them
 * listed surnames, and no place among the unlisted. Not after ", " or ":" (then they are the last
 * items of a list of people: "our founders: Leehy, Perkins and Copeland").
 */
function firmsOf(text: string, g: Gazetteer): Detection[] {
  const out: Detection[] = [];
  // From each ", " before a capital letter: a regular expression tried at every position of a
  // long text (a look-behind first) would cost more than the rest of the gazetteer.
  for (let comma = text.indexOf(", "); comma >= 0; comma = text.indexOf(", ", comma + 1)) {
    const next = text.charCodeAt(comma + 2);
    if (!(next >= 65 && next <= 90) && !(next >= 0xc0 && /\p{Lu}/u.test(text[comma + 2] as string))) continue;
    let start = comma;
    while (start > 0 && comma - start <= FIRM_WORD_MAX && FIRM_WORD_CHAR.test(text[start - 1] as string)) start--;
    if (start === comma || (start > 0 && FIRM_WORD_CHAR.test(text[start - 1] as string))) continue;
    FIRM.lastIndex = start;
    const m = FIRM.exec(text);
    if (!m) continue;
    const end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 2), start);
    const words = [m[1], m[2], m[3]] as string[];
    const surnames = words.filter((w) => g.lastNames.has(w)).length;
    const fits =
      !/[,:;]\s?$/.test(before) &&
      surnames >= 2 &&
      words.every(
        (w) =>
          !isStopWord(w) &&
          !TITLES.has(w.toLowerCase()) &&
          (g.lastNames.has(w) || (!g.firstNames.has(w) && !g.places.has(w))),
      );
    // A candidate either way: a stream holds the words until the judgement is final.
    out.push(span("ORGANIZATION", start, end, fits ? 0.7 : 0.3, "organization-firm", ["firm-name"]));
  }
  const tailFrom = Math.max(0, text.length - FIRM_OPEN_WINDOW);
  const open = FIRM_OPEN.exec(text.slice(tailFrom));
  if (open) out.push(span("ORGANIZATION", tailFrom + open.index, text.length, 0.3, "organization-firm", ["firm-name"]));
  return out;
}

/** Words before an employer ("works at", "joined"), and after a company ("the Redfin office"). */
const ORG_BEFORE = createPhraseSet(
  "works at|works for|work at|work for|worked at|worked for|working at|working for|employed by|employed at|" +
    "spent a year at|interned at|joined|hired by|customer of|acquired by",
);
const ORG_AFTER: ReadonlySet<string> = new Set("office offices headquarters HQ employees staff board".split(" "));

/** Whether the word right after `end` (one space after it) is in the set, as written. */
function precedesWord(text: string, end: number, words: ReadonlySet<string>): boolean {
  if (text.charCodeAt(end) !== 32) return false;
  let to = end + 1;
  while (to < text.length && to - end <= 16 && isLetterOrDigit(text.charCodeAt(to))) to++;
  return to > end + 1 && words.has(text.slice(end + 1, to));
}

/**
 * A run that the words around it make an organisation: after "works at", "joined", or before
 * "office", "headquarters" ("The Social Explorer office is at ..."). Places stay places.
 */
function organizationByContext(text: string, run: Token[], g: Gazetteer): Detection | undefined {
  let first = 0;
  while (first < run.length - 1 && isStopWord((run[first] as Token).bare)) first++;
  const start = (run[first] as Token).start;
  const last = run[run.length - 1] as Token;
  const end = last.text.endsWith(".") && !ORG_SUFFIXES.has(last.bare.toLowerCase()) ? last.end - 1 : last.end;
  if (!followsPhrase(text, start, ORG_BEFORE) && !precedesWord(text, end, ORG_AFTER)) return undefined;
  const words = run.slice(first).map((t) => t.bare);
  if (words.length === 1 && (isStopWord(words[0] as string) || TITLES.has((words[0] as string).toLowerCase())))
    return undefined;
  if (g.places.has(words.join(" "))) return undefined;
  return span("ORGANIZATION", start, end, 0.65, "organization-context", ["context:organization"]);
}

/** Words before a place that say it is one ("lives in", "grew up in", "I'm in", "moved here from"). */
const PLACE_BEFORE = createPhraseSet(
  "lives in|live in|living in|lived in|grew up in|born in|i am in|i'm in|i’m in|we are in|moved to|moved from|" +
    "moved here from|came here from|based in|located in|traveling to|travelling to|flying to|flew to|city of|" +
    "town of|village of|home city|street in|arrived in|wohnt in|wohne in|habite à|j'habite à|vivo en|vivo a|" +
    "woon in|woont in",
);

/** Phrases of up to four words, matched whole against the words right before a span. */
interface PhraseSet {
  phrases: ReadonlySet<string>;
  /** The last word of every phrase: most runs are rejected on the word right before them. */
  lastWords: ReadonlySet<string>;
  maxWords: number;
}

function createPhraseSet(list: string): PhraseSet {
  const phrases = list.split("|");
  return {
    phrases: new Set(phrases),
    lastWords: new Set(phrases.map((p) => p.slice(p.lastIndexOf(" ") + 1))),
    maxWords: Math.max(...phrases.map((p) => p.split(" ").length)),
  };
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/**
 * Whether the words right before `start` (one space before it) end with a phrase of the set,
 * compared in lower case: a lookup per phrase length, not a regular expression over the text.
 */
function followsPhrase(text: string, start: number, set: PhraseSet): boolean {
  if (start < 2 || text.charCodeAt(start - 1) !== 32) return false;
  let at = start - 1;
  let phrase = "";
  for (let n = 0; n < set.maxWords; n++) {
    let from = at;
    while (from > 0 && start - from < 40 && !isSpace(text.charCodeAt(from - 1))) from--;
    if (from === at) return false;
    const word = text.slice(from, at).toLowerCase();
    if (n === 0 && !set.lastWords.has(word)) return false;
    phrase = phrase === "" ? word : `${word} ${phrase}`;
    if (set.phrases.has(phrase)) return true;
    if (from === 0 || text.charCodeAt(from - 1) !== 32) return false;
    at = from - 1;
  }
  return false;
}

/**
 * A run the words before it make a place: one to four capitalised words after "lives in",
 * "grew up in", "I'm in". Scored above a lone listed name, below a full one ("lives in Mansilla de
 * la Sierra" is a place; "lives in Anna Smith's flat" stays a person).
 */
function placeByContext(text: string, run: Token[]): Detection | undefined {
  if (run.length > 4) return undefined;
  const start = (run[0] as Token).start;
  if (!followsPhrase(text, start, PLACE_BEFORE)) return undefined;
  const words = run.map((t) => t.bare);
  if (words.some((w) => isStopWord(w) || TITLES.has(w.toLowerCase()) || ORG_SUFFIXES.has(w.toLowerCase())))
    return undefined;
  const last = run[run.length - 1] as Token;
  const end = last.text.endsWith(".") && last.bare.length > 1 ? last.end - 1 : last.end;
  return span("LOCATION", start, end, 0.8, "location-context", ["context:place"]);
}

/** Whether a run is one word taken for a place without context that the lists also know as a name. */
function isWeakPlaceName(found: readonly Detection[], run: Token[], g: Gazetteer): boolean {
  if (run.length !== 1 || found.length !== 1) return false;
  const only = found[0] as Detection;
  const word = withoutPossessive((run[0] as Token).bare);
  return (
    only.entity === "LOCATION" && only.score < ENUMERATED_SCORE && (g.firstNames.has(word) || g.lastNames.has(word))
  );
}

/** Whether a run is one capitalised word no list knows and no stop word: a name candidate. */
function isUnknownWord(run: Token[], g: Gazetteer): boolean {
  if (run.length !== 1) return false;
  const word = withoutPossessive((run[0] as Token).bare);
  return (
    word.length >= 2 &&
    !isStopWord(word) &&
    !TITLES.has(word.toLowerCase()) &&
    !g.places.has(word) &&
    !ORG_SUFFIXES.has(word.toLowerCase()) &&
    !STREET_SUFFIXES.has(word.toLowerCase()) &&
    /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u.test(word)
  );
}

/** Whether two runs are items of one list: ", ", " and ", ", and ", " & " between them. */
function isEnumerationGap(text: string, a: Token[], b: Token[]): boolean {
  const aEnd = (a[a.length - 1] as Token).end;
  const bStart = (b[0] as Token).start;
  const gap = text.slice(aEnd, bStart);
  if (gap === " and " || gap === ", and " || gap === " & ") return true;
  if (gap !== ", ") return false;
  // A comma alone joins list items only in a list of three or more ("Malon, Mark, Kaylee and
  // Jennifer"); "Heike Vogel, IdNr." is a name and a label.
  const bEnd = (b[b.length - 1] as Token).end;
  const aStart = (a[0] as Token).start;
  return (
    /^(?:,| and | & )/u.test(text.slice(bEnd, bEnd + 5)) || /, $/u.test(text.slice(Math.max(0, aStart - 2), aStart))
  );
}

const ENUMERATED_SCORE = 0.6;

function enumerated(run: Token[]): Detection {
  const only = run[0] as Token;
  const end = only.text.endsWith(".") ? only.end - 1 : only.end;
  return span("PERSON", only.start, end, ENUMERATED_SCORE, "person-gazetteer", ["enumeration"]);
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
    // "Diana Weöres Apt. 434": a unit word ends a name.
    if (bare.length >= 3 && bare.length <= 5 && UNIT_WORDS.has(bare.toLowerCase())) {
      flush();
      continue;
    }
    current.push({ text: word, bare, start, end: start + word.length });
    if (current.length > MAX_RUN) current.shift();
    if (word.endsWith(".") && !TITLES.has(bare.toLowerCase()) && !ORG_SUFFIXES.has(bare.toLowerCase())) flush();
  }
  flush();
}

/** Words that open a unit of an address ("Apt. 434"), never part of a name. */
const UNIT_WORDS = new Set(["apt", "suite", "unit", "flat"]);

/** Street types written in full: a run holding one names a street, not a person ("Hansen Street"). */
const FULL_STREET_TYPES = new Set([
  "street",
  "avenue",
  "road",
  "lane",
  "drive",
  "boulevard",
  "parkway",
  "highway",
  "terrace",
  "crescent",
  "strasse",
  "straße",
  "calle",
  "rue",
  "via",
]);

/**
 * Street types written before the name in Italian, Spanish, Catalan, Galician and Polish ("Corso
 * Italia", "Gran Vía", "Rúa do Franco"). Most are surnames too ("Mike Piazza", "Gregory Corso",
 * "Ana Alameda"), so one names a street only where no first name or title stands right before it.
 */
const LEADING_STREET_TYPES = new Set([
  "viale",
  "corso",
  "piazza",
  "vicolo",
  "borgo",
  "salita",
  "vía",
  "avenida",
  "paseo",
  "carrer",
  "rambla",
  "alameda",
  "rúa",
  "ulica",
]);

/**
 * Germanic street types, written as a word only where they open the name ("Platz der Republik");
 * as the last part of a compound ("Alexanderplatz", "Drottninggatan") the address grammar reads
 * them. After another word they are a surname ("Maria Gasse", "Herrn Platz").
 */
const OPENING_STREET_TYPES = new Set(["gatan", "vägen", "platz", "gasse", "allee", "straat", "gracht"]);

/**
 * Whether a run of capitalised words names a street by a street type written in full: an English
 * or French one anywhere ("Hansen Street"), a Romance one unless a first name or title stands
 * right before it ("Piazza Navona", "Gran Vía", but "Mike Piazza"), a Germanic one opening the run.
 */
export function hasStreetType(words: readonly string[], firstNames: ReadonlySet<string>): boolean {
  return words.some((word, k) => {
    const w = word.toLowerCase();
    if (FULL_STREET_TYPES.has(w)) return true;
    if (OPENING_STREET_TYPES.has(w)) return k === 0;
    if (!LEADING_STREET_TYPES.has(w)) return false;
    const before = k > 0 ? (words[k - 1] as string).replace(/\.$/u, "") : "";
    return before === "" || !(firstNames.has(before) || TITLES.has(before.toLowerCase()));
  });
}

/** Written in capitals after a name: a generation ("II") or a degree ("MD", "DDS"). */
const NAME_SUFFIXES = new Set(
  "II III IV VI VII VIII IX JR SR MD DO DDS DMD DVM RN NP PA JD MBA CPA PHD".split(" ").concat(["PhD"]),
);

/**
 * A word of one to three capitals that is no generation or degree ("CEO", "HR", "FA", "V"), nor
 * an initial with its period ("Anna K.").
 */
function isCapitalsCode(word: string): boolean {
  if (/^\p{Lu}\.$/u.test(word)) return false;
  const bare = word.replace(/[.,]$/u, "");
  return /^\p{Lu}{1,3}$/u.test(bare) && !NAME_SUFFIXES.has(bare);
}

/**
 * How many of a run's first words may name a person. None when the run is a code: a word holds a
 * digit ("Flug LH4411"), or its last words of one to three capitals after mixed-case words go on
 * into digits (`after`, the text right after the run: "Lot IB 4243", "Facture FA-2026-…").
 * Otherwise such last words are a role or a department written after the name and are left out
 * ("John Smith CEO", "Anna Berg HR", "Steuerklasse V"); what is left must still be a name. A
 * surname is not written in capitals inside mixed-case text, and an initial comes before it.
 */
export function nameWordCount(words: readonly string[], after: string): number {
  if (words.some((w) => /\d/u.test(w))) return 0;
  const mixedCase = words.findIndex((w) => /\p{Ll}/u.test(w));
  if (mixedCase < 0) return words.length;
  let n = words.length;
  while (n > mixedCase + 1 && isCapitalsCode(words[n - 1] as string)) n--;
  if (n < words.length && /^[ -]?\d/u.test(after)) return 0;
  return n;
}

/**
 * Whether text[start, end) is the letters of an identifier: followed by a digit, or joined to one
 * by `-`, `/` or `_` on either side ("EMP-204816", "INV/2026", "Order AB-123456", "2026-Ops").
 * The name tagger and the gazetteer both leave such words out. `/` and `_` end no name run for
 * streaming (hold-names.ts), so what follows them is still seen.
 */
export function isGluedToCode(text: string, start: number, end: number): boolean {
  return /^[-/_]?\d/u.test(text.slice(end, end + 2)) || /\d[-/_]$/u.test(text.slice(Math.max(0, start - 2), start));
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

/** Whether a word is a company suffix ("Inc", "GmbH", "Ltd"), any case. */
export function isOrgSuffix(word: string): boolean {
  return ORG_SUFFIXES.has(word.toLowerCase());
}

/** Whether a word is a title or salutation written before a name ("Mr", "Frau", "Señora"), any case. */
export function isTitle(word: string): boolean {
  return TITLES.has(word.toLowerCase());
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
  // "Order AB-123456", "EMP-204816": words glued to a code are part of the code.
  if (isGluedToCode(text, start, end)) return [];
  if (run.length >= 2 && ORG_SUFFIXES.has(lastWord)) {
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
  // "Via Roma", "Corso Italia": a run holding a street type names a street, even where the name
  // after it is a known one.
  if (
    hasStreetType(
      run.map((t) => t.bare),
      g.firstNames,
    )
  )
    return [];
  const kept = nameWordCount(
    run.map((t) => t.text),
    text.slice(end, end + 2),
  );
  if (kept === 0) return [];
  // "John Smith CEO": the name without the role after it.
  if (kept < run.length) return classifyRun(text, run.slice(0, kept), g, reach);
  const isFirst = names.map((n) => g.firstNames.has(n));
  const isLast = names.map((n) => g.lastNames.has(n));
  const known = names.map((_, k) => isFirst[k] || isLast[k]);
  const placeText = names.join(" ");

  const isPlace = g.places.has(placeText);
  const placeContext = isPlace && wordsOf(contextWindow(text, start, end, reach)).some((w) => PLACE_CONTEXT.has(w));
  const looksLikeName = names.length > 1 ? isFirst[0] && isLast[names.length - 1] : isFirst[0] && !placeContext;
  // "Mr. Rodriguez": a title makes a person of a word that is also a place.
  if (isPlace && !looksLikeName && !titled) {
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
