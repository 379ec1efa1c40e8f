import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { combineDetectors } from "./combine.js";
import { createPiiDetector } from "./pii/detector.js";
import { redact } from "./redact.js";
import { toScanText } from "./scan-text.js";
import { createSecretsDetector } from "./secrets/detector.js";

const sensitive = combineDetectors([createPiiDetector(), createSecretsDetector()]);

/** Each detection as [entity, the original characters it covers]. */
function found(text: string): [string, string][] {
  return sensitive.detect(text).map((d) => [d.entity, text.slice(d.start, d.end)]);
}

/** The full-width form of printable ASCII (U+FF01..U+FF5E; the space becomes U+3000). */
function fullWidth(text: string): string {
  return text.replace(/[!-~ ]/g, (c) => (c === " " ? "\u3000" : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
}

const INVISIBLE = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD"];

describe("toScanText", () => {
  it("hands back ASCII and already normalised text as it is", () => {
    for (const text of ["plain ascii", "déjà vu 東京", ""]) {
      const scan = toScanText(text);
      assert.equal(scan.identity, true);
      assert.equal(scan.text, text);
    }
  });

  it("normalises full-width forms and ligatures and drops invisible characters", () => {
    assert.equal(toScanText("４１１１\u200B１１").text, "411111");
    assert.equal(toScanText("a\u00ADb\uFEFFc").text, "abc");
    assert.equal(toScanText("ﬁle").text, "file");
    assert.equal(toScanText("ｶﾞ").text, "ガ");
  });

  it("maps a ligature's two letters back to the one character", () => {
    const scan = toScanText("x ﬁle");
    assert.equal(scan.text, "x file");
    assert.equal(scan.toOriginalStart(2), 2);
    assert.equal(scan.toOriginalStart(3), 2);
    assert.equal(scan.toOriginalEnd(3), 3);
    assert.equal(scan.toOriginalEnd(4), 3);
    assert.equal(scan.toOriginalEnd(6), 5);
  });

  it("maps every character back into the original, in order, covering what produced it", () => {
    const unit = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom(...INVISIBLE, "４", "＠", "ﬁ", "ｶﾞ", "e\u0301", "ㄱㅏ", "①", "㎏", "\u{1D400}", "\uD800"),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        const scan = toScanText(text);
        const expected = text.replace(/\p{Default_Ignorable_Code_Point}/gu, "").normalize("NFKC");
        assert.equal(scan.text, expected);
        let previous = 0;
        for (let i = 0; i < scan.text.length; i++) {
          const start = scan.toOriginalStart(i);
          const end = scan.toOriginalEnd(i + 1);
          assert.ok(start >= previous, "starts never go back");
          assert.ok(0 <= start && start < end && end <= text.length, `${i}: [${start}, ${end})`);
          previous = start;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("PII and secrets through full-width and invisible characters", () => {
  it("finds a card written in full-width digits and points at the original characters", () => {
    const text = "card ４１１１ １１１１ １１１１ １１１１ please";
    assert.deepEqual(found(text), [["CREDIT_CARD", "４１１１ １１１１ １１１１ １１１１"]]);
    assert.equal(redact(text, sensitive.detect(text), { style: "placeholder" }).text, "card <CREDIT_CARD> please");
  });

  it("finds an IBAN with zero-width spaces between its groups", () => {
    const iban = "DE89\u200B3704\u200B0044\u200B0532\u200B0130\u200B00";
    assert.deepEqual(found(`pay ${iban} today`), [["IBAN_CODE", iban]]);
  });

  it("finds an e-mail address written with a full-width @", () => {
    assert.deepEqual(found("mail jane.doe＠example.com now"), [["EMAIL_ADDRESS", "jane.doe＠example.com"]]);
  });

  it("finds an AWS key with zero-width characters inside", () => {
    const key = "AKIA\u200BIOSFODNN7\u200DEXAMPLQ";
    assert.deepEqual(found(`aws_access_key_id = ${key}`), [["AWS_ACCESS_KEY_ID", key]]);
  });

  it("keeps offsets inside the text and leaves none of an entity's digits after redaction", () => {
    const entities = ["4111 1111 1111 1111", "5500 0000 0000 0004", "3782 822463 10005", "DE89 3704 0044 0532 0130 00"];
    /** One character of the entity, maybe full-width, maybe followed by an invisible character. */
    const disguise = (c: string) =>
      fc
        .tuple(fc.boolean(), fc.option(fc.constantFrom(...INVISIBLE), { nil: "" }))
        .map(([wide, after]) => (wide ? fullWidth(c) : c) + after);
    const disguised = fc
      .constantFrom(...entities)
      .chain((entity) => fc.tuple(...[...entity].map(disguise)).map((chars) => chars.join("")));
    // Surroundings without digits, so any digit left after redaction belongs to the entity.
    const noDigits = fc.string({ maxLength: 30 }).map((s) => s.replace(/\p{Nd}/gu, "x"));
    fc.assert(
      fc.property(noDigits, disguised, noDigits, (before, entity, after) => {
        const text = `${before} ${entity} ${after}`;
        const detections = sensitive.detect(text);
        for (const d of detections) assert.ok(0 <= d.start && d.start <= d.end && d.end <= text.length);
        const redacted = redact(text, detections, { style: "placeholder" }).text;
        assert.doesNotMatch(redacted, /\p{Nd}/u, `${JSON.stringify(text)} -> ${JSON.stringify(redacted)}`);
      }),
      { numRuns: 300 },
    );
  });
});
