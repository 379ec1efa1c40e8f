import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { examplesOf, toModelFile, trainTagger } from "../../../scripts/train-name-tagger.js";
import type { Detection, TextDetector } from "../detection.js";
import { createIncrementalDetector } from "../stream.js";
import { createPiiDetector } from "./detector.js";
import { loadGazetteer } from "./gazetteer.js";
import { loadNameTagger, MARK, type NameTaggerModelFile, NUMBER, tokenize, WORD } from "./name-tagger.js";

const fast = createPiiDetector({ names: "fast" });
const withoutTagger = createPiiDetector({ names: "fast", tagger: false });

function found(detector: TextDetector, text: string): string[] {
  return detector.detect(text).map((d) => `${d.entity}:${text.slice(d.start, d.end)}`);
}

const SPACE = /[ \t\n\r\f\v\u00a0]/u;

describe("tokenize", () => {
  it("reads words with inner apostrophes and hyphens, numbers and single marks", () => {
    const text = "O'Brien & Jean-Luc paid 42 EUR, (ok)-";
    assert.deepEqual(
      tokenize(text).map((t) => [text.slice(t.start, t.end), t.kind]),
      [
        ["O'Brien", WORD],
        ["&", MARK],
        ["Jean-Luc", WORD],
        ["paid", WORD],
        ["42", NUMBER],
        ["EUR", WORD],
        [",", MARK],
        ["(", MARK],
        ["ok", WORD],
        [")", MARK],
        ["-", MARK],
      ],
    );
  });

  it("covers every character but white space once, in order, within the range (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.nat(), fc.nat(), (text, a, b) => {
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        const tokens = tokenize(text, from, to);
        let at = from;
        for (const t of tokens) {
          assert.ok(t.start >= at && t.end > t.start && t.end <= to);
          for (let i = at; i < t.start; i++)
            assert.ok(SPACE.test(text[i] as string), "only white space between tokens");
          for (let i = t.start; i < t.end; i++)
            assert.ok(!SPACE.test(text[i] as string), "no white space inside a token");
          at = t.end;
        }
        for (let i = at; i < to; i++) assert.ok(SPACE.test(text[i] as string));
      }),
      { numRuns: 300 },
    );
  });

  it("finishes hostile input: long words, long runs of marks and hyphens, astral characters", () => {
    for (const text of ["a".repeat(200_000), "-'".repeat(100_000), "A-".repeat(100_000), "𝒜".repeat(100_000)]) {
      const tokens = tokenize(text);
      assert.ok(tokens.length >= 1);
      assert.equal(tokens[tokens.length - 1]?.end, text.length);
    }
  });
});

describe("the name tagger in names: fast", () => {
  it("adds a person no list or rule reads", () => {
    const text = "Unlike the Takuda novel, the song by Sousa was loud.";
    assert.ok(!found(withoutTagger, text).includes("PERSON:Takuda"));
    assert.ok(found(fast, text).includes("PERSON:Takuda"));
  });

  it("keeps what the rules confirm: a listed name stays whole", () => {
    const text = "Dear Ms. Kristi Bragadóttir, thanks for the card 4111 1111 1111 1111.";
    assert.deepEqual(found(fast, text), found(withoutTagger, text));
  });

  it("reports no lone listed word in lower-case text and no capitalised noun after a reference number", () => {
    assert.deepEqual(found(fast, "the weather was fine and we walked to the station."), []);
    assert.deepEqual(found(fast, "Paketnummer 04649975590816: Zustellung voraussichtlich 15.07.1989."), []);
  });

  it("reads no name in the letters of an identifier glued to its digits", () => {
    for (const text of [
      "The employee id of the new hire is EMP-204816.",
      "Please quote reference INV/2026/0042 when paying.",
      "Ticket 2026-Ops was closed by the night shift.",
    ])
      assert.ok(!found(fast, text).some((f) => f.startsWith("PERSON:") || f.startsWith("ORGANIZATION:")), text);
    assert.ok(found(fast, "The new hire is Takuda, employee 204816.").includes("PERSON:Takuda"));
  });

  it("leaves a word opening a street to the address grammar", () => {
    for (const text of [
      "Bezorgadres: Lange Nieuwstraat 5, 3512 PA Utrecht.",
      "Bezorgadres: Grote Markt 11, 9711 LV Groningen.",
    ])
      assert.ok(!found(fast, text).some((f) => f.startsWith("PERSON:") || f.startsWith("ORGANIZATION:")), text);
  });

  it("finishes hostile input: capitalised floods, short sentences, names without end", { timeout: 120_000 }, () => {
    for (const text of [
      "Anna Maria ".repeat(20_000),
      "Ab. ".repeat(50_000),
      "Mr. Smith met Dr. Jones. ".repeat(8_000),
      `${"x".repeat(100_000)} Anna`,
      "anna maria ".repeat(20_000),
    ]) {
      for (const d of fast.detect(text)) assert.ok(d.start >= 0 && d.end <= text.length && d.start < d.end);
    }
  });

  it("adds nothing with names off", () => {
    assert.deepEqual(found(createPiiDetector({ names: "off" }), "Unlike the Takuda novel."), []);
  });
});

describe("the shipped model", () => {
  it("states its training data, licence and seed", () => {
    assert.ok(loadNameTagger().weights.size > 1000);
    const file = JSON.parse(
      readFileSync(new URL("../../../rules/pii/name-tagger.json", import.meta.url), "utf8"),
    ) as NameTaggerModelFile;
    const provenance = file.provenance ?? {};
    assert.match(String(provenance.source), /generated_large\.json.*MIT/u);
    assert.doesNotMatch(String(provenance.source), /synth_dataset_v2/u);
    assert.equal(typeof provenance.seed, "number");
    assert.match(String(provenance.sha256), /^[0-9a-f]{64}$/u);
  });

  it("is the same bytes for the same data and seed", () => {
    const records = [
      {
        full_text: "Yesterday I met Anna Schmidt from Acme Corp in Berlin.",
        spans: [
          { entity_type: "PERSON", start_position: 16, end_position: 28 },
          { entity_type: "ORGANIZATION", start_position: 34, end_position: 43 },
          { entity_type: "LOCATION", start_position: 47, end_position: 53 },
        ],
      },
      { full_text: "The weather was fine.", spans: [] },
    ];
    const once = () => JSON.stringify(toModelFile(trainTagger(examplesOf(records, loadGazetteer()), { epochs: 3 })));
    assert.equal(once(), once());
  });
});

function streamAll(det: TextDetector, chunks: readonly string[]): Detection[] {
  const inc = createIncrementalDetector(det, { minScanChars: 1 });
  let length = 0;
  const detections: Detection[] = [];
  for (const segment of [...chunks.map((c) => inc.push(c)), inc.end()]) {
    if (!segment) continue;
    assert.equal(segment.offset, length);
    length += segment.text.length;
    for (const d of segment.detections)
      detections.push({ ...d, start: d.start + segment.offset, end: d.end + segment.offset });
  }
  return detections;
}

describe("streaming with the name tagger", () => {
  const part = fc.oneof(
    fc.constantFrom(
      "Unlike the Takuda novel, the song by Sousa was loud.",
      "Mieszko Kowalczyk joined Spacecurve Labs",
      "said petra to michael",
      "i met jean-luc picard and anna schmidt",
      "Jean-",
      "Luc O'",
      "Brien",
      "Why is Jesenko so impulsive?",
      "Bezorgadres: Lange Nieuwstraat 5, 3512 PA Utrecht.",
      "a ".repeat(130),
      "The Quick Brown Fox ",
    ),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(". ", "\n", " ", ", ", "! "),
  );
  const text = fc.array(part, { maxLength: 10 }).map((parts) => parts.join(""));

  it("gives the whole-text spans for any split, including sentences longer than are tagged (property)", () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (t, cuts) => {
        const whole = fast.detect(t);
        const points = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(t.slice(last, p));
          last = p;
        }
        chunks.push(t.slice(last));
        assert.deepEqual(streamAll(fast, chunks), whole, JSON.stringify(chunks));
        assert.deepEqual(streamAll(fast, [...t]), whole, "one character per chunk");
      }),
      { numRuns: 60 },
    );
  });
});
