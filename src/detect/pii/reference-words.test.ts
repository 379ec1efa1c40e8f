import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPiiDetector } from "./detector.js";
import { loadReferenceWords, toReferenceWords } from "./reference-words.js";

const detector = createPiiDetector();

function entities(text: string): string[] {
  return detector.detect(text).map((d) => `${d.entity}:${text.slice(d.start, d.end)}`);
}

describe("reference words", () => {
  it("reads words and *suffix compounds, skipping the words a recogniser counts as its own context", () => {
    const words = toReferenceWords("# comment\ncolis\n*nummer\n");
    assert.equal(words.find(["le", "colis"], new Set()), "colis");
    assert.equal(words.find(["die", "gerätenummer"], new Set()), "gerätenummer");
    assert.equal(words.find(["telefonnummer"], new Set(["telefonnummer"])), undefined);
    // The bare suffix is not a compound.
    assert.equal(words.find(["nummer"], new Set()), undefined);
  });

  it("ships a list with compounds, abbreviations and words in six languages", () => {
    const shipped = loadReferenceWords();
    for (const w of ["kundennummer", "nr", "série", "albarán", "matricola", "onderdeel", "invoice"])
      assert.ok(shipped.find([w], new Set()), w);
  });

  it("does not read phone numbers inside German and Dutch -nummer references", () => {
    assert.deepEqual(entities("Die Fahrgestellnummer lautet 4711-2233-901."), []);
    assert.deepEqual(entities("Het klantnummer is 0612-3456-78 volgens het systeem."), []);
  });

  it("does not read phone numbers after Nr., n° and per-language reference words", () => {
    assert.deepEqual(entities("Lieferung Nr. 030 8812 4471 ist unterwegs."), []);
    assert.deepEqual(entities("Pièce n° 612 345 678 disponible en stock."), []);
    assert.deepEqual(entities("El albarán 612 345 678 llegó ayer."), []);
  });

  it("still finds a phone number whose label says phone, even with Nr. beside it", () => {
    assert.deepEqual(entities("Tel.-Nr. 030 8812 4471"), ["PHONE_NUMBER:030 8812 4471"]);
    assert.deepEqual(entities("Meine Telefonnummer ist 030 8812 4471."), ["PHONE_NUMBER:030 8812 4471"]);
  });
});

describe("card candidates", () => {
  it("needs a card word for a 14-digit issuer-range number", () => {
    assert.deepEqual(entities("La spedizione 30569309025904 è partita."), []);
    assert.deepEqual(entities("Diners card 3056 930902 5904"), ["CREDIT_CARD:3056 930902 5904"]);
  });

  it("reports a 16-digit issuer-range number without a card word", () => {
    assert.deepEqual(entities("paid with 4111 1111 1111 1111 yesterday"), ["CREDIT_CARD:4111 1111 1111 1111"]);
  });

  it("still reports a 16-digit issuer-range card beside a reference word: a reference lowers it, a card stays above", () => {
    assert.deepEqual(entities("Pakket 4111111111111111 is onderweg."), ["CREDIT_CARD:4111111111111111"]);
  });
});
