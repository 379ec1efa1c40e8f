/** Building verdicts: reasons with their source, exceptions applied, the strictest decision wins. */
import type { Decision, Location, Reason, Verdict } from "../core/index.js";
import { compileGlobs, type Matcher } from "./glob.js";
import type { Action, PolicyException } from "./schema.js";

export interface Violation {
  ruleId: string;
  action: Action;
  message: string;
  /** `file:line` of the policy value that produced it. */
  source: string;
  /** What it is about (image, purl, model id, identity, namespace/name), matched by exceptions. */
  target: string;
  /** Where the finding behind it is, when there is one. */
  location?: Location;
  /** The rule of the scanner finding behind it, when it is about one. */
  findingRuleId?: string;
}

export interface CompiledException {
  matchesRule: Matcher;
  matchesTarget: Matcher;
  /** Last day it applies (inclusive), as an ISO date. */
  expires: string;
  label: string;
  /** The exception as written. */
  exception: PolicyException;
}

/** The exceptions matching a rule (or any of several) and a target: one in force, else one that expired. */
export function matchException(
  exceptions: readonly CompiledException[],
  ruleIds: readonly string[],
  target: string,
  today: string,
): { active?: CompiledException; expired?: CompiledException } {
  const matching = exceptions.filter((e) => ruleIds.some((id) => e.matchesRule(id)) && e.matchesTarget(target));
  const active = matching.find((e) => e.expires >= today);
  if (active) return { active };
  return matching[0] ? { expired: matching[0] } : {};
}

export function compileExceptions(
  exceptions: readonly PolicyException[],
  sourceOf: (index: number) => string,
): CompiledException[] {
  return exceptions.map((e, i) => ({
    matchesRule: compileGlobs([e.rule]),
    matchesTarget: compileGlobs([e.target]),
    expires: e.expires,
    label: `exception ${sourceOf(i)} (owner ${e.owner}, expires ${e.expires}): ${e.reason}`,
    exception: e,
  }));
}

/** Apply exceptions as of `today` (ISO date) and fold violations into one verdict. */
export function toVerdict(
  violations: readonly Violation[],
  exceptions: readonly CompiledException[],
  today: string,
): Verdict {
  let decision: Decision = "allow";
  const reasons: Reason[] = [];
  for (const v of violations) {
    // An exception may name the policy rule or, for a scanner finding, the finding's own rule.
    const { active, expired } = matchException(
      exceptions,
      v.findingRuleId === undefined ? [v.ruleId] : [v.ruleId, v.findingRuleId],
      v.target,
      today,
    );
    if (active) {
      reasons.push({
        ruleId: v.ruleId,
        decision: v.action,
        message: v.message,
        source: v.source,
        waivedBy: active.label,
        ...about(v),
      });
      continue;
    }
    const message = expired ? `${v.message} (an exception expired: ${expired.label})` : v.message;
    reasons.push({
      ruleId: v.ruleId,
      decision: v.action,
      message,
      source: v.source,
      ...about(v),
    });
    if (v.action === "deny") decision = "deny";
    else if (decision === "allow") decision = "warn";
  }
  return { decision, reasons };
}

/** What a reason is about, copied from its violation when known. */
function about(v: Violation): Pick<Reason, "location" | "findingRuleId"> {
  return {
    ...(v.location ? { location: v.location } : {}),
    ...(v.findingRuleId ? { findingRuleId: v.findingRuleId } : {}),
  };
}
