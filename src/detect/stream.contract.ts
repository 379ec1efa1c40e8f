/**
 * The contract every stream profile must keep (see `StreamProfile` in detection.ts), as one
 * property suite the PII, secrets and combined detectors all run: cut a text at every position;
 * the spans `detect` reports on the head that start before the hold point (or before the
 * holdBack cap, whichever is later) are exactly those the whole text has there. Also the text
 * generators those suites and the streaming tests share.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import fc from "fast-check";
import type { TextDetector } from "./detection.js";
import { loadSecretRules } from "./secrets/index.js";

/** Secret values taken from the shipped rules' own examples, by rule id. */
export function secretSamples(ids: readonly string[]): string[] {
  const rules = loadSecretRules().rules;
  return ids.map((id) => {
    const sample = rules.find((r) => r.rule.id === id)?.rule.examples?.match[0];
    assert.ok(sample, `rule ${id} has an example`);
    return sample;
  });
}

const PII_VALUES = [
  "4111 1111 1111 1111",
  "4111-1111-1111-1111",
  "4111111111111111",
  "5500 0000 0000 0004",
  "DE89 3704 0044 0532 0130 00",
  "GB82 WEST 1234 5698 7654 32",
  "GB82WEST12345698765432",
  "jane.doe@example.com",
  "a.b+c@mail.example.co.uk",
  "+1 (415) 555-2671",
  "0490 75 40 81",
  "(212) 555-0199 ext. 12",
  "536-22-1234",
  "000123456789",
  "10.0.0.1",
  "12 January 1990",
];
const NAMES_AND_CONTEXT = [
  "Donald van der Voet",
  "Anna Schmidt",
  "Dear",
  "Mr.",
  "my name is",
  "thanks",
  "card",
  "iban",
  "Phone:",
  "call",
  "checking account",
  "ssn",
  "born",
  "12 Main Street",
  "van",
  "der",
  "Acme",
  "Corp",
  "Avenue",
  "New York",
  "Voet",
];
/**
 * Characters that sit next to entities and change them: digits, separators, quotes, newlines,
 * and ones detection normalises away (a zero-width space, a full-width digit and at sign).
 */
const NOISE = [..."aBx019 -.@:_='()+/\n\u200b４＠é"];

/** Streamed-answer-like texts: PII values, context words, names, (secrets), noise, joined tightly or loosely. */
export function streamedTexts(options: { secrets?: readonly string[]; maxPieces?: number } = {}): fc.Arbitrary<string> {
  const secrets = options.secrets ?? [];
  // Sometimes a value carries a character detection removes or folds: a zero-width space or a
  // soft hyphen inside it, or a full-width digit.
  const disguised = fc
    .tuple(fc.constantFrom(...PII_VALUES), fc.nat(), fc.constantFrom("", "", "\u200b", "\u00ad", "fullwidth"))
    .map(([value, at, how]) => {
      const i = at % (value.length + 1);
      if (how !== "fullwidth") return value.slice(0, i) + how + value.slice(i);
      return value.replace(/\d/, (d) => String.fromCharCode(0xff10 + Number(d)));
    });
  const piece = fc.oneof(
    { weight: 3, arbitrary: disguised },
    { weight: 3, arbitrary: fc.constantFrom(...NAMES_AND_CONTEXT) },
    ...(secrets.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...secrets) }] : []),
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...NOISE), maxLength: 8 }) },
  );
  const separator = fc.constantFrom(" ", " ", "", "\n", ", ", ". ", ": ");
  return fc
    .array(fc.tuple(piece, separator), { maxLength: options.maxPieces ?? 8 })
    .map((parts) => parts.map(([p, s]) => p + s).join(""));
}

/** Register the contract property for `detector` over `texts`. */
export function runStreamProfileContract(
  name: string,
  detector: TextDetector,
  texts: fc.Arbitrary<string>,
  numRuns = 40,
): void {
  it(`${name}: spans before the hold point are final whatever follows, cut at every position (property)`, () => {
    const profile = detector.stream;
    assert.ok(profile, `${name} has a stream profile`);
    fc.assert(
      fc.property(texts, (whole) => {
        const final = detector.detect(whole);
        for (let cut = 0; cut <= whole.length; cut++) {
          const head = whole.slice(0, cut);
          const hold: number = profile.holdFrom(head);
          assert.ok(hold >= 0 && hold <= cut, `hold ${hold} lies within the text of ${cut}`);
          const from = Math.max(hold, cut - profile.holdBack);
          assert.deepEqual(
            detector.detect(head).filter((d) => d.start < from),
            final.filter((d) => d.start < from),
            `cut at ${cut} of ${JSON.stringify(whole)}, hold ${hold}`,
          );
        }
      }),
      { numRuns },
    );
  });
}

/**
 * Texts of up to `maxPieces` pieces joined by one of `joins`, each piece one of `pieces` or a short
 * run of `noise` characters: the shape the address and format streaming suites cut at every position.
 */
export function piecesText(
  pieces: readonly string[],
  options: { noise: string; joins: readonly string[]; maxPieces: number },
): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: fc.constantFrom(...options.noise), maxLength: 5 })),
        fc.constantFrom(...options.joins),
      ),
      { maxLength: options.maxPieces },
    )
    .map((parts) => parts.map(([p, s]) => p + s).join(""));
}
