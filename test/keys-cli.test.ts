import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { hashApiKey } from "../src/gateway/index.js";
import { openStore } from "../src/store/index.js";
import { runCli } from "./helpers/cli.js";

describe("palisade keys", () => {
  it("creates a key shown once, lists it without the key, and revokes it", async () => {
    const db = join(await mkdtemp(join(tmpdir(), "palisade-keys-")), "p.db");
    const created = await runCli([
      "keys",
      "create",
      "ci-bot",
      "--role",
      "analyst",
      "reader",
      "--expires",
      "30d",
      "--db",
      db,
      "--format",
      "json",
    ]);
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout) as { name: string; key: string; roles: string[]; expires: string };
    assert.match(out.key, /^pal_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(out.roles, ["analyst", "reader"]);
    assert.ok(Date.parse(out.expires) > Date.now() + 29 * 86_400_000);

    const store = openStore({ location: db });
    try {
      const record = await store.findApiKeyByHash(hashApiKey(out.key));
      assert.equal(record?.name, "ci-bot", "only the hash is stored, and it matches");
    } finally {
      await store.close();
    }

    const listed = await runCli(["keys", "list", "--db", db, "--format", "json"]);
    assert.ok(!listed.stdout.includes(out.key), "listing never shows the key");
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { name: string; status: string }[]).map((k) => [k.name, k.status]),
      [["ci-bot", "active"]],
    );
    assert.equal((await runCli(["keys", "revoke", "ci-bot", "--db", db])).code, 0);
    const after = JSON.parse((await runCli(["keys", "list", "--db", db, "--format", "json"])).stdout) as {
      status: string;
    }[];
    assert.equal(after[0]?.status, "revoked");
  });

  it("exits 2 with one line for a bad name, a bad duration, a duplicate and an unknown key", async () => {
    const db = join(await mkdtemp(join(tmpdir(), "palisade-keys-")), "p.db");
    const cases: [string[], RegExp][] = [
      [["keys", "create", "bad name!", "--db", db], /key names are letters/],
      [["keys", "create", "ok", "--expires", "soon", "--db", db], /--expires must look like/],
      [["keys", "revoke", "nobody", "--db", db], /no active API key named nobody/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, pattern);
    }
    assert.equal((await runCli(["keys", "create", "twice", "--db", db])).code, 0);
    const duplicate = await runCli(["keys", "create", "twice", "--db", db]);
    assert.equal(duplicate.code, 2);
    assert.match(duplicate.stderr, /already exists/);
  });
});
