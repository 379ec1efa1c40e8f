/**
 * The store contract: every dialect runs this same suite (SQLite in store.sqlite.test.ts,
 * PostgreSQL in test/store-postgres.test.ts).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Event } from "../core/index.js";
import { knownMigrations, type Store } from "./index.js";

export interface StoreHarness {
  /** A fresh, empty store location (file path or URL) and its cleanup. */
  create(): Promise<{ location: string; cleanup: () => Promise<void> }>;
  open(location: string): Store;
}

const WRITER = fileURLToPath(new URL("../../test/helpers/store-writer.ts", import.meta.url));

function anEvent(overrides: Partial<Event> = {}): Event {
  return { id: "e-1", kind: "gateway.request", time: 1_700_000_000_000, correlation: {}, payload: {}, ...overrides };
}

export function runStoreContract(name: string, harness: StoreHarness, options: { skip?: string } = {}): void {
  describe(`store contract: ${name}`, { skip: options.skip }, () => {
    async function withStore(fn: (store: Store, location: string) => Promise<void>): Promise<void> {
      const { location, cleanup } = await harness.create();
      const store = harness.open(location);
      try {
        await fn(store, location);
      } finally {
        await store.close();
        await cleanup();
      }
    }

    async function withMigratedStore(fn: (store: Store, location: string) => Promise<void>): Promise<void> {
      await withStore(async (store, location) => {
        await store.migrate();
        await fn(store, location);
      });
    }

    it("migrates up from an empty store and is idempotent", async () => {
      await withStore(async (store) => {
        const before = await store.status();
        assert.deepEqual(before.applied, []);
        assert.deepEqual(before.pending, knownMigrations());
        const first = await store.migrate();
        assert.deepEqual(
          first.map((m) => m.name),
          knownMigrations(),
        );
        assert.ok(first.every((m) => m.status === "applied"));
        const after = await store.status();
        assert.deepEqual(after.pending, []);
        assert.deepEqual(
          after.applied.map((m) => m.name),
          knownMigrations(),
        );
        assert.equal(after.rows.assets, 0);
        assert.deepEqual(await store.migrate(), []);
      });
    });

    it("upserts assets by id, keeping first-seen and refreshing the rest", async () => {
      await withMigratedStore(async (store) => {
        await store.upsertAsset({
          id: "pkg:pypi/torch@2.1.0",
          kind: "component",
          subkind: "library",
          name: "torch",
          version: "2.1.0",
        });
        const first = await store.getAsset("pkg:pypi/torch@2.1.0");
        await store.upsertAsset({
          id: "pkg:pypi/torch@2.1.0",
          kind: "component",
          subkind: "ai-sdk",
          name: "torch",
          version: "2.1.0",
          properties: { source: "requirements.txt" },
        });
        const second = await store.getAsset("pkg:pypi/torch@2.1.0");
        assert.ok(first && second);
        assert.equal(second.subkind, "ai-sdk");
        assert.deepEqual(second.properties, { source: "requirements.txt" });
        assert.equal(second.firstSeen, first.firstSeen);
        assert.equal(typeof second.lastSeen, "number");
        assert.equal(await store.countRows("assets"), 1);
      });
    });

    it("walks the inventory graph: every component reachable from an image, nearest first", async () => {
      await withMigratedStore(async (store) => {
        const assets = [
          { id: "image:app", kind: "image" as const, name: "registry.local/app" },
          { id: "image:base", kind: "image" as const, name: "debian" },
          { id: "pkg:pypi/vllm@0.6.0", kind: "component" as const, name: "vllm" },
          { id: "pkg:pypi/torch@2.4.0", kind: "component" as const, name: "torch" },
          { id: "pkg:deb/debian/openssl@3.0", kind: "component" as const, name: "openssl" },
          { id: "pkg:pypi/unrelated@1", kind: "component" as const, name: "unrelated" },
          { id: "workload:prod/vllm", kind: "workload" as const, name: "vllm" },
        ];
        for (const a of assets) await store.upsertAsset(a);
        await store.addEdge({ src: "workload:prod/vllm", dst: "image:app", kind: "runs" });
        await store.addEdge({ src: "image:app", dst: "image:base", kind: "based-on" });
        await store.addEdge({ src: "image:app", dst: "pkg:pypi/vllm@0.6.0", kind: "contains" });
        await store.addEdge({ src: "pkg:pypi/vllm@0.6.0", dst: "pkg:pypi/torch@2.4.0", kind: "depends-on" });
        await store.addEdge({ src: "image:base", dst: "pkg:deb/debian/openssl@3.0", kind: "contains" });
        // A cycle must not loop forever nor duplicate rows.
        await store.addEdge({ src: "pkg:pypi/torch@2.4.0", dst: "pkg:pypi/vllm@0.6.0", kind: "depends-on" });
        await store.addEdge({ src: "image:app", dst: "pkg:pypi/vllm@0.6.0", kind: "contains" });

        const reached = await store.reachableFrom("image:app");
        assert.deepEqual(
          reached.map((a) => [a.id, a.depth]),
          [
            ["image:base", 1],
            ["pkg:pypi/vllm@0.6.0", 1],
            ["pkg:deb/debian/openssl@3.0", 2],
            ["pkg:pypi/torch@2.4.0", 2],
          ],
        );
        const components = reached.filter((a) => a.kind === "component").map((a) => a.name);
        assert.deepEqual(components.sort(), ["openssl", "torch", "vllm"]);
        const direct = await store.reachableFrom("image:app", { edgeKinds: ["contains"] });
        assert.deepEqual(
          direct.map((a) => a.id),
          ["pkg:pypi/vllm@0.6.0"],
        );
        const fromWorkload = await store.reachableFrom("workload:prod/vllm", { maxDepth: 2 });
        assert.deepEqual(fromWorkload.map((a) => a.id).sort(), ["image:app", "image:base", "pkg:pypi/vllm@0.6.0"]);
      });
    });

    it("records a scan with its findings in one transaction", async () => {
      await withMigratedStore(async (store) => {
        await store.upsertAsset({ id: "model:x", kind: "model-file", name: "x.pt" });
        const scanId = await store.recordScan(
          { kind: "model", target: "x.pt", status: "completed", startedAt: Date.now() },
          [
            {
              ruleId: "pickle-dangerous-callable",
              severity: "critical",
              title: "os.system in pickle",
              detail: "",
              references: [],
              owasp: ["LLM03:2025"],
              atlas: ["AML.T0010"],
              assetId: "model:x",
            },
            {
              ruleId: "pickle-unknown-callable",
              severity: "medium",
              title: "unknown",
              detail: "",
              references: [],
              owasp: [],
              atlas: [],
            },
          ],
        );
        const rows = await store.db
          .selectFrom("findings")
          .selectAll()
          .where("scan_id", "=", scanId)
          .orderBy("severity")
          .execute();
        assert.equal(rows.length, 2);
        assert.deepEqual(
          rows.map((r) => r.severity),
          ["critical", "medium"],
        );
        assert.equal(JSON.parse(rows[0]?.tags ?? "{}").owasp[0], "LLM03:2025");
      });
    });

    it("appends events idempotently, so a replay after an outage does not duplicate them", async () => {
      await withMigratedStore(async (store) => {
        const events = Array.from({ length: 450 }, (_, i) =>
          anEvent({ id: `e-${i}`, time: 1_700_000_000_000 + i, correlation: { requestId: `r-${i % 7}` } }),
        );
        await store.appendEvents(events);
        await store.appendEvents(events.slice(100, 300));
        assert.equal(await store.countRows("events"), 450);
        const row = await store.db.selectFrom("events").selectAll().where("id", "=", "e-449").executeTakeFirstOrThrow();
        assert.equal(Number(row.time), 1_700_000_000_449);
        assert.equal(row.request_id, "r-1");
      });
    });

    it("prunes old events of one kind in batches and keeps those attached to an incident", async () => {
      await withMigratedStore(async (store) => {
        const old = Array.from({ length: 2_300 }, (_, i) =>
          anEvent({ id: `old-${i}`, kind: "gateway.request", time: 1_000 + i }),
        );
        const fresh = Array.from({ length: 10 }, (_, i) =>
          anEvent({ id: `new-${i}`, kind: "gateway.request", time: 50_000 + i }),
        );
        const other = Array.from({ length: 5 }, (_, i) =>
          anEvent({ id: `rt-${i}`, kind: "runtime.falco", time: 1_000 + i }),
        );
        await store.appendEvents([...old, ...fresh, ...other]);
        await store.write(async (trx) => {
          await trx
            .insertInto("incidents")
            .values({
              id: "inc-1",
              title: "t",
              severity: "high",
              status: "open",
              opened_at: 1,
              updated_at: 1,
              root_asset_id: null,
              summary: "{}",
            })
            .execute();
          await trx.insertInto("incident_events").values({ incident_id: "inc-1", event_id: "old-7" }).execute();
        });
        assert.equal(await store.pruneEvents({ kind: "gateway.request", before: 10_000 }), 2_299);
        const left = await store.db.selectFrom("events").select(["id", "kind"]).orderBy("id").execute();
        assert.deepEqual(
          left.filter((r) => r.kind === "gateway.request").map((r) => r.id),
          ["new-0", "new-1", "new-2", "new-3", "new-4", "new-5", "new-6", "new-7", "new-8", "new-9", "old-7"],
        );
        assert.equal(left.filter((r) => r.kind === "runtime.falco").length, 5);
        assert.equal(await store.pruneEvents({ kind: "gateway.request", before: 10_000 }), 0);
      });
    });

    it("rolls back a failed write transaction completely", async () => {
      await withMigratedStore(async (store) => {
        await assert.rejects(
          store.write(async (trx) => {
            await trx
              .insertInto("events")
              .values({
                id: "x",
                kind: "k",
                time: 1,
                identity_id: null,
                request_id: null,
                trace_id: null,
                session_id: null,
                payload: "{}",
              })
              .execute();
            throw new Error("boom");
          }),
          /boom/,
        );
        assert.equal(await store.countRows("events"), 0);
      });
    });

    it("stores API keys by hash, refuses duplicate names and revokes by name or id", async () => {
      await withMigratedStore(async (store) => {
        const created = await store.createApiKey({
          name: "ci",
          prefix: "pal_abcd",
          hash: "h1",
          roles: ["analyst"],
          expiresAt: 1_900_000_000_000,
        });
        await assert.rejects(
          store.createApiKey({ name: "ci", prefix: "pal_x", hash: "h2", roles: [] }),
          /already exists/,
        );
        const found = await store.findApiKeyByHash("h1");
        assert.deepEqual(found?.roles, ["analyst"]);
        assert.equal(found?.expiresAt, 1_900_000_000_000);
        assert.equal(await store.findApiKeyByHash("nope"), undefined);
        assert.equal(await store.revokeApiKey(created.id), true);
        assert.equal(await store.revokeApiKey("ci"), false, "already revoked");
        assert.equal(typeof (await store.findApiKeyByHash("h1"))?.revokedAt, "number");
        assert.deepEqual(
          (await store.listApiKeys()).map((k) => k.name),
          ["ci"],
        );
      });
    });

    it("takes concurrent writes from two processes without losing any", async () => {
      await withMigratedStore(async (store, location) => {
        const perWriter = 150;
        await Promise.all([runWriter(location, perWriter, "a"), runWriter(location, perWriter, "b")]);
        assert.equal(await store.countRows("events"), perWriter * 2);
      });
    });
  });
}

function runWriter(location: string, count: number, prefix: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, location, String(count), prefix], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`writer ${prefix} exited ${code}: ${stderr}`)),
    );
  });
}
