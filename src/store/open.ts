/** Choose and open the store backend from a location: a postgres:// URL or a SQLite file path. */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PalisadeError, redactUrl } from "../core/index.js";
import { openPostgres } from "./postgres/open.js";
import { openSqlite } from "./sqlite/open.js";
import { createStore, type Store } from "./store.js";

export interface OpenStoreOptions {
  /** `postgres://...` selects PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
  location: string;
  sqliteBusyTimeoutMs?: number;
  /** SQLite: checkpoint the WAL on a background thread (long-running event writers). */
  sqliteBackgroundCheckpoints?: boolean;
  postgresConnectTimeoutMs?: number;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * Check a store location given by a user (`--db`, PALISADE_DATABASE_URL, store.path) and turn a
 * `file:` URL into a path. Any other `scheme:` is refused: as a SQLite path it would silently
 * create a folder named after the scheme (`./mysql:/x`).
 */
export function parseStoreLocation(location: string): string {
  if (location.trim() === "") {
    throw new PalisadeError("bad-usage", "the store location is empty: give a SQLite file path or a postgres:// URL", {
      input: location,
    });
  }
  if (isPostgresUrl(location) || location === ":memory:") return location;
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(location)?.[1];
  if (scheme?.toLowerCase() === "file") {
    // Only `file:///absolute/path`: `file:x.db` would resolve to `/x.db`, and SQLite's own URI
    // options (`?mode=ro`) would be dropped without a word.
    const shown = redactUrl(location);
    if (!/^file:\/\/(localhost)?\/[^?#]*$/i.test(location)) {
      throw new PalisadeError("bad-usage", `give a file:///absolute/path URL or a plain path, got ${shown}`, {
        input: shown,
      });
    }
    try {
      return fileURLToPath(location);
    } catch (cause) {
      throw new PalisadeError("bad-usage", `not a local file URL: ${shown}`, { input: shown, cause });
    }
  }
  if (scheme) {
    throw new PalisadeError(
      "bad-usage",
      `unsupported store ${redactUrl(location)}: give a SQLite file path or a postgres:// URL`,
      { input: redactUrl(location) },
    );
  }
  return location;
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
  const location = parseStoreLocation(options.location);
  const path = location === ":memory:" ? location : resolve(location);
  return createStore(
    openSqlite({
      path,
      ...(options.sqliteBusyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.sqliteBusyTimeoutMs }),
      ...(options.sqliteBackgroundCheckpoints ? { backgroundCheckpoints: true } : {}),
    }),
  );
}
