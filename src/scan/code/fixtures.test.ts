/**
 * The fixture corpus: every folder under fixtures/ is a project with an expected.json written by
 * hand. Each case must match exactly; the corpus as a whole reports precision and recall for
 * SDKs (name + ecosystem) and models (id + provider + file + line).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadAiCatalog } from "./catalog.js";
import { scanCodebase } from "./scan.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

const ExpectedSchema = z.strictObject({
  sdks: z.array(z.strictObject({ name: z.string(), ecosystem: z.string(), version: z.string().nullable() })),
  models: z.array(z.strictObject({ id: z.string(), provider: z.string(), file: z.string(), line: z.number() })),
  mcpServers: z.array(z.strictObject({ name: z.string(), transport: z.string() })),
  mcpImplementations: z.array(z.strictObject({ name: z.string(), file: z.string() })).default([]),
  inferenceServers: z.array(z.strictObject({ name: z.string(), file: z.string(), line: z.number() })),
  findings: z.array(z.strictObject({ ruleId: z.string(), file: z.string(), line: z.number() })),
});

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

function tally(
  expected: readonly string[],
  actual: readonly string[],
  into: Tally,
): { missing: string[]; extra: string[] } {
  const want = new Set(expected);
  const got = new Set(actual);
  const missing = [...want].filter((k) => !got.has(k));
  const extra = [...got].filter((k) => !want.has(k));
  into.tp += [...got].filter((k) => want.has(k)).length;
  into.fp += extra.length;
  into.fn += missing.length;
  return { missing, extra };
}

function score(t: Tally): { precision: number; recall: number } {
  return {
    precision: t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp),
    recall: t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn),
  };
}

describe("fixture projects", () => {
  const catalog = loadAiCatalog();
  const sdkTally: Tally = { tp: 0, fp: 0, fn: 0 };
  const modelTally: Tally = { tp: 0, fp: 0, fn: 0 };
  const cases = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory());

  it("has a case per language, mixed projects and a negative control", () => {
    const names = cases.map((c) => c.name).sort();
    assert.deepEqual(names, [
      "agents-mixed",
      "go-service",
      "java-app",
      "mcp-servers",
      "monorepo",
      "negative-control",
      "node-app",
      "python-app",
    ]);
  });

  for (const entry of cases) {
    it(`matches expected.json for ${entry.name}`, async () => {
      const dir = join(FIXTURES, entry.name);
      const expected = ExpectedSchema.parse(JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")));
      const report = await scanCodebase(dir, { catalog, exclude: ["expected.json"] });
      const sdks = tally(
        expected.sdks.map((s) => `${s.ecosystem}:${s.name}`),
        report.sdks.map((s) => `${s.ecosystem}:${s.name}`),
        sdkTally,
      );
      const models = tally(
        expected.models.map((m) => `${m.id}|${m.provider}|${m.file}:${m.line}`),
        report.models.map((m) => `${m.id}|${m.provider}|${m.file}:${m.line}`),
        modelTally,
      );
      assert.deepEqual(sdks, { missing: [], extra: [] }, "SDKs");
      assert.deepEqual(models, { missing: [], extra: [] }, "models");
      assert.deepEqual(
        Object.fromEntries(report.sdks.map((s) => [`${s.ecosystem}:${s.name}`, s.version ?? null])),
        Object.fromEntries(expected.sdks.map((s) => [`${s.ecosystem}:${s.name}`, s.version])),
        "resolved versions",
      );
      assert.deepEqual(
        report.mcpServers
          .map((m) => ({ name: m.name, transport: m.transport }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        [...expected.mcpServers].sort((a, b) => a.name.localeCompare(b.name)),
        "MCP servers",
      );
      assert.deepEqual(
        report.mcpImplementations
          .map((m) => ({ name: m.name, file: m.file }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        [...expected.mcpImplementations].sort((a, b) => a.name.localeCompare(b.name)),
        "MCP servers implemented",
      );
      assert.deepEqual(
        report.inferenceServers.map((s) => ({ name: s.name, file: s.file, line: s.line })),
        expected.inferenceServers,
        "inference servers",
      );
      assert.deepEqual(
        report.findings
          .map((f) => ({ ruleId: f.ruleId, file: f.location?.path ?? "", line: f.location?.line ?? 0 }))
          .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId)),
        [...expected.findings].sort(
          (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId),
        ),
        "findings",
      );
      assert.deepEqual(report.skipped, [], "nothing skipped");
    });
  }

  after(() => {
    const s = score(sdkTally);
    const m = score(modelTally);
    process.stdout.write(
      `# fixture corpus: SDKs precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)} (tp ${sdkTally.tp}, fp ${sdkTally.fp}, fn ${sdkTally.fn}); ` +
        `models precision ${m.precision.toFixed(3)} recall ${m.recall.toFixed(3)} (tp ${modelTally.tp}, fp ${modelTally.fp}, fn ${modelTally.fn})\n`,
    );
    assert.ok(s.precision >= 0.95 && s.recall >= 0.95, "SDK precision and recall >= 0.95");
    assert.ok(m.precision >= 0.95 && m.recall >= 0.95, "model precision and recall >= 0.95");
  });
});
