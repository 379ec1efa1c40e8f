/**
 * The one evaluator every gate and the gateways use: a loaded policy compiled once into checks;
 * `evaluate(input)` returns allow / warn / deny with every reason, its rule id, the policy file
 * and line, and the exception that waived it, if any. Never throws on a well-typed input.
 */
import type { Verdict } from "../core/index.js";
import { compileCustomRules } from "./custom.js";
import type { PolicyInput } from "./input.js";
import { compileKubernetes } from "./kubernetes.js";
import type { LoadedPolicy } from "./load.js";
import { type CompiledRuntime, compileRuntime, type EffectiveAccess } from "./runtime.js";
import { defaultRuntime, type KubernetesPolicy, type RuntimePolicy } from "./schema.js";
import { compileSupplyChain } from "./supply-chain.js";
import { compileExceptions, toVerdict, type Violation } from "./verdict.js";

export interface CompiledPolicy {
  readonly name: string;
  readonly files: readonly string[];
  /** The runtime section with defaults filled in (guards, PII, injection, logging). */
  readonly runtime: RuntimePolicy;
  /** The kubernetes section (admission's knobs: image budget, AI images), when the policy has one. */
  readonly kubernetes: KubernetesPolicy | undefined;
  /** The policy as loaded (merged spec, files), for views that show it. */
  readonly loaded: LoadedPolicy;
  evaluate(input: PolicyInput, options?: { today?: Date }): Verdict;
  /** What an identity may do (roles, max_tokens cap, limits), for the gateway's enforcement. */
  access(identity: { id: string; roles: readonly string[] }): EffectiveAccess;
}

export function compilePolicy(policy: LoadedPolicy): CompiledPolicy {
  const at = (path: string) => policy.sources.at(path);
  const { spec } = policy;
  const supplyChain = compileSupplyChain(spec.supplyChain, at);
  const runtime: CompiledRuntime = compileRuntime(spec.runtime, at);
  const kubernetes = compileKubernetes(spec.kubernetes, at, spec.supplyChain?.models?.approved ?? []);
  const custom = compileCustomRules(spec.rules, at);
  const exceptions = compileExceptions(spec.exceptions, (i) => at(`exceptions.${i}`));

  return {
    name: policy.name,
    files: policy.files,
    runtime: spec.runtime ?? defaultRuntime(),
    kubernetes: spec.kubernetes,
    loaded: policy,
    access: (identity) => runtime.access(identity),
    evaluate(input, options = {}) {
      const today = options.today ?? new Date();
      const violations: Violation[] = [];
      switch (input.kind) {
        case "scan":
          for (const check of supplyChain) violations.push(...check(input, today));
          break;
        case "request":
          violations.push(...runtime.check(input));
          break;
        case "kubernetes":
          for (const check of kubernetes) violations.push(...check(input));
          break;
      }
      for (const check of custom[input.kind]) violations.push(...check(input));
      if (violations.length === 0) return { decision: "allow", reasons: [] };
      return toVerdict(violations, exceptions, today.toISOString().slice(0, 10));
    },
  };
}
