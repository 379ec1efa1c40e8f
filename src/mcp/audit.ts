/**
 * One audit event per MCP request the proxy answers (tool call, resource read, prompt get) and
 * per alert about a tool definition (changed, poisoned, shadowed). Arguments are recorded as
 * their shape (`{"path": "string", "limit": "number"}`) unless the policy asks for values, which
 * are then redacted like the AI gateway's. The event links to the AI gateway's request when the
 * agent passes that request's id (`x-palisade-request-id` header or `_meta`), and to the MCP
 * session.
 */
import { randomUUID } from "node:crypto";
import type { Event, Identity } from "../core/index.js";
import { type GuardDetectors, type GuardVerdict, redactAll, redactDeep, TRACEPARENT } from "../gateway/index.js";
import type { McpExecEvent } from "./strace.js";

export const MCP_CALL_EVENT = "mcp.call";
export const MCP_ALERT_EVENT = "mcp.alert";
/** A program a sandboxed MCP server executed (a runtime event: "MCP server github spawned /bin/sh"). */
export const MCP_EXEC_EVENT = "mcp.exec";

/** `_meta` key an agent may set on a request to name the AI gateway request it belongs to. */
export const REQUEST_ID_META = "palisade.dev/request-id";

/** Ids tying an MCP request to the rest: the gateway request, the trace, the MCP session. */
export interface McpCorrelation {
  requestId?: string;
  traceparent?: string;
  sessionId?: string;
}

export interface McpCallRecord {
  identity: Identity;
  method: "tools/call" | "resources/read" | "prompts/get";
  server: string | undefined;
  /** Tool or prompt name (namespaced as the agent sent it), or the resource URI. */
  target: string;
  arguments: unknown;
  decision: "allow" | "deny" | "error";
  /** Why it was denied or failed (the JSON-RPC error message). */
  reason?: string;
  /** The rule or guard that decided (`mcp.tool-not-allowed`, `mcp.argument`, `injection`...). */
  rule?: string;
  verdicts: readonly GuardVerdict[];
  latencyMs: number;
  /** Whether a guard rewrote the arguments or the answer. */
  redacted: boolean;
  correlation: McpCorrelation;
  /** Record argument values (redacted), not only their shape. */
  values: boolean;
}

const MAX_SHAPE_KEYS = 64;
const MAX_SHAPE_DEPTH = 6;
const ID_LIMIT = 128;

/** The JSON types of a value, keys kept (redacted): what an auditor needs without the data. */
export function shapeOf(value: unknown, detectors: GuardDetectors, depth = 0): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (depth >= MAX_SHAPE_DEPTH) return `array(${value.length})`;
    const items = [
      ...new Set(value.slice(0, MAX_SHAPE_KEYS).map((v) => JSON.stringify(shapeOf(v, detectors, depth + 1)))),
    ];
    return { array: value.length, items: items.map((i) => JSON.parse(i)) };
  }
  if (typeof value === "object") {
    if (depth >= MAX_SHAPE_DEPTH) return "object";
    const entries = Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, MAX_SHAPE_KEYS))
      out[redactAll(k, detectors)] = shapeOf(v, detectors, depth + 1);
    if (entries.length > MAX_SHAPE_KEYS) out["…"] = `${entries.length - MAX_SHAPE_KEYS} more keys`;
    return out;
  }
  return typeof value;
}

export function mcpCallEvent(record: McpCallRecord, detectors: GuardDetectors): Event {
  const traceId = record.correlation.traceparent ? TRACEPARENT.exec(record.correlation.traceparent)?.[1] : undefined;
  const clip = (s: string | undefined) => (s === undefined ? undefined : redactAll(s.slice(0, ID_LIMIT), detectors));
  const requestId = clip(record.correlation.requestId);
  const sessionId = clip(record.correlation.sessionId);
  return {
    id: randomUUID(),
    kind: MCP_CALL_EVENT,
    time: Date.now(),
    identity: record.identity.id,
    correlation: {
      ...(requestId ? { requestId } : {}),
      ...(traceId ? { traceId } : {}),
      ...(sessionId ? { sessionId } : {}),
    },
    payload: {
      method: record.method,
      server: record.server ?? null,
      target: redactAll(record.target.slice(0, 1024), detectors),
      decision: record.decision,
      ...(record.reason ? { reason: redactAll(record.reason.slice(0, 2048), detectors) } : {}),
      ...(record.rule ? { rule: record.rule } : {}),
      argumentShape: shapeOf(record.arguments ?? {}, detectors),
      ...(record.values ? { argumentValues: redactDeep(record.arguments ?? {}, detectors) } : {}),
      guards: redactDeep(record.verdicts, detectors),
      redacted: record.redacted,
      latencyMs: Math.round(record.latencyMs * 100) / 100,
    },
  };
}

export interface McpAlert {
  /** `mcp.tool-changed`, `mcp.poisoning.*`, `mcp.shadowing`... */
  rule: string;
  server: string;
  /** The tool, prompt or resource concerned. */
  target: string;
  message: string;
  /** Hidden from agents (enforce) or only reported (monitor). */
  action: "hidden" | "reported";
  detail?: Record<string, unknown>;
}

export function mcpAlertEvent(alert: McpAlert, detectors: GuardDetectors): Event {
  return {
    id: randomUUID(),
    kind: MCP_ALERT_EVENT,
    time: Date.now(),
    correlation: {},
    payload: redactDeep({ ...alert }, detectors) as Record<string, unknown>,
  };
}

/** An exec seen by the sandbox's tracer, as a stored event (argv redacted: it may carry tokens). */
export function mcpExecEvent(exec: McpExecEvent, detectors: GuardDetectors): Event {
  return {
    id: randomUUID(),
    kind: MCP_EXEC_EVENT,
    time: Math.round(exec.time),
    correlation: { workload: `mcp:${exec.server}` },
    payload: {
      server: exec.server,
      pid: exec.pid,
      path: redactAll(exec.path, detectors),
      argv: exec.argv.map((a) => redactAll(a, detectors)),
      truncated: exec.truncated,
      message: `MCP server ${exec.server} executed ${exec.path}`,
    },
  };
}
