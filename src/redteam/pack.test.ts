import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isPalisadeError, ValidationError } from "../core/index.js";
import { CATEGORY_IDS } from "./categories.js";
import { generateProbes, MAX_PROBES_PER_RUN } from "./generate.js";
import { loadProbePacks, selectPacks } from "./load.js";
import { parseProbePack } from "./pack.js";

const HEADER = "apiVersion: palisade.dev/v1\nkind: RedteamPack\nmetadata: { name: mine, description: d }\n";
const PROBE = `  - id: one
    category: prompt-injection
    description: d
    source: s
    prompts: ["say {{marker}}"]
    detectors: [{ kind: forbidden-pattern, text: "{{marker}}" }]
`;

describe("probe packs", () => {
  it("parses every shipped pack, and the packs cover every category", () => {
    const packs = loadProbePacks();
    const covered = new Set(packs.flatMap((p) => p.probes.map((probe) => probe.category)));
    assert.deepEqual(
      CATEGORY_IDS.filter((c) => !covered.has(c)),
      [],
    );
    assert.ok(
      packs.some((p) => p.controls.length > 0),
      "a pack of controls ships",
    );
  });

  it("stops on an unknown key with the file, line and path", () => {
    assert.throws(
      () => parseProbePack(`${HEADER}probes:\n${PROBE}    promtps: []\n`, "mine.yaml"),
      (e: unknown) =>
        e instanceof ValidationError && /mine\.yaml:\d+:\d+: probes\.0\.promtps: unknown key/.test(e.message),
    );
  });

  it("refuses a category or mutator it does not know", () => {
    assert.throws(() =>
      parseProbePack(`${HEADER}probes:\n${PROBE.replace("prompt-injection", "prompt-injections")}`, "m.yaml"),
    );
    assert.throws(() => parseProbePack(`${HEADER}probes:\n${PROBE}    mutate: [rot13]\n`, "m.yaml"));
  });

  it("refuses a probe id used twice, and a pack with nothing in it", () => {
    assert.throws(() => parseProbePack(`${HEADER}probes:\n${PROBE}${PROBE}`, "m.yaml"), /used twice/);
    assert.throws(() => parseProbePack(HEADER, "m.yaml"), /probes or controls/);
  });

  it("loads a user's folder beside the shipped one, and refuses a pack named twice", () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-packs-"));
    writeFileSync(join(dir, "mine.yaml"), `${HEADER}probes:\n${PROBE}`);
    const packs = loadProbePacks([dir]);
    assert.deepEqual(
      packs.map((p) => p.metadata.name),
      ["mine"],
    );
    writeFileSync(join(dir, "other.yaml"), `${HEADER}probes:\n${PROBE}`);
    assert.throws(() => loadProbePacks([dir]), /name the file mine\.yaml/);
  });

  it("answers any text, hostile or not, with a pack or a validation error naming the file", () => {
    const fragments = fc.constantFrom(
      HEADER,
      "probes:\n",
      PROBE,
      "controls: [",
      "{{",
      "[[a|",
      "- ",
      ": ",
      "\t",
      "&a *a",
      "!!js/function x",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string({ maxLength: 20 })), { maxLength: 8 }), (parts) => {
        try {
          parseProbePack(parts.join(""), "fuzz.yaml");
        } catch (error) {
          assert.ok(isPalisadeError(error), String(error));
          assert.match((error as Error).message, /fuzz\.yaml/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a run that would generate more probes than the cap", () => {
    const many = `${HEADER}probes:\n${PROBE.replace('prompts: ["say {{marker}}"]', `prompts: [${Array(50).fill('"say {{marker}} [[a|b|c|d|e|f|g|h]]"').join(", ")}]\n    variants: 20\n    mutate: [base64, leetspeak, homoglyphs, zero-width, tag-smuggling]`)}`;
    const pack = parseProbePack(many, "many.yaml");
    const packs = Array.from({ length: 12 }, (_, i) => ({ ...pack, metadata: { ...pack.metadata, name: `p${i}` } }));
    assert.throws(
      () => generateProbes(packs, { seed: 1 }),
      (e: unknown) => isPalisadeError(e) && e.code === "bad-input" && e.message.includes(String(MAX_PROBES_PER_RUN)),
    );
  });

  it("names an unknown pack and the known ones", () => {
    assert.throws(
      () => selectPacks(loadProbePacks(), ["nope"]),
      (e: unknown) => isPalisadeError(e) && e.code === "bad-usage" && /--pack nope.*injection/.test(e.message),
    );
  });
});
