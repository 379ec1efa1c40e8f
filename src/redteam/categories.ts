/**
 * The attack categories a red-team run reports on, defined once: the pack schema's enum, the
 * report's totals, the SARIF rules and the docs table all derive from this registry.
 */

/** One category of attack, with the OWASP Top 10 for LLM Applications (2025) entry it tests. */
export interface RedteamCategory {
  title: string;
  owasp: string;
  description: string;
}

export const CATEGORIES = {
  "prompt-injection": {
    title: "Direct prompt injection",
    owasp: "LLM01:2025",
    description: "the user's message tells the model to drop its instructions and obey new ones",
  },
  "system-prompt-extraction": {
    title: "System prompt extraction",
    owasp: "LLM07:2025",
    description: "the user's message gets the model to repeat its confidential instructions",
  },
  jailbreak: {
    title: "Jailbreak personas",
    owasp: "LLM01:2025",
    description: "role-play personas (DAN, developer mode) that claim the rules no longer apply",
  },
  "emotional-manipulation": {
    title: "Emotional manipulation",
    owasp: "LLM01:2025",
    description: "grief, urgency and flattery (the deceased-grandmother family) to talk the model round",
  },
  obfuscation: {
    title: "Encodings and obfuscations",
    owasp: "LLM01:2025",
    description: "the attack hidden in base64, leetspeak, homoglyphs or invisible characters",
  },
  multilingual: {
    title: "Multilingual variants",
    owasp: "LLM01:2025",
    description: "the attack in another language, where guards trained on English see less",
  },
  "indirect-injection": {
    title: "Indirect injection",
    owasp: "LLM01:2025",
    description: "instructions planted in a document or tool result the application hands the model",
  },
  "pii-exfiltration": {
    title: "PII exfiltration",
    owasp: "LLM02:2025",
    description: "requests for personal data the model holds in its context (canary accounts)",
  },
  "tool-abuse": {
    title: "Tool abuse",
    owasp: "LLM06:2025",
    description: "getting the model to call a declared tool the application should not let it call",
  },
  "resource-exhaustion": {
    title: "Resource exhaustion",
    owasp: "LLM10:2025",
    description: "huge max_tokens and endless loops that burn GPU time and token budgets",
  },
} as const satisfies Record<string, RedteamCategory>;

export type CategoryId = keyof typeof CATEGORIES;

/** Every category id, in report order. */
export const CATEGORY_IDS = Object.keys(CATEGORIES) as [CategoryId, ...CategoryId[]];
