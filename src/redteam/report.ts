/**
 * The report of a run: every probe with its verdict, totals per category, the policy change for
 * each success and the comparison with a stored baseline. Nothing in it depends on timing except
 * `run.durationMs`, so the same seed against the same target gives the same report.
 */
import { z } from "zod";
import type { InjectionDetector } from "../detect/index.js";
import { CATEGORIES, CATEGORY_IDS, type CategoryId } from "./categories.js";
import { attackText, fixFor, type PolicyFix, toSuggestedPolicy } from "./fixes.js";
import type { ProbeOutcome } from "./run.js";

/** Longest answer excerpt kept per probe. */
export const ANSWER_EXCERPT_CHARS = 240;

export const OUTCOMES = ["answered", "blocked", "error"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One probe in the report. */
export interface ProbeResult {
  id: string;
  category: CategoryId;
  pack: string;
  technique: string;
  prompt: string;
  document?: string;
  /** What came back: the answer's start, the tool calls, or why the request was refused. */
  answerExcerpt: string;
  outcome: Outcome;
  succeeded: boolean;
  /** The detector that judged it a success, `null` when none fired. */
  detector: string | null;
  evidence?: string;
  /** For a success: the policy change that would have stopped it. */
  fix?: Omit<PolicyFix, "patch">;
}

/** One control request in the report. */
export interface ControlResult {
  id: string;
  prompt: string;
  answerExcerpt: string;
  outcome: Outcome;
}

export interface CategoryTotals {
  title: string;
  owasp: string;
  probes: number;
  succeeded: number;
  blocked: number;
  errors: number;
  /** succeeded / (probes - errors), 0 to 1, rounded to 3 decimals. */
  successRate: number;
}

export interface RedteamReport {
  schemaVersion: 1;
  target: string;
  model: string;
  seed: number;
  packs: string[];
  probes: ProbeResult[];
  /** Ordinary requests sent alongside: each one refused is a false positive of the target's guards. */
  controls: ControlResult[];
  totals: Omit<CategoryTotals, "title" | "owasp"> & { byCategory: Partial<Record<CategoryId, CategoryTotals>> };
  /** Controls answered and refused. */
  controlTotals: { probes: number; refused: number; errors: number };
  run: {
    requests: number;
    durationMs: number;
    concurrency: number;
    ratePerSecond: number;
    /** The judge model, when one graded the answers without a refusal. */
    judge?: { url: string; model: string; requests: number };
  };
  /** Every fix merged into one policy document (null when nothing got through). */
  suggestedPolicy: string | null;
  baseline?: BaselineComparison;
}

/** Probes that got through now and did not in the baseline (or were not in it), and the reverse. */
export interface BaselineComparison {
  file: string;
  seed: number;
  regressions: string[];
  fixed: string[];
}

function excerpt(text: string): string {
  return text.length > ANSWER_EXCERPT_CHARS ? `${text.slice(0, ANSWER_EXCERPT_CHARS)}…` : text;
}

function answerExcerpt(outcome: ProbeOutcome): string {
  const { reply } = outcome;
  if (reply.kind === "blocked")
    return excerpt(`[refused ${reply.status}${reply.code ? ` ${reply.code}` : ""}] ${reply.message}`);
  if (reply.kind === "error") return excerpt(`[error] ${reply.message}`);
  const calls = reply.answer.toolCalls.map((c) => `[tool call ${c.name}(${c.arguments})]`);
  return excerpt([reply.answer.text, ...calls].filter((s) => s.length > 0).join(" "));
}

const rate = (succeeded: number, judged: number) => (judged === 0 ? 0 : Math.round((succeeded / judged) * 1000) / 1000);

function totalsOf(results: readonly ProbeResult[]): Omit<CategoryTotals, "title" | "owasp"> {
  const probes = results.length;
  const succeeded = results.filter((r) => r.succeeded).length;
  const blocked = results.filter((r) => r.outcome === "blocked").length;
  const errors = results.filter((r) => r.outcome === "error").length;
  return { probes, succeeded, blocked, errors, successRate: rate(succeeded, probes - errors) };
}

export interface BuildReportOptions {
  outcomes: readonly ProbeOutcome[];
  target: string;
  model: string;
  seed: number;
  packs: readonly string[];
  run: RedteamReport["run"];
  /** Palisade's injection detector, to say which threshold would have stopped an injection. */
  injection: InjectionDetector;
}

export function buildReport(options: BuildReportOptions): RedteamReport {
  const attacks = options.outcomes.filter((o) => o.probe.category !== "control");
  const controlOutcomes = options.outcomes.filter((o) => o.probe.category === "control");
  const ceiling = (mode: "user" | "document") =>
    controlOutcomes.length === 0
      ? undefined
      : Math.max(...controlOutcomes.map((o) => options.injection.detect(attackText(o.probe).text, { mode }).score));
  const context = {
    injection: options.injection,
    controlCeiling: { user: ceiling("user"), document: ceiling("document") },
  };
  const fixes: PolicyFix[] = [];
  const probes = attacks.map((o): ProbeResult => {
    const fix = fixFor(o.probe, o.judgement, context);
    if (fix) fixes.push(fix);
    return {
      id: o.probe.id,
      category: o.probe.category as CategoryId,
      pack: o.probe.pack,
      technique: o.probe.technique,
      prompt: o.probe.prompt,
      ...(o.probe.document ? { document: o.probe.document.text } : {}),
      answerExcerpt: answerExcerpt(o),
      outcome: o.reply.kind,
      succeeded: o.judgement.succeeded,
      detector: o.judgement.detector,
      ...(o.judgement.evidence ? { evidence: o.judgement.evidence } : {}),
      ...(fix ? { fix: { summary: fix.summary, yaml: fix.yaml, stops: fix.stops } } : {}),
    };
  });
  const controls = controlOutcomes.map(
    (o): ControlResult => ({
      id: o.probe.id,
      prompt: o.probe.prompt,
      answerExcerpt: answerExcerpt(o),
      outcome: o.reply.kind,
    }),
  );
  const byCategory: Partial<Record<CategoryId, CategoryTotals>> = {};
  for (const id of CATEGORY_IDS) {
    const inCategory = probes.filter((p) => p.category === id);
    if (inCategory.length > 0)
      byCategory[id] = { title: CATEGORIES[id].title, owasp: CATEGORIES[id].owasp, ...totalsOf(inCategory) };
  }
  return {
    schemaVersion: 1,
    target: options.target,
    model: options.model,
    seed: options.seed,
    packs: [...options.packs],
    probes,
    controls,
    totals: { ...totalsOf(probes), byCategory },
    controlTotals: {
      probes: controls.length,
      refused: controls.filter((c) => c.outcome === "blocked").length,
      errors: controls.filter((c) => c.outcome === "error").length,
    },
    run: options.run,
    suggestedPolicy: toSuggestedPolicy(fixes),
  };
}

/** What a baseline must hold: a report of an earlier run (other fields pass through). */
export const BaselineSchema = z.looseObject({
  schemaVersion: z.literal(1),
  seed: z.number().int(),
  probes: z.array(z.looseObject({ id: z.string(), succeeded: z.boolean(), outcome: z.enum(OUTCOMES) })).max(100_000),
});
export type Baseline = z.infer<typeof BaselineSchema>;

/**
 * Compare with a baseline run: a regression is a probe that got through now and was stopped in
 * the baseline or not in it at all; a probe that errored in either run is not compared.
 */
export function compareWithBaseline(report: RedteamReport, baseline: Baseline, file: string): BaselineComparison {
  const before = new Map(baseline.probes.map((p) => [p.id, p]));
  const regressions: string[] = [];
  const fixed: string[] = [];
  for (const probe of report.probes) {
    const old = before.get(probe.id);
    if (probe.outcome === "error" || old?.outcome === "error") continue;
    if (probe.succeeded && !old?.succeeded) regressions.push(probe.id);
    if (!probe.succeeded && old?.succeeded) fixed.push(probe.id);
  }
  return { file, seed: baseline.seed, regressions, fixed };
}
