/**
 * Events: gateway requests, MCP calls, sensor alerts, API writes, newest first, by time range,
 * kind, identity, verdict and model. Prompt and answer excerpts (already redacted when stored)
 * and recorded tool-argument values are shown to admins only: a viewer sees that a request was
 * blocked and why, not what was asked.
 */
import { z } from "zod";
import { EVENT_VERDICTS } from "../../core/index.js";
import type { Database, Store } from "../../store/index.js";
import { decodeCursor, PageQuery, page, pageOf } from "../cursor.js";
import { notFound } from "../errors.js";
import { defineRoute, type Route } from "../route.js";
import { parseJson } from "../rows.js";
import { csvOf, IdParam, TimeParam } from "./query-params.js";

/**
 * Payload fields that hold what users wrote or received, admins only; the prompt's keyed hash too
 * (a guessed prompt could be checked against it).
 */
export const ADMIN_ONLY_FIELDS = ["promptExcerpt", "answerExcerpt", "argumentValues", "promptHmac"] as const;

const EventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  time: z.number(),
  identity: z.string().nullable(),
  correlation: z.object({
    requestId: z.string().nullable(),
    traceId: z.string().nullable(),
    sessionId: z.string().nullable(),
  }),
  verdict: z.enum(EVENT_VERDICTS).nullable(),
  reason: z.string().nullable(),
  model: z.string().nullable(),
  tokens: z.number().nullable(),
  latencyMs: z.number().nullable(),
  payload: z.record(z.string(), z.unknown()),
  /** Fields left out for this caller (admins see them). */
  withheld: z.array(z.string()),
});

const EVENT_COLUMNS = [
  "id",
  "kind",
  "time",
  "identity_id",
  "request_id",
  "trace_id",
  "session_id",
  "payload",
  "verdict",
  "reason",
  "model",
  "tokens",
  "latency_ms",
] as const;

/** Times and counts come back as strings from PostgreSQL bigints: every number goes through Number(). */
type EventRow = Database["events"];

function toApiEvent(row: EventRow, isAdmin: boolean): z.infer<typeof EventSchema> {
  const payload = parseJson<Record<string, unknown>>(row.payload, {});
  const withheld: string[] = [];
  if (!isAdmin)
    for (const field of ADMIN_ONLY_FIELDS)
      if (field in payload) {
        delete payload[field];
        withheld.push(field);
      }
  return {
    id: row.id,
    kind: row.kind,
    time: Number(row.time),
    identity: row.identity_id,
    correlation: { requestId: row.request_id, traceId: row.trace_id, sessionId: row.session_id },
    verdict: (EVENT_VERDICTS as readonly string[]).includes(row.verdict ?? "")
      ? (row.verdict as (typeof EVENT_VERDICTS)[number])
      : null,
    reason: row.reason,
    model: row.model,
    tokens: row.tokens === null ? null : Number(row.tokens),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    payload,
    withheld,
  };
}

export function eventRoutes(store: Store): Route[] {
  const db = store.db;
  const list = defineRoute({
    method: "GET",
    path: "/api/v1/events",
    tag: "events",
    summary: "List events, newest first",
    query: z.object({
      kind: z
        .string()
        .max(500)
        .transform((s) =>
          s
            .split(",")
            .map((k) => k.trim())
            .filter(Boolean),
        )
        .optional()
        .describe("event kinds, comma-separated (`gateway.request,mcp.call`); `runtime.*` for a family"),
      from: TimeParam.optional().describe("from this time (inclusive)"),
      to: TimeParam.optional().describe("before this time"),
      identity: z.string().max(512).optional().describe("events of this identity id"),
      verdict: csvOf(EVENT_VERDICTS).optional().describe("gateway and MCP verdicts, comma-separated"),
      reason: z.string().max(200).optional().describe("the guard or rule that decided (`injection`, `pii`...)"),
      model: z.string().max(200).optional(),
      request: z.string().max(512).optional().describe("events of this request id"),
      ...PageQuery,
    }),
    response: pageOf(EventSchema),
    roles: ["viewer"],
    async handler({ query, isAdmin }) {
      let q = db.selectFrom("events").select(EVENT_COLUMNS);
      if (query.kind && query.kind.length > 0) {
        const exact = query.kind.filter((k) => !k.endsWith(".*"));
        const families = query.kind.filter((k) => k.endsWith(".*")).map((k) => k.slice(0, -1));
        q = q.where((eb) =>
          eb.or([
            ...(exact.length > 0 ? [eb("kind", "in", exact)] : []),
            ...families.map((f) => eb.and([eb("kind", ">=", f), eb("kind", "<", `${f}\uffff`)])),
          ]),
        );
      }
      if (query.from !== undefined) q = q.where("time", ">=", query.from);
      if (query.to !== undefined) q = q.where("time", "<", query.to);
      if (query.identity) q = q.where("identity_id", "=", query.identity);
      if (query.verdict) q = q.where("verdict", "in", query.verdict);
      if (query.reason) q = q.where("reason", "=", query.reason);
      if (query.model) q = q.where("model", "=", query.model);
      if (query.request) q = q.where("request_id", "=", query.request);
      if (query.cursor) {
        const at = decodeCursor(query.cursor);
        const key = Number(at.key);
        q = q.where((eb) => eb.or([eb("time", "<", key), eb.and([eb("time", "=", key), eb("id", "<", at.id)])]));
      }
      const rows = await q
        .orderBy("time", "desc")
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute();
      return {
        json: page(
          rows.map((r) => toApiEvent(r, isAdmin)),
          query.limit,
          (e) => ({ key: e.time, id: e.id }),
        ),
      };
    },
  });

  const detail = defineRoute({
    method: "GET",
    path: "/api/v1/events/{id}",
    tag: "events",
    summary: "One event; prompt and answer excerpts for admins only",
    params: IdParam,
    response: EventSchema,
    roles: ["viewer"],
    async handler({ params, isAdmin }) {
      const row = await db.selectFrom("events").select(EVENT_COLUMNS).where("id", "=", params.id).executeTakeFirst();
      if (!row) throw notFound(`event ${params.id}`);
      return { json: toApiEvent(row, isAdmin) };
    },
  });
  return [list, detail];
}
