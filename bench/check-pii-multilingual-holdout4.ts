// Checks bench/data/pii-multilingual-holdout4.jsonl (issue 22, split "holdout4").
//
//   node --import tsx bench/check-pii-multilingual-holdout4.ts
//
// Independent of the generator (imports nothing from it) and of the detector: every identifier span
// is validated again here from the published rules. Checks: record shape, offsets, span types,
// spans trimmed and non-overlapping, every national identifier / BIC / IBAN valid, no duplicate
// sentences, negatives without spans, no e-mail addresses or phone numbers in positive sentences.
// Prints counts per type and per language block, and (for information) how many digit runs in the
// negatives pass an identifier's check digits by chance. Exits 1 on any failure.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILE = join(dirname(fileURLToPath(import.meta.url)), "data", "pii-multilingual-holdout4.jsonl");
// Records are written in language blocks (see bench/data/pii-multilingual.md, section holdout4).
const BLOCKS: [string, number][] = [
  ["de", 208],
  ["fr", 208],
  ["es", 252],
  ["it", 208],
  ["nl", 208],
  ["en", 208],
  ["pl", 208],
  ["sv", 208],
];
const TYPES = [
  "DE_TAX_ID",
  "FR_NIR",
  "ES_NIF",
  "ES_NIE",
  "IT_FISCAL_CODE",
  "UK_NINO",
  "NL_BSN",
  "PL_PESEL",
  "SE_PERSONNUMMER",
  "SWIFT_CODE",
  "IBAN_CODE",
  "PERSON",
  "STREET_ADDRESS",
];

// ------------------------------------------------------------------ helpers
/** `arr[i]`, throwing if the index is out of range (for array and string indexing under noUncheckedIndexedAccess). */
function at<T>(arr: ArrayLike<T>, i: number): T {
  const v = arr[i];
  if (v === undefined) throw new Error(`index ${i} out of range (length ${arr.length})`);
  return v;
}

// ------------------------------------------------------------------ validators
function validSteuerId(raw: string): boolean {
  if (!/^\d{11}$|^\d{2} \d{3} \d{3} \d{3}$|^\d{3} \d{3} \d{3} \d{2}$/.test(raw)) return false;
  const s = raw.replace(/ /g, "");
  if (s[0] === "0") return false;
  const head = s.slice(0, 10).split("").map(Number);
  const counts = new Map<number, number>();
  for (const d of head) counts.set(d, (counts.get(d) ?? 0) + 1);
  const multi = [...counts.entries()].filter(([, c]) => c > 1);
  if (multi.length !== 1) return false;
  const [digit, times] = at(multi, 0);
  if (times === 2 && counts.size !== 9) return false;
  if (times === 3) {
    if (counts.size !== 8) return false;
    const pos = head.map((d, i) => (d === digit ? i : -1)).filter((i) => i >= 0);
    if (at(pos, 1) === at(pos, 0) + 1 && at(pos, 2) === at(pos, 1) + 1) return false;
  }
  if (times > 3) return false;
  // ISO/IEC 7064, MOD 11,10
  let p = 10;
  for (const d of head) {
    let t = (d + p) % 10;
    if (t === 0) t = 10;
    p = (2 * t) % 11;
  }
  const c = 11 - p === 10 ? 0 : 11 - p;
  return c === Number(s[10]);
}

function validNir(raw: string): boolean {
  if (
    !/^[12]\d{4}(\d{2}|2[AB])\d{6}\d{2}$|^[12] \d{2} \d{2} (\d{2}|2[AB]) \d{3} \d{3} \d{2}$|^[12]\d{4}(\d{2}|2[AB])\d{6} \d{2}$/.test(
      raw,
    )
  )
    return false;
  const s = raw.replace(/ /g, "");
  const month = Number(s.slice(3, 5));
  if (!(month >= 1 && month <= 12)) return false;
  const dept = s.slice(5, 7);
  let num = s.slice(0, 13);
  if (dept === "2A") num = `${num.slice(0, 5)}19${num.slice(7)}`;
  else if (dept === "2B") num = `${num.slice(0, 5)}18${num.slice(7)}`;
  else if (dept === "00" || dept === "20" || dept === "96" || dept === "98") return false;
  if (dept === "97" && !/^[1-6]$/.test(at(s, 7))) return false;
  let r = 0;
  for (const ch of num) r = (r * 10 + Number(ch)) % 97;
  return 97 - r === Number(s.slice(13));
}

const DNI_TABLE = "TRWAGMYFPDXBNJZSQVHLCKE";
function validDni(raw: string): boolean {
  const m = /^(\d{8})[- ]?([A-Z])$|^(\d{2})\.(\d{3})\.(\d{3})-([A-Z])$/.exec(raw);
  if (!m) return false;
  const digits = m[1] ?? at(m, 3) + at(m, 4) + at(m, 5);
  const letter = m[2] ?? m[6];
  return DNI_TABLE.charAt(Number(digits) % 23) === letter;
}
function validNie(raw: string): boolean {
  const m = /^([XYZ])[- ]?(\d{7})[- ]?([A-Z])$/.exec(raw);
  if (!m) return false;
  const n = Number({ X: "0", Y: "1", Z: "2" }[m[1] as "X" | "Y" | "Z"] + m[2]);
  return DNI_TABLE.charAt(n % 23) === m[3];
}

const ODD_MAP = "BAKPLCQDREVOSFTGUHMINJWZYX"; // letter at value v is the char whose odd value is... (see below)
function cfOddValue(ch: string): number {
  // published table for characters in odd positions
  const table: Record<string, number> = {
    "0": 1,
    "1": 0,
    "2": 5,
    "3": 7,
    "4": 9,
    "5": 13,
    "6": 15,
    "7": 17,
    "8": 19,
    "9": 21,
    A: 1,
    B: 0,
    C: 5,
    D: 7,
    E: 9,
    F: 13,
    G: 15,
    H: 17,
    I: 19,
    J: 21,
    K: 2,
    L: 4,
    M: 18,
    N: 20,
    O: 11,
    P: 3,
    Q: 6,
    R: 8,
    S: 12,
    T: 14,
    U: 16,
    V: 10,
    W: 22,
    X: 25,
    Y: 24,
    Z: 23,
  };
  const v = table[ch];
  if (v === undefined) throw new Error(`no odd-position value for ${JSON.stringify(ch)}`);
  return v;
}
void ODD_MAP;
function cfEvenValue(ch: string): number {
  return /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
}
function cinOf(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += i % 2 === 0 ? cfOddValue(at(s, i)) : cfEvenValue(at(s, i));
  return String.fromCharCode(65 + (sum % 26));
}
function validCodiceFiscale(raw: string): boolean {
  const s = raw.toUpperCase();
  const OMO = "LMNPQRSTUV";
  const D = `[0-9${OMO}]`;
  if (!new RegExp(`^[A-Z]{6}${D}{2}[ABCDEHLMPRST]${D}{2}[A-Z]${D}{3}[A-Z]$`).test(s)) return false;
  const decode = (x: string) =>
    x
      .split("")
      .map((c) => (/\d/.test(c) ? c : String(OMO.indexOf(c))))
      .join("");
  const day = Number(decode(s.slice(9, 11)));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return cinOf(s.slice(0, 15)) === s[15];
}

function validNino(raw: string): boolean {
  const m = /^([A-Z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])$/.exec(raw);
  if (!m) return false;
  if (!/^[A-Z]{2} \d{2} \d{2} \d{2} [A-D]$|^[A-Z]{2}\d{6}[A-D]$|^[A-Z]{2} \d{6} [A-D]$/.test(raw)) return false;
  const pre = at(m, 1);
  if ("DFIQUV".includes(at(pre, 0)) || "DFIQUVO".includes(at(pre, 1))) return false;
  return !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].includes(pre);
}

function validBsn(raw: string): boolean {
  if (!/^\d{9}$|^\d{4}\.\d{2}\.\d{3}$|^\d{3} \d{3} \d{3}$/.test(raw)) return false;
  const s = raw.replace(/[. ]/g, "");
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(s[i]) * (9 - i);
  sum -= Number(s[8]);
  return sum % 11 === 0 && Number(s) > 0;
}

function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function validPesel(raw: string): boolean {
  if (!/^\d{11}$/.test(raw)) return false;
  const d = raw.split("").map(Number);
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = w.reduce((a, x, i) => a + x * at(d, i), 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return false;
  let yy = at(d, 0) * 10 + at(d, 1),
    mm = at(d, 2) * 10 + at(d, 3);
  const dd = at(d, 4) * 10 + at(d, 5);
  let century = 1900;
  if (mm > 80) {
    century = 1800;
    mm -= 80;
  } else if (mm > 60) {
    century = 2200;
    mm -= 60;
  } else if (mm > 40) {
    century = 2100;
    mm -= 40;
  } else if (mm > 20) {
    century = 2000;
    mm -= 20;
  }
  yy += century;
  return realDate(yy, mm, dd);
}

const REF_YEAR = 2026;
function validPersonnummer(raw: string): boolean {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/.exec(raw);
  if (!m) return false;
  const [, cc, yy, mo, dd, sep, nnn, c] = m;
  if (yy === undefined || mo === undefined || dd === undefined || nnn === undefined)
    throw new Error(`personnummer groups missing in ${JSON.stringify(raw)}`);
  if (cc && sep === "+") return false;
  const ten = yy + mo + dd + nnn;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let x = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (x > 9) x -= 9;
    sum += x;
  }
  if ((10 - (sum % 10)) % 10 !== Number(c)) return false;
  let year: number;
  if (cc) year = Number(cc + yy);
  else {
    year = 2000 + Number(yy);
    if (year > REF_YEAR) year -= 100;
    if (sep === "+") year -= 100;
  }
  if (sep === "+" && REF_YEAR - year < 100) return false;
  return realDate(year, Number(mo), Number(dd));
}

const BIC_COUNTRIES = new Set([
  "DE",
  "FR",
  "ES",
  "IT",
  "NL",
  "GB",
  "PL",
  "SE",
  "AT",
  "BE",
  "CH",
  "IE",
  "LU",
  "PT",
  "DK",
  "FI",
  "NO",
]);
function validBic(raw: string): boolean {
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(raw)) return false;
  if (!BIC_COUNTRIES.has(raw.slice(4, 6))) return false;
  return raw[7] !== "O" || true;
}

const IBAN_LEN: Record<string, number> = { DE: 22, FR: 27, ES: 24, IT: 27, NL: 18, GB: 22, PL: 28, SE: 24 };
function mod97Str(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) r = (r * 10 + Number(c)) % 97;
  }
  return r;
}
function validIban(raw: string): { ok: boolean; why?: string } {
  const grouped = /^[A-Z]{2}\d{2}( [A-Z0-9]{4})+( [A-Z0-9]{1,4})?$/.test(raw);
  const compact = /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(raw);
  if (!grouped && !compact) return { ok: false, why: "format" };
  const s = raw.replace(/ /g, "");
  const cc = s.slice(0, 2);
  if (IBAN_LEN[cc] !== s.length) return { ok: false, why: "length" };
  if (mod97Str(s.slice(4) + s.slice(0, 4)) !== 1) return { ok: false, why: "mod97" };
  const b = s.slice(4);
  switch (cc) {
    case "DE":
      if (!/^\d{18}$/.test(b)) return { ok: false, why: "DE bban" };
      break;
    case "FR": {
      if (!/^\d{23}$/.test(b)) return { ok: false, why: "FR bban" };
      const bank = BigInt(b.slice(0, 5)),
        branch = BigInt(b.slice(5, 10)),
        acct = BigInt(b.slice(10, 21));
      const key = 97n - ((89n * bank + 15n * branch + 3n * acct) % 97n);
      if (key !== BigInt(b.slice(21))) return { ok: false, why: "RIB key" };
      break;
    }
    case "ES": {
      if (!/^\d{20}$/.test(b)) return { ok: false, why: "ES bban" };
      const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
      const dc = (ten: string) => {
        const r = 11 - (w.reduce((a, x, i) => a + x * Number(ten[i]), 0) % 11);
        return r === 11 ? 0 : r === 10 ? 1 : r;
      };
      if (`${dc(`00${b.slice(0, 8)}`)}${dc(b.slice(10))}` !== b.slice(8, 10)) return { ok: false, why: "ES DC" };
      break;
    }
    case "IT":
      if (!/^[A-Z]\d{10}[A-Z0-9]{12}$/.test(b)) return { ok: false, why: "IT bban" };
      if (cinOf(b.slice(1)) !== b[0]) return { ok: false, why: "CIN" };
      break;
    case "NL": {
      if (!/^[A-Z]{4}\d{10}$/.test(b)) return { ok: false, why: "NL bban" };
      if (b.slice(0, 4) !== "INGB") {
        const d = b.slice(4);
        let t = 0;
        for (let i = 0; i < 10; i++) t += (10 - i) * Number(d[i]);
        if (t % 11 !== 0) return { ok: false, why: "NL 11-test" };
      }
      break;
    }
    case "GB":
      if (!/^[A-Z]{4}\d{14}$/.test(b)) return { ok: false, why: "GB bban" };
      break;
    case "PL": {
      if (!/^\d{24}$/.test(b)) return { ok: false, why: "PL bban" };
      const w = [3, 9, 7, 1, 3, 9, 7];
      const t = w.reduce((a, x, i) => a + x * Number(b[i]), 0);
      if ((10 - (t % 10)) % 10 !== Number(b[7])) return { ok: false, why: "PL sort-code check" };
      break;
    }
    case "SE":
      if (!/^\d{20}$/.test(b)) return { ok: false, why: "SE bban" };
      break;
  }
  return { ok: true };
}

const TITLE_WORDS =
  /^(Herr|Frau|Dr\.?|Mme|Madame|M\.|Monsieur|Sr\.|Sra\.|Don|Doña|Dña\.|D\.|Sig\.|Sig\.ra|Dott\.|Dott\.ssa|mevrouw|mevr\.|meneer|dhr\.|heer|Mr|Mrs|Ms|Miss|Pan|Pani|dr)\b/;
function validPerson(v: string): boolean {
  if (/\d|[,;:()\n]/.test(v)) return false;
  if (TITLE_WORDS.test(v)) return false;
  return /^[\p{L}][\p{L}'’ .-]*[\p{L}]$/u.test(v);
}
function validAddress(v: string): boolean {
  return (
    /\d/.test(v) && !/\n/.test(v) && /\p{L}/u.test(v) && !/^(in der|im|am|au|en|in|op|at|på|pod adresem|przy)\s/.test(v)
  );
}

// ------------------------------------------------------------------ checks
const lines = readFileSync(FILE, "utf8")
  .split("\n")
  .filter((l) => l.length);
const errors: string[] = [];
const err = (i: number, m: string) => errors.push(`line ${i + 1}: ${m}`);
const seen = new Map<string, number>();
const count: Record<string, Record<string, number>> = {};
for (const t of TYPES) count[t] = {};
const countsOf = (t: string): Record<string, number> => {
  const c = count[t];
  if (!c) throw new Error(`no counts for type ${t}`);
  return c;
};
const sentences: Record<string, { pos: number; neg: number }> = {};
const blockOf = (i: number): string => {
  let acc = 0;
  for (const [l, n] of BLOCKS) {
    acc += n;
    if (i < acc) return l;
  }
  return "??";
};
if (lines.length !== BLOCKS.reduce((a, [, n]) => a + n, 0))
  errors.push(`expected ${BLOCKS.reduce((a, [, n]) => a + n, 0)} records, found ${lines.length}`);

const IDV: Record<string, (s: string) => boolean> = {
  DE_TAX_ID: validSteuerId,
  FR_NIR: validNir,
  ES_NIF: validDni,
  ES_NIE: validNie,
  IT_FISCAL_CODE: validCodiceFiscale,
  UK_NINO: validNino,
  NL_BSN: validBsn,
  PL_PESEL: validPesel,
  SE_PERSONNUMMER: validPersonnummer,
  SWIFT_CODE: validBic,
  PERSON: validPerson,
  STREET_ADDRESS: validAddress,
};
const chance: Record<string, number> = {};
let _phoneOrMail = 0;

lines.forEach((line, i) => {
  let rec: { text: unknown; spans: unknown };
  try {
    rec = JSON.parse(line);
  } catch {
    err(i, "not JSON");
    return;
  }
  const keys = Object.keys(rec).sort().join(",");
  if (keys !== "spans,text") err(i, `keys ${keys}`);
  const text = rec.text as string;
  const spans = rec.spans as { start: number; end: number; type: string }[];
  if (typeof text !== "string" || !Array.isArray(spans)) {
    err(i, "shape");
    return;
  }
  if (seen.has(text)) err(i, `duplicate of line ${(seen.get(text) ?? 0) + 1}`);
  seen.set(text, i);
  const lang = blockOf(i);
  sentences[lang] ??= { pos: 0, neg: 0 };
  if (spans.length) sentences[lang].pos++;
  else sentences[lang].neg++;
  let lastEnd = -1;
  for (const s of spans) {
    if (
      !Number.isInteger(s.start) ||
      !Number.isInteger(s.end) ||
      s.start < 0 ||
      s.end > text.length ||
      s.start >= s.end
    ) {
      err(i, `bad offsets ${JSON.stringify(s)}`);
      continue;
    }
    if (s.start < lastEnd) err(i, "spans overlap or unsorted");
    lastEnd = s.end;
    if (!TYPES.includes(s.type)) {
      err(i, `type ${s.type}`);
      continue;
    }
    const v = text.slice(s.start, s.end);
    if (v !== v.trim() || /^[,.;:]|[,;:]$/.test(v)) err(i, `untrimmed span ${JSON.stringify(v)}`);
    // a span must not cut a word or number in two
    if (/[\p{L}\d]/u.test(text[s.start - 1] ?? "") || /[\p{L}\d]/u.test(text[s.end] ?? ""))
      err(i, `span cuts a token: ${JSON.stringify(v)}`);
    let ok: boolean;
    if (s.type === "IBAN_CODE") ok = validIban(v).ok;
    else {
      const validate = IDV[s.type];
      if (!validate) throw new Error(`no validator for type ${s.type}`);
      ok = validate(v);
    }
    if (!ok)
      err(i, `${s.type} fails its rule: ${JSON.stringify(v)}${s.type === "IBAN_CODE" ? ` (${validIban(v).why})` : ""}`);
    const perLang = countsOf(s.type);
    perLang[lang] = (perLang[lang] ?? 0) + 1;
  }
  if (spans.length) {
    if (/@|(?<![\d\w])\+\d{2}\s?\d|\b0\d{2,4}[ /-]\d{5,8}\b/.test(text)) {
      _phoneOrMail++;
      err(i, "e-mail or phone number in a positive sentence");
    }
  } else {
    // information only: identifier-shaped runs in negatives that pass a check by chance
    for (const m of text.matchAll(/(?<![\d.])\d{9}(?![\d.])/g)) if (validBsn(m[0])) chance.BSN = (chance.BSN ?? 0) + 1;
    for (const m of text.matchAll(/(?<!\d)\d{11}(?!\d)/g)) {
      if (validSteuerId(m[0])) chance.SteuerId = (chance.SteuerId ?? 0) + 1;
      if (validPesel(m[0])) chance.PESEL = (chance.PESEL ?? 0) + 1;
    }
    for (const m of text.matchAll(/(?<!\d)\d{10}(?!\d)/g))
      if (validPersonnummer(m[0])) chance.Personnummer = (chance.Personnummer ?? 0) + 1;
    for (const m of text.matchAll(/(?<![\dA-Z])\d{8}[A-Z](?![A-Z\d])/g))
      if (validDni(m[0])) chance.DNI = (chance.DNI ?? 0) + 1;
    for (const m of text.matchAll(/(?<![\dA-Z])[XYZ]\d{7}[A-Z](?![A-Z\d])/g))
      if (validNie(m[0])) chance.NIE = (chance.NIE ?? 0) + 1;
    for (const m of text.matchAll(/(?<!\d)[12]\d{14}(?!\d)/g)) if (validNir(m[0])) chance.NIR = (chance.NIR ?? 0) + 1;
    for (const m of text.matchAll(/\b[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]\b/g))
      if (validCodiceFiscale(m[0])) chance.CodiceFiscale = (chance.CodiceFiscale ?? 0) + 1;
    for (const m of text.matchAll(/\b[A-Z]{2}\d{6}[A-D]\b/g)) if (validNino(m[0])) chance.NINO = (chance.NINO ?? 0) + 1;
  }
});

// ------------------------------------------------------------------ report
const langs = BLOCKS.map(([l]) => l);
console.log(`| type | ${langs.join(" | ")} | total |`);
console.log(`|---|${langs.map(() => "---").join("|")}|---|`);
for (const t of TYPES)
  console.log(
    `| ${t} | ${langs.map((l) => countsOf(t)[l] ?? "").join(" | ")} | ${Object.values(countsOf(t)).reduce((a, b) => a + b, 0)} |`,
  );
const pos = Object.values(sentences).reduce((a, s) => a + s.pos, 0),
  neg = Object.values(sentences).reduce((a, s) => a + s.neg, 0);
console.log(`records ${lines.length}: ${pos} with PII, ${neg} hard negatives`);
console.log(langs.map((l) => `${l} ${sentences[l]?.pos}/${sentences[l]?.neg}`).join(", "));
console.log(`negatives with identifier-shaped runs passing a check by chance: ${JSON.stringify(chance)}`);
if (errors.length) {
  console.error(`${errors.length} problem(s):\n${errors.slice(0, 60).join("\n")}`);
  process.exit(1);
}
console.log("OK: offsets, types, identifier rules, uniqueness");
