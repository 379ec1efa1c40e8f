/** Public surface of alerting: the alert type, the sinks, the dispatcher that routes and tames floods. */
export { CEF_SEVERITY, type CefOptions, escapeCefHeader, escapeCefValue, toCef } from "./cef.js";
export {
  type AlertClock,
  type AlertDispatcher,
  type AlertDispatcherOptions,
  type AlertSinkStats,
  createAlertDispatcher,
  REPEATED_FIELD,
  SUPPRESSED_RULE,
} from "./dispatcher.js";
export { createOtlpSink, OTLP_SEVERITY_NUMBER, type OtlpSinkOptions, toExportLogsRequest } from "./otlp.js";
export { type CreateAlertSinkOptions, createAlertSink, createAlertSinks } from "./sinks.js";
export { createSyslogSink, type SyslogSinkOptions, type SyslogTransport } from "./syslog.js";
export { SYSLOG_SEVERITY, toSyslogMessage } from "./syslog-format.js";
export { type Alert, AlertDeliveryError, type AlertSink } from "./types.js";
export { createWebhookSink, type WebhookPayloadFormat, type WebhookSinkOptions } from "./webhook.js";
export { toJsonPayload, toSlackPayload, toTeamsPayload } from "./webhook-payloads.js";
