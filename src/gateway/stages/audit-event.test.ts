import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Detection } from "../../detect/index.js";
import { createGatewayDetectors } from "../detectors.js";
import { type AuditInput, auditEvent, joinedStart } from "./audit-event.js";

const detectors = createGatewayDetectors();

function input(parts: string[], extra: Partial<AuditInput> = {}): AuditInput {
  return {
    requestId: "req-1",
    clientRequestId: undefined,
    traceparent: undefined,
    identity: undefined,
    status: 200,
    record: {},
    verdicts: [],
    usage: undefined,
    latencyMs: 1,
    promptParts: parts,
    promptHmac: "0".repeat(64),
    answerText: "",
    prompts: "redacted",
    detectors,
    ...extra,
  };
}

const excerptOf = (a: AuditInput) => (auditEvent(a).payload as { promptExcerpt?: string }).promptExcerpt;

const FRAGMENTS = [
  "Please summarise the attached notes. ",
  "My card is 4111 1111 1111 1111 and ",
  "mail me at jane.doe@example.com. ",
  "aws key AKIAIOSFODNN7EXAMPLQ here ",
  "The meeting moved to Thursday. ",
  "IBAN GB82 WEST 1234 5698 7654 32 ",
  "x".repeat(300),
  "\n",
];

describe("audit excerpts", () => {
  it("redact a text the guards scanned with what they found, as a fresh scan would", () => {
    const part = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }).map((a) => a.join(""));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const found = new Map(parts.map((p) => [p, detectors.sensitive.detect(p)]));
        assert.equal(excerptOf(input(parts, { known: (t) => found.get(t) })), excerptOf(input(parts)));
      }),
      { numRuns: 60 },
    );
  });

  it("use the guards' findings instead of scanning again", () => {
    // A span no detector would find: it is redacted only if the guards' findings are used.
    const text = "codename bluebird launches Monday";
    const planted: Detection = {
      entity: "CODENAME",
      start: 9,
      end: 17,
      score: 1,
      detector: "pii",
      ruleId: "test",
      reasons: [],
    };
    assert.equal(
      excerptOf(input([text], { known: (t) => (t === text ? [planted] : undefined) })),
      "codename <CODENAME> launches Monday",
    );
    assert.equal(excerptOf(input([text])), text);
  });

  it("scan a text nobody scanned over its start only, and never leave a key block it could not see whole", () => {
    const filler = "word ".repeat(100);
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${"A".repeat(4000)}\n-----END RSA PRIVATE KEY-----`;
    const excerpt = excerptOf(input([`${filler.slice(0, 450)}${key}`])) ?? "";
    assert.ok(!excerpt.includes("BEGIN"), excerpt);
    assert.ok(excerpt.length <= 500);
  });

  it("join texts with newlines and cut the raw excerpt at 500 characters", () => {
    assert.equal(joinedStart(["ab", "cd"], 10), "ab\ncd");
    assert.equal(joinedStart(["a".repeat(600), "b"], 500), "a".repeat(500));
    assert.equal(excerptOf(input(["x".repeat(400), "y".repeat(400)], { prompts: "raw" }))?.length, 500);
  });
});
