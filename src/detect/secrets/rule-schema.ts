/**
 * The secret rule file format (`rules/secrets/*.yaml`): a strict zod schema, so a typo in a
 * shipped or user rule fails at load with the file, line and path.
 */

import { z } from "zod";
import { SeveritySchema } from "../../core/index.js";

/** Longest pattern source accepted; long patterns are hard to review and slow to compile. */
export const MAX_PATTERN_LENGTH = 2048;
/** Longest span any rule may report (PEM private keys are the long ones). */
export const MAX_SECRET_SPAN = 8192;

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ENTITY = /^[A-Z][A-Z0-9_]*$/;
/** Keywords are matched case-insensitively over ASCII by the prefilter. */
const KEYWORD = /^[\x20-\x7e]+$/;

/** Values a rule ignores even when its pattern matches (placeholders, stopwords). */
export const SecretAllowlistSchema = z.strictObject({
  /** Case-insensitive substrings; a value containing one is not reported. */
  stopwords: z.array(z.string().min(1).max(64)).max(500).default([]),
  /** Patterns (same safety checks as rule patterns) that, when found in the value, suppress it. */
  patterns: z.array(z.string().min(1).max(256)).max(50).default([]),
});
export type SecretAllowlist = z.infer<typeof SecretAllowlistSchema>;

/** One secret rule: prefilter keywords, a bounded pattern and the gates a value must pass. */
export const SecretRuleSchema = z.strictObject({
  id: z.string().regex(RULE_ID, "expected a kebab-case id").max(80),
  entity: z.string().regex(ENTITY, "expected an UPPER_SNAKE entity name").max(64),
  description: z.string().min(1).max(300),
  /** Lowercase literals; at least one must occur (case-insensitively) near a match for the pattern to run. */
  keywords: z
    .array(
      z
        .string()
        .min(2)
        .max(64)
        .regex(KEYWORD, "expected printable ASCII")
        .refine((k) => k === k.toLowerCase(), "keywords must be lowercase"),
    )
    .min(1)
    .max(50),
  /** ECMAScript pattern (flag `u`, plus `i` when `ignoreCase`). Group `secret` (or group 1) is the value. */
  regex: z.string().min(1).max(MAX_PATTERN_LENGTH),
  ignoreCase: z.boolean().default(false),
  /** Minimum Shannon entropy (bits per character) of the value. */
  minEntropy: z.number().min(0).max(8).optional(),
  /** Confidence reported when the value passes every gate. */
  score: z.number().min(0).max(1).default(0.9),
  allowlist: SecretAllowlistSchema.optional(),
  severity: SeveritySchema,
  references: z.array(z.url()).max(10).default([]),
  /** Texts the rule must report (`match`) and must not report (`noMatch`); the test suite runs them. */
  examples: z
    .strictObject({
      match: z.array(z.string().max(10_000)).max(20).default([]),
      noMatch: z.array(z.string().max(10_000)).max(20).default([]),
    })
    .optional(),
});
export type SecretRule = z.infer<typeof SecretRuleSchema>;

/** A rule file: a version and a list of rules. */
export const SecretRuleFileSchema = z.strictObject({
  version: z.literal(1),
  rules: z.array(SecretRuleSchema).min(1).max(1000),
});
export type SecretRuleFile = z.infer<typeof SecretRuleFileSchema>;
