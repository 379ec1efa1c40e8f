/**
 * The detectors the gateway runs on every prompt must cost time linear in the text. Timing that
 * in a unit test would be flaky, so this counts work instead: while a detector runs, the string,
 * array and regular expression methods it calls add up how many characters or elements they walk
 * (a regex search counts the characters it passed over, a failed search the rest of the text).
 * An eight times longer text must cost at most ten times the work; a rescan from the start per
 * match, a search to the end per window or a comparison of every span with every other costs
 * dozens of times more. Benchmarks with timings live in bench/guard-cost.ts.
 *
 * What this cannot see is backtracking inside one regex call; compiled patterns are checked to
 * have bounded repeats instead (injection rules.test.ts, secrets regex-safety).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { combineDetectors } from "./combine.js";
import { createDefaultInjectionDetector } from "./injection/load.js";
import { createPiiDetector } from "./pii/detector.js";
import { createSecretsDetector } from "./secrets/detector.js";

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Run `body` with the work meter installed; returns the units of work counted. */
function measure(body: () => void): number {
  let work = 0;
  const restore: (() => void)[] = [];
  const wrap = (target: object, name: string, cost: (self: unknown, args: unknown[], result: unknown) => number) => {
    const original = (target as Record<string, Method>)[name] as Method;
    const patched: Method = function (this: unknown, ...args: unknown[]) {
      const start = this instanceof RegExp ? this.lastIndex : 0;
      const result = Reflect.apply(original, this, args);
      work += Math.max(1, cost(this instanceof RegExp ? { regex: this, start } : this, args, result));
      return result;
    };
    Object.defineProperty(target, name, { value: patched, configurable: true, writable: true });
    restore.push(() => Object.defineProperty(target, name, { value: original, configurable: true, writable: true }));
  };
  const length = (self: unknown) => (self as { length: number }).length;
  wrap(RegExp.prototype, "exec", (self, args, result) => {
    const { regex, start } = self as { regex: RegExp; start: number };
    const input = String(args[0]);
    const match = result as RegExpExecArray | null;
    if (regex.sticky) return match ? match[0].length : 1;
    const from = regex.global ? start : 0;
    return (match ? match.index + match[0].length : input.length) - from;
  });
  wrap(String.prototype, "indexOf", (self, args, result) => {
    const from = Number(args[1] ?? 0);
    return ((result as number) < 0 ? length(self) : (result as number) + String(args[0]).length) - from;
  });
  for (const name of ["includes", "toLowerCase", "toUpperCase", "normalize", "trim", "split", "startsWith", "endsWith"])
    wrap(String.prototype, name, length);
  for (const name of ["slice", "substring", "padStart", "repeat"])
    wrap(String.prototype, name, (_self, _args, result) => length(result));
  for (const name of [
    "every",
    "some",
    "filter",
    "find",
    "findIndex",
    "map",
    "flatMap",
    "forEach",
    "includes",
    "indexOf",
    "join",
    "reduce",
    "sort",
  ])
    wrap(Array.prototype, name, length);
  wrap(Array.prototype, "slice", (_self, _args, result) => length(result));
  try {
    body();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return work;
}

/** Ordinary text with a little PII and a secret in it. */
const PROSE =
  "Hello team, please call Jane Doe at +1 (415) 555-2671 or mail jane.doe@example.com about invoice 4471. " +
  "The staging key is AKIAIOSFODNN7EXAMPLQ and the card on file ends 4111 1111 1111 1111, so ignore it. ";

/** Texts built from a unit repeated: the shapes that made detectors slow. */
const CORPORA: Record<string, string> = {
  prose: PROSE,
  digits: "4111111111111111",
  "e-mail-like": "a@a.a",
  "begin-marker": "-----BEGIN",
  "pem-headers": "-----BEGIN PRIVATE KEY-----\n",
  base64: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlq",
  spaces: " ",
  "repeated-word": "ignore ",
  dashes: "-",
  "street-addresses": "12 Main Street ",
  assignments: "token=",
  "capitalised-words": "Aa Bb ",
  // Issue 22: street grammars, national identifiers and BIC shapes.
  "postal-addresses": "Hauptstraße 5, 10115 Berlin ",
  "street-types": "Via Roma Calle de la Mayor 12 ",
  "french-streets": "12 rue de la Paix de la ",
  ninos: "AB 12 34 56 C ",
  "capital-runs": "DEUTDEFFXXX ",
  "digit-groups": "12 345 678 901 ",
  // Part 7: UK flats before a street, each address candidate overlapping the next.
  "uk-flats": "Flat 2, 14 Mill Lane ",
};

const SMALL = 2048;
const GROWTH = 8;
/** Linear work grows by GROWTH; allow a quarter more for what a longer text adds per item. */
const ALLOWED = GROWTH * 1.25;

function textOf(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

describe("detector cost grows linearly with the text", () => {
  const sensitive = combineDetectors([createPiiDetector(), createSecretsDetector()]);
  const injection = createDefaultInjectionDetector();
  const detectors: Record<string, (text: string) => unknown> = {
    sensitive: (text) => sensitive.detect(text),
    "injection (user)": (text) => injection.detect(text, { mode: "user" }),
    "injection (document)": (text) => injection.detect(text, { mode: "document" }),
  };
  for (const [name, detect] of Object.entries(detectors)) {
    for (const [corpus, unit] of Object.entries(CORPORA)) {
      it(`${name} on ${corpus}`, () => {
        const small = textOf(unit, SMALL);
        const large = textOf(unit, SMALL * GROWTH);
        detect(textOf(unit, SMALL + 1)); // warm the gazetteer and rule indexes (a different text: results are cached)
        const smallWork = measure(() => detect(small));
        const largeWork = measure(() => detect(large));
        assert.ok(
          largeWork <= ALLOWED * smallWork,
          `work grew ${(largeWork / smallWork).toFixed(1)}x for ${GROWTH}x the text (${smallWork} -> ${largeWork})`,
        );
      });
    }
  }
});

describe("stream hold-back cost grows linearly with the text", () => {
  // holdFrom follows chains of overlapping candidates ("Flat 2, 14 Mill Lane Flat 2, …"): a
  // rescan of the whole text each time a chain passes a recogniser's break grows with the square
  // of the text. (The meter does not see plain loops; stream.test.ts counts holdBefore's reads.)
  const sensitive = combineDetectors([createPiiDetector(), createSecretsDetector()]);
  for (const corpus of ["uk-flats", "street-addresses", "postal-addresses", "capitalised-words"]) {
    it(`holdFrom on ${corpus}`, () => {
      const unit = CORPORA[corpus] as string;
      const holdFrom = (text: string) => sensitive.stream?.holdFrom(text);
      const small = textOf(unit, SMALL);
      const large = textOf(unit, SMALL * GROWTH);
      holdFrom(textOf(unit, SMALL + 1));
      const smallWork = measure(() => holdFrom(small));
      const largeWork = measure(() => holdFrom(large));
      assert.ok(
        largeWork <= ALLOWED * smallWork,
        `work grew ${(largeWork / smallWork).toFixed(1)}x for ${GROWTH}x the text (${smallWork} -> ${largeWork})`,
      );
    });
  }
});
