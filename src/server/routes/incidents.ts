/**
 * Incidents: the list (cursor-paged), one incident with its events, history and timeline, its
 * root-cause trace (JSON for the dashboard's graph, or Mermaid/DOT/table text), and changes of
 * status, owner and notes by responders.
 */
import { z } from "zod";
import { SEVERITIES } from "../../core/index.js";
import {
  getIncident,
  INCIDENT_STATUSES,
  type Incident,
  type IncidentTrace,
  incidentEventIds,
  incidentHistory,
  listIncidents,
  NODE_TYPES,
  type SubjectDirectory,
  traceDot,
  traceIncident,
  traceMermaid,
  traceTable,
  updateIncident,
} from "../../incident/index.js";
import type { Store } from "../../store/index.js";
import { decodeCursor, PageQuery, page, pageOf } from "../cursor.js";
import { notFound } from "../errors.js";
import { defineRoute, type Route } from "../route.js";
import { csvOf, IdParam, severitiesOf } from "./query-params.js";

const IncidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  owner: z.string().nullable(),
  ruleId: z.string().nullable(),
  openedAt: z.number(),
  updatedAt: z.number(),
  summary: z.object({
    rule: z.string(),
    description: z.string(),
    steps: z.record(z.string(), z.string()),
    groupedBy: z.array(z.string()),
    count: z.number(),
    firstSeen: z.number(),
    lastSeen: z.number(),
  }),
});

const TimelineSchema = z.array(z.object({ time: z.number(), text: z.string() }));

const TraceSchema = z.object({
  incident: IncidentSchema,
  nodes: z.array(
    z.object({
      id: z.string(),
      type: z.enum(NODE_TYPES),
      label: z.string(),
      time: z.number().optional(),
      inIncident: z.boolean().optional(),
      detail: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), label: z.string() })),
  timeline: TimelineSchema,
});

const UpdateSchema = z
  .strictObject({
    status: z.enum(INCIDENT_STATUSES).optional(),
    owner: z.string().max(200).nullable().optional().describe("who handles it; null or empty to unassign"),
    note: z.string().min(1).max(4000).optional(),
  })
  .refine((u) => u.status !== undefined || u.owner !== undefined || u.note !== undefined, {
    message: "nothing to change: give status, owner or note",
  });

/**
 * A trace as a viewer sees it: request nodes keep who, when and what the guards found, not the
 * (redacted) prompt text, the same line the events API draws.
 */
function withoutPrompts(trace: IncidentTrace): IncidentTrace {
  return {
    ...trace,
    nodes: trace.nodes.map((node) => {
      if (!node.detail || !(TRACE_ADMIN_ONLY as readonly string[]).some((k) => node.detail && k in node.detail))
        return node;
      const detail = { ...node.detail };
      for (const key of TRACE_ADMIN_ONLY) delete detail[key];
      return {
        ...node,
        detail: { ...detail, withheld: TRACE_ADMIN_ONLY.filter((k) => node.detail && k in node.detail) },
      };
    }),
  };
}

/** Node details that carry what users wrote: admins only. */
const TRACE_ADMIN_ONLY = ["prompt", "promptHmac"] as const;

export interface IncidentRouteOptions {
  store: Store;
  directory: SubjectDirectory;
}

export function incidentRoutes({ store, directory }: IncidentRouteOptions): Route[] {
  const db = store.db;
  const found = async (id: string): Promise<Incident> => {
    const incident = await getIncident(db, id);
    if (!incident) throw notFound(`incident ${id}`);
    return incident;
  };

  const list = defineRoute({
    method: "GET",
    path: "/api/v1/incidents",
    tag: "incidents",
    summary: "List incidents, newest first",
    query: z.object({
      status: csvOf(INCIDENT_STATUSES).optional().describe("statuses, comma-separated"),
      severity: csvOf(SEVERITIES).optional().describe("only these severities, comma-separated"),
      min_severity: z.enum(SEVERITIES).optional().describe("this severity or worse"),
      ...PageQuery,
    }),
    response: pageOf(IncidentSchema),
    roles: ["viewer", "incidents:write"],
    async handler({ query }) {
      const severities = severitiesOf(query);
      const at = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await listIncidents(db, {
        ...(query.status ? { status: query.status } : {}),
        ...(severities ? { severities } : {}),
        ...(at ? { after: { openedAt: Number(at.key), id: at.id } } : {}),
        limit: query.limit + 1,
      });
      return { json: page(rows, query.limit, (i) => ({ key: i.openedAt, id: i.id })) };
    },
  });

  const detail = defineRoute({
    method: "GET",
    path: "/api/v1/incidents/{id}",
    tag: "incidents",
    summary: "One incident with its event ids, history and timeline",
    params: IdParam,
    response: IncidentSchema.extend({
      events: z.array(z.string()),
      history: z.array(z.object({ time: z.number(), action: z.string(), actor: z.string(), detail: z.string() })),
      timeline: TimelineSchema,
    }),
    roles: ["viewer", "incidents:write"],
    async handler({ params }) {
      const incident = await found(params.id);
      const trace = await traceIncident(params.id, { store, directory });
      return {
        json: {
          ...incident,
          events: await incidentEventIds(db, params.id),
          history: await incidentHistory(db, params.id),
          timeline: trace?.timeline ?? [],
        },
      };
    },
  });

  const trace = defineRoute({
    method: "GET",
    path: "/api/v1/incidents/{id}/trace",
    tag: "incidents",
    summary: "The incident's root-cause graph: JSON nodes and edges, or Mermaid, DOT or a table as text",
    params: IdParam,
    query: z.object({ format: z.enum(["json", "mermaid", "dot", "table"]).default("json") }),
    response: TraceSchema,
    textResponse: "text/plain",
    roles: ["viewer", "incidents:write"],
    async handler({ params, query, isAdmin }) {
      const traced = await traceIncident(params.id, { store, directory });
      if (!traced) throw notFound(`incident ${params.id}`);
      const result = isAdmin ? traced : withoutPrompts(traced);
      if (query.format === "json") return { json: result };
      const render = { mermaid: traceMermaid, dot: traceDot, table: traceTable }[query.format];
      return { text: render(result), contentType: "text/plain; charset=utf-8" };
    },
  });

  const update = defineRoute({
    method: "PATCH",
    path: "/api/v1/incidents/{id}",
    tag: "incidents",
    summary: "Change an incident's status or owner, or add a note (recorded in its history with the caller)",
    params: IdParam,
    body: UpdateSchema,
    response: IncidentSchema,
    roles: ["incidents:write"],
    async handler({ params, body, caller, now }) {
      await found(params.id);
      const change = {
        ...(body.status ? { status: body.status } : {}),
        ...(body.owner !== undefined ? { owner: body.owner || null } : {}),
        ...(body.note ? { note: body.note } : {}),
      };
      return { json: await updateIncident(db, params.id, change, caller ? caller.id : "local", now) };
    },
  });
  return [list, detail, trace, update];
}
