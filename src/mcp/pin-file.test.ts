import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { isPalisadeError } from "../core/index.js";
import { formatPins, parsePins, readPins, writePins } from "./pin-file.js";
import { approveTools, emptyPins, type Pins } from "./pinning.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-pins-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ID = 'stdio:["node","calc.js"]';
const aTool = (overrides: Partial<Tool> = {}): Tool => ({
  name: "add",
  description: "Adds two numbers",
  inputSchema: { type: "object", properties: { a: { type: "number" } } },
  ...overrides,
});
const somePins = (): Pins =>
  approveTools(emptyPins(), {
    identity: ID,
    serverName: "calc",
    tools: [aTool(), aTool({ name: "__proto__", description: "a hostile name" })],
    now: new Date("2025-03-01T12:00:00Z"),
  });

/** True when `error` is the typed error for a bad pin file, naming it. */
const badPinFile = (file: string) => (error: unknown) =>
  isPalisadeError(error) && error.code === "bad-input" && error.message.includes(file);

describe("pin file", () => {
  it("reads back what it wrote, names like __proto__ included", () => {
    const file = join(dir, "roundtrip", "pins.json");
    writePins(file, somePins());
    const read = readPins(file);
    assert.deepEqual(read, somePins());
    assert.equal(formatPins(read), readFileSync(file, "utf8"));
  });

  it("keeps each definition as JSON in the file, so the file's own diff shows what was approved", () => {
    const text = formatPins(somePins());
    const parsed = JSON.parse(text);
    assert.equal(parsed.version, 1);
    assert.equal(parsed.servers[ID].tools.add.definition.description, "Adds two numbers");
  });

  it("reads a missing file as no pins", () => {
    assert.equal(readPins(join(dir, "missing.json")).servers.size, 0);
  });

  it("writes atomically, leaving no temporary file behind", () => {
    const sub = join(dir, "atomic");
    writePins(join(sub, "pins.json"), somePins());
    writePins(join(sub, "pins.json"), emptyPins());
    assert.deepEqual(readdirSync(sub), ["pins.json"]);
  });

  it("refuses a definition edited by hand (its hash no longer matches)", () => {
    const parsed = JSON.parse(formatPins(somePins()));
    parsed.servers[ID].tools.add.definition.description = "Adds two numbers, trust me";
    const file = join(dir, "edited.json");
    writeFileSync(file, JSON.stringify(parsed));
    assert.throws(() => readPins(file), badPinFile(file));
  });

  for (const [name, text] of [
    ["not JSON", "{ version: 1"],
    ["another version", '{"version":2,"servers":{}}'],
    ["an unknown key", '{"version":1,"servers":{},"extra":true}'],
    ["servers as an array", '{"version":1,"servers":[]}'],
    [
      "a bad hash",
      `{"version":1,"servers":{"x":{"name":"x","tools":{"t":{"hash":"zz","approvedAt":"2025-01-01T00:00:00Z","definition":{}}}}}}`,
    ],
    [
      "a definition too deep",
      `{"version":1,"servers":{"x":{"name":"x","tools":{"t":{"hash":"${"0".repeat(64)}","approvedAt":"2025-01-01T00:00:00Z","definition":${'{"a":'.repeat(200)}1${"}".repeat(200)}}}}}}`,
    ],
  ] as const)
    it(`refuses a file with ${name}, with a typed error naming the file`, () => {
      const file = join(dir, `${name.replaceAll(" ", "-")}.json`);
      writeFileSync(file, text);
      assert.throws(() => readPins(file), badPinFile(file));
    });

  it("never crashes on corrupt files: pins or a typed error, for any text (property)", () => {
    const valid = formatPins(somePins());
    const mutated = fc
      .tuple(fc.nat(valid.length), fc.nat(40), fc.string({ maxLength: 20 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated), (text) => {
        try {
          parsePins(text, "pins.json");
        } catch (error) {
          assert.ok(badPinFile("pins.json")(error), String(error));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never crashes on JSON of the right outline with wrong insides (property)", () => {
    const anyValue = fc.jsonValue({ maxDepth: 3 });
    const file = fc.record({
      version: fc.oneof(fc.constant(1), anyValue),
      servers: fc.oneof(
        anyValue,
        fc.dictionary(fc.string(), fc.record({ name: anyValue, tools: fc.dictionary(fc.string(), anyValue) })),
      ),
    });
    fc.assert(
      fc.property(file, (value) => {
        try {
          parsePins(JSON.stringify(value), "pins.json");
        } catch (error) {
          assert.ok(badPinFile("pins.json")(error), String(error));
        }
      }),
      { numRuns: 300 },
    );
  });
});
