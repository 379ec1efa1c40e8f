/**
 * The summary facts of an event that dashboards filter and count by: what happened to it
 * (verdict), why (reason: the guard or rule that decided), which model, how many tokens. They
 * are derived from the payload the producers write (gateway requests, MCP calls), so the store
 * can keep them in indexed columns beside the payload without every producer repeating them,
 * and events stored before the columns existed are filled the same way.
 */
export const EVENT_VERDICTS = ["allowed", "redacted", "flagged", "blocked", "rejected", "error"] as const;
export type EventVerdict = (typeof EVENT_VERDICTS)[number];

export interface EventFacts {
  verdict: EventVerdict | null;
  reason: string | null;
  model: string | null;
  tokens: number | null;
  /** How long the upstream took (gateway) or the call (MCP): summed per model it estimates GPU time. */
  latencyMs: number | null;
}

const FACT_TEXT = 200;

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const asText = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v.slice(0, FACT_TEXT) : null);
const asCount = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);

interface GuardOutcome {
  guard: string;
  outcome: string;
}

function guardsOf(payload: Record<string, unknown>): GuardOutcome[] {
  const guards = Array.isArray(payload.guards) ? payload.guards : [];
  return guards.flatMap((g) => {
    const r = asRecord(g);
    return r && typeof r.guard === "string" && typeof r.outcome === "string"
      ? [{ guard: r.guard, outcome: r.outcome }]
      : [];
  });
}

/** The strongest guard outcome, with the guard that produced it. */
function byGuards(guards: readonly GuardOutcome[]): { verdict: EventVerdict; reason: string } | undefined {
  for (const [outcome, verdict] of [
    ["blocked", "blocked"],
    ["redacted", "redacted"],
    ["flagged", "flagged"],
  ] as const) {
    const hit = guards.find((g) => g.outcome === outcome);
    if (hit) return { verdict, reason: hit.guard };
  }
  return undefined;
}

function verdictOf(kind: string, payload: Record<string, unknown>): Pick<EventFacts, "verdict" | "reason"> {
  const guards = guardsOf(payload);
  const explicit = asText(payload.verdict);
  if (explicit && (EVENT_VERDICTS as readonly string[]).includes(explicit))
    return { verdict: explicit as EventVerdict, reason: asText(payload.reason) };
  if (kind === "gateway.request") {
    const decided = byGuards(guards);
    if (decided?.verdict === "blocked") return decided;
    const status = asCount(payload.status);
    if (status >= 500)
      return { verdict: "error", reason: asText(payload.upstreamError) ? "upstream" : `http-${status}` };
    if (status >= 400) return { verdict: "rejected", reason: `http-${status}` };
    return decided ?? { verdict: "allowed", reason: null };
  }
  if (kind === "mcp.call") {
    const rule = asText(payload.rule);
    if (payload.decision === "deny") return { verdict: "blocked", reason: rule ?? byGuards(guards)?.reason ?? null };
    if (payload.decision === "error") return { verdict: "error", reason: rule };
    return byGuards(guards) ?? { verdict: payload.redacted === true ? "redacted" : "allowed", reason: null };
  }
  return { verdict: null, reason: null };
}

export function eventFacts(kind: string, payload: Record<string, unknown>): EventFacts {
  const usage = asRecord(payload.usage);
  const tokens = usage ? asCount(usage.prompt) + asCount(usage.completion) : null;
  return {
    ...verdictOf(kind, payload),
    model: asText(payload.model),
    tokens: usage ? tokens : null,
    latencyMs:
      typeof payload.latencyMs === "number" && Number.isFinite(payload.latencyMs) && payload.latencyMs >= 0
        ? Math.round(payload.latencyMs)
        : null,
  };
}
