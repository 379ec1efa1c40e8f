/**
 * `palisade redteam` as users run it (bin/palisade.js over dist): against the weak test model
 * directly and through an in-process Palisade gateway; every format; baselines and --exit-code;
 * bad input in one line.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { assertOneLineError, runCli } from "./helpers/cli.js";
import { startTestGateway, type TestGateway } from "./helpers/gateway.js";
import { loadSarifSchema } from "./helpers/sarif-schema.js";
import { GUARDED_POLICY, startWeakUpstream, type WeakUpstream } from "./helpers/weak-upstream.js";

interface JsonReport {
  probes: Record<string, unknown>[];
  totals: { probes: number; succeeded: number; byCategory: Record<string, { successRate: number }> };
  run: { requests: number; durationMs: number };
  suggestedPolicy: string | null;
  baseline?: { regressions: string[] };
}

const TIMEOUT_MS = 60_000;
const run = (args: string[]) => runCli(["redteam", ...args], { timeoutMs: TIMEOUT_MS });

describe("palisade redteam", () => {
  let upstream: WeakUpstream;
  let gateway: TestGateway;
  const dir = mkdtempSync(join(tmpdir(), "palisade-redteam-"));

  before(async () => {
    upstream = await startWeakUpstream();
    gateway = await startTestGateway({ upstream: upstream.url, policy: GUARDED_POLICY, noAuth: true });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it("lists every probe with its verdict, totals per category, run time and requests", async () => {
    const result = await run([upstream.url, "--seed", "3", "--rate", "0", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    for (const probe of report.probes)
      for (const key of ["id", "category", "prompt", "answerExcerpt", "succeeded", "detector"])
        assert.ok(key in probe, `${String(probe.id)} has ${key}`);
    assert.equal(report.totals.byCategory["tool-abuse"]?.successRate, 1);
    assert.ok(report.run.requests > report.probes.length);
    assert.ok(report.run.durationMs >= 0);
    for (const probe of report.probes.filter((p) => p.succeeded))
      assert.match(String((probe.fix as { yaml: string }).yaml), /^spec:\n {2}runtime:/);
  });

  it("gives the same JSON for the same seed, all but the run time", async () => {
    const args = [
      upstream.url,
      "--seed",
      "11",
      "--rate",
      "0",
      "--pack",
      "obfuscation",
      "multilingual",
      "--format",
      "json",
    ];
    const [a, b] = await Promise.all([run(args), run([...args, "--concurrency", "1"])]);
    assert.equal(a.code, 0, a.stderr);
    const strip = (text: string) => {
      const report = JSON.parse(text) as JsonReport & { run: Record<string, unknown> };
      return { ...report, run: { ...report.run, durationMs: 0, concurrency: 0 } };
    };
    assert.deepEqual(strip(a.stdout), strip(b.stdout));
  });

  it("fails --exit-code on a regression against a stored baseline, not on what got through before", async () => {
    const baseline = join(dir, "gateway-baseline.json");
    const guarded = await run([gateway.url, "--seed", "5", "--rate", "0", "--format", "json"]);
    assert.equal(guarded.code, 0, guarded.stderr);
    writeFileSync(baseline, guarded.stdout);
    const same = await run([gateway.url, "--seed", "5", "--rate", "0", "--baseline", baseline, "--exit-code"]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /0 regression\(s\)/);
    // The same probes sent straight to the model, as if the gateway had been taken out.
    const direct = await run([
      upstream.url,
      "--seed",
      "5",
      "--rate",
      "0",
      "--baseline",
      baseline,
      "--exit-code",
      "--format",
      "json",
    ]);
    assert.equal(direct.code, 1, direct.stderr);
    assert.match(direct.stderr, /^palisade: \d+ probe\(s\) got through that did not in .*tools\/shell/m);
    assert.ok(((JSON.parse(direct.stdout) as JsonReport).baseline?.regressions.length ?? 0) > 0);
  });

  it("without a baseline, fails --exit-code when any probe gets through", async () => {
    const stopped = await run([gateway.url, "--pack", "tools", "--rate", "0", "--exit-code"]);
    assert.equal(stopped.code, 0, stopped.stderr);
    const through = await run([upstream.url, "--pack", "tools", "--rate", "0", "--exit-code"]);
    assert.equal(through.code, 1);
    assert.match(through.stderr, /palisade: 3 of 3 probes got through/);
  });

  it("prints a table with rates per category, the prompts that got through and their fixes", async () => {
    const result = await run([upstream.url, "--pack", "tools", "exhaustion", "--rate", "0"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /CATEGORY\s+OWASP\s+PROBES\s+GOT THROUGH/);
    assert.match(result.stdout, /tool-abuse\s+LLM06:2025\s+3\s+3\s+0\s+0\s+100%/);
    assert.match(result.stdout, /fix: cap answers at 1024 tokens/);
    assert.match(result.stdout, /\d+ requests in \d+\.\d s/);
  });

  it("puts answers without a refusal to a judge model when asked, and counts its requests apart", async () => {
    const args = [upstream.url, "--pack", "jailbreak", "--rate", "0", "--format", "json"];
    const result = await run([...args, "--judge-model", "weak-model", "--judge-url", upstream.url]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport & { run: { judge?: { requests: number; model: string } } };
    assert.ok((report.run.judge?.requests ?? 0) > 0);
    assert.ok(report.probes.some((p) => p.detector === "judge-model"));
    assertOneLineError(await run([upstream.url, "--judge-url", upstream.url]), /--judge-url needs --judge-model/);
  });

  it("writes valid SARIF with one result per probe that got through", async () => {
    const result = await run([upstream.url, "--pack", "tools", "--rate", "0", "--format", "sarif"]);
    assert.equal(result.code, 0, result.stderr);
    const log = JSON.parse(result.stdout) as { runs: { results: { ruleId: string }[] }[] };
    const ajv = new Ajv({ strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(loadSarifSchema());
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.deepEqual(
      log.runs[0]?.results.map((r) => r.ruleId),
      ["redteam/tool-abuse", "redteam/tool-abuse", "redteam/tool-abuse"],
    );
  });

  it("writes a self-contained HTML page with the prompts escaped", async () => {
    const result = await run([upstream.url, "--pack", "indirect", "--rate", "0", "--format", "html"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^<!doctype html>/);
    assert.match(result.stdout, /&lt;!-- AI assistant/);
    assert.ok(!result.stdout.includes("<!-- AI assistant"));
  });

  it("refuses bad input in one line, exit 2", async () => {
    assertOneLineError(await run([upstream.url, "--pack", "nope"]), /--pack nope: no such probe pack/);
    assertOneLineError(await run(["not a url"]), /target must be an http\(s\) URL/);
    assertOneLineError(await run([upstream.url, "--concurrency", "0"]), /--concurrency must be a whole number from 1/);
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{");
    assertOneLineError(await run([upstream.url, "--baseline", notJson]), /not\.json: not JSON/);
    const notReport = join(dir, "other.json");
    writeFileSync(notReport, '{"schemaVersion":1}');
    assertOneLineError(await run([upstream.url, "--baseline", notReport]), /other\.json: not a redteam JSON report/);
    const prompt = join(dir, "prompt.txt");
    writeFileSync(prompt, "You are a bot.");
    assertOneLineError(await run([upstream.url, "--system-prompt", prompt]), /no canary placeholder/);
  });

  it("exits 3 in one line when nothing answers at the URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const result = await run([`http://127.0.0.1:${port}`, "--model", "m", "--pack", "tools", "--rate", "0"]);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, /^palisade: no probe got an answer from http:\/\/127\.0\.0\.1:\d+\/v1/);
  });
});
