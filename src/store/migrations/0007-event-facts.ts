/**
 * Verdict, reason, model, tokens and latency of each gateway request and MCP call in their own columns,
 * with an index that covers what the activity views count by, so counting 100,000 requests reads
 * the index instead of parsing every payload. Only events with a verdict are indexed (sensor
 * events have none), so ingestion of runtime events pays nothing for it. Events stored before
 * are filled in from their payloads, in batches.
 */
import { type Kysely, type Migration, sql } from "kysely";
import { eventFacts } from "../../core/index.js";

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

    let after = "";
    for (;;) {
      const rows = await sql<{ id: string; kind: string; payload: string }>`
        select id, kind, payload from events
        where kind in (${sql.join(KINDS_WITH_FACTS)}) and id > ${after}
        order by id limit ${BATCH}`.execute(db);
      if (rows.rows.length === 0) break;
      for (const row of rows.rows) {
        let payload: Record<string, unknown> = {};
        try {
          payload = JSON.parse(row.payload) as Record<string, unknown>;
        } catch {
          // An unreadable payload has no facts; audit verify reports the row if it was tampered with.
        }
        const f = eventFacts(row.kind, payload);
        await sql`update events set verdict = ${f.verdict}, reason = ${f.reason}, model = ${f.model}, tokens = ${f.tokens}, latency_ms = ${f.latencyMs}
          where id = ${row.id}`.execute(db);
      }
      after = rows.rows.at(-1)?.id ?? after;
    }

    await db.schema
      .createIndex("events_activity")
      .on("events")
      .columns(["kind", "time", "verdict", "reason", "model", "identity_id", "tokens", "latency_ms"])
      .where(sql.ref("verdict"), "is not", null)
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex("events_activity").execute();
    for (const column of ["latency_ms", "tokens", "model", "reason", "verdict"])
      await db.schema.alterTable("events").dropColumn(column).execute();
  },
};
