/** Structured logging to stderr (stdout is reserved for command output). */
import { type Logger, pino } from "pino";

export type { Logger };

export interface LoggerOptions {
  level?: string;
  name?: string;
}

/** A pino logger writing synchronously to fd 2 so nothing is lost when a CLI exits. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? "info", name: options.name ?? "palisade", base: undefined },
    pino.destination({ fd: 2, sync: true }),
  );
}
