/**
 * Street addresses by a grammar per country, not one regular expression: a street (its type
 * word where each language puts it: "Hauptstraße 5", "Kalverstraat 92", "Calle Mayor 14",
 * "Via Roma 10", "12 rue de la Paix", "221B Baker Street"), then optionally the locality in that
 * country's order, accepted only when its postcode has the country's shape and range (DE 5 digits,
 * AT and CH 4, FR, ES and IT 5, NL 4 digits and 2 letters, PL `NN-NNN`, SE `NNN NN`, UK postcode,
 * US ZIP). Each country's additions to the house number come after it: a Spanish floor and door
 * (`3.º B`, `bajo`, `ático`), a Polish flat (`m. 4`), a Swedish flat number (`lgh 1102`), a Dutch
 * or Italian suffix (`hs`, `bis`, `/A`); a UK flat comes before the street (`Flat 3, 12 Mill Lane`).
 * A street with a house number scores 0.8 (0.86 when a street-type word opens it, so a namesake
 * inside, "Via Carlo Felice 1", stays a street), with a valid postcode and city 0.95. A street
 * without a type word ("Brink 2", "90 Kingsway") counts only with a valid postcode and city. Every
 * address holds a digit, so the grammar runs only near digits.
 */
import type { Detection } from "../detection.js";
import { createScanHints, type Recognizer, type RecognizerHold, type ScanHints } from "./recognizer.js";

type Country = "DE" | "AT" | "CH" | "NL" | "ES" | "IT" | "FR" | "PL" | "SE" | "UK" | "US";

/** Lower-case words an address may contain: particles of names and cities, street types, "bis". */
export const ADDRESS_LOWER_WORDS: ReadonlySet<string> = new Set(
  (
    "de del della delle dello dei degli di da du des la le les los las van von der den het am an auf im in zum zur " +
    "sur sous en y e aan op bij ter te upon on bei " +
    "rue avenue av boulevard bd place allée impasse chemin quai cours route square passage faubourg " +
    "calle avenida avda paseo plaza pza camino carrer carretera ronda rambla travesía glorieta " +
    "via viale corso piazza piazzale largo vicolo strada lungomare contrada bis ter " +
    // German city and street particles ("Bad Homburg vor der Höhe", "Straße des 17. Juni", "Auf dem Kamp").
    "vor dem des ob " +
    // Unit words after a house number: Dutch "hs", Spanish floors, Polish "m."/"lok.", Swedish "lgh".
    "hs bajo ático atico entlo principal pral izda dcha izq dcha der ul al pl os m lok lgh a b c d e f g h"
  ).split(" "),
);

/** A capitalised word, hyphenated parts allowed ("Karl-Marx-Straße", "Saint-Denis"). */
const W = "\\p{Lu}[\\p{L}\\p{M}'’]{0,30}(?:-\\p{L}[\\p{L}\\p{M}'’]{0,30}){0,3}";
const PARTICLE =
  "(?:de['’]|de|do|dos|das|del|della|delle|dello|dei|degli|di|da|du|des|la|le|les|los|las|van|von|der|den|het|y)";
/** One word of a street name after its type: particles, then an elided article, then the word. */
const NAME_WORD = `(?:${PARTICLE} ){0,2}(?:[dlDL]['’]|[Dd]ell['’])?${W}`;
const NAMES = `${NAME_WORD}(?: ${NAME_WORD}){0,3}`;
/**
 * A house number: digits, a letter or "bis"/"ter" glued to it ("23a", "29bis"), a second number or
 * a letter after a dash or slash ("117-2", "73/34", "14/A"), and a suffix word after a space where
 * the country writes one: Dutch "hs" (huis, ground floor), Italian "bis", a German letter before
 * a comma ("91 a, 06119 Halle").
 */
const HOUSE =
  "\\d{1,4}(?:bis|ter|[A-Za-z])?(?:[-/](?:\\d{1,4}[A-Za-z]?|[A-Za-z](?![\\p{L}\\p{N}])))?(?: (?:hs|bis|ter)(?![\\p{L}\\p{N}])| [a-h](?=,))?";
const END = "(?![\\p{L}\\p{N}])";
const START = "(?<![\\p{L}\\p{N}.,/-])";

const GERMAN_TYPES = "straße|strasse|str\\.|weg|allee|platz|gasse|chaussee";
/** Street types that also end ordinary words ("Spring 2024", "Engineering 101", "Notepad 2"). */
const WEAK_TYPES = "ring|damm|ufer|markt|steig|pfad|graben|pad";
const DUTCH_TYPES = "straat|gracht|laan|plein|kade|singel|dijk|steeg|dreef|weg";
/** Swedish street types, written as the end of one word ("Drottninggatan", "Björkvägen", "Tallstigen"). */
const SWEDISH_TYPES =
  "gatan|gata|vägen|väg|stigen|gränd|gränden|torget|torg|backe|backen|allén|leden|plan|platsen|stråket";
/**
 * Words written before a compound street name in German, Dutch and Swedish: direction, size, age
 * and "Saint" ("Nieuwe Binnenweg", "Sint Annastraat", "Lilla Nygatan", "Södra Förstadsgatan",
 * "Alte Gasse"). A closed class, so a capitalised word of the sentence before a street is not
 * taken in.
 */
const STREET_ADJECTIVES =
  "Nieuwe|Oude|Sint|Lange|Korte|Grote|Kleine|Hoge|Lage|Noord|Oost|Zuid|West|Alte|Neue|Obere|Untere|Große|Kleine|Hohe|Lange|Sankt|Lilla|Stora|Norra|Södra|Östra|Västra|Gamla|Nya|Övre|Nedre";
const cap = (types: string) =>
  types
    .split("|")
    .map((t) => t[0]?.toUpperCase() + t.slice(1))
    .join("|");

/** Either case for the first letter: a compound may end "-Straße" ("Karl-Marx-Straße"). */
const eitherCase = (types: string) =>
  types
    .split("|")
    .map((t) => `[${t[0]}${t[0]?.toUpperCase()}]${t.slice(1)}`)
    .join("|");

interface Grammar {
  id: string;
  /** The street with its house number. */
  street: RegExp;
  /** Countries whose locality may follow. */
  countries: readonly Country[];
  /** Score of the street alone (without a valid locality); below the threshold, it needs one. */
  score: number;
  /** The house number comes first ("12 rue de la Paix"), not after the street ("Via Roma 10"). */
  numberFirst: boolean;
  /** What the country writes after the house number, before the locality (a floor, a flat). */
  unit?: RegExp;
  /** What the country writes before the street, ending right before it ("Flat 3, "). */
  prefix?: RegExp;
}

const u = (source: string) => new RegExp(source, "gu");
const sticky = (source: string) => new RegExp(source, "yu");

/**
 * A Spanish floor and door after the house number (Correos: "Calle Mayor 12, 3º B"): "3.º B",
 * "4ºA", "2º1ª", "1º izda.", "bajo", "ático", "entlo.", "pral."; scanned in NFKC, where º and ª
 * are "o" and "a".
 */
const SPANISH_FLOOR = sticky(
  `,? (?:\\d{1,2}\\.?[ºo°](?: ?[A-Z]| ?\\d{1,2}\\.?[ªa]| (?:izda|dcha|izq|der)\\.?)?|bajo(?: [A-Z])?|ático(?: [A-Z])?|atico|entlo\\.?|entresuelo|principal|pral\\.?)${END}`,
);

/** A UK flat written before the building, up to the street ("Flat 3, 12 Mill Lane"). */
const UK_FLAT = /(?:Flat|Apartment|Apt\.?|Unit) \d{1,4}[A-Za-z]?, ?$/u;

const GRAMMARS: readonly Grammar[] = [
  {
    id: "street-de",
    street: u(
      `${START}(?:(?:(?:${STREET_ADJECTIVES}) )?${W}-?(?:${eitherCase(GERMAN_TYPES)})|(?:${W} ){1,2}(?:${cap(GERMAN_TYPES)})|(?:Straße|Platz|Allee) (?:des|der) (?:\\d{1,2}\\. )?${W})(?: |, )${HOUSE}${END}`,
    ),
    countries: ["DE", "AT", "CH"],
    score: 0.8,
    numberFirst: false,
  },
  {
    // "Kurfürstendamm 21" is a street, "Spring 2024" is not: these count with a postcode only.
    id: "street-de-weak",
    street: u(`${START}${W}-?(?:${eitherCase(WEAK_TYPES)})(?: |, )${HOUSE}${END}`),
    countries: ["DE", "AT", "CH", "NL"],
    score: 0.45,
    numberFirst: false,
  },
  {
    // "Am Markt 3", "Auf dem Kamp 43", "Hinter der Mauer 2": a preposition and a noun are an
    // address only with a postcode.
    id: "street-de-preposition",
    street: u(
      `${START}(?:Am|Im|Beim|Zum|Zur|(?:An|Auf|Hinter|In|Unter|Vor|Bei|Über|Zu) (?:der|dem|den)) ${W} ${HOUSE}${END}`,
    ),
    countries: ["DE", "AT", "CH"],
    score: 0.45,
    numberFirst: false,
  },
  {
    id: "street-nl",
    street: u(
      `${START}(?:(?:(?:${STREET_ADJECTIVES}) )?${W}-?(?:${eitherCase(DUTCH_TYPES)})|(?:Laan|Plein|Kade) (?:(?:van|der|de|den) ){0,2}${W}|(?:${W} ){1,2}(?:${cap(DUTCH_TYPES)}))(?: |, )${HOUSE}${END}`,
    ),
    countries: ["NL"],
    score: 0.8,
    numberFirst: false,
  },
  {
    // Lantmäteriet's flat number ("lägenhetsnummer", four digits) follows the house number.
    id: "street-se",
    street: u(`${START}(?:(?:${STREET_ADJECTIVES}) )?${W}(?:${SWEDISH_TYPES})(?: |, )${HOUSE}${END}`),
    countries: ["SE"],
    score: 0.8,
    numberFirst: false,
    unit: sticky(`,? lgh \\d{4}${END}`),
  },
  {
    // Poczta Polska: "ul. Długa 5 m. 3, 00-950 Warszawa"; a street may be a date ("ul. 3 Maja").
    id: "street-pl",
    street: u(
      `${START}(?:ul\\.|al\\.|pl\\.|os\\.|ulica|aleja|plac|osiedle|Ul\\.|Al\\.|Pl\\.|Os\\.) ?(?:\\d{1,2} )?${NAMES},? ${HOUSE}${END}`,
    ),
    countries: ["PL"],
    score: 0.86,
    numberFirst: false,
    unit: sticky(`,? (?:m\\.|lok\\.) ?\\d{1,4}[A-Za-z]?${END}`),
  },
  {
    id: "street-es",
    street: u(
      `${START}(?:Calle|C/|Avenida|Avda\\.|Av\\.|Paseo|P\\.[ºo]|P[ºo]|Plaza|Pza\\.|Camino|Carrer|Carretera|Ronda|Rambla|Travesía|Glorieta|Alameda|Rúa|Passeig|Plaça|Avinguda|Gran Vía|Cuesta|Callejón|Pasaje|Bulevar) ?${NAMES},? ${HOUSE}${END}`,
    ),
    countries: ["ES"],
    score: 0.86,
    numberFirst: false,
    unit: SPANISH_FLOOR,
  },
  {
    id: "street-it",
    street: u(
      `${START}(?:Via|Viale|Corso|Piazza|Piazzale|Piazzetta|Largo|Vicolo|Vico|Strada|Stradone|Lungomare|Lungotevere|Lungarno|Contrada|Borgo|Salita|Discesa|Calata|Rampa|Riva|Fondamenta|Galleria|Traversa|Circonvallazione) ${NAMES},? ${HOUSE}${END}`,
    ),
    countries: ["IT"],
    score: 0.86,
    numberFirst: false,
  },
  {
    id: "street-fr",
    street: u(
      `${START}${HOUSE}(?: (?:bis|ter))?,? (?:rue|avenue|av\\.|boulevard|bd|place|allée|impasse|chemin|quai|cours|route|square|passage|faubourg|Rue|Avenue|Av\\.|Boulevard|Bd|Place|Allée|Impasse|Chemin|Quai|Cours|Route|Square|Passage) ${NAMES}${END}`,
    ),
    countries: ["FR"],
    score: 0.86,
    numberFirst: true,
  },
  {
    // Royal Mail thoroughfare types; a flat is written before the building ("Flat 3, 12 Mill Lane").
    id: "street-en",
    street: u(
      `${START}${HOUSE} (?:${W} ){1,3}(?:Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Lane|Ln|Drive|Dr\\.?|Way|Boulevard|Blvd|Court|Ct|Place|Pl|Square|Sq|Terrace|Crescent|Close|Grove|Gardens|Mews|Row|Walk|Parkway|Highway|Circle|Approach|View|Rise|Hill|Green|Parade|Wharf|Quay|Yard|Vale)(?: (?:NW|NE|SW|SE))?${END}`,
    ),
    countries: ["UK", "US"],
    score: 0.86,
    numberFirst: true,
    prefix: UK_FLAT,
  },
  {
    // A street without a type word ("Brink 2", "Oude Vest 26", "Birkenhain 7") is an address only
    // with a valid postcode and city of a country that writes the number after the street.
    id: "street-untyped",
    // The locality is set off by a comma or a dash, as addresses are written on one line.
    street: u(`${START}(?:(?:${STREET_ADJECTIVES}) )?${W}(?: ${W})? ${HOUSE}${END}(?=,| [-–] )`),
    countries: ["DE", "NL", "ES", "IT", "PL", "SE"],
    score: 0,
    numberFirst: false,
  },
  {
    // "90 Kingsway, Bristol BS6 6QT": the same, house number first, with a UK postcode.
    id: "street-untyped-en",
    street: u(`${START}${HOUSE} ${W}(?: ${W})?${END}(?=,)`),
    countries: ["UK"],
    score: 0,
    numberFirst: true,
    prefix: UK_FLAT,
  },
];

/** A city: capitalised words with their particles ("Frankfurt am Main", "Las Palmas de Gran Canaria", "'s-Hertogenbosch"), and a river or region in brackets ("Halle (Saale)"). */
const CITY = `(?:['’][sS]-)?${W}(?:[ -](?:(?:am|an der|an|sur|sous|de|del|della|di|la|le|en|aan den|aan de|upon|on|im|in|bei|vor der|ob der) )?${W}){0,3}(?: \\(${W}\\))?`;
const UK_POSTCODE = "[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}";
/** Between the street and its locality: a comma, a space, or a dash ("Via Maqueda 93 - 90134 Palermo"). */
const SEP = "(?:, ?| [-–] | )";
/** The locality after a street, by country: postcode and city in that country's order. */
const LOCALITY: Readonly<Record<Country, RegExp>> = {
  DE: new RegExp(`${SEP}(?:D-)?(?<code>\\d{5}) ${CITY}${END}`, "yu"),
  AT: new RegExp(`${SEP}(?:A-)?(?<code>\\d{4}) ${CITY}${END}`, "yu"),
  CH: new RegExp(`${SEP}(?:CH-)?(?<code>\\d{4}) ${CITY}${END}`, "yu"),
  NL: new RegExp(`${SEP}(?<code>\\d{4} ?[A-Z]{2}) ${CITY}${END}`, "yu"),
  ES: new RegExp(`${SEP}(?<code>\\d{5}) ${CITY}${END}`, "yu"),
  IT: new RegExp(`${SEP}(?<code>\\d{5}) ${CITY}(?: \\(?[A-Z]{2}\\)?)?${END}`, "yu"),
  FR: new RegExp(`${SEP}(?<code>\\d{5}) ${CITY}(?: CEDEX(?: \\d{1,2})?)?${END}`, "yu"),
  // Poczta Polska "00-950 Warszawa"; PostNord "114 55 Stockholm" (S- or SE- before it abroad).
  PL: new RegExp(`${SEP}(?<code>\\d{2}-\\d{3}) ${CITY}${END}`, "yu"),
  SE: new RegExp(`${SEP}(?:SE?-)?(?<code>\\d{3} ?\\d{2}) ${CITY}${END}`, "yu"),
  UK: new RegExp(`${SEP}(?:${CITY},? )?(?<code>${UK_POSTCODE})${END}`, "yu"),
  US: new RegExp(`${SEP}${CITY}, [A-Z]{2} (?<code>\\d{5}(?:-\\d{4})?)${END}`, "yu"),
};

/** Whether a postcode has the country's shape and lies in its range. */
export function isPostcode(country: Country, code: string): boolean {
  const n = Number(code.slice(0, 5));
  switch (country) {
    case "DE":
      return /^\d{5}$/.test(code) && n >= 1001 && n <= 99998;
    case "AT":
      return /^\d{4}$/.test(code) && n >= 1010 && n <= 9992;
    case "CH":
      return /^\d{4}$/.test(code) && n >= 1000;
    case "NL":
      return /^[1-9]\d{3} ?[A-Z]{2}$/.test(code) && !/(?:SA|SD|SS)$/.test(code);
    case "ES":
      return /^\d{5}$/.test(code) && Number(code.slice(0, 2)) >= 1 && Number(code.slice(0, 2)) <= 52;
    case "IT":
      return /^\d{5}$/.test(code) && n >= 10 && n <= 98168;
    case "FR": {
      const dept = Number(code.slice(0, 2));
      return /^\d{5}$/.test(code) && ((dept >= 1 && dept <= 95) || dept === 97 || dept === 98);
    }
    case "PL":
      return /^\d{2}-\d{3}$/.test(code);
    case "SE":
      return /^[1-9]\d{2} ?\d{2}$/.test(code);
    case "UK":
      return new RegExp(`^${UK_POSTCODE}$`).test(code);
    case "US":
      return /^\d{5}(?:-\d{4})?$/.test(code) && !code.startsWith("00000");
  }
}

/** Longest address reported, in characters. */
export const ADDRESS_MAX_SPAN = 140;
/** How far before a street its prefix ("Flat 12B, ") is looked for. */
const PREFIX_REACH = 24;

/** Street addresses by the grammars above. */
export function addressRecognizer(): Recognizer {
  return {
    id: "street-address-grammar",
    entities: ["STREET_ADDRESS"],
    maxLength: ADDRESS_MAX_SPAN,
    hold: ADDRESS_HOLD,
    recognize(text: string, _reach: number, hints?: ScanHints): Detection[] {
      const out: Detection[] = [];
      const regions = houseNumberRegions(text, hints);
      for (const grammar of GRAMMARS) {
        for (const [from, to] of grammar.numberFirst ? regions.numberFirst : regions.numberAfter) {
          // A little real text on both sides, so look-behind and look-ahead see what the text holds.
          const offset = Math.max(0, from - 8);
          const slice = text.slice(offset, to + 8);
          grammar.street.lastIndex = from - offset;
          for (let m = grammar.street.exec(slice); m !== null; m = grammar.street.exec(slice)) {
            const matchStart = offset + m.index;
            if (matchStart >= to) break;
            if (m[0].length > ADDRESS_MAX_SPAN) continue;
            let start = matchStart;
            let end = start + m[0].length;
            let score = grammar.score;
            const reasons = [grammar.id];
            if (grammar.prefix) {
              const before = grammar.prefix.exec(text.slice(Math.max(0, start - PREFIX_REACH), start));
              if (before) start -= before[0].length;
            }
            if (grammar.unit) {
              grammar.unit.lastIndex = end;
              const unit = grammar.unit.exec(text);
              if (unit) end += unit[0].length;
            }
            // The longest valid locality of the grammar's countries ("5211 JV 's-Hertogenbosch" is
            // Dutch, not an Austrian postcode and a city "JV").
            let best: { country: Country; length: number } | undefined;
            for (const country of grammar.countries) {
              const locality = LOCALITY[country];
              locality.lastIndex = end;
              const found = locality.exec(text);
              const code = found?.groups?.code;
              if (
                found &&
                code !== undefined &&
                isPostcode(country, code) &&
                found[0].length + end - start <= ADDRESS_MAX_SPAN &&
                found[0].length > (best?.length ?? 0)
              )
                best = { country, length: found[0].length };
            }
            if (best) {
              end += best.length;
              score = 0.95;
              reasons.push(`postcode:${best.country}`);
            }
            if (score === 0) continue;
            out.push({
              entity: "STREET_ADDRESS",
              start,
              end,
              score,
              detector: "pii",
              ruleId: "street-address",
              reasons,
            });
          }
        }
      }
      return out;
    },
  };
}

/**
 * Where a street with its house number can be, merged, for each order of the two: a house number
 * is a whole run of at most four digits, after a word with a capital (the street: "Hauptstraße 5",
 * "Via Roma 10", "dell'Orso 3"; the street then lies within ADDRESS_MAX_SPAN before it) or before
 * a capitalised word or a French street type ("221B Baker Street", "12 rue de la Paix"; the street
 * lies after it). Numbers in prose ("in 2023 the", "has 12 items") are neither, so the grammars
 * never run there.
 */
function houseNumberRegions(text: string, hints: ScanHints | undefined) {
  const anchors = (hints ?? createScanHints(text)).anchors("digit");
  const numberAfter: [number, number][] = [];
  const numberFirst: [number, number][] = [];
  const add = (out: [number, number][], from: number, to: number) => {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  };
  for (let i = 0; i < anchors.length; i += 2) {
    const start = anchors[i] as number;
    const end = anchors[i + 1] as number;
    if (end - start > 4) continue;
    if (hasStreetWordBefore(text, start))
      add(numberAfter, Math.max(0, start - ADDRESS_MAX_SPAN), Math.min(text.length, end + 8));
    if (hasStreetWordAfter(text, end)) add(numberFirst, start, Math.min(text.length, end + ADDRESS_MAX_SPAN));
  }
  return { numberAfter, numberFirst };
}

const WORD_AFTER = /^[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?(?: (?:bis|ter))?,? (\S{1,40})/u;
const FRENCH_TYPES = new Set(
  "rue avenue av boulevard bd place allée impasse chemin quai cours route square passage faubourg".split(" "),
);

/**
 * Whether the word before a digit run ("Word 12", "Word, 12") has a capital, as the last word of
 * a street does. Walks back at most 42 characters.
 */
function hasStreetWordBefore(text: string, start: number): boolean {
  let at = start - 1;
  if (text[at] !== " ") return false;
  at--;
  if (text[at] === ",") at--;
  const end = at + 1;
  while (at >= 0 && end - at <= 40 && !/\s/u.test(text[at] as string)) at--;
  return end - at > 1 && /\p{Lu}/u.test(text.slice(at + 1, end));
}

/** Whether the word after a digit run (and its letter, range, "bis") is capitalised or a French street type. */
function hasStreetWordAfter(text: string, end: number): boolean {
  const after = WORD_AFTER.exec(text.slice(end, end + 56))?.[1];
  if (after === undefined) return false;
  return /^\p{Lu}/u.test(after) || FRENCH_TYPES.has(after.replace(/[.,]+$/u, ""));
}

/** Characters an address may contain: letters, digits, spaces and the punctuation of the grammars. */
const ADDRESS_CHAR = /[\p{L}\p{M}\p{N} ,.'’/()-]/u;
const LOWER_WORD = /^\p{Ll}+$/u;
const WORD_PART = /[\p{L}\p{M}\p{N}'’-]/u;

/** Whether a whole (or, at the end of a text, growing) word may be part of an address. */
function isAddressWord(word: string, growing: boolean): boolean {
  const bare = word.replace(/[,.()]+$/u, "").replace(/^\(/u, "");
  if (bare === "" || /^[\p{Lu}\p{N}]/u.test(bare) || /^(?:[dl]|dell)['’]/iu.test(bare)) return true;
  if (ADDRESS_LOWER_WORDS.has(bare)) return true;
  return growing && !/[,.()]$/u.test(word) && [...ADDRESS_LOWER_WORDS].some((w) => w.startsWith(bare));
}

/**
 * Streaming hold for addresses: a match still open at the end of a text starts at a word of an
 * unbroken run of address words (capitalised, digits, listed lower-case words) reaching the end,
 * within ADDRESS_MAX_SPAN of it; a character outside ADDRESS_CHAR, or a lower-case word an
 * address never holds, ends every match.
 */
const ADDRESS_HOLD: RecognizerHold = {
  openFrom(text) {
    const n = text.length;
    const low = Math.max(0, n - ADDRESS_MAX_SPAN - 2);
    let start = n;
    let i = n;
    while (i > low) {
      let s = i;
      while (s > low && text[s - 1] !== " ") s--;
      const word = text.slice(s, i);
      let bad = -1;
      for (let k = word.length - 1; k >= 0; k--) {
        if (!ADDRESS_CHAR.test(word[k] as string)) {
          bad = k;
          break;
        }
      }
      if (bad >= 0) return Math.min(start, s + bad + 1);
      if (!isAddressWord(word, i === n)) return start;
      start = s;
      i = s - 1;
    }
    return Math.max(start, low);
  },
  isBreak(text, at) {
    const ch = text[at] as string;
    const code = ch.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) return false;
    if (!ADDRESS_CHAR.test(ch)) return true;
    if (!LOWER_WORD.test(ch)) return false;
    if (at + 1 < text.length && WORD_PART.test(text[at + 1] as string)) return false;
    let start = at;
    while (start > 0 && WORD_PART.test(text[start - 1] as string)) start--;
    if (start > 0 && text[start - 1] !== " ") return false;
    const word = text.slice(start, at + 1);
    return LOWER_WORD.test(word) && !ADDRESS_LOWER_WORDS.has(word);
  },
};
