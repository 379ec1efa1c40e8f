/** Every schema migration, keyed by a name that sorts in the order they apply. */
import type { Migration, MigrationProvider } from "kysely";
import { initial } from "./0001-initial.js";

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-initial": initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
