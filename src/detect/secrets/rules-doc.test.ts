import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadSecretRules } from "./load-rules.js";
import { formatSecretRulesMarkdown, RULES_DOC_END, RULES_DOC_START } from "./rules-doc.js";

const DOC = fileURLToPath(new URL("../../../docs/detectors-secrets.md", import.meta.url));

describe("docs/detectors-secrets.md", () => {
  it("lists exactly the shipped rules (set UPDATE_DOCS=1 to regenerate)", () => {
    const doc = readFileSync(DOC, "utf8");
    const start = doc.indexOf(RULES_DOC_START);
    const end = doc.indexOf(RULES_DOC_END);
    assert.ok(start >= 0 && end > start, "markers missing");
    const expected = `${RULES_DOC_START}\n${formatSecretRulesMarkdown(loadSecretRules())}\n${RULES_DOC_END}`;
    const actual = doc.slice(start, end + RULES_DOC_END.length);
    if (actual !== expected && process.env.UPDATE_DOCS === "1") {
      writeFileSync(DOC, doc.slice(0, start) + expected + doc.slice(end + RULES_DOC_END.length));
      return;
    }
    assert.equal(actual, expected);
  });
});
