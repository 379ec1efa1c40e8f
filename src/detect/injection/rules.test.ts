import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPalisadeError } from "../../core/index.js";
import { boundQuantifiers, nestedQuantifierReason } from "../pattern-safety.js";
import { loadInjectionRules } from "./load.js";
import { compileInjectionRules, leadingLiterals, matchInjectionRules, parseInjectionRulePack } from "./rules.js";

describe("injection rule pack", () => {
  const rules = loadInjectionRules();

  it("loads the shipped pack with unique ids in every required language", () => {
    assert.ok(rules.length >= 50);
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
    const langs = new Set(rules.map((r) => r.lang));
    for (const lang of ["en", "de", "fr", "es", "zh"]) assert.ok(langs.has(lang), lang);
  });

  it("refuses patterns with exponential backtracking shapes and back-references", () => {
    assert.ok(nestedQuantifierReason("(a+)+b"));
    assert.ok(nestedQuantifierReason("(\\w*)*x"));
    assert.ok(nestedQuantifierReason("(a)\\1"));
    assert.equal(nestedQuantifierReason("\\b(ignore|forget)\\b.{0,40}(rules)"), undefined);
    assert.equal(nestedQuantifierReason("(\\w+ ){0,3}x"), undefined);
  });

  it("reports a bad user rule with file and path", () => {
    const pack = parseInjectionRulePack(
      "category: mine\nrules:\n  - id: bad\n    lang: en\n    weight: 0.5\n    description: x\n    patterns: ['(a+)+']\n",
      "mine.yaml",
    );
    assert.throws(
      () => compileInjectionRules([{ pack, file: "mine.yaml" }]),
      (e: unknown) => isPalisadeError(e) && e.code === "bad-config" && e.message.includes("rules.0.patterns.0"),
    );
    assert.throws(
      () => parseInjectionRulePack("category: mine\nrules:\n  - id: x\n    lang: en\n    wieght: 1\n", "typo.yaml"),
      (e: unknown) => isPalisadeError(e) && e.code === "bad-config",
    );
  });

  it("compiles every pattern with bounded repeats, so a try at one position never runs to the end of the text", () => {
    for (const rule of rules) {
      for (const pattern of rule.patterns) assert.equal(boundQuantifiers(pattern.source, 1), pattern.source, rule.id);
    }
  });

  it("still finds a delimiter after a run of dashes longer than the repeat bound", () => {
    // Bounded, `(---)[=*#-]{0,64}\\s?end` matches from a dash near the end of the run.
    const detect = (text: string) => matchInjectionRules(rules, text, "user").map((m) => m.rule.id);
    assert.deepEqual(detect(`${"-".repeat(20_000)} end of story`), detect("--- end of story"));
    assert.deepEqual(detect("=".repeat(20_000)), []);
  });

  it("derives sound literal prefilters from leading alternations", () => {
    assert.deepEqual(leadingLiterals("\\b(ignore|forget)\\b.{0,9}x"), ["ignore", "forget"]);
    assert.deepEqual(leadingLiterals("tokens?\\b"), ["token"]);
    assert.deepEqual(leadingLiterals("(a|bc)x"), ["a", "bc"]);
    assert.deepEqual(leadingLiterals("(the |all )?(above|prior) x"), ["the ", "all ", "above", "prior"]);
    assert.deepEqual(leadingLiterals("<(system|/system)>"), ["<system", "</system"]);
    assert.equal(leadingLiterals("\\d+ tokens"), undefined);
    assert.deepEqual(leadingLiterals("<\\|(im_start|im_end)\\|>"), ["<|im_start", "<|im_end"]);
  });
});
