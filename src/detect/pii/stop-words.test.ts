import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPiiDetector } from "./detector.js";
import { isStopWord } from "./gazetteer.js";

const detector = createPiiDetector();

function people(text: string): string[] {
  return detector
    .detect(text)
    .filter((d) => d.entity === "PERSON")
    .map((d) => text.slice(d.start, d.end));
}

describe("stop words (rules/pii/stop-words.txt)", () => {
  it("lists function words and salutations of six languages, but not surname particles", () => {
    for (const w of ["Per", "Bon", "Con", "Mit", "Het", "Gentile", "Beste", "Estimada"]) assert.ok(isStopWord(w), w);
    for (const w of ["De", "Van", "Di", "Von", "La", "Le", "Del"]) assert.equal(isStopWord(w), false, w);
  });

  it("does not read a capitalised function word that is also a first name as a name", () => {
    assert.deepEqual(people("Per favore, chiama domani."), []);
    assert.deepEqual(people("Bon courage pour demain."), []);
  });

  it("leaves a salutation out of the name after it", () => {
    assert.deepEqual(people("Gentile Giulia Bianchi, la ringraziamo."), ["Giulia Bianchi"]);
  });

  it("keeps surname particles and titles", () => {
    assert.deepEqual(people("Mevrouw Lotte van den Berg belt morgen."), ["Lotte van den Berg"]);
  });
});
