/**
 * Attacks on the sensor ingestion endpoint, each sent as an attacker would: no or forged
 * credentials, a body far over the limit (declared or not), JSON built to blow the parser's
 * stack, garbage around real events, a replayed batch meant to inflate counts, a secret in a
 * command line meant to land in the store, and methods and paths the endpoint does not serve.
 * The endpoint runs over a real socket in front of a real SQLite store with API keys.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createAuthenticator, generateApiKey } from "../../src/gateway/index.js";
import { type IngestServer, startIngestServer } from "../../src/runtime/index.js";
import { openStore, type Store } from "../../src/store/index.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-ingest-attacks-"));
let store: Store;
let server: IngestServer;
let key: string;
const MAX_BODY = 64 * 1024;

const alert = (n: number, extra: Record<string, unknown> = {}) => ({
  time: new Date(Date.UTC(2026, 11, 6, 10, 0, n)).toISOString(),
  rule: "Terminal shell in container",
  priority: "Warning",
  output: `shell ${n}`,
  source: "syscall",
  output_fields: { "container.id": "0123456789ab", "proc.name": "sh", "proc.exepath": "/bin/sh", ...extra },
});

before(async () => {
  store = openStore({ location: join(dir, "palisade.db") });
  await store.migrate();
  const generated = generateApiKey();
  await store.createApiKey({ name: "falco", prefix: generated.prefix, hash: generated.hash, roles: [] });
  key = generated.key;
  const auth = createAuthenticator({ apiKeys: store });
  server = await startIngestServer({
    host: "127.0.0.1",
    port: 0,
    sink: store,
    authenticate: (header) => auth.authenticate(header),
    maxBodyBytes: MAX_BODY,
  });
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string | Buffer, headers: Record<string, string> = {}, path = "/api/v1/events/falco") =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body,
  });

async function runtimeRows(): Promise<number> {
  const rows = await store.db.selectFrom("events").select("id").where("kind", "like", "runtime.%").execute();
  return rows.length;
}

describe("attacks on sensor ingestion", () => {
  it("refuses a post without credentials or with a forged key, storing nothing", async () => {
    const before = await runtimeRows();
    const none = await post(JSON.stringify(alert(1)), { authorization: "" });
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate") ?? "", /Bearer/);
    const forged = await post(JSON.stringify(alert(1)), { authorization: `Bearer ${key.slice(0, -4)}AAAA` });
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, "unauthenticated");
    assert.equal(await runtimeRows(), before);
  });

  it("answers 413 to a body over the limit, declared or streamed without a length", async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 0x20);
    const declared = await post(big);
    assert.equal(declared.status, 413);
    // Chunked, so no content-length warns the server: it stops reading at the limit.
    const streamed = await fetch(`${server.url}/api/v1/events/falco`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(4096).fill(0x20));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    assert.equal(streamed.status, 413);
  });

  it("rejects an event nested to blow the stack, with its line, and keeps the good events around it", async () => {
    const deep = `${"[".repeat(200_00)}${"]".repeat(200_00)}`;
    const body = [JSON.stringify(alert(2)), deep, "not json at all", JSON.stringify(alert(3))].join("\n");
    const answer = await post(body);
    assert.equal(answer.status, 200);
    const result = (await answer.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    assert.equal(result.accepted, 2);
    assert.deepEqual(
      result.rejected.map((r) => r.index),
      [2, 3],
    );
    for (const r of result.rejected)
      assert.doesNotMatch(r.reason, /not json at all|\[\[\[/, "reasons never echo the input");
  });

  it("answers 400 when every event of a batch is bad, and the batch stores nothing", async () => {
    const before = await runtimeRows();
    const answer = await post('{"rule": 5}\n{"time": "yesterday", "rule": "x"}');
    assert.equal(answer.status, 400);
    assert.equal(await runtimeRows(), before);
  });

  it("counts a replayed batch once: the same alerts posted three times are stored once", async () => {
    const batch = [alert(10), alert(11), alert(12)].map((a) => JSON.stringify(a)).join("\n");
    const before = await runtimeRows();
    for (let i = 0; i < 3; i++) assert.equal((await post(batch)).status, 200);
    assert.equal(await runtimeRows(), before + 3);
  });

  it("stores a command line's secret redacted, never as sent", async () => {
    // A classic GitHub token with a valid checksum: the detector ignores ones that fail it.
    const token = "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";
    const answer = await post(
      JSON.stringify(
        alert(20, { "proc.cmdline": `sh -c curl -H 'Authorization: token ${token}' https://api.github.com` }),
      ),
    );
    assert.equal(answer.status, 200);
    const rows = await store.db.selectFrom("events").select("payload").where("kind", "like", "runtime.%").execute();
    const all = rows.map((r) => r.payload).join("\n");
    assert.ok(!all.includes(token), "the token is not in the store");
    assert.match(all, /api\.github\.com/, "the rest of the command line is kept");
  });

  it("serves only POST on the two sensor paths", async () => {
    const get = await fetch(`${server.url}/api/v1/events/falco`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(get.status, 405);
    assert.equal((await post("{}", {}, "/api/v1/events/..%2f..%2fadmin")).status, 404);
    assert.equal((await post("{}", {}, "/api/v1/events/syslog")).status, 404);
  });

  it("closes a connection that never finishes its headers", async () => {
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    socket.write("POST /api/v1/events/falco HTTP/1.1\r\nHost: x\r\n");
    const closed = await Promise.race([
      new Promise<boolean>((resolve) => socket.once("close", () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 25_000)),
    ]);
    socket.destroy();
    assert.ok(closed, "the server hung up on a client that stopped mid-headers");
  });
});
