/**
 * Guard-in stage: every text of the request guarded against the endpoint's field table within
 * the policy's time budget (over budget, the fail mode decides), then the organisation's
 * system prompts for the route put in front.
 */
import { compileGlobs } from "../../policy/index.js";
import { GatewayError } from "../errors.js";
import { createGuards, type GuardDetectors, type OffThreadAnalyser } from "../guards.js";
import type { Json, RequestState } from "./state.js";

export interface GuardStageDeps {
  detectors: GuardDetectors;
  hashKey: string;
  pool?: OffThreadAnalyser;
}

const TIMED_OUT = Symbol("timed out");

export async function guardPrompt(state: RequestState, body: Json, deps: GuardStageDeps): Promise<Json> {
  const { policy, endpoint } = state;
  if (!policy) throw new Error("guard runs after authorize");
  const runtime = policy.runtime;
  const guards = createGuards(runtime, deps.detectors, {
    hashKey: deps.hashKey,
    ...(deps.pool ? { pool: deps.pool } : {}),
  });
  state.guards = guards;
  // Guards rewrite in place: work on a copy so a fail-open timeout forwards the body as it came.
  const guarded = structuredClone(body);
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), runtime.guards.timeBudgetMs);
  });
  const result = await Promise.race([guards.inspectRequest(guarded, endpoint.fields.request, state.route), budget]);
  clearTimeout(timer);
  let next = guarded;
  if (result === TIMED_OUT) {
    guards.verdicts.push({
      guard: "policy",
      direction: "prompt",
      outcome: "error",
      signals: [`guard-time-budget:${runtime.guards.timeBudgetMs}ms`],
    });
    if (runtime.guards.failMode === "closed")
      throw new GatewayError(
        "guard_unavailable",
        `the content guards did not finish within ${runtime.guards.timeBudgetMs} ms and the policy fails closed`,
      );
    next = body;
  } else if (result.block) throw result.block;
  const system = runtime.systemPrompts.filter((s) => compileGlobs([s.route])(state.route)).map((s) => s.text);
  return system.length > 0 ? endpoint.withSystemPrompt(next, system.join("\n\n")) : next;
}
