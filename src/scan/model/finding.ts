/** Building findings from the rule registry. */
import { MODEL_RULES, type ModelRuleId } from "./rules.js";
import type { ModelFinding } from "./types.js";

/** A finding of `rule` with its severity and effect taken from the registry. */
export function aFinding(rule: ModelRuleId, detail: string, offset?: number): ModelFinding {
  const def = MODEL_RULES[rule];
  const finding: ModelFinding = { rule, severity: def.severity, effect: def.effect, detail };
  if (offset !== undefined) finding.offset = offset;
  return finding;
}

/** Shorthand for an `unscannable` finding with its reason. */
export function unscannable(reason: string, offset?: number): ModelFinding {
  return aFinding("unscannable", reason, offset);
}

/** Findings of an archive member, tagged with the member's path. */
export function inEntry(entry: string, findings: readonly ModelFinding[]): ModelFinding[] {
  return findings.map((f) => ({ ...f, entry: f.entry ? `${entry}!${f.entry}` : entry }));
}
