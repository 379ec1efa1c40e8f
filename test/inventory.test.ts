/**
 * Every scan records its inventory in the store (the built CLI, against SQLite at the default
 * location and, when PALISADE_TEST_DATABASE_URL is set, PostgreSQL): the first scan of a target
 * adds rows, scanning it again unchanged adds none, and `--no-store` writes nothing.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { assertOneLineError, type CliResult, runCli } from "./helpers/cli.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const INVENTORY_TABLES = ["assets", "edges", "scans", "findings"] as const;
type Counts = Record<(typeof INVENTORY_TABLES)[number], number>;

/** Where a test's store is: the environment that selects it, and its cleanup. */
interface StoreTarget {
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

async function sqliteTarget(): Promise<StoreTarget> {
  // A private HOME: the scans use the default store, ~/.palisade/palisade.db.
  const home = await mkdtemp(join(tmpdir(), "palisade-inventory-"));
  return {
    env: { HOME: home, PALISADE_HOME: join(home, ".palisade") },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

async function postgresTarget(): Promise<StoreTarget> {
  const { url, drop } = await createTempDatabase();
  return { env: { PALISADE_DATABASE_URL: url }, cleanup: drop };
}

const palisade = (target: StoreTarget, args: readonly string[]): Promise<CliResult> =>
  runCli(args, { cwd: ROOT, env: { ...target.env, PALISADE_LOG_LEVEL: "warn" } });

async function counts(target: StoreTarget): Promise<Counts> {
  const result = await palisade(target, ["db", "status", "--format", "json"]);
  assert.equal(result.code, 0, result.stderr);
  const rows = (JSON.parse(result.stdout) as { rows: Partial<Counts> }).rows;
  return Object.fromEntries(INVENTORY_TABLES.map((t) => [t, rows[t] ?? 0])) as Counts;
}

/** Each scan with the exit code it ends with (the model example is malicious: its gate fails). */
const SCANS: { label: string; args: string[]; code: number }[] = [
  { label: "scan code", args: ["scan", "code", "examples", "--format", "json"], code: 0 },
  { label: "scan model (gate failed)", args: ["scan", "model", "examples/models", "--exit-code"], code: 1 },
  { label: "scan image", args: ["scan", "image", "oci:examples/image/layout:v1", "--format", "json"], code: 0 },
  { label: "scan fs", args: ["scan", "fs", "examples", "--format", "json"], code: 0 },
];

function runInventorySuite(name: string, create: () => Promise<StoreTarget>, options: { skip?: string } = {}): void {
  describe(`scans record their inventory: ${name}`, { skip: options.skip }, () => {
    it("the first scan of a target adds rows; scanning it again unchanged adds none", async () => {
      const target = await create();
      try {
        let before = await counts(target);
        for (const scan of SCANS) {
          const first = await palisade(target, scan.args);
          assert.equal(first.code, scan.code, `${scan.label}: ${first.stderr}`);
          assert.equal(first.stderr.includes("not recorded"), false, first.stderr);
          const after = await counts(target);
          assert.equal(after.scans, before.scans + 1, `${scan.label} records one scan`);
          assert.ok(after.findings > before.findings, `${scan.label} records its findings`);
          assert.ok(after.assets >= before.assets && after.edges >= before.edges, scan.label);

          const again = await palisade(target, scan.args);
          assert.equal(again.code, scan.code, `${scan.label} again: ${again.stderr}`);
          assert.deepEqual(await counts(target), after, `${scan.label} again adds no row`);
          before = after;
        }
        assert.ok(before.assets > 20 && before.edges > 20, JSON.stringify(before));
      } finally {
        await target.cleanup();
      }
    });

    it("--no-store writes nothing", async () => {
      const target = await create();
      try {
        for (const scan of SCANS) {
          const result = await palisade(target, [...scan.args, "--no-store"]);
          assert.equal(result.code, scan.code, `${scan.label}: ${result.stderr}`);
        }
        assert.deepEqual(await counts(target), { assets: 0, edges: 0, scans: 0, findings: 0 });
      } finally {
        await target.cleanup();
      }
    });
  });
}

runInventorySuite("sqlite", sqliteTarget);
const skip = postgresSkipReason();
runInventorySuite("postgres", postgresTarget, skip ? { skip } : {});

describe("a store that cannot be used", () => {
  it("refuses a location that cannot be a store before scanning (bad usage), unless --no-store", async () => {
    const target: StoreTarget = { env: {}, cleanup: async () => {} };
    const result = await palisade(target, ["scan", "model", "examples/models", "--db", "mysql://u:secret@h/x"]);
    assertOneLineError(result, /^palisade: unsupported store mysql:\/\/u:\*\*\*@h\/x/);
    const skipped = await palisade(target, ["scan", "model", "examples/models", "--db", "mysql://x", "--no-store"]);
    assert.equal(skipped.code, 0, skipped.stderr);
  });

  it("costs one warning line on stderr, never the scan's output or exit code", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-inventory-"));
    try {
      const file = join(dir, "not-a-folder");
      await writeFile(file, "");
      const target: StoreTarget = { env: {}, cleanup: async () => {} };
      const args = ["scan", "code", "examples", "--format", "json", "--db", join(file, "palisade.db")];
      const result = await palisade(target, args);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(JSON.parse(result.stdout).sdks.length > 0);
      assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, /^palisade: warning: scan not recorded in the store: .*not a directory/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
