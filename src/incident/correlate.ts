/**
 * The correlator: reads events in the order the audit chain gives them (after a cursor kept in
 * the store), indexes their subjects, and runs every rule on each. All of one batch happens in
 * one write transaction with the cursor row locked, so several processes over one PostgreSQL
 * take turns: an event is correlated exactly once, whoever ingested it.
 *
 * A rule's steps are found around the event that just arrived, in either direction in time
 * (events do not arrive in order: a sensor's exec can land before the gateway flushes the prompt
 * that caused it), following the joins from step to step on shared subjects.
 */
import { sql, type Transaction } from "kysely";
import type { Event, Severity } from "../core/index.js";
import type { AppendedEvent, Database, Store } from "../store/index.js";
import {
  type Db,
  EVENT_COLUMNS,
  type EventRow,
  eventIdsOfKinds,
  eventsById,
  subjectsByEvent,
  toEvent,
} from "./events.js";
import { type IncidentChange, type MatchToRecord, recordMatch } from "./incidents.js";
import { type ImageSeverityLookup, matches, matchesEvent } from "./match.js";
import type { Rule, RuleSet } from "./rules.js";
import { type SubjectDirectory, type SubjectType, subjectsOf, subjectType } from "./subjects.js";

export interface CorrelatorOptions {
  store: Store;
  rules: RuleSet;
  directory: SubjectDirectory;
  imageSeverity: ImageSeverityLookup;
  /** Cursor name: correlators with different rule sets keep separate positions. */
  name?: string;
  /** Events per transaction (default 500). */
  batchSize?: number;
  now?: () => number;
}

/**
 * Collects the changes of several matches or runs, one per incident, latest state: "opened"
 * (or "reopened") wins over later updates, so an incident opened and then extended is reported
 * as opened, once.
 */
export function keepChange(changes: Map<string, IncidentChange>, change: IncidentChange): void {
  const earlier = changes.get(change.incident.id);
  changes.set(
    change.incident.id,
    earlier && earlier.change !== "updated" ? { ...change, change: earlier.change } : change,
  );
}

export interface CorrelationRun {
  events: number;
  changes: IncidentChange[];
}

/** When an event began: its time less the latency it records (gateway and MCP events are written when they end). */
export function startOf(event: Event): number {
  const latency = event.payload.latencyMs;
  return typeof latency === "number" && latency > 0 && latency < 3_600_000
    ? event.time - Math.ceil(latency)
    : event.time;
}

/**
 * Subject types kept in the index: what traces walk and candidates are judged by, plus every type
 * a loaded rule joins or counts on. The others (`model`, `tool`, `pod`, `node` unless a rule
 * uses them) are derived again from the event when needed; indexing them would cost rows on
 * every event for lookups nobody makes.
 */
const ALWAYS_INDEXED: readonly SubjectType[] = [
  "identity",
  "request",
  "session",
  "trace",
  "mcp",
  "workload",
  "container",
  "image",
];

export function indexedSubjectTypes(rules: RuleSet): ReadonlySet<SubjectType> {
  const types = new Set<SubjectType>(ALWAYS_INDEXED);
  for (const rule of rules.rules) {
    if (rule.threshold) types.add(rule.threshold.by);
    for (const step of rule.steps) for (const t of step.join?.on ?? []) types.add(t);
  }
  return types;
}

/** Subject rows per insert statement: 4 parameters each, well under SQLite's 32,766. */
const SUBJECT_ROWS_PER_INSERT = 2_000;

/** Candidates read per join lookup: enough for real chains, bounded against floods of look-alikes. */
const CANDIDATES = 64;

interface Assigned {
  event: Event;
  subjects: Set<string>;
}

export interface Correlator {
  /** Correlates every event appended since the last run (in batches); returns what changed. */
  run(): Promise<CorrelationRun>;
  /**
   * Correlates events as they are appended, in the append's own transaction
   * (`store.appendEventsWith(events, correlator.appended)`): no second transaction, no reading
   * back. Only when the cursor stands right before them; otherwise (events appended by others
   * wait before them) it does nothing and returns undefined, and `run()` takes them in order.
   */
  appended(trx: Transaction<Database>, rows: readonly AppendedEvent[]): Promise<CorrelationRun | undefined>;
}

export function createCorrelator(options: CorrelatorOptions): Correlator {
  const { store, rules } = options;
  const name = options.name ?? "default";
  const batchSize = options.batchSize ?? 500;
  const now = options.now ?? Date.now;
  const indexed = indexedSubjectTypes(rules);

  async function lockCursor(trx: Db): Promise<number> {
    await trx
      .insertInto("correlation_cursor")
      .values({ name, seq: 0, updated_at: now() })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    // PostgreSQL: the row lock makes other correlators wait their turn (SQLite's write lock already does).
    const locked =
      store.dialect === "postgres"
        ? await sql<{
            seq: string | number;
          }>`select seq from correlation_cursor where name = ${name} for update`.execute(trx)
        : await sql<{ seq: string | number }>`select seq from correlation_cursor where name = ${name}`.execute(trx);
    return Number(locked.rows[0]?.seq ?? 0);
  }

  async function batch(): Promise<CorrelationRun & { more: boolean }> {
    return store.write(async (trx) => {
      const cursor = await lockCursor(trx);
      const rows = await trx
        .selectFrom("event_chain")
        .innerJoin("events", "events.id", "event_chain.event_id")
        .select(["event_chain.seq", ...EVENT_COLUMNS])
        .where("event_chain.seq", ">", cursor)
        .orderBy("event_chain.seq", "asc")
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return { events: 0, changes: [], more: false };
      const changes = await correlateRows(trx, rows);
      return { events: rows.length, changes, more: rows.length === batchSize };
    });
  }

  /** Index the rows' subjects, run every rule on each, and move the cursor past the last. */
  async function correlateRows(trx: Db, rows: readonly (EventRow & { seq: number | string })[]) {
    const events = rows.map(toEvent);
    const subjects = new Map<string, Set<string>>();
    const subjectRows: { subject: string; time: number; event_id: string; kind: string }[] = [];
    for (const event of events) {
      const set = await subjectsOf(trx, event, options.directory);
      subjects.set(event.id, set);
      for (const s of set)
        if (indexed.has(subjectType(s) as SubjectType))
          subjectRows.push({ subject: s, time: event.time, event_id: event.id, kind: event.kind });
    }
    for (let i = 0; i < subjectRows.length; i += SUBJECT_ROWS_PER_INSERT)
      await trx
        .insertInto("event_subjects")
        .values(subjectRows.slice(i, i + SUBJECT_ROWS_PER_INSERT))
        .onConflict((oc) => oc.doNothing())
        .execute();

    const changes = new Map<string, IncidentChange>();
    for (const event of events) {
      const own = subjects.get(event.id) as Set<string>;
      for (const rule of rules.rules) {
        const found = await evaluate(trx, rule, { event, subjects: own });
        if (!found) continue;
        const change = await recordMatch(trx, found, now());
        if (change) keepChange(changes, change);
      }
    }
    const last = Number(rows[rows.length - 1]?.seq);
    await trx
      .updateTable("correlation_cursor")
      .set({ seq: last, updated_at: now() })
      .where("name", "=", name)
      .execute();
    return [...changes.values()];
  }

  /** The chain of a rule that this event completes, if any (it may be any step of it). */
  async function evaluate(trx: Db, rule: Rule, at: Assigned): Promise<MatchToRecord | undefined> {
    for (const [index, step] of rule.steps.entries()) {
      if (!matchesEvent(step.match, at.event, rules.lists)) continue;
      if (!(await matches(trx, step.match, at.event, at.subjects, rules.lists, options.imageSeverity))) continue;
      if (rule.threshold) return threshold(trx, rule, at);
      const chain = await complete(trx, rule, index, at);
      if (chain) return toMatch(rule, chain);
    }
    return undefined;
  }

  /** Assigns the other steps, walking the join tree out from the step this event took. */
  async function complete(trx: Db, rule: Rule, start: number, at: Assigned): Promise<Assigned[] | undefined> {
    const assigned = new Array<Assigned | undefined>(rule.steps.length);
    assigned[start] = at;
    const queue = [start];
    while (queue.length > 0) {
      const from = queue.shift() as number;
      const here = assigned[from] as Assigned;
      for (const [to, step] of rule.steps.entries()) {
        if (assigned[to]) continue;
        const parent = step.join ? rule.steps.findIndex((s) => s.name === step.join?.step) : -1;
        const other = rule.steps[from]?.join;
        const childOfHere = parent === from;
        const parentOfHere = other !== undefined && rule.steps[to]?.name === other.step;
        if (!childOfHere && !parentOfHere) continue;
        const on = (childOfHere ? step.join?.on : other?.on) ?? [];
        const found = await candidate(trx, rule, to, here, on, to > from ? "after" : "before", assigned);
        if (!found) return undefined;
        assigned[to] = found;
        queue.push(to);
      }
    }
    const chain = assigned.filter((a): a is Assigned => a !== undefined);
    if (chain.length !== rule.steps.length) return undefined;
    // A step may end after the next one starts: a tool call is recorded when it answers, after
    // the shell its server ran. Order is checked on each event's start against the next's end.
    for (let i = 1; i < chain.length; i++)
      if ((chain[i] as Assigned).event.time < startOf((chain[i - 1] as Assigned).event)) return undefined;
    const first = Math.min(...chain.map((a) => startOf(a.event)));
    const last = Math.max(...chain.map((a) => a.event.time));
    return last - first <= rule.window ? chain : undefined;
  }

  /** The nearest event before/after `here` sharing a joined subject that the step's match takes. */
  async function candidate(
    trx: Db,
    rule: Rule,
    stepIndex: number,
    here: Assigned,
    on: readonly SubjectType[],
    direction: "before" | "after",
    assigned: readonly (Assigned | undefined)[],
  ): Promise<Assigned | undefined> {
    const step = rule.steps[stepIndex];
    if (!step) return undefined;
    const shared = [...here.subjects].filter((s) => on.includes(subjectType(s) as SubjectType));
    // The expected side of `here` first, nearest first; then the other side, since a step may
    // be written after the next one began (see `complete`, which settles the order).
    const t = here.event.time;
    const kinds = step.match.kinds;
    const near =
      direction === "before"
        ? [
            ...(await eventIdsOfKinds(trx, shared, kinds, t - rule.window, t, "desc", CANDIDATES)),
            ...(await eventIdsOfKinds(trx, shared, kinds, t + 1, t + rule.window, "asc", CANDIDATES)),
          ]
        : [
            ...(await eventIdsOfKinds(trx, shared, kinds, t, t + rule.window, "asc", CANDIDATES)),
            ...(await eventIdsOfKinds(trx, shared, kinds, t - rule.window, t - 1, "desc", CANDIDATES)),
          ];
    const ids = [...new Set(near)];
    const taken = new Set(assigned.flatMap((a) => (a ? [a.event.id] : [])));
    const fresh = ids.filter((id) => !taken.has(id));
    const events = await eventsById(trx, fresh);
    const subjects = await subjectsByEvent(trx, fresh);
    for (const event of events) {
      if (!matchesEvent(step.match, event, rules.lists)) continue;
      const set = subjects.get(event.id) ?? new Set<string>();
      if (await matches(trx, step.match, event, set, rules.lists, options.imageSeverity))
        return { event, subjects: set };
    }
    return undefined;
  }

  /** One-step rules with a threshold: N matches sharing a subject within the window. */
  async function threshold(trx: Db, rule: Rule, at: Assigned): Promise<MatchToRecord | undefined> {
    const by = rule.threshold?.by as SubjectType;
    const count = rule.threshold?.count as number;
    const groups = [...at.subjects].filter((s) => subjectType(s) === by);
    const step = rule.steps[0];
    if (!step) return undefined;
    for (const group of groups) {
      const key = `${rule.id}|${group}`;
      const open = await trx
        .selectFrom("incidents")
        .select("status")
        .where("dedup_key", "=", key)
        .where("status", "!=", "resolved")
        .executeTakeFirst();
      if (open) return thresholdMatch(rule, key, [group], [at]);
      const t = at.event.time;
      const ids = await eventIdsOfKinds(trx, [group], step.match.kinds, t - rule.window, t, "desc", count * 8);
      const events = await eventsById(trx, ids);
      const hits = events.filter((e) => matchesEvent(step.match, e, rules.lists));
      if (hits.length >= count)
        return thresholdMatch(
          rule,
          key,
          [group],
          hits.map((event) => ({ event, subjects: new Set() })),
        );
    }
    return undefined;
  }

  function thresholdMatch(rule: Rule, key: string, groupedBy: string[], hits: Assigned[]): MatchToRecord {
    const first = hits.reduce((a, b) => (b.event.time < a.event.time ? b : a));
    return {
      ruleId: rule.id,
      title: rule.title,
      description: rule.description,
      severity: rule.severity as Severity,
      dedupKey: key,
      groupedBy,
      steps: { [rule.steps[0]?.name ?? "match"]: first.event.id },
      events: hits.map((h) => ({ id: h.event.id, time: h.event.time })),
    };
  }

  function toMatch(rule: Rule, chain: Assigned[]): MatchToRecord {
    const first = chain[0] as Assigned;
    const groupedBy = rule.groupBy
      ? [...first.subjects].filter((s) => rule.groupBy?.includes(subjectType(s) as SubjectType)).sort()
      : [];
    const dedupKey = rule.groupBy ? `${rule.id}|${groupedBy.join("|")}` : `${rule.id}|event:${first.event.id}`;
    return {
      ruleId: rule.id,
      title: rule.title,
      description: rule.description,
      severity: rule.severity,
      dedupKey,
      groupedBy,
      steps: Object.fromEntries(rule.steps.map((s, i) => [s.name, (chain[i] as Assigned).event.id])),
      events: chain.map((a) => ({ id: a.event.id, time: a.event.time })),
    };
  }

  return {
    async appended(trx, rows) {
      const first = rows[0];
      if (!first) return { events: 0, changes: [] };
      if ((await lockCursor(trx)) !== first.seq - 1) return undefined;
      return { events: rows.length, changes: await correlateRows(trx, rows) };
    },
    async run() {
      let total = 0;
      const changes = new Map<string, IncidentChange>();
      for (;;) {
        const result = await batch();
        total += result.events;
        for (const change of result.changes) keepChange(changes, change);
        if (!result.more) return { events: total, changes: [...changes.values()] };
      }
    },
  };
}
