/** Structured logging to stderr (stdout is reserved for command output). */
import { type Logger, pino } from "pino";
import { PinoPretty } from "pino-pretty";

export type { Logger };

/** `json`: one JSON object per line (for collectors); `pretty`: one readable line (for people). */
export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Default: pretty when stderr is a terminal, JSON when it is piped or redirected. */
  format?: LogFormat;
}

/** A pino logger writing synchronously to fd 2 so nothing is lost when a CLI exits. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? (process.stderr.isTTY ? "pretty" : "json");
  const settings = { level: options.level ?? "info", name: options.name ?? "palisade", base: undefined };
  if (format === "json") return pino(settings, pino.destination({ fd: 2, sync: true }));
  return pino(
    settings,
    PinoPretty({
      destination: 2,
      sync: true,
      colorize: process.stderr.isTTY === true && !process.env.NO_COLOR,
      translateTime: "SYS:HH:MM:ss",
      ignore: "name",
      singleLine: true,
    }),
  );
}
