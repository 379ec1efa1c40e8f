/**
 * The tamper-evident audit chain (event-chain.ts): a row per appended event or prune run, each
 * hashing its predecessor. Events already in the store are chained here, in (time, id) order, so
 * a migrated store verifies; events pruned before this migration are simply not in the chain.
 */
import { type Kysely, type Migration, sql } from "kysely";
import { eventEntry, extendChain } from "../event-chain.js";
import type { Database, EventsTable } from "../schema.js";

type AnyDb = Kysely<Record<string, never>>;

/** Existing events chained per page, so a large store is migrated in bounded memory. */
const PAGE = 2_000;

export const auditChain: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("event_chain")
      .addColumn("seq", "bigint", (c) => c.primaryKey())
      .addColumn("entry", "text", (c) => c.notNull())
      .addColumn("event_id", "text", (c) => c.notNull().unique())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("time", "bigint", (c) => c.notNull())
      .addColumn("event_hash", "text", (c) => c.notNull())
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .addColumn("pruned_at", "bigint")
      .execute();
    // Verification reads the few prune entries first; a partial index keeps that off a full scan.
    await db.schema
      .createIndex("event_chain_prunes")
      .on("event_chain")
      .column("seq")
      .where(sql.ref("entry"), "=", sql.lit("prune"))
      .execute();

    // The chain format is fixed (version 1), so chaining existing rows uses today's event-chain code.
    const typed = db as unknown as Kysely<Database>;
    let after: { time: number; id: string } | undefined;
    for (;;) {
      const page: EventsTable[] = await typed
        .selectFrom("events")
        .selectAll()
        .$if(after !== undefined, (q) =>
          q.where(({ eb, or, and }) =>
            or([
              eb("time", ">", after?.time ?? 0),
              and([eb("time", "=", after?.time ?? 0), eb("id", ">", after?.id ?? "")]),
            ]),
          ),
        )
        .orderBy("time")
        .orderBy("id")
        .limit(PAGE)
        .execute();
      if (page.length === 0) break;
      await extendChain(
        typed,
        page.map((row) => eventEntry({ ...row, time: Number(row.time) })),
      );
      const last = page[page.length - 1] as EventsTable;
      after = { time: Number(last.time), id: last.id };
      if (page.length < PAGE) break;
    }
  },

  async down(db: AnyDb) {
    await db.schema.dropTable("event_chain").ifExists().execute();
  },
};
