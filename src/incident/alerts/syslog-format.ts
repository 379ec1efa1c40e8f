/**
 * RFC 5424 syslog messages for alerts, and RFC 6587 octet-counting frames for stream transports.
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG`, where MSG is a CEF line
 * (`format: cef`) or `title: summary` with the alert in structured data (`format: text`).
 */
import type { Severity } from "../../core/index.js";
import { SYSLOG_FACILITIES, type SyslogFacility } from "../../policy/index.js";
import { type CefOptions, toCef, withoutControls } from "./cef.js";
import { fieldText, truncate } from "./text.js";
import type { Alert } from "./types.js";

/** RFC 5424 section 6.2.1 severities: critical → Critical (2) ... info → Informational (6). */
export const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };

/**
 * SD-ID of our structured data. Palisade has no IANA private enterprise number of its own, so it
 * uses 32473, the number reserved for documentation and examples (RFC 5612).
 */
export const SD_ID = "palisade@32473";

export interface SyslogFormatOptions extends CefOptions {
  format: "text" | "cef";
  facility?: SyslogFacility;
  appName?: string;
  hostname?: string;
  procId?: string;
  /** Largest message in bytes; MSG is cut to fit (default 8192, what most collectors accept). */
  maxBytes?: number;
}

const BOM = "\uFEFF";

/** One alert as an RFC 5424 message (without transport framing). */
export function toSyslogMessage(alert: Alert, options: SyslogFormatOptions): string {
  const facility = SYSLOG_FACILITIES.indexOf(options.facility ?? "local0");
  const pri = facility * 8 + SYSLOG_SEVERITY[alert.severity];
  const header = [
    `<${pri}>1`,
    new Date(alert.time).toISOString(),
    headerField(options.hostname ?? "-", 255),
    headerField(options.appName ?? "palisade", 48),
    headerField(options.procId ?? String(process.pid), 128),
    headerField(alert.rule ?? "alert", 32),
  ].join(" ");
  const structured = options.format === "text" ? structuredData(alert) : "-";
  const text =
    options.format === "cef"
      ? toCef(alert, options)
      : withoutControls(`${alert.title}: ${alert.summary}`).replace(/[\r\n\t]+/g, " ");
  const head = `${header} ${structured} `;
  const budget = (options.maxBytes ?? 8192) - Buffer.byteLength(head);
  const msg = fitBytes(text, Math.max(0, budget - 6));
  // RFC 5424 section 6.4: UTF-8 MSG starts with a BOM; plain ASCII needs none (and many parsers mind it).
  return `${head}${/[^\t-~]/.test(msg) ? BOM : ""}${msg}`;
}

/** RFC 6587 section 3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`. */
export function toOctetCountedFrame(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}

/** A header field: printable US-ASCII without spaces, bounded, `-` when empty. */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
  return clean === "" ? "-" : clean;
}

/** SD-NAME: 1 to 32 printable ASCII characters except `=`, space, `]` and `"`. */
function sdName(value: string): string {
  const clean = value.replace(/[^\x21-\x7e]|[=\]"]/g, "_").slice(0, 32);
  return clean === "" ? "field" : clean;
}

/** PARAM-VALUE: `"`, `\` and `]` escaped with a backslash (RFC 5424 section 6.3.3). */
export function escapeSdValue(value: string): string {
  return withoutControls(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

function structuredData(alert: Alert): string {
  const params: [string, string][] = [
    ["key", alert.key],
    ["severity", alert.severity],
  ];
  if (alert.incidentId) params.push(["incident", alert.incidentId]);
  if (alert.rule) params.push(["rule", alert.rule]);
  if (alert.link) params.push(["link", alert.link]);
  const used = new Set(params.map(([name]) => name));
  for (const [name, value] of Object.entries(alert.fields)) {
    let param = sdName(name);
    const base = param.slice(0, 30);
    for (let n = 2; used.has(param); n++) param = `${base}${n}`;
    used.add(param);
    params.push([param, fieldText(value)]);
  }
  const body = params.map(([name, value]) => `${name}="${escapeSdValue(truncate(value, 1024))}"`).join(" ");
  return `[${SD_ID} ${body}]`;
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, not ending inside an escape. */
function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = Buffer.from(text, "utf8").subarray(0, maxBytes).toString("utf8");
  if (cut.endsWith("\uFFFD")) cut = cut.slice(0, -1);
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}...`;
}
