/**
 * Postal addresses laid out the way forms, signatures and address generators write them (Faker's
 * formats, which Presidio's synthetic sets use): a street line with a house number, an optional
 * unit ("Apt. 305", "Suite 286"), then the locality on the same line after commas or on the next
 * lines: city, a region code, a country, a postcode. The whole address is one span, lines and all.
 * Also US military addresses (USPS Publication 28: "PSC 1560, Box 3449 / APO AP 24937") and a
 * postcode named as one ("my zip code is 35649").
 *
 * A block is accepted only with evidence that it is an address and not a sentence with a number:
 * a unit, a postcode closing the locality, a region code, or two locality parts of which the last
 * is a known place. Words that make a sentence ("to", "is", "the") end the street.
 */
import type { Detection } from "../detection.js";
import { createScanHints, type Recognizer, type RecognizerHold, type ScanHints } from "./recognizer.js";

/** Longest address block reported, in characters. */
export const ADDRESS_BLOCK_MAX_SPAN = 200;

const MAX_STREET_TOKENS = 7;
const MAX_LOCALITY_PARTS = 5;
const MAX_LINE_WORDS = 5;

/** Characters that open each line of a quoted or bulleted block ("> ", "- ", "• "). */
const LINE_PREFIX = /[ \t>?•*-]*/y;
/** A unit after the street ("Apt. 305", "Suite 286", "Unit 4B", "Ste 100", "Flat 2"). */
const UNIT = /(?:apt\.?|apartment|suite|ste\.?|unit|flat|#) ?\d{1,5}[A-Za-z]?(?![\p{L}\p{N}])/iuy;
/** A US ZIP (with its +4) or a 5-digit European postcode, closing the locality. */
const POSTCODE = /(?:(?!000)\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(?![\p{L}\p{N}])/uy;
/** A region code after a comma ("CA", "ZH", "NSW"). */
const REGION = /\p{Lu}{2,3}(?![\p{L}\p{N}])/uy;
const WORD = /[\p{L}\p{M}][\p{L}\p{M}'’.-]{0,30}/uy;
const NUMBER = /\d{1,5}(?:st|nd|rd|th|[A-Za-z])?\.?(?![\p{L}\p{N}])/uy;
/** Lower-case words a street or a city may hold between capitalised ones. */
const PARTICLES = new Set(
  "de del della di da du des la le les los las van von der den het y e am an upon on sur sous en aan op".split(" "),
);
/** Words that make a sentence, not an address: a street or locality holding one is not an address. */
const SENTENCE_WORDS = new Set(
  (
    "a an and are as at be been but by did do does for from had has have he her his i if in into is it its me my no " +
    "not of or our she so than that the their them then there they this to was we were what when where which who why " +
    "will with would you your please call send sent meet"
  ).split(" "),
);

interface Cursor {
  at: number;
}

/**
 * The furthest position the current attempt has read (streaming holds an attempt that read near
 * the end of a text). Set by `sticky` and `readSeparator`; reset by `readBlock`.
 */
let furthest = 0;

function sticky(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  // A match read one character past itself; a failed attempt at most FAIL_PEEK characters.
  furthest = Math.max(furthest, at + (m ? m[0].length + 1 : FAIL_PEEK));
  return m ? m[0] : undefined;
}

/** Characters a failed sticky attempt of these patterns reads at most ("apartment 12345a" + 1). */
const FAIL_PEEK = 18;

/** Whether the character at `at` is a letter or a digit. */
function isWordChar(text: string, at: number): boolean {
  const ch = text[at];
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/**
 * The street: up to MAX_STREET_TOKENS words and numbers separated by single spaces, holding a
 * number and a word, no sentence word, ending before a comma, a line break or a unit.
 */
function readStreet(text: string, c: Cursor, lowerText: boolean): boolean {
  let tokens = 0;
  let numbers = 0;
  let words = 0;
  let at = c.at;
  let end = at;
  while (tokens < MAX_STREET_TOKENS + 1) {
    if (tokens > 0) {
      if (text[at] !== " ") break;
      if (sticky(UNIT, text, at + 1) !== undefined) break;
      at++;
    }
    const num = sticky(NUMBER, text, at);
    if (num !== undefined) {
      numbers++;
    } else {
      const word = sticky(WORD, text, at);
      if (word === undefined) break;
      const bare = word.replace(/\.$/u, "");
      const lower = bare.toLowerCase();
      if (SENTENCE_WORDS.has(lower)) break;
      // Outside an all-lower-case address, a street that opens with a word opens with a capital.
      if (!lowerText && tokens === 0 && !/^\p{Lu}/u.test(word)) return false;
      words++;
      at += word.length;
      end = at;
      tokens++;
      // "Berlin. Danke": a full stop after a word longer than an abbreviation ends the sentence,
      // and is not part of the street ("12 Court Street."); "Str." and "Avda." keep theirs.
      if (word.endsWith(".") && bare.length >= 5) {
        end--;
        break;
      }
      continue;
    }
    at += num.length;
    end = at;
    tokens++;
  }
  if (tokens > MAX_STREET_TOKENS || numbers === 0 || words === 0) return false;
  c.at = end;
  return true;
}

/**
 * A separator between parts of an address: a comma, a space, or a line break with the next line's
 * prefix. Returns the kind read, or undefined.
 */
function readSeparator(text: string, c: Cursor): "line" | "comma" | "space" | undefined {
  let at = c.at;
  if (text[at] === ",") at++;
  let lines = 0;
  while (lines < 2) {
    const from = at;
    while (text[at] === " " || text[at] === "\t") at++;
    if (text[at] === "\r") at++;
    if (text[at] !== "\n") {
      at = from;
      break;
    }
    at++;
    lines++;
    LINE_PREFIX.lastIndex = at;
    LINE_PREFIX.exec(text);
    at = LINE_PREFIX.lastIndex;
  }
  furthest = Math.max(furthest, at + 2);
  if (lines > 0) {
    // ",\n" and "\n," both join lines ("KERAVA\n, UU\n 51771").
    if (text[at] === ",") at++;
    while (text[at] === " ") at++;
    c.at = at;
    return "line";
  }
  if (text[at - 1] === "," && text[at] === " ") {
    c.at = at + 1;
    return "comma";
  }
  if (text[at] === " " && text[at - 1] !== ",") {
    c.at = at + 1;
    return "space";
  }
  return undefined;
}

/** Whether position `at` ends a line (or the text, or a sentence). */
function endsLine(text: string, at: number): boolean {
  const ch = text[at];
  return ch === undefined || ch === "\n" || ch === "\r" || (/[.?!,;]/u.test(ch) && !isWordChar(text, at + 1));
}

interface Locality {
  words: number;
  lastWords: string;
  postcode: boolean;
  region: boolean;
  /** Where the words (or the region code) end; a postcode starts one character later. */
  wordsEnd: number;
}

/** One part of an address block, for reporting a letterhead's lines one by one. */
interface Part {
  start: number;
  end: number;
  entity: "STREET_ADDRESS" | "LOCATION";
}

/**
 * One part of the locality: a postcode, a region code, or a few words (a city, a country),
 * possibly followed by the postcode on the same line. On a line of its own any case is accepted
 * (lines delimit it); on the street's line only capitalised words and particles.
 */
function readLocality(
  text: string,
  c: Cursor,
  sep: "line" | "comma" | "space",
  lowerText: boolean,
): Locality | undefined {
  const code = sticky(POSTCODE, text, c.at);
  if (code !== undefined) {
    const codeStart = c.at;
    c.at += code.length;
    // "69007 Lyon": in European order the city follows the postcode on its line.
    const city =
      /^ \p{Lu}[\p{L}\p{M}'’-]*(?: (?:(?:am|an der|sur|sous|de|del|di|la|le|en|upon|on|im|in|bei) )?\p{Lu}[\p{L}\p{M}'’-]*){0,2}(?![\p{L}\p{N}])/u.exec(
        text.slice(c.at, c.at + 60),
      );
    furthest = Math.max(furthest, c.at + (city ? city[0].length + 16 : 2));
    if (city && !SENTENCE_WORDS.has(city[0].trim().split(" ")[0]?.toLowerCase() ?? "")) c.at += city[0].length;
    return { words: 0, lastWords: "", postcode: true, region: false, wordsEnd: codeStart - 1 };
  }
  if (sep !== "space") {
    const region = sticky(REGION, text, c.at);
    if (region !== undefined) {
      const after = { at: c.at + region.length };
      const next = text[after.at];
      if (next === "\n" || next === "\r" || (next === " " && /\d/u.test(text[after.at + 1] ?? ""))) {
        // "CA 13241": the postcode after the region code is part of it.
        const tail = next === " " ? sticky(POSTCODE, text, after.at + 1) : undefined;
        c.at = tail === undefined ? after.at : after.at + 1 + tail.length;
        return { words: 0, lastWords: region, postcode: tail !== undefined, region: true, wordsEnd: after.at };
      }
    }
  }
  let at = c.at;
  let words = 0;
  const parts: string[] = [];
  let end = at;
  while (words < MAX_LINE_WORDS) {
    if (words > 0) {
      if (text[at] !== " ") break;
      at++;
    }
    const word = sticky(WORD, text, at);
    if (word === undefined) break;
    const bare = word.replace(/\.$/u, "");
    const lower = bare.toLowerCase();
    const capital = /^\p{Lu}/u.test(word);
    if (sep === "line") {
      if (SENTENCE_WORDS.has(lower) && lower !== "and") break;
    } else if (!(capital || lowerText || PARTICLES.has(lower)) || SENTENCE_WORDS.has(lower)) break;
    parts.push(bare);
    words++;
    at += word.length;
    end = at;
    // "Ethiopia. Please call me": a full stop before the next sentence ends the part.
    if (word.endsWith(".") && word.length > 3 && text[at] === " ") break;
  }
  while (parts.length > 0 && PARTICLES.has(parts[parts.length - 1] as string)) {
    const last = parts.pop() as string;
    end = text.lastIndexOf(last, end - 1);
    words--;
    while (text[end - 1] === " ") end--;
  }
  if (words === 0) return undefined;
  // The city or country and its postcode on one line ("Gabon 66298", "Melo, CA 13241" is two parts).
  const wordsEnd = end;
  let postcode = false;
  if (text[end] === " ") {
    const tail = sticky(POSTCODE, text, end + 1);
    if (tail !== undefined) {
      end += 1 + tail.length;
      postcode = true;
    }
  }
  // A line of its own must end where its words end.
  if (sep === "line" && !postcode && !endsLine(text, end) && text[end - 1] !== ".") return undefined;
  c.at = text[end - 1] === "." && !postcode ? end - 1 : end;
  return { words, lastWords: parts.join(" "), postcode, region: false, wordsEnd };
}

/** An address block: where it ends, its parts, and whether its locality is on lines of its own. */
interface Block {
  end: number;
  parts: Part[];
  lines: number;
}

/**
 * An address from `start`, or undefined: the street, an optional unit, the locality parts, and
 * the evidence that it is an address.
 */
function readBlock(text: string, start: number, isPlace: (name: string) => boolean): Block | undefined {
  furthest = start;
  // Words in lower case count only in an address written all in lower case: decided by the
  // address's own characters, so the answer does not depend on text around it.
  const lower = readBlockAs(text, start, true, isPlace);
  if (lower && !/\p{Lu}/u.test(text.slice(start, lower.end))) return lower;
  return readBlockAs(text, start, false, isPlace);
}

function readBlockAs(
  text: string,
  start: number,
  lowerText: boolean,
  isPlace: (name: string) => boolean,
): Block | undefined {
  const c: Cursor = { at: start };
  if (!readStreet(text, c, lowerText)) return undefined;
  const found: Part[] = [{ start, end: c.at, entity: "STREET_ADDRESS" }];
  const streetNumberFirst = /^\d/u.test(text[start] ?? "");
  let end = c.at;
  let unit = false;
  let lines = 0;
  {
    const probe: Cursor = { at: c.at };
    const sep = readSeparator(text, probe);
    const code = sep === undefined ? undefined : sticky(UNIT, text, probe.at);
    if (code !== undefined) {
      unit = true;
      if (sep === "line") lines++;
      found.push({ start: probe.at, end: probe.at + code.length, entity: "STREET_ADDRESS" });
      end = probe.at + code.length;
      c.at = end;
    }
  }
  let parts = 0;
  let postcode = false;
  let region = false;
  let lastPlace = false;
  let sameLine = true;
  for (let k = 0; k < MAX_LOCALITY_PARTS && !postcode; k++) {
    const probe: Cursor = { at: c.at };
    const sep = readSeparator(text, probe);
    if (sep === undefined) break;
    if (sep === "line") sameLine = false;
    // On the street's line, a locality follows a unit or a comma ("Apt. 967 Tálknafjörður Guinea").
    if (sep === "space" && !(unit || parts > 0)) break;
    if (sep === "space" && !sameLine) break;
    if (probe.at - start > ADDRESS_BLOCK_MAX_SPAN) break;
    const from = probe.at;
    const part = readLocality(text, probe, sep, lowerText);
    if (part === undefined) break;
    parts++;
    if (sep === "line") lines++;
    if (part.words > 0) found.push({ start: from, end: part.wordsEnd, entity: "LOCATION" });
    if (part.postcode) {
      const codeStart = part.wordsEnd + 1;
      found.push({ start: codeStart, end: probe.at, entity: "STREET_ADDRESS" });
    }
    postcode ||= part.postcode;
    region ||= part.region;
    lastPlace = part.words > 0 && isPlace(part.lastWords);
    c.at = probe.at;
    end = probe.at;
  }
  if (end - start > ADDRESS_BLOCK_MAX_SPAN) return undefined;
  const evidence =
    // A unit after a house number ("12 Elm St Apt. 4"), or after any street with a locality.
    (unit && (streetNumberFirst || parts >= 1)) ||
    (postcode && parts >= 1 && (parts >= 2 || region || lines > 0 || streetNumberFirst)) ||
    (region && parts >= 2) ||
    (parts >= 2 && lastPlace);
  return evidence ? { end, parts: found, lines } : undefined;
}

/**
 * Whether an address block starts a letterhead: its street opens a line that follows no label
 * ("Address:") and no sentence, as in a signature or an envelope ("Amy Szepesy / 95 Halsey Road /
 * Suite 881 / HAYBOROUGH / Thailand 52574"). Such a block is reported line by line, the way
 * Presidio's data labels it: street, unit and postcode as addresses, city and country as places.
 */
function isLetterhead(text: string, start: number): boolean {
  let at = start - 1;
  while (at >= 0 && start - at <= LOOK_BACK && /[ \t>?•*-]/u.test(text[at] as string)) at--;
  if (at < 0) return true;
  if (text[at] !== "\n") return false;
  const lineEnd = at;
  while (at >= 0 && lineEnd - at <= LOOK_BACK && /\s/u.test(text[at] as string)) at--;
  return at < 0 || text[at] !== ":";
}

/** How far the letterhead tests look back over prefixes and blank lines (bounded for streaming). */
const LOOK_BACK = 16;

/**
 * A letterhead's street line with two house numbers ("78 Camiño Ancho 91", "18 15 Millicent
 * Drive") is a building number written before a street that carries its own: Faker's
 * `{{building_number}} {{street_name}}`, which Presidio's data labels as two spans. Real streets
 * carry one number, so this changes nothing else; the line is reported whole otherwise.
 */
function splitBuildingNumber(text: string, parts: readonly Part[]): Part[] {
  const street = parts[0];
  if (!street) return [];
  const line = text.slice(street.start, street.end);
  const m = /^(\d{1,5}) (?=\S)/u.exec(line);
  if (!m || !/\d/u.test(line.slice(m[0].length))) return [...parts];
  const number = (m[1] as string).length;
  return [
    { start: street.start, end: street.start + number, entity: "STREET_ADDRESS" },
    { start: street.start + m[0].length, end: street.end, entity: "STREET_ADDRESS" },
    ...parts.slice(1),
  ];
}

/**
 * The line right above a letterhead's street, when it is a few words without digits: in a
 * signature or on an envelope it names the organisation ("Paula Bjelajac / Demystdata / 11 ...").
 * Scored low, so a known person's name on that line wins.
 */
function organizationLineBefore(text: string, start: number): Detection | undefined {
  let lineStart = start;
  while (lineStart > 0 && text[lineStart - 1] !== "\n") lineStart--;
  if (lineStart === 0) return undefined;
  const end = lineStart - 1;
  let from = end;
  while (from > 0 && end - from <= 60 && text[from - 1] !== "\n") from--;
  if (from === 0 || text[from - 1] !== "\n") return undefined;
  LINE_PREFIX.lastIndex = from;
  LINE_PREFIX.exec(text);
  const line = text.slice(LINE_PREFIX.lastIndex, end).replace(/\s+$/u, "");
  if (!/^[\p{L}\p{M}][\p{L}\p{M}'’&.,-]*(?: [\p{L}\p{M}&][\p{L}\p{M}'’&.,-]*){0,4}$/u.test(line)) return undefined;
  const at = LINE_PREFIX.lastIndex;
  return {
    entity: "ORGANIZATION",
    start: at,
    end: at + line.length,
    score: 0.52,
    detector: "pii",
    ruleId: "organization-letterhead",
    reasons: ["letterhead"],
  };
}

const MILITARY =
  /(?<![\p{L}\p{N}])(?:(?:PSC|Unit|CMR) \d{1,5},? Box \d{1,5}|USNS \p{Lu}[\p{L}\p{M}'’-]{1,30}|USS \p{Lu}[\p{L}\p{M}'’-]{1,30})(?:,? ?\r?\n[ \t>]*|,? )(?:APO|FPO|DPO) A[AEP] \d{5}(?:-\d{4})?(?![\p{L}\p{N}])/giu;
const NAMED_POSTCODE =
  /(?<![\p{L}\p{N}])(?:zip(?: ?code)?|zipcode|postal code|postcode|post code)(?: is| was|:)? ?(?<value>\d{5}(?:-\d{4})?)(?![\p{L}\p{N}])/giu;

/** Where an address block may start: a house number, or the first word of a line that holds a digit. */
function candidateStarts(text: string, hints: ScanHints): number[] {
  const anchors = hints.anchors("digit");
  const out: number[] = [];
  let lastLine = -1;
  for (let i = 0; i < anchors.length; i += 2) {
    const s = anchors[i] as number;
    const e = anchors[i + 1] as number;
    // The first word of this line, when the line holds the street ("Floridusgasse 89 Oomen Street").
    let lineStart = s;
    while (lineStart > 0 && s - lineStart <= 60 && text[lineStart - 1] !== "\n") lineStart--;
    if (lineStart !== lastLine && (lineStart === 0 || text[lineStart - 1] === "\n")) {
      lastLine = lineStart;
      LINE_PREFIX.lastIndex = lineStart;
      LINE_PREFIX.exec(text);
      lineStart = LINE_PREFIX.lastIndex;
      if (lineStart < s && /\p{L}/u.test(text[lineStart] ?? "")) out.push(lineStart);
    }
    if (e - s > 5) continue;
    const before = s === 0 ? "\n" : (text[s - 1] as string);
    if (before !== " " && before !== "\n" && before !== "\t" && before !== ">" && before !== "(") continue;
    // "Apt. 434 40 Rue ...": a unit's number does not start a street.
    if (/(?:apt\.?|suite|unit|flat|#) ?$/iu.test(text.slice(Math.max(0, s - 7), s))) continue;
    out.push(s);
  }
  return out.sort((a, b) => a - b);
}

/** Address blocks, military addresses and named postcodes. */
export function addressBlockRecognizer(isPlace: (name: string) => boolean = () => false): Recognizer {
  return {
    id: "street-address-block",
    entities: ["STREET_ADDRESS", "LOCATION", "ORGANIZATION"],
    maxLength: ADDRESS_BLOCK_MAX_SPAN,
    hold: createBlockHold(isPlace),
    recognize(text: string, _reach: number, hints?: ScanHints): Detection[] {
      const out: Detection[] = [];
      let covered = 0;
      for (const start of candidateStarts(text, hints ?? createScanHints(text))) {
        if (start < covered) continue;
        const found = readBlock(text, start, isPlace);
        if (found === undefined) continue;
        if (found.lines > 0 && isLetterhead(text, start)) {
          const organization = organizationLineBefore(text, start);
          if (organization) out.push(organization);
          for (const part of splitBuildingNumber(text, found.parts)) {
            const detection = block(part.start, part.end, 0.95, ["address-block", "letterhead"]);
            out.push(part.entity === "LOCATION" ? { ...detection, entity: "LOCATION", score: 0.8 } : detection);
          }
        } else out.push(block(start, found.end, 0.95, ["address-block"]));
        covered = found.end;
      }
      MILITARY.lastIndex = 0;
      for (let m = MILITARY.exec(text); m !== null; m = MILITARY.exec(text)) {
        out.push(block(m.index, m.index + m[0].length, 0.95, ["military-address"]));
      }
      NAMED_POSTCODE.lastIndex = 0;
      for (let m = NAMED_POSTCODE.exec(text); m !== null; m = NAMED_POSTCODE.exec(text)) {
        const value = m.groups?.value ?? "";
        const start = m.index + m[0].length - value.length;
        out.push(block(start, start + value.length, 0.7, ["named-postcode"]));
      }
      return out;
    },
  };
}

/** Characters past an attempt's furthest read that its single-character tests may look at. */
const LOOK_AHEAD = 2;
/** Characters no address block, military address or named postcode contains, nor looks back across. */
const BREAK = /[@;!"=<>[\]{}|\\`^$%+_~]/u;
const KEYWORD_TAIL = /(?<![\p{L}\p{N}])(?:psc|unit|cmr|usns|uss|zip|postal|postcode|post code)/giu;
/** A military address or named postcode has its first digit within this many characters of its keyword. */
const KEYWORD_DIGIT_REACH = 48;

/**
 * Streaming hold for address blocks: the earliest attempt (from a house number or a line start)
 * that read within LOOK_AHEAD of the end of the text may still change, and with it the line above
 * (a letterhead's organisation); so may a military address or a named postcode whose keyword is
 * near the end.
 */
function createBlockHold(isPlace: (name: string) => boolean): RecognizerHold {
  return {
    openFrom(text) {
      const n = text.length;
      const low = Math.max(0, n - ADDRESS_BLOCK_MAX_SPAN - 2 * LOOK_AHEAD);
      const offset = Math.max(0, low - 80);
      const tail = text.slice(offset);
      let open = n;
      for (const local of candidateStarts(tail, createScanHints(tail))) {
        const start = local + offset;
        if (start < low) continue;
        readBlock(text, start, isPlace);
        if (furthest + LOOK_AHEAD >= n) {
          // A letterhead's organisation line, above a street that opens a line, may follow it.
          const above = isLineStart(text, start) ? organizationLineBefore(text, start) : undefined;
          open = above ? Math.min(start, above.start) : start;
          break;
        }
      }
      const from = Math.max(0, n - 100);
      const keywords = text.slice(from);
      KEYWORD_TAIL.lastIndex = 0;
      for (let m = KEYWORD_TAIL.exec(keywords); m !== null; m = KEYWORD_TAIL.exec(keywords)) {
        const after = keywords.slice(m.index);
        if (after.length < KEYWORD_DIGIT_REACH || /\d/u.test(after)) {
          open = Math.min(open, from + m.index);
          break;
        }
      }
      return open;
    },
    isBreak(text, at) {
      return BREAK.test(text[at] as string);
    },
  };
}

/** Whether `at` opens a line, after the line's prefix ("> ", "??? "). */
function isLineStart(text: string, at: number): boolean {
  let k = at;
  while (k > 0 && at - k <= LOOK_BACK && /[ \t>?•*-]/u.test(text[k - 1] as string)) k--;
  return k === 0 || text[k - 1] === "\n";
}

function block(start: number, end: number, score: number, reasons: string[]): Detection {
  return { entity: "STREET_ADDRESS", start, end, score, detector: "pii", ruleId: "street-address", reasons };
}
