import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { withFreshExpiry } from "../src/cli/commands/policy.js";
import { runCli } from "./helpers/cli.js";

const EXAMPLES = new URL("../examples/policy/", import.meta.url).pathname;

describe("palisade policy", () => {
  it("writes a starter whose example exception runs 90 days from the day it is written", async () => {
    const starter = "  exceptions:\n    - rule: image.non-root\n      expires: 2026-12-31\n";
    assert.match(withFreshExpiry(starter, new Date("2031-03-01T08:00:00Z")), /expires: 2031-05-30\n/);
    const file = join(await mkdtemp(join(tmpdir(), "palisade-policy-cli-")), "policy.yaml");
    assert.equal((await runCli(["policy", "init", file])).code, 0);
    const check = await runCli(["policy", "check", file, "--format", "json"]);
    assert.deepEqual((JSON.parse(check.stdout) as { expiredExceptions: string[] }).expiredExceptions, []);
  });

  it("checks a valid policy and names file:line:path for a bad one (exit 2)", async () => {
    const ok = await runCli(["policy", "check", join(EXAMPLES, "policy.yaml"), "--format", "json"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { valid: boolean }).valid, true);
    const dir = await mkdtemp(join(tmpdir(), "palisade-policy-cli-"));
    const bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: b }\nspec:\n  kubernetes:\n    hostPID: sometimes\n",
    );
    const result = await runCli(["policy", "check", bad]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`${bad}:6:14: spec\\.kubernetes\\.hostPID: `));
  });

  it("warns about an expired exception on stderr, keeping stdout for the result", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "palisade-policy-cli-")), "policy.yaml");
    await writeFile(
      file,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: e }\nspec:\n  exceptions:\n    - { rule: image.non-root, target: '*', owner: ops, reason: old, expires: 2001-01-01 }\n",
    );
    const result = await runCli(["policy", "check", file]);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /warning/);
    assert.match(result.stderr, /^warning: exception for image\.non-root \(ops, 2001-01-01\) has expired/m);
  });

  it("evaluates an input and exits 1 on deny with --exit-code", async () => {
    const input = JSON.stringify({ kind: "request", identity: { id: "api-key:intern" }, model: "gpt-4o" });
    const result = await runCli([
      "policy",
      "eval",
      "-p",
      join(EXAMPLES, "policy.yaml"),
      "-i",
      input,
      "--format",
      "json",
      "--exit-code",
    ]);
    assert.equal(result.code, 1);
    const verdict = JSON.parse(result.stdout) as { decision: string; reasons: { ruleId: string; source: string }[] };
    assert.equal(verdict.decision, "deny");
    assert.match(verdict.reasons[0]?.source ?? "", /policy\.yaml:\d+$/);
    const badInput = await runCli(["policy", "eval", "-p", join(EXAMPLES, "policy.yaml"), "-i", '{"kind":"request"}']);
    assert.equal(badInput.code, 2);
    assert.match(badInput.stderr, /--input: identity: /);
  });

  it("allows a request whose max_tokens is above the cap, lowered to it, as the gateway does (exit 0)", async () => {
    const input = JSON.stringify({
      kind: "request",
      identity: { id: "api-key:analytics-etl" },
      model: "llama3:8b",
      maxTokens: 9000,
    });
    const policy = join(EXAMPLES, "policy.yaml");
    const result = await runCli(["policy", "eval", "-p", policy, "-i", input, "--format", "json", "--exit-code"]);
    assert.equal(result.code, 0, result.stderr);
    const verdict = JSON.parse(result.stdout) as { decision: string; reasons: { ruleId: string; message: string }[] };
    assert.equal(verdict.decision, "warn");
    assert.deepEqual(
      verdict.reasons.map((r) => [r.ruleId, r.message]),
      [["runtime.max-tokens", "max_tokens 9000 lowered to the role's cap 4096"]],
    );
    for (const bad of [0, -5]) {
      const refused = await runCli([
        "policy",
        "eval",
        "-p",
        policy,
        "-i",
        JSON.stringify({ ...JSON.parse(input), maxTokens: bad }),
      ]);
      assert.equal(refused.code, 2, `maxTokens ${bad}`);
      assert.match(refused.stderr, /--input: maxTokens: /);
    }
  });

  it("refuses a mask that would show more than 4 characters, naming the field (exit 2)", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "palisade-policy-cli-")), "policy.yaml");
    await writeFile(
      file,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: k }\nspec:\n  runtime:\n    pii:\n      redaction: { style: mask, keepLast: 99 }\n",
    );
    const result = await runCli(["policy", "check", file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /:7:\d+: spec\.runtime\.pii\.redaction\.keepLast: keepLast keeps at most 4 characters/);
  });

  it("runs policy tests and fails when one does not hold", async () => {
    const ok = await runCli(["policy", "test", join(EXAMPLES, "tests")]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /6 passed, 0 failed/);
    const dir = await mkdtemp(join(tmpdir(), "palisade-policy-cli-"));
    await writeFile(join(dir, "policy.yaml"), await readFile(join(EXAMPLES, "policy.yaml")));
    await writeFile(
      join(dir, "wrong.test.yaml"),
      "apiVersion: palisade.dev/v1\nkind: PolicyTest\nmetadata: { name: w }\npolicies: [policy.yaml]\ncases:\n  - name: gpt for interns\n    input: { kind: request, identity: { id: intern }, model: gpt-4o }\n    expect: { decision: allow }\n",
    );
    const failing = await runCli(["policy", "test", dir, "--format", "json"]);
    assert.equal(failing.code, 1);
    assert.equal((JSON.parse(failing.stdout) as { failed: number }).failed, 1);
  });

  it("writes a starter policy that checks clean, and prints a JSON Schema", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-policy-cli-"));
    const file = join(dir, "p.yaml");
    assert.equal((await runCli(["policy", "init", file])).code, 0);
    assert.equal((await runCli(["policy", "check", file])).code, 0);
    assert.equal((await runCli(["policy", "init", file])).code, 2, "refuses to overwrite");
    const schema = await runCli(["policy", "schema"]);
    const parsed = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(parsed.properties).sort(), ["apiVersion", "kind", "metadata", "spec"]);
  });
});
