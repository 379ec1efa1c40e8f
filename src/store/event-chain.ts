/**
 * The audit chain's format and how the store extends it. Every appended event gets a chain row
 * in the same write transaction: `event_hash` is the SHA-256 of the event row exactly as stored,
 * `hash` the SHA-256 of the previous row's hash and every column of this row but `pruned_at`.
 * Retention marks an event's chain row `pruned_at` and appends a `prune` entry saying which kind
 * it deleted up to which time, so a legitimate prune can be told from a deletion.
 *
 * The serialisations below are the chain's on-disk format (version 1): changing one makes every
 * stored chain fail verification, so a new format needs a new version tag and a migration.
 */
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import { type Event, eventFacts } from "../core/index.js";
import type { Database, EventChainTable, EventFactColumns, EventsTable } from "./schema.js";

/** The previous hash of the first row. */
export const GENESIS_HASH = "0".repeat(64);
/** Rows per INSERT statement (9 columns: well under SQLite's and PostgreSQL's parameter limits). */
const INSERT_BATCH = 200;

export type ChainEntry = Pick<EventChainTable, "entry" | "event_id" | "kind" | "time" | "event_hash" | "pruned_at">;
export type ChainLink = Pick<EventChainTable, "seq" | "prev_hash"> & Omit<ChainEntry, "pruned_at">;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * A string as the store can keep it: both drivers write UTF-8, which turns a lone surrogate into
 * U+FFFD, and PostgreSQL refuses a NUL in a text column (a whole batch with it), so NUL becomes
 * U+FFFD too. The value hashed on append is then the value read when verifying.
 */
export function toStoredText(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed().replaceAll("\u0000", "\ufffd");
}

/** The event row appendEvents writes for an event. */
export function toEventRow(event: Event): EventsTable & EventFactColumns {
  const text = (value: string | undefined) => (value === undefined || value === null ? null : toStoredText(value));
  const facts = eventFacts(event.kind, event.payload);
  return {
    verdict: facts.verdict,
    reason: facts.reason === null ? null : toStoredText(facts.reason),
    model: facts.model === null ? null : toStoredText(facts.model),
    tokens: facts.tokens,
    latency_ms: facts.latencyMs,
    id: toStoredText(event.id),
    kind: toStoredText(event.kind),
    time: event.time,
    identity_id: text(event.identity),
    request_id: text(event.correlation.requestId),
    trace_id: text(event.correlation.traceId),
    session_id: text(event.correlation.sessionId),
    payload: JSON.stringify(event.payload),
  };
}

/**
 * SHA-256 of an event row: every column in a fixed order. The short columns and the payload's
 * length form a JSON array, then the payload follows as it is (JSON-escaping a large payload
 * again would cost more than hashing it); the prefix is self-delimiting, so the form is unambiguous.
 */
export function eventRowHash(row: EventsTable): string {
  const head = JSON.stringify([
    "event/1",
    row.id,
    row.kind,
    Number(row.time),
    row.identity_id,
    row.request_id,
    row.trace_id,
    row.session_id,
    row.payload.length,
  ]);
  return createHash("sha256").update(head, "utf8").update(row.payload, "utf8").digest("hex");
}

/** The `event_hash` of a prune entry: what it deleted (kind, cutoff) and when it ran. */
export function pruneEntryHash(entry: { event_id: string; kind: string; time: number; pruned_at: number }): string {
  return sha256(JSON.stringify(["prune/1", entry.event_id, entry.kind, Number(entry.time), Number(entry.pruned_at)]));
}

/** The hash of a chain row: its predecessor's hash and every column but `pruned_at`. */
export function chainRowHash(link: ChainLink): string {
  return sha256(
    JSON.stringify([
      "chain/1",
      link.prev_hash,
      Number(link.seq),
      link.entry,
      link.event_id,
      link.kind,
      Number(link.time),
      link.event_hash,
    ]),
  );
}

export function eventEntry(row: EventsTable): ChainEntry {
  return {
    entry: "event",
    event_id: row.id,
    kind: row.kind,
    time: row.time,
    event_hash: eventRowHash(row),
    pruned_at: null,
  };
}

export function pruneEntry(prune: { id: string; kind: string; before: number; at: number }): ChainEntry {
  const base = { event_id: prune.id, kind: prune.kind, time: prune.before, pruned_at: prune.at };
  return { entry: "prune", ...base, event_hash: pruneEntryHash(base) };
}

/**
 * Append `entries` to the chain after its current head. The caller holds the write lock that
 * serialises chain extension (SQLite's write transaction; PostgreSQL's chain lock), so the head
 * read here is still the head when the rows commit.
 */
export async function extendChain(
  trx: Transaction<Database> | Kysely<Database>,
  entries: readonly ChainEntry[],
): Promise<EventChainTable[]> {
  if (entries.length === 0) return [];
  const head = await trx
    .selectFrom("event_chain")
    .select(["seq", "hash"])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  let seq = head ? Number(head.seq) : 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const rows: EventChainTable[] = entries.map((entry) => {
    seq += 1;
    const link = { ...entry, seq, prev_hash: prev };
    prev = chainRowHash(link);
    return { ...link, hash: prev };
  });
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await trx
      .insertInto("event_chain")
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  }
  return rows;
}

/**
 * Ids among `ids` that already have a chain row: stored events, and events retention pruned (a
 * replay must not bring those back, nor chain them twice).
 */
export async function chainedIds(trx: Transaction<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx
    .selectFrom("event_chain")
    .select("event_id")
    .where("event_id", "in", [...ids])
    .execute();
  return new Set(rows.map((r) => r.event_id));
}

/** Mark the chain rows of events retention deleted. */
export async function markPruned(trx: Transaction<Database>, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable("event_chain")
    .set({ pruned_at: at })
    .where("event_id", "in", [...ids])
    .where("entry", "=", "event")
    .execute();
}

/** Serialise chain extension across processes: PostgreSQL's transaction-scoped advisory lock. */
export async function lockChain(trx: Transaction<Database>, statement: string | undefined): Promise<void> {
  if (statement) await sql.raw(statement).execute(trx);
}
