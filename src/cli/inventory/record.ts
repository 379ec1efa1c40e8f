/**
 * Recording a scan in the store, as every scan command does unless `--no-store`: the store
 * named by `--db`, PALISADE_DATABASE_URL, the configuration, or ~/.palisade/palisade.db.
 *
 * Recording serves the inventory; the scan's own result is what the user asked for. So a store
 * that cannot be used costs one warning line on stderr, never the scan's output or exit code.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { describeError, isPalisadeError, PalisadeError, redactUrl } from "../../core/index.js";
import type { GateDecision } from "../../policy/index.js";
import type { RecordedScan, ScanRecord, Store } from "../../store/index.js";
import { commandContext } from "../command-helpers.js";
import type { GlobalOptions } from "../context.js";
import type { CiGate } from "../gate.js";
import { type Inventory, toScanRecord } from "./records.js";

/**
 * Add `--no-store` to a scan command. A store location that cannot be one (`--db mysql://...`,
 * `--db ""`) is bad usage, refused before scanning; a store that cannot be used is a warning after.
 */
export function addStoreOption<T extends Command>(command: T): T {
  command.option("--no-store", "do not record this scan (assets, edges, findings) in the store");
  command.option(
    "--upload <url>",
    "also send this scan to a Palisade server (`palisade up`), authenticated by $PALISADE_API_KEY (role scans:write)",
  );
  command.hook("preAction", async (_command, action) => {
    const options = action.optsWithGlobals<StoreFlags>();
    if (options.store !== false) await commandContext(options);
    if (options.upload !== undefined) uploadUrl(options.upload);
  });
  return command;
}

type StoreFlags = GlobalOptions & { store?: boolean; upload?: string };

/** The server's scans endpoint; the server's base URL (or one ending in /api/v1) is what users give. */
function uploadUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PalisadeError("bad-usage", `--upload must be an http(s) URL, got ${text}`, { input: text });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new PalisadeError("bad-usage", `--upload must be an http(s) URL, got ${text}`, { input: text });
  const base = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1(\/scans)?$/, "");
  return new URL(`${base}/api/v1/scans`, url);
}

/** What POST /api/v1/scans answers: the scan's id and whether it was new. */
function isUploadAnswer(text: string): boolean {
  try {
    const value = JSON.parse(text) as { scanId?: unknown; created?: unknown };
    return typeof value.scanId === "string" && typeof value.created === "boolean";
  } catch {
    return false;
  }
}

/** Most of an upload's answer shown in an error: enough for the server's reason. */
const UPLOAD_ERROR_SHOWN = 300;

async function upload(text: string, record: ScanRecord & { gate?: GateDecision }): Promise<void> {
  const url = uploadUrl(text);
  const key = process.env.PALISADE_API_KEY;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(record),
      // A redirect would turn the POST into a GET that answers 200 with nothing uploaded.
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
  } catch (cause) {
    throw new PalisadeError(
      "upstream-unavailable",
      `upload to ${redactUrl(url.toString())} failed: ${(cause as Error).message}`,
      {
        input: redactUrl(url.toString()),
        cause,
      },
    );
  }
  const body = await response.text();
  const answer = body.slice(0, UPLOAD_ERROR_SHOWN);
  if (response.ok && !isUploadAnswer(body))
    throw new PalisadeError(
      "upstream-unavailable",
      `upload to ${redactUrl(url.toString())} got an answer that is not a Palisade server's (${response.status}); check the URL`,
      { input: redactUrl(url.toString()) },
    );
  if (!response.ok)
    throw new PalisadeError(
      response.status === 401 || response.status === 403 ? "bad-usage" : "upstream-unavailable",
      `upload to ${redactUrl(url.toString())} refused (${response.status})${response.status === 401 && !key ? ": set PALISADE_API_KEY" : ""}: ${answer.replace(/\s+/g, " ")}`,
      { input: redactUrl(url.toString()) },
    );
}

/** Migration attempts when another process is creating the same store at the same moment. */
const MIGRATE_ATTEMPTS = 5;

/**
 * Record `inventory` in the store the command's options name, unless `--no-store`, and send it to
 * the server `--upload` names; with the CI gate's decision (`gate`), that is recorded too, as a
 * `gate.ci` event naming the scan. The scan started when this process did: one CLI run is one scan.
 * Returns what was recorded locally, or undefined when nothing was (skipped, or the store failed
 * and a warning was printed). A failed upload is an error: the job that asked for it must see it.
 */
export async function recordInStore(
  command: Command,
  inventory: Inventory,
  gate?: CiGate,
): Promise<RecordedScan | undefined> {
  const options = command.optsWithGlobals<StoreFlags>();
  const record = toScanRecord(inventory, { startedAt: Math.round(performance.timeOrigin), finishedAt: Date.now() });
  const decision = gate
    ? (await import("../../policy/index.js")).toGateDecision("ci", record.scan.target, gate.verdict, {
        policy: gate.policy,
        scanId: record.scan.id,
      })
    : undefined;
  const recorded = options.store === false ? undefined : await recordLocally(options, record, inventory, decision);
  // After the local record, so a server that refuses the upload loses nothing here; a CI job fails on it.
  if (options.upload !== undefined) await upload(options.upload, decision ? { ...record, gate: decision } : record);
  return recorded;
}

async function recordLocally(
  options: StoreFlags,
  record: ScanRecord,
  inventory: Inventory,
  decision: GateDecision | undefined,
): Promise<RecordedScan | undefined> {
  let store: Store | undefined;
  try {
    const ctx = await commandContext(options);
    store = ctx.openStore();
    await migrate(store);
    const recorded = await store.recordInventory(record);
    if (decision) {
      const { scanGateEvent } = await import("../../policy/index.js");
      await store.appendEvents([scanGateEvent(decision, record.scan)]);
    }
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
