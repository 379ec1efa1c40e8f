/** Findings of every scan, newest first, filtered by severity, rule, target, scan, asset and mapping. */
import { z } from "zod";
import type { Store } from "../../store/index.js";
import { decodeCursor, PageQuery, page, pageOf } from "../cursor.js";
import { defineRoute, type Route } from "../route.js";
import { FindingSchema, likeText, toApiFinding } from "../rows.js";
import { severitiesOf, severityFilter } from "./query-params.js";

const FINDING_COLUMNS = [
  "findings.id",
  "findings.rule_id",
  "findings.severity",
  "findings.title",
  "findings.detail",
  "findings.location",
  "findings.tags",
  "findings.fingerprint",
  "findings.asset_id",
  "findings.scan_id",
  "findings.created_at",
  "scans.kind as scan_kind",
  "scans.target as scan_target",
] as const;

/** Findings with their scan joined: the base query every findings list starts from. */
export function findingsQuery(store: Store) {
  return store.db.selectFrom("findings").leftJoin("scans", "scans.id", "findings.scan_id").select(FINDING_COLUMNS);
}

export const FindingsQuerySchema = z.object({
  ...severityFilter,
  rule: z.string().max(200).optional().describe("rule id, or its start (`model.`, `image.vuln`)"),
  target: z.string().max(500).optional().describe("substring of the scanned target (a path, an image reference)"),
  scan: z.string().max(200).optional().describe("findings of this scan id"),
  asset: z.string().max(512).optional().describe("findings recorded against this asset id"),
  owasp: z
    .string()
    .regex(/^LLM\d{2}:2025$/, "expected an OWASP LLM Top 10 2025 id like LLM01:2025")
    .optional()
    .describe("findings mapped to this OWASP LLM Top 10 (2025) risk"),
  atlas: z
    .string()
    .regex(/^AML\.T\d{4}(\.\d{3})?$/, "expected a MITRE ATLAS id like AML.T0051")
    .optional()
    .describe("findings mapped to this MITRE ATLAS technique"),
  q: z.string().max(200).optional().describe("substring of the title"),
  ...PageQuery,
});

export function findingRoutes(store: Store): Route[] {
  const list = defineRoute({
    method: "GET",
    path: "/api/v1/findings",
    tag: "findings",
    summary: "List findings, newest first",
    query: FindingsQuerySchema,
    response: pageOf(FindingSchema),
    roles: ["viewer"],
    async handler({ query }) {
      let q = findingsQuery(store);
      const severities = severitiesOf(query);
      if (severities) q = q.where("findings.severity", "in", severities.length > 0 ? severities : ["-"]);
      if (query.rule) q = q.where(likeText("findings.rule_id", query.rule, "starts"));
      if (query.target) q = q.where(likeText("scans.target", query.target));
      if (query.scan) q = q.where("findings.scan_id", "=", query.scan);
      if (query.asset) q = q.where("findings.asset_id", "=", query.asset);
      // The mappings are in the JSON tags column; a quoted id cannot match inside another id.
      if (query.owasp) q = q.where(likeText("findings.tags", `"${query.owasp}"`));
      if (query.atlas) q = q.where(likeText("findings.tags", `"${query.atlas}"`));
      if (query.q) q = q.where(likeText("findings.title", query.q));
      if (query.cursor) {
        const at = decodeCursor(query.cursor);
        const key = Number(at.key);
        q = q.where((eb) =>
          eb.or([
            eb("findings.created_at", "<", key),
            eb.and([eb("findings.created_at", "=", key), eb("findings.id", "<", at.id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy("findings.created_at", "desc")
        .orderBy("findings.id", "desc")
        .limit(query.limit + 1)
        .execute();
      return { json: page(rows.map(toApiFinding), query.limit, (f) => ({ key: f.createdAt, id: f.id })) };
    },
  });
  return [list];
}
