/**
 * The alert: what a person should look at now. Incidents, correlation rules and guards make
 * alerts; sinks (webhook, syslog, OTLP) deliver them; the dispatcher routes, deduplicates and
 * rate-limits between the two.
 */
import { PalisadeError, type Severity } from "../../core/index.js";

/** One thing to tell the people on call. Values in it may come from an attacker: sinks escape them. */
export interface Alert {
  /** Deduplication key: the same key within the window is one alert (an incident id, `rule:identity`). */
  key: string;
  severity: Severity;
  title: string;
  summary: string;
  /** When it happened (epoch milliseconds). */
  time: number;
  incidentId?: string;
  /** The rule or detector that raised it (`injection.blocked`). */
  rule?: string;
  /** Context: identity, workload, model, counts. */
  fields: Record<string, string | number | boolean>;
  /** Where to look (the incident in the dashboard); sinks show it only when it is http(s). */
  link?: string;
}

/** Somewhere alerts go. `send` resolves when the receiver has them and rejects when it has not. */
export interface AlertSink {
  readonly name: string;
  send(alerts: readonly Alert[]): Promise<void>;
  /** Release connections (syslog over TCP/TLS); the sink is unusable afterwards. */
  close?(): Promise<void>;
}

/** A sink could not deliver; the message names the sink and the reason, never a URL or secret. */
export class AlertDeliveryError extends PalisadeError {
  /** Worth another attempt: a network error, a timeout, a 5xx (or 408/429) answer. */
  readonly retryable: boolean;
  /** How many alerts of the batch did not arrive, when the sink knows (default: all). */
  readonly undelivered: number | undefined;

  constructor(
    readonly sink: string,
    readonly reason: string,
    options: { status?: number; retryable: boolean; undelivered?: number; cause?: unknown },
  ) {
    super("upstream-unavailable", `alert sink ${sink}: ${reason}`, {
      ...(options.status === undefined ? {} : { status: options.status }),
      cause: options.cause,
    });
    this.retryable = options.retryable;
    this.undelivered = options.undelivered;
  }
}
