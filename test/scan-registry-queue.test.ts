/**
 * `palisade scan registry` over a real registry: every image once, by digest (a moved tag is
 * scanned again, an unchanged one never), in-process and through Redis with two `palisade
 * worker` processes, one of them killed while it holds a job.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { runCli } from "./helpers/cli.js";
import { buildLayer, writeOciLayout } from "./helpers/oci-image.js";
import { redisSkipReason, startRedis } from "./helpers/redis.js";
import { registrySkipReason, startRegistry, type TestRegistry } from "./helpers/registry.js";

const skip = registrySkipReason() ?? redisSkipReason();
const dir = mkdtempSync(join(tmpdir(), "palisade-registry-queue-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const BIN = new URL("../bin/palisade.js", import.meta.url).pathname;

/** An image with one PyPI package (its name tells images apart) and `padding` random bytes. */
async function image(name: string, padding = 0) {
  return {
    layers: [
      await buildLayer({
        files: [
          {
            path: `usr/lib/python3/dist-packages/${name}-1.0.dist-info/METADATA`,
            content: `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n\n`,
          },
          ...(padding > 0 ? [{ path: "opt/blob.bin", content: randomBytes(padding) }] : []),
        ],
      }),
    ],
    config: { User: "1000" },
  };
}

function scansIn(db: string): { target: string; digest: string }[] {
  const sqlite = new BetterSqlite3(db, { readonly: true });
  try {
    return (sqlite.prepare("select target, summary from scans").all() as { target: string; summary: string }[]).map(
      (r) => ({
        target: r.target,
        digest: (JSON.parse(r.summary) as { digest: string }).digest,
      }),
    );
  } finally {
    sqlite.close();
  }
}

describe("scan registry", { skip }, () => {
  let registry: TestRegistry;
  const layout = join(dir, "layout");
  before(async () => {
    writeOciLayout(layout, {
      a: await image("alpha"),
      b: await image("beta"),
      c: await image("gamma"),
      moved: await image("delta"),
      big1: await image("heavy-one", 24 * 1024 * 1024),
      big2: await image("heavy-two", 24 * 1024 * 1024),
    });
    registry = await startRegistry();
    await registry.push(layout, "a", "ml/app:v1");
    await registry.push(layout, "b", "ml/app:v2");
    await registry.push(layout, "c", "tools/cli:latest");
  });
  after(async () => {
    await registry?.stop();
  });

  it("scans each image once by digest, in this process, and again only when a tag moves", async () => {
    const db = join(dir, "memory.db");
    const scan = () => runCli(["scan", "registry", registry.host, "--insecure", "--format", "json", "--db", db]);
    const statuses = async () => {
      const result = await scan();
      assert.equal(result.code, 0, result.stderr);
      const images = (JSON.parse(result.stdout) as { images: { tag: string; status: string }[] }).images;
      return Object.fromEntries(images.map((i) => [i.tag.replace(`${registry.host}/`, ""), i.status]));
    };
    assert.deepEqual(await statuses(), {
      "ml/app:v1": "scanned",
      "ml/app:v2": "scanned",
      "tools/cli:latest": "scanned",
    });
    assert.deepEqual(await statuses(), {
      "ml/app:v1": "already scanned",
      "ml/app:v2": "already scanned",
      "tools/cli:latest": "already scanned",
    });
    await registry.push(layout, "moved", "ml/app:v1");
    assert.deepEqual(await statuses(), {
      "ml/app:v1": "scanned",
      "ml/app:v2": "already scanned",
      "tools/cli:latest": "already scanned",
    });
    assert.equal(scansIn(db).length, 4);
  });

  it("shares the work between two workers over Redis, and a killed worker's job is retried, never lost or recorded twice", async () => {
    await registry.push(layout, "big1", "heavy/one:1");
    await registry.push(layout, "big2", "heavy/two:1");
    const redis = await startRedis();
    const db = join(dir, "queue.db");
    const workers: ChildProcess[] = [];
    try {
      const queued = await runCli([
        "scan",
        "registry",
        `${registry.host}/heavy/one`,
        "--insecure",
        "--queue",
        "redis",
        "--redis-url",
        redis.url,
        "--db",
        db,
        "--format",
        "json",
      ]);
      assert.equal(queued.code, 0, queued.stderr);
      const queued2 = await runCli([
        "scan",
        "registry",
        `${registry.host}/heavy/two`,
        "--insecure",
        "--queue",
        "redis",
        "--redis-url",
        redis.url,
        "--db",
        db,
        "--format",
        "json",
      ]);
      assert.equal(queued2.code, 0, queued2.stderr);
      assert.deepEqual(scansIn(db), [], "queued, not scanned yet");

      const logs: string[][] = [[], []];
      const startWorker = (i: number) => {
        const child = spawn(
          process.execPath,
          [BIN, "worker", "--redis-url", redis.url, "--db", db, "--lock-seconds", "2"],
          {
            env: { ...process.env, PALISADE_LOG_FORMAT: "json", PALISADE_LOG_LEVEL: "info" },
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        child.stderr?.on("data", (d: Buffer) => logs[i]?.push(...d.toString().split("\n").filter(Boolean)));
        workers.push(child);
        return child;
      };
      // The first worker is killed as soon as it holds a job; the second starts after that.
      const first = startWorker(0);
      const killedDigest = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the first worker took no job: ${logs[0]?.join("\n")}`)),
          30_000,
        );
        const check = setInterval(() => {
          const started = logs[0]?.find((l) => l.includes('"job started"'));
          if (!started) return;
          clearInterval(check);
          clearTimeout(timer);
          first.kill("SIGKILL");
          resolve((JSON.parse(started) as { digest: string }).digest);
        }, 5);
      });
      startWorker(1);
      const deadline = Date.now() + 60_000;
      while (scansIn(db).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const scans = scansIn(db);
      assert.equal(scans.length, 2, `both images recorded once: ${JSON.stringify(scans)}\n${logs[1]?.join("\n")}`);
      assert.equal(new Set(scans.map((s) => s.digest)).size, 2);
      assert.ok(
        scans.some((s) => s.digest === killedDigest),
        "the killed worker's image was scanned by the other",
      );
      assert.ok(logs[1]?.some((l) => l.includes('"job completed"') && l.includes(killedDigest)));
    } finally {
      for (const w of workers) w.kill("SIGTERM");
      await redis.stop();
    }
  });

  it("refuses a bad target and a Redis queue without a URL in one line", async () => {
    const bad = await runCli(["scan", "registry", "not a host"]);
    assert.equal(bad.code, 2);
    const noUrl = await runCli(["scan", "registry", registry.host, "--queue", "redis"], {
      env: { PALISADE_REDIS_URL: "" },
    });
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /--queue redis needs --redis-url/);
  });
});
