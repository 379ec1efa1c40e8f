/**
 * The inventory graph in the store: assets, the edges between them, and scans with their
 * findings. `recordInventory` writes everything one scan found in one transaction, keyed so
 * that writing the same thing twice adds no row.
 */
import type { Transaction } from "kysely";
import type { Finding } from "../core/index.js";
import type { AssetKind, Database } from "./schema.js";

export interface AssetInput {
  /** Stable id chosen by the producer, e.g. a purl or `image:sha256:...`; upserts key on it. */
  id: string;
  kind: AssetKind;
  subkind?: string;
  name: string;
  version?: string;
  purl?: string;
  digest?: string;
  properties?: Record<string, unknown>;
}

export interface EdgeInput {
  src: string;
  dst: string;
  kind: string;
  properties?: Record<string, unknown>;
}

export interface ScanInput {
  kind: string;
  target: string;
  status: "completed" | "failed";
  startedAt: number;
  finishedAt?: number;
  summary?: Record<string, unknown>;
}

export interface FindingInput extends Finding {
  assetId?: string;
}

/** Everything one scan found: the scan (with an id its producer derived), assets, edges, findings. */
export interface ScanRecord {
  /**
   * Same id, same scan: a producer derives it from the target and the result, so recording an
   * unchanged result again finds the scan already there.
   */
  scan: ScanInput & { id: string };
  assets: readonly AssetInput[];
  /** Edges between assets of this record or already in the store. */
  edges: readonly EdgeInput[];
  findings: readonly FindingInput[];
}

/** What `recordInventory` did. */
export interface RecordedScan {
  scanId: string;
  /** False when the scan was already recorded: only times were refreshed. */
  created: boolean;
}

/** The store's inventory-batch method (part of Store). */
export interface InventoryStore {
  /**
   * Upsert the assets and edges and record the scan with its findings, in one transaction.
   * Idempotent: when the scan id is already stored, its findings are not written again and only
   * the scan's times and the assets' last-seen move; no row is added anywhere.
   */
  recordInventory(record: ScanRecord): Promise<RecordedScan>;
}

/** What the inventory methods need from the store engine. */
export interface InventoryStoreDeps {
  write<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

/** Rows per insert statement: at most 11 parameters each, far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 200;

export function createInventoryStore({ write }: InventoryStoreDeps): InventoryStore {
  return {
    async recordInventory(record) {
      const now = Date.now();
      const { scan } = record;
      return write(async (trx) => {
        await upsertAssets(trx, record.assets, now);
        await upsertEdges(trx, record.edges, now);
        const inserted = await trx
          .insertInto("scans")
          .values({
            id: scan.id,
            kind: scan.kind,
            target: scan.target,
            status: scan.status,
            started_at: scan.startedAt,
            finished_at: scan.finishedAt ?? now,
            summary: JSON.stringify(scan.summary ?? {}),
          })
          .onConflict((oc) => oc.column("id").doNothing())
          // A row comes back only when the scan is new (both dialects support RETURNING).
          .returning("id")
          .executeTakeFirst();
        if (inserted === undefined) {
          // Seen before: the scan now says when this result was last observed.
          await trx
            .updateTable("scans")
            .set({ started_at: scan.startedAt, finished_at: scan.finishedAt ?? now })
            .where("id", "=", scan.id)
            .execute();
          return { scanId: scan.id, created: false };
        }
        await insertFindings(trx, {
          scanId: scan.id,
          findings: record.findings,
          now,
          idOf: (i) => `${scan.id}/${i}`,
        });
        return { scanId: scan.id, created: true };
      });
    },
  };
}

function assetRow(asset: AssetInput, now: number) {
  return {
    id: asset.id,
    kind: asset.kind,
    subkind: asset.subkind ?? null,
    name: asset.name,
    version: asset.version ?? null,
    purl: asset.purl ?? null,
    digest: asset.digest ?? null,
    properties: JSON.stringify(asset.properties ?? {}),
    first_seen: now,
    last_seen: now,
  };
}

/** Insert or refresh assets by id (first-seen kept); a repeated id in one batch counts once, the last wins. */
export function upsertAssets(trx: Transaction<Database>, assets: readonly AssetInput[], now: number): Promise<void> {
  return writeAssets(trx, assets, now, "refresh");
}

/** Insert assets whose id is not there yet, leaving existing ones (a scan's richer record) as they are. */
export function insertAbsentAssets(
  trx: Transaction<Database>,
  assets: readonly AssetInput[],
  now: number,
): Promise<void> {
  return writeAssets(trx, assets, now, "keep");
}

async function writeAssets(
  trx: Transaction<Database>,
  assets: readonly AssetInput[],
  now: number,
  existing: "refresh" | "keep",
): Promise<void> {
  for (const chunk of chunks(
    lastById(assets, (a) => a.id),
    ROWS_PER_INSERT,
  )) {
    await trx
      .insertInto("assets")
      .values(chunk.map((asset) => assetRow(asset, now)))
      .onConflict((oc) =>
        existing === "keep"
          ? oc.column("id").doNothing()
          : oc.column("id").doUpdateSet((eb) => ({
              subkind: eb.ref("excluded.subkind"),
              name: eb.ref("excluded.name"),
              version: eb.ref("excluded.version"),
              purl: eb.ref("excluded.purl"),
              digest: eb.ref("excluded.digest"),
              properties: eb.ref("excluded.properties"),
              last_seen: eb.ref("excluded.last_seen"),
            })),
      )
      .execute();
  }
}

/** Insert edges, or replace the properties of one already there (src+dst+kind is its key). */
export async function upsertEdges(trx: Transaction<Database>, edges: readonly EdgeInput[], now: number): Promise<void> {
  const unique = lastById(edges, (e) => JSON.stringify([e.src, e.dst, e.kind]));
  for (const chunk of chunks(unique, ROWS_PER_INSERT)) {
    await trx
      .insertInto("edges")
      .values(
        chunk.map((edge) => ({
          src: edge.src,
          dst: edge.dst,
          kind: edge.kind,
          properties: JSON.stringify(edge.properties ?? {}),
          created_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["src", "dst", "kind"]).doUpdateSet((eb) => ({ properties: eb.ref("excluded.properties") })),
      )
      .execute();
  }
}

/** Insert a scan's findings; `idOf` names each (by its index). */
export async function insertFindings(
  trx: Transaction<Database>,
  options: { scanId: string; findings: readonly FindingInput[]; now: number; idOf: (index: number) => string },
): Promise<void> {
  const { scanId, findings, now, idOf } = options;
  let index = 0;
  for (const chunk of chunks(findings, ROWS_PER_INSERT)) {
    await trx
      .insertInto("findings")
      .values(
        chunk.map((f) => ({
          id: idOf(index++),
          scan_id: scanId,
          asset_id: f.assetId ?? null,
          rule_id: f.ruleId,
          severity: f.severity,
          title: f.title,
          detail: f.detail,
          location: f.location ? JSON.stringify(f.location) : null,
          tags: JSON.stringify({ owasp: f.owasp, atlas: f.atlas, references: f.references }),
          fingerprint: f.fingerprint ?? null,
          created_at: now,
        })),
      )
      .execute();
  }
}

/**
 * One entry per key, the last given, in first-seen order. PostgreSQL refuses an upsert that
 * touches the same row twice in one statement ("cannot affect row a second time").
 */
function lastById<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()];
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
