/**
 * Scans: the list, one scan with its findings by severity, and uploads from CI
 * (`palisade scan ... --upload URL` posts the same record a local scan writes to its store).
 */
import { z } from "zod";
import { FindingSchema as CoreFindingSchema, SEVERITIES } from "../../core/index.js";
import { GateDecisionSchema, scanGateEvent } from "../../policy/index.js";
import { ASSET_KINDS, type Store } from "../../store/index.js";
import { decodeCursor, PageQuery, page, pageOf } from "../cursor.js";
import { ApiError, notFound } from "../errors.js";
import { defineRoute, type Route } from "../route.js";
import { likeText, parseJson } from "../rows.js";
import { IdParam } from "./query-params.js";

/** Largest upload: a scan of a large image lists tens of thousands of packages. */
export const MAX_SCAN_UPLOAD = 32 * 1024 * 1024;
const MAX_ITEMS = 200_000;

const Text = (max: number) => z.string().min(1).max(max);

/** What `--upload` posts: a ScanRecord (store/inventory.ts), checked field by field. */
export const ScanUploadSchema = z.strictObject({
  scan: z.strictObject({
    id: Text(200).describe("derived by the producer from target and result: the same upload twice is one scan"),
    kind: Text(64),
    target: Text(2048),
    status: z.enum(["completed", "failed"]),
    startedAt: z.number().int().nonnegative(),
    finishedAt: z.number().int().nonnegative().optional(),
    summary: z.record(z.string(), z.unknown()).optional(),
  }),
  assets: z
    .array(
      z.strictObject({
        id: Text(1024),
        kind: z.enum(ASSET_KINDS),
        subkind: Text(64).optional(),
        name: Text(1024),
        version: z.string().max(256).optional(),
        purl: z.string().max(2048).optional(),
        digest: z.string().max(256).optional(),
        properties: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .max(MAX_ITEMS),
  edges: z
    .array(
      z.strictObject({
        src: Text(1024),
        dst: Text(1024),
        kind: Text(64),
        properties: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .max(MAX_ITEMS),
  findings: z.array(CoreFindingSchema.extend({ assetId: Text(1024).optional() })).max(MAX_ITEMS),
  gate: GateDecisionSchema.extend({ gate: z.literal("ci") })
    .optional()
    .describe("the CI gate's decision on this scan (`palisade scan ... --policy`), recorded as a gate.ci event"),
});

const ScanSchema = z.object({
  id: z.string(),
  kind: z.string(),
  target: z.string(),
  status: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  summary: z.record(z.string(), z.unknown()),
});

interface ScanRow {
  id: string;
  kind: string;
  target: string;
  status: string;
  started_at: number | string;
  finished_at: number | string | null;
  summary: string;
}

const toScan = (row: ScanRow) => ({
  id: row.id,
  kind: row.kind,
  target: row.target,
  status: row.status,
  startedAt: Number(row.started_at),
  finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  summary: parseJson<Record<string, unknown>>(row.summary, {}),
});

const SCAN_COLUMNS = ["id", "kind", "target", "status", "started_at", "finished_at", "summary"] as const;

export function scanRoutes(store: Store): Route[] {
  const db = store.db;
  const list = defineRoute({
    method: "GET",
    path: "/api/v1/scans",
    tag: "scans",
    summary: "List scans, newest first",
    query: z.object({
      kind: z.string().max(64).optional().describe("scan kind: code, model, image, registry, k8s..."),
      target: z.string().max(500).optional().describe("substring of the target"),
      ...PageQuery,
    }),
    response: pageOf(ScanSchema),
    roles: ["viewer"],
    async handler({ query }) {
      let q = db.selectFrom("scans").select(SCAN_COLUMNS);
      if (query.kind) q = q.where("kind", "=", query.kind);
      if (query.target) q = q.where(likeText("target", query.target));
      if (query.cursor) {
        const at = decodeCursor(query.cursor);
        const key = Number(at.key);
        q = q.where((eb) =>
          eb.or([eb("started_at", "<", key), eb.and([eb("started_at", "=", key), eb("id", "<", at.id)])]),
        );
      }
      const rows = await q
        .orderBy("started_at", "desc")
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute();
      return { json: page(rows.map(toScan), query.limit, (s) => ({ key: s.startedAt, id: s.id })) };
    },
  });

  const detail = defineRoute({
    method: "GET",
    path: "/api/v1/scans/{id}",
    tag: "scans",
    summary: "One scan with its findings counted by severity",
    params: IdParam,
    response: ScanSchema.extend({ findings: z.record(z.enum(SEVERITIES), z.number()) }),
    roles: ["viewer"],
    async handler({ params }) {
      const row = await db.selectFrom("scans").select(SCAN_COLUMNS).where("id", "=", params.id).executeTakeFirst();
      if (!row) throw notFound(`scan ${params.id}`);
      const counts = await db
        .selectFrom("findings")
        .select(["severity", (eb) => eb.fn.countAll<number>().as("n")])
        .where("scan_id", "=", params.id)
        .groupBy("severity")
        .execute();
      const findings = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>;
      for (const c of counts) if (c.severity in findings) findings[c.severity as keyof typeof findings] = Number(c.n);
      return { json: { ...toScan(row), findings } };
    },
  });

  const upload = defineRoute({
    method: "POST",
    path: "/api/v1/scans",
    tag: "scans",
    summary: "Upload a scan's result (what `palisade scan ... --upload URL` sends)",
    description: "Idempotent by `scan.id`: uploading the same result again adds no row and answers `created: false`.",
    body: ScanUploadSchema,
    maxBody: MAX_SCAN_UPLOAD,
    response: z.object({ scanId: z.string(), created: z.boolean() }),
    roles: ["scans:write"],
    async handler({ body }) {
      await requireKnownAssets(body);
      const { gate, ...record } = body;
      const recorded = await store.recordInventory(record);
      if (gate) await store.appendEvents([scanGateEvent(gate, body.scan)]);
      return { status: recorded.created ? 201 : 200, json: recorded };
    },
  });
  /** Edges and findings may name assets of this upload or already stored; any other is a bad upload, not a 500. */
  async function requireKnownAssets(body: z.output<typeof ScanUploadSchema>): Promise<void> {
    const given = new Set(body.assets.map((a) => a.id));
    const named = new Map<string, string>();
    for (const [i, e] of body.edges.entries()) {
      if (!given.has(e.src) && !named.has(e.src)) named.set(e.src, `edges.${i}.src`);
      if (!given.has(e.dst) && !named.has(e.dst)) named.set(e.dst, `edges.${i}.dst`);
    }
    for (const [i, f] of body.findings.entries())
      if (f.assetId !== undefined && !given.has(f.assetId) && !named.has(f.assetId))
        named.set(f.assetId, `findings.${i}.assetId`);
    const ids = [...named.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const stored = new Set(
        (await db.selectFrom("assets").select("id").where("id", "in", chunk).execute()).map((r) => r.id),
      );
      const missing = chunk.find((id) => !stored.has(id));
      if (missing !== undefined)
        throw new ApiError("bad_request", `${named.get(missing)}: no asset with that id in this upload or the store`);
    }
  }

  return [list, detail, upload];
}
