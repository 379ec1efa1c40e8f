// Multilingual PII evaluation set, split "holdout4" (issue 22).
//
// Written on 2026-12-07 by a helper session that never read the detector (src/detect/**, rules/**,
// docs/detectors.md), never ran it or any bench/pii*.ts scorer, and never read holdout3 or the
// earlier splits' content. Templates, names, streets, cities and negatives are new; the check-digit
// code below is written from the published rules and shares nothing with the project's code.
//
//   node --import tsx bench/pii-multilingual-holdout4-data.ts
//
// writes bench/data/pii-multilingual-holdout4.jsonl (byte-for-byte deterministic, seed below) and
// prints counts per type and language. Records are {text, spans:[{start,end,type}]}, offsets in
// UTF-16 code units (all text is in the Basic Multilingual Plane, so they equal code points), end
// exclusive. Records are grouped by language in the order de, fr, es, it, nl, en, pl, sv and
// shuffled within each language.

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "./pii-corpus.js";

export const SEED = 4_071_226;

// ---------------------------------------------------------------- checked access
/** `arr[i]`, throwing if the index is out of range (array and string indexing under noUncheckedIndexedAccess). */
function at<T>(arr: ArrayLike<T>, i: number): T {
  const v = arr[i];
  if (v === undefined) throw new Error(`index ${i} out of range (length ${arr.length})`);
  return v;
}
/** `rec[key]`, throwing if the key is absent. */
function get<V>(rec: Record<string, V>, key: string, what: string): V {
  const v = rec[key];
  if (v === undefined) throw new Error(`no ${what} for ${JSON.stringify(key)}`);
  return v;
}

// ---------------------------------------------------------------- random
const rnd = mulberry32(SEED);
const ri = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(a: readonly T[]): T => at(a, Math.floor(rnd() * a.length));
const chance = (p: number) => rnd() < p;
const dig = (n: number) => Array.from({ length: n }, () => ri(0, 9)).join("");
const dig1 = (n: number) => String(ri(1, 9)) + dig(n - 1);
const pad = (n: number, w: number) => String(n).padStart(w, "0");
const upLetters = (n: number, from = "ABCDEFGHJKLMNPRSTUVWXYZ") =>
  Array.from({ length: n }, () => pick([...from])).join("");
function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const ai = at(a, i),
      aj = at(a, j);
    a[i] = aj;
    a[j] = ai;
  }
  return a;
}

// ---------------------------------------------------------------- record builder
type Span = { start: number; end: number; type: string };
type Rec = { text: string; spans: Span[]; values: string[] };
type Val = { v: string; t: string };
type Part = string | number | Val;

function T(strs: TemplateStringsArray, ...vals: Part[]): Rec {
  let text = "";
  const spans: Span[] = [];
  const values: string[] = [];
  strs.forEach((s, i) => {
    text += s;
    if (i < vals.length) {
      const x = vals[i];
      if (typeof x !== "object") text += String(x);
      else {
        spans.push({ start: text.length, end: text.length + x.v.length, type: x.t });
        values.push(x.v);
        text += x.v;
      }
    }
  });
  return { text, spans, values };
}
const lab =
  (t: string) =>
  (v: string): Val => ({ v, t });
const P = (p: Person | string, lower = false): Val => {
  const s = typeof p === "string" ? p : p.full;
  return { v: lower ? s.toLowerCase() : s, t: "PERSON" };
};
const A = lab("STREET_ADDRESS");
const IB = lab("IBAN_CODE");
const BI = lab("SWIFT_CODE");

// ---------------------------------------------------------------- dates
type Birth = { y: number; m: number; d: number };
function birth(lo = 1942, hi = 2006): Birth {
  const y = ri(lo, hi),
    m = ri(1, 12);
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { y, m, d: ri(1, dim) };
}

// ---------------------------------------------------------------- national identifiers
function deTaxIdDigits(): string {
  for (;;) {
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const miss1 = pick(all);
    let pool = all.filter((d) => d !== miss1);
    let ten: number[];
    let triple = -1;
    if (chance(0.85)) ten = [...pool, pick(pool)];
    else {
      const miss2 = pick(pool);
      pool = pool.filter((d) => d !== miss2);
      triple = pick(pool);
      ten = [...pool, triple, triple];
    }
    shuffle(ten);
    if (ten[0] === 0) continue;
    if (triple >= 0) {
      const pos = ten.map((d, i) => (d === triple ? i : -1)).filter((i) => i >= 0);
      if (at(pos, 2) - at(pos, 0) === 2) continue; // three in a row are not issued
    }
    let product = 10;
    for (const d of ten) {
      let sum = (d + product) % 10;
      if (sum === 0) sum = 10;
      product = (sum * 2) % 11;
    }
    let check = 11 - product;
    if (check === 10) check = 0;
    return ten.join("") + check;
  }
}
function deTaxId(): string {
  const s = deTaxIdDigits();
  const r = rnd();
  if (r < 0.55) return s;
  if (r < 0.92) return `${s.slice(0, 2)} ${s.slice(2, 5)} ${s.slice(5, 8)} ${s.slice(8)}`;
  return `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}`;
}

function nir(sex?: "f" | "m"): string {
  const s = sex === "f" ? "2" : sex === "m" ? "1" : pick(["1", "2"]);
  const yy = pad(ri(0, 99), 2);
  const mm = pad(ri(1, 12), 2);
  let dep: string, com: string;
  const r = rnd();
  if (r < 0.06) {
    dep = pick(["2A", "2B"]);
    com = pad(ri(1, 366), 3);
  } else if (r < 0.11) {
    dep = "97";
    com = String(ri(1, 6)) + pad(ri(1, 99), 2);
  } else if (r < 0.15) {
    dep = "99";
    com = pad(ri(100, 450), 3);
  } else {
    let d = ri(1, 95);
    if (d === 20) d = 21;
    dep = pad(d, 2);
    com = pad(ri(1, 700), 3);
  }
  const ord = pad(ri(1, 999), 3);
  const body = s + yy + mm + dep + com + ord;
  const num = BigInt(body.replace("2A", "19").replace("2B", "18"));
  const key = pad(97 - Number(num % 97n), 2);
  const q = rnd();
  if (q < 0.4) return body + key;
  if (q < 0.9) return `${s} ${yy} ${mm} ${dep} ${com} ${ord} ${key}`;
  return `${body} ${key}`;
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
function dni(): string {
  const n = ri(100000, 99999999);
  const ds = pad(n, 8);
  const l = DNI_LETTERS[n % 23];
  const r = rnd();
  if (r < 0.5) return ds + l;
  if (r < 0.75) return `${ds}-${l}`;
  if (r < 0.9) return `${ds.slice(0, 2)}.${ds.slice(2, 5)}.${ds.slice(5)}-${l}`;
  return `${ds} ${l}`;
}
function nie(): string {
  const p = pick(["X", "X", "Y", "Y", "Z"]);
  const n = ri(0, 9999999);
  const ds = pad(n, 7);
  const l = DNI_LETTERS[Number(BigInt("XYZ".indexOf(p) + ds) % 23n)];
  const r = rnd();
  if (r < 0.6) return p + ds + l;
  if (r < 0.8) return `${p}-${ds}-${l}`;
  if (r < 0.9) return `${p} ${ds} ${l}`;
  return `${p}${ds}-${l}`;
}

const CF_ODD: Record<string, number> = {};
{
  const oddVals = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  for (let i = 0; i < 10; i++) CF_ODD[String(i)] = at(oddVals, i);
  for (let i = 0; i < 26; i++) CF_ODD[String.fromCharCode(65 + i)] = at(oddVals, i);
}
const cfEven = (c: string) => (c >= "0" && c <= "9" ? Number(c) : c.charCodeAt(0) - 65);
function cfCheckChar(s15: string): string {
  let sum = 0;
  for (let i = 0; i < s15.length; i++)
    sum += i % 2 === 0 ? get(CF_ODD, at(s15, i), "odd-position value") : cfEven(at(s15, i));
  return String.fromCharCode(65 + (sum % 26));
}
const normLatin = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/ß/g, "SS")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
const consonants = (s: string) => s.replace(/[AEIOU]/g, "");
const vowels = (s: string) => s.replace(/[^AEIOU]/g, "");
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
  "C351",
  "L736",
  "L781",
  "G224",
  "L424",
  "B157",
  "G337",
  "F257",
  "B354",
  "G478",
  "E506",
  "A794",
  "H224",
  "E801",
  "I452",
];
const BELFIORE_FOREIGN = [
  "Z112",
  "Z110",
  "Z131",
  "Z114",
  "Z129",
  "Z100",
  "Z330",
  "Z210",
  "Z600",
  "Z127",
  "Z138",
  "Z148",
];
function codiceFiscale(p: Person, foreign: boolean): string {
  const sn = normLatin(p.last),
    fn = normLatin(p.first);
  const sur = `${consonants(sn) + vowels(sn)}XXX`.slice(0, 3);
  const fc = consonants(fn);
  const nam = fc.length >= 4 ? at(fc, 0) + at(fc, 2) + at(fc, 3) : `${fc + vowels(fn)}XXX`.slice(0, 3);
  const b = birth(1945, 2005);
  const day = b.d + (p.sex === "f" ? 40 : 0);
  let body =
    sur +
    nam +
    pad(b.y % 100, 2) +
    "ABCDEHLMPRST"[b.m - 1] +
    pad(day, 2) +
    pick(foreign ? BELFIORE_FOREIGN : BELFIORE_IT);
  if (chance(0.06)) {
    // omocodia: digits replaced from the right
    const positions = [14, 13, 12, 10, 9, 7, 6];
    const k = ri(1, 3);
    const arr = [...body];
    for (let i = 0; i < k; i++) {
      const p = at(positions, i);
      arr[p] = at("LMNPQRSTUV", Number(at(arr, p)));
    }
    body = arr.join("");
  }
  return body + cfCheckChar(body);
}

function nino(): string {
  const bad = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);
  let pre: string;
  do pre = pick([..."ABCEGHJKLMNOPRSTWXYZ"]) + pick([..."ABCEGHJKLMNPRSTWXYZ"]);
  while (bad.has(pre));
  const d = dig(6),
    suf = pick(["A", "B", "C", "D"]);
  const r = rnd();
  if (r < 0.45) return `${pre} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suf}`;
  if (r < 0.9) return pre + d + suf;
  return `${pre} ${d} ${suf}`;
}

function bsnDigits(): string {
  for (;;) {
    const d = dig1(8);
    let s = 0;
    for (let i = 0; i < 8; i++) s += (9 - i) * Number(d[i]);
    const last = s % 11;
    if (last === 10) continue;
    return d + last;
  }
}
function bsn(): string {
  const s = bsnDigits();
  const r = rnd();
  if (r < 0.7) return s;
  if (r < 0.85) return `${s.slice(0, 4)}.${s.slice(4, 6)}.${s.slice(6)}`;
  return `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`;
}

function pesel(sex?: "f" | "m"): string {
  const b = birth(1935, 2012);
  const mOff = b.y >= 2000 ? 20 : 0;
  const body0 = pad(b.y % 100, 2) + pad(b.m + mOff, 2) + pad(b.d, 2) + dig(3);
  const sx = sex ?? pick(["f", "m"]);
  const sexDigit = sx === "f" ? pick([0, 2, 4, 6, 8]) : pick([1, 3, 5, 7, 9]);
  const body = body0 + sexDigit;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let s = 0;
  for (let i = 0; i < 10; i++) s += at(w, i) * Number(body[i]);
  return body + ((10 - (s % 10)) % 10);
}

function luhnCheck(d9: string): number {
  let s = 0;
  for (let i = 0; i < d9.length; i++) {
    let x = Number(d9[i]) * (i % 2 === 0 ? 2 : 1);
    if (x > 9) x -= 9;
    s += x;
  }
  return (10 - (s % 10)) % 10;
}
function personnummer(sex?: "f" | "m"): string {
  const old = chance(0.08);
  const b = old ? birth(1918, 1925) : birth(1940, 2008);
  const sx = sex ?? pick(["f", "m"]);
  const n3 = pad(ri(0, 99), 2) + String(sx === "f" ? pick([0, 2, 4, 6, 8]) : pick([1, 3, 5, 7, 9]));
  const yymmdd = pad(b.y % 100, 2) + pad(b.m, 2) + pad(b.d, 2);
  const c = luhnCheck(yymmdd + n3);
  const last4 = n3 + c;
  if (old) return `${yymmdd}+${last4}`;
  const r = rnd();
  if (r < 0.45) return `${yymmdd}-${last4}`;
  if (r < 0.55) return yymmdd + last4;
  if (r < 0.9) return `${b.y}${yymmdd.slice(2)}-${last4}`;
  return `${b.y}${yymmdd.slice(2)}${last4}`;
}

// ---------------------------------------------------------------- IBAN / BIC
function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) r = (r * 10 + Number(c)) % 97;
  }
  return r;
}
function withIbanCheck(cc: string, bban: string): string {
  const check = 98 - mod97(`${bban + cc}00`);
  return cc + pad(check, 2) + bban;
}
function esDc(ten: string): number {
  const w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  let s = 0;
  for (let i = 0; i < 10; i++) s += at(w, i) * Number(ten[i]);
  const d = 11 - (s % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
}
type Bank = { code: string; bic: string; name: string };
const BANKS: Record<string, Bank[]> = {
  DE: [
    { code: "10070000", bic: "DEUTDEBBXXX", name: "Deutschen Bank" },
    { code: "37040044", bic: "COBADEFFXXX", name: "Commerzbank" },
    { code: "50010517", bic: "INGDDEFFXXX", name: "ING" },
    { code: "70150000", bic: "SSKMDEMMXXX", name: "Stadtsparkasse München" },
    { code: "20050550", bic: "HASPDEHHXXX", name: "Haspa" },
    { code: "12030000", bic: "BYLADEM1001", name: "DKB" },
    { code: "43060967", bic: "GENODEM1GLS", name: "GLS Bank" },
    { code: "10050000", bic: "BELADEBEXXX", name: "Berliner Sparkasse" },
    { code: "37050198", bic: "COLSDE33XXX", name: "Sparkasse KölnBonn" },
    { code: "70020270", bic: "HYVEDEMMXXX", name: "HypoVereinsbank" },
  ],
  FR: [
    { code: "30004", bic: "BNPAFRPPXXX", name: "BNP Paribas" },
    { code: "30003", bic: "SOGEFRPPXXX", name: "Société Générale" },
    { code: "30002", bic: "CRLYFRPPXXX", name: "LCL" },
    { code: "20041", bic: "PSSTFRPPLYO", name: "La Banque Postale" },
    { code: "10278", bic: "CMCIFR2AXXX", name: "Crédit Mutuel" },
    { code: "30066", bic: "CMCIFRPPXXX", name: "CIC" },
    { code: "40618", bic: "BOUSFRPPXXX", name: "Boursorama" },
    { code: "17515", bic: "CEPAFRPP751", name: "Caisse d'Epargne" },
  ],
  ES: [
    { code: "0049", bic: "BSCHESMMXXX", name: "Santander" },
    { code: "0182", bic: "BBVAESMMXXX", name: "BBVA" },
    { code: "2100", bic: "CAIXESBBXXX", name: "CaixaBank" },
    { code: "0081", bic: "BSABESBBXXX", name: "Banco Sabadell" },
    { code: "0128", bic: "BKBKESMMXXX", name: "Bankinter" },
    { code: "2080", bic: "CAGLESMMXXX", name: "Abanca" },
    { code: "1465", bic: "INGDESMMXXX", name: "ING" },
    { code: "2095", bic: "BASKES2BXXX", name: "Kutxabank" },
  ],
  IT: [
    { code: "02008", bic: "UNCRITMMXXX", name: "UniCredit" },
    { code: "03069", bic: "BCITITMMXXX", name: "Intesa Sanpaolo" },
    { code: "05034", bic: "BAPPIT22XXX", name: "Banco BPM" },
    { code: "01005", bic: "BNLIITRRXXX", name: "BNL" },
    { code: "01030", bic: "PASCITMMXXX", name: "Monte dei Paschi" },
    { code: "05387", bic: "BPMOIT22XXX", name: "BPER" },
    { code: "03015", bic: "FEBIITM1XXX", name: "Fineco" },
    { code: "07601", bic: "BPPIITRRXXX", name: "Poste Italiane" },
  ],
  NL: [
    { code: "ABNA", bic: "ABNANL2AXXX", name: "ABN AMRO" },
    { code: "RABO", bic: "RABONL2UXXX", name: "Rabobank" },
    { code: "INGB", bic: "INGBNL2AXXX", name: "ING" },
    { code: "SNSB", bic: "SNSBNL2AXXX", name: "SNS" },
    { code: "ASNB", bic: "ASNBNL21XXX", name: "ASN Bank" },
    { code: "TRIO", bic: "TRIONL2UXXX", name: "Triodos" },
    { code: "KNAB", bic: "KNABNL2HXXX", name: "Knab" },
    { code: "BUNQ", bic: "BUNQNL2AXXX", name: "bunq" },
  ],
  GB: [
    { code: "NWBK60", bic: "NWBKGB2LXXX", name: "NatWest" },
    { code: "BARC20", bic: "BARCGB22XXX", name: "Barclays" },
    { code: "LOYD30", bic: "LOYDGB2LXXX", name: "Lloyds" },
    { code: "HBUK40", bic: "HBUKGB4BXXX", name: "HSBC" },
    { code: "ABBY09", bic: "ABBYGB2LXXX", name: "Santander" },
    { code: "NAIA07", bic: "NAIAGB21XXX", name: "Nationwide" },
    { code: "MONZ04", bic: "MONZGB2LXXX", name: "Monzo" },
    { code: "RBOS83", bic: "RBOSGB2LXXX", name: "RBS" },
  ],
  PL: [
    { code: "102", bic: "BPKOPLPWXXX", name: "PKO BP" },
    { code: "124", bic: "PKOPPLPWXXX", name: "Pekao" },
    { code: "105", bic: "INGBPLPWXXX", name: "ING Bank Śląski" },
    { code: "114", bic: "BREXPLPWXXX", name: "mBank" },
    { code: "109", bic: "WBKPPLPPXXX", name: "Santander Bank Polska" },
    { code: "116", bic: "BIGBPLPWXXX", name: "Millennium" },
    { code: "249", bic: "ALBPPLPWXXX", name: "Alior" },
  ],
  SE: [
    { code: "500", bic: "ESSESESSXXX", name: "SEB" },
    { code: "600", bic: "HANDSESSXXX", name: "Handelsbanken" },
    { code: "800", bic: "SWEDSESSXXX", name: "Swedbank" },
    { code: "300", bic: "NDEASESSXXX", name: "Nordea" },
    { code: "120", bic: "DABASESXXXX", name: "Danske Bank" },
    { code: "902", bic: "ELLFSESSXXX", name: "Länsförsäkringar" },
  ],
};
function ibanCompact(cc: string, bank: Bank): string {
  switch (cc) {
    case "DE":
      return withIbanCheck(cc, bank.code + dig(10));
    case "FR": {
      const g = dig(5),
        acct = dig(11);
      const key = 97 - Number((89n * BigInt(bank.code) + 15n * BigInt(g) + 3n * BigInt(acct)) % 97n);
      return withIbanCheck(cc, bank.code + g + acct + pad(key, 2));
    }
    case "ES": {
      const br = dig(4),
        acct = dig(10);
      return withIbanCheck(cc, bank.code + br + esDc(`00${bank.code}${br}`) + esDc(acct) + acct);
    }
    case "IT": {
      const cab = dig1(5),
        conto = pad(ri(1, 99999999), 12);
      const rest = bank.code + cab + conto;
      return withIbanCheck(cc, cfCheckChar(rest) + rest);
    }
    case "NL": {
      if (bank.code === "INGB") return withIbanCheck(cc, `INGB000${dig1(7)}`);
      for (;;) {
        const d = dig(9);
        let s = 0;
        for (let i = 0; i < 9; i++) s += (10 - i) * Number(d[i]);
        const last = (11 - (s % 11)) % 11;
        if (last === 10) continue;
        return withIbanCheck(cc, bank.code + d + last);
      }
    }
    case "GB":
      return withIbanCheck(cc, bank.code + dig(4) + dig1(8));
    case "PL": {
      const first7 = bank.code + dig(4);
      const w = [3, 9, 7, 1, 3, 9, 7];
      let s = 0;
      for (let i = 0; i < 7; i++) s += at(w, i) * Number(first7[i]);
      return withIbanCheck(cc, first7 + ((10 - (s % 10)) % 10) + dig(16));
    }
    case "SE":
      return withIbanCheck(cc, bank.code + pad(ri(0, 9999), 4) + dig(13));
  }
  throw new Error(cc);
}
type Acct = { iban: string; bic: string; bank: string };
function account(cc: string, grouped?: boolean): Acct {
  const bank = pick(get(BANKS, cc, "banks"));
  const c = ibanCompact(cc, bank);
  const g = grouped ?? chance(0.6);
  const iban = g ? c.replace(/(.{4})/g, "$1 ").trim() : c;
  const bic = chance(0.62) && bank.bic.endsWith("XXX") ? bank.bic.slice(0, 8) : bank.bic;
  return { iban, bic, bank: bank.name };
}

// ---------------------------------------------------------------- people
type Person = { first: string; last: string; full: string; sex: "f" | "m" };
type NamePool = { f: string[]; m: string[]; sur: string[]; foreign: [string, string, "f" | "m"][] };
const NAMES: Record<string, NamePool> = {
  de: {
    f: [
      "Jutta",
      "Birgit",
      "Franziska",
      "Annegret",
      "Mareike",
      "Svenja",
      "Hannelore",
      "Ilse",
      "Carolin",
      "Johanna",
      "Friederike",
      "Dörte",
      "Ute",
      "Leonie",
      "Marlene",
      "Gisela",
      "Anne-Kathrin",
      "Wiebke",
      "Roswitha",
      "Theresa",
      "Henrike",
      "Elfriede",
      "Nele",
      "Amelie",
    ],
    m: [
      "Torsten",
      "Ulrich",
      "Bernd",
      "Henning",
      "Malte",
      "Detlef",
      "Joachim",
      "Rüdiger",
      "Florian",
      "Benedikt",
      "Sönke",
      "Wolfgang",
      "Hans-Peter",
      "Klaus-Dieter",
      "Till",
      "Gerd",
      "Volkmar",
      "Eckhard",
      "Lennart",
      "Korbinian",
      "Reinhold",
      "Moritz",
      "Jan-Hendrik",
      "Siegfried",
    ],
    sur: [
      "Brandt",
      "Lindner",
      "Seidel",
      "Hoffmeister",
      "Kühn",
      "Böhm",
      "Winkler",
      "Schreiber",
      "Pohl",
      "Ziegler",
      "Engel",
      "Fuchs",
      "Kessler",
      "Vogt",
      "Haas",
      "Sauer",
      "Dietrich",
      "Kraus",
      "Brückner",
      "Wendt",
      "Thiele",
      "Großmann",
      "Ahrens",
      "Petersen",
      "von Bredow",
      "von der Heyde",
      "Schulte-Bockholt",
      "Hahn-Oberthür",
      "Rößler",
      "Eichhorn",
      "Gerlach",
      "Kemper",
      "Tiedemann",
      "Uhlig",
      "Westphal",
      "Zöllner",
      "Baumgärtner",
      "Mittermaier",
      "Oberländer",
      "Stöckl",
    ],
    foreign: [
      ["Ayşe", "Yıldırım", "f"],
      ["Mehmet", "Aydın", "m"],
      ["Fatma", "Şahin", "f"],
      ["Dragan", "Jovanović", "m"],
      ["Ivana", "Horvat", "f"],
      ["Andrzej", "Kubiak", "m"],
      ["Elena", "Popescu", "f"],
      ["Giorgos", "Papadakis", "m"],
      ["Minh", "Nguyen", "m"],
      ["Olga", "Sokolova", "f"],
      ["Emre", "Kaya", "m"],
      ["Samira", "Haddad", "f"],
      ["Luca", "Ferraro", "m"],
      ["Zeynep", "Öztürk", "f"],
    ],
  },
  fr: {
    f: [
      "Marie-Hélène",
      "Sandrine",
      "Céline",
      "Élodie",
      "Brigitte",
      "Nathalie",
      "Solène",
      "Clémence",
      "Gaëlle",
      "Maëlys",
      "Odile",
      "Véronique",
      "Agnès",
      "Margaux",
      "Anne-Laure",
      "Josiane",
      "Capucine",
      "Héloïse",
      "Inès",
      "Lucie",
      "Coralie",
      "Ghislaine",
    ],
    m: [
      "Jean-Baptiste",
      "Thierry",
      "Benoît",
      "Grégoire",
      "Hervé",
      "Yannick",
      "Loïc",
      "Rémi",
      "Olivier",
      "Arnaud",
      "Mathis",
      "Étienne",
      "Pierre-Yves",
      "Gilles",
      "Cyril",
      "Fabrice",
      "Aurélien",
      "Jérôme",
      "Bastien",
      "Didier",
      "Maxence",
      "Romain",
    ],
    sur: [
      "Lefèvre",
      "Mercier",
      "Fontaine",
      "Rousseau",
      "Gauthier",
      "Chevalier",
      "Lemaire",
      "Perrin",
      "Morel",
      "Girard",
      "Bonnet",
      "Faure",
      "Giraud",
      "Boyer",
      "Barbier",
      "Roux",
      "Le Gall",
      "Le Bihan",
      "de La Tour",
      "Dumas",
      "Vasseur",
      "Marchand",
      "Besnard",
      "Carpentier",
      "Delacroix",
      "Guérin",
      "Hamon",
      "Jacquemin",
      "Lacroix-Moreau",
      "Poirier",
      "Riviere",
      "Tessier",
      "Vidal",
      "d'Aubigny",
      "Caron",
      "Leclercq",
      "Pelletier",
      "Brochard",
    ],
    foreign: [
      ["Karim", "Benali", "m"],
      ["Fatoumata", "Diallo", "f"],
      ["Mamadou", "N'Diaye", "m"],
      ["Yasmina", "Haddad", "f"],
      ["Ana", "Pereira", "f"],
      ["João", "Ferreira", "m"],
      ["Linh", "Tran", "f"],
      ["Nadia", "Bouchareb", "f"],
      ["Sébastien", "Nkemelu", "m"],
      ["Aylin", "Demir", "f"],
      ["Stefan", "Wagner", "m"],
      ["Rachid", "El Mansouri", "m"],
    ],
  },
  es: {
    f: [
      "Lucía",
      "María José",
      "Carmen",
      "Pilar",
      "Inmaculada",
      "Nerea",
      "Ainhoa",
      "Rocío",
      "Beatriz",
      "Montserrat",
      "Begoña",
      "Amaia",
      "Almudena",
      "Macarena",
      "Noelia",
      "Itziar",
      "Consuelo",
      "Ana Belén",
      "Remedios",
      "Yolanda",
      "Esperanza",
      "Vanesa",
    ],
    m: [
      "Javier",
      "Íñigo",
      "Sergio",
      "Francisco Javier",
      "Jorge",
      "Raúl",
      "Gonzalo",
      "Jesús",
      "Joaquín",
      "Xabier",
      "Jordi",
      "Andrés",
      "Rubén",
      "Borja",
      "Ignacio",
      "José Manuel",
      "Fermín",
      "Adrián",
      "Emilio",
      "Agustín",
      "Salvador",
      "Óscar",
    ],
    sur: [
      "García",
      "Fernández",
      "Rodríguez",
      "Sánchez",
      "Jiménez",
      "Hernández",
      "Muñoz",
      "Álvarez",
      "Romero",
      "Gutiérrez",
      "Navarro",
      "Domínguez",
      "Vázquez",
      "Serrano",
      "Ortega",
      "Delgado",
      "Castro",
      "Rubio",
      "Marín",
      "Iglesias",
      "Medina",
      "Garrido",
      "Cortés",
      "Lozano",
      "Prieto",
      "Méndez",
      "Calvo",
      "Gallego",
      "de la Fuente",
      "del Río",
      "Etxeberria",
      "Goikoetxea",
      "Puig",
      "Ferrer",
      "Bermúdez",
      "Aranda",
      "Quintana",
      "Valverde",
      "Zamora",
      "Pascual",
    ],
    foreign: [
      ["Ionuț", "Popa", "m"],
      ["Mariana", "Constantin", "f"],
      ["Youssef", "Benali", "m"],
      ["Fatima Zahra", "El Amrani", "f"],
      ["Oksana", "Bondarenko", "f"],
      ["Luca", "Bianchi", "m"],
      ["Sophie", "Lambert", "f"],
      ["Thomas", "Becker", "m"],
      ["Emma", "Johansson", "f"],
      ["Carlos Eduardo", "da Silva", "m"],
      ["Gabriela", "Mendes", "f"],
      ["Aleksandr", "Volkov", "m"],
      ["Chloe", "Thompson", "f"],
      ["Ahmed", "Ouali", "m"],
      ["Bogdan", "Ionescu", "m"],
      ["Svetlana", "Kuznetsova", "f"],
      ["Hannah", "Schröder", "f"],
      ["Pieter", "van Rijn", "m"],
      ["Wei", "Zhang", "m"],
      ["Aminata", "Sow", "f"],
      ["Kateryna", "Melnyk", "f"],
      ["Marco", "Ferretti", "m"],
      ["Isabelle", "Marchetti", "f"],
      ["Florin", "Dumitru", "m"],
    ],
  },
  it: {
    f: [
      "Giulia",
      "Chiara",
      "Federica",
      "Alessandra",
      "Elisa",
      "Valentina",
      "Silvia",
      "Ilaria",
      "Beatrice",
      "Rosaria",
      "Carmela",
      "Annalisa",
      "Maria Grazia",
      "Ornella",
      "Loredana",
      "Gaia",
      "Teresa",
      "Nicoletta",
      "Serena",
      "Benedetta",
      "Agnese",
      "Marina",
    ],
    m: [
      "Lorenzo",
      "Davide",
      "Stefano",
      "Giuseppe",
      "Riccardo",
      "Gianluca",
      "Salvatore",
      "Pierpaolo",
      "Enrico",
      "Massimo",
      "Vincenzo",
      "Tommaso",
      "Gian Marco",
      "Ettore",
      "Raffaele",
      "Corrado",
      "Michele",
      "Emanuele",
      "Fabrizio",
      "Nicolò",
      "Cesare",
      "Aldo",
    ],
    sur: [
      "Esposito",
      "Colombo",
      "Ricci",
      "Marino",
      "Greco",
      "Gallo",
      "Conti",
      "De Luca",
      "Mancini",
      "Giordano",
      "Rizzo",
      "Lombardi",
      "Moretti",
      "Barbieri",
      "Fontana",
      "Santoro",
      "Mariani",
      "Rinaldi",
      "Caruso",
      "Ferrara",
      "Leone",
      "Longo",
      "Gentile",
      "Martinelli",
      "Vitale",
      "Lo Russo",
      "D'Angelo",
      "Di Stefano",
      "Dalla Costa",
      "Pellegrini",
      "Palumbo",
      "Sanna",
      "Fabbri",
      "Cattaneo",
      "Zanetti",
      "Bassi",
      "Orlando",
      "Piras",
      "Ruggiero",
      "Sartori",
    ],
    foreign: [
      ["Mohamed", "El Idrissi", "m"],
      ["Ioana", "Popescu", "f"],
      ["Arben", "Hoxha", "m"],
      ["Jie", "Hu", "f"],
      ["Svetlana", "Ivanova", "f"],
      ["Kwame", "Mensah", "m"],
      ["Marisol", "Quispe", "f"],
      ["Rajesh", "Singh", "m"],
      ["Anna", "Schwarzenbacher", "f"],
      ["Denis", "Moreau", "m"],
      ["Lejla", "Hodžić", "f"],
      ["Tomasz", "Wilk", "m"],
    ],
  },
  nl: {
    f: [
      "Sanne",
      "Femke",
      "Lotte",
      "Anouk",
      "Marloes",
      "Eline",
      "Noor",
      "Maaike",
      "Wilma",
      "Ingrid",
      "Annemiek",
      "Joke",
      "Fleur",
      "Hanneke",
      "Geertje",
      "Liesbeth",
      "Roos",
      "Tessa",
      "Marieke",
      "Jolien",
      "Aaltje",
      "Ilona",
    ],
    m: [
      "Bram",
      "Joris",
      "Sjoerd",
      "Pieter",
      "Wouter",
      "Ruud",
      "Gerrit",
      "Thijs",
      "Jeroen",
      "Maarten",
      "Daan",
      "Kees",
      "Willem-Jan",
      "Hidde",
      "Teun",
      "Bart",
      "Arjen",
      "Floris",
      "Jan-Willem",
      "Stijn",
      "Evert",
      "Ronald",
    ],
    sur: [
      "van der Meer",
      "de Jong",
      "van Dijk",
      "Bakker",
      "Visser",
      "Smit",
      "Meijer",
      "de Boer",
      "Mulder",
      "de Groot",
      "Vos",
      "Hendriks",
      "van Leeuwen",
      "Dekker",
      "Brouwer",
      "de Wit",
      "Dijkstra",
      "de Graaf",
      "van der Linden",
      "Kok",
      "de Haan",
      "Vermeulen",
      "van den Heuvel",
      "van der Veen",
      "van den Broek",
      "de Bruijn",
      "Schouten",
      "van Beek",
      "Postma",
      "Hoekstra",
      "Koster",
      "Prins",
      "Huisman",
      "Kuipers",
      "Veenstra",
      "ter Horst",
      "Oosterhuis",
      "van 't Hof",
      "Wijnands",
      "Verhoeven",
    ],
    foreign: [
      ["Mohammed", "El Amrani", "m"],
      ["Fatima", "Bouzid", "f"],
      ["Ravi", "Kromodimedjo", "m"],
      ["Shirley", "Tjon A Fong", "f"],
      ["Burak", "Yilmaz", "m"],
      ["Agnieszka", "Nowicka", "f"],
      ["Thomas", "Krüger", "m"],
      ["Precious", "Adeyemi", "f"],
      ["Dimitri", "Lambrechts", "m"],
      ["Sofía", "Herrera", "f"],
    ],
  },
  en: {
    f: [
      "Charlotte",
      "Imogen",
      "Harriet",
      "Siobhan",
      "Bethany",
      "Gemma",
      "Eleanor",
      "Megan",
      "Niamh",
      "Fiona",
      "Rosie",
      "Alison",
      "Philippa",
      "Kirsty",
      "Georgina",
      "Maisie",
      "Abigail",
      "Rhiannon",
      "Tamsin",
      "Jocelyn",
      "Priya",
      "Harriet-Rose",
    ],
    m: [
      "Oliver",
      "Callum",
      "Rhys",
      "Alistair",
      "Gareth",
      "Hamish",
      "Declan",
      "Toby",
      "Nathan",
      "Graham",
      "Iain",
      "Kieran",
      "Owen",
      "Dominic",
      "Rupert",
      "Angus",
      "Ewan",
      "Barnaby",
      "Stuart",
      "Craig",
      "Jasper",
      "Neville",
    ],
    sur: [
      "Hargreaves",
      "Whitfield",
      "Pemberton",
      "O'Connor",
      "MacLeod",
      "Fletcher",
      "Ashworth",
      "Thornton",
      "Bradshaw",
      "Holloway",
      "Sutcliffe",
      "Rowlands",
      "Llewellyn",
      "Okafor",
      "Fitzgerald",
      "Carter-Wells",
      "Chowdhury",
      "McAllister",
      "Gallagher",
      "Pritchard",
      "Whitaker",
      "Blackwood",
      "Cavendish",
      "Doherty",
      "Ellison",
      "Fairbairn",
      "Greenhalgh",
      "Hutchinson",
      "Kilbride",
      "Lockwood",
      "Montgomery",
      "Nuttall",
      "Ogilvie",
      "Prendergast",
      "Quigley",
      "Radcliffe",
      "Stanhope",
      "Trevelyan",
      "Vaughan-Lee",
      "Wainwright",
    ],
    foreign: [
      ["Aisha", "Rahman", "f"],
      ["Tomasz", "Zieliński", "m"],
      ["Chidi", "Okonkwo", "m"],
      ["Ana Lucía", "Rivera", "f"],
      ["Deepak", "Sharma", "m"],
      ["Mei", "Chen", "f"],
      ["Giulia", "Benedetti", "f"],
      ["Lukas", "Hofer", "m"],
      ["Oluwaseun", "Adebayo", "m"],
      ["Zofia", "Lis", "f"],
      ["Ahmet", "Çelik", "m"],
      ["Marie-Claire", "Dubois", "f"],
    ],
  },
  pl: {
    f: [
      "Agnieszka",
      "Małgorzata",
      "Katarzyna",
      "Joanna",
      "Magdalena",
      "Dorota",
      "Zofia",
      "Weronika",
      "Aleksandra",
      "Beata",
      "Halina",
      "Justyna",
      "Grażyna",
      "Monika",
      "Urszula",
      "Bożena",
      "Elżbieta",
      "Iwona",
      "Jadwiga",
      "Wiktoria",
      "Anna Maria",
      "Sylwia",
    ],
    m: [
      "Krzysztof",
      "Tomasz",
      "Paweł",
      "Marcin",
      "Grzegorz",
      "Łukasz",
      "Andrzej",
      "Wojciech",
      "Jakub",
      "Michał",
      "Mariusz",
      "Zbigniew",
      "Bartosz",
      "Jerzy",
      "Przemysław",
      "Sławomir",
      "Ryszard",
      "Dariusz",
      "Kacper",
      "Tadeusz",
      "Radosław",
      "Leszek",
    ],
    sur: [
      "Kowalski",
      "Wiśniewski",
      "Wójcik",
      "Kamiński",
      "Lewandowski",
      "Zieliński",
      "Szymański",
      "Woźniak",
      "Dąbrowski",
      "Kozłowski",
      "Jankowski",
      "Mazur",
      "Kwiatkowski",
      "Krawczyk",
      "Piotrowski",
      "Grabowski",
      "Pawłowski",
      "Michalski",
      "Król",
      "Wieczorek",
      "Jabłoński",
      "Wróbel",
      "Majewski",
      "Olszewski",
      "Stępień",
      "Jaworski",
      "Malinowski",
      "Górski",
      "Sikora",
      "Baran",
      "Rutkowski",
      "Zawadzki",
      "Sadowski",
      "Czarnecki",
      "Kubacki",
      "Pietrzak",
      "Wilczyński",
      "Gołębiowski",
      "Ostrowski",
      "Chmielewski",
    ],
    foreign: [
      ["Oleksandr", "Melnyk", "m"],
      ["Olena", "Kovalenko", "f"],
      ["Viktoriia", "Shevchenko", "f"],
      ["Andriy", "Bondar", "m"],
      ["Siarhei", "Kasperovich", "m"],
      ["Nguyen", "Thi Hoa", "f"],
      ["Markus", "Schneider", "m"],
      ["Irina", "Petrova", "f"],
      ["Daniel", "O'Brien", "m"],
      ["Lucía", "Romero", "f"],
    ],
  },
  sv: {
    f: [
      "Annika",
      "Ingrid",
      "Karin",
      "Linnea",
      "Maja",
      "Elsa",
      "Ebba",
      "Frida",
      "Malin",
      "Britt-Marie",
      "Helena",
      "Astrid",
      "Sigrid",
      "Agneta",
      "Lovisa",
      "Ylva",
      "Signe",
      "Kerstin",
      "Matilda",
      "Ulrika",
      "Tove",
      "Ann-Sofie",
    ],
    m: [
      "Björn",
      "Lars-Erik",
      "Mats",
      "Henrik",
      "Johan",
      "Anders",
      "Oskar",
      "Gustav",
      "Nils",
      "Magnus",
      "Fredrik",
      "Axel",
      "Viktor",
      "Olof",
      "Torbjörn",
      "Pelle",
      "Sixten",
      "Göran",
      "Rasmus",
      "Ludvig",
      "Håkan",
      "Jan-Olof",
    ],
    sur: [
      "Lindqvist",
      "Bergström",
      "Sjöberg",
      "Holmgren",
      "Nyström",
      "Åkesson",
      "Engström",
      "Forsberg",
      "Lundgren",
      "Wallin",
      "Sandberg",
      "Eklund",
      "Hedlund",
      "Strand",
      "Blomqvist",
      "Öberg",
      "Söderlund",
      "Håkansson",
      "Isaksson",
      "af Klercker",
      "von Platen",
      "Lindahl",
      "Nordin",
      "Bäckström",
      "Dahlgren",
      "Ekström",
      "Fransson",
      "Grönlund",
      "Hellström",
      "Jönsson",
      "Lundberg",
      "Mårtensson",
      "Norberg",
      "Rydberg",
      "Sundqvist",
      "Törnqvist",
      "Wikström",
      "Åberg",
      "Berglund-Ek",
      "Palmqvist",
    ],
    foreign: [
      ["Amir", "Ahmadi", "m"],
      ["Hodan", "Hassan", "f"],
      ["Milica", "Jovanović", "f"],
      ["Yusuf", "Mohammed", "m"],
      ["Kalle", "Virtanen", "m"],
      ["Aino", "Korhonen", "f"],
      ["Piotr", "Nowak", "m"],
      ["Leyla", "Karimi", "f"],
      ["Rami", "Khoury", "m"],
      ["Dana", "Alsaadi", "f"],
    ],
  },
};
function plFem(s: string): string {
  return s.replace(/ski$/, "ska").replace(/cki$/, "cka").replace(/dzki$/, "dzka");
}
function person(lang: string, opts: { foreign?: boolean; sex?: "f" | "m" } = {}): Person {
  const pool = get(NAMES, lang, "name pool");
  const useForeign = opts.foreign ?? chance(0.16);
  if (useForeign) {
    const cands = opts.sex ? pool.foreign.filter((x) => x[2] === opts.sex) : pool.foreign;
    const [first, last, sex] = pick(cands);
    return { first, last, full: `${first} ${last}`, sex };
  }
  const sex = opts.sex ?? pick(["f", "m"] as const);
  const first = pick(sex === "f" ? pool.f : pool.m);
  let last = pick(pool.sur);
  if (lang === "pl" && sex === "f") {
    last = plFem(last);
    if (chance(0.12)) last = `${last}-${plFem(pick(pool.sur))}`;
  }
  if (lang === "es") {
    let second = pick(pool.sur);
    while (second === last) second = pick(pool.sur);
    if (chance(0.85)) last = `${last} ${second}`;
  }
  if (lang === "de" && chance(0.05))
    last = `${last}-${pick(pool.sur.filter((s) => !s.includes(" ") && !s.includes("-")))}`;
  return { first, last, full: `${first} ${last}`, sex };
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------- addresses
type CityPC = [string, string[]];
const ADDR = {
  de: {
    streets: [
      "Schillerstraße",
      "Goethestraße",
      "Ahornweg",
      "Birkenallee",
      "Am Mühlbach",
      "Kastanienweg",
      "Friedrich-Ebert-Straße",
      "Talstraße",
      "Gartenstraße",
      "Im Wiesengrund",
      "Bahnhofstraße",
      "Eichendorffstraße",
      "Rosenstraße",
      "Brunnenstraße",
      "Kirchgasse",
      "Mozartstraße",
      "Heinrich-Heine-Straße",
      "An der Alten Mühle",
      "Auf dem Hügel",
      "Bergstraße",
      "Wilhelmstraße",
      "Uhlandstraße",
      "Seestraße",
      "Kolpingstraße",
      "Parkstraße",
      "Dorfstraße",
      "Lessingstraße",
      "Hölderlinweg",
      "Am Sonnenhang",
      "Lerchenfeld",
      "Königsberger Straße",
      "Schulstraße",
      "Weidenweg",
      "Hafenstraße",
      "Turmstraße",
      "Fliederweg",
    ],
    cities: [
      ["Berlin", ["10115", "10245", "10437", "12043", "13353", "10827"]],
      ["Hamburg", ["20095", "22083", "22767", "21073"]],
      ["München", ["80331", "80469", "81541", "80797"]],
      ["Köln", ["50667", "50823", "51063"]],
      ["Frankfurt am Main", ["60311", "60385", "60598"]],
      ["Stuttgart", ["70173", "70372", "70197"]],
      ["Düsseldorf", ["40210", "40477"]],
      ["Leipzig", ["04103", "04277"]],
      ["Dresden", ["01067", "01309"]],
      ["Hannover", ["30159", "30451"]],
      ["Nürnberg", ["90402", "90443"]],
      ["Bremen", ["28195", "28203"]],
      ["Freiburg im Breisgau", ["79098", "79104"]],
      ["Münster", ["48143", "48155"]],
      ["Kiel", ["24103", "24114"]],
      ["Mainz", ["55116", "55122"]],
      ["Regensburg", ["93047", "93053"]],
      ["Bielefeld", ["33602", "33615"]],
      ["Augsburg", ["86150", "86159"]],
      ["Rostock", ["18055", "18057"]],
      ["Erfurt", ["99084", "99089"]],
      ["Heidelberg", ["69117", "69120"]],
      ["Göttingen", ["37073", "37083"]],
      ["Wuppertal", ["42103", "42285"]],
    ] as CityPC[],
  },
  at: {
    streets: [
      "Mariahilfer Straße",
      "Favoritenstraße",
      "Lerchenfelder Gürtel",
      "Annenstraße",
      "Herrengasse",
      "Landstraßer Hauptstraße",
    ],
    cities: [
      ["Wien", ["1060", "1100", "1030", "1160"]],
      ["Graz", ["8010", "8020"]],
      ["Linz", ["4020"]],
      ["Innsbruck", ["6020"]],
    ] as CityPC[],
  },
  fr: {
    streets: [
      "rue des Tanneurs",
      "avenue Victor-Hugo",
      "boulevard de la Liberté",
      "impasse des Glycines",
      "allée des Marronniers",
      "chemin du Moulin",
      "rue Pasteur",
      "quai de la Fosse",
      "cours Lafayette",
      "rue Sainte-Catherine",
      "rue du Général-Leclerc",
      "avenue de la République",
      "rue des Écoles",
      "place du Marché-aux-Herbes",
      "rue Nationale",
      "rue de la Paroisse",
      "avenue Jean-Moulin",
      "rue des Capucins",
      "boulevard Gambetta",
      "rue Émile-Zola",
      "rue du Faubourg-Saint-Antoine",
      "rue de Verdun",
      "chemin des Vignes",
      "rue des Lilas",
      "avenue Foch",
      "rue Voltaire",
      "rue de la Gare",
      "allée Louise-Michel",
      "rue du Château-d'Eau",
      "quai des Chartrons",
    ],
    cities: [
      ["Paris", ["75011", "75015", "75018", "75005", "75020"]],
      ["Lyon", ["69003", "69007", "69001"]],
      ["Marseille", ["13005", "13008"]],
      ["Toulouse", ["31000", "31400"]],
      ["Nantes", ["44000", "44100"]],
      ["Bordeaux", ["33000", "33800"]],
      ["Lille", ["59000", "59800"]],
      ["Strasbourg", ["67000", "67100"]],
      ["Rennes", ["35000", "35200"]],
      ["Montpellier", ["34000", "34070"]],
      ["Nice", ["06000", "06300"]],
      ["Grenoble", ["38000", "38100"]],
      ["Dijon", ["21000"]],
      ["Angers", ["49100"]],
      ["Tours", ["37000"]],
      ["Clermont-Ferrand", ["63000"]],
      ["Reims", ["51100"]],
      ["Ajaccio", ["20000"]],
      ["Caen", ["14000"]],
      ["Brest", ["29200"]],
      ["Villeurbanne", ["69100"]],
      ["Aix-en-Provence", ["13100"]],
      ["Saint-Étienne", ["42000"]],
    ] as CityPC[],
  },
  es: {
    streets: [
      "Calle de Toledo",
      "Calle Mayor",
      "C/ Sierpes",
      "Avenida de la Constitución",
      "Avda. de América",
      "Plaza de la Merced",
      "Paseo de la Castellana",
      "Calle del Doctor Fleming",
      "Ronda de Segovia",
      "Calle San Bernardo",
      "Calle Larios",
      "Avenida del Puerto",
      "Calle Alfonso I",
      "Gran Vía",
      "Calle de la Princesa",
      "Calle Real",
      "Travesía del Arenal",
      "Calle Santa Clara",
      "Camino de Ronda",
      "Calle Uría",
      "Avenida de Andalucía",
      "C/ Tomás Zumalacárregui",
      "Calle de Juan Bravo",
      "Calle Bailén",
    ],
    catalan: [
      "Carrer de Mallorca",
      "Carrer de Sants",
      "Carrer de Provença",
      "Passeig de Sant Joan",
      "Carrer del Consell de Cent",
      "Carrer de Verdi",
    ],
    cities: [
      ["Madrid", ["28005", "28012", "28039", "28046", "28015"]],
      ["Valencia", ["46002", "46021", "46010"]],
      ["Sevilla", ["41004", "41010"]],
      ["Zaragoza", ["50004", "50008"]],
      ["Málaga", ["29012", "29016"]],
      ["Bilbao", ["48008", "48011"]],
      ["Murcia", ["30001", "30008"]],
      ["Palma", ["07003"]],
      ["Valladolid", ["47002"]],
      ["Granada", ["18009", "18002"]],
      ["Alicante", ["03001", "03010"]],
      ["Córdoba", ["14002"]],
      ["Vigo", ["36201"]],
      ["Oviedo", ["33003"]],
      ["Santander", ["39002"]],
      ["Pamplona", ["31002"]],
      ["Salamanca", ["37002"]],
      ["Cádiz", ["11003"]],
      ["A Coruña", ["15003"]],
      ["Logroño", ["26001"]],
    ] as CityPC[],
    barcelona: ["08013", "08021", "08025", "08014", "08012"],
  },
  it: {
    streets: [
      "Via dei Mille",
      "Corso Buenos Aires",
      "Viale Monza",
      "Via Po",
      "Vicolo del Cinque",
      "Via Nazionale",
      "Via Garibaldi",
      "Corso Vittorio Emanuele II",
      "Via Roma",
      "Piazza Santo Stefano",
      "Via XX Settembre",
      "Via dell'Indipendenza",
      "Viale dei Pini",
      "Via Sparano",
      "Via Etnea",
      "Via Toledo",
      "Borgo Pinti",
      "Via Cavour",
      "Via San Gregorio Armeno",
      "Lungomare Trieste",
      "Via Emilia Est",
      "Via delle Rose",
      "Strada Maggiore",
      "Via Manzoni",
      "Via Fratelli Bandiera",
      "Largo Augusto",
    ],
    cities: [
      ["Roma", ["00153", "00184", "00197", "00162"], "RM"],
      ["Milano", ["20124", "20127", "20143", "20135"], "MI"],
      ["Napoli", ["80121", "80135", "80138"], "NA"],
      ["Torino", ["10124", "10138"], "TO"],
      ["Bologna", ["40121", "40125"], "BO"],
      ["Firenze", ["50122", "50134"], "FI"],
      ["Genova", ["16121", "16128"], "GE"],
      ["Palermo", ["90133", "90141"], "PA"],
      ["Bari", ["70121", "70122"], "BA"],
      ["Verona", ["37121"], "VR"],
      ["Padova", ["35122"], "PD"],
      ["Trieste", ["34121"], "TS"],
      ["Cagliari", ["09124"], "CA"],
      ["Perugia", ["06121"], "PG"],
      ["Lecce", ["73100"], "LE"],
      ["Bergamo", ["24121"], "BG"],
      ["Parma", ["43121"], "PR"],
      ["Catania", ["95124"], "CT"],
      ["Salerno", ["84121"], "SA"],
      ["Modena", ["41121"], "MO"],
    ] as [string, string[], string][],
  },
  nl: {
    streets: [
      "Kerkstraat",
      "Laan van Meerdervoort",
      "Prinsengracht",
      "Oudegracht",
      "Stationsweg",
      "Molenstraat",
      "Julianalaan",
      "Beatrixstraat",
      "Dorpsstraat",
      "Van Limburg Stirumstraat",
      "Nieuwe Binnenweg",
      "Burgemeester Reigerstraat",
      "Lindenlaan",
      "Kastanjelaan",
      "Tweede Oosterparkstraat",
      "Vondelstraat",
      "Herengracht",
      "Spoorlaan",
      "Koningin Emmaplein",
      "Zeestraat",
      "Hoofdweg",
      "Van Speijkstraat",
      "Brinkstraat",
      "Nieuwstraat",
      "Breestraat",
      "Willemsparkweg",
      "Kanaalweg",
      "Schoolstraat",
    ],
    cities: [
      ["Amsterdam", ["1017", "1052", "1091", "1072"]],
      ["Rotterdam", ["3011", "3023", "3014"]],
      ["Den Haag", ["2514", "2517", "2563"]],
      ["Utrecht", ["3511", "3581", "3521"]],
      ["Eindhoven", ["5611", "5622"]],
      ["Groningen", ["9711", "9722"]],
      ["Tilburg", ["5038"]],
      ["Almere", ["1315"]],
      ["Breda", ["4811"]],
      ["Nijmegen", ["6511", "6524"]],
      ["Haarlem", ["2011"]],
      ["Arnhem", ["6811"]],
      ["Leiden", ["2311"]],
      ["Maastricht", ["6211"]],
      ["Zwolle", ["8011"]],
      ["Delft", ["2611"]],
      ["Leeuwarden", ["8911"]],
      ["Amersfoort", ["3811"]],
      ["Enschede", ["7511"]],
      ["Apeldoorn", ["7311"]],
    ] as CityPC[],
  },
  en: {
    streets: [
      "Mill Lane",
      "Victoria Road",
      "Church Street",
      "Station Road",
      "Park Avenue",
      "Albert Terrace",
      "Grove Crescent",
      "Elm Close",
      "Queens Drive",
      "Meadow Way",
      "Highfield Road",
      "Cathedral Road",
      "Orchard Gardens",
      "St Mary's Road",
      "Chester Street",
      "Beech Grove",
      "Ashley Place",
      "Farrier's Way",
      "Kingsway",
      "Hawthorn Avenue",
      "Cromwell Road",
      "Marine Parade",
      "Bridge Street",
      "Springfield Avenue",
      "Linden Close",
      "Belvoir Street",
      "Abbey Road",
      "Tennyson Walk",
    ],
    cities: [
      ["London", ["SE15", "N7", "E2", "SW11", "NW6", "W12"]],
      ["Manchester", ["M14", "M20"]],
      ["Leeds", ["LS6", "LS8"]],
      ["Bristol", ["BS3", "BS7"]],
      ["Glasgow", ["G12", "G41"]],
      ["Edinburgh", ["EH6", "EH10"]],
      ["Cardiff", ["CF11", "CF24"]],
      ["Birmingham", ["B13", "B29"]],
      ["Liverpool", ["L17", "L15"]],
      ["Sheffield", ["S10", "S7"]],
      ["Nottingham", ["NG7", "NG5"]],
      ["Newcastle upon Tyne", ["NE6", "NE2"]],
      ["Brighton", ["BN2", "BN1"]],
      ["Oxford", ["OX4"]],
      ["Cambridge", ["CB1", "CB4"]],
      ["Norwich", ["NR2"]],
      ["York", ["YO31"]],
      ["Belfast", ["BT9", "BT7"]],
      ["Exeter", ["EX4"]],
      ["Leicester", ["LE2"]],
      ["Swansea", ["SA1"]],
      ["Aberdeen", ["AB10"]],
    ] as CityPC[],
  },
  pl: {
    streets: [
      ["ul.", "Długa"],
      ["ul.", "Piotrkowska"],
      ["ul.", "Marszałkowska"],
      ["ul.", "Mickiewicza"],
      ["ul.", "Słowackiego"],
      ["ul.", "Kościuszki"],
      ["ul.", "Polna"],
      ["ul.", "Leśna"],
      ["ul.", "Ogrodowa"],
      ["ul.", "Zielona"],
      ["ul.", "Krótka"],
      ["al.", "Jana Pawła II"],
      ["al.", "Niepodległości"],
      ["ul.", "Grunwaldzka"],
      ["ul.", "Wojska Polskiego"],
      ["ul.", "3 Maja"],
      ["ul.", "Kwiatowa"],
      ["ul.", "Lipowa"],
      ["ul.", "Sienkiewicza"],
      ["ul.", "Żeromskiego"],
      ["os.", "Tysiąclecia"],
      ["pl.", "Grunwaldzki"],
      ["ul.", "Nowowiejska"],
      ["ul.", "Świętokrzyska"],
      ["al.", "Róż"],
      ["ul.", "Kopernika"],
      ["ul.", "Szewska"],
      ["ul.", "Bohaterów Westerplatte"],
    ] as [string, string][],
    cities: [
      ["Warszawa", ["00-238", "02-653", "03-744", "01-493"]],
      ["Kraków", ["30-060", "31-610", "31-027"]],
      ["Łódź", ["90-425", "91-341"]],
      ["Wrocław", ["50-384", "53-611"]],
      ["Poznań", ["60-101", "61-814"]],
      ["Gdańsk", ["80-831", "80-289"]],
      ["Szczecin", ["70-415"]],
      ["Lublin", ["20-072"]],
      ["Katowice", ["40-098"]],
      ["Białystok", ["15-062"]],
      ["Bydgoszcz", ["85-066"]],
      ["Toruń", ["87-100"]],
      ["Rzeszów", ["35-064"]],
      ["Olsztyn", ["10-516"]],
      ["Kielce", ["25-303"]],
      ["Opole", ["45-057"]],
      ["Gdynia", ["81-366"]],
      ["Zielona Góra", ["65-001"]],
    ] as CityPC[],
  },
  sv: {
    streets: [
      "Storgatan",
      "Drottninggatan",
      "Kungsgatan",
      "Vasagatan",
      "Skolgatan",
      "Björkvägen",
      "Tallvägen",
      "Ringvägen",
      "Sveavägen",
      "Hantverkargatan",
      "Karlavägen",
      "Östra Långgatan",
      "Västra Vägen",
      "Parkvägen",
      "Linnégatan",
      "Ekbacken",
      "Södra Förstadsgatan",
      "Järnvägsgatan",
      "Klostergatan",
      "Hagagatan",
      "Fiskaregatan",
      "Trädgårdsgatan",
      "Norra Allén",
      "Smedjegatan",
      "Lärkvägen",
      "Rådhusgatan",
    ],
    cities: [
      ["Stockholm", ["113 46", "116 21", "112 51", "118 26", "171 64"]],
      ["Göteborg", ["411 19", "413 04", "414 63"]],
      ["Malmö", ["211 22", "214 21"]],
      ["Uppsala", ["753 20", "752 37"]],
      ["Västerås", ["722 11"]],
      ["Örebro", ["702 10"]],
      ["Linköping", ["582 22"]],
      ["Helsingborg", ["252 21"]],
      ["Norrköping", ["602 24"]],
      ["Jönköping", ["553 16"]],
      ["Umeå", ["903 26"]],
      ["Lund", ["222 21"]],
      ["Luleå", ["972 31"]],
      ["Gävle", ["803 20"]],
      ["Sundsvall", ["852 31"]],
      ["Karlstad", ["652 24"]],
      ["Visby", ["621 55"]],
      ["Kiruna", ["981 31"]],
    ] as CityPC[],
  },
};
const hn = (max = 140) => String(ri(1, max));
const pcTail2 = () => upLetters(2, "ABCEGHJKLMNPRTVWXZ");

function streetOnly(lang: string): string {
  switch (lang) {
    case "de": {
      let s = pick(ADDR.de.streets);
      if (s.endsWith("straße") && chance(0.2)) s = s.replace(/straße$/, "str.");
      return `${s} ${hn()}${chance(0.12) ? pick(["a", "b", "c"]) : ""}`;
    }
    case "fr":
      return `${hn(90)}${chance(0.1) ? pick([" bis", " ter"]) : ""} ${pick(ADDR.fr.streets)}`;
    case "es":
      return `${pick(ADDR.es.streets)}${chance(0.5) ? "," : ""} ${hn(180)}`;
    case "it":
      return `${pick(ADDR.it.streets)}${chance(0.3) ? "," : ""} ${hn(150)}${chance(0.1) ? `/${pick(["A", "B"])}` : ""}`;
    case "nl":
      return `${pick(ADDR.nl.streets)} ${hn(220)}${chance(0.2) ? pick(["A", "-2", " hs", "-III", " B"]) : ""}`;
    case "en":
      return `${hn(120)} ${pick(ADDR.en.streets)}`;
    case "pl": {
      const [pre, s] = pick(ADDR.pl.streets);
      return `${pre} ${s} ${hn(120)}${chance(0.3) ? `/${ri(1, 60)}` : ""}`;
    }
    case "sv":
      return `${pick(ADDR.sv.streets)} ${hn(80)}${chance(0.15) ? pick(["A", "B", "C"]) : ""}`;
  }
  throw new Error(lang);
}
function address(lang: string): string {
  switch (lang) {
    case "de": {
      if (chance(0.08)) {
        const [c, pcs] = pick(ADDR.at.cities);
        const s =
          c === "Wien"
            ? pick(ADDR.at.streets.slice(0, 3).concat(["Landstraßer Hauptstraße"]))
            : pick(ADDR.at.streets.slice(3));
        return `${s} ${hn(90)}${chance(0.6) ? `/${ri(1, 24)}` : ""}, ${pick(pcs)} ${c}`;
      }
      const [c, pcs] = pick(ADDR.de.cities);
      return `${streetOnly("de")}, ${pick(pcs)} ${c}`;
    }
    case "fr": {
      const [c, pcs] = pick(ADDR.fr.cities);
      const pre = chance(0.12)
        ? pick([`Appartement ${ri(1, 40)}, `, `Bât. ${pick(["A", "B", "C"])}, `, `Résidence les Tilleuls, `])
        : "";
      const city = chance(0.2) ? c.toUpperCase() : c;
      return `${pre}${streetOnly("fr")}${chance(0.2) ? "" : ","} ${pick(pcs)} ${city}`;
    }
    case "es": {
      const piso = chance(0.55)
        ? `, ${pick([`${ri(1, 9)}.º ${pick(["A", "B", "C", "D"])}`, `${ri(1, 8)}º ${pick(["izq.", "dcha.", "izda."])}`, "bajo", `${ri(1, 6)}.º ${ri(1, 4)}.ª`, "ático", `esc. ${pick(["1", "2", "B"])}, ${ri(1, 7)}º ${pick(["A", "B"])}`])}`
        : "";
      if (chance(0.14))
        return `${pick(ADDR.es.catalan)}, ${ri(1, 420)}${piso ? `, ${ri(1, 6)}r ${ri(1, 4)}a` : ""}, ${pick(ADDR.es.barcelona)} Barcelona`;
      const [c, pcs] = pick(ADDR.es.cities);
      return `${pick(ADDR.es.streets)}, ${hn(180)}${piso}, ${pick(pcs)} ${c}`;
    }
    case "it": {
      const [c, pcs, prov] = pick(ADDR.it.cities);
      const int = chance(0.12)
        ? `, ${pick([`int. ${ri(1, 20)}`, `scala ${pick(["A", "B", "C"])}, int. ${ri(1, 30)}`])}`
        : "";
      const p = rnd();
      const tail = p < 0.35 ? ` (${prov})` : p < 0.55 ? ` ${prov}` : "";
      const sep = chance(0.2) ? " - " : ", ";
      return `${streetOnly("it")}${int}${sep}${pick(pcs)} ${c}${tail}`;
    }
    case "nl": {
      const [c, pcs] = pick(ADDR.nl.cities);
      return `${streetOnly("nl")}, ${pick(pcs)} ${pcTail2()}${chance(0.05) ? "  " : " "}${c}`;
    }
    case "en": {
      const [c, outs] = pick(ADDR.en.cities);
      const flat = chance(0.15) ? `Flat ${ri(1, 12)}${chance(0.3) ? pick(["A", "B"]) : ""}, ` : "";
      const pc = `${pick(outs)} ${ri(1, 9)}${upLetters(2, "ABDEFGHJLNPQRSTUWXYZ")}`;
      return `${flat}${streetOnly("en")}, ${c}${chance(0.35) ? "," : ""} ${pc}`;
    }
    case "pl": {
      const [c, pcs] = pick(ADDR.pl.cities);
      const [pre, s] = pick(ADDR.pl.streets);
      const r = rnd();
      const flat = r < 0.3 ? `/${ri(1, 80)}` : r < 0.5 ? ` m. ${ri(1, 80)}` : "";
      return `${pre} ${s} ${hn(120)}${flat}, ${pick(pcs)} ${c}`;
    }
    case "sv": {
      const [c, pcs] = pick(ADDR.sv.cities);
      const lgh = chance(0.15) ? ` lgh ${ri(10, 16)}${pad(ri(1, 9), 2)}` : "";
      return `${streetOnly("sv")}${lgh}, ${pick(pcs)} ${c}`;
    }
  }
  throw new Error(lang);
}

// ---------------------------------------------------------------- small fillers
const amount = (lang: string) => {
  const e = ri(12, 4800),
    c = pad(ri(0, 99), 2);
  const th = (n: number, sep: string) => (n >= 1000 ? `${Math.floor(n / 1000)}${sep}${pad(n % 1000, 3)}` : String(n));
  switch (lang) {
    case "de":
    case "es":
    case "it":
      return `${th(e, ".")},${c} €`;
    case "fr":
      return `${th(e, "\u202f")},${c} €`;
    case "nl":
      return `€ ${th(e, ".")},${c}`;
    case "en":
      return `£${th(e, ",")}.${c}`;
    case "pl":
      return `${th(e, " ")},${c} zł`;
    default:
      return `${th(e, " ")},${c} kr`;
  }
};
const dateStr = (lang: string) => {
  const y = ri(2024, 2027),
    m = ri(1, 12),
    d = ri(1, 28);
  switch (lang) {
    case "de":
    case "pl":
      return `${pad(d, 2)}.${pad(m, 2)}.${y}`;
    case "nl":
      return `${pad(d, 2)}-${pad(m, 2)}-${y}`;
    case "sv":
      return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
    default:
      return `${pad(d, 2)}/${pad(m, 2)}/${y}`;
  }
};
const timeRange = (sep: string) => {
  const h = ri(8, 15);
  return `${h}:00${sep}${h + ri(2, 4)}:00`;
};
const time = () => `${ri(7, 19)}:${pick(["00", "15", "30", "45", "10", "50"])}`;

// ---------------------------------------------------------------- templates
type Tpl = () => Rec;
type LangSpec = {
  id: Tpl[];
  bank: Tpl[];
  plain: Tpl[];
  neg: Tpl[];
  quota: { id: number; bank: number; plain: number; neg: number };
};

const DT = lab("DE_TAX_ID"),
  FN = lab("FR_NIR"),
  NF = lab("ES_NIF"),
  NE = lab("ES_NIE"),
  CF = lab("IT_FISCAL_CODE");
const NI = lab("UK_NINO"),
  BS = lab("NL_BSN"),
  PE = lab("PL_PESEL"),
  PN = lab("SE_PERSONNUMMER");

const deLoc = (st: string) =>
  /^(Am|Im|An|Auf) /.test(st) ? "" : /(weg|feld|hang|grund) \d/.test(st) ? "im " : "in der ";
const frDe = (name: string) => (/^[AEIOUYÉÈÂÎÔH]/i.test(name) ? "d'" : "de ");
const deHerrFrau = (p: Person) => (p.sex === "f" ? "Frau" : "Herr");
const deAnrede = (p: Person) => (p.sex === "f" ? "Sehr geehrte Frau" : "Sehr geehrter Herr");
const frCiv = (p: Person) => (p.sex === "f" ? pick(["Mme", "Madame"]) : pick(["M.", "Monsieur"]));
const esTr = (p: Person) => (p.sex === "f" ? pick(["Sra.", "Dña.", "D.ª"]) : pick(["Sr.", "D.", "Don"]));
const itTit = (p: Person) =>
  p.sex === "f" ? pick(["Sig.ra", "Gentile signora", "Dott.ssa"]) : pick(["Sig.", "Egregio signor", "Dott."]);
const nlTit = (p: Person) => (p.sex === "f" ? pick(["mevrouw", "mevr."]) : pick(["heer", "dhr."]));
const nlBeste = (p: Person) => (p.sex === "f" ? "mevrouw" : "meneer");
const enTit = (p: Person) => (p.sex === "f" ? pick(["Ms", "Mrs", "Miss", "Dr"]) : pick(["Mr", "Dr"]));
const plTit = (p: Person) => (p.sex === "f" ? pick(["Pani", "Pani", "dr"]) : pick(["Pan", "Pan", "dr"]));

const DE: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const p = person("de");
      return T`Hallo, ich bin ${P(p)} und brauche Hilfe bei meiner Einkommensteuererklärung. Meine Steuer-ID: ${DT(deTaxId())}`;
    },
    () => {
      const p = person("de");
      return T`Nachname: ${P(p.last)}\nVorname: ${P(p.first)}\nSteuerliche Identifikationsnummer: ${DT(deTaxId())}\nAnschrift: ${A(address("de"))}`;
    },
    () => {
      const p = person("de", { foreign: false });
      return T`${deAnrede(p)} ${P(p.last)},\nIhre steuerliche Identifikationsnummer (IdNr.) lautet ${DT(deTaxId())}. Bitte geben Sie diese bei allen Rückfragen an.\nMit freundlichen Grüßen\nIhr Lohnbüro`;
    },
    () => {
      const p = person("de");
      return T`Für die Gehaltsabrechnung von ${P(p)} fehlt noch die Steuer-ID. Sie lautet ${DT(deTaxId())}, Wohnanschrift ${A(address("de"))}.`;
    },
    () =>
      T`${DT(deTaxId())} ist meine Steuer-Identifikationsnummer, die steht auch oben auf der Lohnsteuerbescheinigung.`,
    () => {
      const p = person("de", { foreign: false });
      return T`moin, kurze frage: meine steuer id ${DT(deTaxId())} wird im portal als ungültig angezeigt?? name ist ${P(p, true)}`;
    },
    () => {
      const p = person("de", { sex: "f" }),
        st = streetOnly("de");
      return T`Die Identifikationsnummer meiner Tochter ${P(p)} lautet ${DT(deTaxId())}; sie wohnt noch bei uns ${deLoc(st)}${A(st)}.`;
    },
    () => {
      const p = person("de");
      return T`Ich ziehe zum 1. März um. Neue Adresse: ${A(address("de"))}. Meine IdNr. bleibt natürlich gleich (${DT(deTaxId())}).\nViele Grüße\n${P(p)}`;
    },
    () => {
      const a = person("de"),
        b = person("de");
      return T`Kindergeldantrag – Kind: ${P(a)}, Identifikationsnummer ${DT(deTaxId())}; antragstellender Elternteil: ${P(b)}, Identifikationsnummer ${DT(deTaxId())}.`;
    },
    () => {
      const p = person("de");
      return T`Könnten Sie bitte die Steuer-ID in meinem Profil korrigieren? Richtig ist ${DT(deTaxId())}. Danke und beste Grüße, ${P(p)}`;
    },
    () => {
      const p = person("de");
      return T`Mandant: ${P(p)}\nIdNr: ${DT(deTaxId())}\nAdresse: ${A(address("de"))}\nBelege bitte bis Monatsende einreichen.`;
    },
    () => {
      const p = person("de");
      return T`Guten Tag ${deHerrFrau(p)} ${P(p.last)}, für die Riester-Zulage benötigen wir noch Ihre Steueridentifikationsnummer. Laut Unterlagen ist das ${DT(deTaxId())} – stimmt das?`;
    },
    () => {
      const p = person("de", { sex: "m" });
      return T`Neuer Mitarbeiter ab 01.${pad(ri(1, 12), 2)}.: ${P(p)} (Steuer-ID ${DT(deTaxId())}), Steuerklasse ${ri(1, 5)}, Anschrift ${A(address("de"))}.`;
    },
    () => {
      const p = person("de");
      return T`Wo finde ich eigentlich meine Steuer-ID? Auf dem alten Bescheid steht ${DT(deTaxId())}, ist das die richtige? Gruß ${P(p.first)}`;
    },
    () => {
      const p = person("de"),
        q = person("de", { sex: "f" });
      return T`Erbschaftsangelegenheit ${P(p)}: Die Erbin ${P(q)}, ${A(address("de"))}, hat die Identifikationsnummer ${DT(deTaxId())} angegeben.`;
    },
  ],
  bank: [
    () => {
      const k = account("DE"),
        p = person("de", { sex: "f" });
      return T`Bitte überweisen Sie die Kaution auf mein Konto ${IB(k.iban)} (BIC ${BI(k.bic)}), Kontoinhaberin ${P(p)}.`;
    },
    () => {
      const k = account("DE"),
        p = person("de");
      return T`Neue Bankverbindung ab sofort:\nKontoinhaber: ${P(p)}\nIBAN: ${IB(k.iban)}\nBIC: ${BI(k.bic)}`;
    },
    () => {
      const k = account("DE");
      return T`hey, kannst du mir die ${ri(15, 80)} € fürs konzert zurücküberweisen? ${IB(k.iban)} danke!!`;
    },
    () => {
      const k = account("DE"),
        p = person("de");
      return T`SEPA-Lastschriftmandat: Ich, ${P(p)}, ${A(address("de"))}, ermächtige Sie, Zahlungen von meinem Konto ${IB(k.iban)} bei der ${k.bank} einzuziehen.`;
    },
    () => {
      const k = account("DE"),
        p = person("de");
      return T`Die Erstattung von ${amount("de")} geht an ${P(p)}, IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("DE", true);
      return T`${IB(k.iban)} – das ist die richtige IBAN, das alte Konto habe ich gekündigt.`;
    },
    () => {
      const k = account(pick(["DE", "DE", "NL", "FR"])),
        p = person("de"),
        a = address("de");
      return T`Rechnungsempfänger: ${P(p)}, ${A(a)}\nZahlbar innerhalb von 14 Tagen auf ${IB(k.iban)} (${BI(k.bic)}).`;
    },
  ],
  plain: [
    () => {
      const p = person("de");
      return T`${deAnrede(p)} ${P(p.last)}, wir haben Ihre Adressänderung erhalten.\nAlte Anschrift: ${A(address("de"))}\nNeue Anschrift: ${A(address("de"))}`;
    },
    () => T`${A(address("de"))} – das ist ab dem 1. die richtige Anschrift für alle Briefe an mich.`,
    () => {
      const p = person("de");
      return T`Lieferadresse: ${P(p)}, ${A(address("de"))}`;
    },
    () => {
      const p = person("de");
      return T`Hallo ${deHerrFrau(p)} ${P(p.last)}, hiermit bestätigen wir Ihren Termin am ${dateStr("de")} um ${time()} Uhr in unserer Praxis.`;
    },
    () => {
      const st = streetOnly("de");
      return T`Ich wohne seit ${ri(2008, 2024)} ${deLoc(st)}${A(st)} und suche jetzt eine größere Wohnung in der Nähe.`;
    },
    () => {
      const a = person("de"),
        b = person("de", { sex: "f" });
      return T`Mietvertrag zwischen ${P(a)} (Vermieter) und ${P(b)} (Mieterin) über die Wohnung im ${ri(1, 4)}. OG links, ${A(address("de"))}.`;
    },
    () => {
      const a = person("de"),
        b = person("de");
      return T`Viele Grüße aus dem Urlaub!\n${P(a)} und ${P(b)}`;
    },
    () => {
      const p = person("de", { sex: "m" });
      return T`Paket bitte bei meinem Nachbarn ${P(p)} abgeben (${A(streetOnly("de"))}), falls ich nicht da bin.`;
    },
    () => {
      const p = person("de"),
        d = person("de");
      return T`Terminbestätigung für ${P(p)}: Dienstag, ${time()} Uhr, bei Dr. ${P(d)}, Hautarztpraxis im Erdgeschoss.`;
    },
    () => T`Bitte schicken Sie die Rechnung an meine neue Adresse: ${A(address("de"))}`,
    () => {
      const p = person("de"),
        st = streetOnly("de");
      return T`${P(p)} hat den Vertrag gestern unterschrieben, die Schlüsselübergabe findet ${deLoc(st)}${A(st)} statt.`;
    },
    () => {
      const a = person("de"),
        b = person("de");
      return T`Absender: ${P(a)}, ${A(address("de"))}\nEmpfänger: ${P(b)}, ${A(address("de"))}`;
    },
    () => {
      const p = person("de"),
        st = streetOnly("de");
      return T`Schadensmeldung: Am ${dateStr("de")} ist bei ${P(p)} ${deLoc(st)}${A(st)} ein Wasserschaden entstanden.`;
    },
  ],
  neg: [],
};

const FR: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const p = person("fr");
      return T`Bonjour, je m'appelle ${P(p)} et ma carte Vitale est bloquée. Mon numéro de sécurité sociale : ${FN(nir(p.sex))}`;
    },
    () => {
      const p = person("fr");
      return T`Nom : ${P(p.last)}\nPrénom : ${P(p.first)}\nN° de sécurité sociale : ${FN(nir(p.sex))}\nAdresse : ${A(address("fr"))}`;
    },
    () => {
      const p = person("fr", { foreign: false });
      return T`${p.sex === "f" ? "Chère" : "Cher"} ${frCiv(p)} ${P(p.last)},\nnous avons bien reçu votre dossier. Votre NIR (${FN(nir(p.sex))}) a été enregistré.\nCordialement,\nLe service RH`;
    },
    () => {
      const p = person("fr");
      return T`${FN(nir(p.sex))} : c'est bien le numéro de sécu ${frDe(p.first)}${P(p)}, à rattacher à ma mutuelle svp.`;
    },
    () => {
      const p = person("fr", { foreign: false });
      return T`salut, c'est ${P(p, true)}, j'ai besoin de déclarer un arrêt maladie, mon numéro de sécu c'est ${FN(nir(p.sex))} merci`;
    },
    () => {
      const p = person("fr");
      return T`Attestation employeur : ${frCiv(p)} ${P(p)}, demeurant ${A(address("fr"))}, immatriculé(e) sous le numéro ${FN(nir(p.sex))}, est employé(e) depuis ${ri(2010, 2025)}.`;
    },
    () => {
      const p = person("fr"),
        e = person("fr");
      return T`Ajout d'un ayant droit : enfant ${P(e)}, rattaché au numéro d'assuré ${FN(nir(p.sex))} ${frDe(p.first)}${P(p)}.`;
    },
    () => {
      const p = person("fr");
      return T`Je déménage le mois prochain. Nouvelle adresse : ${A(address("fr"))}. Mon numéro INSEE reste ${FN(nir(p.sex))}.\nBien à vous,\n${P(p)}`;
    },
    () => {
      const p = person("fr");
      return T`Pour la prise en charge, merci d'indiquer le NIR du patient (${FN(nir(p.sex))}) et son nom, ${P(p)}.`;
    },
    () => {
      const p = person("fr");
      return T`Madame, Monsieur,\nje soussigné(e) ${P(p)}, numéro de sécurité sociale ${FN(nir(p.sex))}, conteste le remboursement du ${dateStr("fr")}.`;
    },
    () => {
      const p = person("fr");
      return T`Formulaire S1106 – assuré : ${P(p)} ; n° d'immatriculation : ${FN(nir(p.sex))} ; domicile : ${A(address("fr"))}`;
    },
    () => {
      const p = person("fr");
      return T`Est-ce normal que mon numéro de sécurité sociale ${FN(nir(p.sex))} n'apparaisse pas sur Ameli ? ${P(p.first)}`;
    },
    () => {
      const p = person("fr", { sex: "f" });
      return T`Nouvelle salariée à compter du lundi : ${P(p)} (NIR ${FN(nir("f"))}).`;
    },
  ],
  bank: [
    () => {
      const k = account("FR"),
        p = person("fr");
      return T`Voici mon RIB pour le remboursement : titulaire ${P(p)}, IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("FR"),
        p = person("fr");
      return T`Titulaire du compte : ${P(p)}\nIBAN : ${IB(k.iban)}\nBIC : ${BI(k.bic)}\nDomiciliation : ${k.bank}`;
    },
    () => {
      const k = account("FR");
      return T`tu peux me faire le virement pour le resto ? ${IB(k.iban)} merci !`;
    },
    () => {
      const k = account("FR"),
        p = person("fr");
      return T`Mandat de prélèvement SEPA : je soussigné ${P(p)}, ${A(address("fr"))}, autorise le débit de mon compte ${IB(k.iban)}.`;
    },
    () => {
      const k = account("FR", false);
      return T`${IB(k.iban)} est mon nouvel IBAN, l'ancien compte ${k.bank} est clôturé.`;
    },
    () => {
      const k = account(pick(["FR", "FR", "ES", "DE"])),
        p = person("fr");
      return T`Le loyer de ${amount("fr")} est à verser sur le compte ${frDe(p.first)}${P(p)} (${IB(k.iban)}, code BIC ${BI(k.bic)}) avant le 5 du mois.`;
    },
    () => {
      const k = account("FR"),
        p = person("fr");
      return T`Facture à régler par virement.\nBénéficiaire : ${P(p)}, ${A(address("fr"))}\nIBAN ${IB(k.iban)}`;
    },
  ],
  plain: [
    () => {
      const p = person("fr");
      return T`Changement d'adresse pour ${P(p)}.\nAncienne adresse : ${A(address("fr"))}\nNouvelle adresse : ${A(address("fr"))}`;
    },
    () => T`${A(address("fr"))} : c'est là qu'il faut m'envoyer les courriers désormais.`,
    () => {
      const p = person("fr");
      return T`Adresse de livraison : ${P(p)}, ${A(address("fr"))}`;
    },
    () => {
      const p = person("fr");
      return T`Bonjour ${frCiv(p)} ${P(p.last)}, nous vous confirmons votre rendez-vous du ${dateStr("fr")} à ${time().replace(":", " h ")} au cabinet.`;
    },
    () => T`J'habite au ${A(streetOnly("fr"))} depuis ${ri(3, 15)} ans et le chauffage ne marche plus.`,
    () => {
      const a = person("fr"),
        b = person("fr");
      return T`Bail conclu entre ${P(a)}, bailleur, et ${P(b)}, locataire, pour le logement situé ${A(address("fr"))}.`;
    },
    () => {
      const a = person("fr"),
        b = person("fr");
      return T`Bisous de Biarritz !\n${P(a)} et ${P(b)}`;
    },
    () => {
      const p = person("fr", { sex: "f" });
      return T`Merci de laisser le colis chez ma voisine, ${P(p)}, au ${A(streetOnly("fr"))}.`;
    },
    () => {
      const p = person("fr"),
        d = person("fr");
      return T`Compte rendu de consultation : ${P(p)} a été vu(e) ce jour par le Dr ${P(d)}.`;
    },
    () => T`Veuillez envoyer la facture à ma nouvelle adresse : ${A(address("fr"))}`,
    () => {
      const a = person("fr"),
        b = person("fr");
      return T`Expéditeur : ${P(a)}, ${A(address("fr"))}\nDestinataire : ${P(b)}, ${A(address("fr"))}`;
    },
    () => {
      const p = person("fr");
      return T`Déclaration de sinistre : dégât des eaux chez ${P(p)}, ${A(address("fr"))}, constaté le ${dateStr("fr")}.`;
    },
  ],
  neg: [],
};

const ES: LangSpec = {
  quota: { id: 110, bank: 18, plain: 24, neg: 100 },
  id: [
    () => {
      const p = person("es", { foreign: false });
      return T`Hola, soy ${P(p)} y no puedo acceder a la banca online. Mi DNI es ${NF(dni())}`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`Nombre: ${P(p.first)}\nApellidos: ${P(p.last)}\nDNI: ${NF(dni())}\nDomicilio: ${A(address("es"))}`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`Estimado/a ${esTr(p)} ${P(p)}:\nle confirmamos que su solicitud con NIF ${NF(dni())} ha sido tramitada.\nAtentamente,\nDepartamento de Atención al Cliente`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`${NF(dni())} es el DNI del titular, ${P(p)}, por si lo necesitáis para la póliza.`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`buenas, soy ${P(p, true)} y quería saber si ya está mi certificado, mi dni ${NF(dni())} gracias`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`Contrato de arrendamiento: de una parte, ${esTr(p)} ${P(p)}, mayor de edad, con DNI ${NF(dni())} y domicilio en ${A(address("es"))}.`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`Me he mudado. La nueva dirección es ${A(address("es"))} y mi NIF sigue siendo ${NF(dni())}.\nUn saludo,\n${P(p)}`;
    },
    () => {
      const p = person("es", { foreign: false });
      return T`Para la cita médica necesito el DNI del paciente (${NF(dni())}) y su nombre completo: ${P(p)}.`;
    },
    () => {
      const p = person("es");
      return T`Hola, me llamo ${P(p)}, soy residente y mi NIE es ${NE(nie())}. ¿Puedo abrir una cuenta con él?`;
    },
    () => {
      const p = person("es");
      return T`Nombre y apellidos: ${P(p)}\nNIE: ${NE(nie())}\nDirección: ${A(address("es"))}`;
    },
    () => {
      const p = person("es", { sex: "f" });
      return T`${NE(nie())} — ese es el NIE de ${P(p)}, la nueva empleada de cocina, para darla de alta en la Seguridad Social.`;
    },
    () => {
      const p = person("es", { foreign: true, sex: "f" });
      return T`Estimada ${esTr(p)} ${P(p.last)}:\nsu tarjeta de residencia con NIE ${NE(nie())} ya está disponible para recoger.`;
    },
    () => {
      const p = person("es", { foreign: true });
      return T`hola!! soy ${P(p, true)}, me han dado el nie ${NE(nie())} pero en la web de hacienda no funciona, qué hago?`;
    },
    () => {
      const p = person("es", { foreign: true });
      return T`Solicitante: ${P(p)} (NIE ${NE(nie())}), con domicilio en ${A(address("es"))}, solicita el certificado de empadronamiento.`;
    },
    () => {
      const p = person("es", { foreign: true });
      return T`Alta de trabajador extranjero: ${P(p)}. Número de identidad de extranjero: ${NE(nie())}.`;
    },
    () => {
      const p = person("es", { foreign: true });
      return T`Buenos días, quería actualizar mis datos: mi NIE antiguo era provisional y ahora es ${NE(nie())}. Saludos, ${P(p)}`;
    },
    () => {
      const a = person("es", { foreign: false }),
        b = person("es", { foreign: true });
      return T`Comprador: ${P(a)}, DNI ${NF(dni())}. Vendedor: ${P(b)}, NIE ${NE(nie())}. Inmueble sito en ${A(address("es"))}.`;
    },
    () => {
      const a = person("es", { foreign: false }),
        b = person("es", { foreign: true });
      return T`Titulares de la cuenta: ${P(a)} (${NF(dni())}) y ${P(b)} (${NE(nie())}).`;
    },
  ],
  bank: [
    () => {
      const k = account("ES"),
        p = person("es");
      return T`Os paso mis datos bancarios para la devolución: titular ${P(p)}, IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("ES"),
        p = person("es");
      return T`Titular: ${P(p)}\nIBAN: ${IB(k.iban)}\nSWIFT/BIC: ${BI(k.bic)}\nEntidad: ${k.bank}`;
    },
    () => {
      const k = account("ES");
      return T`me haces un bizum o transferencia? ${IB(k.iban)} porfa`;
    },
    () => {
      const k = account("ES"),
        p = person("es");
      return T`Orden de domiciliación SEPA: ${P(p)}, con domicilio en ${A(address("es"))}, autoriza el cargo en la cuenta ${IB(k.iban)}.`;
    },
    () => {
      const k = account("ES", false);
      return T`${IB(k.iban)} es la cuenta correcta; la de ${k.bank} ya no la uso.`;
    },
    () => {
      const k = account(pick(["ES", "ES", "FR", "IT"])),
        p = person("es");
      return T`El alquiler (${amount("es")}) se ingresa en la cuenta de ${P(p)}: ${IB(k.iban)}, código BIC ${BI(k.bic)}.`;
    },
  ],
  plain: [
    () => {
      const p = person("es");
      return T`Cambio de domicilio de ${P(p)}.\nDirección anterior: ${A(address("es"))}\nDirección nueva: ${A(address("es"))}`;
    },
    () => T`${A(address("es"))}: esa es la dirección buena, la otra ya no vale.`,
    () => {
      const p = person("es");
      return T`Dirección de envío: ${P(p)}, ${A(address("es"))}`;
    },
    () => {
      const p = person("es");
      return T`Buenos días, ${esTr(p)} ${P(p)}: le recordamos su cita el ${dateStr("es")} a las ${time()} en el centro de salud.`;
    },
    () => T`Vivo en ${A(streetOnly("es"))} y desde ayer no tenemos agua caliente en todo el edificio.`,
    () => {
      const a = person("es"),
        b = person("es", { sex: "f" });
      return T`Reunidos, de una parte ${P(a)}, como arrendador, y de otra ${P(b)}, como arrendataria, respecto a la vivienda de ${A(address("es"))}.`;
    },
    () => {
      const a = person("es"),
        b = person("es");
      return T`¡Un abrazo desde Cádiz!\n${P(a)} y ${P(b)}`;
    },
    () => {
      const p = person("es", { sex: "f" });
      return T`Si no estoy, dejad el paquete a mi vecina ${P(p)}, en ${A(streetOnly("es"))}.`;
    },
    () => T`Por favor, enviad la factura a mi nueva dirección: ${A(address("es"))}`,
    () => {
      const a = person("es"),
        b = person("es");
      return T`Remitente: ${P(a)}, ${A(address("es"))}\nDestinatario: ${P(b)}, ${A(address("es"))}`;
    },
    () => {
      const p = person("es");
      return T`Parte de siniestro: inundación en la vivienda de ${P(p)}, ${A(address("es"))}.`;
    },
  ],
  neg: [],
};

const itPerson = (): { p: Person; cf: string } => {
  const foreign = chance(0.15);
  const p = person("it", { foreign });
  return { p, cf: codiceFiscale(p, foreign) };
};
const IT: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const { p, cf } = itPerson();
      return T`Buongiorno, sono ${P(p)} e non riesco ad accedere al fascicolo sanitario. Il mio codice fiscale è ${CF(cf)}`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`Cognome: ${P(p.last)}\nNome: ${P(p.first)}\nCodice fiscale: ${CF(cf)}\nResidenza: ${A(address("it"))}`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`${itTit(p)} ${P(p)},\nLe confermiamo la ricezione della pratica intestata al codice fiscale ${CF(cf)}.\nCordiali saluti,\nUfficio Personale`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`${CF(cf)} è il codice fiscale di ${P(p)}, da inserire nel contratto di locazione.`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`ciao, sono ${P(p, true)}, mi serve la ricetta elettronica, cf ${CF(chance(0.4) ? cf.toLowerCase() : cf)} grazie mille`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`${p.sex === "f" ? "La sottoscritta" : "Il sottoscritto"} ${P(p)}, C.F. ${CF(cf)}, residente in ${A(address("it"))}, dichiara quanto segue.`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`Ho cambiato casa: il nuovo indirizzo è ${A(address("it"))}. Il codice fiscale resta ${CF(cf)}.\nUn saluto,\n${P(p)}`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`Per la prenotazione della visita servono nome e codice fiscale del paziente: ${P(p)}, ${CF(cf)}.`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`Nuova assunzione dal primo del mese: ${P(p)} (CF ${CF(cf)}), livello ${ri(2, 6)}, sede di lavoro ${A(address("it"))}.`;
    },
    () => {
      const a = itPerson(),
        b = itPerson();
      return T`Detrazioni per familiari a carico: coniuge ${P(a.p)} (${CF(a.cf)}), ${b.p.sex === "f" ? "figlia" : "figlio"} ${P(b.p)} (${CF(b.cf)}).`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`Scusate, nel modulo c'è un errore: il mio codice fiscale non è quello stampato ma ${CF(cf)}. ${P(p)}`;
    },
    () => {
      const { p, cf } = itPerson();
      return T`Intestatario della polizza: ${P(p)} – codice fiscale ${CF(cf)}.`;
    },
  ],
  bank: [
    () => {
      const k = account("IT"),
        p = person("it");
      return T`Vi invio le coordinate per il rimborso: intestatario ${P(p)}, IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("IT"),
        p = person("it");
      return T`Intestatario: ${P(p)}\nIBAN: ${IB(k.iban)}\nBIC/SWIFT: ${BI(k.bic)}\nBanca: ${k.bank}`;
    },
    () => {
      const k = account("IT");
      return T`mi fai il bonifico per la cena? ${IB(k.iban)} grazie`;
    },
    () => {
      const k = account("IT"),
        p = person("it");
      return T`Mandato SDD: ${p.sex === "f" ? "la sottoscritta" : "il sottoscritto"} ${P(p)}, residente in ${A(address("it"))}, autorizza l'addebito sul conto ${IB(k.iban)}.`;
    },
    () => {
      const k = account("IT", false);
      return T`${IB(k.iban)} è il nuovo IBAN, il conto ${k.bank} l'ho chiuso.`;
    },
    () => {
      const k = account(pick(["IT", "IT", "DE", "FR"])),
        p = person("it");
      return T`Il canone di ${amount("it")} va versato a ${P(p)} sul conto ${IB(k.iban)} (BIC ${BI(k.bic)}) entro il giorno 5.`;
    },
  ],
  plain: [
    () => {
      const p = person("it");
      return T`Cambio di residenza di ${P(p)}.\nVecchio indirizzo: ${A(address("it"))}\nNuovo indirizzo: ${A(address("it"))}`;
    },
    () => T`${A(address("it"))} è il mio indirizzo da questo mese, quello vecchio cancellatelo pure.`,
    () => {
      const p = person("it");
      return T`Indirizzo di spedizione: ${P(p)}, ${A(address("it"))}`;
    },
    () => {
      const p = person("it");
      return T`Gentile ${P(p)}, Le ricordiamo l'appuntamento del ${dateStr("it")} alle ore ${time()} presso il poliambulatorio.`;
    },
    () => T`Abito in ${A(streetOnly("it"))} e da stamattina manca la corrente in tutto il palazzo.`,
    () => {
      const a = person("it"),
        b = person("it");
      return T`Contratto di locazione tra ${P(a)} (locatore) e ${P(b)} (conduttore) per l'immobile sito in ${A(address("it"))}.`;
    },
    () => {
      const a = person("it"),
        b = person("it");
      return T`Un abbraccio da Lampedusa!\n${P(a)} e ${P(b)}`;
    },
    () => {
      const p = person("it", { sex: "f" });
      return T`Se non ci sono, lasciate il pacco alla vicina, ${P(p)}, in ${A(streetOnly("it"))}.`;
    },
    () => T`Vi prego di inviare la fattura al nuovo indirizzo: ${A(address("it"))}`,
    () => {
      const a = person("it"),
        b = person("it");
      return T`Mittente: ${P(a)}, ${A(address("it"))}\nDestinatario: ${P(b)}, ${A(address("it"))}`;
    },
    () => {
      const p = person("it"),
        d = person("it");
      return T`Referto: ${P(p)} visitato/a in data odierna dal dott. ${P(d)}.`;
    },
    () => {
      const p = person("it");
      return T`Denuncia di sinistro: infiltrazione d'acqua nell'appartamento di ${P(p)}, ${A(address("it"))}.`;
    },
  ],
  neg: [],
};

const NL: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const p = person("nl");
      return T`Hallo, ik ben ${P(p)} en ik kom niet in mijn DigiD-omgeving. Mijn BSN is ${BS(bsn())}`;
    },
    () => {
      const p = person("nl");
      return T`Achternaam: ${P(p.last)}\nVoornamen: ${P(p.first)}\nBurgerservicenummer: ${BS(bsn())}\nAdres: ${A(address("nl"))}`;
    },
    () => {
      const p = person("nl", { foreign: false });
      return T`Geachte ${nlTit(p)} ${P(p.last)},\nuw aanvraag met burgerservicenummer ${BS(bsn())} is in behandeling genomen.\nMet vriendelijke groet,\nTeam Toeslagen`;
    },
    () => {
      const p = person("nl");
      return T`${BS(bsn())} is het BSN van ${P(p)}, graag toevoegen aan het dossier.`;
    },
    () => {
      const p = person("nl", { foreign: false });
      return T`hoi, ${P(p, true)} hier. moet ik mijn bsn ${BS(bsn())} ook op het formulier voor de zorgverzekering zetten?`;
    },
    () => {
      const p = person("nl");
      return T`Werknemer: ${P(p)}, BSN ${BS(bsn())}, woonachtig ${A(address("nl"))}, in dienst sinds ${dateStr("nl")}.`;
    },
    () => {
      const p = person("nl");
      return T`Ik ben verhuisd. Mijn nieuwe adres is ${A(address("nl"))}. Mijn burgerservicenummer blijft ${BS(bsn())}.\nGroetjes,\n${P(p)}`;
    },
    () => {
      const p = person("nl");
      return T`Voor de verwijzing naar het ziekenhuis hebben we het BSN van de patiënt nodig (${BS(bsn())}) en de naam: ${P(p)}.`;
    },
    () => {
      const a = person("nl"),
        b = person("nl");
      return T`Toeslagpartner: ${P(b)} (BSN ${BS(bsn())}); aanvrager: ${P(a)} (BSN ${BS(bsn())}).`;
    },
    () => {
      const p = person("nl");
      return T`Klopt het dat mijn BSN ${BS(bsn())} verkeerd in jullie systeem staat? Groet, ${P(p.first)}`;
    },
    () => {
      const p = person("nl");
      return T`Huurder ${P(p)} (burgerservicenummer ${BS(bsn())}) huurt de woning ${A(address("nl"))}.`;
    },
    () => {
      const p = person("nl");
      return T`Beste ${P(p.first)}, we hebben je BSN nog nodig voor de loonadministratie. Is het ${BS(bsn())}?`;
    },
  ],
  bank: [
    () => {
      const k = account("NL"),
        p = person("nl");
      return T`Kunt u het bedrag terugstorten op rekening ${IB(k.iban)} (BIC ${BI(k.bic)}) ten name van ${P(p)}?`;
    },
    () => {
      const k = account("NL"),
        p = person("nl");
      return T`Rekeninghouder: ${P(p)}\nIBAN: ${IB(k.iban)}\nBIC: ${BI(k.bic)}`;
    },
    () => {
      const k = account("NL");
      return T`wil je de ${ri(5, 60)} euro voor de pizza overmaken? ${IB(k.iban)} thx`;
    },
    () => {
      const k = account("NL"),
        p = person("nl");
      return T`Machtiging SEPA: ondergetekende ${P(p)}, ${A(address("nl"))}, machtigt u om van rekening ${IB(k.iban)} af te schrijven.`;
    },
    () => {
      const k = account("NL", false);
      return T`${IB(k.iban)} is mijn nieuwe rekeningnummer bij ${k.bank}.`;
    },
    () => {
      const k = account(pick(["NL", "NL", "DE", "GB"])),
        p = person("nl");
      return T`De huur van ${amount("nl")} graag overmaken naar ${P(p)}, ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
  ],
  plain: [
    () => {
      const p = person("nl");
      return T`Adreswijziging voor ${P(p)}.\nOud adres: ${A(address("nl"))}\nNieuw adres: ${A(address("nl"))}`;
    },
    () => T`${A(address("nl"))} is vanaf nu mijn correspondentieadres.`,
    () => {
      const p = person("nl");
      return T`Bezorgadres: ${P(p)}, ${A(address("nl"))}`;
    },
    () => {
      const p = person("nl");
      return T`Beste ${nlBeste(p)} ${P(p.last)}, hierbij bevestigen wij uw afspraak op ${dateStr("nl")} om ${time()} uur bij de fysiotherapeut.`;
    },
    () => T`Sinds ${ri(2005, 2024)} woon ik op ${A(streetOnly("nl"))} en de lift is al weken kapot.`,
    () => {
      const a = person("nl"),
        b = person("nl");
      return T`Huurovereenkomst tussen ${P(a)} (verhuurder) en ${P(b)} (huurder) voor de woonruimte ${A(address("nl"))}.`;
    },
    () => {
      const a = person("nl"),
        b = person("nl");
      return T`Groetjes uit Texel!\n${P(a)} en ${P(b)}`;
    },
    () => {
      const p = person("nl");
      return T`Als ik niet thuis ben, mag het pakket naar de buren: ${P(p)}, ${A(streetOnly("nl"))}.`;
    },
    () => T`Wilt u de factuur naar mijn nieuwe adres sturen: ${A(address("nl"))}`,
    () => {
      const a = person("nl"),
        b = person("nl");
      return T`Afzender: ${P(a)}, ${A(address("nl"))}\nOntvanger: ${P(b)}, ${A(address("nl"))}`;
    },
    () => {
      const p = person("nl"),
        d = person("nl");
      return T`Verslag: ${P(p)} is vandaag gezien door huisarts ${P(d)}.`;
    },
    () => {
      const p = person("nl");
      return T`Schademelding: lekkage bij ${P(p)}, ${A(address("nl"))}, ontdekt op ${dateStr("nl")}.`;
    },
  ],
  neg: [],
};

const EN: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const p = person("en");
      return T`Hi, I'm ${P(p)} and I started a new job last week. My National Insurance number is ${NI(nino())}`;
    },
    () => {
      const p = person("en");
      return T`Surname: ${P(p.last)}\nFirst name: ${P(p.first)}\nNI number: ${NI(nino())}\nAddress: ${A(address("en"))}`;
    },
    () => {
      const p = person("en", { foreign: false });
      return T`Dear ${enTit(p)} ${P(p.last)},\nwe have updated your payroll record with National Insurance number ${NI(nino())}.\nKind regards,\nPayroll Team`;
    },
    () => {
      const p = person("en");
      return T`${NI(nino())} is the NI number for ${P(p)}, please add it to ${p.sex === "f" ? "her" : "his"} P45.`;
    },
    () => {
      const p = person("en", { foreign: false });
      return T`hiya, ${P(p, true)} here - do i need my ni number for the pension form? it's ${NI(nino())}`;
    },
    () => {
      const p = person("en");
      return T`Employee: ${P(p)}, NINO ${NI(nino())}, home address ${A(address("en"))}, start date ${dateStr("en")}.`;
    },
    () => {
      const p = person("en");
      return T`I've moved house. My new address is ${A(address("en"))}. National Insurance number unchanged (${NI(nino())}).\nBest wishes,\n${P(p)}`;
    },
    () => {
      const p = person("en");
      return T`For the Universal Credit claim we need the claimant's name (${P(p)}) and NI number (${NI(nino())}).`;
    },
    () => {
      const a = person("en"),
        b = person("en");
      return T`Joint claim: ${P(a)}, NI ${NI(nino())}; partner ${P(b)}, NI ${NI(nino())}.`;
    },
    () => {
      const p = person("en");
      return T`Is ${NI(nino())} the right format for my national insurance no.? The HMRC site keeps rejecting it. Thanks, ${P(p.first)}`;
    },
    () => {
      const p = person("en");
      return T`Tenant reference for ${P(p)} (National Insurance ${NI(nino())}), currently living at ${A(streetOnly("en"))}.`;
    },
    () => {
      const p = person("en");
      return T`Hi ${P(p.first)}, could you confirm your National Insurance number before Friday? We have ${NI(nino())} on file.`;
    },
  ],
  bank: [
    () => {
      const k = account("GB"),
        p = person("en");
      return T`Please refund the deposit to ${P(p)}, IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("GB"),
        p = person("en");
      return T`Account name: ${P(p)}\nIBAN: ${IB(k.iban)}\nSWIFT: ${BI(k.bic)}\nBank: ${k.bank}`;
    },
    () => {
      const k = account("GB");
      return T`can you send me the money for the tickets? ${IB(k.iban)} cheers`;
    },
    () => {
      const k = account(pick(["GB", "GB", "FR", "DE"])),
        p = person("en");
      return T`International transfer details for ${P(p)}: IBAN ${IB(k.iban)}, SWIFT code ${BI(k.bic)}.`;
    },
    () => {
      const k = account("GB", false);
      return T`${IB(k.iban)} is my new account with ${k.bank}; please update your records.`;
    },
    () => {
      const k = account("GB"),
        p = person("en");
      return T`Invoice to be paid by bank transfer.\nPayee: ${P(p)}, ${A(address("en"))}\nIBAN ${IB(k.iban)}`;
    },
  ],
  plain: [
    () => {
      const p = person("en");
      return T`Change of address for ${P(p)}.\nOld address: ${A(address("en"))}\nNew address: ${A(address("en"))}`;
    },
    () => T`${A(address("en"))} is my correspondence address from now on, please update your records.`,
    () => {
      const p = person("en");
      return T`Delivery address: ${P(p)}, ${A(address("en"))}`;
    },
    () => {
      const p = person("en");
      return T`Dear ${enTit(p)} ${P(p.last)}, this is to confirm your appointment on ${dateStr("en")} at ${time()} at the surgery.`;
    },
    () => T`I've lived at ${A(streetOnly("en"))} since ${ri(2006, 2024)} and the boiler has broken down again.`,
    () => {
      const a = person("en"),
        b = person("en");
      return T`This tenancy agreement is made between ${P(a)} (the Landlord) and ${P(b)} (the Tenant) for the property at ${A(address("en"))}.`;
    },
    () => {
      const a = person("en"),
        b = person("en");
      return T`Love from Cornwall!\n${P(a)} and ${P(b)}`;
    },
    () => {
      const p = person("en");
      return T`If I'm out, please leave the parcel with my neighbour ${P(p)} at ${A(streetOnly("en"))}.`;
    },
    () => T`Please send the invoice to my new address: ${A(address("en"))}`,
    () => {
      const a = person("en"),
        b = person("en");
      return T`From: ${P(a)}, ${A(address("en"))}\nTo: ${P(b)}, ${A(address("en"))}`;
    },
    () => {
      const p = person("en"),
        d = person("en");
      return T`Discharge summary: ${P(p)} was seen today by ${P(d)}, consultant physician.`;
    },
    () => {
      const p = person("en");
      return T`Insurance claim: water leak at the home of ${P(p)}, ${A(address("en"))}, reported on ${dateStr("en")}.`;
    },
  ],
  neg: [],
};

const PL: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const p = person("pl");
      return T`Dzień dobry, nazywam się ${P(p)} i nie mogę zalogować się do IKP. Mój PESEL to ${PE(pesel(p.sex))}`;
    },
    () => {
      const p = person("pl");
      return T`Nazwisko: ${P(p.last)}\nImię: ${P(p.first)}\nPESEL: ${PE(pesel(p.sex))}\nAdres zamieszkania: ${A(address("pl"))}`;
    },
    () => {
      const p = person("pl", { foreign: false });
      return T`Szanown${p.sex === "f" ? "a Pani" : "y Panie"} ${P(p.last)},\npotwierdzamy przyjęcie wniosku dla numeru PESEL ${PE(pesel(p.sex))}.\nZ poważaniem,\nDział Kadr`;
    },
    () => {
      const p = person("pl");
      return T`${PE(pesel(p.sex))} – taki PESEL poda${p.sex === "f" ? "ła" : "ł"} ${P(p)}, proszę dopisać do umowy.`;
    },
    () => {
      const p = person("pl", { foreign: false });
      return T`hej, tu ${P(p, true)}, czy do e-recepty potrzebny jest pesel? mój to ${PE(pesel(p.sex))}`;
    },
    () => {
      const p = person("pl");
      return T`Pracownik: ${P(p)}, PESEL ${PE(pesel(p.sex))}, adres ${A(address("pl"))}, zatrudniony od ${dateStr("pl")}.`;
    },
    () => {
      const p = person("pl");
      return T`Przeprowadził${p.sex === "f" ? "am" : "em"} się. Nowy adres to ${A(address("pl"))}. PESEL bez zmian (${PE(pesel(p.sex))}).\nPozdrawiam,\n${P(p)}`;
    },
    () => {
      const p = person("pl");
      return T`Do skierowania potrzebujemy imienia i nazwiska pacjenta (${P(p)}) oraz numeru PESEL: ${PE(pesel(p.sex))}.`;
    },
    () => {
      const a = person("pl", { sex: "f" }),
        b = person("pl");
      return T`Wniosek o 800+: matka ${P(a)}, PESEL ${PE(pesel("f"))}; dziecko ${P(b)}, PESEL ${PE(pesel(b.sex))}.`;
    },
    () => {
      const p = person("pl");
      return T`Czy PESEL ${PE(pesel(p.sex))} jest poprawnie wpisany w systemie? Pozdrawiam, ${P(p.first)}`;
    },
    () => {
      const p = person("pl");
      return T`Najemca ${P(p)} (PESEL ${PE(pesel(p.sex))}) wynajmuje lokal pod adresem ${A(streetOnly("pl"))}.`;
    },
    () => {
      const p = person("pl");
      return T`Ubezpieczony: ${P(p)}\nNumer PESEL: ${PE(pesel(p.sex))}`;
    },
  ],
  bank: [
    () => {
      const k = account("PL"),
        p = person("pl");
      return T`Proszę o zwrot na rachunek ${IB(k.iban)} (BIC ${BI(k.bic)}), właściciel: ${P(p)}.`;
    },
    () => {
      const k = account("PL"),
        p = person("pl");
      return T`Odbiorca: ${P(p)}\nIBAN: ${IB(k.iban)}\nSWIFT: ${BI(k.bic)}\nBank: ${k.bank}`;
    },
    () => {
      const k = account("PL");
      return T`oddasz mi za bilety? ${IB(k.iban)} dzięki`;
    },
    () => {
      const k = account("PL"),
        p = person("pl");
      return T`Polecenie zapłaty: ja, ${P(p)}, ${A(address("pl"))}, upoważniam do obciążania rachunku ${IB(k.iban)}.`;
    },
    () => {
      const k = account("PL", false);
      return T`${IB(k.iban)} to mój nowy rachunek w ${k.bank}.`;
    },
    () => {
      const k = account(pick(["PL", "PL", "DE", "SE"])),
        p = person("pl");
      return T`Czynsz w wysokości ${amount("pl")} proszę przelewać na konto ${IB(k.iban)}, kod SWIFT ${BI(k.bic)}, odbiorca: ${P(p)}.`;
    },
  ],
  plain: [
    () => {
      const p = person("pl");
      return T`${cap(plTit(p))} ${P(p)} odebra${p.sex === "f" ? "ła" : "ł"} dziś klucze do mieszkania pod adresem ${A(address("pl"))}.`;
    },
    () => {
      const p = person("pl");
      return T`Zmiana adresu: ${P(p)}.\nPoprzedni adres: ${A(address("pl"))}\nNowy adres: ${A(address("pl"))}`;
    },
    () => T`${A(address("pl"))} to mój adres do korespondencji od tego miesiąca.`,
    () => {
      const p = person("pl");
      return T`Adres dostawy: ${P(p)}, ${A(address("pl"))}`;
    },
    () => {
      const p = person("pl");
      return T`Potwierdzenie wizyty\nPacjent: ${P(p)}\nTermin: ${dateStr("pl")}, godz. ${time()}\nPoradnia: ${pick(["kardiologiczna", "okulistyczna", "ortopedyczna"])}`;
    },
    () => T`Mieszkam pod adresem ${A(streetOnly("pl"))} od ${ri(2005, 2024)} roku i od wczoraj nie ma ciepłej wody.`,
    () => {
      const a = person("pl"),
        b = person("pl");
      return T`Umowa najmu zawarta pomiędzy: ${P(a)} (Wynajmujący) a ${P(b)} (Najemca), dotyczy lokalu ${A(address("pl"))}.`;
    },
    () => {
      const a = person("pl"),
        b = person("pl");
      return T`Pozdrowienia z Zakopanego!\n${P(a)} i ${P(b)}`;
    },
    () => {
      const p = person("pl");
      return T`Jeśli mnie nie będzie, proszę zostawić paczkę u sąsiadki: ${P(p)}, ${A(streetOnly("pl"))}.`;
    },
    () => T`Proszę wysłać fakturę na nowy adres: ${A(address("pl"))}`,
    () => {
      const a = person("pl"),
        b = person("pl");
      return T`Nadawca: ${P(a)}, ${A(address("pl"))}\nOdbiorca: ${P(b)}, ${A(address("pl"))}`;
    },
    () => {
      const p = person("pl");
      return T`Zgłoszenie szkody – poszkodowan${p.sex === "f" ? "a" : "y"}: ${P(p)}, adres: ${A(address("pl"))}, zalanie mieszkania.`;
    },
    () => {
      const p = person("pl"),
        d = person("pl");
      return T`Karta informacyjna: pacjent ${P(p)}, lekarz prowadzący ${P(d)}.`;
    },
  ],
  neg: [],
};

const SV: LangSpec = {
  quota: { id: 62, bank: 22, plain: 30, neg: 94 },
  id: [
    () => {
      const p = person("sv");
      return T`Hej, jag heter ${P(p)} och kommer inte in på Mina sidor. Mitt personnummer är ${PN(personnummer(p.sex))}`;
    },
    () => {
      const p = person("sv");
      return T`Efternamn: ${P(p.last)}\nFörnamn: ${P(p.first)}\nPersonnummer: ${PN(personnummer(p.sex))}\nAdress: ${A(address("sv"))}`;
    },
    () => {
      const p = person("sv", { foreign: false });
      return T`Hej ${P(p)},\nvi har tagit emot din ansökan med personnummer ${PN(personnummer(p.sex))}.\nMed vänliga hälsningar\nLönekontoret`;
    },
    () => {
      const p = person("sv");
      return T`${PN(personnummer(p.sex))} är personnumret till ${P(p)}, lägg gärna in det i journalen.`;
    },
    () => {
      const p = person("sv", { foreign: false });
      return T`tja, ${P(p, true)} här. behöver ni mitt personnummer för bokningen? ${PN(personnummer(p.sex))}`;
    },
    () => {
      const p = person("sv");
      return T`Anställd: ${P(p)}, personnr ${PN(personnummer(p.sex))}, bostadsadress ${A(address("sv"))}.`;
    },
    () => {
      const p = person("sv");
      return T`Jag har flyttat. Ny adress är ${A(address("sv"))}. Personnumret är förstås detsamma (${PN(personnummer(p.sex))}).\nHälsningar\n${P(p)}`;
    },
    () => {
      const p = person("sv");
      return T`För remissen behöver vi patientens namn (${P(p)}) och personnummer: ${PN(personnummer(p.sex))}.`;
    },
    () => {
      const a = person("sv"),
        b = person("sv");
      return T`Sökande: ${P(a)}, ${PN(personnummer(a.sex))}. Medsökande: ${P(b)}, ${PN(personnummer(b.sex))}.`;
    },
    () => {
      const p = person("sv");
      return T`Stämmer det att ni har ${PN(personnummer(p.sex))} som mitt personnummer? Det är fel. /${P(p.first)}`;
    },
    () => {
      const p = person("sv");
      return T`Hyresgäst ${P(p)} (personnummer ${PN(personnummer(p.sex))}) hyr lägenheten på ${A(streetOnly("sv"))}.`;
    },
    () => {
      const p = person("sv");
      return T`Försäkringstagare: ${P(p)}\nPersonnummer: ${PN(personnummer(p.sex))}`;
    },
  ],
  bank: [
    () => {
      const k = account("SE"),
        p = person("sv");
      return T`Vänligen betala tillbaka till ${P(p)}, IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("SE"),
        p = person("sv");
      return T`Kontohavare: ${P(p)}\nIBAN: ${IB(k.iban)}\nBIC: ${BI(k.bic)}\nBank: ${k.bank}`;
    },
    () => {
      const k = account("SE");
      return T`kan du föra över pengarna för hyrbilen? ${IB(k.iban)} tack`;
    },
    () => {
      const k = account(pick(["SE", "SE", "DE", "NL"])),
        p = person("sv");
      return T`Utlandsbetalning till ${P(p)}: IBAN ${IB(k.iban)}, BIC ${BI(k.bic)}.`;
    },
    () => {
      const k = account("SE", false);
      return T`${IB(k.iban)} är mitt nya konto hos ${k.bank}.`;
    },
    () => {
      const k = account("SE"),
        p = person("sv");
      return T`Faktura betalas till ${P(p)}, ${A(address("sv"))}\nIBAN ${IB(k.iban)}`;
    },
  ],
  plain: [
    () => {
      const p = person("sv");
      return T`Adressändring för ${P(p)}.\nGammal adress: ${A(address("sv"))}\nNy adress: ${A(address("sv"))}`;
    },
    () => T`${A(address("sv"))} är min nya postadress från och med nästa månad.`,
    () => {
      const p = person("sv");
      return T`Leveransadress: ${P(p)}, ${A(address("sv"))}`;
    },
    () => {
      const p = person("sv");
      return T`Hej ${P(p)}! Vi bekräftar din tid ${dateStr("sv")} kl. ${time()} på vårdcentralen.`;
    },
    () => T`Jag har bott på ${A(streetOnly("sv"))} sedan ${ri(2004, 2024)} och nu läcker det från taket.`,
    () => {
      const a = person("sv"),
        b = person("sv");
      return T`Hyresavtal mellan ${P(a)} (hyresvärd) och ${P(b)} (hyresgäst) avseende lägenheten ${A(address("sv"))}.`;
    },
    () => {
      const a = person("sv"),
        b = person("sv");
      return T`Hälsningar från Gotland!\n${P(a)} och ${P(b)}`;
    },
    () => {
      const p = person("sv");
      return T`Om jag inte är hemma kan paketet lämnas hos grannen ${P(p)}, ${A(streetOnly("sv"))}.`;
    },
    () => T`Skicka gärna fakturan till min nya adress: ${A(address("sv"))}`,
    () => {
      const a = person("sv"),
        b = person("sv");
      return T`Avsändare: ${P(a)}, ${A(address("sv"))}\nMottagare: ${P(b)}, ${A(address("sv"))}`;
    },
    () => {
      const p = person("sv");
      return T`Skadeanmälan: vattenläcka hos ${P(p)}, ${A(address("sv"))}, upptäckt ${dateStr("sv")}.`;
    },
    () => {
      const p = person("sv"),
        d = person("sv");
      return T`Epikris: ${P(p)} undersöktes idag av ${P(d)}, överläkare.`;
    },
  ],
  neg: [],
};

// ---------------------------------------------------------------- hard negatives
// Numbers that look like an identifier; those marked "fail" are re-drawn until they fail the rule.
function failing(gen: () => string, valid: (s: string) => boolean): string {
  for (;;) {
    const s = gen();
    if (!valid(s)) return s;
  }
}
const vDeTax = (s: string) => {
  if (!/^[1-9]\d{10}$/.test(s)) return false;
  let product = 10;
  for (const ch of s.slice(0, 10)) {
    let sum = (Number(ch) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10 === Number(s[10]);
};
const vBsn = (s: string) => {
  if (!/^\d{9}$/.test(s)) return false;
  let t = 0;
  for (let i = 0; i < 8; i++) t += (9 - i) * Number(s[i]);
  return (t - Number(s[8])) % 11 === 0;
};
const vPesel = (s: string) => {
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let t = 0;
  for (let i = 0; i < 10; i++) t += at(w, i) * Number(s[i]);
  return (10 - (t % 10)) % 10 === Number(s[10]);
};
const vLuhn10 = (s: string) => luhnCheck(s.slice(0, 9)) === Number(s[9]);
const vNir = (s: string) => 97 - Number(BigInt(s.slice(0, 13)) % 97n) === Number(s.slice(13));
const vDni = (s: string) => DNI_LETTERS[Number(s.slice(0, 8)) % 23] === s[8];
const vNie = (s: string) => DNI_LETTERS[Number(BigInt("XYZ".indexOf(at(s, 0)) + s.slice(1, 8)) % 23n)] === s[8];

// Values that pass an identifier's check digits, used as order/article numbers in negatives.
const luckyNir = () => nir().replace(/ /g, "");
const luckyDni = () => {
  const n = ri(10000000, 99999999);
  return `${n}${DNI_LETTERS[n % 23]}`;
};
const luckyPn10 = () => personnummer().replace(/[-+]/g, "").slice(-10);
const luckyCf = () => {
  const b =
    upLetters(6, "BCDFGLMNPRSTVZ") +
    dig(2) +
    pick([..."ABCDEHLMPRST"]) +
    pad(ri(1, 28), 2) +
    pick(["A", "B", "C", "F", "L"]) +
    dig(3);
  return b + cfCheckChar(b);
};

const BICWORDS = {
  de: ["GESPERRT", "ANGEBOTE", "UMTAUSCH", "ABHOLUNG", "VERTRAULICH", "RECHNUNG", "ERLEDIGT", "FEIERTAG"],
  fr: ["ANNONCES", "URGENCES", "BLOQUANT", "PRIORITE", "GRATUITE", "INSCRIPTION"],
  es: ["GRATUITO", "RECIBIDO", "CERRADOS", "ATENCION", "INFORMACION", "REBAJADO"],
  it: ["RIMBORSO", "SCADENZA", "APERTURA", "RICEVUTA", "CHIUSURA", "ABBONAMENTO"],
  nl: ["AFGEROND", "GESLOTEN", "VERLENGD", "GEANNULEERD", "INSCHRIJVEN", "BEZORGEN"],
  en: ["BREAKING", "FEEDBACK", "REQUIRED", "DEADLINE", "WORKSHOP", "UNSUBSCRIBE", "APPOINTMENT"],
  pl: ["PROMOCJA", "PRZELEWY", "ODBIORCA", "ROZLICZENIE", "ZALICZKA", "KOMUNIKAT"],
  sv: ["LEVERANS", "SEMESTER", "INBJUDAN", "FAKTUROR", "KONTAKTA", "INFORMATION"],
} satisfies Record<string, string[]>;
const ibanFrag = (cc: string) => `${cc}${pad(ri(2, 98), 2)} ${dig(4)}`;
const isbn13 = () => {
  const b = `978${pick(["3", "2", "84", "88", "90", "1", "83", "91"])}`;
  const body = b + dig(12 - b.length);
  let s = 0;
  for (let i = 0; i < 12; i++) s += Number(body[i]) * (i % 2 ? 3 : 1);
  const c = (10 - (s % 10)) % 10;
  const d = body + c;
  return `${d.slice(0, 3)}-${d.slice(3, 4)}-${d.slice(4, 8)}-${d.slice(8, 12)}-${d[12]}`;
};
const flight = () =>
  `${pick(["LH", "AF", "IB", "AZ", "KL", "BA", "LO", "SK", "FR", "U2", "VY", "EW"])} ${ri(100, 9899)}`;
const version = () => `${ri(1, 14)}.${ri(0, 20)}.${ri(0, 30)}`;
const pct = (lang: string) => (lang === "en" ? `${ri(1, 40)}.${ri(0, 9)}%` : `${ri(1, 40)},${ri(0, 9)} %`);
const ninoShapedBad = () =>
  `${pick(["DF", "QA", "GB", "NK", "TN", "VU", "FI"])}${dig(6)}${pick(["E", "F", "G", "K", "X"])}`;
const cfShapedProduct = () => `${upLetters(4)}${dig(2)}${upLetters(1)}${dig(3)}${upLetters(2)}${dig(2)}${upLetters(2)}`;

DE.neg = [
  () => T`Bestellnummer ${deTaxIdDigits()} – die Ware ist im Lager Nord eingetroffen und kann abgeholt werden.`,
  () =>
    T`Ihre Bestellung ${dig1(11)} wurde am ${dateStr("de")} versandt und kommt voraussichtlich in ${ri(2, 5)} Werktagen an.`,
  () =>
    T`Rechnungsnummer ${pick(["RE", "R"])}-${ri(2024, 2026)}-${dig(5)}, Betrag ${amount("de")}, fällig am ${dateStr("de")}.`,
  () => T`Sendungsnummer ${dig1(12)}: Die Zustellung erfolgt heute zwischen ${timeRange(" und ")} Uhr.`,
  () => T`Zählernummer ${dig1(9)}, Zählerstand am ${dateStr("de")}: ${ri(10000, 99999)} kWh.`,
  () =>
    T`Aktenzeichen ${failing(() => dig1(11), vDeTax)} – bitte bei Rückfragen immer angeben, das Verfahren ruht derzeit.`,
  () =>
    T`Beispielwert im Formular: Steuer-ID ${failing(() => dig1(11), vDeTax)} (dies ist keine echte Nummer, bitte durch Ihre eigene ersetzen).`,
  () =>
    T`Der ${pick(["Artikel", "Ersatzfilter", "Akku"])} mit der Artikelnummer ${dig1(8)}-${dig(3)} ist wieder lieferbar, Preis ${amount("de")}.`,
  () => T`${pick(BICWORDS.de)}: Die Filiale bleibt am ${dateStr("de")} wegen Inventur geschlossen.`,
  () =>
    T`Bitte beachten Sie den Hinweis ${pick(BICWORDS.de)} auf dem Umschlag, der Inhalt ist nur für die Personalabteilung.`,
  () => T`Die IBAN beginnt mit ${ibanFrag("DE")}, den Rest trage ich morgen nach.`,
  () => T`Flug ${flight()} nach Palma startet um ${time()} Uhr, Gate ${pick(["A", "B", "C"])}${ri(1, 40)}.`,
  () => T`Mit dem ICE ${ri(500, 1999)} ab ${time()} Uhr sind wir gegen Mittag in Hamburg.`,
  () => T`Das Update auf Version ${version()} behebt den Fehler beim Export, Buildnummer ${dig1(11)}.`,
  () => T`ISBN ${isbn13()}, ${ri(180, 720)} Seiten, gebunden, ${amount("de")}.`,
  () => T`Die Müller Logistik GmbH liefert ab ${dateStr("de")} auch samstags aus.`,
  () =>
    T`${pick(["Schreiber & Söhne", "Bäckerei Kühn", "Autohaus Winkler", "Fuchs Sanitär GmbH", "Brandt Zwieback"])} sucht ab sofort eine Aushilfe im Verkauf, ${ri(10, 25)} Stunden pro Woche.`,
  () => T`Das Rathaus am Marktplatz ist ${pick(["montags", "dienstags", "freitags"])} von 8 bis 12 Uhr geöffnet.`,
  () =>
    T`Der Weihnachtsmarkt auf der ${pick(["Schillerstraße", "Königstraße", "Kaiserstraße", "Bahnhofstraße"])} öffnet dieses Jahr schon am ${ri(20, 27)}. November.`,
  () => T`Zum Vergleich: Die Postleitzahl ${pick(["10115", "80331", "50667", "20095"])} gehört zur Innenstadt.`,
  () =>
    T`Sachbearbeiterin gesucht: Vollzeit, unbefristet, Gehalt nach TVöD E${ri(5, 9)}, Bewerbungsschluss ${dateStr("de")}.`,
  () =>
    T`Kundennummer ${dig1(9)}, Vertragsnummer ${dig1(11)}: Ihr Tarif ändert sich zum ${dateStr("de")} um ${pct("de")}.`,
  () => T`Ticket #${dig1(6)}: Drucker im ${ri(1, 5)}. OG druckt nur leere Seiten.`,
  () => T`Die Seriennummer ${upLetters(2)}${dig(9)} steht auf der Rückseite des Geräts unter dem Barcode.`,
  () => T`Versicherungsschein Nr. ${dig1(3)}/${dig(7)}-${dig(2)}, Selbstbeteiligung ${amount("de")}.`,
  () => T`Am Hauptbahnhof fällt der Aufzug zu Gleis ${ri(1, 14)} bis ${dateStr("de")} aus.`,
  () => T`Gewinnspiel-Code ${upLetters(1, "XYZ")}${dig(7)}${upLetters(1)} auf der Verpackung eingeben und gewinnen.`,
  () => T`Die Besprechung wurde auf ${time()} Uhr verschoben, Raum ${ri(100, 450)}, Einwahl-PIN ${dig(6)}.`,
];

FR.neg = [
  () => T`Commande ${luckyNir()} : les ${ri(2, 12)} cartons seront livrés au quai de chargement.`,
  () =>
    T`Votre commande n° ${dig1(11)} a été expédiée le ${dateStr("fr")}, livraison prévue sous ${ri(2, 6)} jours ouvrés.`,
  () => T`Facture FA-${ri(2024, 2026)}-${dig(5)} d'un montant de ${amount("fr")}, à régler avant le ${dateStr("fr")}.`,
  () => T`Numéro de suivi ${upLetters(2)}${dig(9)}FR : votre colis est disponible en point relais.`,
  () => T`Relevé du compteur n° ${dig1(14)} : ${ri(1000, 60000)} kWh au ${dateStr("fr")}.`,
  () =>
    T`Référence dossier ${failing(() => pick(["1", "2"]) + dig(14), vNir)} : votre demande est en cours d'instruction.`,
  () => T`Exemple de numéro à ne pas utiliser : ${failing(() => pick(["1", "2"]) + dig(14), vNir)}.`,
  () => T`La pièce détachée réf. ${dig1(8)}-${upLetters(2)} est compatible avec les modèles ${ri(2018, 2024)}.`,
  () => T`${pick(BICWORDS.fr)} : l'agence sera fermée le ${dateStr("fr")} pour travaux.`,
  () => T`Mention ${pick(BICWORDS.fr)} sur l'enveloppe, merci de ne pas l'ouvrir à l'accueil.`,
  () => T`L'IBAN commence par ${ibanFrag("FR")}, je vous envoie la suite demain.`,
  () =>
    T`Le vol ${flight()} pour Lisbonne décolle à ${time().replace(":", " h ")}, porte ${pick(["K", "L", "M"])}${ri(20, 60)}.`,
  () => T`Le TGV ${ri(6000, 9999)} au départ de la gare de Lyon arrivera avec ${ri(10, 90)} minutes de retard.`,
  () => T`La mise à jour ${version()} corrige le bug d'affichage, numéro de build ${dig1(9)}.`,
  () => T`ISBN ${isbn13()}, broché, ${ri(120, 640)} pages, ${amount("fr")}.`,
  () => T`La Boulangerie Martin SARL recrute un apprenti pour la rentrée de septembre.`,
  () =>
    T`${pick(["Garage Lefèvre & Fils", "Transports Girard", "Pharmacie Morel", "Menuiserie Roux"])} sera fermé(e) du ${ri(1, 15)} au ${ri(16, 28)} août.`,
  () => T`La mairie, place de l'Hôtel-de-Ville, est ouverte le samedi matin de 9 h à 12 h.`,
  () =>
    T`Le marché de Noël de l'avenue ${pick(["Foch", "Jean-Jaurès", "de la République"])} ouvre le ${ri(20, 30)} novembre.`,
  () => T`Le code postal ${pick(["75011", "69003", "13008", "33000"])} correspond au centre-ville.`,
  () => T`Poste à pourvoir : chargé(e) de clientèle, CDI, salaire selon profil, prise de poste le ${dateStr("fr")}.`,
  () =>
    T`Numéro client ${dig1(9)}, contrat ${dig1(12)} : vos mensualités augmentent de ${pct("fr")} au ${dateStr("fr")}.`,
  () => T`Ticket n° ${dig1(6)} : l'imprimante du ${ri(1, 5)}e étage est en panne.`,
  () => T`Le numéro de série ${upLetters(3)}${dig(8)} figure sous l'appareil.`,
  () => T`Police d'assurance n° ${dig1(10)}, franchise de ${amount("fr")}.`,
  () => T`Réunion déplacée à ${time().replace(":", " h ")}, salle ${ri(100, 400)}, code d'accès ${dig(6)}.`,
  () => T`Numéro de SIRET de la boutique : ${dig1(14)} (établissement secondaire).`,
];

ES.neg = [
  () => T`Localizador de la reserva: ${luckyDni()}, hotel con media pensión, ${ri(2, 9)} noches.`,
  () => T`Tu pedido ${dig1(10)} salió del almacén el ${dateStr("es")} y llegará en ${ri(2, 5)} días laborables.`,
  () => T`Factura F${ri(2024, 2026)}/${dig(5)} por importe de ${amount("es")}, vencimiento ${dateStr("es")}.`,
  () => T`Número de seguimiento ${upLetters(2)}${dig(9)}ES: el envío está en reparto.`,
  () => T`Contador n.º ${dig1(8)}${upLetters(1)}: lectura de ${ri(1000, 60000)} kWh a ${dateStr("es")}.`,
  () =>
    T`Referencia del expediente: ${failing(() => dig(8) + pick([...DNI_LETTERS]), vDni)}. No es necesario aportar más documentación.`,
  () =>
    T`El modelo de lavadora ${failing(() => pick(["X", "Y", "Z"]) + dig(7) + pick([...DNI_LETTERS]), vNie)} tiene una avería conocida en la bomba.`,
  () =>
    T`Pieza de recambio ${pick(["X", "Y", "Z"])}${dig(7)}${upLetters(1)}, compatible con las series ${ri(2015, 2023)} y posteriores.`,
  () => T`${pick(BICWORDS.es)}: la oficina permanecerá cerrada el ${dateStr("es")} por inventario.`,
  () => T`Escribe ${pick(BICWORDS.es)} en el asunto para que lo tramiten antes.`,
  () => T`El IBAN empieza por ${ibanFrag("ES")}, el resto te lo paso luego.`,
  () => T`El vuelo ${flight()} a Tenerife sale a las ${time()}, puerta ${pick(["B", "C", "D"])}${ri(1, 70)}.`,
  () => T`El AVE ${ri(2000, 9999)} con destino Sevilla sale con ${ri(5, 40)} minutos de retraso.`,
  () => T`La versión ${version()} corrige el error al exportar, compilación ${dig1(10)}.`,
  () => T`ISBN ${isbn13()}, tapa blanda, ${ri(120, 700)} páginas, ${amount("es")}.`,
  () => T`Transportes García Hermanos S.L. amplía su flota con ${ri(3, 20)} camiones eléctricos.`,
  () =>
    T`${pick(["Ferretería Navarro", "Panadería Delgado", "Talleres Ortega", "Farmacia Iglesias"])} abre también los domingos por la mañana.`,
  () => T`La Plaza Mayor acogerá el concierto de fin de año a partir de las ${time()}.`,
  () => T`La cabalgata recorrerá la ${pick(["Gran Vía", "Calle Larios", "Avenida de la Constitución"])} el 5 de enero.`,
  () => T`El código postal ${pick(["28005", "08013", "41004", "46002"])} corresponde al casco antiguo.`,
  () => T`Oferta de empleo: administrativo/a contable, jornada completa, incorporación el ${dateStr("es")}.`,
  () => T`Nº de cliente ${dig1(9)}, póliza ${dig1(11)}: la prima sube un ${pct("es")} a partir del ${dateStr("es")}.`,
  () => T`Incidencia #${dig1(6)}: la impresora de la ${ri(1, 5)}.ª planta no imprime.`,
  () => T`El número de serie ${upLetters(2)}${dig(10)} está en la etiqueta trasera.`,
  () => T`CIF de la empresa: ${pick(["A", "B"])}${dig(8)}, inscrita en el Registro Mercantil.`,
  () => T`Reunión a las ${time()} en la sala ${ri(1, 30)}, PIN de acceso ${dig(6)}.`,
  () =>
    T`Código de reserva ${upLetters(6)}, localizador ${dig1(8)}${upLetters(1)}, asiento ${ri(1, 30)}${pick(["A", "C", "F"])}.`,
];

IT.neg = [
  () => T`Il codice articolo ${luckyCf()} identifica il modello in pelle nera, taglia ${ri(36, 46)}.`,
  () =>
    T`Il tuo ordine n. ${dig1(11)} è stato spedito il ${dateStr("it")} e arriverà in ${ri(2, 5)} giorni lavorativi.`,
  () => T`Fattura n. ${ri(1, 999)}/${ri(2024, 2026)} di ${amount("it")}, scadenza ${dateStr("it")}.`,
  () => T`Codice di tracciamento ${upLetters(2)}${dig(9)}IT: il pacco è in consegna.`,
  () => T`Contatore matricola ${dig1(10)}: lettura di ${ri(100, 9000)} mc al ${dateStr("it")}.`,
  () => T`Il codice articolo ${cfShapedProduct()} indica la taglia e il colore del capo.`,
  () => T`Partita IVA del negozio: ${dig1(11)}, sede legale in centro.`,
  () => T`Ricambio cod. ${upLetters(3)}-${dig(5)}-${upLetters(2)}, disponibile in magazzino.`,
  () => T`${pick(BICWORDS.it)}: lo sportello resterà chiuso il ${dateStr("it")} per inventario.`,
  () => T`Scrivete ${pick(BICWORDS.it)} nell'oggetto della mail, così la pratica va più veloce.`,
  () => T`L'IBAN inizia con ${ibanFrag("IT")}, il resto te lo mando dopo.`,
  () => T`Il volo ${flight()} per Catania parte alle ${time()}, uscita ${pick(["A", "B", "C"])}${ri(1, 40)}.`,
  () => T`Il Frecciarossa ${ri(9500, 9999)} per Roma Termini viaggia con ${ri(5, 60)} minuti di ritardo.`,
  () => T`La versione ${version()} risolve il problema di stampa, build ${dig1(9)}.`,
  () => T`ISBN ${isbn13()}, brossura, ${ri(100, 600)} pagine, ${amount("it")}.`,
  () => T`Ferramenta Rossi S.r.l. cerca un magazziniere part-time.`,
  () =>
    T`${pick(["Pasticceria Esposito", "Autofficina Colombo", "Tipografia Bianchi", "Farmacia Greco"])} resta aperta anche ad agosto.`,
  () => T`La Stazione Centrale è raggiungibile con la metro in ${ri(5, 20)} minuti.`,
  () =>
    T`Il mercatino di Natale in ${pick(["Via Roma", "Corso Vittorio Emanuele II", "Piazza del Duomo"])} apre il ${ri(20, 30)} novembre.`,
  () => T`Il CAP ${pick(["20121", "00184", "80121", "40125"])} corrisponde al centro storico.`,
  () => T`Cercasi impiegato/a amministrativo/a, contratto a tempo indeterminato, inizio ${dateStr("it")}.`,
  () => T`Codice cliente ${dig1(9)}, contratto ${dig1(12)}: la tariffa aumenta del ${pct("it")} dal ${dateStr("it")}.`,
  () => T`Ticket n. ${dig1(6)}: la stampante al ${ri(1, 5)}° piano non funziona.`,
  () => T`Il numero di serie ${upLetters(2)}${dig(10)} è sull'etichetta posteriore.`,
  () => T`Polizza n. ${dig1(9)}, franchigia ${amount("it")}.`,
  () => T`Protocollo n. ${dig1(5)}/${ri(2024, 2026)} del ${dateStr("it")}: pratica archiviata.`,
  () => T`Riunione alle ${time()} in sala ${ri(1, 20)}, PIN ${dig(6)}.`,
];

NL.neg = [
  () => T`Retournummer ${bsnDigits()}: het apparaat is ontvangen en wordt getest.`,
  () => T`Je bestelling ${dig1(9)} is op ${dateStr("nl")} verzonden en wordt binnen ${ri(1, 3)} werkdagen bezorgd.`,
  () => T`Factuurnummer ${ri(2024, 2026)}-${dig(5)}, bedrag ${amount("nl")}, te betalen voor ${dateStr("nl")}.`,
  () => T`Track & trace: 3S${upLetters(4)}${dig(9)}, bezorging vandaag tussen ${timeRange(" en ")}.`,
  () => T`Meternummer ${dig1(9)}, meterstand op ${dateStr("nl")}: ${ri(1000, 90000)} kWh.`,
  () => T`Zaaknummer ${failing(() => dig1(9), vBsn)}: uw bezwaar wordt binnen zes weken behandeld.`,
  () => T`Voorbeeld op het formulier: ${failing(() => dig1(9), vBsn)} (vul hier uw eigen nummer in).`,
  () => T`KvK-nummer ${dig1(8)}, vestigingsnummer ${dig(12)}.`,
  () => T`${pick(BICWORDS.nl)}: de balie is op ${dateStr("nl")} gesloten wegens verbouwing.`,
  () => T`Zet ${pick(BICWORDS.nl)} in de onderwerpregel, dan gaat het sneller.`,
  () => T`Het IBAN begint met ${ibanFrag("NL")}, de rest stuur ik later.`,
  () => T`Vlucht ${flight()} naar Malaga vertrekt om ${time()}, gate ${pick(["D", "E", "F"])}${ri(1, 90)}.`,
  () => T`De intercity van ${time()} naar Zwolle rijdt vandaag niet, neem de sprinter van spoor ${ri(1, 14)}b.`,
  () => T`Versie ${version()} lost het probleem met inloggen op, buildnummer ${dig1(9)}.`,
  () => T`ISBN ${isbn13()}, paperback, ${ri(100, 500)} pagina's, ${amount("nl")}.`,
  () => T`Bakkerij De Vries B.V. zoekt een zaterdaghulp.`,
  () =>
    T`${pick(["Installatiebedrijf Bakker", "Slagerij Visser", "Garage Mulder", "Fietsenmaker de Boer"])} is in de bouwvak gesloten.`,
  () => T`Het stadhuis aan de Grote Markt is op zaterdag open van 10 tot 14 uur.`,
  () => T`De intocht van Sinterklaas gaat dit jaar over de ${pick(["Kerkstraat", "Breestraat", "Oudegracht"])}.`,
  () => T`Postcode ${pick(["1017", "3011", "3511", "2514"])} hoort bij het centrum.`,
  () => T`Vacature: medewerker klantenservice, 32 uur, start ${dateStr("nl")}.`,
  () => T`Klantnummer ${dig1(9)}, contractnummer ${dig1(10)}: uw termijnbedrag stijgt met ${pct("nl")}.`,
  () => T`Melding ${dig1(6)}: de printer op de ${ri(1, 5)}e verdieping werkt niet.`,
  () => T`Het serienummer ${upLetters(2)}${dig(9)} staat op de achterkant.`,
  () => T`Polisnummer ${dig1(9)}, eigen risico ${amount("nl")}.`,
  () => T`Overleg verplaatst naar ${time()}, zaal ${ri(1, 12)}, pincode ${dig(5)}.`,
  () => T`Ordernummer ${dig1(9)} en pakketnummer ${dig1(9)} horen bij dezelfde zending.`,
];

EN.neg = [
  () => T`Your order ${dig1(9)} was dispatched on ${dateStr("en")} and should arrive within ${ri(2, 5)} working days.`,
  () => T`Invoice INV-${dig(6)} for ${amount("en")} is due on ${dateStr("en")}.`,
  () => T`Tracking number ${upLetters(2)}${dig(9)}GB: your parcel is out for delivery.`,
  () => T`Meter serial ${dig1(2)}${upLetters(1)}${dig(7)}, reading ${ri(1000, 90000)} kWh on ${dateStr("en")}.`,
  () => T`Part number ${ninoShapedBad()} replaces the old bracket on the 2019 model.`,
  () => T`Reference ${ninoShapedBad()} appears on every page of the warranty booklet.`,
  () => T`Company number ${dig1(8)}, registered in England and Wales.`,
  () => T`${pick(BICWORDS.en)}: the branch will close at 3pm on ${dateStr("en")}.`,
  () => T`Please write ${pick(BICWORDS.en)} in the subject line so it reaches the right team.`,
  () =>
    T`The IBAN starts ${pick(["GB", "GB", "IE"])}${pad(ri(2, 98), 2)} ${pick(["NWBK", "BARC", "LOYD"])}, I'll send the rest later.`,
  () => T`Flight ${flight()} to Faro departs at ${time()} from gate ${ri(1, 60)}.`,
  () => T`The ${time()} service to Leeds is cancelled; take the next train from platform ${ri(1, 14)}.`,
  () => T`Version ${version()} fixes the login bug, build ${dig1(9)}.`,
  () => T`ISBN ${isbn13()}, hardback, ${ri(100, 600)} pages, ${amount("en")}.`,
  () => T`Smith & Sons Ltd have opened a second showroom near the ring road.`,
  () =>
    T`${pick(["Fletcher's Bakery", "Thornton Plumbing", "Whitaker Motors", "Ashworth & Co"])} are hiring a part-time apprentice.`,
  () => T`The Town Hall on Market Square is open on Saturday mornings.`,
  () =>
    T`The Christmas lights on ${pick(["Oxford Street", "Regent Street", "Bold Street", "Princes Street"])} will be switched on next Thursday.`,
  () => T`Postcode ${pick(["SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH"])} covers only a few buildings.`,
  () => T`Vacancy: customer service adviser, 37.5 hours, start date ${dateStr("en")}.`,
  () => T`Customer number ${dig1(9)}, policy ${upLetters(3)}${dig(7)}: your premium goes up by ${pct("en")}.`,
  () => T`Ticket #${dig1(6)}: the printer on floor ${ri(1, 5)} keeps jamming.`,
  () => T`The serial number ${upLetters(2)}${dig(9)} is printed under the battery.`,
  () => T`Case reference ${upLetters(2)}${dig(6)}${upLetters(1, "EFGHJ")} has been closed.`,
  () => T`Meeting moved to ${time()}, room ${ri(100, 500)}, dial-in PIN ${dig(6)}.`,
  () => T`Voucher code ${upLetters(4)}-${upLetters(4)}-${dig(4)} expires on ${dateStr("en")}.`,
];

PL.neg = [
  () => T`Numer zamówienia ${pesel()}: towar czeka w punkcie odbioru do ${dateStr("pl")}.`,
  () => T`Zamówienie nr ${dig1(11)} zostało wysłane ${dateStr("pl")}, dostawa w ciągu ${ri(1, 4)} dni roboczych.`,
  () => T`Faktura FV/${ri(1, 999)}/${ri(2024, 2026)} na kwotę ${amount("pl")}, termin płatności ${dateStr("pl")}.`,
  () => T`Numer przesyłki ${dig1(24)}: kurier dostarczy paczkę dzisiaj.`,
  () => T`Licznik nr ${dig1(8)}, odczyt z dnia ${dateStr("pl")}: ${ri(1000, 90000)} kWh.`,
  () => T`Sygnatura sprawy ${failing(() => dig1(11), vPesel)} – prosimy powoływać się na nią w korespondencji.`,
  () => T`Przykładowy numer w formularzu: ${failing(() => dig1(11), vPesel)} (wpisz własny).`,
  () => T`NIP sklepu: ${dig1(3)}-${dig(3)}-${dig(2)}-${dig(2)}, REGON ${dig1(9)}.`,
  () => T`${pick(BICWORDS.pl)}: oddział będzie nieczynny ${dateStr("pl")} z powodu inwentaryzacji.`,
  () => T`Proszę wpisać ${pick(BICWORDS.pl)} w temacie wiadomości.`,
  () => T`Numer rachunku zaczyna się od ${ibanFrag("PL")}, resztę wyślę później.`,
  () => T`Lot ${flight()} do Barcelony odlatuje o ${time()}, wyjście ${ri(1, 40)}.`,
  () => T`Pociąg IC ${ri(1000, 8999)} do Gdyni jest opóźniony o ${ri(5, 90)} minut.`,
  () => T`Wersja ${version()} naprawia błąd logowania, kompilacja ${dig1(9)}.`,
  () => T`ISBN ${isbn13()}, oprawa miękka, ${ri(100, 600)} stron, ${amount("pl")}.`,
  () => T`Kowalski Sp. z o.o. otwiera nowy magazyn pod Poznaniem.`,
  () =>
    T`${pick(["Piekarnia Nowak", "Zakład Stolarski Wójcik", "Apteka Mazur", "Auto-Serwis Król"])} jest otwarta także w soboty.`,
  () => T`Ratusz na Rynku Głównym jest otwarty dla zwiedzających od ${time()}.`,
  () =>
    T`Jarmark świąteczny na ${pick(["ul. Piotrkowskiej", "ul. Długiej", "Krakowskim Przedmieściu"])} rusza w przyszły piątek.`,
  () => T`Kod pocztowy ${pick(["00-001", "30-001", "80-001", "90-001"])} obejmuje centrum miasta.`,
  () => T`Oferta pracy: specjalista ds. obsługi klienta, pełny etat, start ${dateStr("pl")}.`,
  () => T`Numer klienta ${dig1(9)}, umowa ${dig1(10)}: rata wzrośnie o ${pct("pl")}.`,
  () => T`Zgłoszenie ${dig1(6)}: drukarka na ${ri(1, 5)}. piętrze nie działa.`,
  () => T`Numer seryjny ${upLetters(2)}${dig(9)} znajduje się na tylnej obudowie.`,
  () => T`Polisa nr ${dig1(10)}, udział własny ${amount("pl")}.`,
  () => T`Spotkanie przeniesione na ${time()}, sala ${ri(1, 30)}, PIN ${dig(6)}.`,
  () => T`Numer zamówienia ${dig1(11)} i numer faktury ${dig1(11)} dotyczą tej samej dostawy.`,
];

SV.neg = [
  () => T`Ordernummer ${luckyPn10()}: varorna skickas från lagret i Borås i morgon.`,
  () => T`Din beställning ${dig1(10)} skickades ${dateStr("sv")} och levereras inom ${ri(1, 4)} arbetsdagar.`,
  () => T`Fakturanummer ${dig1(8)}, belopp ${amount("sv")}, förfallodatum ${dateStr("sv")}.`,
  () => T`Kolli-ID ${dig1(10)}: paketet finns att hämta hos ombudet.`,
  () => T`Mätarnummer ${dig1(9)}, mätarställning ${dateStr("sv")}: ${ri(1000, 90000)} kWh.`,
  () => T`Ärendenummer ${failing(() => dig(10), vLuhn10).replace(/^(\d{6})/, "$1-")} – ange det vid kontakt med oss.`,
  () =>
    T`Exempel i blanketten: ${failing(() => dig(10), vLuhn10).replace(/^(\d{6})/, "$1-")} (fyll i ditt eget nummer).`,
  () => T`Organisationsnummer 55${dig(4)}-${dig(4)} för bolaget, momsregistrerat sedan ${ri(2001, 2022)}.`,
  () => T`${pick(BICWORDS.sv)}: kontoret är stängt ${dateStr("sv")} på grund av inventering.`,
  () => T`Skriv ${pick(BICWORDS.sv)} i ämnesraden så hamnar det rätt.`,
  () => T`IBAN börjar med ${ibanFrag("SE")}, resten skickar jag sen.`,
  () => T`Flyg ${flight()} till Alicante avgår ${time()} från gate ${pick(["F", "G"])}${ri(1, 40)}.`,
  () => T`Tåg ${ri(400, 999)} mot Göteborg är ${ri(5, 60)} minuter försenat.`,
  () => T`Version ${version()} åtgärdar inloggningsfelet, bygge ${dig1(9)}.`,
  () => T`ISBN ${isbn13()}, inbunden, ${ri(100, 600)} sidor, ${amount("sv")}.`,
  () => T`Lindqvist Bygg AB söker en snickare till projektet i Västerås.`,
  () =>
    T`${pick(["Bergströms Bageri", "Holmgrens Måleri", "Nyströms Bil", "Ekströms Blommor"])} har öppet även på söndagar.`,
  () => T`Stadsbiblioteket vid Stortorget har kvällsöppet på torsdagar.`,
  () => T`Julmarknaden på ${pick(["Drottninggatan", "Kungsgatan", "Storgatan"])} öppnar första advent.`,
  () => T`Postnummer ${pick(["111 20", "411 01", "211 20", "753 10"])} gäller för centrum.`,
  () => T`Vi söker en kundtjänstmedarbetare, heltid, tillträde ${dateStr("sv")}.`,
  () => T`Kundnummer ${dig1(8)}, avtal ${dig1(10)}: avgiften höjs med ${pct("sv")}.`,
  () => T`Ärende ${dig1(6)}: skrivaren på plan ${ri(1, 5)} fungerar inte.`,
  () => T`Serienumret ${upLetters(2)}${dig(9)} står på baksidan.`,
  () => T`Försäkringsnummer ${dig1(9)}, självrisk ${amount("sv")}.`,
  () => T`Mötet är flyttat till kl. ${time()}, rum ${ri(100, 500)}, PIN ${dig(6)}.`,
  () => T`Ordernummer ${dig1(10)} och kvittonummer ${dig1(10)} gäller samma köp.`,
];

// ---------------------------------------------------------------- build
export const LANGS: [string, LangSpec][] = [
  ["de", DE],
  ["fr", FR],
  ["es", ES],
  ["it", IT],
  ["nl", NL],
  ["en", EN],
  ["pl", PL],
  ["sv", SV],
];

function build(): { recs: Rec[]; langOf: string[] } {
  const seen = new Set<string>();
  const out: Rec[] = [];
  const langOf: string[] = [];
  for (const [lang, spec] of LANGS) {
    const mine: Rec[] = [];
    const run = (tpls: Tpl[], n: number) => {
      let made = 0,
        tries = 0,
        i = 0;
      while (made < n) {
        if (++tries > n * 50) throw new Error(`${lang}: cannot make ${n} distinct sentences`);
        const r = at(tpls, i % tpls.length)();
        i++;
        if (seen.has(r.text)) continue;
        seen.add(r.text);
        mine.push(r);
        made++;
      }
    };
    run(spec.id, spec.quota.id);
    run(spec.bank, spec.quota.bank);
    run(spec.plain, spec.quota.plain);
    run(spec.neg, spec.quota.neg);
    shuffle(mine);
    for (const r of mine) {
      out.push(r);
      langOf.push(lang);
    }
  }
  return { recs: out, langOf };
}

function verify(recs: Rec[]): void {
  for (const r of recs) {
    r.spans.forEach((s, i) => {
      if (r.text.slice(s.start, s.end) !== r.values[i]) throw new Error(`offset mismatch in ${JSON.stringify(r.text)}`);
      if (s.end - s.start < 1) throw new Error("empty span");
    });
    if (/[\u{10000}-\u{10FFFF}]/u.test(r.text)) throw new Error("non-BMP character");
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { recs, langOf } = build();
  verify(recs);
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(here, "data", "pii-multilingual-holdout4.jsonl");
  writeFileSync(file, `${recs.map((r) => JSON.stringify({ text: r.text, spans: r.spans })).join("\n")}\n`);
  // counts
  const types = [
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
  const langs = LANGS.map(([l]) => l);
  const table: Record<string, Record<string, number>> = {};
  for (const t of types) table[t] = Object.fromEntries(langs.map((l) => [l, 0]));
  const sent: Record<string, { pos: number; neg: number }> = Object.fromEntries(
    langs.map((l) => [l, { pos: 0, neg: 0 }]),
  );
  recs.forEach((r, i) => {
    const l = at(langOf, i);
    const sl = get(sent, l, "sentence counts");
    if (r.spans.length) sl.pos++;
    else sl.neg++;
    for (const s of r.spans) {
      const row = get(table, s.type, "count row");
      row[l] = get(row, l, "count") + 1;
    }
  });
  console.log(`| type | ${langs.join(" | ")} | total |`);
  console.log(`|---|${langs.map(() => "---").join("|")}|---|`);
  for (const t of types) {
    const counts = get(table, t, "count row");
    const row = langs.map((l) => get(counts, l, "count") || "");
    console.log(`| ${t} | ${row.join(" | ")} | ${langs.reduce((a, l) => a + get(counts, l, "count"), 0)} |`);
  }
  const pos = recs.filter((r) => r.spans.length).length;
  console.log(
    `sentences ${recs.length}: ${pos} with PII (${recs.reduce((a, r) => a + r.spans.length, 0)} spans), ${recs.length - pos} without`,
  );
  console.log(
    langs.map((l) => `${l} ${get(sent, l, "sentence counts").pos}/${get(sent, l, "sentence counts").neg}`).join(", "),
  );
  const distinct = (t: string) =>
    new Set(recs.flatMap((r) => r.spans.filter((s) => s.type === t).map((s) => r.text.slice(s.start, s.end)))).size;
  console.log(`distinct PERSON ${distinct("PERSON")}, distinct STREET_ADDRESS ${distinct("STREET_ADDRESS")}`);
  console.log(
    `line ranges: ${(() => {
      let i = 0;
      return langs
        .map((l) => {
          const sl = get(sent, l, "sentence counts");
          const n = sl.pos + sl.neg;
          const s = `${l} ${i + 1}-${i + n}`;
          i += n;
          return s;
        })
        .join(", ");
    })()}`,
  );
}
