/**
 * Typed errors. Every failure Palisade throws is a PalisadeError with a machine-readable code;
 * surfaces (CLI exit codes, HTTP error shapes) map codes, never message wording.
 */

/** Closed set of error codes; each surface maps these to its own shape. */
export const ERROR_CODES = [
  "bad-usage",
  "bad-input",
  "bad-config",
  "gate-failed",
  "not-found",
  "store-unavailable",
  "store-locked",
  "upstream-unavailable",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface PalisadeErrorOptions {
  /** HTTP status a server surface should answer with, when it differs from the code's default. */
  status?: number;
  /** The input that caused the error: a file path, a flag value, a URL (credentials removed). */
  input?: string;
  cause?: unknown;
}

/** Base error: code + message + the input that caused it. */
export class PalisadeError extends Error {
  readonly code: ErrorCode;
  readonly input: string | undefined;
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: PalisadeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.input = options.input;
    this.status = options.status;
  }
}

/** One problem found while validating a document (config, policy, rule pack). */
export interface ValidationIssue {
  /** Dotted path inside the document, e.g. `store.path`; empty for the root. */
  path: string;
  /** 1-based line and column in the source file, when known. */
  line?: number;
  column?: number;
  message: string;
}

/** A document failed validation; carries every issue, each with its location. */
export class ValidationError extends PalisadeError {
  readonly file: string;
  readonly issues: readonly ValidationIssue[];

  constructor(options: { code?: ErrorCode; file: string; issues: readonly ValidationIssue[]; cause?: unknown }) {
    const first = options.issues[0];
    const more = options.issues.length > 1 ? ` (and ${options.issues.length - 1} more)` : "";
    super(options.code ?? "bad-config", `${formatIssue(options.file, first)}${more}`, {
      input: options.file,
      cause: options.cause,
    });
    this.file = options.file;
    this.issues = options.issues;
  }
}

/** `file:line:col: path: message`, leaving out what is unknown. */
export function formatIssue(file: string, issue: ValidationIssue | undefined): string {
  if (!issue) return `${file}: invalid`;
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const path = issue.path ? `${issue.path}: ` : "";
  return `${where}: ${path}${issue.message}`;
}

export function isPalisadeError(value: unknown): value is PalisadeError {
  return value instanceof PalisadeError;
}

/** Text of any thrown value, for logs only (never sent to a client). */
export function describeError(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
