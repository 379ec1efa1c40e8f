/** API keys for the gateways: only a SHA-256 of each key is stored, never the key. */
import type { Kysely, Migration } from "kysely";

type AnyDb = Kysely<Record<string, never>>;

export const apiKeys: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable("api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      /** First characters of the key, shown in listings so people can tell keys apart. */
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull().unique())
      .addColumn("roles", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint")
      .addColumn("revoked_at", "bigint")
      .addColumn("last_used_at", "bigint")
      .execute();
  },
  async down(db: AnyDb) {
    await db.schema.dropTable("api_keys").ifExists().execute();
  },
};
