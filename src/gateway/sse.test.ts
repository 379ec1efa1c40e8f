import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createNdjsonSplitter, createSseParser, formatSse } from "./sse.js";

function parseAll(chunks: readonly string[]) {
  const parser = createSseParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

describe("SSE parser", () => {
  it("handles CRLF, CR and LF line ends, comments, multi-line data and event names", () => {
    const events = parseAll([
      ": keep-alive\r\n",
      'data: {"a":1}\r\n\r\n',
      "event: error\rdata: x\rdata: y\r\r",
      "data:no-space\n\n",
    ]);
    assert.deepEqual(events, [
      { event: "message", data: '{"a":1}' },
      { event: "error", data: "x\ny" },
      { event: "message", data: "no-space" },
    ]);
  });

  it("yields the same events for any chunking, including a CRLF split in two (property)", () => {
    const payloads = fc.array(
      fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, " ")),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(
        payloads,
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.nat(), { maxLength: 10 }),
        (datas, eol, cuts) => {
          const wire = datas.map((d) => `data: ${d}${eol}${eol}`).join("");
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let last = 0;
          for (const p of points) {
            chunks.push(wire.slice(last, p));
            last = p;
          }
          chunks.push(wire.slice(last));
          assert.deepEqual(
            parseAll(chunks).map((e) => e.data),
            datas,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("round-trips what formatSse writes", () => {
    assert.deepEqual(parseAll([formatSse("line1\nline2", "content_filter")]), [
      { event: "content_filter", data: "line1\nline2" },
    ]);
  });

  it("refuses an endless event instead of buffering it", () => {
    const parser = createSseParser();
    assert.throws(() => {
      for (let i = 0; i < 20; i++) parser.push(`data: ${"x".repeat(1024 * 1024)}\n`);
    }, /larger than/);
  });

  it("splits NDJSON lines across chunks", () => {
    const s = createNdjsonSplitter();
    assert.deepEqual(
      [...s.push('{"a":'), ...s.push('1}\n{"b"'), ...s.push(":2}\n\n"), ...s.end()],
      ['{"a":1}', '{"b":2}'],
    );
  });
});
