/** The embedded store: one SQLite file in WAL mode, via better-sqlite3. */
import { mkdirSync, statSync } from "node:fs";
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
    if (path !== ":memory:") ensureFolder(dirname(path));
    handle = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 5000 });
    handle.pragma("journal_mode = WAL");
    handle.pragma("synchronous = NORMAL");
    handle.pragma("foreign_keys = ON");
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
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

/**
 * Create the store's folder one level at a time. `mkdirSync(..., { recursive: true })` is not
 * used: on paths under /proc it loops forever (the kernel answers ENOENT for every level), and
 * its errors name the wrong folder.
 */
function ensureFolder(folder: string): void {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    let stat: ReturnType<typeof statSync> | undefined;
    try {
      stat = statSync(current);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw folderError(current, code ?? (cause as Error).message, cause);
    }
    if (stat) {
      if (!stat.isDirectory()) throw folderError(current, "not a directory");
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw folderError(dir, code ?? (cause as Error).message, cause);
    }
  }
}

function folderError(folder: string, reason: string, cause?: unknown): PalisadeError {
  return new PalisadeError("bad-input", `cannot create the store's folder ${folder}: ${reason}`, {
    input: folder,
    cause,
  });
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
