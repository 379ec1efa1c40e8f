/**
 * Sinks from the policy's `alerts.sinks`: resolves `${env:NAME}` references (URL, headers) and
 * reads the TLS CA file once, so a missing secret fails at start-up naming sink and field rather
 * than on the first alert.
 */
import { readFileSync } from "node:fs";
import { PalisadeError } from "../../core/index.js";
import {
  type AlertSinkConfig,
  type AlertsPolicy,
  isHttpUrl,
  parseDuration,
  resolveEnvReferences,
} from "../../policy/index.js";
import { createOtlpSink } from "./otlp.js";
import { createSyslogSink } from "./syslog.js";
import type { AlertSink } from "./types.js";
import { createWebhookSink } from "./webhook.js";

export interface CreateAlertSinkOptions {
  /** Where `${env:NAME}` references are looked up (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Palisade's version, for CEF headers and the OTLP scope. */
  productVersion?: string;
  /** First retry delay of the HTTP sinks (ms); tests shorten it. */
  backoffMs?: number;
}

/** One sink from its policy entry; throws PalisadeError `bad-config` naming the sink and field. */
export function createAlertSink(config: AlertSinkConfig, options: CreateAlertSinkOptions = {}): AlertSink {
  const env = options.env ?? process.env;
  const bad = (field: string, message: string) =>
    new PalisadeError("bad-config", `alerts.sinks ${config.name}: ${field}: ${message}`);
  const resolve = (field: string, value: string) => {
    const { value: resolved, missing } = resolveEnvReferences(value, env);
    if (missing.length > 0) throw bad(field, `environment variable ${missing.join(", ")} is not set`);
    return resolved;
  };
  const resolveUrl = (field: string, value: string) => {
    const url = resolve(field, value);
    if (!isHttpUrl(url)) throw bad(field, "expected an http:// or https:// URL");
    return url;
  };
  const headers = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, resolve(`headers.${name}`, value)]));
  const retry = options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs };
  const version = options.productVersion === undefined ? {} : { productVersion: options.productVersion };

  switch (config.type) {
    case "webhook":
      return createWebhookSink({
        name: config.name,
        url: resolveUrl("url", config.url),
        format: config.format,
        headers: headers(config.headers),
        timeoutMs: parseDuration(config.timeout),
        retries: config.retries,
        ...retry,
      });
    case "otlp":
      return createOtlpSink({
        name: config.name,
        endpoint: resolveUrl("endpoint", config.endpoint),
        headers: headers(config.headers),
        serviceName: config.serviceName,
        timeoutMs: parseDuration(config.timeout),
        retries: config.retries,
        ...retry,
        ...version,
      });
    case "syslog": {
      let ca: string | undefined;
      if (config.tls?.ca) {
        try {
          ca = readFileSync(config.tls.ca, "utf8");
        } catch (cause) {
          throw bad("tls.ca", `cannot read ${config.tls.ca} (${(cause as NodeJS.ErrnoException).code ?? cause})`);
        }
      }
      return createSyslogSink({
        name: config.name,
        address: config.address,
        format: config.format,
        facility: config.facility,
        appName: config.appName,
        timeoutMs: parseDuration(config.timeout),
        ...version,
        ...(config.tls
          ? {
              tls: {
                ...(ca === undefined ? {} : { ca }),
                ...(config.tls.serverName ? { servername: config.tls.serverName } : {}),
                rejectUnauthorized: !config.tls.insecure,
              },
            }
          : {}),
      });
    }
  }
}

/** Every sink of the policy's alerts section, in order. */
export function createAlertSinks(config: AlertsPolicy, options: CreateAlertSinkOptions = {}): AlertSink[] {
  return config.sinks.map((sink) => createAlertSink(sink, options));
}
