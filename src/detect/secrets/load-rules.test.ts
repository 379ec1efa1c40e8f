import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isPalisadeError, ValidationError } from "../../core/index.js";
import { compileSecretRules, loadSecretRules } from "./load-rules.js";

function ruleFile(rule: Record<string, string>): string {
  const fields = { id: "demo-key", entity: "DEMO_KEY", description: "demo", severity: "high", ...rule };
  const lines = Object.entries(fields).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  return ["version: 1", "rules:", "  - keywords: [demo_]", ...lines].join("\n");
}

function compileError(text: string, file = "user.yaml"): ValidationError {
  try {
    compileSecretRules([{ file, text, probe: true }]);
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error;
  }
  assert.fail("expected a ValidationError");
}

describe("compileSecretRules", () => {
  it("compiles a valid rule with its secret group", () => {
    const set = compileSecretRules([{ file: "a.yaml", text: ruleFile({ regex: "key=(?<secret>demo_[a-z]{8})" }) }]);
    assert.equal(set.rules[0]?.valueGroup, "secret");
    assert.equal(set.rules[0]?.maxMatchLength, 17);
  });

  it("names file, line and path for a schema error", () => {
    const error = compileError(ruleFile({ regex: "demo_[a-z]{8}", severity: "urgent" }));
    assert.equal(error.code, "bad-config");
    assert.equal(error.issues[0]?.path, "rules.0.severity");
    assert.equal(error.issues[0]?.line, 7);
    assert.match(error.message, /^user\.yaml:7:/);
  });

  it("rejects unknown keys", () => {
    const error = compileError(ruleFile({ regex: "demo_[a-z]{8}", colour: "red" }));
    assert.equal(error.issues[0]?.message, "unknown key");
  });

  it("rejects nested quantifiers in user patterns", () => {
    const error = compileError(ruleFile({ regex: "demo_(a+)+b" }));
    assert.equal(error.issues[0]?.path, "rules.0.regex");
    assert.match(error.issues[0]?.message ?? "", /unsafe pattern/);
  });

  it("rejects unbounded patterns", () => {
    const error = compileError(ruleFile({ regex: "demo_\\w+" }));
    assert.match(error.issues[0]?.message ?? "", /bound every quantifier/);
  });

  it("rejects patterns that do not compile", () => {
    const error = compileError(ruleFile({ regex: "demo_[a-z" }));
    assert.match(error.issues[0]?.message ?? "", /invalid pattern/);
  });

  it("rejects unsafe allowlist patterns", () => {
    const text = `${ruleFile({ regex: "demo_[a-z]{8}" })}\n    allowlist: { patterns: ["(x+)+"] }`;
    const error = compileError(text);
    assert.equal(error.issues[0]?.path, "rules.0.allowlist.patterns.0");
  });

  it("rejects duplicate ids across files", () => {
    const text = ruleFile({ regex: "demo_[a-z]{8}" });
    assert.throws(
      () =>
        compileSecretRules([
          { file: "a.yaml", text },
          { file: "b.yaml", text },
        ]),
      (error: unknown) => error instanceof ValidationError && /duplicate rule id/.test(error.message),
    );
  });
});

describe("loadSecretRules", () => {
  it("loads the shipped rules plus a user folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-secrets-"));
    writeFileSync(join(dir, "mine.yaml"), ruleFile({ id: "acme-key", regex: "demo_[a-z]{8}" }));
    const shipped = loadSecretRules().rules.length;
    const set = loadSecretRules({ dirs: [dir] });
    assert.equal(set.rules.length, shipped + 1);
    assert.equal(set.rules.at(-1)?.rule.id, "acme-key");
  });

  it("reports a missing user folder as bad-config", () => {
    assert.throws(
      () => loadSecretRules({ dirs: ["/nonexistent/palisade-rules"], shipped: false }),
      (error: unknown) => isPalisadeError(error) && error.code === "bad-config",
    );
  });
});
