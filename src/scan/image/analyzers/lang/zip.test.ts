import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { aZip } from "./test-zip.js";
import { readZipEntry, toZipDirectory, type ZipEntry } from "./zip.js";

const hasCommand = (name: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

function entriesOf(data: Buffer): ZipEntry[] {
  const directory = toZipDirectory(data);
  assert.equal(directory.kind, "ok");
  return directory.kind === "ok" ? directory.entries : [];
}

function read(data: Buffer, name: string): string {
  const entry = entriesOf(data).find((e) => e.name === name);
  assert.ok(entry, `${name} is listed`);
  const result = readZipEntry(data, entry);
  assert.equal(result.kind, "ok", result.kind === "error" ? result.reason : "");
  return result.kind === "ok" ? result.data.toString("utf8") : "";
}

describe("zip reader", () => {
  it("reads stored and deflated members", () => {
    const zip = aZip([
      { name: "a.txt", data: "stored text", method: "store" },
      { name: "dir/b.txt", data: "deflated ".repeat(100) },
    ]);
    assert.deepEqual(
      entriesOf(zip).map((e) => [e.name, e.method]),
      [
        ["a.txt", 0],
        ["dir/b.txt", 8],
      ],
    );
    assert.equal(read(zip, "a.txt"), "stored text");
    assert.equal(read(zip, "dir/b.txt"), "deflated ".repeat(100));
  });

  it("reads an archive behind a prepended launcher script", () => {
    const zip = aZip([{ name: "x", data: "y" }], { prefix: '#!/bin/sh\nexec java -jar "$0"\n' });
    assert.equal(read(zip, "x"), "y");
  });

  const unzipSkip = hasCommand("unzip") ? false : "needs Info-ZIP's unzip";
  it("lists the same members as Info-ZIP's unzip, for its own zip and ours", { skip: unzipSkip }, () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-zip-"));
    try {
      const ours = join(dir, "ours.zip");
      writeFileSync(
        ours,
        aZip([
          { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\n" },
          { name: "a/b/c.txt", data: "c" },
        ]),
      );
      execFileSync("unzip", ["-tq", ours]); // CRCs and structure as Info-ZIP sees them
      const listing = execFileSync("unzip", ["-Z1", ours], { encoding: "utf8" }).trim().split("\n");
      assert.deepEqual(
        entriesOf(readFileSync(ours)).map((e) => e.name),
        listing,
      );
      if (hasCommand("zip")) {
        // zip reading stdin writes data descriptors: local headers then carry no sizes.
        const streamed = execFileSync("zip", ["-q", "-", "-"], { input: "streamed member\n".repeat(50) });
        assert.equal(read(streamed, "-"), "streamed member\n".repeat(50));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses members over the size limit or the ratio limit, and lying headers", () => {
    const big = Buffer.alloc(17 * 1024 * 1024);
    const bomb = aZip([{ name: "bomb", data: big }]);
    const entry = entriesOf(bomb)[0] as ZipEntry;
    assert.equal(readZipEntry(bomb, entry).kind, "error");
    const ratio = aZip([{ name: "ratio", data: Buffer.alloc(4 * 1024 * 1024) }]);
    assert.match(String(Object(readZipEntry(ratio, entriesOf(ratio)[0] as ZipEntry)).reason), /ratio/);
    const liar = aZip([{ name: "liar", data: "x".repeat(5000), declaredSize: 10 }]);
    assert.equal(readZipEntry(liar, entriesOf(liar)[0] as ZipEntry).kind, "error");
    const stored = aZip([{ name: "s", data: "abc", method: "store", declaredSize: 99 }]);
    assert.equal(readZipEntry(stored, entriesOf(stored)[0] as ZipEntry).kind, "error");
  });

  it("refuses encrypted members and unknown compression methods", () => {
    const zip = aZip([{ name: "a", data: "x" }]);
    const [entry] = entriesOf(zip) as [ZipEntry];
    assert.equal(readZipEntry(zip, { ...entry, flags: entry.flags | 1 }).kind, "error");
    assert.equal(readZipEntry(zip, { ...entry, method: 14 }).kind, "error");
  });

  it("stops listing at the member limit and says so", () => {
    const zip = aZip(Array.from({ length: 30 }, (_, i) => ({ name: `m${i}`, data: "", method: "store" as const })));
    const directory = toZipDirectory(zip, { maxEntries: 10, maxMemberBytes: 1024, maxRatio: 100 });
    assert.equal(directory.kind === "ok" && directory.entries.length, 10);
    assert.equal(directory.kind === "ok" && directory.truncated, true);
  });

  it("reports every truncation, and every gap cut out of the middle, as damage", () => {
    const zip = aZip([
      { name: "META-INF/maven/g/a/pom.properties", data: "groupId=g\nartifactId=a\nversion=1\n" },
      { name: "b", data: "b".repeat(300) },
    ]);
    const damaged = (data: Buffer) => {
      const directory = toZipDirectory(data);
      return directory.kind === "corrupt" || directory.entries.some((e) => readZipEntry(data, e).kind === "error");
    };
    for (let length = 0; length < zip.length; length++) {
      assert.ok(damaged(zip.subarray(0, length)), `truncated to ${length}`);
    }
    for (let at = 0; at < zip.length - 7; at++) {
      assert.ok(damaged(Buffer.concat([zip.subarray(0, at), zip.subarray(at + 7)])), `7 bytes cut at ${at}`);
    }
  });

  it("never throws on random bytes or mutated archives", () => {
    const seed = aZip([
      { name: "a", data: "alpha ".repeat(40) },
      { name: "b", data: "beta", method: "store" },
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.nat(),
        (edits, cut) => {
          const mutated = Buffer.from(seed);
          for (const [at, byte] of edits) mutated[at % mutated.length] = byte;
          const data = mutated.subarray(0, cut % (mutated.length + 1));
          const directory = toZipDirectory(data);
          if (directory.kind === "ok") for (const entry of directory.entries) readZipEntry(data, entry);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const data = Buffer.from(bytes);
        const directory = toZipDirectory(data);
        if (directory.kind === "ok") for (const entry of directory.entries) readZipEntry(data, entry);
      }),
    );
  });
});
