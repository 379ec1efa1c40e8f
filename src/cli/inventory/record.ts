/**
 * Recording a scan in the store, as every scan command does unless `--no-store`: the store
 * named by `--db`, PALISADE_DATABASE_URL, the configuration, or ~/.palisade/palisade.db.
 *
 * Recording serves the inventory; the scan's own result is what the user asked for. So a store
 * that cannot be used costs one warning line on stderr, never the scan's output or exit code.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { describeError, isPalisadeError } from "../../core/index.js";
import type { RecordedScan, Store } from "../../store/index.js";
import { createContext, type GlobalOptions } from "../context.js";
import { type Inventory, toScanRecord } from "./records.js";

/**
 * Add `--no-store` to a scan command. A store location that cannot be one (`--db mysql://...`,
 * `--db ""`) is bad usage, refused before scanning; a store that cannot be used is a warning after.
 */
export function addStoreOption<T extends Command>(command: T): T {
  command.option("--no-store", "do not record this scan (assets, edges, findings) in the store");
  command.hook("preAction", (_command, action) => {
    const options = action.optsWithGlobals<GlobalOptions & { store?: boolean }>();
    if (options.store !== false) createContext(options);
  });
  return command;
}

/** Migration attempts when another process is creating the same store at the same moment. */
const MIGRATE_ATTEMPTS = 5;

/**
 * Record `inventory` in the store the command's options name, unless `--no-store`. The scan
 * started when this process did: one CLI run is one scan. Returns what was recorded, or
 * undefined when nothing was (skipped, or the store failed and a warning was printed).
 */
export async function recordInStore(command: Command, inventory: Inventory): Promise<RecordedScan | undefined> {
  const options = command.optsWithGlobals<GlobalOptions & { store?: boolean }>();
  if (options.store === false) return undefined;
  const finishedAt = Date.now();
  let store: Store | undefined;
  try {
    const ctx = createContext(options);
    store = ctx.openStore();
    await migrate(store);
    const recorded = await store.recordInventory(
      toScanRecord(inventory, { startedAt: Math.round(performance.timeOrigin), finishedAt }),
    );
    ctx.logger.debug(
      { store: store.location, scan: recorded.scanId, created: recorded.created, assets: inventory.assets.length },
      "scan recorded",
    );
    return recorded;
  } catch (error) {
    const reason = (isPalisadeError(error) ? error.message : describeError(error)).replace(/\s+/g, " ").trim();
    process.stderr.write(`palisade: warning: scan not recorded in the store: ${reason} (--no-store skips recording)\n`);
    return undefined;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

/**
 * Bring the store's schema up to date. Two scans that both find a new SQLite store may race to
 * create its tables; the loser sees the lock or the tables the winner made, and trying again
 * finds the schema done.
 */
async function migrate(store: Store): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.migrate();
      return;
    } catch (error) {
      if (attempt >= MIGRATE_ATTEMPTS || store.dialect !== "sqlite") throw error;
      await sleep(50 * attempt + Math.floor(Math.random() * 50));
    }
  }
}
