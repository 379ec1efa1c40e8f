/**
 * Errors a route raises on purpose: each becomes `{"error": {"code", "message"}}` with its
 * status, the shape every Palisade HTTP API answers with. The message never quotes the body.
 */
export const API_ERROR_CODES = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  /** Close the connection after answering (the request's body was left unread). */
  readonly close: boolean;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: { close?: boolean } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = API_ERROR_CODES[code];
    this.close = options.close ?? false;
  }
}

export const notFound = (what: string) => new ApiError("not_found", `no ${what}`);
