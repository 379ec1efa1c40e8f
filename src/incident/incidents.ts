/**
 * Incidents in the store: opened or joined by dedup key (one incident per key, reopened when a
 * resolved one matches again), their events, status, owner and history.
 */
import { createHash } from "node:crypto";
import { PalisadeError, SEVERITIES, type Severity, severityRank } from "../core/index.js";
import type { Db } from "./events.js";

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentSummary {
  rule: string;
  description: string;
  /** Event id per rule step, as first matched. */
  steps: Record<string, string>;
  /** The subjects that make up its dedup key (an identity, a workload...). */
  groupedBy: string[];
  /** Events matched so far (a flood of repeats is one incident with a count). */
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  owner: string | null;
  ruleId: string | null;
  openedAt: number;
  updatedAt: number;
  summary: IncidentSummary;
}

export interface HistoryEntry {
  time: number;
  action: string;
  actor: string;
  detail: string;
}

/** An incident's id follows from its key, so two processes matching the same chain name the same incident. */
export const incidentIdOf = (dedupKey: string): string =>
  `INC-${createHash("sha256").update(dedupKey).digest("hex").slice(0, 12)}`;

interface IncidentRow {
  id: string;
  title: string;
  severity: string;
  status: string;
  owner: string | null;
  rule_id: string | null;
  opened_at: number | string;
  updated_at: number | string;
  summary: string;
}

function toIncident(row: IncidentRow): Incident {
  let summary: IncidentSummary;
  try {
    summary = JSON.parse(row.summary) as IncidentSummary;
  } catch {
    summary = {
      rule: row.rule_id ?? "",
      description: "",
      steps: {},
      groupedBy: [],
      count: 0,
      firstSeen: 0,
      lastSeen: 0,
    };
  }
  return {
    id: row.id,
    title: row.title,
    severity: (SEVERITIES as readonly string[]).includes(row.severity) ? (row.severity as Severity) : "info",
    status: (INCIDENT_STATUSES as readonly string[]).includes(row.status) ? (row.status as IncidentStatus) : "open",
    owner: row.owner,
    ruleId: row.rule_id,
    openedAt: Number(row.opened_at),
    updatedAt: Number(row.updated_at),
    summary,
  };
}

const COLUMNS = [
  "id",
  "title",
  "severity",
  "status",
  "owner",
  "rule_id",
  "opened_at",
  "updated_at",
  "summary",
] as const;

export interface MatchToRecord {
  ruleId: string;
  title: string;
  description: string;
  severity: Severity;
  dedupKey: string;
  groupedBy: string[];
  steps: Record<string, string>;
  /** Matched events with their times. */
  events: { id: string; time: number }[];
}

export type IncidentChange = { incident: Incident; change: "opened" | "reopened" | "updated" };

/** Opens the incident for this key, or adds the events to the one it names (reopening it if resolved). */
export async function recordMatch(db: Db, match: MatchToRecord, now: number): Promise<IncidentChange | undefined> {
  const id = incidentIdOf(match.dedupKey);
  const existing = await db.selectFrom("incidents").select(COLUMNS).where("id", "=", id).executeTakeFirst();
  const times = match.events.map((e) => e.time);
  if (!existing) {
    const summary: IncidentSummary = {
      rule: match.ruleId,
      description: match.description,
      steps: match.steps,
      groupedBy: match.groupedBy,
      count: match.events.length,
      firstSeen: Math.min(...times),
      lastSeen: Math.max(...times),
    };
    await db
      .insertInto("incidents")
      .values({
        id,
        title: match.title,
        severity: match.severity,
        status: "open",
        opened_at: now,
        updated_at: now,
        root_asset_id: null,
        summary: JSON.stringify(summary),
        rule_id: match.ruleId,
        dedup_key: match.dedupKey,
        owner: null,
      })
      .execute();
    await linkEvents(db, id, match.events);
    await history(db, id, now, "opened", "correlator", `rule ${match.ruleId}`);
    const incident = await getIncident(db, id);
    return incident && { incident, change: "opened" };
  }
  const linked = await linkEvents(db, id, match.events);
  if (linked === 0) return undefined;
  const incident = toIncident(existing);
  const summary: IncidentSummary = {
    ...incident.summary,
    count: incident.summary.count + linked,
    lastSeen: Math.max(incident.summary.lastSeen, ...times),
  };
  const reopen = incident.status === "resolved";
  const severity = severityRank(match.severity) > severityRank(incident.severity) ? match.severity : incident.severity;
  await db
    .updateTable("incidents")
    .set({ summary: JSON.stringify(summary), updated_at: now, severity, ...(reopen ? { status: "open" } : {}) })
    .where("id", "=", id)
    .execute();
  if (reopen) await history(db, id, now, "reopened", "correlator", `rule ${match.ruleId} matched again`);
  const updated = await getIncident(db, id);
  return updated && { incident: updated, change: reopen ? "reopened" : "updated" };
}

/** Links events to an incident; returns how many were new to it. */
async function linkEvents(db: Db, id: string, events: MatchToRecord["events"]): Promise<number> {
  const ids = [...new Set(events.map((e) => e.id))];
  if (ids.length === 0) return 0;
  const known = await db
    .selectFrom("incident_events")
    .select("event_id")
    .where("incident_id", "=", id)
    .where("event_id", "in", ids)
    .execute();
  const have = new Set(known.map((k) => k.event_id));
  const fresh = ids.filter((e) => !have.has(e));
  if (fresh.length > 0)
    await db
      .insertInto("incident_events")
      .values(fresh.map((event_id) => ({ incident_id: id, event_id })))
      .execute();
  return fresh.length;
}

async function history(db: Db, id: string, time: number, action: string, actor: string, detail: string) {
  await db.insertInto("incident_history").values({ incident_id: id, time, action, actor, detail }).execute();
}

export async function getIncident(db: Db, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom("incidents").select(COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export interface IncidentFilter {
  status?: IncidentStatus[];
  minSeverity?: Severity;
  /** Only these severities (with minSeverity: both must hold). */
  severities?: Severity[];
  limit?: number;
  /** Only incidents listed after this one (opened earlier, or at the same time with a smaller id): the next page. */
  after?: { openedAt: number; id: string };
}

/** Newest first (ties by id, descending), so pages follow each other without gaps or repeats. */
export async function listIncidents(db: Db, filter: IncidentFilter = {}): Promise<Incident[]> {
  let query = db.selectFrom("incidents").select(COLUMNS);
  if (filter.status && filter.status.length > 0) query = query.where("status", "in", filter.status);
  if (filter.minSeverity) {
    const at = SEVERITIES.indexOf(filter.minSeverity);
    query = query.where("severity", "in", SEVERITIES.slice(0, at + 1));
  }
  if (filter.severities)
    query = query.where("severity", "in", filter.severities.length > 0 ? filter.severities : ["-"]);
  const after = filter.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb("opened_at", "<", after.openedAt),
        eb.and([eb("opened_at", "=", after.openedAt), eb("id", "<", after.id)]),
      ]),
    );
  const rows = await query
    .orderBy("opened_at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(toIncident);
}

export async function incidentEventIds(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom("incident_events").select("event_id").where("incident_id", "=", id).execute();
  return rows.map((r) => r.event_id);
}

export async function incidentHistory(db: Db, id: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom("incident_history")
    .select(["time", "action", "actor", "detail"])
    .where("incident_id", "=", id)
    .orderBy("time", "asc")
    .execute();
  return rows.map((r) => ({ ...r, time: Number(r.time) }));
}

/** Sets status and/or owner, recording who did it. */
export async function updateIncident(
  db: Db,
  id: string,
  change: { status?: IncidentStatus; owner?: string | null; note?: string },
  actor: string,
  now: number,
): Promise<Incident> {
  const current = await getIncident(db, id);
  if (!current) throw new PalisadeError("not-found", `no incident ${id}`, { input: id });
  const set: { status?: string; owner?: string | null; updated_at: number } = { updated_at: now };
  if (change.status && change.status !== current.status) set.status = change.status;
  if (change.owner !== undefined && change.owner !== current.owner) set.owner = change.owner;
  await db.updateTable("incidents").set(set).where("id", "=", id).execute();
  if (set.status) await history(db, id, now, set.status, actor, change.note ?? "");
  if (set.owner !== undefined) await history(db, id, now, "assigned", actor, set.owner ?? "(nobody)");
  if (!set.status && set.owner === undefined && change.note) await history(db, id, now, "note", actor, change.note);
  return (await getIncident(db, id)) as Incident;
}
