import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ISO_3166_ALPHA2,
  isBic,
  isDeTaxId,
  isEsDni,
  isEsNie,
  isFrNir,
  isItFiscalCode,
  isNlBsn,
  iso7064Mod11_10,
  isPlPesel,
  isSePersonnummer,
  isUkNino,
} from "./national.js";

// Generators of valid numbers, each computing its check digit from the published rule here
// rather than through the module under test.
const digit = fc.integer({ min: 0, max: 9 });
const pad = (n: number, w: number) => String(n).padStart(w, "0");

const steuerId = fc
  .tuple(
    fc.integer({ min: 0, max: 9 }),
    fc.integer({ min: 0, max: 8 }),
    fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
  )
  .map(([missing, doubledAt, shuffle]) => {
    const kept = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => d !== missing);
    const body = [...kept, kept[doubledAt] as number];
    for (let i = body.length - 1; i > 0; i--) {
      const j = (shuffle[i] as number) % (i + 1);
      [body[i], body[j]] = [body[j] as number, body[i] as number];
    }
    if (body[0] === 0) body.push(body.shift() as number);
    let p = 10;
    for (const d of body) p = (2 * ((d + p) % 10 || 10)) % 11;
    return body.join("") + ((11 - p) % 10);
  })
  .filter((v) => v[0] !== "0");

const nir = fc
  .tuple(
    fc.constantFrom("1", "2"),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 1, max: 12 }),
    fc.oneof(
      fc.integer({ min: 1, max: 95 }).map((d) => pad(d, 2)),
      fc.constantFrom("2A", "2B"),
    ),
    fc.integer({ min: 1, max: 999 }),
    fc.integer({ min: 1, max: 999 }),
  )
  .map(([sex, yy, mm, dept, commune, order]) => {
    const first = `${sex}${pad(yy, 2)}${pad(mm, 2)}${dept}${pad(commune, 3)}${pad(order, 3)}`;
    const n = BigInt(first.replace("2A", "19").replace("2B", "18"));
    return first + pad(97 - Number(n % 97n), 2);
  });

const LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
const dni = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `${pad(n, 8)}${LETTERS[n % 23]}`);
const nie = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([lead, n]) => `${"XYZ"[lead]}${pad(n, 7)}${LETTERS[(lead * 10_000_000 + n) % 23]}`);

const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const upper = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ");
const codiceFiscale = fc
  .tuple(
    fc.array(upper, { minLength: 6, maxLength: 6 }),
    fc.integer({ min: 0, max: 99 }),
    fc.constantFrom(..."ABCDEHLMPRST"),
    fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 41, max: 71 })),
    upper,
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([letters, yy, month, day, place, code]) => {
    const head = `${letters.join("")}${pad(yy, 2)}${month}${pad(day, 2)}${place}${pad(code, 3)}`;
    let sum = 0;
    [...head].forEach((c, i) => {
      const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65;
      sum += i % 2 === 0 ? (ODD[v] as number) : v;
    });
    return head + String.fromCharCode(65 + (sum % 26));
  });

const bsn = fc
  .array(digit, { minLength: 8, maxLength: 8 })
  .map((d) => {
    const check = d.reduce((t, x, i) => t + x * (9 - i), 0) % 11;
    return check <= 9 ? d.join("") + check : undefined;
  })
  .filter((v): v is string => v !== undefined && !/^0+$/.test(v));

const date = fc
  .tuple(fc.integer({ min: 1800, max: 2299 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => ({ y, m, d }));
const pesel = fc.tuple(date, fc.array(digit, { minLength: 4, maxLength: 4 })).map(([{ y, m, d }, serial]) => {
  const offset = { 18: 80, 19: 0, 20: 20, 21: 40, 22: 60 }[Math.floor(y / 100)] as number;
  const body = `${pad(y % 100, 2)}${pad(m + offset, 2)}${pad(d, 2)}${serial.join("")}`;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const s = [...body].reduce((t, c, i) => t + Number(c) * (w[i] as number), 0);
  return body + ((10 - (s % 10)) % 10);
});

const personnummer = fc
  .tuple(date, fc.array(digit, { minLength: 3, maxLength: 3 }), fc.constantFrom("short", "long", "bare", "plus"))
  .filter(([{ y }]) => y >= 1800 && y <= 2099)
  .map(([{ y, m, d }, serial, form]) => {
    const body = `${pad(y % 100, 2)}${pad(m, 2)}${pad(d, 2)}${serial.join("")}`;
    let sum = 0;
    [...body].forEach((c, i) => {
      const v = Number(c) * (i % 2 === 0 ? 2 : 1);
      sum += v > 9 ? v - 9 : v;
    });
    const full = body + ((10 - (sum % 10)) % 10);
    if (form === "short") return `${full.slice(0, 6)}-${full.slice(6)}`;
    if (form === "plus") return `${full.slice(0, 6)}+${full.slice(6)}`;
    if (form === "long") return `${Math.floor(y / 100)}${full.slice(0, 6)}-${full.slice(6)}`;
    return `${Math.floor(y / 100)}${full}`;
  });

/** `value` with the digit at one of its digit positions replaced by another digit. */
function withOneDigitChanged(value: string, at: number, by: number, lastDigits = Number.POSITIVE_INFINITY): string {
  const places = [...value].flatMap((c, i) => (/\d/.test(c) ? [i] : [])).slice(-lastDigits);
  const i = places[at % places.length] as number;
  const changed = (Number(value[i]) + 1 + (by % 9)) % 10;
  return value.slice(0, i) + changed + value.slice(i + 1);
}

/** Digits a check covers, counted from the end (a personnummer's century is outside its Luhn digit). */
const CHECKED_DIGITS: Record<string, number> = { "SE personnummer": 10 };

const checked: [string, fc.Arbitrary<string>, (v: string) => boolean][] = [
  ["DE Steuer-ID", steuerId, isDeTaxId],
  ["FR NIR", nir, isFrNir],
  ["ES DNI", dni, isEsDni],
  ["ES NIE", nie, isEsNie],
  ["IT codice fiscale", codiceFiscale, isItFiscalCode],
  ["NL BSN", bsn, isNlBsn],
  ["PL PESEL", pesel, isPlPesel],
  ["SE personnummer", personnummer, isSePersonnummer],
];

describe("national identifier validators", () => {
  for (const [name, valid, accepts] of checked) {
    it(`accepts every generated ${name} (property)`, () => {
      fc.assert(fc.property(valid, (v) => accepts(v)));
    });
    it(`rejects a ${name} with one digit changed (property)`, () => {
      fc.assert(
        fc.property(
          valid,
          fc.nat(),
          fc.nat(),
          (v, at, by) => !accepts(withOneDigitChanged(v, at, by, CHECKED_DIGITS[name])),
        ),
      );
    });
  }

  it("accepts published examples", () => {
    assert.ok(isDeTaxId("86095742719"));
    assert.ok(isDeTaxId("86 095 742 719"));
    assert.ok(isFrNir("2 55 08 14 168 025 38"));
    assert.ok(isEsDni("12345678Z"));
    assert.ok(isEsNie("X1234567L"));
    assert.ok(isItFiscalCode("RSSMRA85T10A562S"));
    assert.ok(isUkNino("AB 12 34 56 C"));
    assert.ok(isNlBsn("111222333"));
    assert.ok(isPlPesel("44051401359"));
    assert.ok(isSePersonnummer("811228-9874"));
    assert.ok(isSePersonnummer("19811228-9874"));
    assert.ok(isBic("DEUTDEFF"));
    assert.ok(isBic("NEDSZAJJXXX"));
  });

  it("applies the Steuer-ID digit-repetition rule", () => {
    // Each with its correct MOD 11,10 check digit, so only the repetition rule can reject it.
    const withCheck = (ten: string) => ten + iso7064Mod11_10(ten);
    assert.equal(isDeTaxId(withCheck("1234567890")), false, "no repeated digit");
    assert.equal(isDeTaxId(withCheck("1111234567")), false, "a digit four times");
    assert.equal(isDeTaxId(withCheck("1223345678")), false, "two digits repeated");
    assert.equal(isDeTaxId(withCheck("1112345678")), false, "a digit three times in a row");
    assert.ok(isDeTaxId(withCheck("1121345678")), "a digit three times, not in a row");
    assert.ok(isDeTaxId(withCheck("1123456789")), "a digit twice");
    assert.equal(isDeTaxId(withCheck("0123456788")), false, "leading zero");
  });

  it("counts Corsica as 19 (2A) and 18 (2B) in the NIR key", () => {
    // 1 80 01 2A 004 123 + key over 1800119004123; the same digits with 20 fail.
    const first = "18001" + "19" + "004123";
    const key = String(97 - Number(BigInt(first) % 97n)).padStart(2, "0");
    assert.ok(isFrNir(`18001 2A 004123 ${key}`.replace(/ /g, "")));
    assert.equal(isFrNir(`1800120004123${key}`), false);
  });

  it("checks PESEL and personnummer dates", () => {
    assert.equal(isPlPesel("44023001350"), false, "30 February");
    assert.equal(isSePersonnummer("811328-9873"), false, "month 13");
    const coordination = [..."0123456789"].map((c) => `811288-987${c}`).filter(isSePersonnummer);
    assert.deepEqual(coordination, ["811288-9871"], "day 28 + 60 is a coordination number, one check digit fits");
  });

  it("rejects NINO prefixes HMRC never issues and suffixes past D", () => {
    for (const bad of ["GB123456A", "BG123456A", "ZZ123456A", "DA123456A", "AO123456A", "AB123456E", "QQ123456C"]) {
      assert.equal(isUkNino(bad), false, bad);
    }
    fc.assert(
      fc.property(fc.constantFrom(..."DFIQUV"), fc.integer({ min: 0, max: 999_999 }), (first, n) => {
        return !isUkNino(`${first}A${pad(n, 6)}A`);
      }),
    );
  });

  it("needs an ISO 3166 country in a BIC, and upper case", () => {
    assert.equal(ISO_3166_ALPHA2.size, 249);
    const regions = new Intl.DisplayNames(["en"], { type: "region" });
    for (const code of ISO_3166_ALPHA2) assert.notEqual(regions.of(code), code, `${code} is a region`);
    assert.equal(isBic("DEUTQQFF"), false);
    assert.equal(isBic("deutdeff"), false);
    assert.equal(isBic("DEUTDEF"), false);
    assert.ok(isBic("DEUTXKFF"), "Kosovo");
    fc.assert(
      fc.property(upper, upper, (a, b) => isBic(`DEUT${a}${b}FF`) === (ISO_3166_ALPHA2.has(a + b) || a + b === "XK")),
    );
  });
});
