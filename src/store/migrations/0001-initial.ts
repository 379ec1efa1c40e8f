/** The initial schema: inventory graph, scans and findings, events, identities, incidents. */
import type { Kysely, Migration } from "kysely";

// Kysely's migration API is untyped by design: migrations must not depend on today's schema types.
type AnyDb = Kysely<Record<string, never>>;

export const initial: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("assets")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("subkind", "text")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("version", "text")
      .addColumn("purl", "text")
      .addColumn("digest", "text")
      .addColumn("properties", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("first_seen", "bigint", (c) => c.notNull())
      .addColumn("last_seen", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("assets_kind_name").on("assets").columns(["kind", "name"]).execute();
    await db.schema.createIndex("assets_purl").on("assets").column("purl").execute();
    await db.schema.createIndex("assets_digest").on("assets").column("digest").execute();

    await db.schema
      .createTable("edges")
      .addColumn("src", "text", (c) => c.notNull().references("assets.id").onDelete("cascade"))
      .addColumn("dst", "text", (c) => c.notNull().references("assets.id").onDelete("cascade"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("properties", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("edges_pk", ["src", "dst", "kind"])
      .execute();
    // The primary key serves walks forward from src; walking back (which images contain X) needs dst.
    await db.schema.createIndex("edges_dst").on("edges").columns(["dst", "kind"]).execute();

    await db.schema
      .createTable("scans")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("target", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("started_at", "bigint", (c) => c.notNull())
      .addColumn("finished_at", "bigint")
      .addColumn("summary", "text", (c) => c.notNull().defaultTo("{}"))
      .execute();
    await db.schema.createIndex("scans_target_started").on("scans").columns(["target", "started_at"]).execute();

    await db.schema
      .createTable("findings")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("scan_id", "text", (c) => c.references("scans.id").onDelete("cascade"))
      .addColumn("asset_id", "text", (c) => c.references("assets.id").onDelete("set null"))
      .addColumn("rule_id", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("location", "text")
      .addColumn("tags", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("fingerprint", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("findings_scan").on("findings").column("scan_id").execute();
    await db.schema.createIndex("findings_asset").on("findings").column("asset_id").execute();
    await db.schema.createIndex("findings_rule_severity").on("findings").columns(["rule_id", "severity"]).execute();
    await db.schema.createIndex("findings_fingerprint").on("findings").column("fingerprint").execute();

    await db.schema
      .createTable("events")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("time", "bigint", (c) => c.notNull())
      .addColumn("identity_id", "text")
      .addColumn("request_id", "text")
      .addColumn("trace_id", "text")
      .addColumn("session_id", "text")
      .addColumn("payload", "text", (c) => c.notNull().defaultTo("{}"))
      .execute();
    await db.schema.createIndex("events_time").on("events").column("time").execute();
    await db.schema.createIndex("events_kind_time").on("events").columns(["kind", "time"]).execute();
    await db.schema.createIndex("events_identity_time").on("events").columns(["identity_id", "time"]).execute();
    await db.schema.createIndex("events_request").on("events").column("request_id").execute();
    await db.schema.createIndex("events_trace").on("events").column("trace_id").execute();

    await db.schema
      .createTable("identities")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("roles", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("properties", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint")
      .addColumn("revoked_at", "bigint")
      .addUniqueConstraint("identities_kind_name", ["kind", "name"])
      .execute();

    await db.schema
      .createTable("incidents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("opened_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addColumn("root_asset_id", "text", (c) => c.references("assets.id").onDelete("set null"))
      .addColumn("summary", "text", (c) => c.notNull().defaultTo("{}"))
      .execute();
    await db.schema.createIndex("incidents_status_opened").on("incidents").columns(["status", "opened_at"]).execute();

    await db.schema
      .createTable("incident_events")
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
      .addColumn("event_id", "text", (c) => c.notNull().references("events.id").onDelete("cascade"))
      .addPrimaryKeyConstraint("incident_events_pk", ["incident_id", "event_id"])
      .execute();
    await db.schema.createIndex("incident_events_event").on("incident_events").column("event_id").execute();
  },

  async down(db: AnyDb) {
    for (const table of [
      "incident_events",
      "incidents",
      "identities",
      "events",
      "findings",
      "scans",
      "edges",
      "assets",
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
