/**
 * Redaction: replace detected spans in text. Styles: mask (keep the last N characters),
 * placeholder (`<CREDIT_CARD>`), hash (keyed HMAC, so equal values correlate without being
 * stored), pseudonym (`<PERSON_1>`, reversible within one request), drop.
 */
import { createHmac } from "node:crypto";
import type { Detection } from "./detection.js";

export const REDACTION_STYLES = ["mask", "placeholder", "hash", "pseudonym", "drop"] as const;
export type RedactionStyle = (typeof REDACTION_STYLES)[number];

/** Pseudonyms handed out within one request; restores them in the answer for the caller. */
export interface PseudonymTable {
  pseudonymFor(entity: string, value: string): string;
  /** Replace every pseudonym in `text` with its original value. */
  restore(text: string): string;
  /** Longest pseudonym issued so far (streaming restore holds back this many characters). */
  readonly maxTokenLength: number;
}

export interface RedactOptions {
  /** Style for every entity, or per entity with a `default`. */
  style: RedactionStyle | Readonly<Record<string, RedactionStyle>>;
  /** mask: how many trailing characters stay visible (default 4; 0 masks everything). */
  keepLast?: number;
  /** hash: the HMAC key. Required for the hash style. */
  hashKey?: string | Uint8Array;
  /** pseudonym: the request's table (created by createPseudonymTable). */
  pseudonyms?: PseudonymTable;
}

export interface Replacement {
  entity: string;
  start: number;
  end: number;
  replacement: string;
}

export function styleFor(options: RedactOptions, entity: string): RedactionStyle {
  if (typeof options.style === "string") return options.style;
  return options.style[entity] ?? options.style.default ?? "placeholder";
}

/** Replace `detections` (non-overlapping, in text order) in `text`. */
export function redact(
  text: string,
  detections: readonly Detection[],
  options: RedactOptions,
): { text: string; replacements: Replacement[] } {
  let out = "";
  let cursor = 0;
  const replacements: Replacement[] = [];
  for (const d of detections) {
    if (d.start < cursor) continue;
    const value = text.slice(d.start, d.end);
    const replacement = replace(value, d.entity, styleFor(options, d.entity), options);
    out += text.slice(cursor, d.start) + replacement;
    replacements.push({ entity: d.entity, start: d.start, end: d.end, replacement });
    cursor = d.end;
  }
  return { text: out + text.slice(cursor), replacements };
}

function replace(value: string, entity: string, style: RedactionStyle, options: RedactOptions): string {
  switch (style) {
    case "drop":
      return "";
    case "placeholder":
      return `<${entity}>`;
    case "mask":
      return maskValue(value, options.keepLast ?? 4);
    case "hash": {
      if (options.hashKey === undefined) throw new Error("redaction style 'hash' needs a hashKey");
      const digest = createHmac("sha256", options.hashKey).update(value).digest("hex").slice(0, 16);
      return `<${entity}:${digest}>`;
    }
    case "pseudonym": {
      if (!options.pseudonyms) throw new Error("redaction style 'pseudonym' needs a pseudonym table");
      return options.pseudonyms.pseudonymFor(entity, value);
    }
  }
}

/** Mask letters and digits, keeping separators (so the shape stays readable) and the last N. */
export function maskValue(value: string, keepLast: number): string {
  const chars = [...value];
  // Never more than half of the letters and digits in the clear, whatever keepLast says: a
  // short value masked with keepLast 4 would otherwise be shown whole.
  const significant = chars.filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
  let visible = Math.min(keepLast, Math.floor(significant / 2));
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i] as string;
    if (!/[\p{L}\p{N}]/u.test(c)) continue;
    if (visible > 0) visible--;
    else chars[i] = "*";
  }
  return chars.join("");
}

export function createPseudonymTable(): PseudonymTable {
  const byValue = new Map<string, string>();
  const byToken = new Map<string, string>();
  const counters = new Map<string, number>();
  let maxTokenLength = 0;
  return {
    pseudonymFor(entity, value) {
      const key = `${entity}\u0000${value}`;
      const existing = byValue.get(key);
      if (existing) return existing;
      const n = (counters.get(entity) ?? 0) + 1;
      counters.set(entity, n);
      const token = `<${entity}_${n}>`;
      byValue.set(key, token);
      byToken.set(token, value);
      maxTokenLength = Math.max(maxTokenLength, token.length);
      return token;
    },
    restore(text) {
      if (byToken.size === 0) return text;
      return text.replace(/<[A-Z][A-Z0-9_]*_\d+>/g, (token) => byToken.get(token) ?? token);
    },
    get maxTokenLength() {
      return maxTokenLength;
    },
  };
}
