/**
 * What differs between the SQLite and PostgreSQL stores, as data handed to one store engine.
 */
import type { Kysely } from "kysely";
import type { ErrorCode } from "../core/index.js";
import type { Database } from "./schema.js";

export const STORE_DIALECTS = ["sqlite", "postgres"] as const;
export type StoreDialect = (typeof STORE_DIALECTS)[number];

export interface StoreBackend {
  readonly dialect: StoreDialect;
  /** Where the data lives: a file path, or a URL with the password removed. */
  readonly location: string;
  readonly db: Kysely<Database>;
  /**
   * Statement that opens a write transaction. SQLite needs `begin immediate` so that a writer
   * waits for the lock (busy_timeout) instead of failing when its read snapshot goes stale.
   */
  readonly beginWrite: string;
  /**
   * Statement run first in a write transaction that extends the audit chain, so two processes
   * never fork it. None for SQLite: its write transaction already excludes other writers.
   */
  readonly chainLock?: string;
  /** Map a driver error to a store error code, or undefined when it is not a store condition. */
  classify(error: unknown): { code: ErrorCode; reason: string } | undefined;
  /** Checks the store can be reached at all (opens a connection). */
  ping(): Promise<void>;
}
