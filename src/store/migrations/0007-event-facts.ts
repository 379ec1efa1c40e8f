/**
 * What the activity views count by, without reading payloads: each gateway request's and MCP
 * call's verdict, reason, model, tokens and latency in their own columns (derived from the
 * payload by core/event-facts.ts; the events list filters on them), and hourly rollups of them
 * (store/rollups.ts) kept current by every append, so counting 100,000 requests reads a few
 * hundred rows. Events stored before are filled in, and counted, from their payloads.
 */
import { type Kysely, type Migration, sql } from "kysely";
import { eventFacts } from "../../core/index.js";
import { toStoredText } from "../event-chain.js";
import { addRollups } from "../rollups.js";
import type { Database } from "../schema.js";

// Kysely's migration API is untyped by design: migrations must not depend on today's schema types.
type AnyDb = Kysely<Record<string, never>>;

const BATCH = 1_000;
/** The kinds whose payloads carry facts (core/event-facts.ts). */
const KINDS_WITH_FACTS = ["gateway.request", "mcp.call"];

export const eventFacts0007: Migration = {
  async up(db: AnyDb) {
    for (const [column, type] of [
      ["verdict", "text"],
      ["reason", "text"],
      ["model", "text"],
      ["tokens", "bigint"],
      ["latency_ms", "bigint"],
    ] as const)
      await db.schema.alterTable("events").addColumn(column, type).execute();
    await db.schema
      .createTable("event_rollups")
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("hour", "bigint", (c) => c.notNull())
      .addColumn("dimension", "text", (c) => c.notNull())
      .addColumn("value", "text", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("count", "bigint", (c) => c.notNull())
      .addColumn("blocked", "bigint", (c) => c.notNull())
      .addColumn("tokens", "bigint", (c) => c.notNull())
      .addColumn("latency_ms", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("event_rollups_pk", ["kind", "hour", "dimension", "value", "reason"])
      .execute();

    let after = "";
    for (;;) {
      const { rows } = await sql<{
        id: string;
        kind: string;
        time: number | string;
        identity_id: string | null;
        payload: string;
      }>`
        select id, kind, time, identity_id, payload from events
        where kind in (${sql.join(KINDS_WITH_FACTS)}) and id > ${after}
        order by id limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      const filled = rows.map((row) => {
        let payload: Record<string, unknown> = {};
        try {
          payload = JSON.parse(row.payload) as Record<string, unknown>;
        } catch {
          // An unreadable payload has no facts; audit verify reports the row if it was tampered with.
        }
        const f = eventFacts(row.kind, payload);
        return {
          ...row,
          time: Number(row.time),
          request_id: null,
          trace_id: null,
          session_id: null,
          ...f,
          reason: f.reason === null ? null : toStoredText(f.reason),
          model: f.model === null ? null : toStoredText(f.model),
          latency_ms: f.latencyMs,
        };
      });
      for (const f of filled)
        await sql`update events set verdict = ${f.verdict}, reason = ${f.reason}, model = ${f.model},
          tokens = ${f.tokens}, latency_ms = ${f.latency_ms} where id = ${f.id}`.execute(db);
      await addRollups(db as unknown as Kysely<Database>, filled);
      after = rows.at(-1)?.id ?? after;
    }

    // The events list filters by verdict; sensor events have none and are left out of the index.
    await db.schema
      .createIndex("events_verdict_time")
      .on("events")
      .columns(["verdict", "time"])
      .where(sql.ref("verdict"), "is not", null)
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex("events_verdict_time").execute();
    await db.schema.dropTable("event_rollups").execute();
    for (const column of ["latency_ms", "tokens", "model", "reason", "verdict"])
      await db.schema.alterTable("events").dropColumn(column).execute();
  },
};
