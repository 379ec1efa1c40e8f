/** Reading events back from the store: rows to `Event`, and the indexed lookups correlation and traces use. */
import type { Kysely } from "kysely";
import type { Event } from "../core/index.js";
import type { Database } from "../store/index.js";

export type Db = Kysely<Database>;

export interface EventRow {
  id: string;
  kind: string;
  time: number | string;
  identity_id: string | null;
  request_id: string | null;
  trace_id: string | null;
  session_id: string | null;
  payload: string;
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return { unreadable: true };
  }
}

export function toEvent(row: EventRow): Event {
  return {
    id: row.id,
    kind: row.kind,
    time: Number(row.time),
    ...(row.identity_id !== null ? { identity: row.identity_id } : {}),
    correlation: {
      ...(row.request_id !== null ? { requestId: row.request_id } : {}),
      ...(row.trace_id !== null ? { traceId: row.trace_id } : {}),
      ...(row.session_id !== null ? { sessionId: row.session_id } : {}),
    },
    payload: parsePayload(row.payload),
  };
}

export const EVENT_COLUMNS = [
  "events.id",
  "events.kind",
  "events.time",
  "events.identity_id",
  "events.request_id",
  "events.trace_id",
  "events.session_id",
  "events.payload",
] as const;

/** Events by id, in the order asked (missing ones left out). */
export async function eventsById(db: Db, ids: readonly string[]): Promise<Event[]> {
  if (ids.length === 0) return [];
  const byId = new Map<string, Event>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("events")
      .select(EVENT_COLUMNS)
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
    for (const row of rows) byId.set(row.id, toEvent(row));
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The subjects stored for each of these events. */
export async function subjectsByEvent(db: Db, ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("event_subjects")
      .select(["event_id", "subject"])
      .where("event_id", "in", ids.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const set = out.get(row.event_id) ?? new Set();
      set.add(row.subject);
      out.set(row.event_id, set);
    }
  }
  return out;
}

/**
 * Ids of events of these kinds sharing any of these subjects within [from, to], nearest to `from`
 * first (`asc`) or to `to` first: the kind filter keeps a flood of other events sharing the
 * subject (every call to a busy MCP server) from crowding out the one a rule step wants.
 *
 * One query per kind: with several kinds in one query SQLite's planner preferred the (subject,
 * time) key for its order and filtered the kinds row by row, the scan this index exists to avoid.
 */
export async function eventIdsOfKinds(
  db: Db,
  subjects: readonly string[],
  kinds: readonly string[],
  from: number,
  to: number,
  order: "asc" | "desc",
  limit: number,
): Promise<string[]> {
  if (subjects.length === 0 || kinds.length === 0 || from > to) return [];
  const found: { event_id: string; time: number }[] = [];
  for (const kind of new Set(kinds))
    found.push(
      ...(await db
        .selectFrom("event_subjects")
        .select(["event_id", "time"])
        .where("subject", "in", subjects)
        .where("kind", "=", kind)
        .where("time", ">=", from)
        .where("time", "<=", to)
        .orderBy("time", order)
        .limit(limit)
        .execute()),
    );
  if (kinds.length > 1) found.sort((a, b) => (order === "asc" ? 1 : -1) * (Number(a.time) - Number(b.time)));
  return [...new Set(found.slice(0, limit).map((r) => r.event_id))];
}

/**
 * Ids of events sharing any of these subjects within [from, to], nearest to `from` first
 * (`ascending`) or to `to` first: one index range per subject.
 */
export async function eventIdsBySubjects(
  db: Db,
  subjects: readonly string[],
  from: number,
  to: number,
  order: "asc" | "desc",
  limit: number,
): Promise<string[]> {
  if (subjects.length === 0) return [];
  const rows = await db
    .selectFrom("event_subjects")
    .select(["event_id", "time"])
    .where("subject", "in", subjects)
    .where("time", ">=", from)
    .where("time", "<=", to)
    .orderBy("time", order)
    .limit(limit)
    .execute();
  return [...new Set(rows.map((r) => r.event_id))];
}
