/**
 * Policy unit tests in YAML (kind: PolicyTest), like `kyverno test`: given an input, expect a
 * decision and the rules that fire, so organisations test their policies in CI.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { DecisionSchema, PalisadeError, parseYamlSource, validateYaml } from "../core/index.js";
import { compilePolicy } from "./evaluate.js";
import { PolicyInputSchema } from "./input.js";
import { loadPolicyFiles } from "./load.js";

const PolicyTestSchema = z.strictObject({
  apiVersion: z.literal("palisade.dev/v1"),
  kind: z.literal("PolicyTest"),
  metadata: z.strictObject({ name: z.string().min(1) }),
  /** Policy files, relative to this test file. */
  policies: z.array(z.string().min(1)).min(1),
  /** Evaluate as of this date (exceptions expire); default today. */
  today: z.iso.date().optional(),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        input: PolicyInputSchema,
        expect: z.strictObject({
          decision: DecisionSchema,
          /** Rule ids that must fire (and not be waived). */
          reasons: z.array(z.string()).optional(),
          /** Rule ids that must fire and be waived by an exception. */
          waived: z.array(z.string()).optional(),
        }),
      }),
    )
    .min(1),
});

export interface PolicyTestResult {
  file: string;
  test: string;
  case: string;
  passed: boolean;
  expected: { decision: string; reasons?: string[]; waived?: string[] };
  actual: { decision: string; reasons: string[]; waived: string[] };
}

/** Every `*.yaml`/`*.yml` under `path` (or `path` itself) whose kind is PolicyTest. */
export function findPolicyTests(path: string): string[] {
  const stat = readable(path, () => statSync(path, { throwIfNoEntry: false }));
  if (!stat) throw new PalisadeError("bad-input", `no such file or folder: ${path}`, { input: path });
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) throw new PalisadeError("bad-input", `not a file or folder: ${path}`, { input: path });
  return readable(path, () => readdirSync(path, { withFileTypes: true }))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return findPolicyTests(full);
      if (!/\.ya?ml$/.test(entry.name)) return [];
      return /^kind:\s*PolicyTest\s*$/m.test(readable(full, () => readFileSync(full, "utf8"))) ? [full] : [];
    });
}

/** File-system errors (a symlink loop, no permission) as bad input naming the path. */
function readable<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new PalisadeError("bad-input", `cannot read ${path}: ${code}`, { input: path, cause });
  }
}

export function runPolicyTestFile(file: string): PolicyTestResult[] {
  const spec = validateYaml(PolicyTestSchema, parseYamlSource(readFileSync(file, "utf8"), file));
  const policy = compilePolicy(loadPolicyFiles(spec.policies.map((p) => resolve(dirname(file), p))));
  const today = spec.today ? new Date(`${spec.today}T12:00:00Z`) : new Date();
  return spec.cases.map((c) => {
    const verdict = policy.evaluate(c.input, { today });
    const fired = verdict.reasons.filter((r) => !r.waivedBy).map((r) => r.ruleId);
    const waived = verdict.reasons.filter((r) => r.waivedBy).map((r) => r.ruleId);
    const passed =
      verdict.decision === c.expect.decision &&
      sameSet(fired, c.expect.reasons ?? fired) &&
      sameSet(waived, c.expect.waived ?? waived);
    return {
      file,
      test: spec.metadata.name,
      case: c.name,
      passed,
      expected: c.expect,
      actual: { decision: verdict.decision, reasons: [...new Set(fired)], waived: [...new Set(waived)] },
    };
  });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
