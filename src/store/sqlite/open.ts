/** The embedded store: one SQLite file in WAL mode, via better-sqlite3. */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { PalisadeError } from "../../core/index.js";
import type { StoreBackend } from "../backend.js";
import type { Database } from "../schema.js";

export interface SqliteOptions {
  path: string;
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

/** SQLite result codes that mean "someone else holds the lock". */
const LOCKED = /^SQLITE_(BUSY|LOCKED)/;
/** Result codes that mean the file cannot be used: read-only, missing, not a database, disk full. */
const UNAVAILABLE = /^SQLITE_(READONLY|CANTOPEN|IOERR|FULL|PERM|NOTADB|CORRUPT|AUTH)/;

export function openSqlite(options: SqliteOptions): StoreBackend {
  const { path } = options;
  const classify = (error: unknown) => classifySqlite(error, path);
  let handle: BetterSqlite3.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    handle = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 5000 });
    handle.pragma("journal_mode = WAL");
    handle.pragma("synchronous = NORMAL");
    handle.pragma("foreign_keys = ON");
  } catch (cause) {
    const known = classify(cause) ?? { code: "store-unavailable" as const, reason: (cause as Error).message };
    throw new PalisadeError(known.code, `cannot open SQLite store ${path}: ${known.reason}`, { input: path, cause });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    dialect: "sqlite",
    location: path,
    db,
    beginWrite: "begin immediate",
    classify,
    async ping() {
      await sql`select 1`.execute(db);
    },
  };
}

function classifySqlite(error: unknown, path: string) {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && LOCKED.test(code)) {
    return { code: "store-locked" as const, reason: `database is locked by another process (${code}): ${path}` };
  }
  if (typeof code === "string" && UNAVAILABLE.test(code)) {
    return { code: "store-unavailable" as const, reason: `${message} (${code})` };
  }
  if (typeof code === "string" && /^E(ROFS|ACCES|PERM|NOSPC)$/.test(code)) {
    return { code: "store-unavailable" as const, reason: `${message} (${code})` };
  }
  return undefined;
}
