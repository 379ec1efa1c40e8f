/**
 * holdout3 of the multilingual PII set (issue 22): a fresh, independent evaluation split written
 * by a helper that never read the detector (src/detect/**, rules/**) nor ran it. Seeded and
 * deterministic; its templates, name pools, streets, cities and negatives are all new (none of
 * bench/pii-multilingual-data.ts's templates or pools are used, and no code is imported from it).
 *
 * Languages: German, French, Spanish, Italian, Dutch, English (UK), Polish, Swedish.
 * Labels: DE_TAX_ID, FR_NIR, ES_NIF, ES_NIE, IT_FISCAL_CODE, UK_NINO, NL_BSN, PL_PESEL,
 * SE_PERSONNUMMER, SWIFT_CODE, IBAN_CODE, PERSON, STREET_ADDRESS. Nothing else is labelled
 * (cities, banks and organisations are left unlabelled; no e-mail addresses or phone numbers).
 *
 * Every identifier is computed here from its published rule (check digits, national check
 * digits of IBANs). bench/check-pii-multilingual-holdout3.ts re-checks the written file with
 * validators written separately.
 *
 * Run: node --import tsx bench/pii-multilingual-holdout3-data.ts
 * Writes: bench/data/pii-multilingual-holdout3.jsonl
 */
import { writeFileSync } from "node:fs";
import { mulberry32 } from "./pii-corpus.js";

export const SEED = 20_261_207;

const random = mulberry32(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;
const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join("");
const pad = (n: number | string, width: number) => String(n).padStart(width, "0");
const shuffle = <T>(a: T[]): T[] => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = int(0, i);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
};

// ---- records -------------------------------------------------------------------------------

export interface Span {
  start: number;
  end: number;
  type: string;
}
interface VSpan extends Span {
  value: string;
}
interface Rec {
  text: string;
  spans: VSpan[];
}
interface Val {
  type: string;
  value: string;
}
type Part = string | number | Val | Rec;

/** Tagged template: `${v("TYPE", value)}` parts become spans; nested Recs keep their spans. */
function s(strings: TemplateStringsArray, ...parts: Part[]): Rec {
  let text = "";
  const spans: VSpan[] = [];
  strings.forEach((chunk, i) => {
    text += chunk;
    if (i >= parts.length) return;
    const p = parts[i] as Part;
    if (typeof p === "string" || typeof p === "number") text += String(p);
    else if ("text" in p) {
      for (const sp of p.spans) spans.push({ ...sp, start: sp.start + text.length, end: sp.end + text.length });
      text += p.text;
    } else {
      spans.push({ start: text.length, end: text.length + p.value.length, type: p.type, value: p.value });
      text += p.value;
    }
  });
  return { text, spans };
}
const v = (type: string, value: string): Val => ({ type, value });
/** A whole record lower-cased (chat style); span values follow, offsets are unchanged. */
function lower(r: Rec): Rec {
  return { text: r.text.toLowerCase(), spans: r.spans.map((x) => ({ ...x, value: x.value.toLowerCase() })) };
}

// ---- identifiers from their published rules -----------------------------------------------

/** Steuer-ID: 10 digits (first not 0), one digit twice (or, since 2016, three times but not all three adjacent), ISO 7064 MOD 11,10 check. */
function steuerIdRaw(): string {
  for (;;) {
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    let body: number[];
    if (chance(0.15)) {
      const [m1, m2, rep] = shuffle([...all]).slice(0, 3) as [number, number, number];
      body = shuffle([...all.filter((d) => d !== m1 && d !== m2 && d !== rep), rep, rep, rep]);
      if (body.join("").includes(`${rep}${rep}${rep}`)) continue;
    } else {
      const [m, rep] = shuffle([...all]).slice(0, 2) as [number, number];
      body = shuffle([...all.filter((d) => d !== m), rep]);
    }
    if (body[0] === 0) continue;
    let product = 10;
    for (const d of body) {
      let sum = (d + product) % 10;
      if (sum === 0) sum = 10;
      product = (sum * 2) % 11;
    }
    let check = 11 - product;
    if (check === 10) check = 0;
    return body.join("") + check;
  }
}
function steuerId(): string {
  const id = steuerIdRaw();
  return chance(0.45) ? `${id.slice(0, 2)} ${id.slice(2, 5)} ${id.slice(5, 8)} ${id.slice(8)}` : id;
}

/** NIR: sex, year, month, department (2A/2B, DOM, 99 abroad), commune, order, key 97 - n mod 97. */
function nir(sex?: "m" | "f"): string {
  const sx = sex ? (sex === "m" ? "1" : "2") : pick(["1", "2"]);
  const yy = pad(int(0, 99), 2);
  const mm = pad(int(1, 12), 2);
  const r = random();
  let dept: string;
  let commune: string;
  if (r < 0.08) {
    dept = pick(["2A", "2B"]);
    commune = pad(int(1, 366), 3);
  } else if (r < 0.13) {
    dept = `97${int(1, 4)}`;
    commune = pad(int(1, 34), 2);
  } else if (r < 0.18) {
    dept = "99";
    commune = pick(["100", "109", "127", "134", "139", "216", "350", "351"]);
  } else {
    dept = pad(pick([int(1, 19), int(21, 95)]), 2);
    commune = pad(int(1, 900), 3);
  }
  const order = pad(int(1, 999), 3);
  const first = `${sx}${yy}${mm}${dept}${commune}${order}`;
  const n = BigInt(first.replace("2A", "19").replace("2B", "18"));
  const key = pad(97 - Number(n % 97n), 2);
  if (chance(0.5)) return `${sx} ${yy} ${mm} ${dept} ${commune} ${order} ${key}`;
  return `${first}${key}`;
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
function dni(): string {
  const n = chance(0.1) ? int(500_000, 9_999_999) : int(10_000_000, 79_999_999);
  const num = pad(n, 8);
  const l = DNI_LETTERS[n % 23] as string;
  const f = random();
  if (f < 0.5) return `${num}${l}`;
  if (f < 0.75) return `${num}-${l}`;
  if (f < 0.9) return `${num.slice(0, 2)}.${num.slice(2, 5)}.${num.slice(5)}-${l}`;
  return `${num} ${l}`;
}
function nie(): string {
  const lead = chance(0.15) ? 2 : int(0, 1);
  const n = int(0, 9_999_999);
  const l = DNI_LETTERS[(lead * 10_000_000 + n) % 23] as string;
  const p = "XYZ"[lead] as string;
  const f = random();
  if (f < 0.55) return `${p}${pad(n, 7)}${l}`;
  if (f < 0.85) return `${p}-${pad(n, 7)}-${l}`;
  return `${p}${pad(n, 7)}-${l}`;
}

// codice fiscale ------------------------------------------------------------------------------
const CF_ODD: Record<string, number> = {};
"1 0 5 7 9 13 15 17 19 21 2 4 18 20 11 3 6 8 12 14 16 10 22 25 24 23".split(" ").forEach((x, i) => {
  CF_ODD[String.fromCharCode(65 + i)] = Number(x);
  if (i < 10) CF_ODD[String(i)] = Number(x);
});
function cfCheckChar(s15: string): string {
  let sum = 0;
  [...s15].forEach((c, i) => {
    if (i % 2 === 0) sum += CF_ODD[c] as number;
    else sum += /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65;
  });
  return String.fromCharCode(65 + (sum % 26));
}
const strip = (x: string) =>
  x
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
const isVowel = (c: string) => "AEIOU".includes(c);
function cfSurname(last: string): string {
  const l = strip(last);
  return `${[...l].filter((c) => !isVowel(c)).join("")}${[...l].filter(isVowel).join("")}XXX`.slice(0, 3);
}
function cfFirst(first: string): string {
  const l = strip(first);
  const cons = [...l].filter((c) => !isVowel(c));
  if (cons.length >= 4) return `${cons[0]}${cons[2]}${cons[3]}`;
  return `${cons.join("")}${[...l].filter(isVowel).join("")}XXX`.slice(0, 3);
}
const BELFIORE_IT = [
  "H501",
  "F205",
  "F839",
  "L219",
  "G273",
  "D969",
  "A944",
  "D612",
  "A662",
  "L736",
  "L781",
  "C351",
  "B157",
  "G224",
  "E506",
  "L424",
  "F158",
  "B354",
  "G478",
  "H703",
];
const BELFIORE_ABROAD = ["Z129", "Z100", "Z112", "Z210", "Z330", "Z138", "Z404"];
const OMOCODE = "LMNPQRSTUV";
function codiceFiscale(p: { first: string; last: string; female: boolean; foreign?: boolean }): string {
  const yy = pad(int(40, 99) % 100, 2);
  const month = pick([..."ABCDEHLMPRST"]);
  const day = pad(int(1, 28) + (p.female ? 40 : 0), 2);
  const place = p.foreign ? pick(BELFIORE_ABROAD) : pick(BELFIORE_IT);
  const chars = [...`${cfSurname(p.last)}${cfFirst(p.first)}${yy}${month}${day}${place}`];
  if (chance(0.08)) {
    // omocodia: digits replaced from the right (positions 14, 13, 12, 10, 9, 7, 6).
    const positions = [14, 13, 12, 10, 9, 7, 6].slice(0, int(1, 2));
    for (const i of positions) chars[i] = OMOCODE[Number(chars[i])] as string;
  }
  const head = chars.join("");
  return head + cfCheckChar(head);
}

/** NINO: prefix letters (not D F I Q U V; second not O; not BG GB KN NK NT TN ZZ), six digits, suffix A–D. */
function nino(): string {
  for (;;) {
    const a = pick([..."ABCEGHJKLMNOPRSTWXYZ"]);
    const b = pick([..."ABCEGHJKLMNPRSTWXYZ"]);
    if (["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].includes(a + b)) continue;
    const d = digits(6);
    const suffix = pick([..."ABCD"]);
    const f = random();
    if (f < 0.5) return `${a}${b} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suffix}`;
    if (f < 0.85) return `${a}${b}${d}${suffix}`;
    return `${a}${b} ${d} ${suffix}`;
  }
}

/** BSN: nine digits, 9a+8b+…+2h−i ≡ 0 (mod 11). */
function bsnRaw(): string {
  for (;;) {
    const d = `${int(1, 7)}${digits(7)}`;
    const sum = [...d].reduce((t, c, i) => t + Number(c) * (9 - i), 0);
    const last = sum % 11;
    if (last <= 9) return d + last;
  }
}
function bsn(): string {
  const b = bsnRaw();
  const f = random();
  if (f < 0.55) return b;
  if (f < 0.8) return `${b.slice(0, 4)}.${b.slice(4, 6)}.${b.slice(6)}`;
  return `${b.slice(0, 3)} ${b.slice(3, 6)} ${b.slice(6)}`;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** PESEL: YYMMDD (month +20 for 2000s, +80 for 1800s), serial, sex digit (even = female), check. */
function pesel(female?: boolean, child = false): string {
  const year = child ? int(2008, 2021) : int(1938, 2012);
  const month = int(1, 12);
  const day = int(1, daysIn(year, month));
  const mm = month + (year >= 2000 ? 20 : 0);
  const sexDigit = female === undefined ? int(0, 9) : (female ? 0 : 1) + 2 * int(0, 4);
  const body = `${pad(year % 100, 2)}${pad(mm, 2)}${pad(day, 2)}${digits(3)}${sexDigit}`;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...body].reduce((t, c, i) => t + Number(c) * (w[i] as number), 0);
  return body + ((10 - (sum % 10)) % 10);
}

/** Personnummer: YYMMDD-NNNC (Luhn over ten digits), with or without century; '+' from age 100. */
function personnummer(old = false, child = false, female?: boolean): string {
  const year = old ? int(1919, 1925) : child ? int(2009, 2022) : int(1938, 2008);
  const month = int(1, 12);
  const day = int(1, daysIn(year, month));
  const sexDigit = female === undefined ? int(0, 9) : (female ? 0 : 1) + 2 * int(0, 4);
  const ten = `${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}${digits(2)}${sexDigit}`;
  let sum = 0;
  [...ten].forEach((c, i) => {
    let x = Number(c) * (i % 2 === 0 ? 2 : 1);
    if (x > 9) x -= 9;
    sum += x;
  });
  const full = ten + ((10 - (sum % 10)) % 10);
  const cc = String(Math.floor(year / 100));
  if (old) return chance(0.7) ? `${full.slice(0, 6)}+${full.slice(6)}` : `${cc}${full.slice(0, 6)}-${full.slice(6)}`;
  const f = random();
  if (f < 0.42) return `${full.slice(0, 6)}-${full.slice(6)}`;
  if (f < 0.74) return `${cc}${full.slice(0, 6)}-${full.slice(6)}`;
  if (f < 0.92) return `${cc}${full}`;
  return full;
}

// banks: national bank code and the bank's BIC, so a BIC and an IBAN given together match -------
type Country = "DE" | "FR" | "ES" | "IT" | "NL" | "GB" | "PL" | "SE";
/** [national bank code, BIC (8 characters, or 11 where the bank uses a branch code)]. Public codes. */
const BANKS: Record<Country, [string, string][]> = {
  DE: [
    ["10050000", "BELADEBE"],
    ["20050550", "HASPDEHH"],
    ["37050198", "COLSDE33"],
    ["50010517", "INGDDEFF"],
    ["70020270", "HYVEDEMM"],
    ["43060967", "GENODEM1GLS"],
    ["12030000", "BYLADEM1001"],
    ["76010085", "PBNKDEFF"],
    ["66050101", "KARSDE66"],
    ["70150000", "SSKMDEMM"],
    ["60050101", "SOLADEST600"],
  ],
  FR: [
    ["30004", "BNPAFRPP"],
    ["30003", "SOGEFRPP"],
    ["10278", "CMCIFR2A"],
    ["20041", "PSSTFRPP"],
    ["30002", "CRLYFRPP"],
    ["10107", "BREDFRPP"],
    ["17515", "CEPAFRPP"],
    ["18206", "AGRIFRPP"],
  ],
  ES: [
    ["0049", "BSCHESMM"],
    ["0182", "BBVAESMM"],
    ["2100", "CAIXESBB"],
    ["0081", "BSABESBB"],
    ["0128", "BKBKESMM"],
    ["1465", "INGDESMM"],
    ["2038", "CAHMESMM"],
    ["0487", "GBMNESMM"],
  ],
  IT: [
    ["03069", "BCITITMM"],
    ["02008", "UNCRITMM"],
    ["05034", "BAPPIT21"],
    ["01030", "PASCITMM"],
    ["03062", "MEDBITMM"],
    ["05696", "POSOIT22"],
    ["01005", "BNLIITRR"],
    ["07601", "BPPIITRR"],
  ],
  NL: [
    ["ABNA", "ABNANL2A"],
    ["RABO", "RABONL2U"],
    ["INGB", "INGBNL2A"],
    ["SNSB", "SNSBNL2A"],
    ["TRIO", "TRIONL2U"],
    ["ASNB", "ASNBNL21"],
    ["KNAB", "KNABNL2H"],
    ["BUNQ", "BUNQNL2A"],
  ],
  GB: [
    ["BARC", "BARCGB22"],
    ["NWBK", "NWBKGB2L"],
    ["LOYD", "LOYDGB2L"],
    ["HBUK", "HBUKGB4B"],
    ["MIDL", "MIDLGB22"],
    ["SRLG", "SRLGGB2L"],
    ["MONZ", "MONZGB2L"],
  ],
  PL: [
    ["102", "BPKOPLPW"],
    ["105", "INGBPLPW"],
    ["109", "WBKPPLPP"],
    ["114", "BREXPLPW"],
    ["124", "PKOPPLPW"],
    ["116", "BIGBPLPW"],
    ["160", "PPABPLPK"],
    ["249", "ALBPPLPW"],
  ],
  SE: [
    ["500", "ESSESESS"],
    ["800", "SWEDSESS"],
    ["600", "HANDSESS"],
    ["300", "NDEASESS"],
    ["120", "DABASESX"],
    ["902", "ELLFSESS"],
  ],
};
/** Within one record, the first BIC or IBAN of a country chooses the bank and the next one follows it. */
let pendingBank: Partial<Record<Country, number>> = {};
function bankIndex(c: Country): number {
  const pending = pendingBank[c];
  if (pending !== undefined) {
    delete pendingBank[c];
    return pending;
  }
  const i = int(0, BANKS[c].length - 1);
  pendingBank[c] = i;
  return i;
}
function bic(c: Country): string {
  const b = (BANKS[c][bankIndex(c)] as [string, string])[1];
  if (b.length === 11) return b;
  return chance(0.7) ? b : `${b}XXX`;
}

// IBAN --------------------------------------------------------------------------------------
const alphaToNum = (x: string) => [...x].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join("");
function mod97(numeric: string): number {
  let r = 0;
  for (const c of numeric) r = (r * 10 + Number(c)) % 97;
  return r;
}
/** French BBAN: bank, branch, account, RIB key 97 - (89 bank + 15 branch + 3 account) mod 97. */
function frBban(bank: string): string {
  const branch = digits(5);
  const account = digits(11);
  const key = 97 - Number((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
  return `${bank}${branch}${account}${pad(key, 2)}`;
}
/** Spanish control digits: weights 1, 2, 4, 8, 5, 10, 9, 7, 3, 6 mod 11. */
function esControl(ten: string): number {
  const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const c = 11 - ([...ten].reduce((t, ch, i) => t + Number(ch) * (w[i] as number), 0) % 11);
  return c === 11 ? 0 : c === 10 ? 1 : c;
}
function esBban(bank: string): string {
  const branch = digits(4);
  const account = digits(10);
  return `${bank}${branch}${esControl(`00${bank}${branch}`)}${esControl(account)}${account}`;
}
/** Italian BBAN: CIN (the codice fiscale odd/even tables over ABI + CAB + account), ABI, CAB, account. */
function itBban(abi: string): string {
  const cab = digits(5);
  const account = chance(0.8) ? digits(12) : `CC${digits(10)}`;
  const rest = `${abi}${cab}${account}`;
  return cfCheckChar(rest) + rest;
}
/** Dutch BBAN: bank and a ten-digit account passing the 11-test (ING's former Postbank numbers excepted). */
function nlBban(bank: string): string {
  if (bank === "INGB") return `${bank}000${digits(7)}`;
  for (;;) {
    const acc = `${int(1, 9)}${digits(9)}`;
    const sum = [...acc].reduce((t, c, i) => t + Number(c) * (10 - i), 0);
    if (sum % 11 === 0) return `${bank}${acc}`;
  }
}
/** Polish BBAN: bank (3) + branch (4) + check digit (weights 3, 9, 7, 1, 3, 9, 7), account (16). */
function plBban(bank: string): string {
  const head = `${bank}${digits(4)}`;
  const w = [3, 9, 7, 1, 3, 9, 7];
  const sum = [...head].reduce((t, c, i) => t + Number(c) * (w[i] as number), 0);
  return `${head}${(10 - (sum % 10)) % 10}${digits(16)}`;
}
function ibanCompact(c: Country): string {
  const bank = (BANKS[c][bankIndex(c)] as [string, string])[0];
  const bban = {
    DE: () => `${bank}${pad(digits(int(7, 10)), 10)}`,
    FR: () => frBban(bank),
    ES: () => esBban(bank),
    IT: () => itBban(bank),
    NL: () => nlBban(bank),
    GB: () => `${bank}${pick(["20", "60", "30", "40", "09", "83", "04"])}${digits(4)}${digits(8)}`,
    PL: () => plBban(bank),
    SE: () => `${bank}${digits(17)}`,
  }[c]();
  const check = 98 - mod97(alphaToNum(`${bban}${c}00`));
  return `${c}${pad(check, 2)}${bban}`;
}
function iban(c: Country): string {
  const x = ibanCompact(c);
  return chance(0.6) ? (x.match(/.{1,4}/g) ?? []).join(" ") : x;
}

// ---- people -------------------------------------------------------------------------------

type Lang = "de" | "fr" | "es" | "it" | "nl" | "en" | "pl" | "sv";
interface Person {
  first: string;
  last: string;
  female: boolean;
  foreign: boolean;
  full: string;
}
interface NamePool {
  f: string[];
  m: string[];
  last: string[];
  /** Surnames with a female form (Polish -ski/-ska): "male|female". */
  foreign: [string, string, boolean][];
}
const NAMES: Record<Lang, NamePool> = {
  de: {
    f: [
      "Annika",
      "Friederike",
      "Leonie",
      "Theresa",
      "Wiebke",
      "Hannelore",
      "Svenja",
      "Mareike",
      "Gesine",
      "Jutta",
      "Ilka",
      "Carolin",
      "Henrike",
      "Lotte",
      "Mechthild",
      "Anna-Lena",
      "Rosemarie",
      "Dörte",
      "Käthe",
    ],
    m: [
      "Benedikt",
      "Torsten",
      "Matthias",
      "Florian",
      "Hauke",
      "Volker",
      "Jannik",
      "Ulrich",
      "Till",
      "Ansgar",
      "Detlef",
      "Konstantin",
      "Moritz",
      "Raphael",
      "Gernot",
      "Hans-Jürgen",
      "Karl-Heinz",
      "Jörg",
      "Björn",
    ],
    last: [
      "Brandstätter",
      "Kießling",
      "Lehmkuhl",
      "Rautenberg",
      "Hülsmann",
      "Dreßler",
      "Pfeiffer",
      "Grünewald",
      "Sauerbier",
      "Wendland",
      "Ostermann",
      "Thielemann",
      "Hoffmeister",
      "Steinbrecher",
      "Jäger",
      "Brückner",
      "Hagedorn",
      "Vogelsang",
      "Ebert",
      "Lindemann",
      "Nussbaum",
      "Böhm",
      "Seidel",
      "Kuhlmann",
      "Tiedemann",
      "von Bredow",
      "von der Heyde",
      "Brandt-Petersen",
      "Schulze-Wettendorf",
      "Koch",
      "Fuchs",
      "Weiß",
      "Engelhardt",
      "Quast",
      "Überall",
    ],
    foreign: [
      ["Elif", "Demirci", true],
      ["Murat", "Aydın", false],
      ["Dragana", "Petrović", true],
      ["Ioannis", "Karagiannis", false],
      ["Ayşe", "Kaplan", true],
      ["Tomasz", "Zieliński", false],
      ["Svetlana", "Morozova", true],
      ["Kwame", "Boateng", false],
    ],
  },
  fr: {
    f: [
      "Solène",
      "Margaux",
      "Élodie",
      "Clémence",
      "Maëlle",
      "Ghislaine",
      "Bérénice",
      "Anaïs",
      "Odile",
      "Capucine",
      "Maëva",
      "Sandrine",
      "Noémie",
      "Marie-Claude",
      "Anne-Sophie",
      "Gwenaëlle",
      "Ségolène",
    ],
    m: [
      "Grégoire",
      "Thibault",
      "Aurélien",
      "Baptiste",
      "Étienne",
      "Yannick",
      "Loïc",
      "Benoît",
      "Rémi",
      "Gaëtan",
      "Jérôme",
      "Cyril",
      "Mathis",
      "Jean-Baptiste",
      "Pierre-Yves",
      "Hervé",
      "Anatole",
    ],
    last: [
      "Lefèvre",
      "Charpentier",
      "Marchand",
      "Boulanger",
      "Rousseau",
      "Fournier",
      "Chevallier",
      "Guérin",
      "Lemaire",
      "Perrin",
      "Joubert",
      "Vasseur",
      "Tessier",
      "Bouvier",
      "Mallet",
      "Faure",
      "Barbier",
      "Deschamps",
      "Le Goff",
      "Le Bihan",
      "de Villeneuve",
      "de la Tour",
      "du Pontavice",
      "Martin-Lavigne",
      "Delacroix-Vidal",
      "Grosjean",
      "Lheureux",
      "Texier",
      "Royer",
      "Blanchard",
      "d'Aubigny",
      "Poulain",
    ],
    foreign: [
      ["Karim", "Benaïssa", false],
      ["Fatou", "Diallo", true],
      ["Linh", "Nguyen", true],
      ["Aïcha", "Haddad", true],
      ["Mamadou", "Sow", false],
      ["Inês", "Ferreira", true],
      ["Youssef", "Belkacem", false],
      ["Wojciech", "Kamiński", false],
    ],
  },
  es: {
    f: [
      "Lucía",
      "Ainhoa",
      "Itziar",
      "Rocío",
      "Montserrat",
      "Nerea",
      "Almudena",
      "Begoña",
      "Maite",
      "Inmaculada",
      "Paloma",
      "Consuelo",
      "María José",
      "Ana Belén",
      "Remedios",
      "Yolanda",
    ],
    m: [
      "Íñigo",
      "Gonzalo",
      "Jaume",
      "Borja",
      "Rubén",
      "Ignacio",
      "Xabier",
      "Fermín",
      "Joaquín",
      "Aitor",
      "Sergio",
      "Martí",
      "José Luis",
      "Juan Carlos",
      "Eusebio",
      "Telmo",
    ],
    last: [
      "Gutiérrez",
      "Ocaña",
      "Arrieta",
      "Sáez",
      "Villalobos",
      "Echeverría",
      "Cifuentes",
      "Peñalver",
      "Quintana",
      "Barrios",
      "Urquiza",
      "Montoya",
      "Zamora",
      "Salcedo",
      "Figueroa",
      "Ibarra",
      "Lozano",
      "Carrasco",
      "Vidal",
      "Puig",
      "Ferrer",
      "Soler",
      "de la Fuente",
      "del Río",
      "de los Santos",
      "Núñez",
      "Arteaga",
      "Calvo",
      "Mendizábal",
      "Olmedo",
      "Ruiz-Tagle",
      "Sánchez-Arjona",
      "Iglesias",
      "Bravo",
    ],
    foreign: [
      ["Yassine", "El Amrani", false],
      ["Valentina", "Rojas", true],
      ["Andrei", "Popa", false],
      ["Wei", "Chen", false],
      ["Camila", "Pereira", true],
      ["Fatima", "Ouali", true],
      ["Mihaela", "Dumitru", true],
      ["Bakary", "Camara", false],
    ],
  },
  it: {
    f: [
      "Chiara",
      "Federica",
      "Ilaria",
      "Benedetta",
      "Caterina",
      "Ginevra",
      "Elisabetta",
      "Donatella",
      "Serena",
      "Marta",
      "Lucrezia",
      "Ornella",
      "Annalisa",
      "Rosaria",
      "Noemi",
    ],
    m: [
      "Alessandro",
      "Tommaso",
      "Edoardo",
      "Gianluca",
      "Pierpaolo",
      "Vittorio",
      "Massimiliano",
      "Corrado",
      "Emanuele",
      "Raffaele",
      "Niccolò",
      "Salvatore",
      "Gianmarco",
      "Ettore",
      "Carmine",
    ],
    last: [
      "Bianchini",
      "Esposito",
      "Colombo",
      "Mancini",
      "Barbieri",
      "Fontana",
      "Santoro",
      "Rinaldi",
      "Caruso",
      "Ferrara",
      "Galli",
      "Martinelli",
      "Leone",
      "Longo",
      "Gentile",
      "Pellegrini",
      "Morelli",
      "Fabbri",
      "Cattaneo",
      "Marchetti",
      "Di Stefano",
      "De Angelis",
      "D'Amico",
      "Dell'Orto",
      "Lo Presti",
      "La Rosa",
      "Del Vecchio",
      "Sala",
      "Zanetti",
      "Guerra",
      "Benedetti",
      "Lombardo",
      "Cocco",
      "Pozzi",
    ],
    foreign: [
      ["Andreea", "Ionescu", true],
      ["Arben", "Hoxha", false],
      ["Mohamed", "Ben Salah", false],
      ["Olga", "Kovalenko", true],
      ["Jiayi", "Zhou", true],
      ["Moussa", "Ndiaye", false],
      ["Klaus", "Oberhofer", false],
      ["Mariana", "Costa", true],
    ],
  },
  nl: {
    f: [
      "Sanne",
      "Femke",
      "Marloes",
      "Ilse",
      "Anouk",
      "Lieke",
      "Esther",
      "Willemijn",
      "Maartje",
      "Joke",
      "Ineke",
      "Fleur",
      "Geertje",
      "Noor",
      "Marieke",
    ],
    m: [
      "Joost",
      "Bram",
      "Thijs",
      "Sjoerd",
      "Wouter",
      "Maarten",
      "Ruud",
      "Gijs",
      "Jeroen",
      "Pieter",
      "Hidde",
      "Stijn",
      "Teun",
      "Jan-Willem",
      "Floris",
    ],
    last: [
      "van der Meulen",
      "de Graaf",
      "Bakker",
      "Visser",
      "Smit",
      "Mulder",
      "de Jong",
      "van Dijk",
      "Hoekstra",
      "Kuipers",
      "van den Berg",
      "Verschuren",
      "Brouwer",
      "de Vries-Jansen",
      "ter Horst",
      "van 't Hof",
      "Kramer",
      "Postma",
      "Dijkstra",
      "Wijnands",
      "Verhoeven",
      "van Leeuwen",
      "Schouten",
      "van Beek",
      "Timmermans",
      "in 't Veld",
      "Zwart",
      "de Haan",
      "Roelofs",
      "van der Linden-Kok",
      "Bosman",
      "Groen",
    ],
    foreign: [
      ["Mohammed", "El Idrissi", false],
      ["Fatma", "Öztürk", true],
      ["Priya", "Ramdin", true],
      ["Kofi", "Mensah", false],
      ["Agnieszka", "Wójcik", true],
      ["Hamid", "Bouzid", false],
      ["Dewi", "Soekarno", true],
      ["Rui", "Santos", false],
    ],
  },
  en: {
    f: [
      "Siobhan",
      "Harriet",
      "Imogen",
      "Bethany",
      "Gemma",
      "Rhiannon",
      "Eleanor",
      "Keeley",
      "Philippa",
      "Niamh",
      "Morag",
      "Beatrix",
    ],
    m: [
      "Gareth",
      "Callum",
      "Rupert",
      "Declan",
      "Alistair",
      "Owen",
      "Hamish",
      "Rhys",
      "Toby",
      "Stuart",
      "Euan",
      "Clive",
    ],
    last: [
      "Whitfield",
      "Ashworth",
      "Pemberton",
      "O'Connell",
      "McAllister",
      "Fairbairn",
      "Hargreaves",
      "Llewellyn",
      "Thistlethwaite",
      "Brennan",
      "Sinclair",
      "Holloway",
      "Cartwright",
      "Featherstone",
      "Blackwood",
      "Davies-Owen",
      "Knowles",
      "Tennant",
      "Fox",
      "Hill",
      "Church",
      "Golightly",
      "ap Rhys",
    ],
    foreign: [
      ["Priya", "Chaudhary", true],
      ["Oluwaseun", "Adeyemi", false],
      ["Tomasz", "Kaczmarek", false],
      ["Aisha", "Rahman", true],
      ["Marco", "Bellini", false],
      ["Mei", "Lin", true],
      ["Jakub", "Novák", false],
      ["Chiamaka", "Okafor", true],
    ],
  },
  pl: {
    f: [
      "Małgorzata",
      "Agnieszka",
      "Katarzyna",
      "Zofia",
      "Joanna",
      "Dorota",
      "Beata",
      "Ewelina",
      "Bożena",
      "Jadwiga",
      "Halina",
      "Urszula",
    ],
    m: [
      "Grzegorz",
      "Krzysztof",
      "Wojciech",
      "Paweł",
      "Łukasz",
      "Jarosław",
      "Mateusz",
      "Przemysław",
      "Tadeusz",
      "Zbigniew",
      "Bartłomiej",
      "Maciej",
    ],
    last: [
      "Wiśniewski|Wiśniewska",
      "Zając",
      "Kowalczyk",
      "Lewandowski|Lewandowska",
      "Dąbrowski|Dąbrowska",
      "Szymański|Szymańska",
      "Woźniak",
      "Mazur",
      "Krawczyk",
      "Piotrowski|Piotrowska",
      "Grabowski|Grabowska",
      "Nowakowski|Nowakowska",
      "Pawlak",
      "Michalski|Michalska",
      "Jabłoński|Jabłońska",
      "Wróbel",
      "Sikora",
      "Baran",
      "Kaczmarek",
      "Nowak-Jeziorański|Nowak-Jeziorańska",
      "Kołodziej",
      "Żak",
      "Chmielewski|Chmielewska",
      "Sobczak",
    ],
    foreign: [
      ["Olena", "Shevchenko", true],
      ["Andriy", "Bondarenko", false],
      ["Iryna", "Tkachenko", true],
      ["Hung", "Nguyen", false],
      ["Viktoria", "Lysenko", true],
      ["Dmytro", "Melnyk", false],
    ],
  },
  sv: {
    f: ["Åsa", "Ingrid", "Linnea", "Maja", "Sigrid", "Elin", "Ebba", "Karin", "Frida", "Märta", "Agneta", "Tove"],
    m: [
      "Anders",
      "Björn",
      "Gustav",
      "Henrik",
      "Jonas",
      "Magnus",
      "Olof",
      "Pontus",
      "Sixten",
      "Torbjörn",
      "Göran",
      "Ludvig",
    ],
    last: [
      "Lindqvist",
      "Bergström",
      "Sjöberg",
      "Holmgren",
      "Åkesson",
      "Nyström",
      "Lundgren",
      "Engström",
      "Hedlund",
      "Söderberg",
      "Wikström",
      "Forsberg",
      "Blomqvist",
      "Ekström",
      "Dahlberg",
      "af Klercker",
      "von Essen",
      "Öberg",
      "Lind-Ström",
      "Ahlqvist",
      "Granath",
    ],
    foreign: [
      ["Amira", "Hassan", true],
      ["Mehmet", "Yildiz", false],
      ["Aleksi", "Virtanen", false],
      ["Hodan", "Abdi", true],
      ["Mirza", "Hodžić", false],
      ["Tiina", "Mäkelä", true],
    ],
  },
};
function person(lang: Lang): Person {
  const pool = NAMES[lang];
  if (chance(0.14)) {
    const [first, last, female] = pick(pool.foreign);
    return { first, last, female, foreign: true, full: `${first} ${last}` };
  }
  const female = chance(0.5);
  const first = pick(female ? pool.f : pool.m);
  let last = pick(pool.last);
  if (last.includes("|")) last = last.split("|")[female ? 1 : 0] as string;
  // Spanish: often two apellidos.
  if (lang === "es" && chance(0.55)) {
    let second = pick(pool.last);
    while (second === last) second = pick(pool.last);
    last = `${last} ${second}`;
  }
  return { first, last, female, foreign: false, full: `${first} ${last}` };
}
/** A person of the given sex (for sentences that say "my mother", "my son"). */
function personOf(lang: Lang, female: boolean): Person {
  for (;;) {
    const p = person(lang);
    if (p.female === female) return p;
  }
}
const P = (p: Person): Val => v("PERSON", p.full);
const PN = (lang: Lang): Val => P(person(lang));

// ---- addresses ------------------------------------------------------------------------------

interface Addr {
  street: string; // street and number (what a "street alone" mention carries)
  full: string;
  city: string;
}
const houseDE = () => `${int(1, 148)}${chance(0.15) ? pick(["a", "b", "c", " a"]) : ""}`;
const DE_STREETS = [
  "Fliederweg",
  "Zeppelinstraße",
  "Hölderlinweg",
  "Am Schlosspark",
  "Wilhelm-Busch-Straße",
  "Hermann-Löns-Weg",
  "Lange Reihe",
  "Mühlendamm",
  "Rosenstr.",
  "Gutenbergplatz",
  "An der Schleuse",
  "Im Kirschgarten",
  "Kaiser-Friedrich-Ring",
  "Alte Landstraße",
  "Theodor-Heuss-Allee",
  "Schillerstr.",
  "Lerchenfeld",
  "Auf dem Kamp",
  "Hinter der Mauer",
  "Kastanienallee",
  "Uhlandstraße",
  "Birkenhain",
  "Ringstraße",
  "Talstr.",
  "Amselgasse",
  "Sophienufer",
  "Holzmarkt",
  "Tannenbergweg",
  "Rathenauplatz",
  "Brunnenstraße",
];
const DE_CITIES: [string, number, number][] = [
  ["Hamburg", 20095, 22769],
  ["Köln", 50667, 51149],
  ["Frankfurt am Main", 60311, 60599],
  ["Stuttgart", 70173, 70629],
  ["Dresden", 1067, 1328],
  ["Leipzig", 4103, 4357],
  ["Hannover", 30159, 30669],
  ["Nürnberg", 90402, 90491],
  ["Bremen", 28195, 28779],
  ["Freiburg im Breisgau", 79098, 79117],
  ["Münster", 48143, 48167],
  ["Kiel", 24103, 24159],
  ["Rostock", 18055, 18147],
  ["Augsburg", 86150, 86199],
  ["Regensburg", 93047, 93059],
  ["Bielefeld", 33602, 33739],
  ["Potsdam", 14467, 14482],
  ["Erfurt", 99084, 99099],
  ["Mainz", 55116, 55131],
  ["Göttingen", 37073, 37085],
  ["Bad Homburg vor der Höhe", 61348, 61352],
  ["Halle (Saale)", 6108, 6132],
  ["Lüneburg", 21335, 21339],
  ["Oberstdorf", 87561, 87561],
];
function addrDE(): Addr {
  const [city, lo, hi] = pick(DE_CITIES);
  const street =
    chance(0.05) && city !== "Oberstdorf"
      ? `Straße des ${pick(["17. Juni", "18. Oktober"])} ${int(2, 120)}`
      : `${pick(DE_STREETS)} ${houseDE()}`;
  return { street, full: `${street}, ${pad(int(lo, hi), 5)} ${city}`, city };
}
const FR_STREETS = [
  "rue des Tanneurs",
  "avenue Jean-Jaurès",
  "boulevard Gambetta",
  "rue de la République",
  "impasse des Lilas",
  "chemin du Moulin",
  "allée des Marronniers",
  "place du Marché",
  "quai des Chartrons",
  "rue Pasteur",
  "avenue de Verdun",
  "rue Sainte-Catherine",
  "route de Grenoble",
  "rue du Général-Leclerc",
  "cours Mirabeau",
  "rue des Trois-Rois",
  "rue Nationale",
  "avenue des Acacias",
  "rue du Docteur-Roux",
  "boulevard de la Liberté",
  "rue de l'Abbé-Grégoire",
  "square des Tilleuls",
];
const FR_CITIES: [string, string[]][] = [
  ["Lyon", ["69001", "69002", "69003", "69004", "69006", "69007", "69008"]],
  ["Marseille", ["13001", "13005", "13006", "13008", "13012"]],
  ["Toulouse", ["31000", "31200", "31300", "31400", "31500"]],
  ["Nantes", ["44000", "44100", "44200", "44300"]],
  ["Bordeaux", ["33000", "33100", "33200", "33300", "33800"]],
  ["Lille", ["59000", "59160", "59800"]],
  ["Strasbourg", ["67000", "67100", "67200"]],
  ["Montpellier", ["34000", "34070", "34090"]],
  ["Rennes", ["35000", "35200", "35700"]],
  ["Grenoble", ["38000", "38100"]],
  ["Dijon", ["21000"]],
  ["Reims", ["51100"]],
  ["Aix-en-Provence", ["13090", "13100"]],
  ["Saint-Étienne", ["42000", "42100"]],
  ["Clermont-Ferrand", ["63000", "63100"]],
  ["Paris", ["75003", "75009", "75011", "75012", "75014", "75015", "75018", "75020"]],
  ["Boulogne-Billancourt", ["92100"]],
  ["Le Havre", ["76600", "76610"]],
  ["Ajaccio", ["20000", "20090"]],
  ["Quimper", ["29000"]],
];
function addrFR(): Addr {
  const [city, codes] = pick(FR_CITIES);
  const num = `${int(1, 96)}${chance(0.15) ? pick([" bis", " ter", "B"]) : ""}`;
  const street = `${num} ${pick(FR_STREETS)}`;
  const c = chance(0.12) ? city.toUpperCase() : city;
  return { street, full: `${street}, ${pick(codes)} ${c}`, city };
}
const ES_PLACES: [string, string, string[]][] = [
  ["Madrid", "Calle de Toledo", ["28005", "28012"]],
  ["Madrid", "Calle del Pez", ["28004"]],
  ["Madrid", "Avenida de América", ["28002", "28028"]],
  ["Madrid", "Ronda de Segovia", ["28005"]],
  ["Barcelona", "Carrer de Provença", ["08025", "08036", "08037"]],
  ["Barcelona", "Carrer del Consell de Cent", ["08011", "08015"]],
  ["Málaga", "Calle Larios", ["29005"]],
  ["Sevilla", "Avenida de la Palmera", ["41012", "41013"]],
  ["Valencia", "Calle Colón", ["46004"]],
  ["Valencia", "Calle de Cuba", ["46006"]],
  ["Granada", "Gran Vía de Colón", ["18001", "18010"]],
  ["Santiago de Compostela", "Rúa do Franco", ["15702", "15705"]],
  ["Oviedo", "Calle Uría", ["33003"]],
  ["Bilbao", "Alameda de Urquijo", ["48008", "48010"]],
  ["Pamplona", "Calle Estafeta", ["31001"]],
  ["Zaragoza", "Paseo de Sagasta", ["50006", "50008"]],
  ["Murcia", "Calle Trapería", ["30001"]],
  ["Alicante", "Avenida de Maisonnave", ["03003"]],
  ["Salamanca", "Calle de la Rúa Mayor", ["37002", "37008"]],
  ["Palma", "Carrer de Sant Miquel", ["07002"]],
  ["Las Palmas de Gran Canaria", "Calle Triana", ["35002"]],
];
function addrES(): Addr {
  const [city, street0, codes] = pick(ES_PLACES);
  const st = chance(0.3)
    ? street0
        .replace(/^Calle de la /, "C/ de la ")
        .replace(/^Calle de /, "C/ ")
        .replace(/^Calle /, "C/ ")
        .replace(/^Avenida /, "Avda. ")
        .replace(/^Paseo /, "P.º ")
    : street0;
  const n = int(1, 140);
  const floor = chance(0.5)
    ? `, ${pick([`${int(1, 8)}.º ${pick(["A", "B", "C", "D", "izq.", "dcha."])}`, `${int(1, 6)}º${pick(["A", "B", "1ª", "2ª"])}`, "bajo", "ático"])}`
    : "";
  const street = chance(0.5) ? `${st}, ${n}${floor}` : `${st} ${n}${floor}`;
  return { street, full: `${street}, ${pick(codes)} ${city}`, city };
}
const IT_PLACES: [string, string, string, string[]][] = [
  ["Milano", "MI", "Via Solferino", ["20121"]],
  ["Milano", "MI", "Corso Buenos Aires", ["20124"]],
  ["Milano", "MI", "Viale Monza", ["20125", "20127"]],
  ["Roma", "RM", "Via Merulana", ["00185"]],
  ["Roma", "RM", "Via Tiburtina", ["00159", "00185"]],
  ["Roma", "RM", "Viale di Trastevere", ["00153"]],
  ["Torino", "TO", "Corso Francia", ["10138", "10143"]],
  ["Torino", "TO", "Via Nizza", ["10125", "10126"]],
  ["Napoli", "NA", "Via Toledo", ["80134"]],
  ["Napoli", "NA", "Via dei Tribunali", ["80138"]],
  ["Bologna", "BO", "Via Saragozza", ["40123"]],
  ["Bologna", "BO", "Strada Maggiore", ["40125"]],
  ["Firenze", "FI", "Via de' Serragli", ["50124"]],
  ["Firenze", "FI", "Borgo Pinti", ["50121"]],
  ["Genova", "GE", "Via XX Settembre", ["16121"]],
  ["Genova", "GE", "Salita Santa Caterina", ["16123"]],
  ["Palermo", "PA", "Via Maqueda", ["90133", "90134"]],
  ["Bari", "BA", "Via Sparano da Bari", ["70121"]],
  ["Verona", "VR", "Stradone Porta Palio", ["37122"]],
  ["Padova", "PD", "Via del Santo", ["35123"]],
  ["Trento", "TN", "Via Belenzani", ["38122"]],
  ["Cagliari", "CA", "Largo Carlo Felice", ["09124"]],
  ["Lecce", "LE", "Viale Gallipoli", ["73100"]],
  ["Perugia", "PG", "Corso Vannucci", ["06121"]],
];
function addrIT(): Addr {
  const [city, prov, street0, codes] = pick(IT_PLACES);
  const n = `${int(1, 180)}${chance(0.15) ? pick(["/A", "/B", "/3", " bis"]) : ""}`;
  const street = chance(0.55) ? `${street0} ${n}` : `${street0}, ${n}`;
  const code = pick(codes);
  const f = random();
  const full =
    f < 0.55
      ? `${street}, ${code} ${city}`
      : f < 0.8
        ? `${street} - ${code} ${city} (${prov})`
        : `${street}, ${code} ${city} ${prov}`;
  return { street, full, city };
}
const NL_PLACES: [string, string, string[]][] = [
  ["Amsterdam", "10", ["Keizersgracht", "Ferdinand Bolstraat", "Van Woustraat", "Javastraat", "Bilderdijkstraat"]],
  ["Rotterdam", "30", ["Nieuwe Binnenweg", "Zwart Janstraat", "Witte de Withstraat", "Bergweg"]],
  ["Utrecht", "35", ["Biltstraat", "Twijnstraat", "Amsterdamsestraatweg", "Burgemeester Reigerstraat"]],
  ["Den Haag", "25", ["Frederik Hendriklaan", "Prinsegracht", "Laan van Meerdervoort"]],
  ["Groningen", "97", ["Oosterstraat", "Herestraat", "Nieuwe Ebbingestraat"]],
  ["Eindhoven", "56", ["Stratumsedijk", "Kruisstraat", "Hoogstraat"]],
  ["Leiden", "23", ["Haarlemmerstraat", "Oude Vest"]],
  ["Maastricht", "62", ["Boschstraat", "Tongersestraat"]],
  ["Zwolle", "80", ["Diezerstraat", "Assendorperstraat"]],
  ["Nijmegen", "65", ["Hertogstraat", "Sint Annastraat"]],
  ["Haarlem", "20", ["Zijlweg", "Kleverparkweg"]],
  ["Delft", "26", ["Oude Delft", "Voorstraat"]],
  ["Deventer", "74", ["Brink", "Kapjeswelle"]],
  ["Leeuwarden", "89", ["Nieuwestad", "Voorstreek"]],
  ["'s-Hertogenbosch", "52", ["Hinthamerstraat", "Vughterweg"]],
];
const NL_PC_LETTERS = "ABCEGHJKLMNPRTVWXZ";
function addrNL(): Addr {
  const [city, pre, streets] = pick(NL_PLACES);
  const num = `${int(1, 260)}${chance(0.2) ? pick(["A", "B", "-2", "-3", " hs", "bis"]) : ""}`;
  const street = `${pick(streets)} ${num}`;
  const pc = `${pre}${int(1, 9)}${int(0, 9)}${chance(0.85) ? " " : ""}${pick([...NL_PC_LETTERS])}${pick([...NL_PC_LETTERS])}`;
  const c = chance(0.1) ? city.toUpperCase() : city;
  return { street, full: `${street}, ${pc} ${c}`, city };
}
const UK_TOWNS: [string, string[]][] = [
  ["Manchester", ["M14", "M20", "M4"]],
  ["Leeds", ["LS6", "LS8", "LS11"]],
  ["Bristol", ["BS6", "BS3", "BS7"]],
  ["Glasgow", ["G12", "G41", "G3"]],
  ["Edinburgh", ["EH9", "EH6", "EH10"]],
  ["Cardiff", ["CF24", "CF11", "CF5"]],
  ["Sheffield", ["S10", "S7", "S11"]],
  ["Nottingham", ["NG7", "NG5"]],
  ["Brighton", ["BN2", "BN1"]],
  ["Norwich", ["NR2", "NR3"]],
  ["York", ["YO31", "YO10"]],
  ["Belfast", ["BT9", "BT7"]],
  ["Oxford", ["OX4", "OX2"]],
  ["Reading", ["RG1", "RG4"]],
  ["London", ["E8", "SW11", "N16", "SE15", "NW5"]],
  ["Aberdeen", ["AB10", "AB24"]],
];
const UK_STREETS = [
  "Mill Lane",
  "Clarendon Road",
  "Beechwood Avenue",
  "Hawthorn Close",
  "St Mary's Street",
  "Kingsway",
  "Albion Terrace",
  "Victoria Crescent",
  "Marlborough Gardens",
  "Wellington Place",
  "Station Approach",
  "Orchard Drive",
  "Chapel Row",
  "Heath View",
  "Granby Grove",
  "Tithe Barn Way",
  "Rosebery Avenue",
  "Cromwell Street",
];
const UK_IN = "ABDEFGHJLNPQRSTUWXYZ";
function addrUK(): Addr {
  const [town, districts] = pick(UK_TOWNS);
  const street = `${int(1, 212)}${chance(0.1) ? "a" : ""} ${pick(UK_STREETS)}`;
  const pc = `${pick(districts)} ${int(0, 9)}${pick([...UK_IN])}${pick([...UK_IN])}`;
  const flat = chance(0.2) ? `Flat ${int(1, 12)}, ` : "";
  return { street, full: `${flat}${street}, ${town} ${pc}`, city: town };
}
const PL_CITIES: [string, () => string][] = [
  ["Warszawa", () => `0${int(0, 4)}-${pad(int(1, 999), 3)}`],
  ["Kraków", () => `3${int(0, 1)}-${pad(int(1, 999), 3)}`],
  ["Wrocław", () => `5${int(0, 4)}-${pad(int(1, 999), 3)}`],
  ["Poznań", () => `6${int(0, 1)}-${pad(int(1, 999), 3)}`],
  ["Gdańsk", () => `80-${pad(int(1, 999), 3)}`],
  ["Łódź", () => `9${int(0, 4)}-${pad(int(1, 999), 3)}`],
  ["Lublin", () => `20-${pad(int(1, 999), 3)}`],
  ["Szczecin", () => `7${int(0, 1)}-${pad(int(1, 999), 3)}`],
  ["Katowice", () => `40-${pad(int(1, 999), 3)}`],
  ["Białystok", () => `15-${pad(int(1, 999), 3)}`],
  ["Toruń", () => `87-100`],
  ["Rzeszów", () => `35-${pad(int(1, 399), 3)}`],
  ["Bielsko-Biała", () => `43-${pad(int(300, 382), 3)}`],
];
const PL_STREETS = [
  "ul. Piękna",
  "ul. Mickiewicza",
  "ul. Długa",
  "al. Niepodległości",
  "ul. Grunwaldzka",
  "ul. Kościuszki",
  "os. Piastów",
  "pl. Wolności",
  "ul. 3 Maja",
  "ul. Jana Kilińskiego",
  "al. Racławickie",
  "ul. Ogrodowa",
  "ul. Słowackiego",
  "ul. Lipowa",
  "ul. Żeromskiego",
  "ul. Stanisława Wyspiańskiego",
  "ul. Polna",
];
function addrPL(): Addr {
  const [city, pc] = pick(PL_CITIES);
  const n = int(1, 160);
  const num = pick([`${n}`, `${n}/${int(1, 60)}`, `${n} m. ${int(1, 40)}`, `${n}A/${int(1, 20)}`]);
  const street = `${pick(PL_STREETS)} ${num}`;
  return { street, full: `${street}, ${pc()} ${city}`, city };
}
const SE_CITIES: [string, number, number][] = [
  ["Stockholm", 11120, 11873],
  ["Göteborg", 41101, 41879],
  ["Malmö", 21115, 21875],
  ["Uppsala", 75220, 75654],
  ["Lund", 22220, 22737],
  ["Umeå", 90325, 90741],
  ["Linköping", 58220, 58937],
  ["Örebro", 70210, 70376],
  ["Västerås", 72210, 72481],
  ["Jönköping", 55302, 55629],
  ["Norrköping", 60210, 60375],
  ["Luleå", 97231, 97754],
  ["Helsingborg", 25220, 25669],
  ["Gävle", 80250, 80648],
  ["Kiruna", 98131, 98147],
];
const SE_STREETS = [
  "Drottninggatan",
  "Storgatan",
  "Kungsgatan",
  "Vasagatan",
  "Linnégatan",
  "Östra Ågatan",
  "Södra Förstadsgatan",
  "Björkvägen",
  "Tallstigen",
  "Järnvägsgatan",
  "Skolgatan",
  "Hantverkargatan",
  "Götgatan",
  "Kyrkogatan",
  "Rönnbärsvägen",
  "Lilla Nygatan",
  "Fjällgatan",
];
function addrSE(): Addr {
  const [city, lo, hi] = pick(SE_CITIES);
  const street = `${pick(SE_STREETS)} ${int(1, 90)}${chance(0.2) ? pick(["A", "B", "C"]) : ""}${chance(0.1) ? ` lgh ${int(1001, 1504)}` : ""}`;
  const pcn = String(int(lo, hi));
  return { street, full: `${street}, ${pcn.slice(0, 3)} ${pcn.slice(3)} ${city}`, city };
}
const ADDR: Record<Lang, () => Addr> = {
  de: addrDE,
  fr: addrFR,
  es: addrES,
  it: addrIT,
  nl: addrNL,
  en: addrUK,
  pl: addrPL,
  sv: addrSE,
};
const A = (lang: Lang): Val => v("STREET_ADDRESS", ADDR[lang]().full);
const ST = (lang: Lang): Val => v("STREET_ADDRESS", ADDR[lang]().street);

// typed shorthands
const TAX = () => v("DE_TAX_ID", steuerId());
const NIR = (sex?: "m" | "f") => v("FR_NIR", nir(sex));
const NIF = () => v("ES_NIF", dni());
const NIE = () => v("ES_NIE", nie());
const CF = (p: Person) => v("IT_FISCAL_CODE", codiceFiscale(p));
const NINO = () => v("UK_NINO", nino());
const BSN = () => v("NL_BSN", bsn());
const PESEL = (female?: boolean, child = false) => v("PL_PESEL", pesel(female, child));
const PNR = (old = false, child = false, female?: boolean) => v("SE_PERSONNUMMER", personnummer(old, child, female));
const BIC = (c: Country) => v("SWIFT_CODE", bic(c));
const IBAN = (c: Country) => v("IBAN_CODE", iban(c));

// ---- small non-PII helpers ------------------------------------------------------------------
const year = () => int(2019, 2026);
const dateDot = () => `${pad(int(1, 28), 2)}.${pad(int(1, 12), 2)}.${year()}`;
const dateSlash = () => `${pad(int(1, 28), 2)}/${pad(int(1, 12), 2)}/${year()}`;
const dateDash = () => `${pad(int(1, 28), 2)}-${pad(int(1, 12), 2)}-${year()}`;
const dateIso = () => `${year()}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`;
const dateEn = () =>
  `${int(1, 28)} ${pick(["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"])} ${year()}`;
const birthDot = () => `${pad(int(1, 28), 2)}.${pad(int(1, 12), 2)}.${int(1945, 2004)}`;
const birthSlash = () => `${pad(int(1, 28), 2)}/${pad(int(1, 12), 2)}/${int(1945, 2004)}`;
const eur = () => `${int(1, 9)}.${pad(int(0, 999), 3)},${pad(int(0, 99), 2)}`;
const small = () => `${int(12, 980)},${pad(int(0, 99), 2)}`;
const ver = () => `${int(1, 14)}.${int(0, 30)}.${int(0, 12)}`;
function isbn13(): string {
  const g = pick(["3", "2", "84", "88", "90", "83", "91", "1"]);
  const pub = digits(int(2, 4));
  const title = digits(12 - 3 - g.length - pub.length);
  const twelve = `978${g}${pub}${title}`;
  const sum = [...twelve].reduce((t, c, i) => t + Number(c) * (i % 2 === 0 ? 1 : 3), 0);
  return `978-${g}-${pub}-${title}-${(10 - (sum % 10)) % 10}`;
}
const alnum = (n: number) => Array.from({ length: n }, () => pick([..."ABCDEFGHJKLMNPRSTUVWXYZ0123456789"])).join("");
const upper = (n: number) => Array.from({ length: n }, () => pick([..."ABCDEFGHJKLMNPRSTUVWXYZ"])).join("");
/** A UPU S10 parcel number: two letters, eight digits, check digit (weights 8 6 4 2 3 5 9 7), country. */
function s10(country: string): string {
  const d = digits(8);
  const w = [8, 6, 4, 2, 3, 5, 9, 7];
  const r = 11 - ([...d].reduce((t, c, i) => t + Number(c) * (w[i] as number), 0) % 11);
  return `${upper(2)}${d}${r === 10 ? 0 : r === 11 ? 5 : r}${country}`;
}
const flight = () =>
  `${pick(["LH", "AF", "IB", "AZ", "KL", "BA", "LO", "SK", "VY", "U2", "FR", "EW"])}${chance(0.4) ? " " : ""}${int(100, 9899)}`;

/** Numbers of an identifier's shape that fail its check (for "looks like an id but is not" negatives). */
function failing(make: () => string, valid: (x: string) => boolean): string {
  for (;;) {
    const x = make();
    if (!valid(x)) return x;
  }
}
const steuerLike = () =>
  failing(
    () => `${int(1, 9)}${digits(10)}`,
    (x) => {
      let product = 10;
      for (const c of x.slice(0, 10)) {
        let sum = (Number(c) + product) % 10;
        if (sum === 0) sum = 10;
        product = (sum * 2) % 11;
      }
      return (11 - product) % 10 === Number(x[10]);
    },
  );
const bsnLike = () =>
  failing(
    () => `${int(1, 7)}${digits(8)}`,
    (x) => [...x].reduce((t, c, i) => t + Number(c) * (i === 8 ? -1 : 9 - i), 0) % 11 === 0,
  );
const peselLike = () =>
  failing(
    () => `${pad(int(40, 99), 2)}${pad(int(1, 12), 2)}${pad(int(1, 28), 2)}${digits(5)}`,
    (x) => {
      const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3, 1];
      return [...x].reduce((t, c, i) => t + Number(c) * (w[i] as number), 0) % 10 === 0;
    },
  );
const luhn = (x: string) => {
  let sum = 0;
  [...x].reverse().forEach((c, i) => {
    let d = Number(c) * (i % 2 === 1 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  });
  return sum % 10 === 0;
};
const pnrLike = () => {
  const x = failing(() => `${pad(int(40, 99), 2)}${pad(int(1, 12), 2)}${pad(int(1, 28), 2)}${digits(4)}`, luhn);
  return `${x.slice(0, 6)}-${x.slice(6)}`;
};
const dniLike = () =>
  failing(
    () => `${digits(8)}${pick([...DNI_LETTERS])}`,
    (x) => DNI_LETTERS[Number(x.slice(0, 8)) % 23] === x[8],
  );
const nieLike = () =>
  failing(
    () => `${pick(["X", "Y", "Z"])}${digits(7)}${pick([...DNI_LETTERS])}`,
    (x) => DNI_LETTERS[Number(`${"XYZ".indexOf(x[0] as string)}${x.slice(1, 8)}`) % 23] === x[8],
  );
const cfLike = () =>
  failing(
    () =>
      `${upper(6)}${digits(2)}${pick([..."ABCDEHLMPRST"])}${pad(pick([int(1, 31), int(41, 71)]), 2)}${upper(1)}${digits(3)}${upper(1)}`,
    (x) => cfCheckChar(x.slice(0, 15)) === x[15],
  );
const nirLike = () =>
  failing(
    () => `${pick(["1", "2"])}${digits(14)}`,
    (x) => 97 - Number(BigInt(x.slice(0, 13)) % 97n) === Number(x.slice(13)),
  );
/** A Swedish organisation number (a company, not a person): 55xxxx-xxxx, valid Luhn, "month" digits above 12. */
const orgnr = () => {
  for (;;) {
    const x = `55${int(2, 9)}${digits(7)}`;
    if (luhn(x)) return `${x.slice(0, 6)}-${x.slice(6)}`;
  }
};

// ---- templates --------------------------------------------------------------------------------

type T = () => Rec;
type N = () => string;

const deHello = () => pick(["Sehr geehrte Damen und Herren,", "Guten Tag,", "Hallo zusammen,", "Liebes Service-Team,"]);
const deBye = () => pick(["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "Freundliche Grüße"]);
const DE_POS: T[] = [
  () => {
    const c = chance(0.7) ? "DE" : pick<Country>(["NL", "FR"]);
    return s`${deHello()}\nbitte zahlen Sie mein Gehalt ab ${pick(["März", "April", "dem nächsten Monat", "Juli"])} auf mein neues Konto: IBAN ${IBAN(c)}, BIC ${BIC(c)}.\n${deBye()}\n${PN("de")}`;
  },
  () => s`Name: ${PN("de")}\nAnschrift: ${A("de")}\nSteuerliche Identifikationsnummer: ${TAX()}`,
  () => {
    const r = s`hi, ${PN("de")} hier. brauch hilfe beim elster formular, meine steuer-id ist ${TAX()} und es kommt immer ein fehler??`;
    return chance(0.5) ? lower(r) : r;
  },
  () =>
    s`Für die Lohnabrechnung von ${PN("de")} (Personalnr. ${digits(5)}) fehlte noch die Steuer-ID; laut Personalbogen lautet sie ${TAX()}.`,
  () => s`Ich, ${PN("de")}, wohnhaft ${A("de")}, widerspreche hiermit der Mahnung vom ${dateDot()}.`,
  () => s`Lieferschein ${digits(8)} – Empfänger: ${PN("de")}, ${A("de")}. Zustellung bitte nur werktags.`,
  () => s`Das Paket liegt seit Montag beim Nachbarn in der ${ST("de")}, können Sie das im System vermerken?`,
  () => s`${TAX()} – das ist die Steuer-ID meiner Tochter, bitte für den Kinderfreibetrag übernehmen.`,
  () => s`Der Mieter ${PN("de")} (IBAN ${IBAN("DE")}) hat die Kaution am ${dateDot()} zurückerhalten.`,
  () => {
    const p = person("de");
    return s`${p.female ? "Patientin" : "Patient"} ${P(p)}, geb. ${birthDot()}, wohnhaft ${A("de")}, Überweisung zur Physiotherapie, 6x KG.`;
  },
  () =>
    s`§ 4 Die Miete ist monatlich im Voraus auf das Konto des Vermieters ${PN("de")}, IBAN ${IBAN("DE")}, BIC ${BIC("DE")}, zu zahlen.`,
  () => {
    const p = person("it");
    return s`${p.female ? "Meine Kollegin" : "Mein Kollege"} ${P(p)} aus Mailand hat nur ihren Codice Fiscale ${CF(p)}, reicht der für den Arbeitsvertrag?`;
  },
  () =>
    s`Guten Tag, wir sind umgezogen. Neue Adresse: ${A("de")}. Die alte (${A("de")}) bitte löschen. Danke, ${PN("de")}`,
  () => s`Bitte die Erstattung an ${PN("de")} überweisen, Kontoverbindung ${IBAN("DE")}`,
  () => s`Steuer-ID von ${PN("de")}: ${TAX()}, Steuerklasse ${pick(["I", "III", "IV", "V"])}, Kirchensteuer: nein.`,
  () => {
    const c = pick<Country>(["ES", "IT", "PL", "SE", "GB"]);
    return s`Kunde: Ich möchte eine Auslandsüberweisung an ${PN(c === "GB" ? "en" : c === "SE" ? "sv" : (c.toLowerCase() as Lang))} machen, BIC ${BIC(c)}, IBAN ${IBAN(c)}. Geht das heute noch?`;
  },
  () => s`Hallo, ich bin ${PN("de")} und wohne in der ${ST("de")}. Seit drei Tagen funktioniert mein Internet nicht.`,
  () => s`Bewerbung von ${PN("de")} – Adresse: ${A("de")} – Eintritt frühestens zum ${dateDot()}.`,
  () => s`Abholung bei ${PN("de")}, ${A("de")}, zwischen 9 und 12 Uhr (Sperrmüll, ca. 3 m³).`,
  () => s`Kann ich die IBAN ${IBAN("DE")} als Referenzkonto für mein Tagesgeld eintragen?`,
  () => s`Kinder im Haushalt: ${PN("de")} (Steuer-ID ${TAX()}) und ${PN("de")} (Steuer-ID ${TAX()}).`,
  () => s`Korrektur für die Akte: die richtige Identifikationsnummer lautet ${TAX()}`,
];
const DE_NEG: N[] = [
  () => `Ihre Bestellung ${digits(11)} wurde am ${dateDot()} versandt, Sendungsnummer ${digits(14)}.`,
  () => `Rechnungsnummer RE-${year()}-${digits(5)}, Betrag ${eur()} €, fällig am ${dateDot()}.`,
  () => `Zählernummer ${digits(9)}, Zählerstand ${int(1000, 99999)} kWh – bitte in der App erfassen.`,
  () =>
    `${pick(["VORSICHT", "ACHTUNG"])}: Die Filiale in der Bahnhofstraße bleibt wegen Umbau bis ${dateDot()} geschlossen.`,
  () => `Aktenzeichen ${steuerLike()}: Ihr Antrag auf Wohngeld ist eingegangen und wird bearbeitet.`,
  () => `Beispiel aus der Ausfüllhilfe: Identifikationsnummer ${steuerLike()} – bitte durch die eigene ersetzen.`,
  () => `Flug ${flight()} nach Lissabon hat ${int(20, 180)} Minuten Verspätung, neues Gate B${int(1, 48)}.`,
  () => `Das Lehrbuch (ISBN ${isbn13()}) kostet in der ${int(2, 9)}. Auflage ${small()} Euro.`,
  () => `Nach dem Update auf Version ${ver()} stürzt die Banking-App beim Login ab.`,
  () =>
    `Die IBAN auf der Rechnung endet auf ${digits(4)}, aber die ersten Stellen DE${digits(2)} ${digits(4)} stimmen nicht.`,
  () =>
    pick([
      "Termin verschoben: Sprechstunde ist jetzt donnerstags, Anmeldung am Empfang.",
      "Krankenkasse und Rentenversicherung brauchen die Unterlagen bis Ende des Monats.",
      "Mahnung zurückgezogen, die Zahlung ist inzwischen eingegangen.",
      "Hausmeister kommt am Mittwoch wegen der Heizung im Keller.",
      "Kaution wird nach der Wohnungsübergabe verrechnet.",
      "Steuererklärung fertig, jetzt fehlt nur noch die Anlage Kind.",
      "Umzugskartons stehen im Flur, Abholung am Freitag.",
      "Zahnarzt hat angerufen, die Krone ist fertig.",
      "Heizkostenabrechnung kommt dieses Jahr später.",
      "Wartung der Aufzüge am Dienstag zwischen 8 und 12 Uhr.",
      "Sommerfest der Abteilung fällt wegen Regen aus.",
    ]),
  () => `Seriennummer ${alnum(10)}, Ersatzteil ${digits(3)}-${digits(4)}-${digits(2)}, Garantie bis ${dateDot()}.`,
  () => `Versicherungsschein Nr. ${digits(10)} – Beitrag ${small()} € vierteljährlich.`,
  () =>
    `${pick(["ANGEBOTE", "FEIERTAG", "NEUKUNDE", "ERLEDIGT", "AUSVERKAUFT", "GESCHLOSSEN"])} – ${pick(["nur heute 20 % auf alle Wintermäntel.", "das Ticket wurde bearbeitet.", "bitte keine Rückfragen mehr.", "die Karten für Samstag sind weg."])}`,
  () =>
    `${pick(["Am Marktplatz", "Auf dem Domplatz", "An der Stadthalle"])} gibt es ab ${int(7, 10)} Uhr einen ${pick(["Bauernmarkt", "Flohmarkt", "Weihnachtsmarkt"])}, die Sparkasse in der ${pick(["Goethestraße", "Hauptstraße", "Bahnhofstraße"])} öffnet erst um ${int(9, 11)}.`,
  () => `Ticket #${digits(7)}: Drucker im ${int(1, 5)}. OG druckt nur leere Seiten.`,
  () => `Kundennummer ${digits(8)}, Vertragskonto ${digits(12)} – Abschlag ab ${dateDot()}: ${int(40, 190)} €.`,
];

const frHello = () =>
  pick(["Bonjour,", "Madame, Monsieur,", "Bonjour à toute l'équipe,", "Chère Madame, cher Monsieur,"]);
const frBye = () => pick(["Cordialement,", "Bien à vous,", "Bien cordialement,", "Merci d'avance,"]);
const FR_POS: T[] = [
  () => {
    const p = person("fr");
    return s`${frHello()}\nje vous transmets mon numéro de sécurité sociale : ${NIR(p.female ? "f" : "m")}.\n${frBye()}\n${P(p)}`;
  },
  () => s`Nom : ${PN("fr")}\nAdresse : ${A("fr")}\nN° de sécurité sociale : ${NIR()}`,
  () => {
    const r = s`bjr, je suis ${PN("fr")}, ma carte vitale est bloquée, mon numéro c'est ${NIR()}, vous pouvez vérifier ?`;
    return chance(0.5) ? lower(r) : r;
  },
  () => s`Merci de virer le remboursement sur le compte de ${PN("fr")} : IBAN ${IBAN("FR")}, BIC ${BIC("FR")}.`,
  () => s`Je soussigné(e) ${PN("fr")}, demeurant ${A("fr")}, conteste le prélèvement du ${dateSlash()}.`,
  () => s`Bon de livraison n° ${digits(9)} — destinataire : ${PN("fr")}, ${A("fr")}. Laisser le colis chez le gardien.`,
  () => s`Le colis a été déposé au ${ST("fr")} au lieu de chez moi, pouvez-vous faire une réclamation ?`,
  () => s`${NIR("m")} : voilà le numéro de mon fils pour le rattachement à ma mutuelle.`,
  () => s`Article 5 – Le loyer est versé par virement sur le compte du bailleur, ${PN("fr")} (IBAN ${IBAN("FR")}).`,
  () => s`Patient : ${PN("fr")}, né(e) le ${birthSlash()}, domicilié(e) ${A("fr")}. Motif : bilan annuel.`,
  () => {
    const p = person("es");
    return s`${p.female ? "Ma collègue" : "Mon collègue"} ${P(p)} vient de Madrid, son DNI est ${NIF()}, faut-il un autre justificatif ?`;
  },
  () => s`Nouvelle adresse à compter du ${dateSlash()} : ${A("fr")}. Ancienne adresse : ${A("fr")}.\n${PN("fr")}`,
  () => s`Salarié : ${PN("fr")} (matricule ${digits(6)}), NIR ${NIR()}, entrée le ${dateSlash()}.`,
  () => s`Pour le virement international, le bénéficiaire est ${PN("fr")}, BIC ${BIC("FR")}, compte ${IBAN("FR")}`,
  () => {
    const c = pick<Country>(["DE", "NL", "IT"]);
    return s`Mon propriétaire ${PN(c === "DE" ? "de" : (c.toLowerCase() as Lang))} habite à l'étranger, son IBAN est ${IBAN(c)} et le BIC ${BIC(c)}.`;
  },
  () => s`Bonjour, c'est ${PN("fr")}. J'habite ${ST("fr")} et le compteur n'a pas été relevé.`,
  () => s`Attestation d'hébergement : j'héberge ${PN("fr")} à mon domicile, ${A("fr")}, depuis le ${dateSlash()}.`,
  () => s`Est-ce que l'IBAN ${IBAN("FR")} est bien le bon pour mes loyers ?`,
  () => s`Le dossier de ${PN("fr")} a été transmis ; ${PN("fr")} reste le contact pour le compte ${IBAN("FR")}.`,
  () => {
    const a = person("fr");
    const b = person("fr");
    return s`Ayants droit : ${P(a)} (${NIR(a.female ? "f" : "m")}) et ${P(b)} (${NIR(b.female ? "f" : "m")}).`;
  },
  () => s`Petite correction, le bon numéro de sécu est ${NIR()}`,
];
const FR_NEG: N[] = [
  () => `Votre commande n° ${digits(10)} a été expédiée le ${dateSlash()}, numéro de suivi ${s10("FR")}.`,
  () =>
    `Facture FA-${year()}-${digits(6)} : montant ${int(12, 980)},${pad(int(0, 99), 2)} € TTC, échéance au ${dateSlash()}.`,
  () => `Relevé du compteur n° ${digits(12)} : ${int(1000, 60000)} kWh, index estimé.`,
  () =>
    `${pick(["GRATUITE", "PRIORITE", "RECLAMATION", "INFORMATION"])} : ${pick(["la livraison est offerte jusqu'à dimanche.", "votre demande est en cours de traitement.", "le service sera interrompu cette nuit."])}`,
  () => `Exemple figurant sur le formulaire : n° de sécurité sociale ${nirLike()}, à remplacer par le vôtre.`,
  () => `Dossier n° ${nirLike()} : votre demande d'aide au logement est en cours d'instruction.`,
  () =>
    `Le vol ${flight()} pour Nice est annulé, rebooking sur le vol de ${int(14, 21)} h ${pick(["05", "20", "45"])}.`,
  () => `Le manuel (ISBN ${isbn13()}) est en rupture, réimpression prévue pour ${pick(["mars", "juin", "octobre"])}.`,
  () => `Depuis la mise à jour ${ver()}, l'application de la banque ne reconnaît plus l'empreinte.`,
  () => `L'IBAN commence par FR${digits(2)} ${digits(4)} mais la suite est illisible sur la photo.`,
  () =>
    pick([
      "Rendez-vous annulé, merci de reprogrammer via le site.",
      "Mutuelle et caisse primaire demandent les justificatifs avant la fin du mois.",
      "Réclamation reçue, un conseiller vous répondra sous 48 heures.",
      "Loyer encaissé, quittance disponible dans l'espace client.",
      "Travaux dans l'immeuble la semaine prochaine, ascenseur à l'arrêt.",
      "Banque fermée le lundi, distributeur accessible.",
      "Dentiste reporté à jeudi prochain.",
      "Chaudière réparée, facture envoyée au syndic.",
      "Déménagement prévu fin juin, cartons à récupérer.",
      "Carte bancaire reçue, activation en agence.",
      "Réunion de copropriété annulée faute de quorum.",
    ]),
  () => `Numéro de série ${alnum(12)}, pièce détachée réf. ${digits(4)}-${digits(3)}, garantie ${int(1, 5)} ans.`,
  () => `Contrat d'assurance habitation n° ${digits(11)}, cotisation ${small()} € par an.`,
  () =>
    `L'agence de la ${pick(["rue de la République", "rue Nationale", "place de la Mairie", "avenue de la Gare"])} ferme à ${int(12, 18)} h le ${pick(["samedi", "mercredi", "lundi"])} ; celle du boulevard reste ouverte.`,
  () => `Ticket ${digits(8)} : l'imprimante du ${int(1, 6)}e étage est encore en panne.`,
  () => `Référence client ${digits(9)}, contrat ${upper(3)}${digits(8)}, prélèvement le ${int(1, 28)} de chaque mois.`,
  () =>
    `${pick(["Place du Marché", "Place de l'Église", "Cours Saint-Louis"])}, ${int(7, 11)} h : ${pick(["vide-grenier annulé à cause de la pluie.", "marché aux fleurs jusqu'à midi.", "départ de la course des enfants."])}`,
];

const esHello = () => pick(["Buenos días:", "Estimados señores:", "Hola,", "Buenas tardes,"]);
const esBye = () => pick(["Un saludo,", "Atentamente,", "Saludos cordiales,", "Gracias de antemano,"]);
const ES_POS: T[] = [
  () =>
    s`${esHello()}\nles envío mis datos para la domiciliación: IBAN ${IBAN("ES")}, BIC ${BIC("ES")}.\n${esBye()}\n${PN("es")}`,
  () => s`Nombre: ${PN("es")}\nDNI: ${NIF()}\nDomicilio: ${A("es")}`,
  () => {
    const r = s`hola soy ${PN("es")}, me sale error al poner mi dni ${NIF()} en la app, que hago?`;
    return chance(0.5) ? lower(r) : r;
  },
  () => s`Mi NIE es ${NIE()} y todavía no me han dado de alta en la Seguridad Social.`,
  () => s`Yo, ${PN("es")}, con NIE ${NIE()} y domicilio en ${A("es")}, solicito la devolución del importe cobrado.`,
  () => s`Albarán ${digits(7)} – entregar a ${PN("es")}, ${A("es")}. Horario de 9 a 14 h.`,
  () => s`El repartidor dejó el paquete en ${ST("es")} y esa no es mi dirección.`,
  () => s`${NIF()} es el DNI de mi madre, ${P(personOf("es", true))}; ¿puedo hacer el trámite por ella?`,
  () => s`Cláusula tercera: el arrendatario ${PN("es")} (DNI ${NIF()}) abonará la renta en la cuenta ${IBAN("ES")}.`,
  () => s`Paciente: ${PN("es")}, fecha de nacimiento ${birthSlash()}, NIE ${NIE()}. Derivado a traumatología.`,
  () => {
    const p = person("fr");
    return s`${p.female ? "Mi compañera francesa" : "Mi compañero francés"} ${P(p)} me pasó su número de la seguridad social: ${NIR(p.female ? "f" : "m")}.`;
  },
  () => s`Cambio de domicilio: antes en ${A("es")}, ahora en ${A("es")}. Firmado: ${PN("es")}`,
  () => {
    const p = person("es");
    return s`${p.female ? "Trabajadora" : "Trabajador"}: ${P(p)}, NIE ${NIE()}, alta el ${dateSlash()}, cuenta para la nómina ${IBAN("ES")}`;
  },
  () =>
    s`Transferencia a ${PN("es")}: BIC ${BIC("ES")}, IBAN ${IBAN("ES")} (concepto: alquiler ${pick(["enero", "mayo", "octubre"])}).`,
  () => {
    const c = pick<Country>(["DE", "IT", "FR"]);
    return s`Necesito mandar dinero a ${PN(c.toLowerCase() as Lang)}, su banco es ${BIC(c)} y el IBAN ${IBAN(c)}.`;
  },
  () => s`Buenas, soy ${PN("es")} y vivo en ${ST("es")}; la factura de la luz llega a nombre del antiguo inquilino.`,
  () => s`¿El NIE ${NIE()} sirve para abrir la cuenta o necesito el pasaporte?`,
  () => s`Datos del titular — ${PN("es")}, DNI ${NIF()}.`,
  () => s`Le confirmo que ${PN("es")} y ${PN("es")} son cotitulares de la cuenta ${IBAN("ES")}.`,
  () => s`Beneficiarios: ${PN("es")}, DNI ${NIF()}; ${PN("es")}, NIE ${NIE()}.`,
  () => s`Corrijo: mi número de identidad de extranjero es ${NIE()}, no el que puse antes.`,
];
const ES_NEG: N[] = [
  () => `Su pedido ${digits(10)} salió del almacén el ${dateSlash()}; número de seguimiento ${upper(2)}${digits(11)}.`,
  () => `Factura ${upper(1)}${year()}-${digits(5)}: importe ${eur()} €, vencimiento ${dateSlash()}.`,
  () => `Número de contador ${digits(8)}${upper(1)}, lectura ${int(1000, 50000)} kWh.`,
  () =>
    `${pick(["URGENTES", "GRATUITA", "ATENCION", "LIQUIDACION", "PROMOCIONES"])}: ${pick(["envío sin coste hasta el domingo.", "la oficina cierra por inventario.", "revisen sus pedidos pendientes."])}`,
  () => `Expediente ${dniLike()}: su solicitud de ayuda al alquiler está en trámite.`,
  () => `Modelo ${nieLike()} de la lavadora, pieza de repuesto ${digits(6)}.`,
  () => `El vuelo ${flight()} a Tenerife sale con ${int(15, 120)} minutos de retraso por niebla.`,
  () =>
    `El libro (ISBN ${isbn13()}) está agotado; la nueva edición sale en ${pick(["abril", "septiembre", "diciembre"])}.`,
  () => `Desde la versión ${ver()} la app del banco no me deja firmar operaciones.`,
  () => `El IBAN empieza por ES${digits(2)} ${digits(4)} pero el resto no se lee en la captura.`,
  () =>
    pick([
      "Cita cancelada, puede pedir otra en la web.",
      "Hacienda y la Seguridad Social piden el certificado antes de fin de mes.",
      "Reclamación recibida, le contestaremos en 48 horas.",
      "El coche de empresa sigue en el taller desde el lunes.",
      "Obras en el portal toda la semana, el ascensor no funciona.",
      "Recibo devuelto por falta de saldo.",
      "Dentista cambiado al jueves a las cinco.",
      "Caldera revisada, la factura va a la comunidad.",
      "Mudanza a finales de junio, faltan cajas.",
      "Tarjeta recibida, hay que activarla en el cajero.",
      "Junta de vecinos aplazada por falta de quórum.",
    ]),
  () => `Número de serie ${alnum(11)}, referencia ${digits(5)}-${digits(3)}, garantía de ${int(2, 3)} años.`,
  () => `Póliza n.º ${digits(10)}, prima anual de ${small()} €.`,
  () =>
    `La oficina de la ${pick(["Calle Mayor", "Gran Vía", "Avenida de la Estación", "Plaza de España"])} cierra a las ${int(13, 15)}:${pick(["00", "30"])} en ${pick(["agosto", "julio", "Semana Santa"])}; la otra abre por la tarde.`,
  () => `Incidencia ${digits(7)}: no hay red wifi en la ${int(1, 6)}.ª planta.`,
  () => `CIF de la empresa: ${pick(["B", "A"])}${digits(7)}${int(0, 9)}, código de cliente ${digits(6)}.`,
  () => `Número de referencia ${dniLike()} — consulte el estado de su envío en la web.`,
];

const itHello = () => pick(["Buongiorno,", "Gentili signori,", "Salve,", "Spett.le Ufficio,"]);
const itBye = () => pick(["Cordiali saluti,", "Distinti saluti,", "Grazie mille,", "Un saluto,"]);
const IT_POS: T[] = [
  () => {
    const p = person("it");
    return s`${itHello()}\nvi invio il mio codice fiscale, ${CF(p)}, per la pratica di rimborso.\n${itBye()}\n${P(p)}`;
  },
  () => {
    const p = person("it");
    return s`Nome e cognome: ${P(p)}\nCodice fiscale: ${CF(p)}\nResidenza: ${A("it")}`;
  },
  () => {
    const p = person("it");
    const cf = codiceFiscale(p);
    const low = chance(0.4);
    return s`ciao, sono ${v("PERSON", low ? p.full.toLowerCase() : p.full)}, l'app non accetta il mio cf ${v("IT_FISCAL_CODE", low ? cf.toLowerCase() : cf)}, come mai?`;
  },
  () => s`Vi prego di accreditare lo stipendio sul conto di ${PN("it")}: IBAN ${IBAN("IT")}, BIC ${BIC("IT")}.`,
  () =>
    s`Il sottoscritto ${PN("it")}, residente in ${A("it")}, chiede l'annullamento dell'addebito del ${dateSlash()}.`,
  () => s`DDT n. ${digits(6)}/${year()} – destinatario: ${PN("it")}, ${A("it")}. Consegna al portiere.`,
  () => s`Il corriere ha lasciato il pacco in ${ST("it")}, ma io abito altrove.`,
  () => {
    const p = personOf("it", false);
    return s`${CF(p)}: è il codice fiscale di mio figlio ${P(p)}, da aggiungere come familiare a carico.`;
  },
  () =>
    s`Art. 3 – Il canone è versato sul conto del locatore ${PN("it")} (IBAN ${IBAN("IT")}) entro il giorno 5 di ogni mese.`,
  () => {
    const p = person("it");
    return s`Paziente ${P(p)}, nata/o il ${birthSlash()}, C.F. ${CF(p)}, residente ${A("it")}.`;
  },
  () => {
    const p = person("de");
    return s`${p.female ? "La mia collega" : "Il mio collega"} ${P(p)} di Monaco ha solo la Steuer-ID ${TAX()}, va bene per il contratto?`;
  },
  () => s`Nuovo indirizzo dal ${dateSlash()}: ${A("it")}. Il vecchio (${A("it")}) non è più valido.\n${PN("it")}`,
  () => {
    const p = person("it");
    return s`Dipendente: ${P(p)} (matricola ${digits(5)}), codice fiscale ${CF(p)}, assunto/a il ${dateSlash()}.`;
  },
  () => s`Per il bonifico estero: beneficiario ${PN("it")}, BIC ${BIC("IT")}, IBAN ${IBAN("IT")}`,
  () => {
    const c = pick<Country>(["ES", "NL", "DE"]);
    return s`Devo pagare la caparra a ${PN(c.toLowerCase() as Lang)}: IBAN ${IBAN(c)}, codice BIC ${BIC(c)}.`;
  },
  () => s`Salve, sono ${PN("it")} e abito in ${ST("it")}; la bolletta arriva ancora all'inquilino precedente.`,
  () => s`L'IBAN ${IBAN("IT")} risulta errato? L'ho copiato dal contratto.`,
  () => s`Cointestatari del conto: ${PN("it")} e ${PN("it")}.`,
  () => {
    const a = person("it");
    const b = person("it");
    return s`Familiari a carico: ${P(a)} (${CF(a)}) e ${P(b)} (${CF(b)}).`;
  },
];
const IT_NEG: N[] = [
  () => `Il suo ordine n. ${digits(10)} è stato spedito il ${dateSlash()}, tracking ${s10("IT")}.`,
  () => `Fattura n. ${digits(4)}/${year()}, importo ${eur()} €, scadenza ${dateSlash()}.`,
  () => `Matricola contatore ${digits(14)}, lettura ${int(100, 9000)} Smc.`,
  () =>
    `${pick(["CHIUSURA", "SCADENZA", "INFORMATIVA"])}: ${pick(["lo sportello resta chiuso per ferie.", "rinnovare l'abbonamento entro venerdì.", "aggiornamento dei termini di servizio."])}`,
  () => `Codice articolo ${cfLike()} – lampada da tavolo, colore antracite.`,
  () => `Pratica n. ${cfLike()}: la richiesta di rimborso è in lavorazione.`,
  () => `Il volo ${flight()} per Catania è in ritardo di ${int(15, 150)} minuti.`,
  () => `Il manuale (ISBN ${isbn13()}) è esaurito, ristampa prevista in ${pick(["marzo", "luglio", "novembre"])}.`,
  () => `Con la versione ${ver()} l'app della banca non riconosce più il volto.`,
  () => `L'IBAN inizia con IT${digits(2)} ${upper(1)}${digits(3)} ma il resto non si legge.`,
  () =>
    pick([
      "Appuntamento annullato, prenoti di nuovo online.",
      "Agenzia delle Entrate e INPS chiedono i documenti entro fine mese.",
      "Reclamo ricevuto, le risponderemo entro due giorni.",
      "Condominio: lavori sul tetto da lunedì.",
      "Bolletta pagata, ricevuta nell'area clienti.",
      "Sportello chiuso il sabato pomeriggio.",
      "Dentista spostato a giovedì alle 17.",
      "Caldaia riparata, fattura all'amministratore.",
      "Trasloco a fine giugno, servono altri scatoloni.",
      "Carta ricevuta, va attivata allo sportello.",
      "Assemblea condominiale rinviata per mancanza del numero legale.",
    ]),
  () => `Numero di serie ${alnum(12)}, ricambio cod. ${digits(5)}-${digits(2)}, garanzia ${int(1, 3)} anni.`,
  () => `Polizza n. ${digits(9)}, premio annuo ${small()} €.`,
  () =>
    `La filiale di ${pick(["Via Roma", "Corso Italia", "Via Garibaldi", "Piazza Duomo"])} chiude alle ${int(12, 16)}:${pick(["00", "30"])} il ${pick(["sabato", "venerdì", "mercoledì"])}; quella in piazza resta aperta.`,
  () => `Ticket ${digits(8)}: al ${int(1, 6)}° piano la stampante non funziona.`,
  () => `Partita IVA ${digits(11)} della ditta, codice cliente ${digits(7)}.`,
];

const nlHello = () => pick(["Beste meneer, mevrouw,", "Hallo,", "Goedemiddag,", "Geachte heer/mevrouw,"]);
const nlBye = () => pick(["Met vriendelijke groet,", "Groetjes,", "Vriendelijke groet,", "Alvast bedankt,"]);
const NL_POS: T[] = [
  () =>
    s`${nlHello()}\nHierbij mijn gegevens voor de machtiging: IBAN ${IBAN("NL")}, BIC ${BIC("NL")}.\n${nlBye()}\n${PN("nl")}`,
  () => s`Naam: ${PN("nl")}\nAdres: ${A("nl")}\nBSN: ${BSN()}`,
  () => {
    const r = s`hoi, ik ben ${PN("nl")}, mijn bsn is ${BSN()} maar de gemeente zegt dat hij niet klopt?`;
    return chance(0.5) ? lower(r) : r;
  },
  () => s`Wilt u de teruggave overmaken naar ${PN("nl")}, rekeningnummer ${IBAN("NL")}?`,
  () => s`Ondergetekende ${PN("nl")}, wonende aan de ${A("nl")}, maakt bezwaar tegen de aanmaning van ${dateDash()}.`,
  () => s`Pakbon ${digits(8)} — ontvanger: ${PN("nl")}, ${A("nl")}. Afleveren bij de buren mag.`,
  () => s`Het pakket is bezorgd op de ${ST("nl")}, maar daar woon ik niet.`,
  () => s`${BSN()} is het BSN van mijn dochter, kunt u haar toevoegen aan mijn zorgverzekering?`,
  () => s`Artikel 4 – De huur wordt maandelijks vooruit betaald op rekening ${IBAN("NL")} t.n.v. ${PN("nl")}.`,
  () =>
    s`Patiënt: ${PN("nl")}, geboren ${birthDot().replace(/\./g, "-")}, BSN ${BSN()}. Verwijzing naar de fysiotherapeut.`,
  () => {
    const p = person("en");
    return s`Mijn Britse collega ${P(p)} heeft alleen een National Insurance number (${NINO()}), is dat genoeg?`;
  },
  () => s`Verhuisd per ${dateDash()}: nieuw adres ${A("nl")}, oud adres ${A("nl")}.\n${PN("nl")}`,
  () => s`Werknemer: ${PN("nl")} (personeelsnr. ${digits(5)}), BSN ${BSN()}, in dienst sinds ${dateDash()}.`,
  () => s`Buitenlandse overboeking naar ${PN("nl")}: BIC ${BIC("NL")}, IBAN ${IBAN("NL")}`,
  () => {
    const c = pick<Country>(["DE", "FR", "PL"]);
    return s`De verhuurder ${PN(c.toLowerCase() as Lang)} woont in het buitenland: IBAN ${IBAN(c)}, BIC ${BIC(c)}.`;
  },
  () => s`Goedemorgen, met ${PN("nl")}. Ik woon op de ${ST("nl")} en mijn meterstand is nooit verwerkt.`,
  () => s`Klopt het dat ${IBAN("NL")} op mijn jaaroverzicht staat? Dat rekeningnummer ken ik niet.`,
  () => s`Tenaamstelling: ${PN("nl")} en ${PN("nl")}, adres ${A("nl")}.`,
  () => s`Kinderen: ${PN("nl")} (BSN ${BSN()}) en ${PN("nl")} (BSN ${BSN()}).`,
  () => s`Correctie: mijn burgerservicenummer is ${BSN()}`,
];
const NL_NEG: N[] = [
  () => `Uw bestelling ${digits(10)} is op ${dateDash()} verzonden, track & trace 3S${upper(4)}${digits(9)}.`,
  () => `Factuurnummer ${year()}${digits(5)}, bedrag € ${eur()}, te betalen voor ${dateDash()}.`,
  () => `Meternummer ${digits(9)}, stand ${int(1000, 60000)} kWh.`,
  () =>
    `${pick(["GESLOTEN", "VOORRAAD", "UITVERKOCHT"])}: ${pick(["de winkel is maandag dicht wegens inventarisatie.", "nieuwe levering verwacht op vrijdag.", "deze maat is niet meer leverbaar."])}`,
  () => `Zaaknummer ${bsnLike()}: uw aanvraag voor huurtoeslag is in behandeling.`,
  () => `KvK-nummer ${digits(8)}, vestigingsnummer ${digits(12)}.`,
  () => `Vlucht ${flight()} naar Málaga vertrekt ${int(20, 150)} minuten later.`,
  () => `Het studieboek (ISBN ${isbn13()}) is uitverkocht, herdruk in ${pick(["maart", "juni", "oktober"])}.`,
  () => `Sinds versie ${ver()} crasht de bankapp bij het inloggen.`,
  () => `Het IBAN begint met NL${digits(2)} ${pick(["RABO", "ABNA", "INGB"])} maar de rest is onleesbaar op de foto.`,
  () =>
    pick([
      "Afspraak verzet, u kunt online een nieuwe kiezen.",
      "Belastingdienst en gemeente willen de stukken voor het einde van de maand.",
      "Klacht ontvangen, u hoort binnen twee werkdagen van ons.",
      "Huur ontvangen, dank u wel.",
      "Lift buiten gebruik tot donderdag.",
      "Storing verholpen, excuses voor het ongemak.",
      "Tandarts verzet naar donderdag om vijf uur.",
      "Cv-ketel gerepareerd, rekening gaat naar de VvE.",
      "Verhuizing eind juni, dozen staan klaar.",
      "Pas ontvangen, activeren kan in de app.",
      "Ledenvergadering uitgesteld, te weinig aanwezigen.",
    ]),
  () => `Serienummer ${alnum(11)}, onderdeelnummer ${digits(4)}-${digits(4)}, garantie ${int(1, 5)} jaar.`,
  () => `Polisnummer ${digits(10)}, premie € ${small()} per maand.`,
  () =>
    `Het filiaal aan de ${pick(["Grote Markt", "Stationsweg", "Dorpsstraat", "Hoofdstraat"])} sluit om ${int(16, 18)}.${pick(["00", "30"])} uur op ${pick(["zaterdag", "woensdag", "vrijdag"])}; dat in de Kerkstraat blijft open.`,
  () => `Melding ${digits(7)}: de printer op de ${int(1, 6)}e verdieping doet het niet.`,
  () => `Klantnummer ${digits(9)}, contractnummer ${digits(11)}, incasso op de ${int(1, 28)}e.`,
];

const EN_POS: T[] = [
  () =>
    s`${pick(["Hi,", "Hello,", "Dear Sir or Madam,", "Good morning,"])}\nplease update my payroll details: National Insurance number ${NINO()}.\n${pick(["Kind regards,", "Many thanks,", "Best wishes,", "Yours faithfully,"])}\n${PN("en")}`,
  () => s`Name: ${PN("en")}\nAddress: ${A("en")}\nNI number: ${NINO()}`,
  () => {
    const r = s`hiya it's ${PN("en")}, hmrc says my ni number ${NINO()} doesn't match?? can you check`;
    return chance(0.5) ? lower(r) : r;
  },
  () => s`Please send the refund to ${PN("en")}, IBAN ${IBAN("GB")}, BIC ${BIC("GB")}.`,
  () => s`I, ${PN("en")}, of ${A("en")}, dispute the charge dated ${dateEn()}.`,
  () => s`Delivery note ${digits(8)} – deliver to ${PN("en")}, ${A("en")}. Leave with neighbour if out.`,
  () => s`The courier left my parcel at ${ST("en")} and I live nowhere near there.`,
  () => s`${NINO()} is my son's NI number – can it go on the student finance form?`,
  () => s`Clause 6: rent is payable monthly to the landlord, ${PN("en")} (account ${IBAN("GB")}).`,
  () => s`Patient: ${PN("en")}, DOB ${birthSlash()}, address ${A("en")}. Referred to physiotherapy.`,
  () => {
    const c = pick<Country>(["PL", "SE", "IT", "ES"]);
    return s`International payment to ${PN(c === "SE" ? "sv" : (c.toLowerCase() as Lang))}: SWIFT ${BIC(c)}, IBAN ${IBAN(c)}`;
  },
  () => s`We've moved. New address: ${A("en")}. Please delete the old one (${A("en")}).\n${PN("en")}`,
  () => s`New starter: ${PN("en")} (employee no. ${digits(6)}), NINO ${NINO()}, start date ${dateEn()}.`,
  () => s`Hi, ${PN("en")} here. I'm at ${ST("en")} and the meter reading never went through.`,
  () => s`Joint account holders: ${PN("en")} and ${PN("en")}.`,
  () => s`Partner: ${PN("en")}, NI number ${NINO()}. Main applicant: ${PN("en")}, NI number ${NINO()}.`,
  () => s`Sorry, typo earlier – my National Insurance number is actually ${NINO()}`,
];
const EN_NEG: N[] = [
  () => `Your order ${digits(9)} was dispatched on ${dateEn()}, tracking number ${s10("GB")}.`,
  () => `Invoice INV-${digits(6)}: £${int(12, 980)}.${pad(int(0, 99), 2)} due by ${dateEn()}.`,
  () => `Meter serial ${digits(2)}${upper(1)}${digits(7)}, reading ${int(1000, 60000)} kWh.`,
  () =>
    `${pick(["REMINDER", "DISCOUNT", "CANCELED", "MAINTENANCE"])}: ${pick(["the portal is offline from midnight.", "your basket expires tonight.", "the Tuesday session will not take place."])}`,
  () =>
    `Replacement cartridge part no. ${pick([..."DFIQUV"])}${upper(1)} ${digits(2)} ${digits(2)} ${digits(2)} ${pick([..."ABCD"])} fits models from ${int(2015, 2022)} onwards.`,
  () => `SKU ${upper(2)}${digits(6)}${pick([..."EFGHJK"])} is out of stock until next week.`,
  () => `Flight ${flight()} to Edinburgh is delayed by ${int(20, 180)} minutes.`,
  () => `The textbook (ISBN ${isbn13()}) is out of print.`,
  () => `Since version ${ver()} the banking app logs me out every few minutes.`,
  () => `The IBAN starts GB${digits(2)} ${pick(["BARC", "NWBK", "LOYD"])} but the rest is cut off in the screenshot.`,
  () =>
    pick([
      "Appointment cancelled, please rebook online.",
      "Council tax and the pension office need the forms by the end of the month.",
      "Complaint received, we will respond within two working days.",
      "Rent received, thank you.",
      "Lift out of order until Thursday.",
      "Church Street car park is closed for resurfacing.",
      "Dentist moved to Thursday at five.",
      "Boiler fixed, invoice sent to the managing agent.",
      "Moving at the end of June, still need boxes.",
      "Card received, activate it in the app.",
      "Residents' meeting postponed, not enough people.",
    ]),
  () =>
    `The ${pick(["Main Street", "Station Road", "Queen Street", "Market Square"])} branch closes at ${int(3, 6)} pm on ${pick(["Saturdays", "Wednesdays", "bank holidays"])}; the High Street one stays open.`,
  () => `Policy number ${digits(10)}, premium £${small().replace(",", ".")} a month.`,
  () => `Ticket ${digits(7)}: the printer on floor ${int(1, 6)} is jammed again.`,
  () => `Account reference ${upper(3)}${digits(8)}, direct debit on the ${int(1, 28)}th.`,
];

const PL_POS: T[] = [
  () => {
    const p = person("pl");
    return s`${pick(["Dzień dobry,", "Szanowni Państwo,", "Witam,"])}\nprzesyłam mój numer PESEL: ${PESEL(p.female)}.\n${pick(["Z poważaniem", "Pozdrawiam", "Z wyrazami szacunku"])}\n${P(p)}`;
  },
  () => {
    const p = person("pl");
    return s`Imię i nazwisko: ${P(p)}\nPESEL: ${PESEL(p.female)}\nAdres: ${A("pl")}`;
  },
  () => {
    const r = s`hej, tu ${PN("pl")}, aplikacja nie przyjmuje mojego peselu ${PESEL()}, co robić?`;
    return chance(0.5) ? lower(r) : r;
  },
  () => s`Proszę przelać zwrot na konto ${PN("pl")}: IBAN ${IBAN("PL")}, BIC ${BIC("PL")}.`,
  () => s`Ja, ${PN("pl")}, zam. ${A("pl")}, składam reklamację dotyczącą faktury z dnia ${dateDot()}.`,
  () => s`List przewozowy ${digits(10)} – odbiorca: ${PN("pl")}, ${A("pl")}.`,
  () => s`Kurier zostawił paczkę pod adresem ${ST("pl")}, a ja tam nie mieszkam.`,
  () => s`${PESEL(true, true)} – to PESEL mojej córki, proszę dopisać ją do ubezpieczenia.`,
  () => s`§ 5. Czynsz płatny jest na rachunek wynajmującego ${PN("pl")} nr ${IBAN("PL")}.`,
  () => {
    const p = person("pl");
    return s`${p.female ? "Pacjentka" : "Pacjent"}: ${P(p)}, PESEL ${PESEL(p.female)}, skierowanie na rehabilitację.`;
  },
  () => {
    const c = pick<Country>(["DE", "SE", "NL"]);
    return s`Przelew zagraniczny do ${PN(c === "SE" ? "sv" : (c.toLowerCase() as Lang))}: BIC ${BIC(c)}, IBAN ${IBAN(c)}`;
  },
  () => s`Nowy adres od ${dateDot()}: ${A("pl")}. Stary (${A("pl")}) proszę usunąć.\n${PN("pl")}`,
  () => s`Pracownik: ${PN("pl")}, PESEL ${PESEL()}, data zatrudnienia ${dateDot()}.`,
  () => s`Dzień dobry, tu ${PN("pl")}, mieszkam przy ${ST("pl")} i nikt nie odczytał licznika.`,
  () => {
    const a = person("pl");
    const b = person("pl");
    return s`Dzieci: ${P(a)} (PESEL ${PESEL(a.female, true)}), ${P(b)} (PESEL ${PESEL(b.female, true)}).`;
  },
  () => s`Poprawka: mój numer PESEL to ${PESEL()}`,
];
const PL_NEG: N[] = [
  () => `Zamówienie nr ${digits(11)} zostało wysłane ${dateDot()}, numer przesyłki ${digits(20)}.`,
  () =>
    `Faktura FV/${digits(4)}/${year()}, kwota ${int(1, 9)} ${pad(int(0, 999), 3)},${pad(int(0, 99), 2)} zł, termin ${dateDot()}.`,
  () => `Numer licznika ${digits(8)}, stan ${int(1000, 60000)} kWh.`,
  () =>
    `${pick(["PROMOCJA", "OGLOSZENIE", "INFORMACJA"])}: ${pick(["darmowa dostawa do niedzieli.", "biuro nieczynne w piątek.", "zmiana regulaminu od przyszłego miesiąca."])}`,
  () => `Numer sprawy ${peselLike()} – wniosek o dodatek mieszkaniowy jest rozpatrywany.`,
  () => `Lot ${flight()} do Gdańska jest opóźniony o ${int(15, 150)} minut.`,
  () => `Książka (ISBN ${isbn13()}) jest niedostępna.`,
  () => `Od wersji ${ver()} aplikacja banku wylogowuje mnie co chwilę.`,
  () => `Numer konta zaczyna się od PL${digits(2)} ${digits(4)}, reszta jest nieczytelna.`,
  () =>
    pick([
      "Wizyta odwołana, proszę umówić się przez stronę.",
      "Urząd skarbowy i ZUS czekają na dokumenty do końca miesiąca.",
      "Reklamacja przyjęta, odpowiemy w ciągu dwóch dni.",
      "Czynsz zaksięgowany, dziękujemy.",
      "Winda nieczynna do czwartku.",
      "Dentysta przełożony na czwartek na siedemnastą.",
      "Piec naprawiony, faktura poszła do wspólnoty.",
      "Przeprowadzka pod koniec czerwca, brakuje kartonów.",
      "Karta odebrana, trzeba ją aktywować w aplikacji.",
      "Zebranie wspólnoty przełożone, za mało osób.",
    ]),
  () => `Numer seryjny ${alnum(12)}, część zamienna ${digits(5)}-${digits(3)}.`,
  () => `Polisa nr ${digits(11)}, składka ${small()} zł miesięcznie.`,
  () =>
    `Oddział przy ulicy ${pick(["Długiej", "Krótkiej", "Dworcowej", "Rynek"])} jest czynny do ${int(15, 17)}:00 w ${pick(["soboty", "piątki", "środy"])}, ten na rynku dłużej.`,
  () => `NIP firmy ${digits(3)}-${digits(3)}-${digits(2)}-${digits(2)}, REGON ${digits(9)}.`,
];

const SV_POS: T[] = [
  () =>
    s`${pick(["Hej!", "Hej,", "God morgon,", "Hejsan,"])}\nhär är mitt personnummer för anställningen: ${PNR()}.\n${pick(["Vänliga hälsningar", "Mvh", "Hälsningar"])}\n${PN("sv")}`,
  () => s`Namn: ${PN("sv")}\nPersonnummer: ${PNR()}\nAdress: ${A("sv")}`,
  () => {
    const r = s`hej det är ${PN("sv")}, bankid säger att mitt personnummer ${PNR()} är fel?`;
    return chance(0.5) ? lower(r) : r;
  },
  () => s`Skicka återbetalningen till ${PN("sv")}, IBAN ${IBAN("SE")}, BIC ${BIC("SE")}.`,
  () => s`Jag, ${PN("sv")}, ${A("sv")}, bestrider fakturan daterad ${dateIso()}.`,
  () => s`Följesedel ${digits(8)} – mottagare: ${PN("sv")}, ${A("sv")}.`,
  () => s`Paketet lämnades på ${ST("sv")}, men där bor jag inte.`,
  () => s`${PNR(false, true, false)} är min sons personnummer, kan han läggas till på försäkringen?`,
  () => {
    const p = person("sv");
    return s`${p.female ? "Min mormor" : "Min morfar"} ${P(p)} (${PNR(true, false, p.female)}) behöver hjälp med sin deklaration.`;
  },
  () => s`Patient: ${PN("sv")}, personnr ${PNR()}, remiss till sjukgymnast.`,
  () => {
    const c = pick<Country>(["DE", "PL", "GB"]);
    return s`Utlandsbetalning till ${PN(c === "GB" ? "en" : (c.toLowerCase() as Lang))}: BIC ${BIC(c)}, IBAN ${IBAN(c)}`;
  },
  () => s`Ny adress från ${dateIso()}: ${A("sv")}. Gamla adressen (${A("sv")}) kan tas bort.\n${PN("sv")}`,
  () => s`Anställd: ${PN("sv")}, personnummer ${PNR()}, startdatum ${dateIso()}.`,
  () => s`Hej, ${PN("sv")} här, jag bor på ${ST("sv")} och elmätaren har inte lästs av.`,
  () => s`Barn: ${PN("sv")} (${PNR(false, true)}) och ${PN("sv")} (${PNR(false, true)}).`,
  () => s`Rättelse: mitt personnummer är ${PNR()}`,
];
const SV_NEG: N[] = [
  () => `Din order ${digits(9)} skickades ${dateIso()}, kollinummer ${digits(18)}.`,
  () => `Faktura ${digits(8)}, belopp ${int(1, 9)} ${pad(int(0, 999), 3)} kr, förfaller ${dateIso()}.`,
  () => `Mätarnummer ${digits(10)}, ställning ${int(1000, 60000)} kWh.`,
  () =>
    `${pick(["LEVERANS", "MEDDELANDEN"])}: ${pick(["beställningen är försenad en vecka.", "kontoret är stängt på fredag.", "nya villkor gäller från nästa månad."])}`,
  () => `Ärendenummer ${pnrLike()} – din ansökan om bostadsbidrag handläggs.`,
  () => `Flyg ${flight()} till Luleå är försenat ${int(15, 150)} minuter.`,
  () => `Boken (ISBN ${isbn13()}) är slutsåld.`,
  () => `Sedan version ${ver()} loggar bankappen ut mig hela tiden.`,
  () => `IBAN börjar med SE${digits(2)} ${digits(4)} men resten syns inte på bilden.`,
  () =>
    pick([
      "Tiden avbokad, boka en ny på webben.",
      "Skatteverket och Försäkringskassan vill ha papperen före månadsskiftet.",
      "Reklamation mottagen, vi svarar inom två arbetsdagar.",
      "Hyran mottagen, tack.",
      "Hissen är ur funktion till torsdag.",
      "Tandläkaren flyttad till torsdag klockan fem.",
      "Pannan lagad, fakturan går till föreningen.",
      "Flytten blir i slutet av juni, vi behöver fler kartonger.",
      "Kortet mottaget, aktivera det i appen.",
      "Årsmötet uppskjutet, för få närvarande.",
    ]),
  () => `Serienummer ${alnum(10)}, reservdel ${digits(3)}-${digits(3)}-${digits(2)}.`,
  () => `Försäkringsnummer ${digits(10)}, premie ${int(90, 900)} kr i månaden.`,
  () =>
    `Kontoret på ${pick(["Storgatan", "Kungsgatan", "Stora torget", "Järnvägsgatan"])} stänger klockan ${int(14, 17)} på ${pick(["fredagar", "lördagar", "onsdagar"])}.`,
  () => `Organisationsnummer ${orgnr()} för bolaget, kundnummer ${digits(7)}.`,
];

const PLAN: Record<Lang, { pos: T[]; neg: N[]; nPos: number; nNeg: number }> = {
  de: { pos: DE_POS, neg: DE_NEG, nPos: 115, nNeg: 95 },
  fr: { pos: FR_POS, neg: FR_NEG, nPos: 115, nNeg: 95 },
  es: { pos: ES_POS, neg: ES_NEG, nPos: 115, nNeg: 95 },
  it: { pos: IT_POS, neg: IT_NEG, nPos: 115, nNeg: 95 },
  nl: { pos: NL_POS, neg: NL_NEG, nPos: 115, nNeg: 95 },
  en: { pos: EN_POS, neg: EN_NEG, nPos: 100, nNeg: 85 },
  pl: { pos: PL_POS, neg: PL_NEG, nPos: 100, nNeg: 85 },
  sv: { pos: SV_POS, neg: SV_NEG, nPos: 100, nNeg: 85 },
};

export interface Row {
  lang: Lang;
  text: string;
  spans: Span[];
}
export function build(): Row[] {
  const seen = new Set<string>();
  const out: Row[] = [];
  for (const lang of Object.keys(PLAN) as Lang[]) {
    const plan = PLAN[lang];
    for (let i = 0; i < plan.nPos; i++) {
      const t = plan.pos[i % plan.pos.length] as T;
      const make = () => {
        pendingBank = {};
        return t();
      };
      let r = make();
      for (let k = 0; seen.has(r.text) && k < 50; k++) r = make();
      if (seen.has(r.text)) throw new Error(`duplicate: ${r.text}`);
      for (const sp of r.spans) {
        if (r.text.slice(sp.start, sp.end) !== sp.value) throw new Error(`offset mismatch in ${JSON.stringify(r)}`);
      }
      seen.add(r.text);
      out.push({ lang, text: r.text, spans: r.spans.map(({ start, end, type }) => ({ start, end, type })) });
    }
    for (let i = 0; i < plan.nNeg; i++) {
      const t = plan.neg[i % plan.neg.length] as N;
      let text = t();
      for (let k = 0; seen.has(text) && k < 200; k++) text = t();
      if (seen.has(text)) continue; // a fixed sentence already used: skip rather than duplicate
      seen.add(text);
      out.push({ lang, text, spans: [] });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = build();
  writeFileSync(
    new URL("data/pii-multilingual-holdout3.jsonl", import.meta.url),
    `${rows.map((r) => JSON.stringify({ text: r.text, spans: r.spans })).join("\n")}\n`,
  );
  console.log(`holdout3 ${rows.length} records (${rows.filter((r) => r.spans.length).length} with PII)`);
}
