/**
 * Errors in OpenAI's shape (`{"error": {"message", "type", "param", "code"}}`) with the right
 * status. Internal failures become a fixed message plus the request id: their text is logged,
 * never sent, so upstream internals do not leak.
 */
import type { ServerResponse } from "node:http";
import { isPalisadeError } from "../core/index.js";

export const GATEWAY_ERRORS = {
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_request: { status: 400, type: "invalid_request_error" },
  content_policy_violation: { status: 400, type: "invalid_request_error" },
  invalid_api_key: { status: 401, type: "authentication_error" },
  permission_denied: { status: 403, type: "permission_error" },
  model_not_found: { status: 404, type: "invalid_request_error" },
  not_found: { status: 404, type: "invalid_request_error" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  request_timeout: { status: 408, type: "invalid_request_error" },
  request_too_large: { status: 413, type: "invalid_request_error" },
  rate_limit_exceeded: { status: 429, type: "rate_limit_error" },
  upstream_error: { status: 502, type: "api_error" },
  upstream_timeout: { status: 504, type: "api_error" },
  guard_unavailable: { status: 503, type: "api_error" },
  internal_error: { status: 500, type: "api_error" },
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/**
 * Codes whose answer closes the connection: after a 408 the rest of the body may still be
 * trickling in, and the server "SHOULD send the close connection option" (RFC 9110 §15.5.9).
 */
const CLOSES_CONNECTION: ReadonlySet<GatewayErrorCode> = new Set(["request_timeout"]);

/** A failure the client should see, with its OpenAI error code and optional Retry-After. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly retryAfterSeconds: number | undefined;
  readonly param: string | undefined;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; param?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
  }
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

/** Map any thrown value to a status and body; unknown errors get a fixed message. */
export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody; retryAfter?: number } {
  if (error instanceof GatewayError) {
    const spec = GATEWAY_ERRORS[error.code];
    return {
      status: spec.status,
      body: { error: { message: error.message, type: spec.type, param: error.param ?? null, code: error.code } },
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfter: error.retryAfterSeconds }),
    };
  }
  if (isPalisadeError(error) && error.code === "upstream-unavailable") {
    return {
      status: 502,
      body: {
        error: {
          message: `upstream unavailable (request ${requestId})`,
          type: "api_error",
          param: null,
          code: "upstream_error",
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        message: `internal error (request ${requestId})`,
        type: "api_error",
        param: null,
        code: "internal_error",
      },
    },
  };
}

export function sendError(res: ServerResponse, error: unknown, requestId: string): void {
  const { status, body, retryAfter } = toErrorResponse(error, requestId);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = { "content-type": "application/json", "x-palisade-request-id": requestId };
  if (retryAfter !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfter)));
  if (error instanceof GatewayError && CLOSES_CONNECTION.has(error.code)) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
