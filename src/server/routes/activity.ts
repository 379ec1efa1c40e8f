/**
 * Aggregates the dashboard's Overview and AI-activity pages draw: computed in the database over
 * the indexed event facts (verdict, reason, model, identity, tokens, latency), so a page is a few
 * grouped queries whatever the number of events, never a scan of payloads in the server.
 */
import { type ExpressionBuilder, sql } from "kysely";
import { z } from "zod";
import { EVENT_VERDICTS, SEVERITIES } from "../../core/index.js";
import { INCIDENT_STATUSES } from "../../incident/index.js";
import type { Database, Store } from "../../store/index.js";
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

/** Up to this span, activity is counted from the events themselves (fine buckets); beyond, from the hourly rollups. */
const RAW_SPAN = 6 * HOUR;

/**
 * A bucket size that gives at most MAX_BUCKETS points: minutes for short ranges, a whole number
 * of hours beyond RAW_SPAN (the rollups' grain).
 */
export function bucketFor(spanMs: number): number {
  const steps =
    spanMs <= RAW_SPAN ? [60_000, 300_000, 900_000, HOUR] : [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];
  return steps.find((s) => spanMs / s <= MAX_BUCKETS) ?? Math.ceil(spanMs / MAX_BUCKETS / DAY) * DAY;
}

/** One counted group: a dimension's value (with the reason, for verdicts) in one bucket. */
interface Counted {
  dimension: string;
  value: string;
  reason: string;
  bucket: number;
  count: number;
  blocked: number;
  tokens: number;
  latency: number;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Activity of `kind` in [from, to), counted per bucket along each dimension: whole hours from
 * the rollups, the partial hours at either end (and short ranges entirely) from the events.
 */
async function countActivity(
  store: Store,
  kind: string,
  from: number,
  to: number,
  bucketMs: number,
): Promise<Counted[]> {
  const db = store.db;
  const useRollups = to - from > RAW_SPAN && bucketMs % HOUR === 0;
  const hFrom = useRollups ? Math.ceil(from / HOUR) * HOUR : to;
  const hTo = useRollups ? Math.max(hFrom, Math.floor(to / HOUR) * HOUR) : to;
  const bucket = (column: "time" | "hour") =>
    sql<number>`(${sql.ref(column)} / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`;
  const counted: Counted[] = [];

  if (hTo > hFrom) {
    const rows = await db
      .selectFrom("event_rollups")
      .select([
        "dimension",
        "value",
        "reason",
        bucket("hour").as("bucket"),
        sql<number>`sum(count)`.as("count"),
        sql<number>`sum(blocked)`.as("blocked"),
        sql<number>`sum(tokens)`.as("tokens"),
        sql<number>`sum(latency_ms)`.as("latency"),
      ])
      .where("kind", "=", kind)
      .where("hour", ">=", hFrom)
      .where("hour", "<", hTo)
      .groupBy(["dimension", "value", "reason", bucket("hour")])
      .execute();
    for (const r of rows)
      counted.push({
        ...r,
        bucket: n(r.bucket),
        count: n(r.count),
        blocked: n(r.blocked),
        tokens: n(r.tokens),
        latency: n(r.latency),
      });
  }

  const raw = () =>
    db
      .selectFrom("events")
      .where("kind", "=", kind)
      .where("verdict", "is not", null)
      .where((eb) =>
        eb.or([
          eb.and([eb("time", ">=", from), eb("time", "<", Math.min(hFrom, to))]),
          eb.and([eb("time", ">=", Math.max(hTo, from)), eb("time", "<", to)]),
        ]),
      );
  const sums = [
    (eb: ExpressionBuilder<Database, "events">) => eb.fn.countAll<number>().as("count"),
    sql<number>`sum(case when verdict = 'blocked' then 1 else 0 end)`.as("blocked"),
    sql<number>`coalesce(sum(tokens), 0)`.as("tokens"),
    sql<number>`coalesce(sum(latency_ms), 0)`.as("latency"),
  ] as const;
  const [verdicts, identities, models] = await Promise.all([
    raw()
      .select([
        sql<string>`verdict`.as("value"),
        sql<string>`coalesce(reason, '')`.as("reason"),
        bucket("time").as("bucket"),
        ...sums,
      ])
      .groupBy(["verdict", sql`coalesce(reason, '')`, bucket("time")])
      .execute(),
    raw()
      .select([sql<string>`coalesce(identity_id, '')`.as("value"), ...sums])
      .groupBy(sql`coalesce(identity_id, '')`)
      .execute(),
    // As the rollups count them (store/rollups.ts): a model once the upstream answered.
    raw()
      .select([sql<string>`case when tokens is null then '' else coalesce(model, '') end`.as("value"), ...sums])
      .groupBy(sql`case when tokens is null then '' else coalesce(model, '') end`)
      .execute(),
  ]);
  const push = (dimension: string, rows: readonly Record<string, unknown>[]) => {
    for (const r of rows)
      counted.push({
        dimension,
        value: String(r.value ?? ""),
        reason: String(r.reason ?? ""),
        bucket: n(r.bucket),
        count: n(r.count),
        blocked: n(r.blocked),
        tokens: n(r.tokens),
        latency: n(r.latency),
      });
  };
  push("verdict", verdicts);
  push("identity", identities);
  push("model", models);
  return counted;
}

/** Sums of `rows` per key, largest first. */
function sumBy(rows: readonly Counted[], key: (r: Counted) => string) {
  const sums = new Map<string, { count: number; blocked: number; tokens: number; latency: number }>();
  for (const r of rows) {
    const s = sums.get(key(r)) ?? { count: 0, blocked: 0, tokens: 0, latency: 0 };
    s.count += r.count;
    s.blocked += r.blocked;
    s.tokens += r.tokens;
    s.latency += r.latency;
    sums.set(key(r), s);
  }
  return [...sums].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
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
      // Beyond RAW_SPAN the counts come from hourly rollups: a bucket is a whole number of hours.
      const asked = query.bucket ?? bucketFor(to - from);
      const bucketMs = to - from > RAW_SPAN ? Math.ceil(asked / HOUR) * HOUR : asked;
      if ((to - from) / bucketMs > MAX_BUCKETS * 2)
        throw new ApiError(
          "bad_request",
          `bucket: ${bucketMs} ms gives more than ${MAX_BUCKETS * 2} points for this range`,
        );
      const counted = await countActivity(store, query.kind, from, to, bucketMs);
      const verdictRows = counted.filter((c) => c.dimension === "verdict");
      const totals = { requests: 0, tokens: 0, latencyMs: 0, verdicts: zeroVerdicts() };
      for (const [verdict, s] of sumBy(verdictRows, (c) => c.value)) {
        totals.requests += s.count;
        totals.tokens += s.tokens;
        totals.latencyMs += s.latency;
        if (verdict in totals.verdicts) totals.verdicts[verdict as keyof typeof totals.verdicts] = s.count;
      }
      const series = sumBy(verdictRows, (c) => String(c.bucket))
        .map(([time, s]) => ({ time: Number(time), requests: s.count, blocked: s.blocked, tokens: s.tokens }))
        .sort((a, b) => a.time - b.time);
      const reasons = sumBy(
        verdictRows.filter((c) => c.value === "blocked"),
        (c) => c.reason || "unknown",
      ).slice(0, TOP);
      const identities = sumBy(
        counted.filter((c) => c.dimension === "identity"),
        (c) => c.value || "anonymous",
      ).slice(0, TOP);
      const models = sumBy(
        counted.filter((c) => c.dimension === "model"),
        (c) => c.value || "unknown",
      ).slice(0, TOP);
      return {
        json: {
          from,
          to,
          bucketMs,
          kind: query.kind,
          totals,
          series,
          blockedByReason: reasons.map(([reason, s]) => ({ reason, count: s.count })),
          byIdentity: identities.map(([identity, s]) => ({
            identity,
            requests: s.count,
            blocked: s.blocked,
            tokens: s.tokens,
            latencyMs: s.latency,
          })),
          byModel: models.map(([model, s]) => ({ model, requests: s.count, tokens: s.tokens, latencyMs: s.latency })),
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
        Promise.all(ACTIVITY_KINDS.map((kind) => countActivity(store, kind, since, now, DAY))),
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
      const [gw, mcp] = traffic.map((counted) =>
        counted
          .filter((c) => c.dimension === "verdict")
          .reduce((t, c) => ({ count: t.count + c.count, blocked: t.blocked + c.blocked }), { count: 0, blocked: 0 }),
      );
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
