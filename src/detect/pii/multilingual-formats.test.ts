/**
 * Formats of European addresses, identifiers and names that text written by others uses (issue 22,
 * part 7): one small case per class, written for this file.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { piecesText, runStreamProfileContract } from "../stream.contract.js";
import { addressRecognizer, isPostcode } from "./address.js";
import { createPiiDetector, PII_CONTEXT_REACH } from "./detector.js";
import { hasStreetType, isGluedToCode, loadGazetteer, nameWordCount } from "./gazetteer.js";
import { contextWindow } from "./recognizer.js";

const detector = createPiiDetector();
const spans = (text: string, entity: string) =>
  detector
    .detect(text)
    .filter((d) => d.entity === entity)
    .map((d) => text.slice(d.start, d.end));

describe("addresses in each country's own format", () => {
  const cases: [string, string, string][] = [
    [
      "a Spanish floor and door",
      "Envíenlo a Calle Mayor 7, 2.º C, 28013 Madrid, gracias.",
      "Calle Mayor 7, 2.º C, 28013 Madrid",
    ],
    ["a Spanish floor glued to its door", "Vivo en Paseo del Prado 40, 5ºB desde marzo.", "Paseo del Prado 40, 5ºB"],
    [
      "a Spanish ground floor",
      "Alameda de Hércules 12, bajo, 41002 Sevilla",
      "Alameda de Hércules 12, bajo, 41002 Sevilla",
    ],
    [
      "a UK flat before the building",
      "Post to Flat 2, 14 Mill Lane, York YO1 7HU today",
      "Flat 2, 14 Mill Lane, York YO1 7HU",
    ],
    ["a UK thoroughfare called Approach", "at 3 Church Approach, Leeds LS2 7EY", "3 Church Approach, Leeds LS2 7EY"],
    [
      "a Polish flat and postcode",
      "Adres: ul. Ogrodowa 12 m. 5, 00-876 Warszawa.",
      "ul. Ogrodowa 12 m. 5, 00-876 Warszawa",
    ],
    ["a Polish street named by a date", "mieszkam przy ul. 11 Listopada 8/2 od roku", "ul. 11 Listopada 8/2"],
    [
      "a Swedish flat number and postcode",
      "Adress: Storgatan 4 lgh 1201, 753 20 Uppsala",
      "Storgatan 4 lgh 1201, 753 20 Uppsala",
    ],
    [
      "a Swedish street after a direction word",
      "Jag bor på Norra Vägen 9, 392 34 Kalmar.",
      "Norra Vägen 9, 392 34 Kalmar",
    ],
    [
      "an Italian dash and province",
      "residente in Via Garibaldi 3 - 10122 Torino (TO).",
      "Via Garibaldi 3 - 10122 Torino (TO)",
    ],
    ["an Italian letter after a slash", "consegna in Borgo Santo Spirito 7/B, grazie", "Borgo Santo Spirito 7/B"],
    [
      "a German city with its river",
      "Lindenstraße 3, 15230 Frankfurt (Oder)",
      "Lindenstraße 3, 15230 Frankfurt (Oder)",
    ],
    [
      "a German street named by a date",
      "Adresse: Platz der 18. März 4, 10117 Berlin",
      "Platz der 18. März 4, 10117 Berlin",
    ],
    ["a German street after a preposition", "Anschrift: Auf dem Berg 6, 34117 Kassel", "Auf dem Berg 6, 34117 Kassel"],
    ["a Dutch ground-floor suffix", "Adres: Singel 12 hs, 1015 AB Amsterdam", "Singel 12 hs, 1015 AB Amsterdam"],
    ["a Dutch city written with 's-", "Markt 5, 5211 JV 's-Hertogenbosch", "Markt 5, 5211 JV 's-Hertogenbosch"],
    [
      "a Dutch street without a type word, with its postcode",
      "ontvanger: Oude Gracht 9, 3511 AP Utrecht.",
      "Oude Gracht 9, 3511 AP Utrecht",
    ],
    [
      "a street without a type word, with a UK postcode",
      "to 12 Broadway, Derby DE1 1AA please",
      "12 Broadway, Derby DE1 1AA",
    ],
  ];
  for (const [name, text, value] of cases) {
    it(`reads ${name}`, () =>
      assert.ok(spans(text, "STREET_ADDRESS").includes(value), JSON.stringify(spans(text, "STREET_ADDRESS"))));
  }

  it("keeps a namesake inside a typed street a street", () => {
    assert.deepEqual(spans("abito in Largo Giuseppe Verdi 2 da anni", "PERSON"), []);
    assert.deepEqual(spans("abito in Largo Giuseppe Verdi 2 da anni", "STREET_ADDRESS"), ["Largo Giuseppe Verdi 2"]);
  });

  it("needs a valid postcode for a street without a type word", () => {
    assert.deepEqual(spans("Kapitel 12 ist neu.", "STREET_ADDRESS"), []);
    assert.deepEqual(spans("Brink 4 en verder", "STREET_ADDRESS"), []);
    assert.deepEqual(spans("Brink 9, 0511 AP Utrecht", "STREET_ADDRESS"), []);
  });

  it("checks Polish and Swedish postcodes", () => {
    assert.ok(isPostcode("PL", "00-950"));
    assert.equal(isPostcode("PL", "00950"), false);
    assert.ok(isPostcode("SE", "114 55"));
    assert.equal(isPostcode("SE", "014 55"), false);
  });

  it("reports only spans with a digit, within the maximum, from any mix of the new pieces (property)", () => {
    const recognizer = addressRecognizer();
    const words = [
      "Storgatan",
      "lgh",
      "1201",
      "ul.",
      "m.",
      "5",
      "00-876",
      "Flat",
      "2,",
      "Brink",
      "3511 AP",
      "-",
      "(TO)",
      "bajo",
      "2.º",
      "Kapitel",
      "12",
      "Berlin",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 14 }), (parts) => {
        const text = parts.join(" ");
        for (const d of recognizer.recognize(text, PII_CONTEXT_REACH)) {
          const value = text.slice(d.start, d.end);
          assert.match(value, /\d/);
          assert.ok(value.length <= recognizer.maxLength);
          assert.ok(d.score >= 0.45);
        }
      }),
    );
  });
});

describe("identifiers written the way people write them", () => {
  const cases: [string, string, string][] = [
    ["ES_NIF", "DNI del titular: 31.415.926-L.", "31.415.926-L"],
    ["ES_NIF", "mi dni es 31415926l, gracias", "31415926l"],
    ["NL_BSN", "BSN 123 456 782 graag bijwerken", "123 456 782"],
    ["PL_PESEL", "aplikacja odrzuca mojego peselu 44051401359 od rana", "44051401359"],
    ["DE_TAX_ID", "86095742719 – das ist meine Steuer-ID, bitte eintragen.", "86095742719"],
    ["SE_PERSONNUMMER", "811228-9874 är mitt personnummer.", "811228-9874"],
    ["SE_PERSONNUMMER", "Farfar (811228+9874) behöver hjälp.", "811228+9874"],
    ["SE_PERSONNUMMER", "Barnet (19811228-9874) är sjukt.", "19811228-9874"],
  ];
  for (const [entity, text, value] of cases) {
    it(`finds ${entity} in "${text}"`, () => assert.deepEqual(spans(text, entity), [value]));
  }

  it("leaves a bare 10-digit personnummer shape without its word", () => {
    assert.deepEqual(spans("Barnet (811228-9874) är sjukt.", "SE_PERSONNUMMER"), []);
  });

  it("lowers look-alikes named as Swedish and Polish case, order and invoice numbers", () => {
    assert.deepEqual(spans("Ärendenummer 20240315-0044 handläggs.", "SE_PERSONNUMMER"), []);
    assert.deepEqual(spans("Faktura 44051401359 opłacona, dziękuję.", "PL_PESEL"), []);
    assert.deepEqual(spans("NIP firmy 526-104-08-28, proszę o fakturę.", "PHONE_NUMBER"), []);
  });

  it("does not read a number named as an identifier as a phone number", () => {
    assert.deepEqual(spans("Het BSN is 123 456 782, klopt dat?", "PHONE_NUMBER"), []);
  });

  it("keeps a context word that ends right at the window's edge", () => {
    const text = "1234 – abcd efgh ijkl Steuer-ID meiner";
    assert.match(contextWindow(text, 0, 4, 48, 27), /Steuer-ID$/);
    assert.doesNotMatch(contextWindow(text, 0, 4, 48, 26), /ID/);
  });
});

describe("capitalised words that name no person", () => {
  it("treats a code after a document or flight word as no name", () => {
    assert.equal(nameWordCount(["Rechnung", "RE"], "-2"), 0);
    assert.equal(nameWordCount(["Lot", "IB"], " 4"), 0);
    assert.equal(nameWordCount(["Flug", "LH4411"], ""), 0);
    assert.equal(nameWordCount(["Steuerklasse", "V"], " g"), 1);
    assert.equal(nameWordCount(["Anna", "Berg"], ""), 2);
    assert.equal(nameWordCount(["JOHN", "LI"], ""), 2);
    assert.equal(nameWordCount(["Ann", "Lee", "MD"], ""), 3);
    assert.equal(nameWordCount(["Karl", "Berg", "III"], ""), 3);
    assert.equal(nameWordCount(["Anna", "K."], " "), 2);
    for (const text of [
      "Rechnung RE-2025-0042 bitte bis Freitag zahlen.",
      "Facture FA-2026-0042 à régler avant lundi.",
      "Lot IB 4243 ist verkauft.",
      "Ihre Steuerklasse V gilt ab sofort.",
    ])
      assert.deepEqual(spans(text, "PERSON"), [], text);
  });

  it("leaves out a role or department in capitals after a name, not the name", () => {
    assert.equal(nameWordCount(["John", "Smith", "CEO"], " a"), 2);
    assert.equal(nameWordCount(["Tom", "Hanks", "MBA", "CEO"], ""), 3);
    assert.deepEqual(spans("Please email John Smith CEO", "PERSON"), ["John Smith"]);
    assert.deepEqual(spans("Call Anna Berg HR tomorrow", "PERSON"), ["Anna Berg"]);
    assert.deepEqual(spans("Thanks, Tom Hanks MBA CEO", "PERSON"), ["Tom Hanks MBA"]);
    assert.deepEqual(spans("Dear Anna Svensson VD,", "PERSON"), ["Anna Svensson"]);
  });

  it("treats a run opened by a street type as a street", () => {
    const { firstNames } = loadGazetteer();
    assert.ok(hasStreetType(["Corso", "Vittorio"], firstNames));
    assert.ok(hasStreetType(["Gran", "Vía"], firstNames));
    assert.ok(hasStreetType(["Platz", "der", "Republik"], firstNames));
    assert.ok(hasStreetType(["Hansen", "Street"], firstNames));
    assert.deepEqual(spans("La filiale di Corso Vittorio chiude alle 13.", "PERSON"), []);
    assert.deepEqual(spans("Meet me at Piazza Navona tomorrow.", "PERSON"), []);
  });

  it("reads a street type after a first name or a title as a surname", () => {
    const { firstNames } = loadGazetteer();
    assert.equal(hasStreetType(["Mike", "Piazza"], firstNames), false);
    assert.equal(hasStreetType(["Maria", "Gasse"], firstNames), false);
    assert.equal(hasStreetType(["Herrn", "Platz"], firstNames), false);
    assert.deepEqual(spans("Yesterday Mike Piazza hit a home run.", "PERSON"), ["Mike Piazza"]);
    assert.deepEqual(spans("Contact Ana Alameda for details.", "PERSON"), ["Ana Alameda"]);
    assert.deepEqual(spans("Our guest is Maria Gasse from Vienna.", "PERSON"), ["Maria Gasse"]);
    const corso = detector.detect("The poet Gregory Corso wrote Bomb.").find((d) => d.entity === "PERSON");
    assert.equal(corso?.score, 0.85);
  });

  it("reads no name in the letters glued to a code, in the gazetteer and the tagger alike", () => {
    assert.ok(isGluedToCode("EMP-204816", 0, 3));
    assert.ok(isGluedToCode("2026-Anna Weber", 5, 15));
    assert.ok(isGluedToCode("Lars Berg_7", 0, 9));
    assert.equal(isGluedToCode("Anna Weber-Schulz", 0, 10), false);
    assert.deepEqual(spans("Ticket 2026-Anna Weber closed", "PERSON"), []);
    assert.deepEqual(spans("Order AB-123456 shipped", "ORGANIZATION"), []);
  });

  it("does not read Swedish and Polish pronouns opening a sentence as names", () => {
    assert.deepEqual(spans("Jag, Karin Lund, vill byta adress.", "PERSON"), ["Karin Lund"]);
  });
});

describe("phone numbers beside an identifier word that names something else", () => {
  const cases: [string, string][] = [
    ["Polish 'not' before the number", "Proszę nie dzwonić, mój numer to 601 234 567."],
    ["Polish 'not' after the number", "Zadzwoń pod 601 234 567 jeśli nie odbiorę."],
    ["Polish 'days' after the number", "Proszę o kontakt: 601 234 567 w ciągu 2 dni."],
    ["a DNI after the phone number", "Mi número es 612 345 678 y mi DNI 12345678Z."],
  ];
  for (const [name, text] of cases) {
    it(`keeps the phone number with ${name}`, () => {
      const phone = /\d{3} \d{3} \d{3}/.exec(text)?.[0];
      assert.deepEqual(spans(text, "PHONE_NUMBER"), [phone]);
    });
  }

  it("still reads a number an identifier word labels, before it or with the identifier's check", () => {
    assert.deepEqual(spans("Mi número es 612 345 678 y mi DNI 12345678Z.", "ES_NIF"), ["12345678Z"]);
    assert.deepEqual(spans("Het BSN is 123 456 782, klopt dat?", "PHONE_NUMBER"), []);
    assert.deepEqual(spans("123 456 782 is het BSN van mijn zoon.", "PHONE_NUMBER"), []);
    assert.deepEqual(spans("123 456 782 is het BSN van mijn zoon.", "NL_BSN"), ["123 456 782"]);
  });

  it("keeps an identifier a generic word stands beside", () => {
    const pesel = detector.detect("PESEL klienta: 44051401359").find((d) => d.entity === "PL_PESEL");
    assert.equal(pesel?.score, 0.9);
  });
});

const PIECES = [
  "Calle Mayor 7",
  ", 2.º C",
  "28013 Madrid",
  "Flat 2,",
  "14 Mill Lane",
  "York YO1 7HU",
  "ul. Ogrodowa 12",
  "m. 5",
  "00-876 Warszawa",
  "Storgatan 4",
  "lgh 1201",
  "753 20 Uppsala",
  "Via Garibaldi 3",
  "- 10122 Torino (TO)",
  "Singel 12 hs",
  "811228+9874",
  "BSN 123 456 782",
  "personnummer",
  "Steuer-ID",
];
const texts = piecesText(PIECES, { noise: "aZ09 ,.-/()\n", joins: [" ", ", ", "", "\n", ". "], maxPieces: 8 });

describe("the new formats when streamed", () => {
  runStreamProfileContract("pii (part 7 formats)", detector, texts, 40);
});
