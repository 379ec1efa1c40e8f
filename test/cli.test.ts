import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { runCli } from "./helpers/cli.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "palisade-cli-"));
}

/** Exactly one non-empty line on stderr, the CLI's error contract. */
function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  return lines[0] ?? "";
}

describe("palisade CLI", () => {
  it("prints its version as JSON on stdout", async () => {
    const result = await runCli(["version", "--format", "json"]);
    assert.equal(result.code, 0);
    const info = JSON.parse(result.stdout) as Record<string, string>;
    assert.match(info.palisade ?? "", /^\d+\.\d+\.\d+/);
    assert.match(info.sqlite ?? "", /^3\./);
  });

  it("shows examples in --help of every command", async () => {
    for (const args of [[], ["db"], ["db", "migrate"], ["db", "status"], ["config", "check"], ["version"]]) {
      const result = await runCli([...args, "--help"]);
      assert.equal(result.code, 0, args.join(" "));
      assert.match(result.stdout, /Examples:\n {2}\$ palisade/, args.join(" "));
    }
  });

  it("exits 2 with one line for an unknown command or option", async () => {
    const unknown = await runCli(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(oneLine(unknown.stderr), /unknown command 'frobnicate'/);
    const badFormat = await runCli(["db", "status", "--format", "xml"]);
    assert.equal(badFormat.code, 2);
    assert.match(oneLine(badFormat.stderr), /xml/);
  });

  it("reports a missing store without creating it, then migrates and reports it", async () => {
    const dir = await tempDir();
    const db = join(dir, "nested", "palisade.db");
    const before = await runCli(["db", "status", "--db", db, "--format", "json"]);
    assert.equal(before.code, 0, before.stderr);
    const status = JSON.parse(before.stdout) as { exists: boolean; pending: string[] };
    assert.equal(status.exists, false);
    assert.ok(status.pending.length > 0);
    assert.equal(spawnSync("test", ["-e", db]).status, 1, "status must not create the file");

    const migrate = await runCli(["db", "migrate", "--db", db, "--format", "json"]);
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.deepEqual((JSON.parse(migrate.stdout) as { applied: string[] }).applied, status.pending);
    assert.match(migrate.stderr, /store migrated/, "logs go to stderr");

    const after = await runCli(["db", "status", "--format", "json"], { env: { PALISADE_DB: db } });
    assert.equal(after.code, 0, after.stderr);
    const done = JSON.parse(after.stdout) as { pending: string[]; rows: Record<string, number> };
    assert.deepEqual(done.pending, []);
    assert.equal(done.rows.events, 0);
  });

  describe("bad configuration exits 2 with one line naming file, place and expectation", () => {
    const cases: { name: string; text: string; expect: RegExp }[] = [
      { name: "wrong type", text: "log:\n  level: 42\n", expect: /palisade\.yaml:2:10: log\.level: .*expected one of/ },
      {
        name: "unknown key",
        text: "store:\n  path: x.db\n  colour: blue\n",
        expect: /palisade\.yaml:3:3: store\.colour: unknown key/,
      },
      { name: "YAML syntax error", text: "store:\n  path: 'unterminated\n", expect: /palisade\.yaml:\d+:\d+: / },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const dir = await tempDir();
        await writeFile(join(dir, "palisade.yaml"), c.text);
        const result = await runCli(["config", "check"], { cwd: dir });
        assert.equal(result.code, 2);
        assert.match(oneLine(result.stderr), c.expect);
        const viaFlag = await runCli(["db", "status", "--config", join(dir, "palisade.yaml")]);
        assert.equal(viaFlag.code, 2);
        assert.match(oneLine(viaFlag.stderr), c.expect);
      });
    }
  });

  it("checks a good configuration and shows the effective values", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "palisade.yaml"), "store:\n  path: ./p.db\n");
    const result = await runCli(["config", "check", "--format", "json"], {
      cwd: dir,
      env: { PALISADE_LOG_LEVEL: "warn" },
    });
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as {
      valid: boolean;
      environment: string[];
      config: { log: { level: string } };
    };
    assert.equal(out.valid, true);
    assert.deepEqual(out.environment, ["PALISADE_LOG_LEVEL"]);
    assert.equal(out.config.log.level, "warn");
  });

  it("exits 3 with a clear line when the SQLite file is locked by another process", async () => {
    const dir = await tempDir();
    const db = join(dir, "palisade.db");
    const holder = new BetterSqlite3(db);
    holder.pragma("journal_mode = WAL");
    holder.exec("create table hold(x); begin exclusive; insert into hold values (1);");
    try {
      const result = await runCli(["db", "migrate", "--db", db], { env: { PALISADE_SQLITE_BUSY_TIMEOUT_MS: "200" } });
      assert.equal(result.code, 3);
      const line = oneLine(result.stderr.replace(/^\{.*\}$/gm, ""));
      assert.match(line, /locked by another process/);
      assert.ok(line.includes(db));
    } finally {
      holder.exec("rollback");
      holder.close();
    }
  });

  it("exits 3 with a clear line when the SQLite file is on a read-only file system", {
    skip: bwrapSkipReason(),
  }, async () => {
    const dir = await tempDir();
    const db = join(dir, "palisade.db");
    const create = await runCli(["db", "migrate", "--db", db]);
    assert.equal(create.code, 0, create.stderr);
    // Root ignores file modes, so the directory is made read-only by a bind mount (bubblewrap).
    const result = await runCli(["db", "migrate", "--db", db], {
      wrapper: ["bwrap", "--dev-bind", "/", "/", "--ro-bind", dir, dir, "--"],
    });
    // Reading a store on a read-only file system is allowed, but a migration that has nothing to do
    // still needs its lock table; status works, an append does not.
    const status = await runCli(["db", "status", "--db", db], {
      wrapper: ["bwrap", "--dev-bind", "/", "/", "--ro-bind", dir, dir, "--"],
    });
    assert.ok(
      result.code === 3 || status.code === 3,
      `migrate ${result.code} ${result.stderr} / status ${status.code} ${status.stderr}`,
    );
    const failed = result.code === 3 ? result : status;
    assert.match(oneLine(failed.stderr), /(readonly|read-only|unable to open|cannot open)/i);
  });

  it("exits 3 with a clear line when PostgreSQL is unreachable", async () => {
    const result = await runCli(["db", "status", "--db", "postgres://palisade:secret@127.0.0.1:1/palisade"]);
    assert.equal(result.code, 3, result.stderr);
    const line = oneLine(result.stderr);
    assert.match(line, /cannot reach PostgreSQL at postgres:\/\/palisade:\*\*\*@127\.0\.0\.1:1\/palisade/);
    assert.ok(!line.includes("secret"), "the password never appears in messages");
  });

  it("migrates and reports a PostgreSQL store given by PALISADE_DATABASE_URL", {
    skip: postgresSkipReason(),
  }, async () => {
    const { url, drop } = await createTempDatabase();
    try {
      const migrate = await runCli(["db", "migrate", "--format", "json"], { env: { PALISADE_DATABASE_URL: url } });
      assert.equal(migrate.code, 0, migrate.stderr);
      const status = await runCli(["db", "status", "--format", "json"], { env: { PALISADE_DATABASE_URL: url } });
      const parsed = JSON.parse(status.stdout) as { dialect: string; pending: string[] };
      assert.equal(parsed.dialect, "postgres");
      assert.deepEqual(parsed.pending, []);
    } finally {
      await drop();
    }
  });
});

/** Without bubblewrap the read-only test is skipped with a reason, except in CI where it must run. */
function bwrapSkipReason(): string | undefined {
  if (spawnSync("bwrap", ["--version"]).status === 0) return undefined;
  if (process.env.CI) throw new Error("CI is set but bubblewrap (bwrap) is missing: .ci/run installs it");
  return "bubblewrap (bwrap) is not installed (bash .ci/run installs it)";
}
