/**
 * The CI gate every `palisade scan ...` command shares: `--policy FILE...` evaluates the scan
 * result with the policy, `--exit-code` turns a deny into exit 1, and `--format sarif` writes
 * SARIF 2.1.0. Without a policy the scanner's own default applies (e.g. malicious → fail).
 */
import { basename } from "node:path";
import { type Command, Option } from "commander";
import {
  type Finding,
  isAtLeast,
  type Location,
  PalisadeError,
  type Reason,
  type Severity,
  type Verdict,
} from "../core/index.js";
import type { ScanInputDraft } from "../policy/index.js";
import { packageVersion } from "./commands/version.js";
import { createOutput, renderTable } from "./output.js";

export interface GateFlags {
  policy?: string[];
  exitCode?: boolean;
  failOn?: Severity;
}

/** Add --policy, --exit-code and --fail-on to a scan command. */
export function addGateOptions(command: Command): Command {
  return command
    .option("-p, --policy <files...>", "evaluate the result with these policy files")
    .option("--exit-code", "exit 1 when the gate fails (policy deny, or findings at --fail-on and above)")
    .addOption(
      new Option("--fail-on <severity>", "without a policy: fail on findings at this severity or above")
        .choices(["critical", "high", "medium", "low", "info"])
        .default("high"),
    );
}

/** Judge a scan: with a policy its verdict, otherwise deny when a finding reaches --fail-on. */
export async function judgeScan(input: Omit<ScanInputDraft, "kind">, flags: GateFlags): Promise<Verdict> {
  const { compilePolicy, loadPolicyFiles, ScanInputSchema } = await import("../policy/index.js");
  const parsed = ScanInputSchema.parse({ ...input, kind: "scan" });
  if (flags.policy && flags.policy.length > 0) return compilePolicy(loadPolicyFiles(flags.policy)).evaluate(parsed);
  const threshold = flags.failOn ?? "high";
  const failing = parsed.findings.filter((f) => isAtLeast(f.severity, threshold));
  return {
    decision: failing.length > 0 ? "deny" : "allow",
    reasons: failing.map((f) => ({
      ruleId: f.ruleId,
      decision: "deny" as const,
      message: `${f.title} (${f.severity})`,
      ...(f.location ? { location: f.location } : {}),
    })),
  };
}

/** What the CI gate decided about a scan, recorded with it (src/policy/gate-decision.ts). */
export interface CiGate {
  verdict: Verdict;
  /** The policy files' names, or how the default gate judged. */
  policy: string;
}

/** The CI gate's decision, when the user asked for a gate (a policy, or `--exit-code`): a plain scan decides nothing. */
export function ciGate(verdict: Verdict | undefined, flags: GateFlags): CiGate | undefined {
  const policies = flags.policy ?? [];
  if (!verdict || (policies.length === 0 && !flags.exitCode)) return undefined;
  const policy =
    policies.length > 0
      ? policies.map((f) => basename(f)).join("+")
      : `default gate (--fail-on ${flags.failOn ?? "high"})`;
  return { verdict, policy };
}

/**
 * For each reason, the index of the finding it is about (or undefined): the reason carries the
 * finding's rule (its own id in the default gate, `findingRuleId` in a policy's) and location.
 */
export function findingsBehind(
  reasons: readonly Reason[],
  findings: readonly Pick<Finding, "ruleId" | "location">[],
): (number | undefined)[] {
  const taken = new Set<number>();
  return reasons.map((reason) => {
    const at = reason.location;
    if (!at) return undefined;
    const index = findings.findIndex(
      (f, i) =>
        !taken.has(i) &&
        (reason.findingRuleId ?? reason.ruleId) === f.ruleId &&
        f.location?.path === at.path &&
        f.location.line === at.line &&
        f.location.column === at.column,
    );
    if (index < 0) return undefined;
    taken.add(index);
    return index;
  });
}

/** `path:line[:column]` of a location. */
export function formatLocation(location: Location): string {
  const line = location.line ? `:${location.line}${location.column ? `:${location.column}` : ""}` : "";
  return `${location.path}${line}`;
}

/** Print the verdict summary (table or SARIF is the caller's main output) and apply --exit-code. */
export async function finishGate(
  verdict: Verdict,
  flags: GateFlags,
  options: {
    format: string;
    findings: readonly Finding[];
    /** Absolute path the findings' relative paths are relative to (SARIF `%SRCROOT%`). */
    srcRoot?: string;
  },
): Promise<void> {
  if (options.format === "sarif") {
    const { toSarif } = await import("../sbom/index.js");
    const behind = findingsBehind(verdict.reasons, options.findings);
    const findingReasons = options.findings.map((_, i) => verdict.reasons[behind.indexOf(i)]);
    createOutput().json(
      toSarif({
        toolVersion: packageVersion(),
        findings: options.findings,
        findingReasons,
        ...(options.srcRoot === undefined ? {} : { srcRoot: options.srcRoot }),
      }),
    );
  } else if (options.format === "table" && verdict.reasons.length > 0) {
    const out = createOutput();
    out.text(`\ngate: ${verdict.decision}`);
    // SOURCE and WAIVED BY only when some reason has one: the default gate has neither.
    const reasons = verdict.reasons;
    const sourced = reasons.some((r) => r.source);
    const waived = reasons.some((r) => r.waivedBy);
    out.text(
      renderTable(
        ["RULE", "DECISION", "LOCATION", "MESSAGE", ...(sourced ? ["SOURCE"] : []), ...(waived ? ["WAIVED BY"] : [])],
        reasons.map((r) => [
          r.ruleId,
          r.decision,
          r.location ? formatLocation(r.location) : undefined,
          r.message,
          ...(sourced ? [r.source ?? ""] : []),
          ...(waived ? [r.waivedBy ?? ""] : []),
        ]),
      ),
    );
  }
  if (flags.exitCode && verdict.decision === "deny") {
    throw new PalisadeError(
      "gate-failed",
      `gate failed: ${verdict.reasons.filter((r) => !r.waivedBy && r.decision === "deny").length} violation(s)`,
    );
  }
}
