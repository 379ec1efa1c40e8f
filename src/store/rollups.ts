/**
 * Hourly activity rollups (schema.ts, EventRollupsTable): the appended events that carry a
 * verdict, counted per hour along each dimension, added to the stored counts in the append's
 * transaction. Appends are idempotent (an event is appended once), so the counts are exact.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, EventFactColumns, EventRollupsTable, EventsTable } from "./schema.js";

export const ROLLUP_MS = 3_600_000;
const ROWS_PER_UPSERT = 200;

type Db = Kysely<Database> | Transaction<Database>;
type FactRow = Pick<EventsTable, "kind" | "time" | "identity_id"> & EventFactColumns;

/** The rollup rows of these events (those without a verdict count nowhere). */
export function rollupsOf(rows: readonly FactRow[]): EventRollupsTable[] {
  const groups = new Map<string, EventRollupsTable>();
  const add = (
    row: FactRow,
    hour: number,
    dimension: EventRollupsTable["dimension"],
    value: string,
    reason: string,
  ) => {
    const id = JSON.stringify([row.kind, hour, dimension, value, reason]);
    const group = groups.get(id) ?? {
      kind: row.kind,
      hour,
      dimension,
      value,
      reason,
      count: 0,
      blocked: 0,
      tokens: 0,
      latency_ms: 0,
    };
    group.count += 1;
    if (row.verdict === "blocked") group.blocked += 1;
    group.tokens += Number(row.tokens ?? 0);
    group.latency_ms += Number(row.latency_ms ?? 0);
    groups.set(id, group);
  };
  for (const row of rows) {
    if (row.verdict === null) continue;
    const hour = Math.floor(Number(row.time) / ROLLUP_MS) * ROLLUP_MS;
    add(row, hour, "verdict", row.verdict, row.reason ?? "");
    add(row, hour, "identity", row.identity_id ?? "", "");
    // A model counts once the upstream answered (it reported usage): before that the name is only
    // the client's text, and a caller sending made-up names would grow this table without bound.
    add(row, hour, "model", row.tokens === null ? "" : (row.model ?? ""), "");
  }
  return [...groups.values()];
}

/** Add the events' counts to the stored rollups. */
export async function addRollups(db: Db, rows: readonly FactRow[]): Promise<void> {
  const rollups = rollupsOf(rows);
  for (let i = 0; i < rollups.length; i += ROWS_PER_UPSERT)
    await db
      .insertInto("event_rollups")
      .values(rollups.slice(i, i + ROWS_PER_UPSERT))
      .onConflict((oc) =>
        oc.columns(["kind", "hour", "dimension", "value", "reason"]).doUpdateSet((eb) => ({
          count: eb("event_rollups.count", "+", eb.ref("excluded.count")),
          blocked: eb("event_rollups.blocked", "+", eb.ref("excluded.blocked")),
          tokens: eb("event_rollups.tokens", "+", eb.ref("excluded.tokens")),
          latency_ms: eb("event_rollups.latency_ms", "+", eb.ref("excluded.latency_ms")),
        })),
      )
      .execute();
}
