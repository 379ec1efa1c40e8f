/** Webhook sink: one POST per alert, as Palisade JSON, a Slack message or a Teams card. */
import type { Dispatcher } from "undici";
import { postJson } from "./http.js";
import { type Alert, AlertDeliveryError, type AlertSink } from "./types.js";
import { toJsonPayload, toSlackPayload, toTeamsPayload } from "./webhook-payloads.js";

export type WebhookPayloadFormat = "json" | "slack" | "teams";

export interface WebhookSinkOptions {
  name: string;
  /** Resolved URL (env references already replaced). */
  url: string;
  format?: WebhookPayloadFormat;
  /** Resolved headers, e.g. `authorization`. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  dispatcher?: Dispatcher;
}

const PAYLOADS: Record<WebhookPayloadFormat, (alert: Alert) => Record<string, unknown>> = {
  json: toJsonPayload,
  slack: toSlackPayload,
  teams: toTeamsPayload,
};

/**
 * A sink that POSTs each alert to `url`. Every alert of a batch is tried; when some fail, `send`
 * rejects with the last error and the number that did not arrive.
 */
export function createWebhookSink(options: WebhookSinkOptions): AlertSink {
  const toPayload = PAYLOADS[options.format ?? "json"];
  return {
    name: options.name,
    async send(alerts) {
      let failed = 0;
      let last: unknown;
      for (const alert of alerts) {
        try {
          await postJson({
            sink: options.name,
            url: options.url,
            body: JSON.stringify(toPayload(alert)),
            headers: options.headers ?? {},
            timeoutMs: options.timeoutMs ?? 5000,
            retries: options.retries ?? 3,
            ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
            ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          });
        } catch (error) {
          failed++;
          last = error;
        }
      }
      if (failed === 0) return;
      if (failed === alerts.length && last instanceof AlertDeliveryError) throw last;
      const reason = last instanceof AlertDeliveryError ? last.reason : String(last);
      throw new AlertDeliveryError(options.name, `${failed} of ${alerts.length} alerts not delivered (${reason})`, {
        retryable: false,
        undelivered: failed,
        cause: last,
      });
    },
  };
}
