/**
 * Records gate decisions as events without repeating itself: a client pulling an image asks for
 * its manifest twice (HEAD, then GET) and the API server may send the same review again, so the
 * same decision about the same thing within a short window is recorded once.
 */
import type { Event, Verdict } from "../core/index.js";
import { type Gate, gateDecisionEvent, toGateDecision } from "../policy/index.js";

export interface GateRecorder {
  /** Record `verdict` about `target` unless the same was recorded within the window. */
  decided(target: string, verdict: Verdict, about?: { digest?: string }): void;
}

export interface GateRecorderOptions {
  gate: Gate;
  /** The policy's name, read at each decision (it may be reloaded). */
  policy: () => string;
  record: (event: Event) => void;
  /** Repeats within this window are dropped (default 60 s). */
  windowMs?: number;
  now?: () => number;
}

const MAX_REMEMBERED = 10_000;

export function createGateRecorder(options: GateRecorderOptions): GateRecorder {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    decided(target, verdict, about = {}) {
      const at = now();
      const key = JSON.stringify([target, about.digest, verdict.decision, verdict.reasons.map((r) => r.ruleId)]);
      const last = seen.get(key);
      if (last !== undefined && at - last < windowMs) return;
      seen.delete(key);
      seen.set(key, at);
      // Oldest first in insertion order: forgetting the oldest bounds memory under any load.
      if (seen.size > MAX_REMEMBERED) seen.delete(seen.keys().next().value as string);
      const decision = toGateDecision(options.gate, target, verdict, {
        policy: options.policy(),
        ...(about.digest ? { digest: about.digest } : {}),
      });
      options.record(gateDecisionEvent(decision, { time: at }));
    },
  };
}
