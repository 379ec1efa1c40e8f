/**
 * Verifying the audit chain (event-chain.ts): walks the chain in sequence order, a page at a
 * time, checking each row's links and hashes and the event row it stands for, then looks for
 * event rows that have no chain row. Memory stays bounded whatever the store's size: only the
 * per-kind prune cutoffs and at most `maxProblems` problems are kept.
 *
 * What it proves, and what it cannot: anyone with write access to the database can rewrite the
 * whole chain consistently (there is no secret in it). Only a head recorded outside the store
 * (an anchor: `HASH@SEQ`) shows that: a rewritten or truncated chain no longer passes through it.
 */
import { PalisadeError } from "../core/index.js";
import { chainRowHash, eventRowHash, GENESIS_HASH, pruneEntryHash } from "./event-chain.js";
import type { EventChainTable, EventsTable } from "./schema.js";
import type { Store } from "./store.js";

export const AUDIT_PROBLEM_KINDS = [
  /** The event row no longer matches the hash recorded when it was appended. */
  "edited",
  /** A chain row's event is gone and no retention run accounts for it. */
  "deleted",
  /** An event row with no chain row: written behind the store's back. */
  "unchained",
  /** A row does not follow its predecessor: a sequence gap, or `prev_hash` is not its hash (rows deleted or reordered). */
  "broken-link",
  /** A row's own hash does not match its columns: the chain row itself was edited. */
  "forged-hash",
  /** An event is marked pruned but no recorded retention run of its kind reaches its time. */
  "unjustified-prune",
  /** The chain does not pass through an anchor recorded earlier: rewritten or truncated. */
  "anchor-mismatch",
] as const;
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The chain position concerned, when there is one. */
  seq: number | null;
  eventId: string | null;
  detail: string;
}

/** A chain position recorded outside the store, to check the chain still passes through it. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export interface AuditVerifyOptions {
  anchors?: readonly AuditAnchor[];
  /** Chain rows read per query (default 2,000). */
  pageSize?: number;
  /** Problems kept in the report (default 1,000); the rest are only counted. */
  maxProblems?: number;
}

export interface AuditReport {
  ok: boolean;
  /** Chain rows checked. */
  checked: number;
  /** Events present and matching their hash. */
  events: number;
  /** Events deleted by a recorded retention run. */
  pruned: number;
  /** Retention runs recorded in the chain. */
  pruneRuns: number;
  /** The last row of the chain, to record as an anchor; null for an empty chain. */
  head: AuditAnchor | null;
  /** Anchors given and found on the chain. */
  anchorsMatched: number;
  problems: AuditProblem[];
  /** Problems found beyond `maxProblems`, counted but not listed. */
  omitted: number;
}

type ChainPageRow = EventChainTable & {
  e_id: string | null;
  e_kind: string | null;
  e_time: number | null;
  e_identity_id: string | null;
  e_request_id: string | null;
  e_trace_id: string | null;
  e_session_id: string | null;
  e_payload: string | null;
};

const HASH = /^[0-9a-f]{64}$/;

/** `HASH@SEQ`, as `audit verify` prints a head, into an anchor; throws bad-usage naming the text. */
export function parseAuditAnchor(text: string): AuditAnchor {
  const match = /^([0-9a-fA-F]{64})@(\d{1,15})$/.exec(text.trim());
  const seq = Number(match?.[2]);
  if (!match || seq < 1) {
    throw new PalisadeError("bad-usage", `an anchor is HASH@SEQ (64 hex digits @ a position from 1), got ${text}`, {
      input: text,
    });
  }
  return { hash: (match[1] as string).toLowerCase(), seq };
}

/** Check the audit chain of `store`; never throws for tampering, only for a store it cannot read. */
export async function verifyAuditChain(
  store: Pick<Store, "db">,
  options: AuditVerifyOptions = {},
): Promise<AuditReport> {
  const { db } = store;
  const pageSize = options.pageSize ?? 2_000;
  const maxProblems = options.maxProblems ?? 1_000;
  const problems: AuditProblem[] = [];
  let omitted = 0;
  const report = (problem: AuditProblem) => {
    if (problems.length < maxProblems) problems.push(problem);
    else omitted += 1;
  };

  // Retention runs first (few, by a partial index): the latest cutoff per kind that a sound
  // prune entry records. An entry whose hashes do not hold is reported in the walk and ignored here.
  const cutoffs = new Map<string, number>();
  const prunes = await db.selectFrom("event_chain").selectAll().where("entry", "=", "prune").execute();
  for (const p of prunes) {
    if (p.pruned_at === null || !sound(p) || p.event_hash !== pruneEntryHash({ ...p, pruned_at: p.pruned_at }))
      continue;
    cutoffs.set(p.kind, Math.max(cutoffs.get(p.kind) ?? Number.NEGATIVE_INFINITY, Number(p.time)));
  }

  const anchors = new Map<number, string>();
  for (const a of options.anchors ?? []) anchors.set(a.seq, a.hash.toLowerCase());
  let anchorsMatched = 0;
  let checked = 0;
  let events = 0;
  let pruned = 0;
  let pruneRuns = 0;
  let prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const page = (await db
      .selectFrom("event_chain as c")
      .leftJoin("events as e", "e.id", "c.event_id")
      .selectAll("c")
      .select([
        "e.id as e_id",
        "e.kind as e_kind",
        "e.time as e_time",
        "e.identity_id as e_identity_id",
        "e.request_id as e_request_id",
        "e.trace_id as e_trace_id",
        "e.session_id as e_session_id",
        "e.payload as e_payload",
      ])
      .where("c.seq", ">", prev.seq)
      .orderBy("c.seq")
      .limit(pageSize)
      .execute()) as ChainPageRow[];
    for (const row of page) {
      const seq = Number(row.seq);
      checked += 1;
      const at = { seq, eventId: row.event_id };
      const gap =
        seq !== prev.seq + 1
          ? `positions ${prev.seq + 1}${seq - 1 > prev.seq + 1 ? `..${seq - 1}` : ""} are missing`
          : undefined;
      const unlinked = row.prev_hash !== prev.hash ? `prev_hash is not the hash of position ${prev.seq}` : undefined;
      if (gap || unlinked) report({ kind: "broken-link", ...at, detail: [gap, unlinked].filter(Boolean).join("; ") });
      if (!sound(row)) report({ kind: "forged-hash", ...at, detail: "the row's hash does not match its columns" });

      if (row.entry === "prune") {
        pruneRuns += 1;
        if (row.pruned_at === null || row.event_hash !== pruneEntryHash({ ...row, pruned_at: row.pruned_at }))
          report({ kind: "forged-hash", ...at, detail: "the retention run's record does not match its hash" });
      } else if (row.e_id === null) {
        if (row.pruned_at === null) {
          report({ kind: "deleted", ...at, detail: `${row.kind} event of ${iso(row.time)} is gone` });
        } else if (!(Number(row.time) < (cutoffs.get(row.kind) ?? Number.NEGATIVE_INFINITY))) {
          report({
            kind: "unjustified-prune",
            ...at,
            detail: `${row.kind} event of ${iso(row.time)} is marked pruned, but no recorded retention run of ${row.kind} reaches that time`,
          });
        } else pruned += 1;
      } else if (eventRowHash(toEventRow(row)) !== row.event_hash) {
        report({ kind: "edited", ...at, detail: "the event row differs from the one appended" });
      } else events += 1;

      const anchored = anchors.get(seq);
      if (anchored !== undefined) {
        if (anchored === row.hash) anchorsMatched += 1;
        else
          report({ kind: "anchor-mismatch", ...at, detail: `position ${seq} has hash ${row.hash}, not ${anchored}` });
        anchors.delete(seq);
      }
      prev = { seq, hash: row.hash };
    }
    if (page.length < pageSize) break;
  }
  for (const [seq, hash] of anchors) {
    report({
      kind: "anchor-mismatch",
      seq,
      eventId: null,
      detail:
        seq > prev.seq
          ? `the chain ends at position ${prev.seq}, before anchored position ${seq} (${hash.slice(0, 12)}...): truncated or rewritten`
          : `anchored position ${seq} is missing from the chain`,
    });
  }

  // Event rows no chain row stands for, by id pages.
  let after: string | undefined;
  for (;;) {
    const page = await db
      .selectFrom("events as e")
      .select(["e.id", "e.kind", "e.time"])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("event_chain as c")
              .select("c.seq")
              .whereRef("c.event_id", "=", "e.id")
              .where("c.entry", "=", "event"),
          ),
        ),
      )
      .$if(after !== undefined, (q) => q.where("e.id", ">", after ?? ""))
      .orderBy("e.id")
      .limit(pageSize)
      .execute();
    for (const e of page) {
      report({
        kind: "unchained",
        seq: null,
        eventId: e.id,
        detail: `${e.kind} event of ${iso(e.time)} was not appended through the store`,
      });
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]?.id;
  }

  return {
    ok: problems.length === 0 && omitted === 0,
    checked,
    events,
    pruned,
    pruneRuns,
    head: prev.seq === 0 ? null : { seq: prev.seq, hash: prev.hash },
    anchorsMatched,
    problems,
    omitted,
  };
}

function sound(row: EventChainTable): boolean {
  return HASH.test(row.hash) && chainRowHash({ ...row, seq: Number(row.seq), time: Number(row.time) }) === row.hash;
}

function toEventRow(row: ChainPageRow): EventsTable {
  return {
    id: row.e_id as string,
    kind: row.e_kind as string,
    time: Number(row.e_time),
    identity_id: row.e_identity_id,
    request_id: row.e_request_id,
    trace_id: row.e_trace_id,
    session_id: row.e_session_id,
    payload: row.e_payload as string,
  };
}

function iso(time: number): string {
  const date = new Date(Number(time));
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}
