import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.js";

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
      inferenceServers: unknown[];
      findings: { ruleId: string }[];
      verdict: { decision: string };
    };
    const openai = report.sdks.find((s) => s.name === "openai");
    assert.deepEqual([openai?.ecosystem, openai?.version, openai?.manifest], ["npm", "4.73.1", "package.json"]);
    assert.ok(report.models.some((m) => m.id === "gpt-4o-2024-08-06" && m.provider === "openai"));
    assert.ok(report.mcpServers.some((m) => m.name === "orders" && m.transport === "implemented"));
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
});
