/**
 * Sensor ingestion scaled out over Redis: `palisade events serve --queue redis` queues each
 * batch (normalised and redacted) on the shared job queue, and two `palisade worker` processes
 * store and correlate them (over SQLite, and over PostgreSQL as a fleet would); one worker is
 * killed mid-stream. Every event is stored once, the
 * audit chain verifies, the correlation cursor reaches the end, and each incident holds each of
 * its alerts exactly once: nothing lost, nothing counted twice, whatever the sender resends.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { openStore } from "../src/store/index.js";
import { runCli } from "./helpers/cli.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";
import { redisSkipReason, startRedis } from "./helpers/redis.js";

const skip = redisSkipReason();
const BIN = new URL("../bin/palisade.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "palisade-events-queue-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const CONTAINERS = ["a1b2c3d4e5f6", "b2c3d4e5f6a1", "c3d4e5f6a1b2"];

/** A Tetragon exec line: ordinary work in an inference pod. */
function exec(n: number): string {
  const time = new Date(T0 + n * 10).toISOString();
  return JSON.stringify({
    process_exec: {
      process: {
        exec_id: `exec-${n}`,
        pid: 2000 + n,
        uid: 1000,
        binary: "/usr/bin/python3",
        arguments: `worker.py --shard ${n}`,
        start_time: time,
        pod: {
          namespace: "ai",
          name: `vllm-${n % 3}`,
          container: { id: `containerd://${CONTAINERS[n % 3]}${"0".repeat(52)}`, name: "vllm" },
        },
      },
      parent: { pid: 1, binary: "/usr/bin/tini" },
    },
    node_name: "node-a",
    time,
  });
}

/** A Palisade Falco rule firing at Critical in one of the containers: each opens or joins its incident. */
function alert(container: string, n: number): string {
  const time = new Date(T0 + 60_000 + n * 1000);
  return JSON.stringify({
    uuid: randomUUID(),
    output: `${time.toISOString()}: Critical Package manager run in an inference server (proc=pip container=${container})`,
    priority: "Critical",
    rule: "palisade_inference_server_package_manager",
    time: time.toISOString(),
    output_fields: {
      "container.id": container,
      "k8s.ns.name": "ai",
      "k8s.pod.name": `vllm-${container.slice(0, 4)}`,
      "proc.name": "pip",
      "proc.exepath": "/usr/local/bin/pip",
      "proc.cmdline": "pip install requests",
      "proc.pid": 4242,
    },
    source: "syscall",
    tags: ["palisade"],
    hostname: "node-a",
  });
}

async function post(url: string, source: "falco" | "tetragon", lines: string[]) {
  const response = await fetch(`${url}/api/v1/events/${source}`, { method: "POST", body: lines.join("\n") });
  const body = (await response.json()) as { accepted: number; rejected: unknown[] };
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.accepted, lines.length);
  return body;
}

function spawnCli(args: string[], children: ChildProcess[]): { child: ChildProcess; log: string[] } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  children.push(child);
  return { child, log };
}

async function counts(location: string) {
  const store = openStore({ location });
  try {
    const one = async (q: ReturnType<typeof sql<{ n: string | number | null }>>) =>
      Number((await q.execute(store.db)).rows[0]?.n ?? 0);
    const incidents = await sql<{ rule: string; events: string | number }>`
      select i.rule_id as rule, count(*) as events from incidents i
      join incident_events e on e.incident_id = i.id group by i.id, i.rule_id order by i.rule_id`.execute(store.db);
    return {
      events: await one(sql`select count(*) as n from events`),
      chain: await one(sql`select count(*) as n from event_chain`),
      head: await one(sql`select max(seq) as n from event_chain`),
      cursor: await one(sql`select max(seq) as n from correlation_cursor`),
      incidents: incidents.rows.map((r) => ({ rule: r.rule, events: Number(r.events) })),
    };
  } finally {
    await store.close();
  }
}

function scaledOut(
  dialect: string,
  database: () => Promise<{ url: string; drop: () => Promise<void> }>,
  skipped?: string,
) {
  describe(`sensor events through the shared Redis queue (${dialect})`, { skip: skip ?? skipped ?? false }, () => {
    it("two workers store and correlate every batch once, one of them killed mid-stream", async () => {
      const redis = await startRedis();
      const { url: db, drop } = await database();
      const children: ChildProcess[] = [];
      try {
        const migrated = await runCli(["db", "migrate", "--db", db]);
        assert.equal(migrated.code, 0, migrated.stderr);
        const server = spawnCli(
          [
            "events",
            "serve",
            "--db",
            db,
            "--listen",
            "127.0.0.1:0",
            "--no-auth",
            "--queue",
            "redis",
            "--redis-url",
            redis.url,
          ],
          children,
        );
        const [line] = (await once(createInterface({ input: server.child.stdout as Readable }), "line")) as [string];
        const { url } = JSON.parse(line) as { url: string };
        const workers = [0, 1].map(() =>
          spawnCli(["worker", "--redis-url", redis.url, "--db", db, "--lock-seconds", "2"], children),
        );

        const batches = Array.from({ length: 24 }, (_, b) => Array.from({ length: 250 }, (_, i) => exec(b * 250 + i)));
        const firstAlerts = CONTAINERS.flatMap((c, i) => [alert(c, i), alert(c, i + 10)]);
        const secondAlerts = CONTAINERS.flatMap((c, i) => [alert(c, i + 20), alert(c, i + 30)]);

        for (const batch of batches.slice(0, 12)) await post(url, "tetragon", batch);
        await post(url, "falco", firstAlerts);
        // A sender's retries: whole batches again, and a batch half old, half new.
        for (const batch of batches.slice(0, 4)) await post(url, "tetragon", batch);
        await post(url, "falco", firstAlerts);
        await post(url, "tetragon", [
          ...(batches[12] as string[]).slice(0, 125),
          ...(batches[5] as string[]).slice(0, 125),
        ]);

        workers[0]?.child.kill("SIGKILL");
        for (const batch of batches.slice(12)) await post(url, "tetragon", batch);
        await post(url, "falco", secondAlerts);

        const expected = 24 * 250 + firstAlerts.length + secondAlerts.length;
        const deadline = Date.now() + 90_000;
        let seen = await counts(db);
        while (Date.now() < deadline && (seen.events < expected || seen.cursor < seen.head)) {
          await new Promise((r) => setTimeout(r, 250));
          seen = await counts(db);
        }
        assert.equal(seen.events, expected, `events stored once each (worker log: ${workers[1]?.log.join("")})`);
        assert.equal(seen.chain, expected, "one audit chain entry per event");
        assert.equal(seen.cursor, seen.head, "every event correlated");
        assert.deepEqual(
          seen.incidents,
          CONTAINERS.map(() => ({ rule: "ai-workload-runtime-alert", events: 4 })),
          "one incident per container, holding each of its four alerts once",
        );
        const verify = await runCli(["audit", "verify", "--db", db]);
        assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      } finally {
        const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
        const exited = running.map((c) => once(c, "exit"));
        for (const child of running) child.kill("SIGTERM");
        await Promise.all(exited);
        await redis.stop();
        await drop();
      }
    });
  });
}

scaledOut("sqlite", async () => ({
  url: join(mkdtempSync(join(dir, "db-")), "events.db"),
  drop: async () => undefined,
}));
scaledOut("postgres", createTempDatabase, postgresSkipReason());
