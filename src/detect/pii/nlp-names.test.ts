import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createPiiDetector } from "./detector.js";
import { SENTENCE_MAX, sentencesOf } from "./nlp-names.js";

const full = createPiiDetector({ names: "full" });
const fast = createPiiDetector({ names: "fast" });

/** `ENTITY:value` of every span `detector` reports in `text`. */
function found(detector: typeof full, text: string): string[] {
  return detector.detect(text).map((d) => `${d.entity}:${text.slice(d.start, d.end)}`);
}

describe("names: full (the NLP pass over the gazetteer)", () => {
  it("finds a person no list holds from how the sentence reads", () => {
    const text = "Unlike the Takuda novel, the song by Sousa was loud.";
    // The name tagger (name-tagger.test.ts) finds it in `fast` too; without it, only `full` does.
    const fastWithoutTagger = createPiiDetector({ names: "fast", tagger: false });
    assert.ok(!found(fastWithoutTagger, text).includes("PERSON:Sousa"));
    assert.ok(found(full, text).includes("PERSON:Sousa"));
    assert.ok(found(fast, text).includes("PERSON:Sousa"));
  });

  it("finds an organisation with a company suffix, keeping the suffix's dot", () => {
    assert.ok(
      found(full, "Yesterday she called from Acme Corp. about the invoice.").includes("ORGANIZATION:Acme Corp."),
    );
  });

  it("keeps what the gazetteer confirms and adds nothing to a text without names", () => {
    const text = "Dear Ms. Kristi Bragadóttir, thanks for the card 4111 1111 1111 1111.";
    assert.deepEqual(found(full, text), found(fast, text));
    assert.deepEqual(found(full, "the weather was fine and we walked to the station."), []);
  });

  it("leaves out the title opening a name and the possessive closing it", () => {
    const names = found(full, "Yesterday I read Dr. Okonkwo's notes.");
    assert.ok(names.includes("PERSON:Okonkwo"), names.join());
  });

  it("reports no lone unlisted word that opens a sentence, and no lone double-barrelled word", () => {
    assert.deepEqual(
      found(full, "Brightwater sent the parcel. Mayer-Watkins sent another.").filter((f) => f.startsWith("PERSON")),
      [],
    );
  });

  it("reads a street as no person and no place", () => {
    const spans = found(full, "The shows on Bezrukov Street were important.");
    assert.ok(!spans.some((s) => s.startsWith("PERSON") || s.startsWith("LOCATION")), spans.join());
  });

  it("tags no sentence longer than SENTENCE_MAX", () => {
    const filler = "and then the song went on ".repeat(Math.ceil(SENTENCE_MAX / 26));
    const text = `The song by Sousa ${filler}.`;
    assert.ok(!found(full, text).includes("PERSON:Sousa"));
  });

  // The runner's timeout guards against a hang; no assertion reads the clock.
  it("finishes hostile input: long runs without spaces, capitalised floods, unicode", { timeout: 120_000 }, () => {
    for (const text of [
      "A".repeat(100_000),
      "Ab".repeat(50_000),
      "John Smith ".repeat(5_000),
      "Ünal Çelik ".repeat(3_000),
      `${"é😀".repeat(20_000)} Sousa`,
      ". ".repeat(30_000),
      "Mr. ".repeat(20_000),
      "Smith, ".repeat(20_000),
      "Bank of ".repeat(20_000),
      "Gregorina's ".repeat(10_000),
      `${"a".repeat(40)}, B and C `.repeat(2_000),
      // Many short, distinct sentences: each is tagged, so the cost grows with the text, no faster.
      Array.from({ length: 600 }, (_, i) => `Person${i} met Anna in Paris.`).join(" "),
    ]) {
      for (const d of full.detect(text)) assert.ok(d.start >= 0 && d.end <= text.length && d.start < d.end);
    }
  });
});

describe("sentencesOf", () => {
  it("ends a sentence at a line break or at . ! ? before white space, not after a title or an initial", () => {
    const text = "Mr. J. Smith came. Did he?\nYes! v1.2 stays";
    assert.deepEqual(
      sentencesOf(text).map(([s, e]) => text.slice(s, e)),
      ["Mr. J. Smith came.", " Did he?", "Yes!", " v1.2 stays"],
    );
  });

  it("gives ordered, non-empty, in-bounds sentences that hold no line break (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, unit: fc.constantFrom("a", "B", " ", ".", "!", "\n", "é", "Mr") }),
        (text) => {
          let last = 0;
          for (const [start, end] of sentencesOf(text)) {
            assert.ok(start >= last && end > start && end <= text.length);
            assert.ok(!text.slice(start, end).includes("\n"));
            last = end;
          }
          // Every character but line breaks lies in a sentence.
          const covered = sentencesOf(text).reduce((n, [s, e]) => n + e - s, 0);
          assert.equal(covered, text.replaceAll("\n", "").length);
        },
      ),
    );
  });
});
