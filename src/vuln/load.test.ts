/** Loading OSV folders and zip exports: bounded, incremental, and a broken file is a problem, not a crash. */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deflateRawSync } from "node:zlib";
import fc from "fast-check";
import { isPalisadeError } from "../core/index.js";
import { loadOsvDirectory, loadOsvZip } from "./load.js";
import type { OsvAdvisory } from "./osv.js";
import { crc32, readZip } from "./zip.js";

function anAdvisory(id: string, modified = "2024-01-01T00:00:00Z", name = "demo"): OsvAdvisory {
  return {
    id,
    modified,
    affected: [{ package: { ecosystem: "npm", name }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }] }],
  };
}

const json = (advisory: OsvAdvisory) => Buffer.from(JSON.stringify(advisory));

interface ZipInput {
  name: string;
  data: Buffer;
  method?: 0 | 8;
  /** Overrides, to build damaged archives. */
  crc?: number;
  size?: number;
  flags?: number;
}

/** A minimal zip writer (APPNOTE §4.3), for fixtures only. */
function makeZip(inputs: ZipInput[], options: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const method = input.method ?? 8;
    const body = method === 8 ? deflateRawSync(input.data) : input.data;
    const name = Buffer.from(input.name);
    const crc = input.crc ?? crc32(input.data);
    const size = input.size ?? input.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(input.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(input.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (options.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(inputs.length), 24);
    record.writeBigUInt64LE(BigInt(inputs.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(options.zip64 ? 0xffff : inputs.length, 8);
  eocd.writeUInt16LE(options.zip64 ? 0xffff : inputs.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, directory, ...tail, eocd]);
}

async function expectRejection(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isPalisadeError(error) && error.code === code);
}

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "palisade-osv-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("loading an OSV folder", () => {
  it("reads .json and .yaml files recursively and reports broken ones by name", async () => {
    const dir = join(root, "tree");
    await mkdir(join(dir, "a/b"), { recursive: true });
    await mkdir(join(dir, ".git"), { recursive: true });
    await writeFile(join(dir, "a/GHSA-1.json"), json(anAdvisory("GHSA-1")));
    await writeFile(join(dir, "a/b/PYSEC-1.yaml"), "id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\n");
    await writeFile(join(dir, "a/b/broken.json"), "{not json");
    await writeFile(join(dir, ".git/GHSA-hidden.json"), json(anAdvisory("GHSA-hidden")));
    await writeFile(join(dir, "README.md"), "# not an advisory");
    await symlink(dir, join(dir, "a/loop"));
    const { index, report } = await loadOsvDirectory(dir);
    assert.deepEqual([...index.advisories()].map((a) => a.id).sort(), ["GHSA-1", "PYSEC-1"]);
    assert.deepEqual(
      report.problems.map((p) => [p.file, p.code]),
      [[join(dir, "a/b/broken.json"), "bad-input"]],
    );
    assert.ok(report.problems[0]?.message.includes("broken.json"));
    assert.deepEqual([report.files, report.added], [3, 2]);
  });

  it("loads a newer export over an older one incrementally", async () => {
    const older = join(root, "older");
    const newer = join(root, "newer");
    await mkdir(older);
    await mkdir(newer);
    await writeFile(join(older, "GHSA-1.json"), json(anAdvisory("GHSA-1", "2024-01-01T00:00:00Z")));
    await writeFile(join(older, "GHSA-2.json"), json(anAdvisory("GHSA-2", "2024-05-01T00:00:00Z")));
    await writeFile(join(newer, "GHSA-1.json"), json(anAdvisory("GHSA-1", "2024-06-01T00:00:00Z")));
    await writeFile(join(newer, "GHSA-2.json"), json(anAdvisory("GHSA-2", "2024-04-01T00:00:00Z")));
    const { index } = await loadOsvDirectory(older);
    const { report } = await loadOsvDirectory(newer, { index });
    assert.deepEqual([report.replaced, report.skipped], [1, 1]);
    assert.equal(index.get("GHSA-1")?.modified, "2024-06-01T00:00:00Z");
    assert.equal(index.get("GHSA-2")?.modified, "2024-05-01T00:00:00Z");
  });

  it("stops at its bounds on files, depth and bytes, and says so", async () => {
    const dir = join(root, "bounded");
    await mkdir(join(dir, "1/2/3"), { recursive: true });
    for (let i = 0; i < 5; i++) await writeFile(join(dir, `GHSA-${i}.json`), json(anAdvisory(`GHSA-${i}`)));
    await writeFile(join(dir, "1/2/3/GHSA-deep.json"), json(anAdvisory("GHSA-deep")));
    const few = await loadOsvDirectory(dir, { limits: { maxFiles: 3 } });
    assert.equal(few.index.size, 3);
    assert.ok(few.report.problems.some((p) => p.message.includes("more than 3 files")));
    const shallow = await loadOsvDirectory(dir, { limits: { maxDepth: 2 } });
    assert.equal(shallow.index.get("GHSA-deep"), undefined);
    assert.ok(shallow.report.problems.some((p) => p.file === join(dir, "1/2/3")));
    const small = await loadOsvDirectory(dir, { limits: { maxFileBytes: 10 } });
    assert.equal(small.index.size, 0);
    assert.equal(small.report.problems.length, 6);
  });

  it("throws not-found for a folder that does not exist", async () => {
    await expectRejection(loadOsvDirectory(join(root, "missing")), "not-found");
  });
});

describe("loading an OSV zip export", () => {
  async function write(name: string, content: Buffer): Promise<string> {
    const path = join(root, name);
    await writeFile(path, content);
    return path;
  }

  it("reads stored and deflated entries, skipping folders and other files", async () => {
    const path = await write(
      "all.zip",
      makeZip([
        { name: "GHSA-1.json", data: json(anAdvisory("GHSA-1")), method: 0 },
        { name: "nested/", data: Buffer.alloc(0), method: 0 },
        { name: "nested/GHSA-2.json", data: json(anAdvisory("GHSA-2")) },
        { name: "PYSEC-1.yaml", data: Buffer.from("id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\n") },
        { name: "LICENSE", data: Buffer.from("text") },
      ]),
    );
    const { index, report } = await loadOsvZip(path);
    assert.deepEqual([...index.advisories()].map((a) => a.id).sort(), ["GHSA-1", "GHSA-2", "PYSEC-1"]);
    assert.deepEqual(report.problems, []);
  });

  it("reads Zip64 end records", async () => {
    const path = await write(
      "zip64.zip",
      makeZip([{ name: "GHSA-1.json", data: json(anAdvisory("GHSA-1")) }], { zip64: true }),
    );
    assert.equal((await loadOsvZip(path)).index.size, 1);
  });

  it("reports damaged, encrypted, oversized and bomb entries by name and keeps the rest", async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const path = await write(
      "damaged.zip",
      makeZip([
        { name: "bad-crc.json", data: json(anAdvisory("GHSA-crc")), crc: 1234 },
        { name: "encrypted.json", data: json(anAdvisory("GHSA-enc")), flags: 1 },
        { name: "huge.json", data: zeros },
        { name: "bomb.json", data: zeros, size: 100 },
        { name: "stored-method.json", data: json(anAdvisory("GHSA-m")), method: 0, size: 3 },
        { name: "corrupt.json", data: Buffer.from("{") },
        { name: "GHSA-ok.json", data: json(anAdvisory("GHSA-ok")) },
      ]),
    );
    const { index, report } = await loadOsvZip(path);
    assert.deepEqual(
      [...index.advisories()].map((a) => a.id),
      ["GHSA-ok"],
    );
    assert.deepEqual(report.problems.map((p) => p.file.slice(path.length + 1)).sort(), [
      "bad-crc.json",
      "bomb.json",
      "corrupt.json",
      "encrypted.json",
      "huge.json",
      "stored-method.json",
    ]);
    assert.ok(report.problems.every((p) => p.code === "bad-input" && p.message.includes(path)));
  });

  it("throws bad-input for files that are not zip archives or whose directory is damaged", async () => {
    const good = makeZip([{ name: "GHSA-1.json", data: json(anAdvisory("GHSA-1")) }]);
    await expectRejection(loadOsvZip(await write("not.zip", Buffer.from("plain text, no archive here"))), "bad-input");
    await expectRejection(loadOsvZip(await write("empty.zip", Buffer.alloc(0))), "bad-input");
    const truncated = Buffer.concat([good.subarray(0, 40), good.subarray(good.length - 22)]);
    await expectRejection(loadOsvZip(await write("truncated.zip", truncated)), "bad-input");
    const outside = Buffer.from(good);
    outside.writeUInt32LE(0x7fffffff, outside.length - 6);
    await expectRejection(loadOsvZip(await write("outside.zip", outside)), "bad-input");
  });

  it("refuses archives with more entries than allowed, and missing archives", async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({
      name: `GHSA-${i}.json`,
      data: json(anAdvisory(`GHSA-${i}`)),
    }));
    const path = await write("five.zip", makeZip(entries));
    await expectRejection(loadOsvZip(path, { limits: { maxFiles: 4 } }), "bad-input");
    await expectRejection(loadOsvZip(join(root, "absent.zip")), "not-found");
  });

  it("survives any corruption of an archive's bytes with a bad-input error or a clean read", () => {
    const good = makeZip(
      [
        { name: "GHSA-1.json", data: json(anAdvisory("GHSA-1")) },
        { name: "GHSA-2.json", data: json(anAdvisory("GHSA-2")), method: 0 },
      ],
      { zip64: true },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const bytes = Buffer.from(good);
          for (const [at, value] of edits) bytes[at] = value;
          try {
            for (const entry of readZip(bytes, "fuzz.zip", { maxEntries: 100, maxEntryBytes: 4096 })) entry.read();
          } catch (error) {
            return isPalisadeError(error) && error.code === "bad-input";
          }
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
