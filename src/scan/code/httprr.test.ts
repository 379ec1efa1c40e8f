import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readHttprr } from "./httprr.js";

const request = 'POST https://api.example.test/v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n{"model":"m-1"}';
const response = 'HTTP/1.1 200 OK\r\n\r\n{"model":"m-1-2025"}';
const TRACE = `httprr trace v1\n${Buffer.byteLength(request)} ${Buffer.byteLength(response)}\n${request}${response}`;

describe("readHttprr on corrupted and arbitrary traces", () => {
  it("reads the intact trace", () => {
    assert.deepEqual(
      readHttprr(TRACE).map((p) => p.kind),
      ["url", "json", "json"],
    );
  });

  it("never throws on a trace with bytes replaced, cut or appended, and reports lines inside the text", () => {
    fc.assert(
      fc.property(fc.nat(TRACE.length - 1), fc.string({ maxLength: 12 }), fc.nat(TRACE.length), (at, junk, cut) => {
        const text = `${TRACE.slice(0, at)}${junk}${TRACE.slice(at + junk.length)}`.slice(0, Math.max(cut, 16));
        const lines = text.split("\n").length;
        for (const part of readHttprr(text)) assert.ok(part.line >= 1 && part.line <= lines, `line ${part.line}`);
      }),
      { numRuns: 1000 },
    );
  });

  it("stops at lengths that point past the end, are negative or are not numbers", () => {
    for (const header of ["99999999 1", "-5 3", "x y", "1e9 2", ""]) {
      assert.doesNotThrow(() => readHttprr(`httprr trace v1\n${header}\n${request}`));
    }
  });
});
