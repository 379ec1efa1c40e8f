/**
 * A gate's decision as an event: the CI gate (`palisade scan ... --policy`), the registry gate and
 * the admission webhook each record what they let through or stopped, so "recent gate decisions"
 * and the audit trail show the same policy at work in every place it is enforced. One shape for
 * all three; the event's kind names the gate.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DecisionSchema, type Event, type Verdict } from "../core/index.js";

export const GATES = ["ci", "registry", "admission"] as const;
export type Gate = (typeof GATES)[number];

/** Reasons kept per decision: a scan denied by thousands of findings is summarised, not copied. */
export const MAX_GATE_REASONS = 50;

export const GateDecisionSchema = z.strictObject({
  gate: z.enum(GATES),
  /** What was judged: a scanned path or image, a pulled image, `Kind namespace/name`. */
  target: z.string().min(1).max(2048),
  decision: DecisionSchema,
  /** The policy's name, or how the default gate judged (`--fail-on high`). */
  policy: z.string().max(512),
  reasons: z
    .array(
      z.strictObject({
        ruleId: z.string().max(200),
        decision: DecisionSchema,
        message: z.string().max(2000),
        waivedBy: z.string().max(2000).optional(),
      }),
    )
    .max(MAX_GATE_REASONS),
  /** Reasons beyond those kept. */
  omitted: z.number().int().nonnegative().default(0),
  /** The scan judged (CI gate), the digest pulled (registry gate). */
  scanId: z.string().max(200).optional(),
  digest: z.string().max(256).optional(),
});
export type GateDecision = z.infer<typeof GateDecisionSchema>;

/** The decision of `gate` on `target`, with the verdict's reasons (the unwaived ones first). */
export function toGateDecision(
  gate: Gate,
  target: string,
  verdict: Verdict,
  about: { policy: string } & Pick<GateDecision, "scanId" | "digest">,
): GateDecision {
  const ordered = [...verdict.reasons].sort((a, b) => Number(!!a.waivedBy) - Number(!!b.waivedBy));
  return {
    gate,
    target: target.slice(0, 2048),
    decision: verdict.decision,
    ...about,
    reasons: ordered.slice(0, MAX_GATE_REASONS).map((r) => ({
      ruleId: r.ruleId.slice(0, 200),
      decision: r.decision,
      message: r.message.slice(0, 2000),
      ...(r.waivedBy ? { waivedBy: r.waivedBy.slice(0, 2000) } : {}),
    })),
    omitted: Math.max(0, ordered.length - MAX_GATE_REASONS),
  };
}

const VERDICT_OF = { allow: "allowed", warn: "flagged", deny: "blocked" } as const;

/**
 * The event recording a decision (`at.id`: a stable id makes recording it twice a no-op, as the
 * store's appends are idempotent by id). Its payload names the verdict the store indexes (`blocked`
 * for a deny) and the rule that decided, so gate decisions filter and count like gateway requests.
 */
export function gateDecisionEvent(decision: GateDecision, at: { time?: number; id?: string } = {}): Event {
  const deciding = decision.reasons.find((r) => !r.waivedBy && r.decision === decision.decision);
  const time = at.time ?? Date.now();
  return {
    id: at.id ?? `gate-${randomUUID()}`,
    kind: `gate.${decision.gate}`,
    time,
    correlation: {},
    payload: {
      ...decision,
      verdict: VERDICT_OF[decision.decision],
      ...(deciding ? { reason: deciding.ruleId } : {}),
    },
  };
}

/**
 * The CI gate's event for a scan: timed when the scan finished and keyed by scan and time, so a
 * retried upload of the same run records its decision once, and a new run of the gate is a new one.
 */
export function scanGateEvent(decision: GateDecision, scan: { id: string; startedAt: number; finishedAt?: number }) {
  const time = scan.finishedAt ?? scan.startedAt;
  return gateDecisionEvent({ ...decision, scanId: scan.id }, { time, id: `gate.ci:${scan.id}:${time}` });
}
