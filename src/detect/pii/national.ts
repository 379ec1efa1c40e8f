/**
 * Check-digit and structure rules of European national identifiers and BIC codes: pure
 * functions from a candidate string (as written, separators allowed) to valid or not. They only
 * say whether a value *can* be the identifier; recognisers add shape and context words.
 */
import { isLuhnValid } from "./validators.js";

/** Only the letters and digits of a value, upper-cased ("12 345 678 901" is "12345678901"). */
function compact(text: string): string {
  return text.replace(/[\s./-]/g, "").toUpperCase();
}

function isDigits(text: string): boolean {
  return /^\d+$/.test(text);
}

/**
 * German tax identification number (Steuerliche Identifikationsnummer, § 139b AO): 11 digits,
 * the first not 0; among the first ten exactly one digit occurs more than once, twice or three
 * times, and a digit occurring three times does not do so in three adjacent places; the last
 * digit is the ISO 7064 MOD 11,10 check digit of the first ten.
 */
export function isDeTaxId(text: string): boolean {
  const d = compact(text);
  if (d.length !== 11 || !isDigits(d) || d[0] === "0") return false;
  const body = d.slice(0, 10);
  const counts = new Array<number>(10).fill(0);
  for (const c of body) counts[Number(c)] = (counts[Number(c)] as number) + 1;
  const repeated = counts.filter((n) => n > 1);
  if (repeated.length !== 1 || (repeated[0] as number) > 3) return false;
  if (repeated[0] === 3 && /(\d)\1\1/.test(body)) return false;
  return iso7064Mod11_10(body) === Number(d[10]);
}

/** ISO 7064 MOD 11,10 check digit of a digit string. */
export function iso7064Mod11_10(digits: string): number {
  let product = 10;
  for (const c of digits) {
    let sum = (Number(c) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

/**
 * French social security number (NIR, numéro INSEE): sex (1, 2; 3, 4, 7, 8 for provisional
 * numbers), year, month (01–12, or 20–42 and 50–99 when unknown), département (01–99, or 2A/2B for
 * Corsica), commune, order number, then a two-digit key: 97 minus the 13-digit number modulo 97,
 * Corsica counted as 19 (2A) and 18 (2B).
 */
export function isFrNir(text: string): boolean {
  const v = compact(text);
  if (!/^[123478]\d{4}(?:\d{2}|2[AB])\d{8}$/.test(v)) return false;
  const month = Number(v.slice(3, 5));
  if (month === 0 || (month > 12 && month < 20) || (month > 42 && month < 50)) return false;
  if (v.slice(5, 7) === "00" || v.slice(7, 10) === "000" || v.slice(10, 13) === "000") return false;
  const numeric = v.slice(0, 13).replace("2A", "19").replace("2B", "18");
  const key = 97 - Number(BigInt(numeric) % 97n);
  return key === Number(v.slice(13));
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** Spanish DNI (NIF of a person): 8 digits and the letter of their value modulo 23. */
export function isEsDni(text: string): boolean {
  const v = compact(text);
  if (!/^\d{8}[A-Z]$/.test(v)) return false;
  return DNI_LETTERS[Number(v.slice(0, 8)) % 23] === v[8];
}

/** Spanish NIE (foreigner's number): X, Y or Z (read as 0, 1, 2), 7 digits, and the DNI letter. */
export function isEsNie(text: string): boolean {
  const v = compact(text);
  if (!/^[XYZ]\d{7}[A-Z]$/.test(v)) return false;
  const number = Number(`${"XYZ".indexOf(v[0] as string)}${v.slice(1, 8)}`);
  return DNI_LETTERS[number % 23] === v[8];
}

/** Values of the characters in odd (1st, 3rd, ...) places of a codice fiscale, by digit and letter. */
const CF_ODD_DIGITS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
const CF_ODD_LETTERS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
/** Month letters of a codice fiscale, January to December. */
const CF_MONTHS = "ABCDEHLMPRST";
/** Letters that replace digits in an "omocodia" code (0–9), in positions that hold digits. */
const CF_OMOCODES = "LMNPQRSTUV";

/**
 * Italian tax code (codice fiscale) of a person: 3 surname and 3 name letters, year, month letter,
 * day (41–71 for women), place code (letter and 3 digits), check letter. Digits may be replaced by
 * the omocodia letters L–V. The check letter is the sum of odd-place values (a fixed table) and
 * even-place values (0–9, A–Z as 0–25) modulo 26.
 */
export function isItFiscalCode(text: string): boolean {
  const v = compact(text);
  const o = `[0-9${CF_OMOCODES}]`;
  if (!new RegExp(`^[A-Z]{6}${o}{2}[${CF_MONTHS}]${o}{2}[A-Z]${o}{3}[A-Z]$`).test(v)) return false;
  const digit = (c: string) => (isDigits(c) ? Number(c) : CF_OMOCODES.indexOf(c));
  const day = digit(v[9] as string) * 10 + digit(v[10] as string);
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return fiscalCodeCheck(v.slice(0, 15)) === v[15];
}

/** The check letter of the first 15 characters of a codice fiscale. */
export function fiscalCodeCheck(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = first15[i] as string;
    const isDigit = c >= "0" && c <= "9";
    const index = isDigit ? Number(c) : c.charCodeAt(0) - 65;
    // Places are counted from 1: index 0 is the first, odd place.
    sum += i % 2 === 0 ? ((isDigit ? CF_ODD_DIGITS[index] : CF_ODD_LETTERS[index]) as number) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Prefixes HMRC never issues as National Insurance numbers. */
const NINO_BAD_PREFIXES = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);

/**
 * UK National Insurance number: two prefix letters (first not D, F, I, Q, U, V; second not D, F,
 * I, O, Q, U, V; not BG, GB, KN, NK, NT, TN, ZZ), six digits and a suffix A–D. There is no check
 * digit: a NINO is a shape, so recognisers lean on context words.
 */
export function isUkNino(text: string): boolean {
  const v = compact(text);
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(v)) return false;
  return !NINO_BAD_PREFIXES.has(v.slice(0, 2));
}

/**
 * Dutch citizen service number (BSN): 9 digits passing the "elfproef", 9·d1 + 8·d2 + … + 2·d8 − d9
 * divisible by 11, and not 0.
 */
export function isNlBsn(text: string): boolean {
  const d = compact(text);
  if (d.length !== 9 || !isDigits(d) || /^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(d[i]) * (9 - i);
  sum -= Number(d[8]);
  return sum % 11 === 0;
}

/**
 * Polish PESEL: YYMMDD (the month carries the century: +80 for the 1800s, +20 2000s, +40 2100s,
 * +60 2200s), a serial and a check digit, (10 − Σ wᵢ·dᵢ mod 10) mod 10 with weights 1, 3, 7, 9;
 * the date must exist.
 */
export function isPlPesel(text: string): boolean {
  const d = compact(text);
  if (d.length !== 11 || !isDigits(d)) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = weights.reduce((total, w, i) => total + w * Number(d[i]), 0);
  if ((10 - (sum % 10)) % 10 !== Number(d[10])) return false;
  const monthCode = Number(d.slice(2, 4));
  const century = [1900, 2000, 2100, 2200, 1800][Math.floor(monthCode / 20)];
  if (century === undefined) return false;
  return isDate(century + Number(d.slice(0, 2)), monthCode % 20, Number(d.slice(4, 6)));
}

/**
 * Swedish personal identity number (personnummer, and the coordination number with day + 60):
 * YYMMDD or YYYYMMDD, a separator `-` (or `+` from the year a person turns 100) or none, three
 * serial digits and a Luhn check digit over the ten digits YYMMDDNNN.
 */
export function isSePersonnummer(text: string): boolean {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})$/.exec(text.trim());
  if (!m) return false;
  const [, century, yy, mm, dd, tail] = m as unknown as [string, string | undefined, string, string, string, string];
  if (century !== undefined && century !== "18" && century !== "19" && century !== "20") return false;
  const day = Number(dd) > 60 ? Number(dd) - 60 : Number(dd);
  // Without a century the date is checked in a leap year, so 29 February always passes.
  const year = century === undefined ? 2000 : Number(century + yy);
  if (!isDate(year, Number(mm), day)) return false;
  return isLuhnValid(`${yy}${mm}${dd}${tail}`);
}

function isDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * ISO 3166-1 alpha-2 country codes (the 249 assigned ones), plus XK, which SWIFT uses for
 * Kosovo.
 */
export const ISO_3166_ALPHA2: ReadonlySet<string> = new Set(
  [
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ",
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ",
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ",
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR",
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU",
    "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ",
    "LA LB LC LI LK LR LS LT LU LV LY",
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ",
    "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA",
    "RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ",
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ",
    "VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW",
  ]
    .join(" ")
    .split(" "),
);

/**
 * BIC (SWIFT code, ISO 9362): 4 letters of institution, an ISO 3166 country, 2 letters or
 * digits of location and optionally 3 of branch. Upper case only, as BICs are written.
 */
export function isBic(text: string): boolean {
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(text)) return false;
  return ISO_3166_ALPHA2.has(text.slice(4, 6)) || text.slice(4, 6) === "XK";
}
