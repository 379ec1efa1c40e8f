/** `palisade db migrate|status|import|update`: create and inspect the store, fill it with advisories. */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import type { AdvisorySummary, StoreStatus } from "../../store/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import { renderPairs, renderTable } from "../output.js";
import { describeAdvisories, registerDbAdvisories } from "./db-advisories.js";

export function registerDb(program: Command, context: Contextual): void {
  const db = program.command("db").description("manage the Palisade store (SQLite by default, PostgreSQL by URL)");
  withExamples(db, [
    "palisade db migrate",
    "palisade db status --db ./palisade.db",
    "PALISADE_DATABASE_URL=postgres://localhost/palisade palisade db status",
    "palisade db import ./advisory-database/vulns",
    "palisade db update --ecosystem PyPI",
  ]);

  const migrate = db
    .command("migrate")
    .description("create the store or bring its schema up to date")
    .addOption(formatOption())
    .action(async (options: { format: string }, command: Command) => {
      const ctx = await context(command.optsWithGlobals());
      const store = ctx.openStore();
      try {
        const outcomes = await store.migrate();
        const applied = outcomes.filter((o) => o.status === "applied").map((o) => o.name);
        ctx.logger.info({ store: store.location, applied: applied.length }, "store migrated");
        const status = await store.status();
        const result = {
          dialect: store.dialect,
          location: store.location,
          applied,
          current: status.applied.at(-1)?.name ?? null,
        };
        if (options.format === "json") ctx.out.json(result);
        else
          ctx.out.text(
            renderPairs([
              ["store", `${result.dialect} ${result.location}`],
              ["applied now", applied.length === 0 ? "none (already up to date)" : applied.join(", ")],
              ["schema version", result.current],
            ]),
          );
      } finally {
        await store.close();
      }
    });
  withExamples(migrate, [
    "palisade db migrate",
    "palisade db migrate --db /var/lib/palisade/palisade.db --format json",
  ]);

  const status = db
    .command("status")
    .description("show where the store is, its schema version, pending migrations and row counts")
    .addOption(formatOption())
    .action(async (options: { format: string }, command: Command) => {
      const ctx = await context(command.optsWithGlobals());
      const { isPostgresUrl, knownMigrations } = await import("../../store/index.js");
      let status: StoreStatus & { exists: boolean; advisories: AdvisorySummary | null };
      if (!isPostgresUrl(ctx.storeLocation) && ctx.storeLocation !== ":memory:" && !existsSync(ctx.storeLocation)) {
        // Reporting must not create the file: say it is missing and what would be applied.
        status = {
          dialect: "sqlite",
          location: ctx.storeLocation,
          exists: false,
          applied: [],
          pending: knownMigrations(),
          rows: {},
          advisories: null,
        };
      } else {
        const store = ctx.openStore();
        try {
          const found = await store.status();
          // Advisories come with migration 0003; an older schema has none to count yet.
          const advisories = found.applied.some((m) => m.name === "0003-advisories")
            ? await store.advisorySummary()
            : null;
          status = { ...found, exists: true, advisories };
        } finally {
          await store.close();
        }
      }
      if (options.format === "json") {
        ctx.out.json(status);
        return;
      }
      const state = !status.exists
        ? "not created yet (run `palisade db migrate`)"
        : status.pending.length > 0
          ? `${status.pending.length} migration(s) pending (run \`palisade db migrate\`)`
          : "up to date";
      ctx.out.text(
        renderPairs([
          ["store", `${status.dialect} ${status.location}`],
          ["state", state],
          ["schema version", status.applied.at(-1)?.name ?? "none"],
          ["pending", status.pending.length === 0 ? "none" : status.pending.join(", ")],
          ...(status.advisories ? [["advisories", describeAdvisories(status.advisories)] as const] : []),
        ]),
      );
      if (Object.keys(status.rows).length > 0) {
        ctx.out.text("");
        ctx.out.text(renderTable(["TABLE", "ROWS"], Object.entries(status.rows)));
      }
    });
  withExamples(status, [
    "palisade db status",
    "palisade db status --format json",
    "palisade db status --db postgres://palisade@127.0.0.1/palisade",
  ]);

  registerDbAdvisories(db, context);
}
