/**
 * ArcSight Common Event Format (CEF) rev 25 ("Implementing ArcSight CEF"): a header of seven
 * pipe-separated fields and an extension of `key=value` pairs. Escaping, from the spec:
 * - header fields: `\` → `\\` and `|` → `\|`; line breaks are not allowed, so they become spaces;
 * - extension values: `\` → `\\`, `=` → `\=`, line feed → `\n`, carriage return → `\r`
 *   (`|` needs no escape there);
 * - extension keys are alphanumeric (we drop anything else).
 * Other control characters (NUL, ESC, ...) have no escape and upset collectors: they become spaces.
 */

import type { Severity } from "../../core/index.js";
import { fieldText, truncate } from "./text.js";
import type { Alert } from "./types.js";

/** Our severities on CEF's 0–10 scale (10 most severe). */
export const CEF_SEVERITY: Record<Severity, number> = { critical: 10, high: 8, medium: 5, low: 3, info: 1 };

/** Escape one header field (vendor, product, version, signature id, name). */
export function escapeCefHeader(value: string): string {
  return withoutControls(value)
    .replace(/[\\|]/g, (c) => `\\${c}`)
    .replace(/\r\n|[\r\n]/g, " ");
}

/** Escape one extension value. */
export function escapeCefValue(value: string): string {
  return withoutControls(value).replace(/[\\=\r\n]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return `\\${c}`;
  });
}

/** An extension key: letters and digits only, at most 63, never empty. */
export function toCefKey(name: string): string {
  const key = name.replace(/[^A-Za-z0-9]/g, "").slice(0, 63);
  return key === "" ? "field" : key;
}

export interface CefOptions {
  vendor?: string;
  product?: string;
  /** Palisade's version (the composition root knows it). */
  productVersion?: string;
}

const MAX_VALUE = 1023;

/**
 * One alert as a CEF line. Standard keys: `rt` (event time, epoch ms), `msg` (summary),
 * `externalId` (incident id), `cs1` dedup key, `cs2` rule, `request` (link), `suser` (the
 * `identity` field) and `cnt` (the `occurrences` field); other fields are `palisade<Name>`.
 */
export function toCef(alert: Alert, options: CefOptions = {}): string {
  const header = [
    "CEF:0",
    escapeCefHeader(options.vendor ?? "Palisade"),
    escapeCefHeader(options.product ?? "Palisade"),
    escapeCefHeader(options.productVersion ?? "0.0.0"),
    escapeCefHeader(truncate(alert.rule ?? "alert", 1023)),
    escapeCefHeader(truncate(alert.title, 512)),
    String(CEF_SEVERITY[alert.severity]),
  ].join("|");
  const extension: [string, string][] = [["rt", String(alert.time)]];
  extension.push(["msg", alert.summary]);
  if (alert.incidentId) extension.push(["externalId", alert.incidentId]);
  extension.push(["cs1Label", "dedupKey"], ["cs1", alert.key]);
  if (alert.rule) extension.push(["cs2Label", "rule"], ["cs2", alert.rule]);
  if (alert.link) extension.push(["request", alert.link]);
  const used = new Set(extension.map(([key]) => key));
  for (const [name, value] of Object.entries(alert.fields)) {
    let key = name === "identity" ? "suser" : name === "occurrences" ? "cnt" : `palisade${capitalise(toCefKey(name))}`;
    const base = key;
    for (let n = 2; used.has(key); n++) key = `${base}${n}`;
    used.add(key);
    extension.push([key, fieldText(value)]);
  }
  const body = extension.map(([key, value]) => `${key}=${escapeCefValue(truncate(value, MAX_VALUE))}`).join(" ");
  return `${header}|${body}`;
}

/** Control characters other than tab, line feed and carriage return, as spaces. */
export function withoutControls(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
