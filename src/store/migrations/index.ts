/** Every schema migration, keyed by a name that sorts in the order they apply. */
import type { Migration, MigrationProvider } from "kysely";
import { initial } from "./0001-initial.js";
import { apiKeys } from "./0002-api-keys.js";
import { advisories } from "./0003-advisories.js";

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-initial": initial,
  "0002-api-keys": apiKeys,
  "0003-advisories": advisories,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
