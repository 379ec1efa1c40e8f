import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { runStreamProfileContract, streamedTexts } from "../stream.contract.js";
import { builtinRecognizers } from "./builtin.js";
import { createPiiDetector, PII_CONTEXT_REACH } from "./detector.js";
import { BUILTIN_SHAPES, createAttemptHold } from "./hold.js";
import { CAP_WORD, MAX_NAME_RUN, NAME_PARTICLES, openNameRunStart } from "./hold-names.js";

const detector = createPiiDetector();
const holdFrom = (text: string) => detector.stream?.holdFrom(text) ?? 0;

describe("PII stream profile", () => {
  runStreamProfileContract("pii", detector, streamedTexts({ maxPieces: 10 }), 60);

  it("has a shape for every built-in pattern recogniser", () => {
    const ids = builtinRecognizers()
      .filter((r) => r.id !== "gazetteer" && !r.hold)
      .map((r) => r.id);
    assert.deepEqual(ids.filter((id) => !BUILTIN_SHAPES[id]).sort(), []);
  });

  it("keeps each recogniser's spans final before its shape's hold point, cut at every position (property)", () => {
    const recognizers = builtinRecognizers().filter((r) => BUILTIN_SHAPES[r.id]);
    const spans = (r: (typeof recognizers)[number], text: string) =>
      r.recognize(text, PII_CONTEXT_REACH).map((d) => `${d.start}-${d.end}`);
    fc.assert(
      fc.property(streamedTexts({ maxPieces: 6 }), (whole) => {
        for (const recognizer of recognizers) {
          const hold = createAttemptHold(BUILTIN_SHAPES[recognizer.id] as (typeof BUILTIN_SHAPES)[string]);
          const final = spans(recognizer, whole);
          for (let cut = 0; cut <= whole.length; cut++) {
            const head = whole.slice(0, cut);
            const at = hold(head);
            const before = (list: string[]) => list.filter((s) => Number(s.split("-")[0]) < at);
            assert.deepEqual(before(spans(recognizer, head)), before(final), `${recognizer.id} cut at ${cut}`);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it("mirrors the gazetteer's rules for runs of name words", () => {
    // Particles: a word joins two names into one span exactly when the mirror lists it.
    const probes = [
      ...NAME_PARTICLES,
      ..."a an the of and to in on at el ben bint dei degli des las lo los mac op ter ten te vom zum zur af av".split(
        " ",
      ),
    ];
    const gazetteer = builtinRecognizers().find((r) => r.id === "gazetteer");
    assert.ok(gazetteer);
    for (const word of probes) {
      const text = `Yesterday Donald ${word} Voet wrote.`;
      const joined = gazetteer
        .recognize(text, PII_CONTEXT_REACH)
        .some((d) => d.start <= text.indexOf("Donald") && d.end >= text.indexOf("Voet") + 4);
      assert.equal(joined, (NAME_PARTICLES as readonly string[]).includes(word), `"${word}" joins names`);
    }
    const source = readFileSync(new URL("./gazetteer.ts", import.meta.url), "utf8");
    assert.match(source, new RegExp(`const MAX_RUN = ${MAX_NAME_RUN};`));
    assert.ok(source.includes(`const CAP_WORD = /${CAP_WORD.source}/u;`), "CAP_WORD is the gazetteer's");
  });

  it("holds a run of name words while a particle or another name may still follow", () => {
    assert.equal(openNameRunStart("Please write to Donald van der"), "Please write to ".length);
    assert.equal(openNameRunStart("Please write to Donald va"), "Please write to ".length);
    assert.equal(openNameRunStart("Please write to Donald"), "Please write to ".length);
    assert.equal(openNameRunStart("Please write to Donald today"), "Please write to Donald today".length);
    assert.equal(openNameRunStart("It is at 12 Main"), "It is at ".length);
    assert.equal(openNameRunStart("Jean-"), 0);
  });

  it("releases finished prose and holds only its last word", () => {
    const text = "The quick brown fox jumps over the lazy dog and then it";
    assert.equal(holdFrom(text), text.length - "it".length);
    assert.equal(holdFrom(`${text}. `), `${text}. `.length);
  });

  it("holds a card until no context word after it can change its score", () => {
    const card = "Pay with 4111 1111 1111 1111";
    assert.equal(holdFrom(card), "Pay with ".length);
    assert.equal(holdFrom(`${card} and some more`), "Pay with ".length, "a context word may still follow");
    const later = `${card} and then nothing else happens here. `;
    assert.equal(holdFrom(later), later.length);
  });

  it("holds the digits of a card split between groups", () => {
    assert.equal(holdFrom("The number is 4111 1111 "), "The number is ".length);
  });
});
