import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Event } from "../core/index.js";
import { createAuditWriter } from "./audit.js";

const anEvent = (id: string): Event => ({ id, kind: "gateway.request", time: 1, correlation: {}, payload: {} });

describe("audit writer", () => {
  it("spools while the sink fails, replays every spooled batch once it is back, and never duplicates", async () => {
    const stored = new Map<string, Event>();
    let failures = 0;
    let down = true;
    const dir = mkdtempSync(join(tmpdir(), "palisade-audit-"));
    const writer = createAuditWriter({
      sink: {
        async appendEvents(events) {
          // Fail half-way through a replay once, to leave an interrupted `.replaying` file behind.
          if (down || (failures === 0 && events.length > 5)) {
            failures += down ? 0 : 1;
            throw new Error("down");
          }
          for (const e of events) stored.set(e.id, e);
        },
      },
      spoolDir: dir,
      batchSize: 5,
      flushMs: 1000,
    });
    for (let i = 0; i < 12; i++) writer.record(anEvent(`a${i}`));
    await writer.flush();
    assert.equal(writer.stats.spooled, 12);
    down = false;
    writer.record(anEvent("b0"));
    await writer.flush(); // b0 written; the replay of 12 fails once and stays on disk
    assert.ok(existsSync(join(dir, "audit-spool.jsonl.replaying")));
    writer.record(anEvent("b1"));
    await writer.close();
    assert.equal(stored.size, 14);
    assert.equal(writer.stats.replayed, 12);
    assert.ok(!existsSync(join(dir, "audit-spool.jsonl.replaying")));
  });

  it("flushes every queued event on close", async () => {
    const got: string[] = [];
    const writer = createAuditWriter({
      sink: { appendEvents: async (events) => void got.push(...events.map((e) => e.id)) },
      spoolDir: mkdtempSync(join(tmpdir(), "palisade-audit-")),
      batchSize: 1000,
      flushMs: 60_000,
    });
    for (let i = 0; i < 250; i++) writer.record(anEvent(`e${i}`));
    await writer.close();
    assert.equal(got.length, 250);
  });
});
