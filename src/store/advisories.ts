/**
 * OSV advisories in the store: import (incremental by `modified`), lookup by package, and a
 * preloaded memory index for the matcher. Advisories are stored as OSV JSON and parsed again
 * with the vuln library's schema when read, so what leaves the store is checked like any file.
 *
 * The package index uses the vuln library's keys (`packageKey`: base ecosystem and normalised
 * name), so the store finds exactly the candidates the memory index would; the matcher then
 * checks releases, ranges and withdrawals as it does for any lookup.
 */
import type { Kysely, Transaction } from "kysely";
import { PalisadeError } from "../core/index.js";
import {
  createMemoryIndex,
  type MemoryIndex,
  type OsvAdvisory,
  type PackageRef,
  packageKey,
  parseOsvAdvisory,
} from "../vuln/index.js";
import type { Database } from "./schema.js";

/** What an import did; every advisory given is counted once. */
export interface AdvisoryImportResult {
  added: number;
  replaced: number;
  /** Copies not newer than the one already stored (or than another copy in the same import). */
  skipped: number;
  /** Advisories the store cannot hold as they are, with the reason; the others are imported. */
  rejected: { id: string; message: string }[];
}

export interface AdvisoryImportOptions {
  /** Advisories written per transaction (default 500): bounds how long the write lock is held. */
  batchSize?: number;
  /** Called after each committed batch with the number of advisories handled so far. */
  onProgress?: (done: number) => void;
}

/** What the store holds, for `db status`. */
export interface AdvisorySummary {
  total: number;
  /** Advisories per OSV base ecosystem the matcher knows, sorted by name; one advisory may count in several. */
  ecosystems: { ecosystem: string; advisories: number }[];
  /** The latest `modified` time held (ISO 8601), or null when the store has none. */
  lastModified: string | null;
}

/** A package to look advisories up for: its ecosystem, name and (OS packages) source package. */
export type AdvisoryQuery = Pick<PackageRef, "ecosystem" | "name" | "sourceName">;

/** The store's advisory methods (part of Store). */
export interface AdvisoryStore {
  /**
   * Adds each advisory, or replaces the stored copy when this one's `modified` is later; an
   * equal or older copy is skipped, so importing the same data twice changes nothing.
   */
  importAdvisories(advisories: Iterable<OsvAdvisory>, options?: AdvisoryImportOptions): Promise<AdvisoryImportResult>;
  /**
   * Advisories with an `affected` entry for this package in this ecosystem's base (any release),
   * withdrawn ones included, sorted by id: what `AdvisoryLookup.lookup` answers.
   */
  advisoriesFor(ecosystem: string, name: string): Promise<OsvAdvisory[]>;
  /** The advisories for many packages at once (and their source packages), each once, sorted by id. */
  advisoriesForPackages(packages: Iterable<AdvisoryQuery>): Promise<OsvAdvisory[]>;
  advisorySummary(): Promise<AdvisorySummary>;
}

/** What the advisory methods need from the store engine. */
export interface AdvisoryStoreDeps {
  db: Kysely<Database>;
  write<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  guard<T>(operation: string, fn: () => Promise<T>): Promise<T>;
}

const DEFAULT_BATCH = 500;
/** Index rows per insert statement: 3 parameters each, far below PostgreSQL's 65,535. */
const INDEX_ROWS_PER_INSERT = 1_000;
/** Names per lookup statement. */
const NAMES_PER_QUERY = 500;

/** The (ecosystem, name) index rows of one advisory, once each. */
function indexRowsOf(advisory: OsvAdvisory): { ecosystem: string; name: string }[] {
  const rows = new Map<string, { ecosystem: string; name: string }>();
  for (const affected of advisory.affected ?? []) {
    if (!affected.package) continue;
    const row = toIndexKey(affected.package.ecosystem, affected.package.name);
    if (row) rows.set(`${row.ecosystem}\u0000${row.name}`, row);
  }
  return [...rows.values()];
}

/**
 * The index columns for a package, or undefined for an ecosystem the matcher does not know.
 * PostgreSQL text cannot hold NUL, so a NUL in a name is stored as U+FFFD: the lookup maps it
 * the same way, and the matcher compares the real names afterwards.
 */
function toIndexKey(ecosystem: string, name: string): { ecosystem: string; name: string } | undefined {
  const key = packageKey(ecosystem, name);
  if (key === undefined) return undefined;
  const cut = key.indexOf("\u0000");
  return { ecosystem: key.slice(0, cut), name: storable(key.slice(cut + 1)) };
}

function storable(text: string): string {
  return text
    .replaceAll("\u0000", "\ufffd")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** Why the store cannot hold this id as it is, or undefined when it can. */
function unstorableId(id: string): string | undefined {
  return storable(id) === id ? undefined : "the id holds a NUL or an unpaired surrogate, which the store cannot keep";
}

interface Candidate {
  advisory: OsvAdvisory;
  modified: number;
}

export function createAdvisoryStore({ db, write, guard }: AdvisoryStoreDeps): AdvisoryStore {
  /** Parses a stored row at the edge; a row that no longer parses is a broken store, named by id. */
  function fromRow(row: { id: string; content: string }): OsvAdvisory {
    const where = `store advisory ${row.id}`;
    try {
      return parseOsvAdvisory(JSON.parse(row.content), where);
    } catch (cause) {
      throw new PalisadeError(
        "internal",
        `${where} does not parse as OSV: ${cause instanceof Error ? cause.message : String(cause)}`,
        { input: row.id, cause },
      );
    }
  }

  /** Writes one batch (ids unique within it); returns its counts. */
  async function importBatch(
    batch: Candidate[],
    now: number,
  ): Promise<{ added: number; replaced: number; skipped: number }> {
    return write(async (trx) => {
      const ids = batch.map((c) => c.advisory.id);
      const stored = new Map(
        (await trx.selectFrom("advisories").select(["id", "modified"]).where("id", "in", ids).execute()).map((r) => [
          r.id,
          Number(r.modified),
        ]),
      );
      // Ascending ids: concurrent importers lock rows in one order, so they cannot deadlock.
      const newer = batch
        .filter((c) => {
          const held = stored.get(c.advisory.id);
          return held === undefined || held < c.modified;
        })
        .sort((a, b) => (a.advisory.id < b.advisory.id ? -1 : a.advisory.id > b.advisory.id ? 1 : 0));
      const written = new Set<string>();
      for (const chunk of chunks(newer, 200)) {
        // The condition holds again at write time, so two importers at once never go backwards.
        const rows = await trx
          .insertInto("advisories")
          .values(
            chunk.map((c) => ({
              id: c.advisory.id,
              modified: c.modified,
              imported_at: now,
              content: JSON.stringify(c.advisory),
            })),
          )
          .onConflict((oc) =>
            oc
              .column("id")
              .doUpdateSet((eb) => ({
                modified: eb.ref("excluded.modified"),
                imported_at: eb.ref("excluded.imported_at"),
                content: eb.ref("excluded.content"),
              }))
              .whereRef("advisories.modified", "<", "excluded.modified"),
          )
          .returning("id")
          .execute();
        for (const row of rows) written.add(row.id);
      }
      const writtenIds = [...written];
      // Every written id, not only those seen before: another importer may have added one meanwhile.
      for (const chunk of chunks(writtenIds, NAMES_PER_QUERY))
        await trx.deleteFrom("advisory_packages").where("advisory_id", "in", chunk).execute();
      const indexRows = newer
        .filter((c) => written.has(c.advisory.id))
        .flatMap((c) => indexRowsOf(c.advisory).map((row) => ({ ...row, advisory_id: c.advisory.id })));
      for (const chunk of chunks(indexRows, INDEX_ROWS_PER_INSERT))
        await trx
          .insertInto("advisory_packages")
          .values(chunk)
          .onConflict((oc) => oc.doNothing())
          .execute();
      const replaced = writtenIds.filter((id) => stored.has(id)).length;
      return { added: written.size - replaced, replaced, skipped: batch.length - written.size };
    });
  }

  /** Rows of the advisories filed under these names: ids by the package index, then their content by id. */
  async function selectByKeys(ecosystem: string, names: readonly string[]): Promise<{ id: string; content: string }[]> {
    const ids = await db
      .selectFrom("advisory_packages")
      .select("advisory_id")
      .distinct()
      .where("ecosystem", "=", ecosystem)
      .where("name", "in", names)
      .execute();
    const rows: { id: string; content: string }[] = [];
    for (const chunk of chunks(
      ids.map((r) => r.advisory_id),
      NAMES_PER_QUERY,
    ))
      rows.push(...(await db.selectFrom("advisories").select(["id", "content"]).where("id", "in", chunk).execute()));
    return rows;
  }

  const store: AdvisoryStore = {
    async importAdvisories(advisories, options = {}) {
      const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
      const result: AdvisoryImportResult = { added: 0, replaced: 0, skipped: 0, rejected: [] };
      const now = Date.now();
      let done = 0;
      // Copies of one id within a batch: the latest one goes in, the others count as skipped.
      let batch = new Map<string, Candidate>();
      const flush = async () => {
        if (batch.size === 0) return;
        const counts = await importBatch([...batch.values()], now);
        result.added += counts.added;
        result.replaced += counts.replaced;
        result.skipped += counts.skipped;
        done += batch.size;
        batch = new Map();
        options.onProgress?.(done);
      };
      for (const advisory of advisories) {
        const problem = unstorableId(advisory.id);
        if (problem) {
          result.rejected.push({ id: storable(advisory.id), message: problem });
          continue;
        }
        const candidate = { advisory, modified: Date.parse(advisory.modified) };
        const earlier = batch.get(advisory.id);
        if (earlier) {
          result.skipped++;
          done++;
          if (earlier.modified >= candidate.modified) continue;
        }
        batch.set(advisory.id, candidate);
        if (batch.size >= batchSize) await flush();
      }
      await flush();
      return result;
    },

    async advisoriesFor(ecosystem, name) {
      const key = toIndexKey(ecosystem, name);
      if (!key) return [];
      return guard("read advisories", async () =>
        sortById((await selectByKeys(key.ecosystem, [key.name])).map(fromRow)),
      );
    },

    async advisoriesForPackages(packages) {
      const byEcosystem = new Map<string, Set<string>>();
      for (const pkg of packages) {
        for (const name of pkg.sourceName === undefined ? [pkg.name] : [pkg.name, pkg.sourceName]) {
          const key = toIndexKey(pkg.ecosystem, name);
          if (!key) continue;
          let names = byEcosystem.get(key.ecosystem);
          if (!names) {
            names = new Set();
            byEcosystem.set(key.ecosystem, names);
          }
          names.add(key.name);
        }
      }
      return guard("read advisories", async () => {
        const found = new Map<string, OsvAdvisory>();
        for (const [ecosystem, names] of byEcosystem) {
          for (const chunk of chunks([...names], NAMES_PER_QUERY)) {
            for (const row of await selectByKeys(ecosystem, chunk))
              if (!found.has(row.id)) found.set(row.id, fromRow(row));
          }
        }
        return sortById([...found.values()]);
      });
    },

    async advisorySummary() {
      return guard("summarise advisories", async () => {
        const totals = await db
          .selectFrom("advisories")
          .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.max("modified").as("latest")])
          .executeTakeFirstOrThrow();
        const ecosystems = await db
          .selectFrom("advisory_packages")
          .select((eb) => ["ecosystem", eb.fn.count<number | string>("advisory_id").distinct().as("n")])
          .groupBy("ecosystem")
          .execute();
        const latest = totals.latest === null ? null : Number(totals.latest);
        return {
          total: Number(totals.n),
          // Sorted here: SQLite and PostgreSQL collate text differently.
          ecosystems: ecosystems
            .map((row) => ({ ecosystem: row.ecosystem, advisories: Number(row.n) }))
            .sort((a, b) => (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : 0)),
          lastModified: latest === null ? null : new Date(latest).toISOString(),
        };
      });
    },
  };
  return store;
}

/**
 * Loads, from the store, every advisory that can affect these packages (or their source
 * packages) into a memory index: the matcher is synchronous, so a scan preloads what it needs
 * with one query per ecosystem and 500 names, then matches in memory.
 */
export async function advisoryIndexFor(
  store: Pick<AdvisoryStore, "advisoriesForPackages">,
  packages: Iterable<AdvisoryQuery>,
): Promise<MemoryIndex> {
  return createMemoryIndex(await store.advisoriesForPackages(packages));
}

function sortById(advisories: OsvAdvisory[]): OsvAdvisory[] {
  return advisories.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
