/** Every schema migration, keyed by a name that sorts in the order they apply. */
import type { Migration, MigrationProvider } from "kysely";
import { initial } from "./0001-initial.js";
import { apiKeys } from "./0002-api-keys.js";
import { advisories } from "./0003-advisories.js";
import { auditChain } from "./0004-audit-chain.js";
import { incidents } from "./0005-incidents.js";
import { subjectKinds } from "./0006-subject-kinds.js";
import { eventFacts0007 } from "./0007-event-facts.js";

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-initial": initial,
  "0002-api-keys": apiKeys,
  "0003-advisories": advisories,
  "0004-audit-chain": auditChain,
  "0005-incidents": incidents,
  "0006-subject-kinds": subjectKinds,
  "0007-event-facts": eventFacts0007,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
