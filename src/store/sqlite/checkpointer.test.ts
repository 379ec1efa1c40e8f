import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openStore } from "../open.js";

const events = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `e-${from + i}`,
    kind: "runtime.exec",
    time: 1_800_000_000_000 + from + i,
    correlation: {},
    payload: { binary: "/usr/bin/python3", args: ["x".repeat(200)] },
  }));

describe("background WAL checkpoints", () => {
  it("copy what the writer commits into the database file without the writer doing it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-checkpoint-"));
    const path = join(dir, "palisade.db");
    const store = openStore({ location: path, sqliteBackgroundCheckpoints: true });
    try {
      await store.migrate();
      await new Promise((r) => setTimeout(r, 1500));
      const before = statSync(path).size;
      // ~2 MB of events: far below the writer's own threshold (~256 MiB of WAL), so only the thread checkpoints.
      for (let i = 0; i < 5; i++) await store.appendEvents(events(i * 1000, 1000));
      assert.equal(statSync(path).size, before, "the writer itself did not checkpoint");
      const deadline = Date.now() + 10_000;
      while (statSync(path).size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(statSync(path).size > before, "the background thread copied the WAL into the file");
      assert.equal(await store.countRows("events"), 5000);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
