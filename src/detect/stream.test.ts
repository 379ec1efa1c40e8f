import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { combineDetectors } from "./combine.js";
import type { Detection, TextDetector } from "./detection.js";
import { createPiiDetector } from "./pii/detector.js";
import { createPseudonymTable, redact } from "./redact.js";
import { createSecretsDetector } from "./secrets/detector.js";
import { runStreamProfileContract, secretSamples, streamedTexts } from "./stream.contract.js";
import { createIncrementalDetector, createStreamingRedactor, createStreamingRestorer, holdBefore } from "./stream.js";

const detector = createPiiDetector();
const both = combineDetectors([detector, createSecretsDetector()]);
const SECRETS = secretSamples([
  "aws-access-key-id",
  "private-key",
  "jwt",
  "github-classic-pat",
  "generic-password-assignment",
  "connection-string-password",
]);

/** Split `text` at the given cut points (sorted, deduplicated, in range). */
function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(text.slice(last, p));
    last = p;
  }
  parts.push(text.slice(last));
  return parts;
}

function streamed(chunks: readonly string[], minScanChars = 1) {
  const inc = createIncrementalDetector(detector, { minScanChars });
  let text = "";
  const spans: [number, number, string][] = [];
  for (const segment of [...chunks.map((c) => inc.push(c)), inc.end()]) {
    if (!segment) continue;
    assert.equal(segment.offset, text.length, "segments are contiguous");
    text += segment.text;
    for (const d of segment.detections) spans.push([d.start + segment.offset, d.end + segment.offset, d.entity]);
  }
  return { text, spans };
}

/** Stream `chunks` through `det`; the released text and every detection with stream offsets. */
function streamAll(det: TextDetector, chunks: readonly string[], minScanChars: number) {
  const inc = createIncrementalDetector(det, { minScanChars });
  let text = "";
  const detections: Detection[] = [];
  for (const segment of [...chunks.map((c) => inc.push(c)), inc.end()]) {
    if (!segment) continue;
    assert.equal(segment.offset, text.length, "segments are contiguous");
    text += segment.text;
    for (const d of segment.detections)
      detections.push({ ...d, start: d.start + segment.offset, end: d.end + segment.offset });
  }
  return { text, detections };
}

/** The characters held back after each chunk of `chunks`. */
function heldAfterEachChunk(det: TextDetector, chunks: readonly string[], minScanChars: number): number[] {
  const inc = createIncrementalDetector(det, { minScanChars });
  return chunks.map((c) => {
    inc.push(c);
    return inc.pending;
  });
}

const chunksOf = (text: string, size: number) => text.match(new RegExp(`[\\s\\S]{1,${size}}`, "g")) ?? [];

const piiText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "my card 4111 1111 1111 1111 expired",
        "iban DE89 3704 0044 0532 0130 00",
        "mail jane.doe@example.com",
        "Phone: 0490 75 40 81",
        "ssn 536-22-1234",
        "Donald van der Voet",
        "checking account 000123456789",
        "ip 10.0.0.1",
        "order 48213377",
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(" "));

describe("streaming detection", () => {
  it("gives the whole-text result for any chunking (property)", () => {
    fc.assert(
      fc.property(piiText, fc.array(fc.nat(), { maxLength: 20 }), fc.constantFrom(1, 16, 64), (text, cuts, minScan) => {
        const whole = detector.detect(text).map((d) => [d.start, d.end, d.entity]);
        const result = streamed(splitAt(text, cuts), minScan);
        assert.equal(result.text, text);
        assert.deepEqual(result.spans, whole);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the whole-text result one character per chunk", () => {
    const text =
      "Hi, I am Donald van der Voet, card 4111-1111-1111-1111, IBAN GB82 WEST 1234 5698 7654 32, call +1 (415) 555-2671.";
    const result = streamed([...text]);
    assert.deepEqual(
      result.spans,
      detector.detect(text).map((d) => [d.start, d.end, d.entity]),
    );
  });

  it("never releases any part of an IBAN split across three chunks before it is redacted", () => {
    const redactor = createStreamingRedactor(detector, (t, d) => redact(t, d, { style: "placeholder" }).text);
    const out = [
      redactor.push("Please wire the money to DE89 3704 "),
      redactor.push("0044 0532 "),
      redactor.push("0130 00 before Friday."),
      redactor.end(),
    ].join("");
    assert.equal(out, "Please wire the money to <IBAN_CODE> before Friday.");
    assert.ok(!/\d{4}/.test(out));
  });

  it("restores pseudonyms split across chunks", () => {
    const table = createPseudonymTable();
    const prompt = redact("Email Donald van der Voet now", detector.detect("Email Donald van der Voet now"), {
      style: "pseudonym",
      pseudonyms: table,
    }).text;
    assert.equal(prompt, "Email <PERSON_1> now");
    const restorer = createStreamingRestorer(table.restore, () => table.maxTokenLength);
    const answer =
      ["Sure, I wrote to <PER", "SON_1", "> and cc'd <", "b>."].map((c) => restorer.push(c)).join("") + restorer.end();
    assert.equal(answer, "Sure, I wrote to Donald van der Voet and cc'd <b>.");
  });
});

describe("streaming detection with PII and secrets combined", () => {
  it("gives the whole-text result for texts with secrets of every rule, any chunking (property)", async () => {
    const { combineDetectors, createSecretsDetector, loadSecretRules } = await import("./index.js");
    const rules = loadSecretRules();
    const samples = rules.rules.flatMap((r) => r.rule.examples?.match.slice(0, 1) ?? []);
    const both = combineDetectors([createPiiDetector(), createSecretsDetector({ rules })]);
    const text = fc
      .array(
        fc.oneof(
          fc.constantFrom(...samples),
          fc.constantFrom("call +1 (415) 555-2671", "iban DE89 3704 0044 0532 0130 00"),
          fc.string({ maxLength: 40 }),
        ),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join("\n"));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 30 }), (whole, cuts) => {
        const expected = both.detect(whole).map((d) => [d.start, d.end, d.entity]);
        const inc = createIncrementalDetector(both, { minScanChars: 32 });
        let released = "";
        const spans: [number, number, string][] = [];
        for (const segment of [...splitAt(whole, cuts).map((c) => inc.push(c)), inc.end()]) {
          if (!segment) continue;
          released += segment.text;
          for (const d of segment.detections) spans.push([d.start + segment.offset, d.end + segment.offset, d.entity]);
        }
        assert.equal(released, whole);
        assert.deepEqual(spans, expected);
      }),
      { numRuns: 150 },
    );
  });

  it("releases ordinary text with a few characters held back even though PEM keys may be 8 KB long", () => {
    const inc = createIncrementalDetector(both);
    let released = 0;
    for (let i = 0; i < 200; i++)
      released += inc.push("The quick brown fox jumps over the lazy dog. ")?.text.length ?? 0;
    assert.ok(inc.pending < 64, `held back ${inc.pending} characters`);
    assert.equal(released + inc.pending, 200 * 45);
  });
});

describe("streaming with a hold-back that follows pending matches", () => {
  runStreamProfileContract("pii and secrets combined", both, streamedTexts({ secrets: SECRETS }), 30);

  for (const [name, det, secrets] of [
    ["PII", detector, []],
    ["PII and secrets", both, SECRETS],
  ] as const) {
    it(`gives the whole-text spans, scores and reasons for a split at every position, ${name} (property)`, () => {
      fc.assert(
        fc.property(
          streamedTexts({ secrets, maxPieces: 10 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.constantFrom(1, 8, 32),
          (text, cuts, minScan) => {
            const whole = det.detect(text);
            for (let cut = 0; cut <= text.length; cut++) {
              const result = streamAll(det, [text.slice(0, cut), text.slice(cut)], 1);
              assert.equal(result.text, text);
              assert.deepEqual(result.detections, whole, `split at ${cut} of ${JSON.stringify(text)}`);
            }
            const chunked = streamAll(det, splitAt(text, cuts), minScan);
            assert.equal(chunked.text, text);
            assert.deepEqual(chunked.detections, whole, `chunks ${JSON.stringify(splitAt(text, cuts))}`);
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it("gives the whole-text result one character per chunk, PII and secrets", () => {
    const text = `Dear Donald van der Voet, your card 4111 1111 1111 1111 and IBAN GB82 WEST 1234 5698 7654 32 are on file; call +1 (415) 555-2671 or mail jane.doe@example.com.\n${SECRETS.join("\n")}\nThanks, Anna Schmidt`;
    assert.deepEqual(streamAll(both, [...text], 1).detections, both.detect(text));
  });

  it("streams prose with at most a few dozen characters held back", () => {
    const prose =
      "Sure. To rotate the keys, open the settings page, choose the project and click on the button labelled rotate. The old key keeps working for 24 hours, so you have time to update the services that use it; after that it is revoked. If something fails, check the logs first and then write to the support team. ".repeat(
        7,
      );
    const held = heldAfterEachChunk(both, chunksOf(prose, 4), 1);
    assert.ok(Math.max(...held) <= 40, `held up to ${Math.max(...held)} characters`);
    const gateway = heldAfterEachChunk(both, chunksOf(prose, 4), 32);
    assert.ok(Math.max(...gateway) <= 32 + 40, `held up to ${Math.max(...gateway)} characters with minScanChars 32`);
  });

  it("holds a PEM block from its BEGIN line and releases it whole once its END line has arrived", () => {
    const [pem] = secretSamples(["private-key"]) as [string];
    const before = "Here is the key you asked for:\n";
    const after = "\nKeep it somewhere safe and rotate it after use, please.\n";
    const inc = createIncrementalDetector(both, { minScanChars: 1 });
    let released = "";
    const found: string[] = [];
    for (const chunk of chunksOf(before + pem + after, 4)) {
      const segment = inc.push(chunk);
      released += segment?.text ?? "";
      found.push(...(segment?.detections.map((d) => d.entity) ?? []));
      const beginAt = released.indexOf("-----BEGIN");
      if (beginAt >= 0)
        assert.ok(released.includes("-----END"), "nothing from the BEGIN line on is released before the END line");
    }
    assert.ok(released.startsWith(before), "the text before the block is released without waiting for it");
    assert.ok(released.includes(pem) && found.includes("PRIVATE_KEY"), "the block is released whole, as a private key");
  });

  it("never releases a digit group of a card split across chunks before it is redacted", () => {
    const redactor = createStreamingRedactor(both, (t, d) => redact(t, d, { style: "placeholder" }).text, {
      minScanChars: 1,
    });
    const outputs = ["Pay with 4111 ", "1111 ", "1111 1111", " today, thanks."].map((c) => redactor.push(c));
    const out = outputs.join("") + redactor.end();
    assert.equal(out, "Pay with <CREDIT_CARD> today, thanks.");
    assert.ok(
      outputs.every((o) => !/\d/.test(o)),
      `released ${JSON.stringify(outputs)}`,
    );
  });

  it("redacts a name whose particles and context word arrive in separate chunks", () => {
    const chunks = ["Thanks, Donald van", " der", " Voet", ", I will write again."];
    const text = chunks.join("");
    assert.deepEqual(streamAll(detector, chunks, 1).detections, detector.detect(text));
    assert.ok(detector.detect(text).some((d) => d.entity === "PERSON"));
  });
});

/** A detector that reports fixed spans and holds from a fixed offset. */
function aFixedDetector(spans: { start: number; end: number; score: number }[], holdFrom: number): TextDetector {
  return {
    kind: "pii",
    maxSpanLength: 20,
    contextReach: 0,
    detect: () =>
      spans.map((s) => ({ ...s, entity: "X", detector: "pii" as const, ruleId: "fixed", reasons: [] as string[] })),
    stream: { holdBack: 100, lookback: 100, holdFrom: (text) => Math.min(holdFrom, text.length) },
  };
}

/** A chain of `count` spans, each overlapping the next, in text order, counting reads of their offsets. */
function chainOf(count: number, reads: { n: number }): Pick<Detection, "start" | "end">[] {
  return Array.from({ length: count }, (_, i) => ({
    get start() {
      reads.n++;
      return i * 10;
    },
    get end() {
      reads.n++;
      return i * 10 + 15;
    },
  }));
}

describe("moving a hold point past the spans crossing it", () => {
  it("follows a chain of overlapping spans to its start, or stops at the floor", () => {
    const reads = { n: 0 };
    assert.equal(holdBefore(chainOf(50, reads), 500), 0);
    assert.equal(holdBefore(chainOf(50, reads), 500, 245), 245);
    assert.equal(holdBefore(chainOf(50, reads), 100, 200), 100);
    assert.equal(
      holdBefore(
        [
          { start: 0, end: 10 },
          { start: 20, end: 30 },
        ],
        25,
      ),
      20,
    );
    assert.equal(
      holdBefore(
        [
          { start: 20, end: 30 },
          { start: 5, end: 22 },
          { start: 0, end: 4 },
        ],
        25,
      ),
      5,
    );
  });

  it("reads each span a bounded number of times however long the chain (work, not time)", () => {
    // A fixpoint over the list reads every span once per link of the chain: 64 times the reads
    // for 8 times the spans. One sweep by end reads each a few times (plus the sort's log factor).
    const readsFor = (count: number) => {
      const reads = { n: 0 };
      assert.equal(holdBefore(chainOf(count, reads), count * 10), 0);
      return reads.n;
    };
    const small = readsFor(400);
    const large = readsFor(3200);
    assert.ok(large <= 16 * small, `reads grew ${(large / small).toFixed(1)}x for 8x the spans (${small} -> ${large})`);
  });
});

describe("combined stream profile", () => {
  it("holds from before a span another detector's span displaces, since that one may yet be displaced", () => {
    // [2, 8) loses to [6, 14) when overlaps are resolved; [6, 14) is final for its detector, but a
    // span arriving after offset 10 may still displace it and so bring [2, 8) back.
    const combined = combineDetectors([
      aFixedDetector([{ start: 2, end: 8, score: 0.5 }], 100),
      aFixedDetector([{ start: 6, end: 14, score: 0.9 }], 10),
    ]);
    const text = "x".repeat(20);
    assert.deepEqual(
      combined.detect(text).map((d) => [d.start, d.end]),
      [[6, 14]],
    );
    assert.equal(combined.stream?.holdFrom(text), 2);
  });
});

describe("streaming names, places and organisations, names: fast and full", () => {
  const full = createPiiDetector({ names: "full" });
  const nameText = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          "I met John Smith from Acme Corp in Paris.",
          "Unlike the Takuda novel, the song by Sousa was loud!",
          "Dear Ms. Kristi Bragadóttir,",
          "\nKind regards,\nAnna Schmidt\n",
          "Mr. J. Wilson moved to Berlin? ",
          "Send it to Mayer-Watkins. ",
          "card 4111 1111 1111 1111",
          "Hi Danival, here's Gregorina's address:",
          "The Jones, Mitchell and Williams office",
          "our founders: Leehy, Perkins and Copeland",
          "Smith, Jones & Brown",
          "the University of Oslo and the Bank of the West",
          "The Department Of Better Technology",
          "the Czech Republic",
          "my name is janice beneventi.",
        ),
        fc.string({ maxLength: 10 }),
        fc.constantFrom(". ", "\n", " ", ", "),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.join(" "));

  for (const [name, det] of [
    ["fast", createPiiDetector({ names: "fast" })],
    ["full", full],
  ] as const) {
    it(`gives the whole-text spans, scores and reasons for any split and chunking, ${name} (property)`, () => {
      fc.assert(
        fc.property(
          nameText,
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.constantFrom(1, 8, 64),
          (text, cuts, minScan) => {
            const whole = det.detect(text);
            for (let cut = 0; cut <= text.length; cut += 7) {
              const result = streamAll(det, [text.slice(0, cut), text.slice(cut)], 1);
              assert.deepEqual(result.detections, whole, `split at ${cut} of ${JSON.stringify(text)}`);
            }
            const chunked = streamAll(det, splitAt(text, cuts), minScan);
            assert.equal(chunked.text, text);
            assert.deepEqual(chunked.detections, whole, `chunks ${JSON.stringify(splitAt(text, cuts))}`);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it("gives the whole-text result one character per chunk, with sentences longer than the NLP reads", () => {
    const long = `${"the quick brown fox jumps over the lazy dog and ".repeat(6)}then Sousa sang`;
    const text = `Unlike the Takuda novel, the song by Sousa was loud. ${long}. I met John Smith in Paris.\nRegards,\nAnna Schmidt`;
    const whole = full.detect(text);
    assert.ok(whole.some((d) => text.slice(d.start, d.end) === "Sousa"));
    assert.deepEqual(streamAll(full, [...text], 1).detections, whole);
  });
});
