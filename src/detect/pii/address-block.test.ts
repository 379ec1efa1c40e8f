import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { piecesText, runStreamProfileContract } from "../stream.contract.js";
import { createPiiDetector } from "./detector.js";

const detector = createPiiDetector();
const found = (text: string, entity?: string) =>
  detector
    .detect(text)
    .filter((d) => entity === undefined || d.entity === entity)
    .map((d) => `${d.entity}:${text.slice(d.start, d.end)}`);

describe("address blocks", () => {
  it("reports an inline US address with unit, city, state and ZIP as one span", () => {
    const text = "Please ship it to 4589 Maple Street Suite 603, Springfield, IL 62704 by Monday.";
    assert.deepEqual(found(text, "STREET_ADDRESS"), [
      "STREET_ADDRESS:4589 Maple Street Suite 603, Springfield, IL 62704",
    ]);
  });

  it("reports an address written over lines after a sentence as one span, up to its ZIP", () => {
    const text = "How do I change my address to 92 Elm Court 57\nBRISTOL\n, LA\n 56139 for post mail?";
    assert.deepEqual(found(text, "STREET_ADDRESS"), ["STREET_ADDRESS:92 Elm Court 57\nBRISTOL\n, LA\n 56139"]);
  });

  it("reports an address after a label on the line above as one span", () => {
    const text = "Here is the new address:\n\n12 Harbour Road\n Apt. 305\n Lepassaare\n Estonia 56293";
    assert.deepEqual(found(text, "STREET_ADDRESS"), [
      "STREET_ADDRESS:12 Harbour Road\n Apt. 305\n Lepassaare\n Estonia 56293",
    ]);
  });

  it("reports a letterhead line by line: street, unit and postcode as addresses, city and country as places", () => {
    const text = "Amy Walsh\n\n55 Halsey Road\n Suite 881\n Hayborough\n Thailand 52574";
    assert.deepEqual(found(text), [
      "PERSON:Amy Walsh",
      "STREET_ADDRESS:55 Halsey Road",
      "STREET_ADDRESS:Suite 881",
      "LOCATION:Hayborough",
      "LOCATION:Thailand",
      "STREET_ADDRESS:52574",
    ]);
  });

  it("reports a letterhead's ZIP after its state code on its own", () => {
    const text = "Jane Roe\n12 Oak Street\nSpringfield, IL 62704";
    assert.deepEqual(found(text, "STREET_ADDRESS"), ["STREET_ADDRESS:12 Oak Street", "STREET_ADDRESS:62704"]);
  });

  it("splits a letterhead street with two house numbers into building number and street", () => {
    const text = "> Acme Widgets\n> 18 15 Millicent Drive\n> Suite 459\n> Wangwauk\n> Latvia 04731";
    const streets = found(text, "STREET_ADDRESS");
    assert.deepEqual(streets.slice(0, 2), ["STREET_ADDRESS:18", "STREET_ADDRESS:15 Millicent Drive"]);
  });

  it("names the line above a letterhead's street an organisation", () => {
    const text = "Paula Brandt\nDemystdata\n11 Eriksbo Road 98\n Suite 568\n Angered\n Mali 44998";
    assert.ok(found(text, "ORGANIZATION").includes("ORGANIZATION:Demystdata"), String(found(text)));
  });

  it("reads an address written all in lower case", () => {
    const text =
      "please update the billing address with 11 via goffredo mameli 149\n suite 268\n borgorose\n italy 48083 thanks";
    assert.deepEqual(found(text, "STREET_ADDRESS"), [
      "STREET_ADDRESS:11 via goffredo mameli 149\n suite 268\n borgorose\n italy 48083",
    ]);
  });

  it("finds US military addresses (USPS Publication 28)", () => {
    assert.deepEqual(found("Ship to PSC 1560, Box 3449\nAPO AP 24937", "STREET_ADDRESS"), [
      "STREET_ADDRESS:PSC 1560, Box 3449\nAPO AP 24937",
    ]);
    assert.deepEqual(found("send it to unit 9456 box 8731\ndpo ap 71610 please", "STREET_ADDRESS"), [
      "STREET_ADDRESS:unit 9456 box 8731\ndpo ap 71610",
    ]);
  });

  it("finds a postcode named as one", () => {
    assert.deepEqual(found("My zip code is 35649", "STREET_ADDRESS"), ["STREET_ADDRESS:35649"]);
  });

  const negatives: [string, string][] = [
    ["a number and prose", "We shipped 12 boxes to the warehouse, and 3 more arrive on Monday."],
    ["a version and a unit test count", "Release 4 Suite 2 passed 5 unit tests in 30 seconds"],
    ["an order line", "Order 12 Blue Widgets, 3 Red Widgets\nTotal 45.00"],
    ["a postcode-shaped number without a locality", "Invoice 48213 was paid on time."],
    ["an all-zero postcode", "12 rue de la Paix, 00002 Paris"],
  ];
  for (const [name, text] of negatives) {
    it(`reports no address block for ${name}`, () => {
      assert.ok(!detector.detect(text).some((d) => d.reasons.includes("address-block")), JSON.stringify(found(text)));
    });
  }
});

const PIECES = [
  "55 Halsey Road",
  "18 15 Millicent Drive",
  " Suite 881",
  "Apt. 305",
  "Hayborough",
  "Thailand 52574",
  ", IL 62704",
  ", LA",
  " 56139",
  "Amy Walsh",
  "Demystdata",
  "address:",
  "PSC 1560, Box 3449",
  "APO AP 24937",
  "zip code is 35649",
  "said petra to michael",
  "my name is",
  "lives in",
  "> ",
];
const blockTexts = piecesText(PIECES, {
  noise: "aZ09 ,.>!\n",
  joins: [" ", ", ", "", "\n", "\n\n", ". "],
  maxPieces: 9,
});

describe("address blocks when streamed", () => {
  runStreamProfileContract("pii (address blocks)", detector, blockTexts, 40);
});
