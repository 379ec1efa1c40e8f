/**
 * The store: one engine over Kysely, whatever the dialect. Every driver failure comes out as a
 * PalisadeError (store-locked / store-unavailable) naming the store, never as a raw driver error.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, Migrator, sql, type Transaction } from "kysely";
import { type Event, PalisadeError } from "../core/index.js";
import { type AdvisoryStore, createAdvisoryStore } from "./advisories.js";
import type { StoreBackend, StoreDialect } from "./backend.js";
import {
  chainedIds,
  eventEntry,
  extendChain,
  lockChain,
  markPruned,
  pruneEntry,
  toEventRow,
  toStoredText,
} from "./event-chain.js";
import {
  type AssetInput,
  createInventoryStore,
  type EdgeInput,
  type FindingInput,
  type InventoryStore,
  insertFindings,
  type ScanInput,
  upsertAssets,
  upsertEdges,
} from "./inventory.js";
import { MIGRATIONS, migrationProvider } from "./migrations/index.js";
import { addRollups } from "./rollups.js";
import { type Database, type EventFactColumns, type EventsTable, TABLES } from "./schema.js";

export type { AssetInput, EdgeInput, FindingInput, RecordedScan, ScanInput, ScanRecord } from "./inventory.js";

export interface AssetRecord extends Required<Pick<AssetInput, "id" | "kind" | "name">> {
  subkind: string | null;
  version: string | null;
  purl: string | null;
  digest: string | null;
  properties: Record<string, unknown>;
  firstSeen: number;
  lastSeen: number;
}

export interface ReachableAsset extends AssetRecord {
  /** Fewest edges from the start asset. */
  depth: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  roles: string[];
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** An event row as appendEvents stored it, with its place in the audit chain. */
export interface AppendedEvent extends EventsTable {
  seq: number;
}

export interface MigrationOutcome {
  name: string;
  status: "applied" | "failed" | "not-executed";
}

export interface StoreStatus {
  dialect: StoreDialect;
  location: string;
  applied: { name: string; executedAt: string }[];
  pending: string[];
  /** Row counts per table; empty until the schema exists. */
  rows: Record<string, number>;
}

/** The store; its advisory methods are in advisories.ts, its inventory batch in inventory.ts. */
export interface Store extends AdvisoryStore, InventoryStore {
  readonly dialect: StoreDialect;
  readonly location: string;
  /** The query builder, for modules that own their own queries. */
  readonly db: Kysely<Database>;
  migrate(): Promise<MigrationOutcome[]>;
  status(): Promise<StoreStatus>;
  /** Runs `fn` in a write transaction that waits for other writers rather than failing. */
  write<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  upsertAsset(asset: AssetInput): Promise<void>;
  getAsset(id: string): Promise<AssetRecord | undefined>;
  addEdge(edge: EdgeInput): Promise<void>;
  /** Every asset reachable from `id` along edges (optionally only of `edgeKinds`), nearest first. */
  reachableFrom(id: string, options?: { edgeKinds?: string[]; maxDepth?: number }): Promise<ReachableAsset[]>;
  recordScan(scan: ScanInput, findings: readonly FindingInput[]): Promise<string>;
  /**
   * Append events, idempotent by id (an id appended before, even one pruned since, is skipped),
   * and extend the audit chain with them in the same transaction (event-chain.ts).
   */
  appendEvents(events: readonly Event[]): Promise<void>;
  /**
   * appendEvents, then `within` in the same write transaction with the rows this call appended
   * (in chain order, with their sequence numbers): work that must commit or fail with the events,
   * such as correlating them. Its result is returned.
   */
  appendEventsWith<T>(
    events: readonly Event[],
    within: (trx: Transaction<Database>, appended: readonly AppendedEvent[]) => Promise<T>,
  ): Promise<T>;
  /**
   * Delete events of `kind` older than `before` (epoch ms), except events attached to an incident
   * (they are its evidence). Deletes in batches so a large purge never holds the write lock long.
   * Their chain rows stay, marked pruned, and the run is recorded in the chain. Returns how many
   * were deleted.
   */
  pruneEvents(options: { kind: string; before: number }): Promise<number>;
  countRows(table: (typeof TABLES)[number]): Promise<number>;
  /** A driver error from a query on `db` as the store error it means (unavailable, locked...), else undefined. */
  classifyError(error: unknown): PalisadeError | undefined;
  createApiKey(key: {
    name: string;
    prefix: string;
    hash: string;
    roles: readonly string[];
    expiresAt?: number;
  }): Promise<ApiKeyRecord>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revoke by name or id; false when there is no such key. */
  revokeApiKey(nameOrId: string): Promise<boolean>;
  close(): Promise<void>;
}

const DEFAULT_MAX_DEPTH = 32;
/** Events deleted per write transaction when pruning. */
const PRUNE_BATCH = 1_000;

/** Build the store engine over a dialect backend. */
export function createStore(backend: StoreBackend): Store {
  const { db } = backend;
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: "palisade_migrations",
    migrationLockTableName: "palisade_migrations_lock",
  });

  /** Wrap driver errors into typed store errors naming the store. */
  async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof PalisadeError) throw error;
      const known = backend.classify(error);
      if (known) {
        throw new PalisadeError(known.code, `${operation}: ${known.reason}`, { input: backend.location, cause: error });
      }
      throw error;
    }
  }

  async function write<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return guard("write to store", () =>
      db.connection().execute(async (conn) => {
        await sql.raw(backend.beginWrite).execute(conn);
        try {
          // A Transaction is the connection-bound Kysely; the cast is how Kysely exposes one for a raw begin.
          const result = await fn(conn as unknown as Transaction<Database>);
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  const advisories = createAdvisoryStore({ db, write, guard });
  const inventory = createInventoryStore({ write });

  async function appendWith<T>(
    events: readonly Event[],
    within: (trx: Transaction<Database>, appended: readonly AppendedEvent[]) => Promise<T>,
  ): Promise<T> {
    // One row per id (the first copy), hashed exactly as it is stored.
    const unique = new Map<string, EventsTable & EventFactColumns>();
    for (const event of events) {
      const row = toEventRow(event);
      if (!unique.has(row.id)) unique.set(row.id, row);
    }
    const rows = [...unique.values()];
    return write(async (trx) => {
      await lockChain(trx, backend.chainLock);
      const appended: (EventsTable & EventFactColumns)[] = [];
      for (const chunk of chunks(rows, 200)) {
        // Replays after an outage may resend events, even ones retention has pruned since:
        // the chain knows every id ever appended, which makes the append idempotent.
        const known = await chainedIds(
          trx,
          chunk.map((r) => r.id),
        );
        const fresh = chunk.filter((r) => !known.has(r.id));
        if (fresh.length === 0) continue;
        const inserted = await trx
          .insertInto("events")
          .values(fresh)
          // A row written behind the store's back stays as it is (and unchained, for audit verify to report).
          .onConflict((oc) => oc.column("id").doNothing())
          .returning("id")
          .execute();
        const ids = new Set(inserted.map((r) => r.id));
        for (const row of fresh) if (ids.has(row.id)) appended.push(row);
      }
      const links = await extendChain(trx, appended.map(eventEntry));
      await addRollups(trx, appended);
      return within(
        trx,
        appended.map((row, i) => ({ ...row, seq: Number(links[i]?.seq) })),
      );
    });
  }

  return {
    ...advisories,
    ...inventory,
    dialect: backend.dialect,
    location: backend.location,
    db,
    write,

    classifyError(error) {
      if (error instanceof PalisadeError) return error;
      const known = backend.classify(error);
      return known ? new PalisadeError(known.code, known.reason, { input: backend.location, cause: error }) : undefined;
    },

    async migrate() {
      return guard("migrate store", async () => {
        const { results, error } = await migrator.migrateToLatest();
        if (error) {
          const known = backend.classify(error);
          if (known)
            throw new PalisadeError(known.code, `migrate store: ${known.reason}`, {
              input: backend.location,
              cause: error,
            });
          const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
          throw new PalisadeError("internal", `migration ${failed} failed: ${(error as Error).message}`, {
            input: backend.location,
            cause: error,
          });
        }
        return (results ?? []).map((r) => ({
          name: r.migrationName,
          status: r.status === "Success" ? "applied" : r.status === "Error" ? "failed" : "not-executed",
        }));
      });
    },

    async status() {
      return guard("read store status", async () => {
        await backend.ping();
        const migrations = await migrator.getMigrations();
        const applied = migrations
          .filter((m) => m.executedAt)
          .map((m) => ({ name: m.name, executedAt: (m.executedAt as Date).toISOString() }));
        const pending = migrations.filter((m) => !m.executedAt).map((m) => m.name);
        const rows: Record<string, number> = {};
        if (applied.length > 0) {
          for (const table of TABLES) rows[table] = await countRows(table);
        }
        return { dialect: backend.dialect, location: backend.location, applied, pending, rows };
      });
    },

    async upsertAsset(asset) {
      await write((trx) => upsertAssets(trx, [asset], Date.now()));
    },

    async getAsset(id) {
      return guard("read asset", async () => {
        const row = await db.selectFrom("assets").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? toAssetRecord(row) : undefined;
      });
    },

    async addEdge(edge) {
      await write((trx) => upsertEdges(trx, [edge], Date.now()));
    },

    async reachableFrom(id, options = {}) {
      const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
      const kinds = options.edgeKinds;
      return guard("walk inventory graph", async () => {
        // Depth-bounded recursive walk: cycles stop at maxDepth; min(depth) keeps the shortest path.
        const rows = await db
          .withRecursive("reach(id, depth)", (qb) =>
            qb
              .selectFrom("edges")
              .select(["edges.dst as id", sql<number>`1`.as("depth")])
              .where("edges.src", "=", id)
              .$if(kinds !== undefined, (q) => q.where("edges.kind", "in", kinds ?? []))
              .unionAll((u) =>
                u
                  .selectFrom("edges")
                  .innerJoin("reach", "reach.id", "edges.src")
                  .select(["edges.dst as id", sql<number>`reach.depth + 1`.as("depth")])
                  .where("reach.depth", "<", maxDepth)
                  .$if(kinds !== undefined, (q) => q.where("edges.kind", "in", kinds ?? [])),
              ),
          )
          .selectFrom("reach")
          .innerJoin("assets", "assets.id", "reach.id")
          .selectAll("assets")
          .select((eb) => eb.fn.min<number>("reach.depth").as("depth"))
          .where("assets.id", "!=", id)
          .groupBy([...ASSET_COLUMNS])
          .orderBy("depth")
          .orderBy("assets.id")
          .execute();
        return rows.map((row) => ({ ...toAssetRecord(row), depth: Number(row.depth) }));
      });
    },

    async recordScan(scan, findings) {
      const scanId = randomUUID();
      const now = Date.now();
      await write(async (trx) => {
        await trx
          .insertInto("scans")
          .values({
            id: scanId,
            kind: scan.kind,
            target: scan.target,
            status: scan.status,
            started_at: scan.startedAt,
            finished_at: scan.finishedAt ?? now,
            summary: JSON.stringify(scan.summary ?? {}),
          })
          .execute();
        await insertFindings(trx, { scanId, findings, now, idOf: () => randomUUID() });
      });
      return scanId;
    },

    async appendEvents(events) {
      if (events.length === 0) return;
      await appendWith(events, async () => {});
    },

    appendEventsWith: appendWith,

    async pruneEvents({ kind, before }) {
      let deleted = 0;
      // One prune entry in the audit chain per run, written with the first batch it deletes.
      const run = { id: `prune:${randomUUID()}`, kind: toStoredText(kind), before, at: Date.now(), recorded: false };
      for (;;) {
        const batch = await write(async (trx) => {
          await lockChain(trx, backend.chainLock);
          const rows = await trx
            .selectFrom("events")
            .select("id")
            .where("kind", "=", kind)
            .where("time", "<", before)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom("incident_events")
                    .select("event_id")
                    .whereRef("incident_events.event_id", "=", "events.id"),
                ),
              ),
            )
            .limit(PRUNE_BATCH)
            .execute();
          if (rows.length > 0) {
            const ids = rows.map((r) => r.id);
            await trx.deleteFrom("events").where("id", "in", ids).execute();
            await markPruned(trx, ids, run.at);
            if (!run.recorded) await extendChain(trx, [pruneEntry(run)]);
          }
          return rows.length;
        });
        if (batch > 0) run.recorded = true;
        deleted += batch;
        if (batch < PRUNE_BATCH) return deleted;
      }
    },

    countRows,

    async createApiKey(key) {
      // A time no Date can hold would make every later listing fail: refuse it before writing.
      if (key.expiresAt !== undefined && Number.isNaN(new Date(key.expiresAt).getTime())) {
        throw new PalisadeError("bad-input", `impossible expiry time ${key.expiresAt}`, {
          input: String(key.expiresAt),
        });
      }
      const record = {
        id: randomUUID(),
        name: key.name,
        prefix: key.prefix,
        hash: key.hash,
        roles: JSON.stringify(key.roles),
        created_at: Date.now(),
        expires_at: key.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      };
      await write(async (trx) => {
        const existing = await trx.selectFrom("api_keys").select("id").where("name", "=", key.name).executeTakeFirst();
        if (existing)
          throw new PalisadeError("bad-input", `an API key named ${key.name} already exists`, { input: key.name });
        await trx.insertInto("api_keys").values(record).execute();
      });
      return toApiKey(record);
    },

    async findApiKeyByHash(hash) {
      return guard("look up API key", async () => {
        const row = await db.selectFrom("api_keys").selectAll().where("hash", "=", hash).executeTakeFirst();
        return row ? toApiKey(row) : undefined;
      });
    },

    async listApiKeys() {
      return guard("list API keys", async () =>
        (await db.selectFrom("api_keys").selectAll().orderBy("created_at").orderBy("name").execute()).map(toApiKey),
      );
    },

    async revokeApiKey(nameOrId) {
      return write(async (trx) => {
        const result = await trx
          .updateTable("api_keys")
          .set({ revoked_at: Date.now() })
          .where((eb) => eb.or([eb("name", "=", nameOrId), eb("id", "=", nameOrId)]))
          .where("revoked_at", "is", null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      });
    },

    async close() {
      await db.destroy();
    },
  };

  async function countRows(table: (typeof TABLES)[number]): Promise<number> {
    return guard(`count ${table}`, async () => {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });
  }
}

/** Names of every migration this build knows, in order. */
export function knownMigrations(): string[] {
  return Object.keys(MIGRATIONS).sort();
}

function toApiKey(row: Database["api_keys"]): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    roles: JSON.parse(row.roles) as string[],
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/** Every column of an asset row, qualified: for queries that join assets with other tables. */
export const ASSET_COLUMNS = [
  "assets.id",
  "assets.kind",
  "assets.subkind",
  "assets.name",
  "assets.version",
  "assets.purl",
  "assets.digest",
  "assets.properties",
  "assets.first_seen",
  "assets.last_seen",
] as const;

export function toAssetRecord(row: Database["assets"]): AssetRecord {
  return {
    id: row.id,
    kind: row.kind,
    subkind: row.subkind,
    name: row.name,
    version: row.version,
    purl: row.purl,
    digest: row.digest,
    properties: JSON.parse(row.properties) as Record<string, unknown>,
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
  };
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
