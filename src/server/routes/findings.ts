/**
 * Findings of every scan, newest first, filtered by severity, rule, target, scan, asset, mapping
 * and status: open, excepted (an exception of the policy in force waives it) or expired (only an
 * expired exception matches it).
 */
import { z } from "zod";
import {
  type CompiledException,
  compileExceptions,
  type LoadedPolicy,
  matchException,
  type PolicyException,
} from "../../policy/index.js";
import type { Store } from "../../store/index.js";
import { type CursorPosition, decodeCursor, encodeCursor, PageQuery, page, pageOf } from "../cursor.js";
import { defineRoute, type Route } from "../route.js";
import { type ApiFinding, FindingSchema, likeText, toApiFinding } from "../rows.js";
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

export const FINDING_STATUSES = ["open", "excepted", "expired"] as const;

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
  status: z
    .enum(FINDING_STATUSES)
    .optional()
    .describe("open, excepted (waived by an exception of the policy in force) or expired (its exception expired)"),
  ...PageQuery,
});

export const FindingWithStatusSchema = FindingSchema.extend({
  status: z.enum(FINDING_STATUSES),
  /** The exception that waives it (excepted) or did (expired). */
  exception: z
    .object({ rule: z.string(), target: z.string(), owner: z.string(), reason: z.string(), expires: z.string() })
    .nullable(),
});

/** Rows examined per request when filtering by status (globs are matched here, not in SQL). */
const STATUS_SCAN_BUDGET = 20_000;
const STATUS_BATCH = 500;

/**
 * A finding's status under the policy's exceptions, matched as the CI gate's findings rule
 * matches them: the exception names the finding's rule (or `supply-chain.finding`) and its
 * target globs the finding's path, else the scanned target.
 */
function statusOf(exceptions: readonly CompiledException[], today: string) {
  return (f: ApiFinding): z.infer<typeof FindingWithStatusSchema> => {
    const path = typeof f.location?.path === "string" ? f.location.path : undefined;
    const { active, expired } = matchException(
      exceptions,
      [f.ruleId, "supply-chain.finding"],
      path ?? f.scan?.target ?? "",
      today,
    );
    const by = active ?? expired;
    return {
      ...f,
      status: active ? "excepted" : expired ? "expired" : "open",
      exception: by ? exceptionOf(by.exception) : null,
    };
  };
}

const exceptionOf = (e: PolicyException) => ({
  rule: e.rule,
  target: e.target,
  owner: e.owner,
  reason: e.reason,
  expires: e.expires,
});

/** Compiled once per loaded policy (a reload makes a new one). */
const compiled = new WeakMap<LoadedPolicy, CompiledException[]>();
function exceptionsOf(policy: LoadedPolicy | undefined): CompiledException[] {
  if (!policy) return [];
  let found = compiled.get(policy);
  if (!found) {
    found = compileExceptions(policy.spec.exceptions, (i) => `exceptions.${i}`);
    compiled.set(policy, found);
  }
  return found;
}

export function findingRoutes(store: Store, policy?: () => LoadedPolicy): Route[] {
  const list = defineRoute({
    method: "GET",
    path: "/api/v1/findings",
    tag: "findings",
    summary: "List findings, newest first",
    query: FindingsQuerySchema,
    response: pageOf(FindingWithStatusSchema),
    roles: ["viewer"],
    async handler({ query, now }) {
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
      const withStatus = statusOf(exceptionsOf(policy?.()), new Date(now).toISOString().slice(0, 10));
      const position = (f: ApiFinding): CursorPosition => ({ key: f.createdAt, id: f.id });
      const after = (from: CursorPosition | undefined) =>
        from
          ? q.where((eb) =>
              eb.or([
                eb("findings.created_at", "<", from.key),
                eb.and([eb("findings.created_at", "=", from.key), eb("findings.id", "<", from.id)]),
              ]),
            )
          : q;
      const ordered = (from: CursorPosition | undefined, n: number) =>
        after(from).orderBy("findings.created_at", "desc").orderBy("findings.id", "desc").limit(n).execute();
      let from = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (!query.status) {
        const rows = await ordered(from, query.limit + 1);
        return {
          json: page(
            rows.map((r) => withStatus(toApiFinding(r))),
            query.limit,
            position,
          ),
        };
      }
      // Exceptions are globs, so the status is known only here: read on in batches until the page
      // is full, within a budget; a page cut short by the budget still carries a cursor to go on.
      const items: z.infer<typeof FindingWithStatusSchema>[] = [];
      for (let examined = 0; examined < STATUS_SCAN_BUDGET; ) {
        const rows = await ordered(from, STATUS_BATCH);
        for (const row of rows) {
          examined++;
          const finding = withStatus(toApiFinding(row));
          from = position(finding);
          if (finding.status !== query.status) continue;
          if (items.length === query.limit)
            return { json: { items, nextCursor: encodeCursor(position(items[items.length - 1] as ApiFinding)) } };
          items.push(finding);
        }
        if (rows.length < STATUS_BATCH) return { json: { items, nextCursor: null } };
      }
      return { json: { items, nextCursor: from ? encodeCursor(from) : null } };
    },
  });
  return [list];
}
