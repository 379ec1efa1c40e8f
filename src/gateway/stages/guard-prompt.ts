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
  const gaveUp = new AbortController();
  const guards = createGuards(runtime, deps.detectors, {
    hashKey: deps.hashKey,
    signal: gaveUp.signal,
    ...(deps.pool ? { pool: deps.pool } : {}),
  });
  state.guards = guards;
  // Guards rewrite in place (a copy of a 10 MB body would hold the event loop). A fail-open
  // timeout forwards the body as far as it was guarded: every rewrite only removes data.
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), runtime.guards.timeBudgetMs);
  });
  const result = await Promise.race([guards.inspectRequest(body, endpoint.fields.request, state.route), budget]);
  clearTimeout(timer);
  if (result === TIMED_OUT) {
    // Worker threads stop scanning for a request that no longer waits.
    gaveUp.abort();
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
  } else if (result.block) throw result.block;
  const system = runtime.systemPrompts.filter((s) => compileGlobs([s.route])(state.route)).map((s) => s.text);
  return system.length > 0 ? endpoint.withSystemPrompt(body, system.join("\n\n")) : body;
}
