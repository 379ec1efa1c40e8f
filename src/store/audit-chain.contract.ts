/**
 * The audit chain's contract, run by the store contract on every dialect: a store written only
 * through appendEvents and pruneEvents verifies, and every kind of tampering with the database
 * behind the store's back is reported, with its kind.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { it } from "node:test";
import fc from "fast-check";
import { Migrator } from "kysely";
import type { Event } from "../core/index.js";
import { chainRowHash, eventRowHash } from "./event-chain.js";
import {
  type AuditAnchor,
  type AuditProblemKind,
  type AuditReport,
  openStore,
  type Store,
  verifyAuditChain,
} from "./index.js";
import { migrationProvider } from "./migrations/index.js";

export interface AuditChainHarness {
  /** Why two store instances in one process cannot write at once here, if they cannot. */
  noInProcessConcurrency?: string;
  withStore(fn: (store: Store, location: string) => Promise<void>, options?: { migrate?: boolean }): Promise<void>;
}

const KINDS = ["gateway.request", "runtime.falco", "mcp.call"] as const;
const COLUMNS = ["id", "kind", "time", "identity_id", "request_id", "trace_id", "session_id", "payload"] as const;

const TAMPERINGS = [
  "edit-column",
  "delete-event",
  "delete-chain-row",
  "swap-contents",
  "swap-chain-order",
  "insert-event",
  "change-prev-hash",
  "change-event-hash",
  "forge-prune",
  "truncate-tail",
] as const;
type Tampering = (typeof TAMPERINGS)[number];

function anEvent(i: number, overrides: Partial<Event> = {}): Event {
  return {
    id: `e-${i}`,
    kind: "gateway.request",
    time: 1_700_000_000_000 + i,
    correlation: { requestId: `r-${i}` },
    payload: { i, text: "héllo \u{1F600}" },
    ...overrides,
  };
}

const kinds = (report: AuditReport) => new Set(report.problems.map((p) => p.kind));

async function clear(store: Store): Promise<void> {
  await store.write(async (trx) => {
    await trx.deleteFrom("event_chain").execute();
    await trx.deleteFrom("incident_events").execute();
    await trx.deleteFrom("events").execute();
  });
}

const eventArbitrary = fc.record({
  kind: fc.constantFrom(...KINDS),
  time: fc.integer({ min: 1, max: 1_000 }),
  identity: fc.option(fc.constantFrom("api-key:alice", "api-key:bob", "ünï\u{1F511}"), { nil: undefined }),
  sessionId: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  payload: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer())),
});

const scenarioArbitrary = fc.record({
  events: fc.array(eventArbitrary, { minLength: 2, maxLength: 30 }),
  batchSizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
  replays: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 })), { maxLength: 3 }),
  prune: fc.option(fc.record({ kind: fc.constantFrom(...KINDS), before: fc.integer({ min: 1, max: 1_000 }) }), {
    nil: undefined,
  }),
  tampering: fc.option(fc.constantFrom(...TAMPERINGS), { nil: undefined, freq: 4 }),
  pick: fc.nat(),
  pick2: fc.nat(),
});

export function runAuditChainContract(harness: AuditChainHarness): void {
  it("chains every appended event once: a replay adds no chain row, and the store verifies", async () => {
    await harness.withStore(async (store) => {
      const events = Array.from({ length: 450 }, (_, i) => anEvent(i));
      await store.appendEvents(events);
      await store.appendEvents([...events.slice(100, 300), anEvent(450), anEvent(450)]);
      const report = await verifyAuditChain(store, { pageSize: 100 });
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
      assert.equal(report.checked, 451);
      assert.equal(report.events, 451);
      assert.equal(report.head?.seq, 451);
      assert.equal(await store.countRows("event_chain"), 451);
    });
  });

  it("tells a retention prune from a deletion, and a replay does not bring pruned events back", async () => {
    await harness.withStore(async (store) => {
      const events = Array.from({ length: 30 }, (_, i) => anEvent(i, { time: 1_000 + i }));
      await store.appendEvents(events);
      assert.equal(await store.pruneEvents({ kind: "gateway.request", before: 1_010 }), 10);
      await store.appendEvents(events);
      assert.equal(await store.countRows("events"), 20, "pruned events are not resurrected by a replay");
      const report = await verifyAuditChain(store);
      assert.deepEqual(report.problems, []);
      assert.deepEqual([report.checked, report.events, report.pruned, report.pruneRuns], [31, 20, 10, 1]);

      // An attacker deletes a newer event and marks it pruned, as retention would.
      await store.write(async (trx) => {
        await trx.deleteFrom("events").where("id", "=", "e-20").execute();
        await trx.updateTable("event_chain").set({ pruned_at: Date.now() }).where("event_id", "=", "e-20").execute();
      });
      const forged = await verifyAuditChain(store);
      assert.deepEqual(
        forged.problems.map((p) => [p.kind, p.eventId]),
        [["unjustified-prune", "e-20"]],
      );
    });
  });

  it("chains events already in the store when it migrates", async () => {
    await harness.withStore(
      async (store) => {
        const migrator = new Migrator({
          db: store.db,
          provider: migrationProvider,
          migrationTableName: "palisade_migrations",
          migrationLockTableName: "palisade_migrations_lock",
        });
        const { error } = await migrator.migrateTo("0003-advisories");
        assert.equal(error, undefined);
        await store.db
          .insertInto("events")
          .values(
            Array.from({ length: 2_500 }, (_, i) => ({
              id: `old-${i}`,
              kind: "gateway.request",
              time: 5_000 - (i % 1_000),
              identity_id: null,
              request_id: `r-${i}`,
              trace_id: null,
              session_id: null,
              payload: JSON.stringify({ i }),
            })),
          )
          .execute();
        await store.migrate();
        await store.appendEvents([anEvent(1)]);
        const report = await verifyAuditChain(store);
        assert.deepEqual(report.problems, []);
        assert.equal(report.checked, 2_501);
        const first = await store.db
          .selectFrom("event_chain")
          .selectAll()
          .where("seq", "=", 1)
          .executeTakeFirstOrThrow();
        assert.equal(Number(first.time), 4_001, "existing events are chained oldest first");
      },
      { migrate: false },
    );
  });

  it("finds every kind of tampering (property), and none in an untouched store", async () => {
    await harness.withStore(async (store) => {
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, async (scenario) => {
          await clear(store);
          const events = scenario.events.map((e, i) =>
            anEvent(i, {
              kind: e.kind,
              time: e.time,
              ...(e.identity === undefined ? {} : { identity: e.identity }),
              correlation: { requestId: `r-${i}`, ...(e.sessionId === undefined ? {} : { sessionId: e.sessionId }) },
              payload: { ...e.payload, i },
            }),
          );
          // Append in batches of random sizes, replaying random earlier slices.
          let at = 0;
          for (let b = 0; at < events.length; b++) {
            const size = scenario.batchSizes[b % scenario.batchSizes.length] ?? 1;
            await store.appendEvents(events.slice(at, at + size));
            at += size;
            const replay = scenario.replays[b];
            if (replay) {
              const from = replay[0] % at;
              await store.appendEvents(events.slice(from, from + replay[1]));
            }
          }
          let pruned = 0;
          if (scenario.prune) pruned = await store.pruneEvents(scenario.prune);
          const head = (await verifyAuditChain(store)).head as AuditAnchor;

          if (!scenario.tampering) {
            const report = await verifyAuditChain(store, { anchors: [head], pageSize: 7 });
            assert.deepEqual(report.problems, []);
            assert.equal(report.events, events.length - pruned);
            assert.equal(report.pruned, pruned);
            return;
          }
          const expected = await tamper(store, scenario.tampering, scenario.pick, scenario.pick2);
          fc.pre(expected !== undefined);
          const report = await verifyAuditChain(store, { anchors: [head], pageSize: 7 });
          assert.equal(report.ok, false, `${scenario.tampering} went unnoticed`);
          assert.ok(
            kinds(report).has(expected as AuditProblemKind),
            `${scenario.tampering}: expected ${expected}, got ${JSON.stringify(report.problems)}`,
          );
        }),
        { numRuns: 80 },
      );
    });
  });

  it("shows a consistently rewritten chain only against an anchor recorded before", async () => {
    await harness.withStore(async (store) => {
      await store.appendEvents(Array.from({ length: 20 }, (_, i) => anEvent(i)));
      const anchor = (await verifyAuditChain(store)).head as AuditAnchor;
      // Edit an event and recompute its hash and every hash after it: no secret stops that.
      await store.write(async (trx) => {
        await trx.updateTable("events").set({ payload: '{"rewritten":true}' }).where("id", "=", "e-5").execute();
        const rows = await trx.selectFrom("event_chain").selectAll().orderBy("seq").execute();
        let prev = "0".repeat(64);
        for (const row of rows) {
          const event = await trx
            .selectFrom("events")
            .selectAll()
            .where("id", "=", row.event_id)
            .executeTakeFirstOrThrow();
          const link = {
            ...row,
            seq: Number(row.seq),
            time: Number(row.time),
            prev_hash: prev,
            event_hash: eventRowHash({ ...event, time: Number(event.time) }),
          };
          prev = chainRowHash(link);
          await trx
            .updateTable("event_chain")
            .set({ prev_hash: link.prev_hash, event_hash: link.event_hash, hash: prev })
            .where("seq", "=", row.seq)
            .execute();
        }
      });
      assert.equal((await verifyAuditChain(store)).ok, true, "the documented limit: without an anchor it passes");
      const report = await verifyAuditChain(store, { anchors: [anchor] });
      assert.deepEqual(
        report.problems.map((p) => [p.kind, p.seq]),
        [["anchor-mismatch", 20]],
      );
    });
  });

  it("takes concurrent appends from two store instances without forking the chain", {
    skip: harness.noInProcessConcurrency,
  }, async () => {
    await harness.withStore(async (store, location) => {
      const other = openStore({ location, sqliteBusyTimeoutMs: 30_000 });
      try {
        const batches = (prefix: string) =>
          Array.from({ length: 20 }, (_, b) =>
            Array.from({ length: 25 }, (_, i) => anEvent(b * 25 + i, { id: `${prefix}-${b}-${i}` })),
          );
        await Promise.all([
          (async () => {
            for (const batch of batches("a")) await store.appendEvents(batch);
          })(),
          (async () => {
            for (const batch of batches("b")) await other.appendEvents(batch);
          })(),
          (async () => {
            for (const batch of batches("a").slice(5, 15)) await other.appendEvents(batch);
          })(),
        ]);
      } finally {
        await other.close();
      }
      const report = await verifyAuditChain(store);
      assert.deepEqual(report.problems, []);
      assert.equal(report.checked, 1_000);
      assert.equal(report.head?.seq, 1_000);
    });
  });
}

/**
 * Apply one tampering through raw queries, as someone with database access would; returns the
 * problem kind verification must report, or undefined when the store has nothing to tamper with.
 */
async function tamper(store: Store, tampering: Tampering, pick: number, pick2: number) {
  const db = store.db;
  const present = await db
    .selectFrom("events")
    .innerJoin("event_chain", "event_chain.event_id", "events.id")
    .selectAll("events")
    .select(["event_chain.seq", "event_chain.hash"])
    .orderBy("event_chain.seq")
    .execute();
  const chain = await db.selectFrom("event_chain").selectAll().orderBy("seq").execute();
  const one = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];
  const victim = one(present, pick);
  switch (tampering) {
    case "edit-column": {
      if (!victim) return undefined;
      const column = one(COLUMNS, pick2) as (typeof COLUMNS)[number];
      const value =
        column === "time"
          ? Number(victim.time) + 1
          : column === "payload"
            ? JSON.stringify({ tampered: victim.payload })
            : `${victim[column] ?? ""}x`;
      await db
        .updateTable("events")
        .set({ [column]: value })
        .where("id", "=", victim.id)
        .execute();
      return column === "id" ? "deleted" : "edited";
    }
    case "delete-event":
      if (!victim) return undefined;
      await db.deleteFrom("events").where("id", "=", victim.id).execute();
      return "deleted";
    case "delete-chain-row":
      if (!victim) return undefined;
      await db.deleteFrom("event_chain").where("seq", "=", victim.seq).execute();
      return "unchained";
    case "swap-contents": {
      const other = one(present, pick2);
      if (!victim || !other || other.id === victim.id) return undefined;
      const { id: _a, seq: _s, hash: _h, ...a } = victim;
      const { id: _b, seq: _t, hash: _i, ...b } = other;
      await db.updateTable("events").set(b).where("id", "=", victim.id).execute();
      await db.updateTable("events").set(a).where("id", "=", other.id).execute();
      return "edited";
    }
    case "swap-chain-order": {
      const a = one(chain, pick);
      const b = one(chain, pick2);
      if (!a || !b || a.seq === b.seq) return undefined;
      await store.write(async (trx) => {
        await trx.updateTable("event_chain").set({ seq: -1 }).where("seq", "=", a.seq).execute();
        await trx.updateTable("event_chain").set({ seq: a.seq }).where("seq", "=", b.seq).execute();
        await trx.updateTable("event_chain").set({ seq: b.seq }).where("seq", "=", -1).execute();
      });
      return "broken-link";
    }
    case "insert-event":
      await db
        .insertInto("events")
        .values({
          id: `planted-${pick}`,
          kind: "gateway.request",
          time: 1,
          identity_id: null,
          request_id: null,
          trace_id: null,
          session_id: null,
          payload: "{}",
        })
        .execute();
      return "unchained";
    case "change-prev-hash": {
      const row = one(chain, pick);
      if (!row) return undefined;
      await db
        .updateTable("event_chain")
        .set({ prev_hash: randomBytes(32).toString("hex") })
        .where("seq", "=", row.seq)
        .execute();
      return "broken-link";
    }
    case "change-event-hash": {
      // Edit an event and record its new hash, as if it had been appended so.
      if (!victim) return undefined;
      const payload = JSON.stringify({ tampered: true });
      await db.updateTable("events").set({ payload }).where("id", "=", victim.id).execute();
      const event_hash = eventRowHash({ ...victim, time: Number(victim.time), payload });
      await db.updateTable("event_chain").set({ event_hash }).where("seq", "=", victim.seq).execute();
      return "forged-hash";
    }
    case "forge-prune": {
      // Delete an event and mark it pruned; only events no recorded retention run reaches are unjustifiable.
      const cutoffs = await db
        .selectFrom("event_chain")
        .select(["kind", "time"])
        .where("entry", "=", "prune")
        .execute();
      const target = present.filter((e) => !cutoffs.some((c) => c.kind === e.kind && Number(e.time) < Number(c.time)));
      const chosen = one(target, pick);
      if (!chosen) return undefined;
      await db.deleteFrom("events").where("id", "=", chosen.id).execute();
      await db.updateTable("event_chain").set({ pruned_at: 1 }).where("seq", "=", chosen.seq).execute();
      return "unjustified-prune";
    }
    case "truncate-tail": {
      const keep = pick % Math.max(chain.length, 1);
      const cut = chain.slice(keep);
      await db.deleteFrom("event_chain").where("seq", ">", keep).execute();
      const ids = cut.map((r) => r.event_id);
      if (ids.length > 0) await db.deleteFrom("events").where("id", "in", ids).execute();
      return "anchor-mismatch";
    }
  }
}
