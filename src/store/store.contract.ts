/**
 * The store contract: every dialect runs this same suite (SQLite in store.sqlite.test.ts,
 * PostgreSQL in test/store-postgres.test.ts).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Event, PalisadeError } from "../core/index.js";
import { matchPackage, type OsvAdvisory } from "../vuln/index.js";
import { runAuditChainContract } from "./audit-chain.contract.js";
import { advisoryIndexFor, knownMigrations, type Store, verifyAuditChain } from "./index.js";

export interface StoreHarness {
  /** A fresh, empty store location (file path or URL) and its cleanup. */
  create(): Promise<{ location: string; cleanup: () => Promise<void> }>;
  open(location: string): Store;
}

const WRITER = fileURLToPath(new URL("../../test/helpers/store-writer.ts", import.meta.url));

function anEvent(overrides: Partial<Event> = {}): Event {
  return { id: "e-1", kind: "gateway.request", time: 1_700_000_000_000, correlation: {}, payload: {}, ...overrides };
}

/** An OSV advisory affecting `packages` (ecosystem, name) from version 0 up to `fixed`. */
function anAdvisory(
  id: string,
  options: { modified?: string; packages?: [string, string][]; fixed?: string; extra?: Record<string, unknown> } = {},
): OsvAdvisory {
  return {
    id,
    modified: options.modified ?? "2024-01-01T00:00:00Z",
    affected: (options.packages ?? [["PyPI", "demo"]]).map(([ecosystem, name]) => ({
      package: { ecosystem, name },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: options.fixed ?? "2.0" }] }],
    })),
    ...options.extra,
  };
}

const ids = (advisories: readonly OsvAdvisory[]) => advisories.map((a) => a.id);

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

    it("records a scan's inventory in one go, and the same record again adds no row", async () => {
      await withMigratedStore(async (store) => {
        const record = (id: string, startedAt: number) => ({
          scan: { id, kind: "image", target: "image:sha256:aa", status: "completed" as const, startedAt },
          assets: [
            { id: "image:sha256:aa", kind: "image" as const, name: "app", digest: "sha256:aa" },
            { id: "pkg:pypi/jinja2@2.10", kind: "component" as const, subkind: "library", name: "jinja2" },
            { id: "vuln:CVE-2019-10906", kind: "vulnerability" as const, name: "CVE-2019-10906" },
            // The same id twice in one batch is one row (PostgreSQL refuses to upsert a row twice per statement).
            { id: "pkg:pypi/jinja2@2.10", kind: "component" as const, subkind: "ai-sdk", name: "jinja2" },
          ],
          edges: [
            { src: "image:sha256:aa", dst: "pkg:pypi/jinja2@2.10", kind: "contains", properties: { layer: 1 } },
            { src: "pkg:pypi/jinja2@2.10", dst: "vuln:CVE-2019-10906", kind: "affected-by" },
            { src: "image:sha256:aa", dst: "pkg:pypi/jinja2@2.10", kind: "contains", properties: { layer: 2 } },
          ],
          findings: [
            {
              ruleId: "CVE-2019-10906",
              severity: "high" as const,
              title: "CVE-2019-10906 in jinja2 2.10",
              detail: "",
              references: [],
              owasp: [],
              atlas: [],
              assetId: "pkg:pypi/jinja2@2.10",
            },
          ],
        });
        const counts = async () =>
          Promise.all((["assets", "edges", "scans", "findings"] as const).map((t) => store.countRows(t)));
        assert.deepEqual(await store.recordInventory(record("scan-1", 1_000)), { scanId: "scan-1", created: true });
        assert.deepEqual(await counts(), [3, 2, 1, 1]);
        assert.equal((await store.getAsset("pkg:pypi/jinja2@2.10"))?.subkind, "ai-sdk");
        const edge = await store.db.selectFrom("edges").selectAll().where("kind", "=", "contains").executeTakeFirst();
        assert.deepEqual(JSON.parse(edge?.properties ?? "{}"), { layer: 2 });

        assert.deepEqual(await store.recordInventory(record("scan-1", 2_000)), { scanId: "scan-1", created: false });
        assert.deepEqual(await counts(), [3, 2, 1, 1]);
        const scan = await store.db.selectFrom("scans").selectAll().executeTakeFirstOrThrow();
        assert.equal(Number(scan.started_at), 2_000, "a rescan says when the result was last seen");
        const finding = await store.db.selectFrom("findings").selectAll().executeTakeFirstOrThrow();
        assert.equal(finding.scan_id, "scan-1");
        assert.equal(finding.asset_id, "pkg:pypi/jinja2@2.10");

        assert.deepEqual(await store.recordInventory(record("scan-2", 3_000)), { scanId: "scan-2", created: true });
        assert.deepEqual(await counts(), [3, 2, 2, 2]);
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

    it("imports advisories incrementally: adds, skips copies not newer, replaces and re-indexes newer ones", async () => {
      await withMigratedStore(async (store) => {
        const first = [
          anAdvisory("PYSEC-1", { packages: [["PyPI", "Foo_Bar"]] }),
          anAdvisory("GHSA-2", { packages: [["npm", "left-pad"]], modified: "2024-03-01T00:00:00.123Z" }),
        ];
        assert.deepEqual(await store.importAdvisories(first), { added: 2, replaced: 0, skipped: 0, rejected: [] });
        assert.deepEqual(ids(await store.advisoriesFor("PyPI", "foo.bar")), ["PYSEC-1"], "PEP 503 names");
        assert.deepEqual(await store.importAdvisories(first), { added: 0, replaced: 0, skipped: 2, rejected: [] });
        const older = anAdvisory("GHSA-2", { packages: [["npm", "other"]], modified: "2024-03-01T00:00:00.122Z" });
        const newer = anAdvisory("PYSEC-1", { packages: [["PyPI", "baz"]], modified: "2024-01-01T00:00:00.001Z" });
        assert.deepEqual(await store.importAdvisories([older, newer]), {
          added: 0,
          replaced: 1,
          skipped: 1,
          rejected: [],
        });
        assert.deepEqual(await store.advisoriesFor("PyPI", "foo-bar"), [], "the replaced copy's packages are gone");
        assert.deepEqual(await store.advisoriesFor("PyPI", "BAZ"), [newer]);
        assert.deepEqual(await store.advisoriesFor("npm", "left-pad"), [first[1]]);
        assert.deepEqual(await store.advisoriesFor("npm", "other"), []);
        assert.equal(await store.countRows("advisories"), 2);
        assert.equal(await store.countRows("advisory_packages"), 2);
      });
    });

    it("keeps the latest of several copies of one id given in the same import, in any batch", async () => {
      await withMigratedStore(async (store) => {
        const copies = [
          anAdvisory("A-1", { modified: "2024-02-01T00:00:00Z", fixed: "2" }),
          anAdvisory("A-1", { modified: "2024-03-01T00:00:00Z", fixed: "3" }),
          anAdvisory("A-1", { modified: "2024-01-01T00:00:00Z", fixed: "1" }),
        ];
        assert.deepEqual(await store.importAdvisories(copies), { added: 1, replaced: 0, skipped: 2, rejected: [] });
        const reversed = [...copies].reverse().map((a) => ({ ...a, id: "B-1" }));
        const progress: number[] = [];
        const result = await store.importAdvisories(reversed, { batchSize: 1, onProgress: (n) => progress.push(n) });
        assert.deepEqual(result, { added: 1, replaced: 1, skipped: 1, rejected: [] });
        assert.deepEqual(progress, [1, 2, 3]);
        for (const id of ["A-1", "B-1"]) {
          const [held] = (await store.advisoriesFor("PyPI", "demo")).filter((a) => a.id === id);
          assert.equal(held?.modified, "2024-03-01T00:00:00Z", id);
        }
      });
    });

    it("keeps every field of an advisory, unknown ones and any Unicode included, and withdrawn ones", async () => {
      await withMigratedStore(async (store) => {
        const advisory = anAdvisory("GHSA-uni", {
          extra: {
            summary: "Ünïcödé 🚀 \u0000 zero byte and \t tab",
            withdrawn: "2024-05-01T00:00:00Z",
            database_specific: { nested: { list: [1, "two", null, true] } },
            x_future_field: { kept: "yes" },
          },
        });
        await store.importAdvisories([advisory]);
        assert.deepEqual(await store.advisoriesFor("PyPI", "demo"), [advisory]);
      });
    });

    it("looks packages up by ecosystem base and source package, and preloads a matcher index", async () => {
      await withMigratedStore(async (store) => {
        await store.importAdvisories([
          anAdvisory("DSA-1", { packages: [["Debian:12", "openssl"]], fixed: "3.0.14-1~deb12u1" }),
          anAdvisory("DSA-2", { packages: [["Debian:11", "openssl"]], fixed: "1.1.1w-0+deb11u1" }),
          anAdvisory("PYSEC-9", { packages: [["PyPI", "jinja2"]], fixed: "2.10.1" }),
          anAdvisory("GEM-1", { packages: [["RubyGems", "rails"]] }),
        ]);
        assert.deepEqual(ids(await store.advisoriesFor("Debian:12", "openssl")), ["DSA-1", "DSA-2"]);
        assert.deepEqual(await store.advisoriesFor("RubyGems", "rails"), [], "an ecosystem the matcher does not know");
        assert.deepEqual(await store.advisoriesFor("Nope", "x"), []);
        const packages = [
          { ecosystem: "Debian:12", name: "libssl3", version: "3.0.11-1~deb12u2", sourceName: "openssl" },
          { ecosystem: "PyPI", name: "Jinja2", version: "2.10" },
          { ecosystem: "PyPI", name: "unknown-package", version: "1.0" },
        ];
        assert.deepEqual(ids(await store.advisoriesForPackages(packages)), ["DSA-1", "DSA-2", "PYSEC-9"]);
        const index = await advisoryIndexFor(store, packages);
        assert.equal(index.size, 3);
        assert.deepEqual(
          packages.map((p) => matchPackage(p, index).map((m) => m.id)),
          [["DSA-1"], ["PYSEC-9"], []],
          "the Debian 11 advisory is fetched but does not match a Debian 12 package",
        );
        const summary = await store.advisorySummary();
        assert.deepEqual(summary, {
          total: 4,
          ecosystems: [
            { ecosystem: "Debian", advisories: 2 },
            { ecosystem: "PyPI", advisories: 1 },
          ],
          lastModified: "2024-01-01T00:00:00.000Z",
        });
      });
    });

    it("looks up many packages in chunks and reports an empty store as empty", async () => {
      await withMigratedStore(async (store) => {
        assert.deepEqual(await store.advisorySummary(), { total: 0, ecosystems: [], lastModified: null });
        const advisories = Array.from({ length: 1_200 }, (_, i) =>
          anAdvisory(`N-${String(i).padStart(4, "0")}`, { packages: [["npm", `pkg-${i}`]] }),
        );
        assert.equal((await store.importAdvisories(advisories)).added, 1_200);
        const found = await store.advisoriesForPackages(
          Array.from({ length: 1_300 }, (_, i) => ({ ecosystem: "npm", name: `pkg-${i}` })),
        );
        assert.equal(found.length, 1_200);
        assert.deepEqual(ids(found).slice(0, 2), ["N-0000", "N-0001"]);
      });
    });

    it("rejects advisory ids the store cannot hold and imports the rest; NUL in a name is found again", async () => {
      await withMigratedStore(async (store) => {
        const result = await store.importAdvisories([
          anAdvisory("BAD\u0000ID"),
          anAdvisory("BAD-\ud800"),
          anAdvisory("OK-1", { packages: [["npm", "a\u0000b"]] }),
        ]);
        assert.equal(result.added, 1);
        assert.deepEqual(
          result.rejected.map((r) => r.id),
          ["BAD\ufffdID", "BAD-\ufffd"],
        );
        assert.deepEqual(ids(await store.advisoriesFor("npm", "a\u0000b")), ["OK-1"]);
      });
    });

    it("refuses to hand out a stored advisory that no longer parses as OSV, naming it", async () => {
      await withMigratedStore(async (store) => {
        await store.write(async (trx) => {
          await trx
            .insertInto("advisories")
            .values({ id: "TAMPERED-1", modified: 1, imported_at: 1, content: '{"id":' })
            .execute();
          await trx
            .insertInto("advisory_packages")
            .values({ ecosystem: "npm", name: "x", advisory_id: "TAMPERED-1" })
            .execute();
        });
        await assert.rejects(
          store.advisoriesFor("npm", "x"),
          (error: unknown) =>
            error instanceof PalisadeError && error.code === "internal" && /TAMPERED-1/.test(error.message),
        );
      });
    });

    it("takes two imports of the same advisories at once and ends with the newer copies only", async () => {
      await withMigratedStore(async (store) => {
        const version = (modified: string, name: string) =>
          Array.from({ length: 300 }, (_, i) =>
            anAdvisory(`C-${i}`, { modified, packages: [["npm", `${name}-${i}`]] }),
          );
        const [a, b] = await Promise.all([
          store.importAdvisories(version("2024-01-01T00:00:00Z", "old"), { batchSize: 50 }),
          store.importAdvisories(version("2024-06-01T00:00:00Z", "new"), { batchSize: 70 }),
        ]);
        assert.equal(a.added + a.replaced + a.skipped + b.added + b.replaced + b.skipped, 600);
        assert.equal(await store.countRows("advisories"), 300);
        assert.equal(await store.countRows("advisory_packages"), 300, "no index rows of the older copies remain");
        assert.deepEqual(ids(await store.advisoriesFor("npm", "new-7")), ["C-7"]);
        assert.deepEqual(await store.advisoriesFor("npm", "old-7"), []);
      });
    });

    it("takes concurrent writes from two processes without losing any", async () => {
      await withMigratedStore(async (store, location) => {
        const perWriter = 150;
        await Promise.all([runWriter(location, perWriter, "a"), runWriter(location, perWriter, "b")]);
        assert.equal(await store.countRows("events"), perWriter * 2);
        const audit = await verifyAuditChain(store);
        assert.deepEqual(audit.problems, [], "one chain, not a fork per writer");
        assert.equal(audit.head?.seq, perWriter * 2);
      });
    });

    describe("audit chain", () => {
      runAuditChainContract({
        ...(name === "sqlite"
          ? {
              noInProcessConcurrency:
                "better-sqlite3 blocks the thread while it waits for the lock; two processes are tested above",
            }
          : {}),
        withStore: (fn, { migrate = true } = {}) => (migrate ? withMigratedStore(fn) : withStore(fn)),
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
