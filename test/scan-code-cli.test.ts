import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { runCli } from "./helpers/cli.js";
import { loadSarifSchema } from "./helpers/sarif-schema.js";

const FIXTURES = fileURLToPath(new URL("../src/scan/code/fixtures/", import.meta.url));

/** The shipped CLI (dist/, built by `npm test`). */
const run = (args: readonly string[]) => runCli(["scan", "code", ...args]);

describe("palisade scan code", () => {
  it("prints the AI-BOM as JSON in the documented shape", async () => {
    const result = await run([join(FIXTURES, "node-app"), "--format", "json", "--exclude", "expected.json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      sdks: { name: string; ecosystem: string; version: string | null; manifest: string | null; usages: unknown[] }[];
      models: { id: string; provider: string; file: string; line: number }[];
      mcpServers: { name: string; transport: string }[];
      mcpImplementations: { name: string; file: string; tools: string[] }[];
      inferenceServers: unknown[];
      findings: { ruleId: string }[];
      verdict: { decision: string };
    };
    const openai = report.sdks.find((s) => s.name === "openai");
    assert.deepEqual([openai?.ecosystem, openai?.version, openai?.manifest], ["npm", "4.73.1", "package.json"]);
    assert.ok(report.models.some((m) => m.id === "gpt-4o-2024-08-06" && m.provider === "openai"));
    assert.ok(report.mcpImplementations.some((m) => m.name === "orders" && m.file === "src/mcp-server.ts"));
    assert.ok(!report.mcpServers.some((m) => m.name === "orders"));
    assert.deepEqual(report.inferenceServers, []);
    assert.equal(report.verdict.decision, "deny");
  });

  it("exits 1 with --exit-code when a finding reaches --fail-on, 0 without it", async () => {
    const dir = join(FIXTURES, "python-app");
    const gated = await run([dir, "--format", "json", "--exit-code"]);
    assert.equal(gated.code, 1);
    const lenient = await run([dir, "--format", "json", "--exit-code", "--fail-on", "critical"]);
    assert.equal(lenient.code, 0, lenient.stderr);
  });

  it("writes CycloneDX 1.6 with libraries, models and provider services", async () => {
    const result = await run([join(FIXTURES, "go-service"), "--format", "cyclonedx"]);
    assert.equal(result.code, 0, result.stderr);
    const bom = JSON.parse(result.stdout) as {
      specVersion: string;
      components: { type: string; purl?: string }[];
      services: { name: string; endpoints?: string[] }[];
    };
    assert.equal(bom.specVersion, "1.6");
    assert.ok(bom.components.some((c) => c.purl === "pkg:golang/github.com/sashabaranov/go-openai@v1.35.6"));
    assert.ok(bom.components.some((c) => c.type === "machine-learning-model"));
    assert.ok(bom.services.some((s) => s.name === "openai" && s.endpoints?.[0] === "https://api.openai.com/v1"));
  });

  it("writes SARIF for the findings", async () => {
    const result = await run([join(FIXTURES, "go-service"), "--format", "sarif"]);
    assert.equal(result.code, 0, result.stderr);
    const sarif = JSON.parse(result.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, "2.1.0");
    assert.ok(sarif.runs[0]?.results.some((r) => r.ruleId === "code.llm-output-to-exec"));
  });

  it("prints a table by default", async () => {
    const result = await run([join(FIXTURES, "java-app"), "--exclude", "expected.json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^AI SDKs \(4\)/);
    assert.match(result.stdout, /com\.anthropic:anthropic-java\s+maven\s+0\.8\.0/);
  });

  it("prints configured and implemented MCP servers in separate tables", async () => {
    const result = await run([join(FIXTURES, "mcp-servers"), "--exclude", "expected.json"]);
    assert.equal(result.code, 0, result.stderr);
    const configured = result.stdout.slice(result.stdout.indexOf("MCP servers (4)"));
    const implemented = result.stdout.slice(result.stdout.indexOf("MCP servers implemented (3)"));
    assert.ok(configured.length < result.stdout.length && implemented.length < result.stdout.length, result.stdout);
    assert.match(implemented, /tickets\s+github\.com\/mark3labs\/mcp-go\s+open_ticket\s+go-server\/main\.go:\d+/);
    const configuredTable = configured.slice(0, configured.indexOf("MCP servers implemented"));
    assert.doesNotMatch(configuredTable, /tickets|knowledge-base/);
  });

  it("exits 2 naming the input when the directory does not exist", async () => {
    const missing = join(await mkdtemp(join(tmpdir(), "palisade-scan-")), "nope");
    const result = await run([missing]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /nope: no such directory/);
  });

  it("exits 2 on a file that is not a directory", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "palisade-scan-")), "a.txt");
    await writeFile(file, "x");
    const result = await run([file]);
    assert.equal(result.code, 2);
  });

  it("keeps a finding's SARIF fingerprint when lines are inserted above it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-scan-"));
    const code = 'import torch\nweights = torch.load("model.pt")\nother = torch.load("other.pt")\n';
    await writeFile(join(dir, "train.py"), code);
    const before = sarifResults((await run([dir, "--format", "sarif"])).stdout);
    await writeFile(join(dir, "train.py"), `"""Training script."""\n\n# load the checkpoints\n${code}`);
    const after = sarifResults((await run([dir, "--format", "sarif"])).stdout);
    assert.deepEqual(
      before.map((r) => [r.ruleId, r.line]),
      [
        ["code.unsafe-torch-load", 2],
        ["code.unsafe-torch-load", 3],
      ],
    );
    assert.deepEqual(
      after.map((r) => r.line),
      [5, 6],
    );
    assert.deepEqual(
      after.map((r) => r.fingerprint),
      before.map((r) => r.fingerprint),
    );
    assert.equal(new Set(before.map((r) => r.fingerprint)).size, 2);
  });

  it("explains every SARIF rule and how to fix it, with locations relative to %SRCROOT%", async () => {
    const dir = join(FIXTURES, "python-app");
    const result = await run([dir, "--format", "sarif", "--exclude", "expected.json"]);
    assert.equal(result.code, 0, result.stderr);
    const log = JSON.parse(result.stdout) as Log;
    const ajv = new Ajv({ strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(loadSarifSchema());
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run0 = log.runs[0];
    const rules = run0?.tool.driver.rules ?? [];
    assert.ok(rules.length >= 3);
    for (const rule of rules) {
      assert.ok(rule.shortDescription?.text, rule.id);
      assert.ok(rule.fullDescription?.text, rule.id);
      assert.match(rule.help?.text ?? "", /How to fix: \S/, rule.id);
      assert.match(rule.help?.markdown ?? "", /How to fix/, rule.id);
      assert.equal(rule.helpUri, undefined, rule.id);
    }
    assert.equal(run0?.originalUriBaseIds?.["%SRCROOT%"]?.uri, pathToFileURL(`${dir}/`).href);
    for (const r of run0?.results ?? []) {
      const artifact = r.locations?.[0]?.physicalLocation?.artifactLocation;
      assert.equal(artifact?.uriBaseId, "%SRCROOT%");
      assert.doesNotMatch(artifact?.uri ?? "", /^(file:|\/)/);
      assert.ok(r.properties?.remediation, r.ruleId);
    }
  });

  it("says how to fix each finding in JSON and under each finding in the table", async () => {
    const dir = join(FIXTURES, "python-app");
    const json = await run([dir, "--format", "json", "--exclude", "expected.json"]);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; remediation?: string }[] };
    assert.ok(report.findings.length > 0);
    for (const f of report.findings) assert.match(f.remediation ?? "", /\S/, f.ruleId);
    const torch = report.findings.find((f) => f.ruleId === "code.unsafe-torch-load");
    assert.match(torch?.remediation ?? "", /weights_only=True/);

    const table = await runCli(["scan", "code", dir, "--exclude", "expected.json"], { env: { COLUMNS: "" } });
    const lines = table.stdout.split("\n");
    const row = lines.findIndex((l) => /^high +code\.unsafe-torch-load /.test(l));
    assert.ok(row > 0, table.stdout);
    assert.match(lines[row + 1] ?? "", /^ {4}fix: .*weights_only=True/);
  });

  it("fits its tables to COLUMNS, wrapping titles onto more lines", async () => {
    const dir = join(FIXTURES, "python-app");
    const wide = await runCli(["scan", "code", dir, "--exclude", "expected.json"], { env: { COLUMNS: "" } });
    assert.ok(Math.max(...wide.stdout.split("\n").map((l) => l.length)) > 120);
    const narrow = await runCli(["scan", "code", dir, "--exclude", "expected.json"], { env: { COLUMNS: "100" } });
    assert.equal(narrow.code, 0, narrow.stderr);
    const lines = narrow.stdout.split("\n");
    assert.deepEqual(
      lines.filter((l) => l.length > 100),
      [],
    );
    const column = lines.find((l) => /^SEVERITY +RULE +WHERE +TITLE$/.test(l))?.indexOf("TITLE") ?? -1;
    assert.ok(column > 0, narrow.stdout);
    assert.ok(
      lines.some((l) => new RegExp(`^ {${column}}\\S`).test(l)),
      `a title goes on under itself:\n${narrow.stdout}`,
    );
    assert.doesNotMatch(narrow.stdout, /…/);
  });
});

function sarifResults(stdout: string): { ruleId: string; line: number | undefined; fingerprint: string | undefined }[] {
  const log = JSON.parse(stdout) as Log;
  return (log.runs[0]?.results ?? []).map((r) => ({
    ruleId: r.ruleId ?? "",
    line: r.locations?.[0]?.physicalLocation?.region?.startLine,
    fingerprint: r.partialFingerprints?.["palisade/v2"],
  }));
}
