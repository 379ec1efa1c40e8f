/** The CLI's one exit-code table (DESIGN.md, "Contracts"): 0 done, 1 gate failed, 2 bad input, 3 internal. */
import type { ErrorCode } from "../core/index.js";

export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_ERROR_CODE: Record<ErrorCode, ExitCode> = {
  "bad-usage": EXIT.badInput,
  "bad-input": EXIT.badInput,
  "bad-config": EXIT.badInput,
  "not-found": EXIT.badInput,
  "gate-failed": EXIT.gateFailed,
  "store-unavailable": EXIT.internal,
  "store-locked": EXIT.internal,
  "upstream-unavailable": EXIT.internal,
  internal: EXIT.internal,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_ERROR_CODE[code];
}
