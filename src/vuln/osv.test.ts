/** The OSV schema at the edge: valid documents pass through, hostile ones fail clearly. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValidationError } from "../core/index.js";
import { OSV_LIMITS, parseOsvAdvisory } from "./osv.js";
import { nestingDepth, parseOsvText } from "./osv-text.js";

function anAdvisory(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "GHSA-test-0001",
    modified: "2024-01-01T00:00:00Z",
    affected: [
      {
        package: { ecosystem: "npm", name: "demo" },
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.2.3" }] }],
      },
    ],
    ...fields,
  };
}

/** Runs `parse` and returns the ValidationError it must throw. */
function rejection(parse: () => unknown): ValidationError {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the document to be refused");
}

function assertRefused(content: string | Uint8Array, file: string): ValidationError {
  const error = rejection(() => parseOsvText(content, file));
  assert.equal(error.code, "bad-input");
  assert.equal(error.file, file);
  assert.ok(error.message.startsWith(file), error.message);
  return error;
}

describe("OSV schema", () => {
  it("reads a JSON advisory and keeps fields it does not know", () => {
    const advisory = parseOsvText(JSON.stringify(anAdvisory({ x_vendor: { note: "kept" } })), "a.json");
    assert.equal(advisory.id, "GHSA-test-0001");
    assert.deepEqual((advisory as Record<string, unknown>).x_vendor, { note: "kept" });
  });

  it("reads YAML with every scalar as a string, so 1.10 stays the version 1.10", () => {
    const yaml = [
      "id: PYSEC-0000-1",
      "modified: 2024-01-01T00:00:00Z",
      "affected:",
      "- package: {ecosystem: PyPI, name: demo}",
      "  ranges:",
      "  - type: ECOSYSTEM",
      "    events:",
      "    - introduced: 0",
      "    - fixed: 1.10",
      "  versions: [1.0, 1.9]",
    ].join("\n");
    const advisory = parseOsvText(yaml, "PYSEC-0000-1.yaml");
    assert.deepEqual(advisory.affected?.[0]?.ranges?.[0]?.events, [{ introduced: "0" }, { fixed: "1.10" }]);
    assert.deepEqual(advisory.affected?.[0]?.versions, ["1.0", "1.9"]);
  });

  it("strips a byte-order mark", () => {
    assert.equal(parseOsvText(`\ufeff${JSON.stringify(anAdvisory())}`, "bom.json").id, "GHSA-test-0001");
  });

  it("refuses an event with two bounds, an unknown range type and a bad timestamp, naming the path", () => {
    const twoBounds = anAdvisory({
      affected: [{ ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0", fixed: "1" }] }] }],
    });
    assert.equal(
      rejection(() => parseOsvAdvisory(twoBounds, "x.json")).issues[0]?.path,
      "affected.0.ranges.0.events.0",
    );
    const gitlab = anAdvisory({ affected: [{ ranges: [{ type: "CARGO", events: [{ introduced: "0" }] }] }] });
    assert.equal(rejection(() => parseOsvAdvisory(gitlab, "x.json")).issues[0]?.path, "affected.0.ranges.0.type");
    assert.equal(
      rejection(() => parseOsvAdvisory(anAdvisory({ modified: "yesterday" }), "x.json")).issues[0]?.path,
      "modified",
    );
  });

  it("refuses documents that are not advisories", () => {
    for (const text of ["[]", "null", "42", '"id"', "{}", JSON.stringify({ id: "X" })]) assertRefused(text, "not.json");
  });
});

describe("hostile OSV files", () => {
  it("refuses corrupt JSON with the file name", () => {
    assertRefused('{"id": "GHSA-x", "modified": ', "GHSA-x.json");
    assertRefused(new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0x80]), "binary.json");
  });

  it("refuses corrupt YAML with the file name and line", () => {
    const error = assertRefused("id: PYSEC-1\nmodified: [unclosed\n  - x: : :\n", "PYSEC-1.yaml");
    assert.ok(error.issues[0]?.line !== undefined);
    assertRefused("id: a\nid: b\nmodified: 2024-01-01T00:00:00Z\n", "dup.yaml");
  });

  it("refuses a YAML alias bomb", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(
        `${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    assertRefused(lines.join("\n"), "bomb.yaml");
  });

  it("refuses deep nesting in JSON and YAML without overflowing the stack", () => {
    const deep = 200_000;
    assertRefused(
      `{"id":"X","modified":"2024-01-01T00:00:00Z","x":${"[".repeat(deep)}${"]".repeat(deep)}}`,
      "deep.json",
    );
    assertRefused(`id: X\nx: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`, "deep.yaml");
    const justOver = `{"id":"X","modified":"2024-01-01T00:00:00Z","x":${"[".repeat(OSV_LIMITS.maxDepth)}${"]".repeat(OSV_LIMITS.maxDepth)}}`;
    assertRefused(justOver, "over.json");
  });

  it("accepts a range of exactly 10,000 events and refuses one more", () => {
    const events = (n: number) => [
      { introduced: "0" },
      ...Array.from({ length: n - 1 }, (_, i) => ({ fixed: `1.0.${i}` })),
    ];
    const ok = anAdvisory({ affected: [{ ranges: [{ type: "SEMVER", events: events(10_000) }] }] });
    assert.equal(parseOsvText(JSON.stringify(ok), "ok.json").affected?.[0]?.ranges?.[0]?.events.length, 10_000);
    const tooMany = anAdvisory({ affected: [{ ranges: [{ type: "SEMVER", events: events(10_001) }] }] });
    const error = assertRefused(JSON.stringify(tooMany), "many.json");
    assert.equal(error.issues[0]?.path, "affected.0.ranges.0.events");
  });

  it("refuses more than 100,000 events over the whole advisory", () => {
    const range = { type: "SEMVER", events: Array.from({ length: 10_000 }, () => ({ introduced: "0" })) };
    const affected = Array.from({ length: 11 }, () => ({ ranges: [range] }));
    assert.equal(
      assertRefused(JSON.stringify(anAdvisory({ affected })), "many-ranges.json").issues[0]?.path,
      "affected",
    );
  });

  it("refuses more than 10,000 affected entries", () => {
    const affected = Array.from({ length: 10_001 }, () => ({ package: { ecosystem: "npm", name: "x" } }));
    assert.equal(assertRefused(JSON.stringify(anAdvisory({ affected })), "wide.json").issues[0]?.path, "affected");
  });

  it("refuses a file over 10 MB before parsing it", () => {
    const big = JSON.stringify(anAdvisory({ details: "x".repeat(OSV_LIMITS.maxFileBytes) }));
    assertRefused(big, "big.json");
  });

  it("refuses a file that is neither JSON nor YAML by name", () => {
    assertRefused(JSON.stringify(anAdvisory()), "advisory.txt");
  });

  it("does not let a __proto__ key reach Object.prototype", () => {
    const text = `{"id":"X","modified":"2024-01-01T00:00:00Z","__proto__":{"polluted":true},"database_specific":{"__proto__":{"polluted":true}}}`;
    parseOsvText(text, "proto.json");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("either parses or throws a ValidationError naming the file, for any input", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 200 })),
        fc.constantFrom("f.json", "f.yaml"),
        (input, file) => {
          try {
            parseOsvText(input, file);
          } catch (error) {
            return error instanceof ValidationError && error.file === file;
          }
          return true;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("measures nesting without recursion", () => {
    let value: unknown = [];
    for (let i = 0; i < 100_000; i++) value = [value];
    assert.equal(nestingDepth(value, 64), 65);
    assert.equal(nestingDepth({ a: [{ b: 1 }] }, 64), 3);
  });
});
