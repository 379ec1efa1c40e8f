/**
 * What the runtime policy does with one PII detection. A direction's `default:` reaches only the
 * entities whose precision on ordinary prose is high (cards, IBANs, e-mail, SSNs, IPs, ...);
 * entities that fire on ordinary questions ("What is the capital of France?", "Said ...") are
 * opt-in: acted on only when the policy names them (`PERSON: redact`). Measured on 1,000
 * ordinary prompts by test/ordinary-prompts.test.ts.
 */
import type { GuardAction, RuntimePolicy } from "./schema.js";

/** The two places the gateway guards text: what the caller sends and what the model answers. */
export type PiiDirection = "prompt" | "response";

/** An entity that a direction's `default:` does not reach, and why. */
export interface OptInEntity {
  /** What it fires on in ordinary prose, and the measured figure behind the choice. */
  reason: string;
  /** `default:` still reaches detections scoring at least this (absent: none do). */
  defaultFromScore?: number;
}

/**
 * The opt-in PII entities. Precision figures are from Presidio's synthetic set (docs/detectors.md);
 * examples are from the benign prompts of ../shared/datasets/prompt-attacks.
 */
export const OPT_IN_PII_ENTITIES: Readonly<Record<string, OptInEntity>> = {
  PERSON: {
    reason:
      "name lists match capitalised words of ordinary prose ('Said ...', 'the capital of France', public figures); precision 0.74",
  },
  LOCATION: {
    reason: "countries and cities people ask about ('Tell me about Germany.') are not personal data; precision 0.48",
  },
  ORGANIZATION: {
    reason: "company and university names in ordinary questions ('Apple Inc.') are not personal data",
  },
  STREET_ADDRESS: {
    reason: "a year before a capitalised phrase reads as a house number ('the 2011 Arab Spring'); precision 0.20",
  },
  PHONE_NUMBER: {
    reason:
      "decimals, year ranges and ids score 0.55 with no phone word near ('0.998638', '2000-2023'); from 0.6 (a phone word near) precision is 0.99, recall 0.92",
    defaultFromScore: 0.6,
  },
};

/**
 * The action the runtime policy sets for a PII detection in a direction: the entity's own entry
 * if the policy names it, else `default:` (redact when absent) unless the entity is opt-in.
 * Secrets are not PII: their action is `policy.secrets[direction]`.
 */
export function piiActionFor(
  policy: RuntimePolicy,
  detection: { readonly entity: string; readonly score: number },
  direction: PiiDirection,
): GuardAction {
  const table = policy.pii[direction];
  const named = Object.hasOwn(table, detection.entity) ? table[detection.entity] : undefined;
  if (named !== undefined) return named;
  const optIn = Object.hasOwn(OPT_IN_PII_ENTITIES, detection.entity)
    ? OPT_IN_PII_ENTITIES[detection.entity]
    : undefined;
  if (optIn && (optIn.defaultFromScore === undefined || detection.score < optIn.defaultFromScore)) return "allow";
  return table.default ?? "redact";
}
