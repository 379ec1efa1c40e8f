import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import type { Event } from "../src/core/index.js";
import { openStore } from "../src/store/index.js";
import { runCli } from "./helpers/cli.js";

const event = (i: number): Event => ({
  id: `ev-${i}`,
  kind: "gateway.request",
  time: 1_700_000_000_000 + i * 1_000,
  identity: "api-key:alice",
  correlation: { requestId: `r-${i}` },
  payload: { model: "llama3.1", decision: "allow" },
});

/** A store with 50 events appended through the store, and (unless told) 10 of them pruned by retention. */
async function aStore(options: { prune?: boolean } = {}): Promise<string> {
  const db = join(await mkdtemp(join(tmpdir(), "palisade-audit-")), "palisade.db");
  const store = openStore({ location: db });
  try {
    await store.migrate();
    await store.appendEvents(Array.from({ length: 50 }, (_, i) => event(i)));
    if (options.prune ?? true) await store.pruneEvents({ kind: "gateway.request", before: 1_700_000_010_000 });
  } finally {
    await store.close();
  }
  return db;
}

interface Report {
  ok: boolean;
  checked: number;
  pruned: number;
  head: { seq: number; hash: string };
  problems: { kind: string; seq: number | null; eventId: string | null }[];
}

function sqlite(db: string, statement: string): void {
  const handle = new BetterSqlite3(db);
  try {
    handle.prepare(statement).run();
  } finally {
    handle.close();
  }
}

describe("palisade audit verify", () => {
  it("passes an untouched store, prints its head, and checks the chain still passes through it", async () => {
    const db = await aStore();
    const table = await runCli(["audit", "verify", "--db", db]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /result: +ok: no tampering found/);
    assert.match(table.stdout, /pruned by retention: +10 event\(s\) in 1 run\(s\)/);
    const json = await runCli(["audit", "verify", "--db", db, "--format", "json"]);
    const report = JSON.parse(json.stdout) as Report;
    assert.deepEqual([report.ok, report.checked, report.pruned, report.head.seq], [true, 51, 10, 51]);
    assert.match(table.stdout, new RegExp(`head: +${report.head.hash}@51`));

    const anchors = join(db, "..", "anchors.txt");
    await writeFile(anchors, `# recorded yesterday\n${report.head.hash}@51\n`);
    const anchored = await runCli(["audit", "verify", "--db", db, "--anchors", anchors, "--format", "json"]);
    assert.equal(anchored.code, 0, anchored.stderr);
  });

  it("exits 1 naming each problem when events are edited, deleted or planted behind the store's back", async () => {
    const db = await aStore();
    sqlite(db, `update events set payload = '{"model":"llama3.1","decision":"deny"}' where id = 'ev-20'`);
    sqlite(db, "delete from events where id = 'ev-30'");
    sqlite(db, `insert into events (id, kind, time, payload) values ('ev-planted', 'gateway.request', 1, '{}')`);
    const result = await runCli(["audit", "verify", "--db", db]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /TAMPERED: 3 problem\(s\)/);
    assert.match(result.stdout, /edited +21 +ev-20/);
    assert.match(result.stdout, /deleted +31 +ev-30/);
    assert.match(result.stdout, /unchained +ev-planted/);
    assert.match(result.stderr, /^palisade: audit chain: 3 problem\(s\) found/);

    const json = await runCli(["audit", "verify", "--db", db, "--format", "json"]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as Report;
    assert.deepEqual(
      report.problems.map((p) => [p.kind, p.eventId]),
      [
        ["edited", "ev-20"],
        ["deleted", "ev-30"],
        ["unchained", "ev-planted"],
      ],
    );
  });

  it("exits 1 when the tail was cut off and an earlier head is expected", async () => {
    const db = await aStore({ prune: false });
    const before = JSON.parse((await runCli(["audit", "verify", "--db", db, "--format", "json"])).stdout) as Report;
    sqlite(db, "delete from events where id in (select event_id from event_chain where seq > 45)");
    sqlite(db, "delete from event_chain where seq > 45");
    assert.equal((await runCli(["audit", "verify", "--db", db])).code, 0, "a clean cut is invisible without an anchor");
    const result = await runCli(["audit", "verify", "--db", db, "--expect", `${before.head.hash}@${before.head.seq}`]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /anchor-mismatch +50 .*chain ends at position 45/);
  });

  it("reports a cut that took a retention run's record with it: its pruned events are unaccounted for", async () => {
    const db = await aStore();
    sqlite(db, "delete from events where id in (select event_id from event_chain where seq > 45)");
    sqlite(db, "delete from event_chain where seq > 45");
    const result = await runCli(["audit", "verify", "--db", db, "--format", "json"]);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(new Set(report.problems.map((p) => p.kind)), new Set(["unjustified-prune"]));
    assert.equal(report.problems.length, 10);
  });

  it("exits 2 on a malformed anchor, a missing store or a store without the chain", async () => {
    const db = await aStore();
    const bad = await runCli(["audit", "verify", "--db", db, "--expect", "abc@1"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^palisade: an anchor is HASH@SEQ .*abc@1\n$/);
    const missing = await runCli(["audit", "verify", "--db", join(db, "..", "nope.db")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no store at .*nope\.db/);
    const empty = join(db, "..", "empty.db");
    sqlite(empty, "create table t (x)");
    const old = await runCli(["audit", "verify", "--db", empty]);
    assert.equal(old.code, 2, old.stderr);
    assert.match(old.stderr, /no audit chain yet: run `palisade db migrate`/);
  });
});
