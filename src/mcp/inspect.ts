/**
 * Call inspection: the AI gateway's guards (one pipeline, one field model) run over MCP
 * messages. Tool arguments leave for a server: secrets and PII in them are data being
 * exfiltrated, judged by `runtime.mcp.arguments`. Results, resources and prompts come back to the
 * model: indirect prompt injection (document mode), secrets and PII, judged by
 * `runtime.mcp.results`. Each direction gets the runtime policy with its MCP actions put in the
 * prompt slots the guards read, so the guards themselves need not know about MCP.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import {
  createGuards,
  type GatewayError,
  type GuardDetectors,
  type GuardVerdict,
  type Spec,
} from "../gateway/index.js";
import type { RuntimePolicy } from "../policy/index.js";

/**
 * JSON-RPC error code of a refusal by Palisade's policy (in the implementation-defined server
 * range -32000..-32099; the SDK uses -32000 and -32001 for closed connections and timeouts).
 */
export const POLICY_DENIED = -32003;

export type Direction = "arguments" | "results";

export interface Inspection {
  /** The message must not pass (enforce mode): the JSON-RPC error to answer with. */
  block?: McpError;
  /** Whether a guard rewrote a text (redaction). */
  changed: boolean;
  verdicts: GuardVerdict[];
}

/** The runtime policy with `runtime.mcp`'s actions for `direction` in the guards' prompt slots. */
export function policyFor(runtime: RuntimePolicy, direction: Direction): RuntimePolicy {
  const mcp = runtime.mcp;
  if (direction === "arguments")
    return {
      ...runtime,
      pii: { ...runtime.pii, prompt: mcp.arguments.pii },
      secrets: { ...runtime.secrets, prompt: mcp.arguments.secrets },
      systemPrompts: [],
    };
  return {
    ...runtime,
    pii: { ...runtime.pii, prompt: mcp.results.pii },
    secrets: { ...runtime.secrets, prompt: mcp.results.secrets },
    injection: { ...runtime.injection, document: { ...runtime.injection.document, action: mcp.results.injection } },
    systemPrompts: [],
  };
}

/** Guards `body` (rewritten in place) against `spec` in one direction. */
export async function inspectMessage(
  runtime: RuntimePolicy,
  detectors: GuardDetectors,
  direction: Direction,
  body: Record<string, unknown>,
  spec: Spec,
  hashKey: string,
): Promise<Inspection> {
  const policy = policyFor(runtime, direction);
  const guards = createGuards(policy, detectors, { hashKey });
  const before = JSON.stringify(body);
  const { block } = await guards.inspectRequest(body, spec, "mcp");
  guards.finish();
  return {
    ...(block ? { block: toMcpError(block, direction) } : {}),
    changed: JSON.stringify(body) !== before,
    verdicts: guards.verdicts,
  };
}

/** A guard's refusal as a JSON-RPC error: policy refusals get POLICY_DENIED, a failed guard -32603. */
function toMcpError(error: GatewayError, direction: Direction): McpError {
  const where = direction === "arguments" ? "tool arguments" : "server answer";
  if (error.code === "guard_unavailable")
    return new McpError(ErrorCode.InternalError, `${where}: ${error.message}`, { palisade: { code: error.code } });
  return new McpError(POLICY_DENIED, `${where} refused by policy: ${error.message}`, {
    palisade: { code: error.code, direction },
  });
}
