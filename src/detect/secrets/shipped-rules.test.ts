/**
 * Every shipped rule: its own examples, the catalogue's shape, and behaviour on hostile inputs.
 * Shipped rules are trusted at load, so the hostile-input probe that user rules get at load runs here.
 */
import assert from "node:assert/strict";
import { basename } from "node:path";
import { describe, it } from "node:test";
import { createSecretsDetector } from "./detector.js";
import { loadSecretRules, MAX_MATCH_LENGTH } from "./load-rules.js";
import { hostileInputs, probeRegexTime } from "./regex-safety.js";

const set = loadSecretRules();
const AREAS = ["ai-providers", "chat", "cloud", "code-hosts", "generic", "keys", "payment", "registries"];

describe("shipped secret rules", () => {
  it("ships at least 60 rules across the documented areas", () => {
    assert.ok(set.rules.length >= 60, `only ${set.rules.length} rules`);
    const areas = new Set(set.rules.map((r) => basename(r.file, ".yaml")));
    assert.deepEqual([...areas].sort(), AREAS);
  });

  it("puts AI providers first", () => {
    assert.equal(basename(set.rules[0]?.file ?? "", ".yaml"), "ai-providers");
  });

  it("has bounded patterns and lowercase keywords for every rule", () => {
    for (const { rule, maxMatchLength } of set.rules) {
      assert.ok(maxMatchLength <= MAX_MATCH_LENGTH, rule.id);
      for (const keyword of rule.keywords) assert.equal(keyword, keyword.toLowerCase(), rule.id);
    }
  });

  for (const compiled of set.rules) {
    const { rule } = compiled;
    describe(rule.id, () => {
      const detector = createSecretsDetector({ rules: { rules: [compiled] } });
      it("has at least one example to report and one near miss", () => {
        assert.ok((rule.examples?.match.length ?? 0) > 0);
        assert.ok((rule.examples?.noMatch.length ?? 0) > 0);
      });
      for (const example of rule.examples?.match ?? []) {
        it(`reports ${JSON.stringify(example.slice(0, 60))}`, () => {
          const found = detector.detect(example).filter((d) => d.ruleId === rule.id);
          assert.ok(found.length > 0, "not reported");
          for (const d of found) {
            assert.equal(d.entity, rule.entity);
            assert.ok(d.end - d.start <= detector.maxSpanLength);
          }
        });
      }
      for (const example of rule.examples?.noMatch ?? []) {
        it(`does not report ${JSON.stringify(example.slice(0, 60))}`, () => {
          assert.deepEqual(
            detector.detect(example).filter((d) => d.ruleId === rule.id),
            [],
          );
        });
      }
      it("stays fast on hostile input", () => {
        const elapsed = probeRegexTime(compiled.regex, Math.min(2 * compiled.maxMatchLength + 160, 20_000));
        assert.ok(elapsed < 250, `${elapsed.toFixed(1)} ms`);
      });
    });
  }
});

describe("the shipped detector on hostile inputs", () => {
  const detector = createSecretsDetector();
  for (const input of hostileInputs(100_000)) {
    it(`finishes quickly on 100 KB of ${JSON.stringify(input.slice(0, 12))}…`, () => {
      const started = performance.now();
      detector.detect(input);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 2000, `${elapsed.toFixed(0)} ms`);
    });
  }
});
