import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { piecesText, runStreamProfileContract } from "../stream.contract.js";
import { addressRecognizer, isPostcode } from "./address.js";
import { createPiiDetector, PII_CONTEXT_REACH } from "./detector.js";

const detector = createPiiDetector();
const addresses = (text: string) =>
  detector
    .detect(text)
    .filter((d) => d.entity === "STREET_ADDRESS")
    .map((d) => text.slice(d.start, d.end));

describe("street addresses by country grammar", () => {
  const positives: [string, string, string][] = [
    ["DE", "Die neue Anschrift ist Hauptstraße 5, 10115 Berlin.", "Hauptstraße 5, 10115 Berlin"],
    ["DE", "Bitte an Goethestr. 12, 60313 Frankfurt am Main senden", "Goethestr. 12, 60313 Frankfurt am Main"],
    ["DE", "Sie wohnt in der Karl-Marx-Straße 23a in Berlin", "Karl-Marx-Straße 23a"],
    ["DE", "Am Markt 3, 04109 Leipzig", "Am Markt 3, 04109 Leipzig"],
    ["DE", "Kurfürstendamm 21, 10719 Berlin", "Kurfürstendamm 21, 10719 Berlin"],
    ["AT", "Mariahilfer Straße 45, 1060 Wien", "Mariahilfer Straße 45, 1060 Wien"],
    ["NL", "Stuur het naar Kalverstraat 92, 1012 PH Amsterdam.", "Kalverstraat 92, 1012 PH Amsterdam"],
    ["NL", "Laan van Meerdervoort 50, 2517 AM Den Haag", "Laan van Meerdervoort 50, 2517 AM Den Haag"],
    ["ES", "vive en Calle de Alcalá 120, 28009 Madrid.", "Calle de Alcalá 120, 28009 Madrid"],
    ["ES", "Paseo de Gracia 92, 08008 Barcelona", "Paseo de Gracia 92, 08008 Barcelona"],
    ["IT", "Spedite a Via Roma 10, 00184 Roma, grazie.", "Via Roma 10, 00184 Roma"],
    ["IT", "Viale dei Mille 8, 50131 Firenze (FI)", "Viale dei Mille 8, 50131 Firenze (FI)"],
    ["FR", "habite au 12 rue de la Paix, 75002 Paris.", "12 rue de la Paix, 75002 Paris"],
    ["FR", "au 3 allée des Tilleuls, 33000 Bordeaux", "3 allée des Tilleuls, 33000 Bordeaux"],
    ["UK", "send it to 221B Baker Street, London NW1 6XE please", "221B Baker Street, London NW1 6XE"],
    ["US", "1600 Pennsylvania Avenue NW, Washington, DC 20500", "1600 Pennsylvania Avenue NW, Washington, DC 20500"],
  ];
  for (const [country, text, value] of positives) {
    it(`finds a ${country} address in "${text}"`, () => {
      assert.ok(addresses(text).includes(value), `got ${JSON.stringify(addresses(text))}`);
    });
  }

  it("keeps the street when the postcode has the wrong shape for its country", () => {
    // A 4-digit postcode after a Spanish street, and a Dutch postcode with the letters SS.
    assert.deepEqual(addresses("Calle Mayor 14, 2801 Madrid"), ["Calle Mayor 14"]);
    assert.deepEqual(addresses("Kalverstraat 92, 1012 SS Amsterdam"), ["Kalverstraat 92"]);
    assert.deepEqual(addresses("12 rue de la Paix, 00002 Paris"), ["12 rue de la Paix"]);
  });

  const negatives: [string, string][] = [
    ["a year and a capitalised noun", "Im Jahr 2023 wuchs der Umsatz."],
    ["a preposition phrase with a number", "Am Montag 5 Termine"],
    ["an order number", "Ihre Bestellnummer 48213377 wurde versandt."],
    ["a date", "Termin am 12.03.2024 um 10:30"],
    ["prose with a street word and no number", "Die Hauptstraße ist heute gesperrt."],
    ["a season and a year", "We shipped it in Spring 2024 as planned."],
    ["a course number", "She teaches Engineering 101 and Notepad 2 tips."],
  ];
  for (const [name, text] of negatives) {
    it(`ignores ${name}`, () => assert.deepEqual(addresses(text), []));
  }

  it("checks postcode ranges per country", () => {
    assert.ok(isPostcode("DE", "10115"));
    assert.equal(isPostcode("DE", "00999"), false);
    assert.ok(isPostcode("AT", "1060"));
    assert.equal(isPostcode("AT", "0999"), false);
    assert.ok(isPostcode("NL", "1012 PH"));
    assert.equal(isPostcode("NL", "0123 AB"), false);
    assert.equal(isPostcode("ES", "53001"), false);
    assert.ok(isPostcode("FR", "20000"), "Corsica");
    assert.equal(isPostcode("FR", "96000"), false);
    assert.ok(isPostcode("UK", "SW1A 2AA"));
    assert.ok(isPostcode("US", "20500-0003"));
  });

  it("never reports a span without a digit or longer than its maximum (property)", () => {
    const recognizer = addressRecognizer();
    const words = [
      "Hauptstraße",
      "Via",
      "Roma",
      "rue",
      "de",
      "la",
      "Paix",
      "12",
      "5",
      "10115",
      "Berlin",
      ",",
      "1012 PH",
      "Street",
      "Baker",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 14 }), (parts) => {
        const text = parts.join(" ");
        for (const d of recognizer.recognize(text, PII_CONTEXT_REACH)) {
          const value = text.slice(d.start, d.end);
          assert.match(value, /\d/);
          assert.ok(value.length <= recognizer.maxLength);
        }
      }),
    );
  });
});

const PIECES = [
  "Hauptstraße 5",
  "Goethestr. 12",
  "10115 Berlin",
  "Frankfurt am Main",
  "Via Roma 10",
  "00184 Roma",
  "12 rue de la Paix",
  "75002 Paris",
  "Kalverstraat 92",
  "1012 PH Amsterdam",
  "221B Baker Street",
  "London NW1 6XE",
  "Am Markt",
  "Calle",
  "de",
  "la",
  "bis",
  "Mit freundlichen Grüßen\nJürgen Hoffmann",
];
const addressTexts = piecesText(PIECES, { noise: "aZ09 ,.-/()\n", joins: [" ", ", ", "", "\n", ". "], maxPieces: 8 });

describe("street addresses when streamed", () => {
  runStreamProfileContract("pii (addresses)", detector, addressTexts, 40);

  it("holds an address while its locality may still arrive", () => {
    const hold = (text: string) => detector.stream?.holdFrom(text) ?? 0;
    assert.ok(hold("Bitte an Hauptstraße 5, 101") <= "Bitte an ".length);
    assert.ok(hold("Bitte an Haupt") <= "Bitte an ".length);
    const done = "Bitte an Hauptstraße 5, 10115 Berlin. Danke und bis bald, wir melden uns heute noch per Post";
    assert.ok(hold(done) > "Bitte an Hauptstraße 5, 10115 Berlin.".length);
  });
});
