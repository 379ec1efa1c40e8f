/** Small text helpers every sink format shares: bounded strings and the safe link. */
import type { Alert } from "./types.js";

/** At most `max` characters (UTF-16 units, never splitting a surrogate pair), with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The alert's link when it is an absolute http(s) URL; anything else (`javascript:`) is left out. */
export function safeLink(alert: Alert): string | undefined {
  if (!alert.link) return undefined;
  try {
    const url = new URL(alert.link);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** `critical` → `CRITICAL`, for message prefixes. */
export function severityLabel(alert: Alert): string {
  return alert.severity.toUpperCase();
}

/** Field values as display strings. */
export function fieldText(value: string | number | boolean): string {
  return typeof value === "string" ? value : String(value);
}

/** Identifying facts shown by every human-readable format, in a stable order. */
export function facts(alert: Alert): [string, string][] {
  const out: [string, string][] = [["severity", alert.severity]];
  if (alert.incidentId) out.push(["incident", alert.incidentId]);
  if (alert.rule) out.push(["rule", alert.rule]);
  for (const [name, value] of Object.entries(alert.fields)) out.push([name, fieldText(value)]);
  out.push(["time", new Date(alert.time).toISOString()]);
  return out;
}
