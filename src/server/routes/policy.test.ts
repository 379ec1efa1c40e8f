import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { controlsOf, mergePolicies, parsePolicyText } from "../../policy/index.js";
import { COMPLIANCE_FILES, loadComplianceMappings } from "./policy.js";

describe("compliance mappings", () => {
  it("load the shipped OWASP LLM 2025 and MITRE ATLAS files", () => {
    const [owasp, atlas] = loadComplianceMappings();
    assert.deepEqual(
      owasp?.items.map((i) => i.id),
      Array.from({ length: 10 }, (_, i) => `LLM${String(i + 1).padStart(2, "0")}:2025`),
    );
    assert.ok(atlas?.items.every((i) => /^AML\.T\d{4}$/.test(i.id)));
    assert.equal(COMPLIANCE_FILES.length, 2);
  });

  it("refuse a control that does not exist, naming the file and the item", () => {
    const file = join(mkdtempSync(join(tmpdir(), "palisade-compliance-")), "bad.yaml");
    writeFileSync(
      file,
      "framework: mitre-atlas\nname: x\nitems:\n  - { id: AML.T0051, title: t, controls: [guard.injektion] }\n",
    );
    assert.throws(() => loadComplianceMappings([file]), /bad\.yaml: AML\.T0051: no control guard\.injektion/);
  });

  it("map jailbreaks to the system-text guard, which an operator can switch off on its own", () => {
    const [, atlas] = loadComplianceMappings();
    assert.ok(atlas?.items.find((i) => i.id === "AML.T0054")?.controls.includes("guard.injection-system"));
    const policy = (system: string) =>
      mergePolicies([
        parsePolicyText(
          `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: p }\nspec:\n  runtime:\n    injection:\n      system: { action: ${system} }\n`,
          "p.yaml",
        ),
      ]);
    const state = (system: string) =>
      controlsOf(policy(system).spec).find((c) => c.id === "guard.injection-system")?.state;
    assert.equal(state("block"), "enforce");
    assert.equal(state("allow"), "off");
  });
});
