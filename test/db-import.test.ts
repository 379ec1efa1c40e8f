/**
 * `palisade db import` and `db update` end to end: the built CLI fills a SQLite store with OSV
 * advisories (real ones from the PyPA database in ../shared/datasets/osv, read in place), a
 * second import skips them all, and the store answers the matcher. `db update` downloads from a
 * loopback server standing in for osv.dev (PALISADE_OSV_URL); osv.dev itself is not reached.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { advisoryIndexFor, openStore } from "../src/store/index.js";
import { matchPackage } from "../src/vuln/index.js";
import { crc32 } from "../src/vuln/zip.js";
import { runCli } from "./helpers/cli.js";

/** The shared datasets sit next to the repository; elsewhere set PALISADE_DATASETS. */
const DATASETS = [
  process.env.PALISADE_DATASETS,
  fileURLToPath(new URL("../../shared/datasets", import.meta.url)),
  "/work/shared/datasets",
].find((dir): dir is string => dir !== undefined && existsSync(join(dir, "osv")));

function datasetsMissing(): string | false {
  if (DATASETS) return false;
  if (process.env.CI)
    throw new Error("CI is set but ../shared/datasets/osv is missing: the db import tests must run in CI");
  return "the OSV datasets are not at ../shared/datasets/osv (set PALISADE_DATASETS)";
}

const skip = datasetsMissing();
const PYPA = DATASETS ? join(DATASETS, "osv/pypa-advisory-database/vulns") : "";
const EXAMPLE = fileURLToPath(new URL("../examples/advisories/jinja2-sandbox-escape.json", import.meta.url));
/** Logs stay off stderr so it holds only what the command reports. */
const QUIET = ["--log-level", "warn"];

interface ImportJson {
  sources: { source: string; files: number; added: number; replaced: number; skipped: number; problems: unknown[] }[];
  total: { files: number; added: number; replaced: number; skipped: number; problems: number };
  advisories: { total: number; ecosystems: { ecosystem: string; advisories: number }[] };
}

async function tempDb(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "palisade-db-import-")), "palisade.db");
}

describe("palisade db import", { skip }, () => {
  it("imports the PyPA advisories of jinja2 and torch, skips them all the second time, and serves the matcher", async () => {
    const db = await tempDb();
    const args = ["db", "import", join(PYPA, "jinja2"), join(PYPA, "torch"), "--db", db, "--format", "json", ...QUIET];
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout) as ImportJson;
    assert.deepEqual(
      one.sources.map((s) => [s.files, s.added, s.skipped, s.problems.length]),
      [
        [5, 5, 0, 0],
        [1, 1, 0, 0],
      ],
    );
    assert.deepEqual(one.advisories.ecosystems, [{ ecosystem: "PyPI", advisories: 6 }]);

    const second = await runCli(args);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual((JSON.parse(second.stdout) as ImportJson).total, {
      files: 6,
      added: 0,
      replaced: 0,
      skipped: 6,
      problems: 0,
    });

    const store = openStore({ location: db });
    try {
      const jinja = { ecosystem: "PyPI", name: "Jinja2", version: "2.10" };
      const index = await advisoryIndexFor(store, [jinja, { ecosystem: "PyPI", name: "torch", version: "1.0.0" }]);
      assert.equal(index.size, 6);
      const matches = matchPackage(jinja, index);
      const cve = matches.find((m) => m.id === "CVE-2019-10906" || m.aliases.includes("CVE-2019-10906"));
      assert.ok(cve, `CVE-2019-10906 in ${JSON.stringify(matches.map((m) => m.id))}`);
      assert.equal(cve.fixedIn, "2.10.1");
      assert.deepEqual(matchPackage({ ...jinja, version: "3.1.4" }, index), []);
    } finally {
      await store.close();
    }

    const status = await runCli(["db", "status", "--db", db]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^advisories: +6 \(PyPI 6\), last modified \S+$/m);
    assert.match(status.stdout, /^advisory_packages +6$/m);
  });

  it("reports corrupt and non-OSV files as problems and imports the rest", async () => {
    const folder = await mkdtemp(join(tmpdir(), "palisade-osv-hostile-"));
    for (const file of readdirSync(join(PYPA, "jinja2"))) copyFileSync(join(PYPA, "jinja2", file), join(folder, file));
    writeFileSync(join(folder, "BROKEN-1.json"), '{"id": "BROKEN-1", "modified": ');
    writeFileSync(join(folder, "NOT-OSV.yaml"), "id: NOT-OSV\nsummary: no modified time\n");
    mkdirSync(join(folder, "deeper"));
    writeFileSync(join(folder, "deeper", "NESTED.json"), `${"[".repeat(5_000)}${"]".repeat(5_000)}`);
    const db = await tempDb();
    const result = await runCli(["db", "import", folder, "--db", db, ...QUIET]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 3, result.stderr);
    for (const name of ["BROKEN-1.json", "NOT-OSV.yaml", "NESTED.json"])
      assert.ok(
        lines.some((l) => l.startsWith("palisade: not imported: ") && l.includes(name)),
        `${name}: ${result.stderr}`,
      );
    assert.match(result.stdout, /^\S+ +8 +5 +0 +0 +3$/m, result.stdout);
  });

  it("refuses a missing path or a file of another kind with exit 2, before writing anything", async () => {
    const db = await tempDb();
    const missing = await runCli(["db", "import", join(PYPA, "jinja2"), "/nonexistent/osv", "--db", db, ...QUIET]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, "palisade: /nonexistent/osv: no such file or folder\n");
    assert.equal(existsSync(db), false, "the store was not created");
    const other = await runCli(["db", "import", fileURLToPath(import.meta.url), "--db", db, ...QUIET]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /expected a folder, a \.zip export or a \.json\/\.yaml OSV file/);
  });
});

/** A zip of stored (uncompressed) entries: what osv.dev's all.zip holds, in the simplest form. */
function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name: text, data } of entries) {
    const name = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A loopback stand-in for osv.dev's bucket: serves `files` by path, 404 otherwise, and records requests. */
async function osvMirror(files: Record<string, Buffer>): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = files[req.url ?? ""];
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/zip", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("palisade db update", () => {
  it("downloads each ecosystem's all.zip and imports it; by default the ecosystems already in the store", async () => {
    const example = readFileSync(EXAMPLE);
    const second = Buffer.from(
      JSON.stringify({ ...JSON.parse(example.toString()), id: "EXAMPLE-2019-0002", aliases: [] }),
    );
    const mirror = await osvMirror({
      "/PyPI/all.zip": storedZip([
        { name: "EXAMPLE-2019-0001.json", data: example },
        { name: "EXAMPLE-2019-0002.json", data: second },
        { name: "BROKEN.json", data: Buffer.from("{") },
      ]),
    });
    try {
      const db = await tempDb();
      const env = { PALISADE_OSV_URL: `${mirror.url}/` };
      const first = await runCli(["db", "update", "--ecosystem", "pypi", "--db", db, "--format", "json", ...QUIET], {
        env,
      });
      assert.equal(first.code, 0, first.stderr);
      const report = JSON.parse(first.stdout) as ImportJson & {
        sources: { url: string; problems: { file: string }[] }[];
      };
      assert.deepEqual(report.total, { files: 3, added: 2, replaced: 0, skipped: 0, problems: 1 });
      assert.equal(report.sources[0]?.source, "PyPI");
      assert.equal(report.sources[0]?.problems[0]?.file, `${mirror.url}/PyPI/all.zip!BROKEN.json`);
      assert.deepEqual(mirror.requests, ["/PyPI/all.zip"]);

      const again = await runCli(["db", "update", "--db", db, ...QUIET], { env });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(mirror.requests, ["/PyPI/all.zip", "/PyPI/all.zip"], "only the ecosystem the store holds");
      assert.match(again.stdout, /^PyPI +3 +0 +0 +2 +1$/m, again.stdout);
      assert.match(again.stderr, /^palisade: not imported: .*\/PyPI\/all\.zip!BROKEN\.json: invalid JSON/m);
    } finally {
      mirror.server.close();
    }
  });

  it("reports an unreachable host on one line with exit 3", async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(["db", "update", "--ecosystem", "PyPI", "--db", await tempDb(), ...QUIET], {
      env: { PALISADE_OSV_URL: base },
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 3);
    assert.equal(result.stdout, "");
    assert.match(
      result.stderr,
      new RegExp(`^palisade: cannot download ${base}/PyPI/all\\.zip: connect ECONNREFUSED [^\\n]+\\n$`),
    );
  });

  it("reports a missing export (HTTP 404) with exit 3, and an unknown ecosystem or a bad URL with exit 2", async () => {
    const mirror = await osvMirror({});
    try {
      const db = await tempDb();
      const missing = await runCli(["db", "update", "-e", "npm", "--db", db, ...QUIET], {
        env: { PALISADE_OSV_URL: mirror.url },
      });
      assert.equal(missing.code, 3);
      assert.match(
        missing.stderr,
        /^palisade: cannot download http:\/\/127\.0\.0\.1:\d+\/npm\/all\.zip: HTTP 404[^\n]*\n$/,
      );
      const unknown = await runCli(["db", "update", "-e", "CocoaPods", "--db", db, ...QUIET]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^palisade: unknown ecosystem CocoaPods: give one of npm, [^\n]+\n$/);
      const badUrl = await runCli(["db", "update", "-e", "npm", "--db", db, ...QUIET], {
        env: { PALISADE_OSV_URL: "ftp://mirror.internal/osv" },
      });
      assert.equal(badUrl.code, 2);
      assert.match(badUrl.stderr, /PALISADE_OSV_URL must be http:\/\/ or https:\/\//);
    } finally {
      mirror.server.close();
    }
  });
});
