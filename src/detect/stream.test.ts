import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createPiiDetector } from "./pii/detector.js";
import { createPseudonymTable, redact } from "./redact.js";
import { createIncrementalDetector, createStreamingRedactor, createStreamingRestorer } from "./stream.js";

const detector = createPiiDetector();

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

  it("releases ordinary text after a bounded hold-back even though PEM keys may be 8 KB long", async () => {
    const { combineDetectors, createSecretsDetector } = await import("./index.js");
    const both = combineDetectors([createPiiDetector(), createSecretsDetector()]);
    const inc = createIncrementalDetector(both);
    let released = 0;
    for (let i = 0; i < 200; i++)
      released += inc.push("The quick brown fox jumps over the lazy dog. ")?.text.length ?? 0;
    assert.ok(inc.pending < 2500, `held back ${inc.pending} characters`);
    assert.equal(released + inc.pending, 200 * 45);
  });
});
