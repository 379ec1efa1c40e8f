import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Event } from "../src/core/index.js";
import { createWorkerEventWriter, openStore } from "../src/store/index.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

const event = (i: number, time = 1_000 + i): Event => ({
  id: `ev-${i}`,
  kind: "gateway.request",
  time,
  correlation: { requestId: `r-${i}` },
  payload: { n: i, text: "héllo" },
});

async function exercise(location: string): Promise<void> {
  const writer = createWorkerEventWriter({ location });
  const store = openStore({ location });
  try {
    await store.migrate();
    await writer.appendEvents(Array.from({ length: 300 }, (_, i) => event(i)));
    // A replay of the same events is idempotent, as with the store itself.
    await writer.appendEvents(Array.from({ length: 50 }, (_, i) => event(i)));
    assert.equal(await store.countRows("events"), 300);
    const row = await store.db.selectFrom("events").selectAll().where("id", "=", "ev-7").executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.payload), { n: 7, text: "héllo" });
    assert.equal(await writer.pruneEvents({ kind: "gateway.request", before: 1_100 }), 100);
    assert.equal(await store.countRows("events"), 200);
  } finally {
    await writer.close();
    await store.close();
  }
  await assert.rejects(writer.appendEvents([event(999)]), /closed/);
}

describe("event writer in a worker thread", () => {
  it("appends and prunes in SQLite, idempotently, and commits before resolving", async () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-ew-"));
    try {
      await exercise(join(dir, "palisade.db"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("appends and prunes in PostgreSQL", { skip: postgresSkipReason() }, async () => {
    const db = await createTempDatabase();
    try {
      await exercise(db.url);
    } finally {
      await db.drop();
    }
  });

  it("rejects while the store cannot be opened and succeeds once it can", async () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-ew-"));
    const sub = join(dir, "later");
    const location = join(sub, "palisade.db");
    const writer = createWorkerEventWriter({ location });
    try {
      // A file stands where the store's directory should be: the store cannot be opened.
      writeFileSync(sub, "not a directory");
      await assert.rejects(writer.appendEvents([event(1)]), (error: Error) =>
        /palisade\.db|directory|open/i.test(error.message),
      );
      rmSync(sub);
      await writer.appendEvents([event(1), event(2)]);
      const store = openStore({ location });
      try {
        assert.equal(await store.countRows("events"), 2);
      } finally {
        await store.close();
      }
    } finally {
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
