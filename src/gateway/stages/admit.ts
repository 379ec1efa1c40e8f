/**
 * Admit stage: reserve the prompt estimate plus the capped output of every answer against the
 * caller's budgets and take a concurrency slot; the pipeline reconciles with real usage at the end.
 */
import type { Logger } from "../../core/index.js";
import { GatewayError } from "../errors.js";
import type { Limiter } from "../limits.js";
import { reservation } from "../token-limits.js";
import type { RequestState } from "./state.js";

/** A rough, tokenizer-free estimate used only to reserve budget; real usage reconciles it. */
export const estimateTokens = (chars: number) => Math.ceil(chars / 4);

export async function admitRequest(state: RequestState, limiter: Limiter, logger: Logger): Promise<void> {
  const { identity, access, budget, policy } = state;
  if (!identity || !access || !budget || !policy) throw new Error("admit runs after authorize");
  const reserved = reservation(estimateTokens(state.prompt.length), budget, access.maxTokens);
  state.record.reservedTokens = reserved;
  let admitted: Awaited<ReturnType<Limiter["admit"]>>;
  try {
    admitted = await limiter.admit(identity.id, access.limits, reserved);
  } catch (error) {
    // The limits store (Redis) is down: the policy's fail mode decides.
    logger.warn({ requestId: state.requestId, err: (error as Error).message }, "limiter unavailable");
    if (policy.runtime.guards.failMode === "closed")
      throw new GatewayError("guard_unavailable", "rate limits cannot be checked right now; try again");
    state.record.limits = "unavailable (fail-open)";
    admitted = { ok: true, finish: async () => {} };
  }
  if (!admitted.ok) {
    state.record.limit = admitted.limit;
    throw new GatewayError("rate_limit_exceeded", `${admitted.limit} limit reached for ${identity.id}`, {
      retryAfterSeconds: admitted.retryAfterSeconds,
    });
  }
  state.admission = admitted;
}
