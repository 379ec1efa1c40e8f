/**
 * Authorise stage: the caller's roles, one normalised output budget (every alias of
 * max_tokens, times the answers asked for), the role's cap written into every alias, the tools
 * the request declares, and the policy's decision. `policy eval` sees the same input.
 */
import { GatewayError } from "../errors.js";
import { applyOutputCap, outputBudget } from "../token-limits.js";
import type { Json, RequestState } from "./state.js";

/** Request header naming the caller's use case, checked against the roles' `useCases`. */
export const USE_CASE_HEADER = "x-palisade-use-case";

/** The use-case header's value: one short token, or a 400 naming the header. */
function useCaseOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(",") : value;
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(text))
    throw new GatewayError(
      "invalid_request",
      `${USE_CASE_HEADER} must be one token of letters, digits and . _ : - (at most 128 characters)`,
      { param: USE_CASE_HEADER },
    );
  return text;
}

export function authorizeRequest(state: RequestState, body: Json): Json {
  const { endpoint, policy, identity, model } = state;
  if (!policy || !identity || !model) throw new Error("authorize runs after authenticate and parse");
  const access = policy.access(identity);
  state.access = access;
  state.record.roles = access.roles;
  const budget = outputBudget(body, endpoint.tokens);
  state.budget = budget;
  let next = body;
  if (access.maxTokens !== undefined && endpoint.tokens !== "none")
    next = applyOutputCap(body, endpoint.tokens, access.maxTokens);
  // The cap rewrites token limits only: the tools are those the parse stage found.
  const tools = state.tools;
  const useCase = useCaseOf(state.req.headers[USE_CASE_HEADER]);
  if (useCase !== undefined) state.record.useCase = useCase;
  const verdict = policy.evaluate({
    kind: "request",
    identity: { id: identity.id, roles: identity.roles },
    route: state.route,
    model,
    tools,
    ...(budget.asked !== undefined ? { maxTokens: budget.asked } : {}),
    ...(useCase !== undefined ? { useCase } : {}),
  });
  state.record.policy = verdict;
  if (verdict.decision === "deny") {
    const reasons = verdict.reasons.filter((r) => r.decision === "deny" && !r.waivedBy);
    throw new GatewayError("permission_denied", reasons.map((r) => r.message).join("; "));
  }
  return next;
}
