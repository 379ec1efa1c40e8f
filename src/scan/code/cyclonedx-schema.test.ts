import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { toCycloneDxComponent } from "../model/index.js";
import { scanCodebase, toCycloneDx } from "./index.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

describe("CycloneDX 1.6 output", () => {
  for (const name of readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)) {
    it(`validates against the official schema for the ${name} fixture`, async () => {
      const report = await scanCodebase(`${FIXTURES}${name}`);
      const bom = toCycloneDx(report, { toolVersion: "0.0.0-test" });
      const errors = await validator.validate(JSON.stringify(bom));
      assert.equal(errors, null, JSON.stringify(errors)?.slice(0, 500));
    });
  }

  it("validates a model component as the model scanner describes it", async () => {
    const component = toCycloneDxComponent({
      path: "m.safetensors",
      format: "safetensors",
      verdict: "safe",
      findings: [],
      sha256: "a".repeat(64),
      size: 10,
      identity: { format: "safetensors", name: "m", parameters: 7 },
    } as never);
    const errors = await validator.validate(
      JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1, components: [component] }),
    );
    assert.equal(errors, null, JSON.stringify(errors)?.slice(0, 500));
  });
});
