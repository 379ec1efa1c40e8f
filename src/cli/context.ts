/**
 * Composition root for commands: resolves configuration, the logger and the store from the
 * global options, so each command only does its own job.
 */
import { type Config, createLogger, defaultStorePath, type LogFormat, type Logger, loadConfig } from "../core/index.js";
import { openStore, parseStoreLocation, type Store } from "../store/index.js";
import { createOutput, type Output } from "./output.js";

export interface GlobalOptions {
  config?: string;
  db?: string;
  logLevel?: string;
  logFormat?: LogFormat;
}

export interface CommandContext {
  config: Config;
  configFile: string | null;
  logger: Logger;
  out: Output;
  /** Where the store is: `--db`, else PALISADE_DATABASE_URL / store.url, else store.path, else ~/.palisade. */
  storeLocation: string;
  /** Opens the store; callers close it. `eventWriter`: a long-running writer of many events. */
  openStore(options?: { eventWriter?: boolean }): Store;
}

export function createContext(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const { config, file } = loadConfig({ file: globals.config, env });
  const format = globals.logFormat ?? config.log.format;
  const logger = createLogger({ level: globals.logLevel ?? config.log.level, ...(format ? { format } : {}) });
  const storeLocation = parseStoreLocation(
    globals.db ?? config.store.url ?? config.store.path ?? defaultStorePath(env),
  );
  return {
    config,
    configFile: file,
    logger,
    out: createOutput(),
    storeLocation,
    openStore: (options) =>
      openStore({
        location: storeLocation,
        sqliteBusyTimeoutMs: config.store.busyTimeoutMs,
        ...(options?.eventWriter ? { sqliteBackgroundCheckpoints: true } : {}),
      }),
  };
}
