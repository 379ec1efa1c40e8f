/** Custom rules: CEL expressions over the typed input, compiled once at load. */
import { parse as parseCel } from "@marcbachmann/cel-js";
import { type PolicyInput, targetOf } from "./input.js";
import type { CustomRule } from "./schema.js";
import type { Violation } from "./verdict.js";

type Kind = PolicyInput["kind"];
type Check = (input: PolicyInput) => Violation[];

/** Compiled checks per input kind, so a request only pays for rules that apply to requests. */
export function compileCustomRules(rules: readonly CustomRule[], at: (path: string) => string): Record<Kind, Check[]> {
  const byKind: Record<Kind, Check[]> = { scan: [], request: [], kubernetes: [] };
  rules.forEach((rule, i) => {
    const evaluate = parseCel(rule.expression);
    const source = at(`rules.${i}`);
    const check: Check = (input) => {
      try {
        return evaluate({ input }) === true
          ? [{ ruleId: rule.id, action: rule.action, source, target: targetOf(input), message: rule.message }]
          : [];
      } catch (error) {
        // A rule that cannot judge this input must not pass silently, nor crash the gate.
        const reason = error instanceof Error ? (error.message.split("\n", 1)[0] ?? "") : String(error);
        return [
          {
            ruleId: "policy.rule-error",
            action: "warn",
            source,
            target: targetOf(input),
            message: `rule ${rule.id} failed: ${reason}`,
          },
        ];
      }
    };
    for (const kind of rule.appliesTo) byKind[kind].push(check);
  });
  return byKind;
}
