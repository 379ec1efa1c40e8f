/**
 * The event's kind beside each subject row, indexed (subject, kind, time): a rule's join asks
 * for events of given kinds sharing a subject, and a subject every event shares (a busy MCP
 * server, a node) made that an index range over all of them, filtered on the events table one
 * by one. With the kind in the key it is a seek per (subject, kind).
 */
import { type Kysely, type Migration, sql } from "kysely";

// Kysely's migration API is untyped by design: migrations must not depend on today's schema types.
type AnyDb = Kysely<Record<string, never>>;

export const subjectKinds: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable("event_subjects").addColumn("kind", "text").execute();
    await sql`update event_subjects set kind = (select kind from events where events.id = event_subjects.event_id)`.execute(
      db,
    );
    await db.schema
      .createIndex("event_subjects_subject_kind")
      .on("event_subjects")
      .columns(["subject", "kind", "time"])
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropIndex("event_subjects_subject_kind").execute();
    await db.schema.alterTable("event_subjects").dropColumn("kind").execute();
  },
};
