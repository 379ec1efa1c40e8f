/**
 * OTLP sink: alerts as OpenTelemetry log records, exported with OTLP/HTTP JSON
 * (`POST {endpoint}/v1/logs`, opentelemetry-proto `ExportLogsServiceRequest`).
 * package.json has the OTLP *trace* exporter only; the logs exporter would bring the logs SDK
 * and its batching for one small request shape, so this posts the JSON encoding directly
 * (the dispatcher already batches, queues and retries).
 */
import type { Dispatcher } from "undici";
import type { Severity } from "../../core/index.js";
import { postJson } from "./http.js";
import type { Alert, AlertSink } from "./types.js";

/**
 * OpenTelemetry SeverityNumber for each severity, as the collector's syslog receiver maps the
 * same syslog levels: critical FATAL2 (22), high ERROR (17), medium WARN (13), low INFO2 (10),
 * info INFO (9). `severityText` keeps our own word.
 */
export const OTLP_SEVERITY_NUMBER: Record<Severity, number> = { critical: 22, high: 17, medium: 13, low: 10, info: 9 };

/** OTLP AnyValue in its JSON encoding (int64 as a decimal string, per the proto3 JSON mapping). */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** A field value as an OTLP AnyValue: integers as intValue, other numbers as doubleValue. */
export function toAnyValue(value: string | number | boolean): AnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Number.isSafeInteger(value)) return { intValue: String(value) };
  return { doubleValue: value };
}

/** One alert as a LogRecord: body `title: summary`, attributes under `palisade.`. */
export function toLogRecord(alert: Alert, observedMs: number): Record<string, unknown> {
  const attributes: KeyValue[] = [
    { key: "event.name", value: { stringValue: "palisade.alert" } },
    { key: "palisade.alert.key", value: { stringValue: alert.key } },
    { key: "palisade.alert.severity", value: { stringValue: alert.severity } },
    { key: "palisade.alert.title", value: { stringValue: alert.title } },
  ];
  if (alert.incidentId) attributes.push({ key: "palisade.incident.id", value: { stringValue: alert.incidentId } });
  if (alert.rule) attributes.push({ key: "palisade.rule", value: { stringValue: alert.rule } });
  if (alert.link) attributes.push({ key: "url.full", value: { stringValue: alert.link } });
  for (const [name, value] of Object.entries(alert.fields))
    attributes.push({ key: `palisade.${name}`, value: toAnyValue(value) });
  return {
    timeUnixNano: toUnixNano(alert.time),
    observedTimeUnixNano: toUnixNano(observedMs),
    severityNumber: OTLP_SEVERITY_NUMBER[alert.severity],
    severityText: alert.severity,
    body: { stringValue: `${alert.title}: ${alert.summary}` },
    attributes,
  };
}

export interface OtlpRequestOptions {
  serviceName?: string;
  scopeVersion?: string;
  /** Observation time (epoch ms), normally now. */
  observedMs: number;
}

/** An ExportLogsServiceRequest holding `alerts` under one resource and one scope. */
export function toExportLogsRequest(alerts: readonly Alert[], options: OtlpRequestOptions): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: options.serviceName ?? "palisade" } }] },
        scopeLogs: [
          {
            scope: { name: "palisade.alerts", ...(options.scopeVersion ? { version: options.scopeVersion } : {}) },
            logRecords: alerts.map((alert) => toLogRecord(alert, options.observedMs)),
          },
        ],
      },
    ],
  };
}

export interface OtlpSinkOptions {
  name: string;
  /** OTLP/HTTP base URL (`http://collector:4318`); `/v1/logs` is appended. */
  endpoint: string;
  headers?: Record<string, string>;
  serviceName?: string;
  productVersion?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

/** A sink exporting each batch of alerts as one OTLP logs request. */
export function createOtlpSink(options: OtlpSinkOptions): AlertSink {
  const url = `${options.endpoint.replace(/\/+$/, "")}/v1/logs`;
  const now = options.now ?? Date.now;
  return {
    name: options.name,
    async send(alerts) {
      if (alerts.length === 0) return;
      const body = toExportLogsRequest(alerts, {
        observedMs: now(),
        ...(options.serviceName ? { serviceName: options.serviceName } : {}),
        ...(options.productVersion ? { scopeVersion: options.productVersion } : {}),
      });
      await postJson({
        sink: options.name,
        url,
        body: JSON.stringify(body),
        headers: options.headers ?? {},
        timeoutMs: options.timeoutMs ?? 5000,
        retries: options.retries ?? 3,
        ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
    },
  };
}

function toUnixNano(ms: number): string {
  return (BigInt(Math.trunc(ms)) * 1_000_000n).toString();
}
