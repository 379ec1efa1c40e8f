import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadSecretRules } from "./load-rules.js";
import { lazyDelimiters, leadingLiterals, parsePattern, readExtent, toReachEnd, toSource } from "./pattern-reach.js";

const rules = loadSecretRules().rules;
const flagsOf = (flags: string) => flags.replace(/[dgy]/g, "");

/** Where a sticky attempt at `at` ends, or -1. */
function attempt(regex: RegExp, text: string, at: number): number {
  regex.lastIndex = at;
  const m = regex.exec(text);
  return m ? at + m[0].length : -1;
}

describe("pattern reach", () => {
  it("parses every shipped rule and regenerates a pattern with the same matches", () => {
    for (const { rule, regex } of rules) {
      const again = new RegExp(toSource(parsePattern(regex.source)), `${flagsOf(regex.flags)}g`);
      const original = new RegExp(regex.source, `${flagsOf(regex.flags)}g`);
      for (const text of [...(rule.examples?.match ?? []), ...(rule.examples?.noMatch ?? [])]) {
        const spans = (re: RegExp) => [...text.matchAll(re)].map((m) => `${m.index}+${m[0].length}`);
        assert.deepEqual(spans(again), spans(original), rule.id);
      }
    }
  });

  it("marks every attempt whose outcome more text could still change (property)", () => {
    const withExamples = rules.filter((r) => (r.rule.examples?.match.length ?? 0) > 0);
    const noise = fc.string({ unit: fc.constantFrom(..."aZ09 -_.=:/+\n'\"@"), maxLength: 12 });
    fc.assert(
      fc.property(
        fc.constantFrom(...withExamples),
        noise,
        fc.oneof(fc.nat(), fc.constant(-1)),
        noise,
        fc.boolean(),
        (compiled, before, cutSeed, after, keepRest) => {
          const example = compiled.rule.examples?.match[0] as string;
          // -1: the head ends exactly where the example does, so only lookahead sees the rest.
          const cut = cutSeed < 0 ? example.length : cutSeed % (example.length + 1);
          const head = before + example.slice(0, cut);
          const whole = head + (keepRest ? example.slice(cut) : "") + after;
          const flags = flagsOf(compiled.regex.flags);
          const regex = new RegExp(compiled.regex.source, `${flags}y`);
          const source = toReachEnd(parsePattern(compiled.regex.source));
          const reaches = source === undefined ? undefined : new RegExp(source, `${flags}y`);
          for (let at = 0; at <= head.length; at++) {
            if (reaches && attempt(reaches, head, at) >= 0) continue;
            assert.equal(attempt(regex, head, at), attempt(regex, whole, at), `${compiled.rule.id} at ${at}`);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads the literal start of a rule and the length of its reach", () => {
    assert.deepEqual(leadingLiterals(parsePattern("(?<![a-z])(?:sk-proj-|sk-svc)[a-z]{4}"), false), [
      "sk-proj-",
      "sk-svc",
    ]);
    assert.deepEqual(leadingLiterals(parsePattern("(?:jdbc:)?postgres://"), false), [
      "postgres://",
      "jdbc:postgres://",
    ]);
    assert.equal(leadingLiterals(parsePattern("[a-z]{32}-us"), false), undefined);
    assert.equal(readExtent(parsePattern("ab[0-9]{1,5}(?![a-z]{2})")), 9);
  });

  it("splits a PEM rule at its lazy body, with short reaches on both sides", () => {
    const pem = rules.find((r) => r.rule.id === "private-key");
    const split = pem && lazyDelimiters(parsePattern(pem.regex.source));
    assert.ok(split);
    assert.ok(split.prefixReach < 100 && split.suffixReach < 100, JSON.stringify(split));
  });
});
