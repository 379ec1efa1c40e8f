/** Choose and open the store backend from a location: a postgres:// URL or a SQLite file path. */
import { resolve } from "node:path";
import { openPostgres } from "./postgres/open.js";
import { openSqlite } from "./sqlite/open.js";
import { createStore, type Store } from "./store.js";

export interface OpenStoreOptions {
  /** `postgres://...` selects PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
  location: string;
  sqliteBusyTimeoutMs?: number;
  postgresConnectTimeoutMs?: number;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** Open the store at `location`. Throws store-unavailable / store-locked PalisadeErrors. */
export function openStore(options: OpenStoreOptions): Store {
  if (isPostgresUrl(options.location)) {
    return createStore(
      openPostgres({
        url: options.location,
        ...(options.postgresConnectTimeoutMs === undefined
          ? {}
          : { connectTimeoutMs: options.postgresConnectTimeoutMs }),
      }),
    );
  }
  const path = options.location === ":memory:" ? options.location : resolve(options.location);
  return createStore(
    openSqlite({
      path,
      ...(options.sqliteBusyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.sqliteBusyTimeoutMs }),
    }),
  );
}
