/**
 * The keyword windows must not change what a rule finds: for every shipped rule, the detector
 * (prefilter + windows) reports exactly what the rule's pattern finds when run over the whole
 * text with the same value gates.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createSecretsDetector } from "./detector.js";
import { type CompiledSecretRule, loadSecretRules } from "./load-rules.js";
import { findStopword, isPlaceholder, shannonEntropy } from "./value-gates.js";

/** Reference: the whole text, one global regex scan, the same gates. */
function wholeTextScan(compiled: CompiledSecretRule, text: string): string[] {
  const { rule, valueGroup } = compiled;
  const regex = new RegExp(compiled.regex.source, compiled.regex.flags);
  const found: string[] = [];
  for (const m of text.matchAll(regex)) {
    const value = valueGroup === "secret" ? m.groups?.secret : m[valueGroup];
    const at = valueGroup === "secret" ? m.indices?.groups?.secret : m.indices?.[valueGroup];
    if (!value || !at) continue;
    if (isPlaceholder(value) || findStopword(value, compiled.stopwords) !== undefined) continue;
    if (compiled.allowPatterns.some((p) => p.test(value))) continue;
    if (rule.minEntropy !== undefined && shannonEntropy(value) < rule.minEntropy) continue;
    found.push(`${at[0]}-${at[1]}`);
  }
  return found;
}

describe("keyword windows", () => {
  const rules = loadSecretRules().rules;
  const fragments = [
    ...rules.flatMap((r) => [...(r.rule.examples?.match ?? []), ...(r.rule.examples?.noMatch ?? [])]),
    ...rules.flatMap((r) => r.rule.keywords),
    " ",
    "\n",
    "=",
    '"',
    "x".repeat(70),
    "lorem ipsum dolor sit amet ",
  ];
  const texts = fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((parts) => parts.join(""));

  for (const compiled of rules) {
    it(`finds with ${compiled.rule.id} what a whole-text scan finds`, () => {
      const detector = createSecretsDetector({ rules: { rules: [compiled] } });
      fc.assert(
        fc.property(texts, (text) => {
          const windowed = detector.detect(text).map((d) => `${d.start}-${d.end}`);
          assert.deepEqual(windowed, wholeTextScan(compiled, text));
        }),
        { numRuns: 40 },
      );
    });
  }
});
