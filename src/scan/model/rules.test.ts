import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { MODEL_RULE_IDS, MODEL_RULES } from "./index.js";

describe("model rule registry", () => {
  it("is documented row by row in docs/model-scan.md", () => {
    const doc = readFileSync(new URL("../../../docs/model-scan.md", import.meta.url), "utf8");
    const missing = MODEL_RULE_IDS.filter((id) => {
      const r = MODEL_RULES[id];
      return !doc.includes(`| \`${id}\` | ${r.effect} | ${r.severity} |`);
    });
    assert.deepEqual(missing, []);
  });

  it("tags every rule that can make a file malicious with an ATLAS technique", () => {
    const atlas = (id: (typeof MODEL_RULE_IDS)[number]): readonly string[] => MODEL_RULES[id].atlas;
    const untagged = MODEL_RULE_IDS.filter((id) => MODEL_RULES[id].effect === "malicious" && atlas(id).length === 0);
    assert.deepEqual(untagged, []);
  });
});
