/**
 * An upstream's 4xx answer, relayed with its status but never its raw text: the message goes
 * through the sanitiser (no internal addresses, paths, stack traces or the upstream's own
 * credentials) and the gateway's redaction. A 5xx is the gateway's own 502.
 */
import { GatewayError } from "../errors.js";
import type { GuardDetectors } from "../guards.js";
import { sanitiseUpstreamMessage } from "../upstream-errors.js";
import type { UpstreamResponse } from "../upstreams/client.js";
import { readAll } from "./answer.js";
import { redactAll } from "./audit-event.js";
import type { RequestState } from "./state.js";

export async function relayUpstreamError(
  state: RequestState,
  response: UpstreamResponse,
  detectors: GuardDetectors,
): Promise<void> {
  const text = await readAll(response.body, 1024 * 1024).catch(() => "");
  // The upstream refusing the gateway's own credentials is not the client's fault: a 502.
  if (response.status >= 500 || response.status === 401 || response.status === 403)
    throw new GatewayError("upstream_error", `the upstream failed (status ${response.status})`);
  const { apiKeyEnv, url } = response.upstream.config;
  const key = apiKeyEnv ? process.env[apiKeyEnv] : undefined;
  const secrets = key ? [key] : [];
  const host = new URL(url);
  const message = sanitiseUpstreamMessage(text, {
    secrets,
    addresses: [host.host, host.hostname],
    fallback: `the upstream rejected the request (status ${response.status})`,
    redact: (t: string) => redactAll(t, detectors),
  });
  state.record.upstreamError = message;
  state.res.writeHead(response.status, {
    "content-type": "application/json",
    "x-palisade-request-id": state.requestId,
  });
  state.res.end(
    JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: "upstream_rejected" } }),
  );
}
