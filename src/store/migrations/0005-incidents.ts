/**
 * Incidents as the correlator needs them: which subjects (identity, request, MCP server,
 * workload, image...) each event is about, indexed by subject and time so a rule's join is an
 * index range, never a scan; incidents deduplicated by a key; their history; and the position
 * up to which events have been correlated (shared by every correlating process).
 */
import type { Kysely, Migration } from "kysely";

// Kysely's migration API is untyped by design: migrations must not depend on today's schema types.
type AnyDb = Kysely<Record<string, never>>;

export const incidents: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("event_subjects")
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("time", "bigint", (c) => c.notNull())
      .addColumn("event_id", "text", (c) => c.notNull().references("events.id").onDelete("cascade"))
      .addPrimaryKeyConstraint("event_subjects_pk", ["subject", "time", "event_id"])
      .execute();
    await db.schema.createIndex("event_subjects_event").on("event_subjects").column("event_id").execute();

    await db.schema.alterTable("incidents").addColumn("rule_id", "text").execute();
    await db.schema.alterTable("incidents").addColumn("dedup_key", "text").execute();
    await db.schema.alterTable("incidents").addColumn("owner", "text").execute();
    await db.schema.createIndex("incidents_dedup_key").on("incidents").column("dedup_key").unique().execute();

    await db.schema
      .createTable("incident_history")
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
      .addColumn("time", "bigint", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
      .execute();
    await db.schema
      .createIndex("incident_history_incident")
      .on("incident_history")
      .columns(["incident_id", "time"])
      .execute();

    await db.schema
      .createTable("correlation_cursor")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
