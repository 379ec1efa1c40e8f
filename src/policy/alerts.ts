/**
 * The policy's `alerts` section: where alerts go (webhook, syslog, OTLP sinks), which severities
 * each sink receives, and how floods are tamed (deduplication window, rate limit per sink).
 * Durations stay strings here (`10m`) so the resolved policy reads like the file;
 * `parseDuration` turns them into milliseconds where they are used.
 */
import { z } from "zod";
import { SeveritySchema } from "../core/index.js";

/** `${env:NAME}`: a value taken from the environment when the sink is created, never stored. */
const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * `value` with each `${env:NAME}` replaced from `env`; `missing` names the variables that are
 * unset (or empty), so the caller can refuse the value rather than send a blank secret.
 */
export function resolveEnvReferences(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): { value: string; missing: string[] } {
  const missing: string[] = [];
  const resolved = value.replace(ENV_REFERENCE, (_, name: string) => {
    const found = env[name];
    if (found === undefined || found === "") missing.push(name);
    return found ?? "";
  });
  return { value: resolved, missing };
}

/** The syntax of a policy duration, shared with the incident rules. */
export const DURATION_SYNTAX = /^(\d{1,9})(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds in a policy duration (`500ms`, `30s`, `10m`, `1h`). */
export function parseDuration(text: string): number {
  const match = DURATION_SYNTAX.exec(text);
  if (!match) throw new TypeError(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const DurationSchema = z.string().regex(DURATION_SYNTAX, "expected a duration like 30s, 10m or 1h");

export const ALERT_SINK_TYPES = ["webhook", "syslog", "otlp"] as const;
export const WEBHOOK_FORMATS = ["json", "slack", "teams"] as const;
export const SYSLOG_FORMATS = ["text", "cef"] as const;
export const SYSLOG_TRANSPORTS = ["udp", "tcp", "tls"] as const;
/** RFC 5424 section 6.2.1 facility names, in code order (0..23). */
export const SYSLOG_FACILITIES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "audit",
  "alert",
  "clock",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
] as const;

/**
 * An http(s) URL, possibly holding `${env:NAME}` references (a Slack webhook URL is itself a
 * secret). A value that is one reference and nothing else is checked when the sink is created.
 */
function httpUrl(what: string) {
  return z
    .string()
    .min(1)
    .max(2048)
    .refine(
      (value) => {
        if (/^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(value)) return true;
        return isHttpUrl(value.replace(ENV_REFERENCE, "x"));
      },
      { message: `expected an http:// or https:// ${what} (\${env:NAME} references allowed)` },
    );
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const HeadersSchema = z.record(
  z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "header names are HTTP tokens"),
  z.string().max(8192),
);

/** Routing and identity every sink shares. */
const SinkBase = {
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "sink names are lower-case letters, digits, '.', '_' and '-'"),
  /** Alerts at or above this severity reach the sink (default: all). */
  minSeverity: SeveritySchema.optional(),
  /** Or exactly these severities (not together with minSeverity). */
  severities: z.array(SeveritySchema).min(1).optional(),
};

const HttpDelivery = {
  headers: HeadersSchema.default({}),
  /** One attempt's time limit. */
  timeout: DurationSchema.default("5s"),
  /** Further attempts after a network error or a 5xx answer (never after another 4xx). */
  retries: z.number().int().min(0).max(10).default(3),
};

export const WebhookSinkSchema = z.strictObject({
  ...SinkBase,
  type: z.literal("webhook"),
  url: httpUrl("webhook URL"),
  /** `json`: Palisade's alert document; `slack`: incoming-webhook message; `teams`: Adaptive Card. */
  format: z.enum(WEBHOOK_FORMATS).default("json"),
  ...HttpDelivery,
});

export const SyslogSinkSchema = z.strictObject({
  ...SinkBase,
  type: z.literal("syslog"),
  /** `udp://host:port` (RFC 5426), `tcp://host:port` (RFC 6587 octet counting), `tls://host:port` (RFC 5425). */
  address: z
    .string()
    .regex(
      /^(udp|tcp|tls):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/,
      "expected udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT",
    ),
  /** Message body: `cef` (ArcSight Common Event Format) or `text` with RFC 5424 structured data. */
  format: z.enum(SYSLOG_FORMATS).default("cef"),
  facility: z.enum(SYSLOG_FACILITIES).default("local0"),
  appName: z
    .string()
    .regex(/^[!-~]{1,48}$/, "APP-NAME is 1 to 48 printable ASCII characters without spaces")
    .default("palisade"),
  /** Connection time limit for tcp and tls. */
  timeout: DurationSchema.default("5s"),
  tls: z
    .strictObject({
      /** PEM file of the CA that signed the collector's certificate (default: the system's CAs). */
      ca: z.string().min(1).optional(),
      /** Name checked against the certificate (default: the address's host). */
      serverName: z.string().min(1).optional(),
      /** Accept any certificate: for tests against a self-signed collector only. */
      insecure: z.boolean().default(false),
    })
    .optional(),
});

export const OtlpSinkSchema = z.strictObject({
  ...SinkBase,
  type: z.literal("otlp"),
  /** OTLP/HTTP base URL; logs are posted to `{endpoint}/v1/logs`. */
  endpoint: httpUrl("OTLP endpoint"),
  /** `service.name` of the exported resource. */
  serviceName: z.string().min(1).max(256).default("palisade"),
  ...HttpDelivery,
});

export const AlertSinkConfigSchema = z.discriminatedUnion(
  "type",
  [WebhookSinkSchema, SyslogSinkSchema, OtlpSinkSchema],
  {
    error: `expected a sink type: ${ALERT_SINK_TYPES.join(", ")}`,
  },
);

export const AlertsPolicySchema = z
  .strictObject({
    sinks: z.array(AlertSinkConfigSchema).default([]),
    /** The same alert key again within this window raises a count instead of a new alert. */
    dedupWindow: DurationSchema.default("10m"),
    /** Alerts per sink per minute; the rest become one summary alert when the minute rolls. */
    rateLimit: z.strictObject({ perMinute: z.number().int().positive().max(100_000).default(20) }).prefault({}),
    /** Alerts waiting for delivery per sink; beyond it new ones are dropped (and counted). */
    queueSize: z.number().int().positive().max(1_000_000).default(1000),
  })
  // Checks of one entry only: merged policies concatenate `sinks` and parse again, so a check
  // across entries (unique names) would fail there without a file and line. The dispatcher
  // refuses duplicate names instead.
  .superRefine((alerts, ctx) => {
    alerts.sinks.forEach((sink, i) => {
      if (sink.minSeverity && sink.severities)
        ctx.addIssue({
          code: "custom",
          path: ["sinks", i, "severities"],
          message: "give minSeverity or severities, not both",
        });
      if (sink.type === "syslog" && sink.tls && !sink.address.startsWith("tls://"))
        ctx.addIssue({ code: "custom", path: ["sinks", i, "tls"], message: "tls settings need a tls:// address" });
    });
  });

export type AlertsPolicy = z.infer<typeof AlertsPolicySchema>;
export type AlertSinkConfig = z.infer<typeof AlertSinkConfigSchema>;
export type WebhookSinkConfig = z.infer<typeof WebhookSinkSchema>;
export type SyslogSinkConfig = z.infer<typeof SyslogSinkSchema>;
export type OtlpSinkConfig = z.infer<typeof OtlpSinkSchema>;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export type SyslogFormat = (typeof SYSLOG_FORMATS)[number];
export type SyslogFacility = (typeof SYSLOG_FACILITIES)[number];
