/**
 * Aggregates the dashboard's Overview and AI-activity pages draw: computed in the database over
 * the indexed event facts (verdict, reason, model, identity, tokens, latency), so a page is a few
 * grouped queries whatever the number of events, never a scan of payloads in the server.
 */
import { sql } from "kysely";
import { z } from "zod";
import { EVENT_VERDICTS, SEVERITIES } from "../../core/index.js";
import { INCIDENT_STATUSES } from "../../incident/index.js";
import type { Store } from "../../store/index.js";
import { ApiError } from "../errors.js";
import { defineRoute, type Route } from "../route.js";
import { TimeParam } from "./query-params.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Buckets a series may have: enough for a chart, few enough to answer fast. */
const MAX_BUCKETS = 500;
const TOP = 10;
/** Kinds the activity page counts: requests through the AI gateway and calls through the MCP gateway. */
const ACTIVITY_KINDS = ["gateway.request", "mcp.call"] as const;

const Count = z.number().int();
const VerdictCounts = z.record(z.enum(EVENT_VERDICTS), Count);

const zeroVerdicts = () =>
  Object.fromEntries(EVENT_VERDICTS.map((v) => [v, 0])) as Record<(typeof EVENT_VERDICTS)[number], number>;

/** A bucket size that gives at most MAX_BUCKETS points: a round number of minutes, hours or days. */
export function bucketFor(spanMs: number): number {
  const steps = [60_000, 300_000, 900_000, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];
  return steps.find((s) => spanMs / s <= MAX_BUCKETS) ?? Math.ceil(spanMs / MAX_BUCKETS / DAY) * DAY;
}

const ActivitySchema = z.object({
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  kind: z.enum(ACTIVITY_KINDS),
  totals: z.object({ requests: Count, tokens: Count, latencyMs: Count, verdicts: VerdictCounts }),
  series: z.array(z.object({ time: z.number(), requests: Count, blocked: Count, tokens: Count })),
  blockedByReason: z.array(z.object({ reason: z.string(), count: Count })),
  byIdentity: z.array(
    z.object({ identity: z.string(), requests: Count, blocked: Count, tokens: Count, latencyMs: Count }),
  ),
  byModel: z.array(
    z.object({
      model: z.string(),
      requests: Count,
      tokens: Count,
      /** Sum of upstream time: an estimate of GPU time on a self-hosted server that serves one request at a time. */
      latencyMs: Count,
    }),
  ),
});

const n = (v: unknown) => Number(v ?? 0);

export function activityRoutes(store: Store): Route[] {
  const db = store.db;

  const activity = defineRoute({
    method: "GET",
    path: "/api/v1/activity",
    tag: "activity",
    summary:
      "AI activity over a time range: requests over time, blocked by reason, tokens and upstream time by identity and model",
    query: z.object({
      from: TimeParam.optional().describe("start (default: 24 hours before `to`)"),
      to: TimeParam.optional().describe("end, exclusive (default: now)"),
      kind: z.enum(ACTIVITY_KINDS).default("gateway.request"),
      bucket: z.coerce
        .number()
        .int()
        .min(60_000)
        .max(30 * DAY)
        .optional()
        .describe("series bucket in ms (default: chosen from the range)"),
    }),
    response: ActivitySchema,
    roles: ["viewer"],
    async handler({ query, now }) {
      const to = query.to ?? now;
      const from = query.from ?? to - DAY;
      if (from >= to) throw new ApiError("bad_request", "from: must be before to");
      const bucketMs = query.bucket ?? bucketFor(to - from);
      if ((to - from) / bucketMs > MAX_BUCKETS * 2)
        throw new ApiError(
          "bad_request",
          `bucket: ${bucketMs} ms gives more than ${MAX_BUCKETS * 2} points for this range`,
        );
      const base = () =>
        db
          .selectFrom("events")
          .where("kind", "=", query.kind)
          .where("time", ">=", from)
          .where("time", "<", to)
          .where("verdict", "is not", null);
      const blocked = sql<number>`sum(case when verdict = 'blocked' then 1 else 0 end)`;
      const tokens = sql<number>`coalesce(sum(tokens), 0)`;
      const latency = sql<number>`coalesce(sum(latency_ms), 0)`;
      const bucket = sql<number>`(time / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`;

      const [verdicts, series, reasons, identities, models] = await Promise.all([
        base()
          .select(["verdict", (eb) => eb.fn.countAll<number>().as("count"), tokens.as("tokens"), latency.as("latency")])
          .groupBy("verdict")
          .execute(),
        base()
          .select([
            bucket.as("bucket"),
            (eb) => eb.fn.countAll<number>().as("count"),
            blocked.as("blocked"),
            tokens.as("tokens"),
          ])
          .groupBy(bucket)
          .orderBy(bucket)
          .execute(),
        base()
          .select([sql<string>`coalesce(reason, 'unknown')`.as("reason"), (eb) => eb.fn.countAll<number>().as("count")])
          .where("verdict", "=", "blocked")
          .groupBy(sql`coalesce(reason, 'unknown')`)
          .orderBy("count", "desc")
          .limit(TOP)
          .execute(),
        base()
          .select([
            sql<string>`coalesce(identity_id, 'anonymous')`.as("identity"),
            (eb) => eb.fn.countAll<number>().as("count"),
            blocked.as("blocked"),
            tokens.as("tokens"),
            latency.as("latency"),
          ])
          .groupBy(sql`coalesce(identity_id, 'anonymous')`)
          .orderBy("count", "desc")
          .limit(TOP)
          .execute(),
        base()
          .select([
            sql<string>`coalesce(model, 'unknown')`.as("model"),
            (eb) => eb.fn.countAll<number>().as("count"),
            tokens.as("tokens"),
            latency.as("latency"),
          ])
          .groupBy(sql`coalesce(model, 'unknown')`)
          .orderBy("count", "desc")
          .limit(TOP)
          .execute(),
      ]);
      const totals = { requests: 0, tokens: 0, latencyMs: 0, verdicts: zeroVerdicts() };
      for (const v of verdicts) {
        totals.requests += n(v.count);
        totals.tokens += n(v.tokens);
        totals.latencyMs += n(v.latency);
        if (v.verdict && v.verdict in totals.verdicts)
          totals.verdicts[v.verdict as keyof typeof totals.verdicts] = n(v.count);
      }
      return {
        json: {
          from,
          to,
          bucketMs,
          kind: query.kind,
          totals,
          series: series.map((s) => ({
            time: n(s.bucket),
            requests: n(s.count),
            blocked: n(s.blocked),
            tokens: n(s.tokens),
          })),
          blockedByReason: reasons.map((r) => ({ reason: r.reason, count: n(r.count) })),
          byIdentity: identities.map((i) => ({
            identity: i.identity,
            requests: n(i.count),
            blocked: n(i.blocked),
            tokens: n(i.tokens),
            latencyMs: n(i.latency),
          })),
          byModel: models.map((m) => ({
            model: m.model,
            requests: n(m.count),
            tokens: n(m.tokens),
            latencyMs: n(m.latency),
          })),
        },
      };
    },
  });

  const overview = defineRoute({
    method: "GET",
    path: "/api/v1/overview",
    tag: "overview",
    summary: "Posture at a glance: inventory and findings counts, open incidents, the last day's AI traffic, top risks",
    response: z.object({
      inventory: z.array(z.object({ type: z.string(), count: Count })),
      findings: z.record(z.enum(SEVERITIES), Count),
      incidents: z.record(z.enum(INCIDENT_STATUSES), z.record(z.enum(SEVERITIES), Count)),
      traffic: z.object({ since: z.number(), requests: Count, blocked: Count, mcpCalls: Count, mcpBlocked: Count }),
      topRisks: z.array(
        z.object({
          ruleId: z.string(),
          severity: z.enum(SEVERITIES),
          title: z.string(),
          count: Count,
          lastSeen: z.number(),
        }),
      ),
      scans: z.object({ count: Count, last: z.number().nullable() }),
    }),
    roles: ["viewer"],
    async handler({ now }) {
      const since = now - DAY;
      const [assets, findings, incidents, traffic, risks, scans] = await Promise.all([
        db
          .selectFrom("assets")
          .select([
            sql<string>`case when kind = 'component' then coalesce(subkind, 'component') else kind end`.as("type"),
            (eb) => eb.fn.countAll<number>().as("count"),
          ])
          .groupBy(sql`case when kind = 'component' then coalesce(subkind, 'component') else kind end`)
          .execute(),
        db
          .selectFrom("findings")
          .select(["severity", (eb) => eb.fn.countAll<number>().as("count")])
          .groupBy("severity")
          .execute(),
        db
          .selectFrom("incidents")
          .select(["status", "severity", (eb) => eb.fn.countAll<number>().as("count")])
          .groupBy(["status", "severity"])
          .execute(),
        db
          .selectFrom("events")
          .select([
            "kind",
            (eb) => eb.fn.countAll<number>().as("count"),
            sql<number>`sum(case when verdict = 'blocked' then 1 else 0 end)`.as("blocked"),
          ])
          .where("kind", "in", [...ACTIVITY_KINDS])
          .where("time", ">=", since)
          .where("verdict", "is not", null)
          .groupBy("kind")
          .execute(),
        // Worst first, then most frequent: one line per rule, not per finding.
        db
          .selectFrom("findings")
          .select([
            "rule_id",
            sql<number>`min(case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end)`.as(
              "rank",
            ),
            sql<string>`max(title)`.as("title"),
            (eb) => eb.fn.countAll<number>().as("count"),
            sql<number>`max(created_at)`.as("last"),
          ])
          .groupBy("rule_id")
          .orderBy("rank")
          .orderBy("count", "desc")
          .orderBy("rule_id")
          .limit(TOP)
          .execute(),
        db
          .selectFrom("scans")
          .select([(eb) => eb.fn.countAll<number>().as("count"), sql<number | null>`max(started_at)`.as("last")])
          .executeTakeFirst(),
      ]);
      const bySeverity = () =>
        Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>;
      const findingCounts = bySeverity();
      for (const f of findings)
        if (f.severity in findingCounts) findingCounts[f.severity as keyof typeof findingCounts] = n(f.count);
      const incidentCounts = Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, bySeverity()])) as Record<
        (typeof INCIDENT_STATUSES)[number],
        Record<(typeof SEVERITIES)[number], number>
      >;
      for (const i of incidents) {
        const row = incidentCounts[i.status as keyof typeof incidentCounts];
        if (row && i.severity in row) row[i.severity as keyof typeof row] = n(i.count);
      }
      const gw = traffic.find((t) => t.kind === "gateway.request");
      const mcp = traffic.find((t) => t.kind === "mcp.call");
      return {
        json: {
          inventory: assets.map((a) => ({ type: a.type, count: n(a.count) })).sort((a, b) => b.count - a.count),
          findings: findingCounts,
          incidents: incidentCounts,
          traffic: {
            since,
            requests: n(gw?.count),
            blocked: n(gw?.blocked),
            mcpCalls: n(mcp?.count),
            mcpBlocked: n(mcp?.blocked),
          },
          topRisks: risks.map((r) => ({
            ruleId: r.rule_id,
            severity: SEVERITIES[n(r.rank)] ?? "info",
            title: r.title,
            count: n(r.count),
            lastSeen: n(r.last),
          })),
          scans: {
            count: n(scans?.count),
            last: scans?.last === null || scans?.last === undefined ? null : n(scans.last),
          },
        },
      };
    },
  });
  return [overview, activity];
}
