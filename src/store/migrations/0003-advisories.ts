/**
 * OSV advisories kept in the store, so scans need no advisory folder: one row per advisory id
 * (its JSON and its `modified` time, which makes re-imports incremental) and an index of the
 * packages each one affects, keyed like the vuln library's memory index (base ecosystem and the
 * ecosystem's normalised name), so a lookup by package is one indexed read.
 */
import type { Kysely, Migration } from "kysely";

type AnyDb = Kysely<Record<string, never>>;

export const advisories: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("advisories")
      .addColumn("id", "text", (c) => c.primaryKey())
      /** OSV `modified` as epoch milliseconds: an import replaces a row only with a newer copy. */
      .addColumn("modified", "bigint", (c) => c.notNull())
      .addColumn("imported_at", "bigint", (c) => c.notNull())
      /** The advisory as OSV JSON, parsed again with the OSV schema when read. */
      .addColumn("content", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("advisory_packages")
      /** OSV base ecosystem (`Debian`, not `Debian:12`): releases are checked by the matcher. */
      .addColumn("ecosystem", "text", (c) => c.notNull())
      /** The package name as the ecosystem compares names (PEP 503 for PyPI). */
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("advisory_id", "text", (c) => c.notNull().references("advisories.id").onDelete("cascade"))
      .addPrimaryKeyConstraint("advisory_packages_pk", ["ecosystem", "name", "advisory_id"])
      .execute();
    // Replacing an advisory deletes its index rows by id.
    await db.schema.createIndex("advisory_packages_advisory").on("advisory_packages").column("advisory_id").execute();
  },

  async down(db: AnyDb) {
    await db.schema.dropTable("advisory_packages").ifExists().execute();
    await db.schema.dropTable("advisories").ifExists().execute();
  },
};
