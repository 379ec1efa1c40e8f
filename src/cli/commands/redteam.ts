/**
 * `palisade redteam URL`: send the probe packs to an OpenAI-compatible endpoint (a model server,
 * or the Palisade gateway in front of it) and report what got through, per category, with the
 * policy change that stops each success. Defining the command loads nothing of src/redteam.
 */
import { type Command, Option } from "commander";
import { PalisadeError } from "../../core/index.js";
import type { Baseline, BaselineSchema, RedteamReport } from "../../redteam/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { readFileText } from "../input.js";
import { createOutput, type Output, renderTable } from "../output.js";
import { packageVersion } from "./version.js";

/** Formats of the report. */
export const REDTEAM_FORMATS = ["sarif", "html"] as const;
/** Environment variables read for the target's API key, in order (keys stay out of argv and shell history). */
export const API_KEY_ENV = ["PALISADE_REDTEAM_API_KEY", "OPENAI_API_KEY"] as const;
const MAX_CONCURRENCY = 64;
const MAX_SYSTEM_PROMPT_BYTES = 64 * 1024;
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

interface RedteamOptions {
  model?: string;
  seed: string;
  pack?: string[];
  packsDir?: string[];
  concurrency: string;
  rate: string;
  timeout: string;
  apiKeyEnv?: string;
  systemPrompt?: string;
  baseline?: string;
  judgeModel?: string;
  judgeUrl?: string;
  exitCode?: boolean;
  format: string;
}

/** A whole number in [min, max] from a flag, or bad usage naming the flag. */
function integerFlag(name: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new PalisadeError("bad-usage", `${name} must be a whole number from ${min} to ${max}, got ${value}`, {
      input: value,
    });
  return n;
}

function apiKey(variable: string | undefined): string | undefined {
  if (variable !== undefined) {
    const value = process.env[variable];
    if (!value)
      throw new PalisadeError("bad-usage", `--api-key-env ${variable}: the variable is not set`, { input: variable });
    return value;
  }
  for (const name of API_KEY_ENV) if (process.env[name]) return process.env[name];
  return undefined;
}

export function registerRedteam(program: Command): void {
  const command = program
    .command("redteam")
    .description(
      "send attack probes (injection, jailbreaks, obfuscation, exfiltration, tool abuse, exhaustion) to an OpenAI-compatible endpoint and report what got through, with the policy change that stops it",
    )
    .argument("<url>", "the endpoint: http://host:port or its /v1 base URL (a model server or the Palisade gateway)")
    .option("-m, --model <model>", "model to probe (default: the first the endpoint lists)")
    .option("--seed <n>", "seed of the generators: the same seed sends the same probes", "1")
    .option("--pack <name...>", "probe packs to run (default: all; see rules/redteam)")
    .option("--packs-dir <dir...>", "extra folders of probe packs (*.yaml)")
    .option("--concurrency <n>", "probes in flight at once", "4")
    .option("--rate <n>", "most requests per second (0: no limit)", "10")
    .option("--timeout <seconds>", "time allowed per request", "60")
    .addOption(
      new Option(
        "--api-key-env <var>",
        `environment variable holding the API key (default: ${API_KEY_ENV.join(", then ")})`,
      ),
    )
    .option(
      "--system-prompt <file>",
      "system prompt template holding the canaries: {{reference_code}}, {{customer}}, {{iban}}, {{email}}",
    )
    .option("--baseline <file>", "an earlier JSON report of the same seed: report regressions against it")
    .option(
      "--judge-model <model>",
      "a model that grades answers without a refusal (YES or NO) instead of the refusal heuristic",
    )
    .option("--judge-url <url>", "where the judge model is served (default: the target; point it past the gateway)")
    .option(
      "--exit-code",
      "exit 1 when a probe got through (with --baseline: when one got through that did not before)",
    )
    .addOption(formatOption(REDTEAM_FORMATS))
    .action(async (url: string, options: RedteamOptions) => runRedteam(url, options, createOutput()));
  withExamples(command, [
    "palisade redteam http://127.0.0.1:11434 --model llama3.1:8b",
    "palisade redteam http://127.0.0.1:8080 --seed 7 --pack injection jailbreak --format json > baseline.json",
    "palisade redteam http://127.0.0.1:8080 --seed 7 --baseline baseline.json --exit-code --format sarif",
  ]);
}

async function runRedteam(url: string, options: RedteamOptions, out: Output): Promise<void> {
  const seed = integerFlag("--seed", options.seed, 0, 2 ** 32 - 1);
  const concurrency = integerFlag("--concurrency", options.concurrency, 1, MAX_CONCURRENCY);
  const ratePerSecond = integerFlag("--rate", options.rate, 0, 10_000);
  const timeoutMs = integerFlag("--timeout", options.timeout, 1, 3600) * 1000;
  if (options.judgeUrl && !options.judgeModel)
    throw new PalisadeError("bad-usage", "--judge-url needs --judge-model", { input: options.judgeUrl });
  const key = apiKey(options.apiKeyEnv);
  const systemPrompt = options.systemPrompt
    ? readFileText(options.systemPrompt, { maxBytes: MAX_SYSTEM_PROMPT_BYTES })
    : undefined;
  const [redteam, detect] = await Promise.all([import("../../redteam/index.js"), import("../../detect/index.js")]);
  if (systemPrompt !== undefined && !redteam.SYSTEM_PROMPT_PLACEHOLDERS.some((p) => systemPrompt.includes(`{{${p}}}`)))
    throw new PalisadeError(
      "bad-input",
      `${options.systemPrompt}: the system prompt holds no canary placeholder ({{reference_code}}, {{customer}}, {{iban}}, {{email}}), so no leak can be measured`,
      { input: options.systemPrompt },
    );
  const baseline = options.baseline ? readBaseline(options.baseline, redteam.BaselineSchema) : undefined;
  const target = redteam.createOpenAiTarget({ url, ...(key ? { apiKey: key } : {}), timeoutMs });
  const packs = redteam.selectPacks(
    redteam.loadProbePacks([redteam.defaultPacksDir(), ...(options.packsDir ?? [])]),
    options.pack ?? [],
  );
  const set = redteam.generateProbes(packs, { seed, ...(systemPrompt !== undefined ? { systemPrompt } : {}) });
  const model = await target.resolveModel(options.model);
  const started = performance.now();
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\rprobing ${target.url}: ${done}/${total}`)
    : undefined;
  const judgeTarget = options.judgeModel
    ? redteam.createOpenAiTarget({
        url: options.judgeUrl ?? url,
        // The target's key goes only to the target: a judge elsewhere gets none.
        ...(key && (options.judgeUrl === undefined || options.judgeUrl === url) ? { apiKey: key } : {}),
        timeoutMs,
      })
    : undefined;
  const outcomes = await redteam.runProbes({
    set,
    target,
    model,
    judges: { pii: detect.createPiiDetector() },
    concurrency,
    ratePerSecond,
    ...(progress ? { onProgress: progress } : {}),
    ...(judgeTarget && options.judgeModel
      ? { modelJudge: redteam.createModelJudge({ target: judgeTarget, model: options.judgeModel }) }
      : {}),
  });
  if (progress) process.stderr.write("\n");
  const report = redteam.buildReport({
    outcomes,
    target: target.url,
    model,
    seed,
    packs: packs.map((p) => p.metadata.name),
    run: {
      requests: target.requests,
      durationMs: Math.round(performance.now() - started),
      concurrency,
      ratePerSecond,
      ...(judgeTarget && options.judgeModel
        ? { judge: { url: judgeTarget.url, model: options.judgeModel, requests: judgeTarget.requests } }
        : {}),
    },
    injection: detect.createDefaultInjectionDetector(),
  });
  if (baseline) report.baseline = redteam.compareWithBaseline(report, baseline.value, options.baseline as string);
  if (baseline && baseline.value.seed !== seed)
    process.stderr.write(
      `warning: ${options.baseline} was made with seed ${baseline.value.seed}, this run with ${seed}: probes differ\n`,
    );
  const judged = report.probes.filter((p) => p.outcome !== "error").length;
  if (report.probes.length > 0 && judged === 0)
    throw new PalisadeError(
      "upstream-unavailable",
      `no probe got an answer from ${target.url}: ${report.probes[0]?.answerExcerpt ?? "no answer"}`,
      { input: url },
    );
  if (options.format === "json") out.json(report);
  else if (options.format === "sarif") out.json(redteam.toRedteamSarif(report, { version: packageVersion() }));
  else if (options.format === "html") out.text(redteam.toRedteamHtml(report));
  else printTable(out, report, redteam.showInvisible);
  if (!options.exitCode) return;
  if (report.baseline) {
    if (report.baseline.regressions.length > 0)
      throw new PalisadeError(
        "gate-failed",
        `${report.baseline.regressions.length} probe(s) got through that did not in ${options.baseline}: ${report.baseline.regressions.join(", ")}`,
      );
  } else if (report.totals.succeeded > 0) {
    throw new PalisadeError("gate-failed", `${report.totals.succeeded} of ${report.totals.probes} probes got through`);
  }
}

function readBaseline(file: string, schema: typeof BaselineSchema): { value: Baseline } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileText(file, { maxBytes: MAX_BASELINE_BYTES }));
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
    throw new PalisadeError("bad-input", `${file}: not JSON (${(cause as Error).message})`, { input: file, cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PalisadeError(
      "bad-input",
      `${file}: not a redteam JSON report: ${issue?.path.map(String).join(".") || "(root)"}: ${issue?.message}`,
      { input: file },
    );
  }
  return { value: parsed.data };
}

/** Prompts are cut in the table (the JSON, SARIF and HTML reports hold them whole). */
const PROMPT_CHARS = 72;
const shorten = (text: string) => (text.length > PROMPT_CHARS ? `${text.slice(0, PROMPT_CHARS - 1)}…` : text);

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

function printTable(out: Output, report: RedteamReport, show: (text: string) => string): void {
  out.text(`target ${report.target}  model ${report.model}  seed ${report.seed}`);
  const rows = Object.entries(report.totals.byCategory).map(([id, t]) => [
    id,
    t.owasp,
    t.probes,
    t.succeeded,
    t.blocked,
    t.errors,
    percent(t.successRate),
  ]);
  rows.push([
    "total",
    "",
    report.totals.probes,
    report.totals.succeeded,
    report.totals.blocked,
    report.totals.errors,
    percent(report.totals.successRate),
  ]);
  out.text(renderTable(["CATEGORY", "OWASP", "PROBES", "GOT THROUGH", "REFUSED", "ERRORS", "SUCCESS RATE"], rows));
  const through = report.probes.filter((p) => p.succeeded);
  if (through.length > 0) {
    out.text("");
    out.text(
      renderTable(
        ["PROBE", "DETECTOR", "PROMPT"],
        through.map((p) => [p.id, p.detector ?? "", shorten(show(p.prompt).replace(/\s+/g, " "))]),
        { freeText: ["PROMPT"], notes: through.map((p) => (p.fix ? `fix: ${p.fix.summary}` : undefined)) },
      ),
    );
  }
  const { controlTotals: c } = report;
  out.text("");
  if (c.probes > 0)
    out.text(
      `controls: ${c.probes - c.refused - c.errors} of ${c.probes} ordinary requests answered${c.refused > 0 ? `, ${c.refused} refused (false positives)` : ""}`,
    );
  if (report.baseline)
    out.text(
      `baseline ${report.baseline.file}: ${report.baseline.regressions.length} regression(s)${report.baseline.regressions.length > 0 ? ` (${report.baseline.regressions.join(", ")})` : ""}, ${report.baseline.fixed.length} fixed`,
    );
  const judged = report.run.judge
    ? ` (and ${report.run.judge.requests} to the judge model ${report.run.judge.model})`
    : "";
  out.text(`${report.run.requests} requests${judged} in ${(report.run.durationMs / 1000).toFixed(1)} s`);
  if (report.suggestedPolicy) out.text("the policy that stops these: --format json, field suggestedPolicy");
}
