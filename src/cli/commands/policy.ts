/** `palisade policy check|eval|test|init|schema|rules`: write, validate and test policies. */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { PalisadeError } from "../../core/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { readFileText, readTextInput } from "../input.js";
import { createOutput, renderTable } from "../output.js";

const STARTER = new URL("../../../rules/policy/starter.yaml", import.meta.url);

export function registerPolicy(program: Command): void {
  const policy = program.command("policy").description("write, validate, evaluate and test Palisade policies");
  withExamples(policy, [
    "palisade policy init palisade-policy.yaml",
    "palisade policy check palisade-policy.yaml",
    "palisade policy test policy-tests/",
  ]);

  const check = policy
    .command("check")
    .description("validate policy files (exit 2 with file:line:reason on the first problem)")
    .argument("<files...>", "policy files, merged in the order given")
    .addOption(formatOption())
    .action(async (files: string[], options: { format: string }) => {
      const { compilePolicy, loadPolicyFiles } = await import("../../policy/index.js");
      const loaded = loadPolicyFiles(files);
      compilePolicy(loaded);
      const spec = loaded.spec;
      const summary = {
        valid: true,
        name: loaded.name,
        files: loaded.files,
        roles: spec.runtime?.roles.length ?? 0,
        customRules: spec.rules.length,
        exceptions: spec.exceptions.length,
        expiredExceptions: spec.exceptions
          .filter((e) => e.expires < new Date().toISOString().slice(0, 10))
          .map((e) => `${e.rule} (${e.owner}, ${e.expires})`),
        sections: Object.entries(spec)
          .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
          .map(([k]) => k),
      };
      const out = createOutput();
      if (options.format === "json") out.json(summary);
      else {
        out.text(`${files.join(", ")}: valid policy "${summary.name}" (${summary.sections.join(", ") || "empty"})`);
        // A warning, not the result: stderr, like every other diagnostic.
        for (const e of summary.expiredExceptions)
          process.stderr.write(`warning: exception for ${e} has expired and no longer applies\n`);
      }
    });
  withExamples(check, [
    "palisade policy check palisade-policy.yaml",
    "palisade policy check base.yaml team-ml.yaml --format json",
  ]);

  const evaluate = policy
    .command("eval")
    .description("evaluate one input (scan result, request or Kubernetes object) and show the decision")
    .requiredOption("-p, --policy <files...>", "policy files")
    .requiredOption("-i, --input <json>", "the input as JSON, @FILE, or - for stdin")
    .option("--today <date>", "evaluate as of this date (YYYY-MM-DD); exceptions expire")
    .option("--exit-code", "exit 1 when the decision is deny")
    .addOption(formatOption())
    .action(
      async (options: { policy: string[]; input: string; today?: string; exitCode?: boolean; format: string }) => {
        const { compilePolicy, loadPolicyFiles, PolicyInputSchema } = await import("../../policy/index.js");
        const compiled = compilePolicy(loadPolicyFiles(options.policy));
        const raw = await readInputArgument(options.input);
        const parsed = PolicyInputSchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new PalisadeError("bad-input", `--input: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, {
            input: options.input,
          });
        }
        const today = options.today ? parseDate(options.today) : undefined;
        const verdict = compiled.evaluate(parsed.data, today ? { today } : {});
        const out = createOutput();
        if (options.format === "json") out.json(verdict);
        else {
          out.text(`decision: ${verdict.decision}`);
          if (verdict.reasons.length > 0) {
            // WAIVED BY only when an exception waived something.
            const waived = verdict.reasons.some((r) => r.waivedBy);
            out.text(
              renderTable(
                ["RULE", "DECISION", "SOURCE", "MESSAGE", ...(waived ? ["WAIVED BY"] : [])],
                verdict.reasons.map((r) => [
                  r.ruleId,
                  r.decision,
                  r.source,
                  r.message,
                  ...(waived ? [r.waivedBy ?? ""] : []),
                ]),
              ),
            );
          }
        }
        if (options.exitCode && verdict.decision === "deny")
          throw new PalisadeError("gate-failed", "policy decision: deny");
      },
    );
  withExamples(evaluate, [
    `palisade policy eval -p policy.yaml -i '{"kind":"request","identity":{"id":"api-key:bob"},"model":"gpt-4o","tools":["shell"]}'`,
    "palisade policy eval -p policy.yaml -i @pod.json --format json",
  ]);

  const test = policy
    .command("test")
    .description("run policy unit tests (YAML files with kind: PolicyTest); exit 1 when one fails")
    .argument("<path>", "a test file or a folder searched recursively")
    .addOption(formatOption())
    .action(async (path: string, options: { format: string }) => {
      const { findPolicyTests, runPolicyTestFile } = await import("../../policy/index.js");
      const files = findPolicyTests(path);
      if (files.length === 0)
        throw new PalisadeError("bad-input", `no PolicyTest files under ${path}`, { input: path });
      const results = files.flatMap((f) => runPolicyTestFile(f));
      const failed = results.filter((r) => !r.passed);
      const out = createOutput();
      if (options.format === "json")
        out.json({ passed: results.length - failed.length, failed: failed.length, results });
      else {
        out.text(
          renderTable(
            ["RESULT", "TEST", "CASE", "EXPECTED", "ACTUAL"],
            results.map((r) => [
              r.passed ? "pass" : "FAIL",
              r.test,
              r.case,
              `${r.expected.decision} ${r.expected.reasons?.join(",") ?? ""}`.trim(),
              `${r.actual.decision} ${r.actual.reasons.join(",")}`.trim(),
            ]),
          ),
        );
        out.text(`\n${results.length - failed.length} passed, ${failed.length} failed`);
      }
      if (failed.length > 0) throw new PalisadeError("gate-failed", `${failed.length} policy test case(s) failed`);
    });
  withExamples(test, [
    "palisade policy test policy-tests/",
    "palisade policy test policy-tests/runtime.test.yaml --format json",
  ]);

  const init = policy
    .command("init")
    .description("write a commented starter policy that documents every field")
    .argument("[file]", "where to write it (- for stdout)", "palisade-policy.yaml")
    .option("--force", "overwrite an existing file")
    .addOption(formatOption())
    .action((file: string, options: { force?: boolean; format: string }) => {
      const text = withFreshExpiry(readFileSync(STARTER, "utf8"), new Date());
      if (file === "-") {
        process.stdout.write(text);
        return;
      }
      writeNewFile(file, text, { force: options.force === true });
      if (options.format === "json") createOutput().json({ written: file });
      else process.stderr.write(`wrote ${file}; check it with: palisade policy check ${file}\n`);
    });
  withExamples(init, ["palisade policy init", "palisade policy init - > policy.yaml"]);

  const schema = policy
    .command("schema")
    .description("print the policy's JSON Schema (for editor validation and completion)")
    .addOption(formatOption().choices(["json"]).default("json"))
    .action(async () => {
      const { PolicyDocumentSchema } = await import("../../policy/index.js");
      createOutput().json(z.toJSONSchema(PolicyDocumentSchema, { io: "input" }));
    });
  withExamples(schema, ["palisade policy schema > palisade-policy.schema.json"]);

  const rules = policy
    .command("rules")
    .description("list the built-in rule ids that reasons and exceptions refer to")
    .addOption(formatOption())
    .action(async (options: { format: string }) => {
      const { BUILTIN_RULES } = await import("../../policy/index.js");
      const out = createOutput();
      if (options.format === "json") out.json(BUILTIN_RULES);
      else out.text(renderTable(["RULE", "MEANING"], Object.entries(BUILTIN_RULES)));
    });
  withExamples(rules, ["palisade policy rules"]);
}

const WRITE_FAILURES: Record<string, string> = {
  EEXIST: "it exists; use --force to overwrite",
  ENOENT: "its folder does not exist",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ELOOP: "too many symbolic links (a loop?)",
  ENOSPC: "no space left on the device",
  ENAMETOOLONG: "the name is too long",
};

/** Write a file the user named; every file-system refusal is bad input naming the path. */
function writeNewFile(file: string, text: string, options: { force: boolean }): void {
  if (file === "") throw new PalisadeError("bad-usage", "the output file name is empty", { input: file });
  try {
    // `wx` refuses an existing file atomically (no check-then-write race).
    writeFileSync(file, text, { flag: options.force ? "w" : "wx" });
  } catch (cause) {
    let code = (cause as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") code = existingKind(file);
    const reason = WRITE_FAILURES[code] ?? (code || (cause as Error).message);
    throw new PalisadeError("bad-input", `cannot write ${file}: ${reason}`, { input: file, cause });
  }
}

/** Days the starter's example exception runs from the day it is written. */
const STARTER_EXCEPTION_DAYS = 90;

/**
 * The starter's example exception expires a quarter after `policy init`, not on a date fixed
 * when the file shipped (which would already be past, or soon, for a new user).
 */
export function withFreshExpiry(starter: string, today: Date): string {
  const expires = new Date(today.getTime() + STARTER_EXCEPTION_DAYS * 86_400_000).toISOString().slice(0, 10);
  return starter.replace(/^(\s+expires: )\d{4}-\d{2}-\d{2}$/gm, `$1${expires}`);
}

/** Why an existing path cannot be written: a folder, a symlink loop, or just that it exists. */
function existingKind(file: string): string {
  try {
    return statSync(file).isDirectory() ? "EISDIR" : "EEXIST";
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code ?? "EEXIST";
  }
}

/** `--input`: inline JSON, `@FILE`, or `-` for stdin, read by the shared reader (size limit, binary refused). */
async function readInputArgument(value: string): Promise<unknown> {
  let text = value;
  if (value === "-") text = (await readTextInput({ file: "-" })).text;
  else if (value.startsWith("@")) text = readFileText(value.slice(1));
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PalisadeError("bad-input", `--input is not valid JSON: ${(cause as Error).message}`, {
      input: value,
      cause,
    });
  }
}

function parseDate(value: string): Date {
  const date = new Date(`${value}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) {
    throw new PalisadeError("bad-usage", `--today must be a date like 2026-12-31, got ${value}`, { input: value });
  }
  return date;
}
