import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineCustomRecognizer } from "./custom.js";
import { createPiiDetector } from "./detector.js";

describe("custom recognisers from the policy", () => {
  it("finds an internal account number with context, and applies validators", () => {
    const detector = createPiiDetector({
      extra: [
        defineCustomRecognizer({
          id: "acc",
          entity: "INTERNAL_ACCOUNT",
          pattern: "ACC-[0-9]{8}",
          validator: "none",
          context: ["account"],
          score: 0.6,
        }),
        defineCustomRecognizer({
          id: "card",
          entity: "LOYALTY_CARD",
          pattern: "LC[0-9]{16}",
          validator: "luhn",
          context: [],
          score: 0.7,
        }),
      ],
    });
    const text = "customer account ACC-12345678, loyalty LC4111111111111111 and LC4111111111111112";
    assert.deepEqual(
      detector.detect(text).map((d) => [d.entity, text.slice(d.start, d.end)]),
      [
        ["INTERNAL_ACCOUNT", "ACC-12345678"],
        ["LOYALTY_CARD", "LC4111111111111111"],
      ],
    );
    assert.deepEqual(
      detector.detect("ref ACC-12345678").map((d) => d.score),
      [],
      "without context it stays under the threshold",
    );
  });
});
