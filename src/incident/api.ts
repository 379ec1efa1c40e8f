/**
 * Incidents over HTTP, the same answers as `palisade incident list|show|trace|update`:
 *
 *   GET   /api/v1/incidents?status=open,acknowledged&min_severity=high&limit=50
 *   GET   /api/v1/incidents/{id}                      incident, event ids, history, timeline
 *   GET   /api/v1/incidents/{id}/trace?format=json|mermaid|dot|table
 *   PATCH /api/v1/incidents/{id}   {"status"?, "owner"?, "note"?}   (role `admin` or `incidents:write`)
 *
 * A request handler any Palisade HTTP server mounts after authenticating the caller; errors use
 * the ingestion endpoint's shape, `{"error": {"code", "message"}}`, and never echo the body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { type Identity, SEVERITIES } from "../core/index.js";
import type { Store } from "../store/index.js";
import {
  getIncident,
  INCIDENT_STATUSES,
  incidentEventIds,
  incidentHistory,
  listIncidents,
  updateIncident,
} from "./incidents.js";
import { traceDot, traceMermaid, traceTable } from "./render.js";
import type { SubjectDirectory } from "./subjects.js";
import { traceIncident } from "./trace.js";

export const INCIDENTS_PATH = "/api/v1/incidents";
/** Roles that may change an incident; reading needs only an authenticated caller. */
export const INCIDENT_WRITE_ROLES = ["admin", "incidents:write"] as const;
const MAX_BODY = 64 * 1024;
const MAX_LIST = 1000;

const ListQuerySchema = z.object({
  status: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.enum(INCIDENT_STATUSES)))
    .optional(),
  min_severity: z.enum(SEVERITIES).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST).default(100),
});

const TraceQuerySchema = z.object({ format: z.enum(["json", "mermaid", "dot", "table"]).default("json") });

const UpdateSchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES).optional(),
    owner: z.string().max(200).nullable().optional(),
    note: z.string().min(1).max(4000).optional(),
  })
  .strict()
  .refine((u) => u.status !== undefined || u.owner !== undefined || u.note !== undefined, {
    message: "nothing to change: give status, owner or note",
  });

export interface IncidentApiOptions {
  store: Store;
  directory: SubjectDirectory;
  now?: () => number;
}

/** Who the caller is; undefined when the server runs without authentication (loopback only). */
export type IncidentApiHandler = (req: IncomingMessage, res: ServerResponse, caller?: Identity) => Promise<boolean>;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, code: string, message: string) =>
  send(res, status, { error: { code, message } });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join(".") || "request"}: ${issue?.message ?? "invalid"}`;
}

/** Bytes of an oversized body read and dropped after its 413, so the client sees the answer rather than a reset. */
const DRAIN_LIMIT = 1024 * 1024;

async function readJson(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413; reason: string }> {
  const declared = Number(req.headers["content-length"] ?? 0);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = declared > MAX_BODY;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) over = true;
    if (over) {
      if (size > MAX_BODY + DRAIN_LIMIT) req.destroy();
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  if (over) return { ok: false, status: 413, reason: `a body is at most ${MAX_BODY} bytes` };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, status: 400, reason: "the body is not valid JSON" };
  }
}

/** The handler: true when it answered (the path was its own), false to let the server answer 404. */
export function createIncidentApi(options: IncidentApiOptions): IncidentApiHandler {
  const { store, directory } = options;
  const now = options.now ?? Date.now;
  return async (req, res, caller) => {
    const url = new URL(req.url ?? "/", "http://palisade.invalid");
    if (url.pathname !== INCIDENTS_PATH && !url.pathname.startsWith(`${INCIDENTS_PATH}/`)) return false;
    const query = Object.fromEntries(url.searchParams);
    const rest = url.pathname.slice(INCIDENTS_PATH.length + 1).split("/");
    const id = rest[0] ? decodeURIComponent(rest[0]) : undefined;
    const sub = rest[1];
    if (rest.length > 2 || (sub !== undefined && sub !== "trace")) {
      fail(res, 404, "not_found", `no route ${url.pathname}`);
      return true;
    }
    const method = req.method ?? "GET";
    const allowed = id === undefined || sub ? ["GET"] : ["GET", "PATCH"];
    if (!allowed.includes(method)) {
      res.setHeader("allow", allowed.join(", "));
      fail(res, 405, "method_not_allowed", `${method} is not allowed here (${allowed.join(", ")})`);
      return true;
    }

    if (id === undefined) {
      const parsed = ListQuerySchema.safeParse(query);
      if (!parsed.success) {
        fail(res, 400, "bad_request", firstIssue(parsed.error));
        return true;
      }
      const incidents = await listIncidents(store.db, {
        ...(parsed.data.status ? { status: parsed.data.status } : {}),
        ...(parsed.data.min_severity ? { minSeverity: parsed.data.min_severity } : {}),
        limit: parsed.data.limit,
      });
      send(res, 200, { incidents });
      return true;
    }

    const incident = await getIncident(store.db, id);
    if (!incident) {
      fail(res, 404, "not_found", `no incident ${id}`);
      return true;
    }

    if (sub === "trace") {
      const parsed = TraceQuerySchema.safeParse(query);
      if (!parsed.success) {
        fail(res, 400, "bad_request", firstIssue(parsed.error));
        return true;
      }
      const trace = await traceIncident(id, { store, directory });
      if (!trace) {
        fail(res, 404, "not_found", `no incident ${id}`);
        return true;
      }
      if (parsed.data.format === "json") {
        send(res, 200, trace);
        return true;
      }
      const render = { mermaid: traceMermaid, dot: traceDot, table: traceTable }[parsed.data.format];
      const text = render(trace);
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
      res.end(text);
      return true;
    }

    if (method === "PATCH") {
      if (caller && !caller.roles.some((r) => (INCIDENT_WRITE_ROLES as readonly string[]).includes(r))) {
        fail(res, 403, "forbidden", `changing an incident needs the role ${INCIDENT_WRITE_ROLES.join(" or ")}`);
        return true;
      }
      const body = await readJson(req);
      if (!body.ok) {
        fail(res, body.status, body.status === 413 ? "too_large" : "bad_request", body.reason);
        return true;
      }
      const parsed = UpdateSchema.safeParse(body.value);
      if (!parsed.success) {
        fail(res, 400, "bad_request", firstIssue(parsed.error));
        return true;
      }
      const change = {
        ...(parsed.data.status ? { status: parsed.data.status } : {}),
        ...(parsed.data.owner !== undefined ? { owner: parsed.data.owner || null } : {}),
        ...(parsed.data.note ? { note: parsed.data.note } : {}),
      };
      const updated = await updateIncident(store.db, id, change, caller ? caller.id : "local", now());
      send(res, 200, updated);
      return true;
    }

    const trace = await traceIncident(id, { store, directory });
    send(res, 200, {
      ...incident,
      events: await incidentEventIds(store.db, id),
      history: await incidentHistory(store.db, id),
      timeline: trace?.timeline ?? [],
    });
    return true;
  };
}
