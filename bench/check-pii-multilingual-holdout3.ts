/**
 * Checks bench/data/pii-multilingual-holdout3.jsonl with validators written apart from the
 * generator (bench/pii-multilingual-holdout3-data.ts) and from the detector: offsets, span
 * types, every identifier's check rule, duplicates, overlap with the earlier splits, and
 * counts per type and language. Does not run or import the detector.
 *
 * Run: node --import tsx bench/check-pii-multilingual-holdout3.ts
 */
import { existsSync, readFileSync } from "node:fs";
import { build } from "./pii-multilingual-holdout3-data.js";

interface Span {
  start: number;
  end: number;
  type: string;
}
interface Line {
  text: string;
  spans: Span[];
}

// ---- validators, from the published rules ---------------------------------------------------

const onlyDigits = (x: string) => /^\d+$/.test(x);
const validDate = (y: number, m: number, d: number) =>
  m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Steuer-ID: 11 digits, first ≠ 0; in the first ten one digit occurs 2 or 3 times (3 not adjacent), others once; ISO 7064 MOD 11,10. */
export function isSteuerId(raw: string): boolean {
  const x = raw.replace(/[\s./]/g, "");
  if (!/^[1-9]\d{10}$/.test(x)) return false;
  const head = x.slice(0, 10);
  const counts = new Map<string, number>();
  for (const c of head) counts.set(c, (counts.get(c) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1);
  if (repeated.length !== 1) return false;
  const [digit, n] = repeated[0] as [string, number];
  if (n > 3) return false;
  if (n === 3 && head.includes(digit.repeat(3))) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (Number(head[i]) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = 11 - product === 10 ? 0 : 11 - product;
  return check === Number(x[10]);
}

/** NIR: 13 characters (2A/2B for Corsica) and a key of 97 - (number mod 97). */
export function isNir(raw: string): boolean {
  const x = raw.replace(/\s/g, "");
  if (!/^[12]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$/.test(x)) return false;
  const month = Number(x.slice(3, 5));
  if (month < 1 || month > 12) return false;
  const num = BigInt(x.slice(0, 13).replace("2A", "19").replace("2B", "18"));
  return 97n - (num % 97n) === BigInt(x.slice(13));
}

const LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
export function isDni(raw: string): boolean {
  const x = raw.replace(/[\s.-]/g, "").toUpperCase();
  return /^\d{8}[A-Z]$/.test(x) && LETTERS[Number(x.slice(0, 8)) % 23] === x[8];
}
export function isNie(raw: string): boolean {
  const x = raw.replace(/[\s.-]/g, "").toUpperCase();
  if (!/^[XYZ]\d{7}[A-Z]$/.test(x)) return false;
  const n = Number(String("XYZ".indexOf(x[0] as string)) + x.slice(1, 8));
  return LETTERS[n % 23] === x[8];
}

/** Codice fiscale: 16 characters, omocodia letters allowed in digit positions, check character. */
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const charIndex = (c: string) => (c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65);
function cinLike(s: string): string {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const k = charIndex(s[i] as string);
    total += (i + 1) % 2 === 1 ? (ODD_VALUES[k] as number) : k;
  }
  return String.fromCharCode(65 + (total % 26));
}
export function isCodiceFiscale(raw: string): boolean {
  const x = raw.toUpperCase();
  const D = "[0-9LMNPQRSTUV]";
  if (!new RegExp(`^[A-Z]{6}${D}{2}[ABCDEHLMPRST]${D}{2}[A-Z]${D}{3}[A-Z]$`).test(x)) return false;
  const decode = (c: string) => ("LMNPQRSTUV".includes(c) ? String("LMNPQRSTUV".indexOf(c)) : c);
  const day = Number(decode(x[9] as string) + decode(x[10] as string));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return cinLike(x.slice(0, 15)) === x[15];
}

export function isNino(raw: string): boolean {
  const x = raw.replace(/\s/g, "").toUpperCase();
  return /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(x);
}

/** BSN: 9a + 8b + … + 2h − 1i divisible by 11, not all zero. */
export function isBsn(raw: string): boolean {
  const x = raw.replace(/[\s.]/g, "");
  if (!/^\d{9}$/.test(x) || /^0+$/.test(x)) return false;
  let t = 0;
  for (let i = 0; i < 8; i++) t += Number(x[i]) * (9 - i);
  t -= Number(x[8]);
  return t % 11 === 0;
}

export function isPesel(x: string): boolean {
  if (!/^\d{11}$/.test(x)) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let t = 0;
  for (let i = 0; i < 10; i++) t += Number(x[i]) * (w[i] as number);
  if ((10 - (t % 10)) % 10 !== Number(x[10])) return false;
  let m = Number(x.slice(2, 4));
  let century = 1900;
  if (m > 80) [century, m] = [1800, m - 80];
  else if (m > 60) [century, m] = [2200, m - 60];
  else if (m > 40) [century, m] = [2100, m - 40];
  else if (m > 20) [century, m] = [2000, m - 20];
  return validDate(century + Number(x.slice(0, 2)), m, Number(x.slice(4, 6)));
}

/** Personnummer: [CC]YYMMDD[-+]NNNC, Luhn over the ten digits, a real date; '+' only from age 100 (2026-12-07). */
export function isPersonnummer(x: string): boolean {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(x);
  if (!m) return false;
  const [, cc, yy, mm, dd, sep, rest] = m as unknown as string[];
  const ten = `${yy}${mm}${dd}${rest}`;
  let t = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    t += d;
  }
  if (t % 10 !== 0) return false;
  let year: number;
  if (cc) year = Number(`${cc}${yy}`);
  else {
    year = 2000 + Number(yy);
    if (year > 2026) year -= 100;
    if (sep === "+") year -= 100;
  }
  if (cc && sep === "+") return false;
  if (sep === "+" && 2026 - year < 100) return false;
  return validDate(year, Number(mm), Number(dd));
}

const COUNTRIES = ["DE", "FR", "ES", "IT", "NL", "GB", "PL", "SE"];
export function isBic(x: string): boolean {
  return new RegExp(`^[A-Z]{4}(${COUNTRIES.join("|")})[A-Z0-9]{2}([A-Z0-9]{3})?$`).test(x);
}

const IBAN_LENGTH: Record<string, number> = { DE: 22, FR: 27, ES: 24, IT: 27, NL: 18, GB: 22, PL: 28, SE: 24 };
function mod97(s: string): number {
  let r = 0;
  for (const c of s) {
    const v = /[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}
export function isIban(raw: string): boolean {
  const x = raw.replace(/\s/g, "");
  const cc = x.slice(0, 2);
  if (IBAN_LENGTH[cc] !== x.length || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(x)) return false;
  if (mod97(x.slice(4) + x.slice(0, 4)) !== 1) return false;
  const b = x.slice(4);
  switch (cc) {
    case "FR": {
      if (!onlyDigits(b)) return false;
      const key =
        97n - ((89n * BigInt(b.slice(0, 5)) + 15n * BigInt(b.slice(5, 10)) + 3n * BigInt(b.slice(10, 21))) % 97n);
      return key === BigInt(b.slice(21));
    }
    case "ES": {
      const dc = (ten: string) => {
        const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
        let t = 0;
        for (let i = 0; i < 10; i++) t += Number(ten[i]) * (w[i] as number);
        const r = 11 - (t % 11);
        return r === 11 ? 0 : r === 10 ? 1 : r;
      };
      return `${dc(`00${b.slice(0, 8)}`)}${dc(b.slice(10))}` === b.slice(8, 10);
    }
    case "IT":
      return cinLike(b.slice(1)) === b[0];
    case "PL": {
      const w = [3, 9, 7, 1, 3, 9, 7];
      let t = 0;
      for (let i = 0; i < 7; i++) t += Number(b[i]) * (w[i] as number);
      return (10 - (t % 10)) % 10 === Number(b[7]);
    }
    case "NL": {
      if (b.startsWith("INGB")) return true;
      const acc = b.slice(4);
      let t = 0;
      for (let i = 0; i < 10; i++) t += Number(acc[i]) * (10 - i);
      return t % 11 === 0;
    }
    default:
      return true;
  }
}

const VALIDATORS: Record<string, (x: string) => boolean> = {
  DE_TAX_ID: isSteuerId,
  FR_NIR: isNir,
  ES_NIF: isDni,
  ES_NIE: isNie,
  IT_FISCAL_CODE: isCodiceFiscale,
  UK_NINO: isNino,
  NL_BSN: isBsn,
  PL_PESEL: isPesel,
  SE_PERSONNUMMER: isPersonnummer,
  SWIFT_CODE: isBic,
  IBAN_CODE: isIban,
};
const TYPES = new Set([...Object.keys(VALIDATORS), "PERSON", "STREET_ADDRESS"]);

// ---- checks ---------------------------------------------------------------------------------

const file = new URL("data/pii-multilingual-holdout3.jsonl", import.meta.url);
const lines: Line[] = readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Line);
const rows = build();
const problems: string[] = [];
if (rows.length !== lines.length) problems.push(`generator gives ${rows.length} rows, file has ${lines.length}`);

const perType: Record<string, Record<string, number>> = {};
const perLang: Record<string, { pos: number; neg: number; spans: number }> = {};
const seen = new Map<string, number>();
const values: Record<string, Set<string>> = {};
lines.forEach((line, i) => {
  const lang = rows[i]?.lang ?? "?";
  if (rows[i]?.text !== line.text) problems.push(`line ${i + 1}: differs from the generator's output`);
  const key = Object.keys(line).sort().join(",");
  if (key !== "spans,text") problems.push(`line ${i + 1}: keys ${key}`);
  if (seen.has(line.text)) problems.push(`line ${i + 1}: duplicate of line ${seen.get(line.text)}`);
  seen.set(line.text, i + 1);
  perLang[lang] ??= { pos: 0, neg: 0, spans: 0 };
  (perLang[lang] as { pos: number; neg: number; spans: number })[line.spans.length ? "pos" : "neg"]++;
  let lastEnd = -1;
  for (const sp of [...line.spans].sort((a, b) => a.start - b.start)) {
    const value = line.text.slice(sp.start, sp.end);
    const where = `line ${i + 1} ${sp.type} ${JSON.stringify(value)}`;
    if (!TYPES.has(sp.type)) problems.push(`${where}: unknown type`);
    if (
      !(
        Number.isInteger(sp.start) &&
        Number.isInteger(sp.end) &&
        sp.start >= 0 &&
        sp.end <= line.text.length &&
        sp.start < sp.end
      )
    )
      problems.push(`${where}: bad offsets`);
    if (sp.start < lastEnd) problems.push(`${where}: overlaps the previous span`);
    lastEnd = sp.end;
    if (value !== value.trim() || /^[,.;:()]|[,;:(]$/.test(value))
      problems.push(`${where}: edge whitespace or punctuation`);
    const validator = VALIDATORS[sp.type];
    if (
      validator &&
      !validator(
        sp.type === "IT_FISCAL_CODE" || sp.type === "UK_NINO" || sp.type === "ES_NIF" ? value.toUpperCase() : value,
      )
    )
      problems.push(`${where}: fails its check rule`);
    if (sp.type === "PERSON" && !/^\S+( \S+)+$/.test(value)) problems.push(`${where}: not first + last name`);
    if (sp.type === "STREET_ADDRESS" && !/\d/.test(value)) problems.push(`${where}: no house number`);
    perType[sp.type] ??= {};
    const t = perType[sp.type] as Record<string, number>;
    t[lang] = (t[lang] ?? 0) + 1;
    values[sp.type] ??= new Set();
    values[sp.type]?.add(value);
    perLang[lang].spans++;
  }
});

// Earlier splits: shared sentences, names and addresses.
const earlier = ["tune", "report", "holdout", "holdout2"].map(
  (s) => new URL(`data/pii-multilingual-${s}.jsonl`, import.meta.url),
);
const oldTexts = new Set<string>();
const oldValues = new Set<string>();
for (const f of earlier) {
  if (!existsSync(f)) continue;
  for (const l of readFileSync(f, "utf8").split("\n").filter(Boolean)) {
    const r = JSON.parse(l) as Line;
    oldTexts.add(r.text);
    for (const sp of r.spans)
      if (sp.type === "PERSON" || sp.type === "STREET_ADDRESS")
        oldValues.add(`${sp.type}\t${r.text.slice(sp.start, sp.end)}`);
  }
}
const sharedTexts = lines.filter((l) => oldTexts.has(l.text)).length;
const sharedValues = [...(values.PERSON ?? [])].filter((v) => oldValues.has(`PERSON\t${v}`));
const sharedAddresses = [...(values.STREET_ADDRESS ?? [])].filter((v) => oldValues.has(`STREET_ADDRESS\t${v}`));

// Negatives: digit runs that pass a check rule by chance (order numbers etc. are random digits).
const chanceHits: Record<string, number> = {};
for (const l of lines.filter((x) => x.spans.length === 0)) {
  for (const m of l.text.matchAll(/(?<![\d])\d{9,12}(?![\d])/g)) {
    const d = m[0];
    const hit =
      (d.length === 11 && isSteuerId(d) && "DE_TAX_ID") ||
      (d.length === 11 && isPesel(d) && "PL_PESEL") ||
      (d.length === 9 && isBsn(d) && "NL_BSN") ||
      (d.length === 10 && isPersonnummer(d) && "SE_PERSONNUMMER");
    if (hit) chanceHits[hit] = (chanceHits[hit] ?? 0) + 1;
  }
  for (const m of l.text.matchAll(/\b\d{6}-\d{4}\b/g))
    if (isPersonnummer(m[0])) chanceHits.SE_PERSONNUMMER_dash = (chanceHits.SE_PERSONNUMMER_dash ?? 0) + 1;
}

const langs = Object.keys(perLang);
console.log(
  "records",
  lines.length,
  "positive",
  lines.filter((l) => l.spans.length).length,
  "negative",
  lines.filter((l) => !l.spans.length).length,
);
console.log("per language", perLang);
console.log(["type", ...langs, "total", "distinct"].join("\t"));
for (const [type, byLang] of Object.entries(perType).sort()) {
  const total = Object.values(byLang).reduce((a, b) => a + b, 0);
  console.log([type, ...langs.map((l) => byLang[l] ?? 0), total, values[type]?.size].join("\t"));
}
console.log("sentences shared with earlier splits:", sharedTexts);
console.log("PERSON values also in earlier splits:", sharedValues.length, sharedValues.slice(0, 10));
console.log("STREET_ADDRESS values also in earlier splits:", sharedAddresses.length);
console.log("digit runs in negatives that pass a check rule by chance:", chanceHits);
if (problems.length) {
  console.log(`${problems.length} problems:\n${problems.slice(0, 40).join("\n")}`);
  process.exit(1);
}
console.log("OK: offsets, types, check rules, no duplicates");
