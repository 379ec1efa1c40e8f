/** The scaled store: PostgreSQL via node-postgres, shared by several gateway replicas. */
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { redactUrl } from "../../core/index.js";
import type { StoreBackend } from "../backend.js";
import type { Database } from "../schema.js";

export interface PostgresOptions {
  url: string;
  /** Give up connecting after this long (ms), so an unreachable server fails fast. */
  connectTimeoutMs?: number;
  maxConnections?: number;
}

const INT8_OID = 20;
/** The advisory lock that serialises appends to the audit chain ("palisade-audit-chain"). */
const CHAIN_LOCK_KEY = 0x70616c6973616465n;
/** Epoch-millisecond bigints fit in a double until the year 287396; read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Connection-level failures: the server is down, unknown, refuses us, or the database is missing. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "28P01", // invalid_password
  "28000", // invalid_authorization_specification
  "3D000", // invalid_catalog_name (database does not exist)
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

export function openPostgres(options: PostgresOptions): StoreBackend {
  const location = redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    max: options.maxConnections ?? 10,
    types,
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: "postgres",
    location,
    db,
    beginWrite: "begin",
    // Held to commit, so chain rows become visible in sequence order.
    chainLock: `select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`,
    classify(error) {
      const code = (error as { code?: unknown })?.code;
      const message = error instanceof Error ? error.message : String(error);
      if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) {
        return {
          code: "store-unavailable",
          reason: `cannot reach PostgreSQL at ${location}: ${message || code} (${code})`,
        };
      }
      if (/timeout|Connection terminated/i.test(message) && !code) {
        return { code: "store-unavailable", reason: `cannot reach PostgreSQL at ${location}: ${message}` };
      }
      if (error instanceof AggregateError) {
        return {
          code: "store-unavailable",
          reason: `cannot reach PostgreSQL at ${location}: ${error.errors.map((e) => (e as Error).message).join("; ")}`,
        };
      }
      return undefined;
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
  };
}
