/**
 * Organisation-defined recognisers (the policy's `runtime.pii.custom`): a pattern, a named
 * validator and context words, e.g. an internal account-number format. The policy loader has
 * already refused unsafe patterns (nested unbounded quantifiers, back-references).
 */
import { definePatternRecognizer, type Recognizer } from "./recognizer.js";
import { digitsOf, isAbaRouting, isIban, isLuhnValid } from "./validators.js";

export const CUSTOM_VALIDATORS = ["none", "luhn", "mod97", "aba"] as const;
export type CustomValidator = (typeof CUSTOM_VALIDATORS)[number];

export interface CustomRecognizerSpec {
  id: string;
  entity: string;
  pattern: string;
  validator: CustomValidator;
  context: readonly string[];
  score: number;
}

/** ISO 7064 mod 97-10 over letters (A=10..Z=35) and digits, as IBANs and many national ids use. */
function isMod97(value: string): boolean {
  const compact = value.replace(/[\s-]/g, "").toUpperCase();
  if (!/^[0-9A-Z]{2,64}$/.test(compact)) return false;
  let remainder = 0;
  for (const c of compact) {
    const n = c >= "A" ? c.charCodeAt(0) - 55 : Number(c);
    remainder = (remainder * (n >= 10 ? 100 : 10) + n) % 97;
  }
  return remainder === 1;
}

const VALIDATE: Record<CustomValidator, ((value: string) => boolean) | undefined> = {
  none: undefined,
  luhn: (v) => isLuhnValid(digitsOf(v)),
  mod97: (v) => isIban(v) || isMod97(v),
  aba: isAbaRouting,
};

export function defineCustomRecognizer(spec: CustomRecognizerSpec): Recognizer {
  const check = VALIDATE[spec.validator];
  return definePatternRecognizer({
    id: `custom:${spec.id}`,
    entity: spec.entity,
    pattern: new RegExp(spec.pattern),
    // Without context a custom pattern scores a little below its configured score.
    baseScore: spec.context.length > 0 ? Math.max(0, spec.score - 0.2) : spec.score,
    ...(check ? { validate: (v: string) => (check(v) ? Math.min(1, spec.score + 0.1) : false) } : {}),
    context: spec.context,
    contextBoost: 0.2,
    maxLength: 256,
  });
}
