import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { describeJsonSyntaxError, findJsonSyntaxError } from "./json-syntax.js";

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** V8's position when its message has one (`... in JSON at position 7`). */
const v8Position = (text: string): number | undefined => {
  try {
    JSON.parse(text);
  } catch (error) {
    const m = /at position (\d+)/.exec((error as Error).message);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
};

/** Valid JSON with one character inserted, deleted or replaced: mostly invalid, near-valid. */
const brokenJson = fc
  .tuple(
    fc.json(),
    fc.nat(),
    fc.constantFrom("insert", "delete", "replace"),
    fc.constantFrom(...'{}[]:,"\\ -0e.1tfnx\n'),
  )
  .map(([text, at, op, c]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (op === "insert") return text.slice(0, i) + c + text.slice(i);
    if (op === "delete") return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + c + text.slice(i + 1);
  });

const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]:,"\\ \t\n-+0123456789.eEtrufalsn\u0001x') });

const PROBLEMS = new Set([
  "unexpected end of input",
  "unexpected data after the JSON value",
  "expected ':' after a property name",
  "expected ',' or '}'",
  "expected ',' or ']'",
  "expected a property name in double quotes",
  "unexpected character",
  "invalid number",
  "invalid escape in a string",
  "invalid \\u escape in a string",
  "control character in a string",
  "unterminated string",
]);

describe("findJsonSyntaxError", () => {
  it("agrees with JSON.parse on what is JSON, for near-valid and arbitrary texts", () => {
    fc.assert(
      fc.property(fc.oneof(brokenJson, jsonish, fc.json()), (text) => {
        assert.equal(findJsonSyntaxError(text) === undefined, parses(text), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the position V8 reports, when V8 reports one", () => {
    fc.assert(
      fc.property(fc.oneof(brokenJson, jsonish), (text) => {
        const expected = v8Position(text);
        if (expected === undefined) return;
        assert.equal(findJsonSyntaxError(text)?.position, expected, JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("describes every error with a fixed phrase and numbers, never with the text", () => {
    fc.assert(
      fc.property(fc.oneof(brokenJson, jsonish), (text) => {
        const error = findJsonSyntaxError(text);
        if (!error) return;
        assert.ok(PROBLEMS.has(error.problem), error.problem);
        assert.ok(error.position >= 0 && error.position <= text.length);
        assert.match(describeJsonSyntaxError(text), /^.+ at line \d+, column \d+ \(position \d+\)$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("reports line and column of a break on a later line", () => {
    assert.deepEqual(findJsonSyntaxError('{\n  "a": 1,\n  card: 4111}'), {
      position: 14,
      line: 3,
      column: 3,
      problem: "expected a property name in double quotes",
    });
  });

  it("handles a million nested brackets without recursion", () => {
    const deep = "[".repeat(1_000_000);
    assert.equal(findJsonSyntaxError(deep)?.problem, "unexpected end of input");
    assert.equal(findJsonSyntaxError(`${deep}${"]".repeat(1_000_000)}`), undefined);
  });
});
