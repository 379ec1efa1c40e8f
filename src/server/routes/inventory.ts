/**
 * Inventory: every asset the scans, the cluster import and the sensors recorded (models, AI SDKs,
 * MCP and inference servers, images, workloads, repositories...), each with its findings and
 * where it runs (the workloads and images that reach it through the graph).
 */
import { z } from "zod";
import { COMPONENT_KINDS } from "../../core/index.js";
import { ASSET_COLUMNS, ASSET_KINDS, type Store, toAssetRecord } from "../../store/index.js";
import { decodeCursor, PageQuery, page, pageOf } from "../cursor.js";
import { notFound } from "../errors.js";
import { defineRoute, type Route } from "../route.js";
import { AssetSchema, FindingSchema, likeText, toApiFinding } from "../rows.js";
import { findingsQuery } from "./findings.js";
import { csvOf, IdParam } from "./query-params.js";

/** What a user filters by: a component kind (`model`, `ai-sdk`...) or an asset kind (`image`, `workload`...). */
export const INVENTORY_TYPES = [...COMPONENT_KINDS, ...ASSET_KINDS.filter((k) => k !== "component")] as [
  string,
  ...string[],
];
const COMPONENT_TYPES: readonly string[] = COMPONENT_KINDS;

const InventoryItemSchema = AssetSchema.extend({ findings: z.number().describe("findings recorded against it") });
/** Assets walked when looking for where an asset runs. */
const WHERE_LIMIT = 200;
const WHERE_DEPTH = 4;

export function inventoryRoutes(store: Store): Route[] {
  const db = store.db;

  const list = defineRoute({
    method: "GET",
    path: "/api/v1/inventory",
    tag: "inventory",
    summary: "List assets, most recently seen first",
    query: z.object({
      type: csvOf(INVENTORY_TYPES).optional().describe("asset or component kinds, comma-separated"),
      q: z.string().max(200).optional().describe("substring of the name, purl or digest"),
      ...PageQuery,
    }),
    response: pageOf(InventoryItemSchema),
    roles: ["viewer"],
    async handler({ query }) {
      let q = db.selectFrom("assets").select([
        ...ASSET_COLUMNS,
        (eb) =>
          eb
            .selectFrom("findings")
            .select((f) => f.fn.countAll<number>().as("n"))
            .whereRef("findings.asset_id", "=", "assets.id")
            .as("findings"),
      ]);
      if (query.type) {
        const subkinds = query.type.filter((t) => COMPONENT_TYPES.includes(t));
        const kinds = query.type.filter((t) => !COMPONENT_TYPES.includes(t)) as (typeof ASSET_KINDS)[number][];
        q = q.where((eb) =>
          eb.or([
            ...(subkinds.length > 0
              ? [eb.and([eb("assets.kind", "=", "component"), eb("assets.subkind", "in", subkinds)])]
              : []),
            ...(kinds.length > 0 ? [eb("assets.kind", "in", kinds)] : []),
          ]),
        );
      }
      if (query.q) {
        const text = query.q;
        q = q.where((eb) =>
          eb.or([likeText("assets.name", text), likeText("assets.purl", text), likeText("assets.digest", text)]),
        );
      }
      if (query.cursor) {
        const at = decodeCursor(query.cursor);
        const key = Number(at.key);
        q = q.where((eb) =>
          eb.or([
            eb("assets.last_seen", "<", key),
            eb.and([eb("assets.last_seen", "=", key), eb("assets.id", "<", at.id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy("assets.last_seen", "desc")
        .orderBy("assets.id", "desc")
        .limit(query.limit + 1)
        .execute();
      const items = rows.map((row) => ({ ...toAssetRecord(row), findings: Number(row.findings ?? 0) }));
      return { json: page(items, query.limit, (a) => ({ key: a.lastSeen, id: a.id })) };
    },
  });

  const detail = defineRoute({
    method: "GET",
    path: "/api/v1/inventory/{id}",
    tag: "inventory",
    summary: "One asset: its findings, its edges, and the workloads and images it runs in",
    params: IdParam,
    response: AssetSchema.extend({
      findings: z.array(FindingSchema),
      edges: z.array(
        z.object({
          direction: z.enum(["out", "in"]),
          kind: z.string(),
          asset: z.object({ id: z.string(), kind: z.string(), subkind: z.string().nullable(), name: z.string() }),
        }),
      ),
      runsIn: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string(), depth: z.number() })),
    }),
    roles: ["viewer"],
    async handler({ params }) {
      const row = await db
        .selectFrom("assets")
        .select(ASSET_COLUMNS)
        .where("assets.id", "=", params.id)
        .executeTakeFirst();
      if (!row) throw notFound(`asset ${params.id}`);
      const findings = await findingsQuery(store)
        .where("findings.asset_id", "=", params.id)
        .orderBy("findings.created_at", "desc")
        .limit(200)
        .execute();
      const [out, into] = await Promise.all([neighbours(params.id, "out"), neighbours(params.id, "in")]);
      return {
        json: {
          ...toAssetRecord(row),
          findings: findings.map(toApiFinding),
          edges: [...out, ...into],
          runsIn: await whereItRuns(params.id),
        },
      };
    },
  });

  /** The assets one edge away, following the edges (`out`) or against them (`in`). */
  async function neighbours(id: string, direction: "out" | "in") {
    const [here, there] =
      direction === "out" ? (["edges.src", "edges.dst"] as const) : (["edges.dst", "edges.src"] as const);
    const rows = await db
      .selectFrom("edges")
      .innerJoin("assets", "assets.id", there)
      .select(["edges.kind as edge", "assets.id", "assets.kind", "assets.subkind", "assets.name"])
      .where(here, "=", id)
      .limit(500)
      .execute();
    return rows.map((e) => ({
      direction,
      kind: e.edge,
      asset: { id: e.id, kind: e.kind, subkind: e.subkind, name: e.name },
    }));
  }

  /** Images, workloads and containers that reach the asset against the edges' direction, nearest first. */
  async function whereItRuns(id: string) {
    const seen = new Set([id]);
    const found: { id: string; kind: string; name: string; depth: number }[] = [];
    let frontier = [id];
    for (let depth = 1; depth <= WHERE_DEPTH && frontier.length > 0 && seen.size < WHERE_LIMIT; depth++) {
      const rows = await db
        .selectFrom("edges")
        .innerJoin("assets", "assets.id", "edges.src")
        .select(["assets.id", "assets.kind", "assets.name"])
        .where("edges.dst", "in", frontier)
        .limit(WHERE_LIMIT)
        .execute();
      frontier = [];
      for (const r of rows) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        frontier.push(r.id);
        if (r.kind === "image" || r.kind === "workload" || r.kind === "container" || r.kind === "repo")
          found.push({ id: r.id, kind: r.kind, name: r.name, depth });
      }
    }
    return found;
  }

  return [list, detail];
}
