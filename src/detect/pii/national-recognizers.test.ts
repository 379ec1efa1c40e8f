import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { runStreamProfileContract } from "../stream.contract.js";
import { createIncrementalDetector } from "../stream.js";
import { createPiiDetector, PII_CONTEXT_REACH, piiEntities } from "./detector.js";
import { BUILTIN_SHAPES, createAttemptHold } from "./hold.js";
import { nationalRecognizers } from "./national-recognizers.js";

const detector = createPiiDetector();

function found(text: string): [string, string][] {
  return detector.detect(text).map((d) => [d.entity, text.slice(d.start, d.end)]);
}

describe("national identifier recognisers", () => {
  const positives: [string, string, string][] = [
    ["DE_TAX_ID", "Meine Steuer-ID lautet 86095742719.", "86095742719"],
    ["DE_TAX_ID", "Steueridentifikationsnummer: 86 095 742 719", "86 095 742 719"],
    ["FR_NIR", "Mon numéro de sécurité sociale est le 2 55 08 14 168 025 38.", "2 55 08 14 168 025 38"],
    ["FR_NIR", "NIR 255081416802538", "255081416802538"],
    ["ES_NIF", "Mi DNI es 12345678Z.", "12345678Z"],
    ["ES_NIF", "DNI 12345678-Z", "12345678-Z"],
    ["ES_NIE", "con NIE X1234567L, por favor", "X1234567L"],
    ["IT_FISCAL_CODE", "Il mio codice fiscale è RSSMRA85T10A562S.", "RSSMRA85T10A562S"],
    ["IT_FISCAL_CODE", "cf: rssmra85t10a562s", "rssmra85t10a562s"],
    ["UK_NINO", "My National Insurance number is AB 12 34 56 C.", "AB 12 34 56 C"],
    ["NL_BSN", "Mijn BSN is 111222333.", "111222333"],
    ["PL_PESEL", "Mój numer PESEL to 44051401359.", "44051401359"],
    ["SE_PERSONNUMMER", "Mitt personnummer är 811228-9874.", "811228-9874"],
    ["SE_PERSONNUMMER", "personnummer 19811228-9874", "19811228-9874"],
    ["SWIFT_CODE", "IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX", "COBADEFFXXX"],
    ["SWIFT_CODE", "SWIFT code: INGBNL2A", "INGBNL2A"],
  ];
  for (const [entity, text, value] of positives) {
    it(`finds ${entity} in "${text}"`, () => {
      assert.ok(
        found(text).some(([e, v]) => e === entity && v === value),
        `got ${JSON.stringify(found(text))}`,
      );
    });
  }

  const negatives: [string, string][] = [
    ["a Steuer-ID with a wrong check digit", "Steuer-ID 86095742718"],
    ["a valid Steuer-ID shape as an order number", "Bestellnummer 86095742719 wurde versandt"],
    ["an 11-digit number with no context", "Die Zahl 86095742719 ist groß"],
    ["a NIR with a wrong key", "numéro de sécurité sociale 2 55 08 14 168 025 39"],
    ["a DNI with the wrong letter", "DNI 12345678A"],
    ["a DNI-shaped order code", "Su pedido 12345678Z se envió ayer"],
    ["a NIE with a suffix", "código X1234567L-B agotado"],
    ["a fiscal-code shape with a wrong check letter", "codice fiscale RSSMRA85T10A562T"],
    ["a NINO with a prefix never issued", "NI number GB 12 34 56 A"],
    ["an order code shaped like a NINO", "Order AB-123456-C has shipped"],
    ["a BSN-valid number without context", "het getal 111222333 is groot"],
    ["a BSN-valid order number", "Uw bestelnummer 111222333 is verzonden"],
    ["a PESEL-valid number without context", "ticket 44051401359 closed"],
    ["a personnummer with a wrong check digit", "personnummer 811228-9875"],
    ["an upper-case word shaped like a BIC", "DRINGEND: bitte sofort melden"],
    ["an upper-case word shaped like a BIC near no bank word", "BUSINESS NOTICE: server rebooted"],
  ];
  for (const [name, text] of negatives) {
    it(`ignores ${name}`, () => {
      const national = new Set(nationalRecognizers().flatMap((r) => r.entities));
      const hits = found(text).filter(([e]) => national.has(e));
      assert.deepEqual(hits, [], `got ${JSON.stringify(hits)}`);
    });
  }

  it("lists the new entities among the PII entities", () => {
    const entities = piiEntities();
    for (const e of ["DE_TAX_ID", "FR_NIR", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE", "UK_NINO", "NL_BSN", "PL_PESEL"]) {
      assert.ok(entities.includes(e), e);
    }
    assert.ok(entities.includes("SE_PERSONNUMMER") && entities.includes("SWIFT_CODE"));
  });
});

const NATIONAL_VALUES = [
  "86095742719",
  "86 095 742 719",
  "2 55 08 14 168 025 38",
  "255081416802538",
  "12345678Z",
  "12345678-Z",
  "X1234567L",
  "RSSMRA85T10A562S",
  "AB 12 34 56 C",
  "AB123456C",
  "111222333",
  "44051401359",
  "811228-9874",
  "19811228-9874",
  "COBADEFFXXX",
  "INGBNL2A",
];
const NATIONAL_CONTEXT = [
  "Steuer-ID",
  "NIR",
  "DNI",
  "NIE",
  "codice fiscale",
  "NI number",
  "BSN",
  "PESEL",
  "personnummer",
  "BIC",
  "Bestellnummer",
  "IBAN",
];
const nationalTexts = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...NATIONAL_VALUES),
        fc.constantFrom(...NATIONAL_CONTEXT),
        fc.string({ unit: fc.constantFrom(..."AZ09 -+."), maxLength: 6 }),
      ),
      fc.constantFrom(" ", "", ", ", ": ", "\n"),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.map(([p, s]) => p + s).join(""));

describe("national identifiers when streamed", () => {
  runStreamProfileContract("pii (national identifiers)", detector, nationalTexts, 40);

  it("keeps each national recogniser's spans final before its shape's hold point (property)", () => {
    const recognizers = nationalRecognizers();
    fc.assert(
      fc.property(nationalTexts, (whole) => {
        for (const recognizer of recognizers) {
          const shape = BUILTIN_SHAPES[recognizer.id];
          assert.ok(shape, `${recognizer.id} has a shape`);
          const hold = createAttemptHold(shape);
          const spans = (text: string) =>
            recognizer.recognize(text, PII_CONTEXT_REACH).map((d) => `${d.start}-${d.end}`);
          const final = spans(whole);
          for (let cut = 0; cut <= whole.length; cut++) {
            const at = hold(whole.slice(0, cut));
            const before = (list: string[]) => list.filter((s) => Number(s.split("-")[0]) < at);
            assert.deepEqual(before(spans(whole.slice(0, cut))), before(final), `${recognizer.id} cut at ${cut}`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("streams one character at a time to the whole-text result", () => {
    const text = "Steuer-ID 86 095 742 719, NIR 2 55 08 14 168 025 38, BIC COBADEFFXXX, BSN 111222333.";
    const incremental = createIncrementalDetector(detector);
    const segments = [...[...text].map((c) => incremental.push(c)), incremental.end()];
    const spans = segments.flatMap((s) =>
      s ? s.detections.map((d) => [d.entity, d.start + s.offset, d.end + s.offset]) : [],
    );
    assert.deepEqual(
      spans,
      detector.detect(text).map((d) => [d.entity, d.start, d.end]),
    );
  });

  it("gives the whole-text result for multilingual letters cut anywhere (property)", () => {
    const letters = [
      "Guten Tag, ich bin Katrin Neumann, meine Steueridentifikationsnummer ist 86 095 742 719.\nMit freundlichen Grüßen\nKatrin Neumann\nGoethestraße 12, 60313 Frankfurt am Main",
      "Bonjour, mon numéro INSEE est 2 55 08 14 168 025 38. Veuillez noter mon adresse : 27 boulevard Victor Hugo, 06000 Nice.",
      "Hola, soy Elena Serrano, con NIE X1234567L y DNI 12345678Z; vivo en Calle de Alcalá 120, 28009 Madrid.",
      "Il mio codice fiscale è RSSMRA85T10A562S; IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, Via Roma 10, 00184 Roma (RM).",
      "Mijn BSN is 111222333 en ik woon op Laan van Meerdervoort 50, 2517 AM Den Haag. PESEL 44051401359, personnummer 811228-9874.",
    ];
    const whole = (text: string) => detector.detect(text).map((d) => [d.entity, d.start, d.end]);
    fc.assert(
      fc.property(
        fc.constantFrom(...letters),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }),
        (text, sizes) => {
          const incremental = createIncrementalDetector(detector, { minScanChars: 1 });
          const segments = [];
          let at = 0;
          for (const size of sizes) {
            segments.push(incremental.push(text.slice(at, at + size)));
            at += size;
          }
          segments.push(incremental.push(text.slice(at)), incremental.end());
          const spans = segments.flatMap((s) =>
            s ? s.detections.map((d) => [d.entity, d.start + s.offset, d.end + s.offset]) : [],
          );
          assert.deepEqual(spans, whole(text));
        },
      ),
      { numRuns: 60 },
    );
  });
});
