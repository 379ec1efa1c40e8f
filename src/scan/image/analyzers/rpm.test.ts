import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import type { OsRelease } from "../types.js";
import { anImageFile } from "./fixtures/image-file.js";
import { anRpmdb, aRpmHeader } from "./fixtures/rpmdb.js";
import { MAX_RPM_PACKAGES, MAX_RPMDB_BYTES, rpmAnalyzer, toRpmDistro } from "./rpm.js";

const DB = "var/lib/rpm/rpmdb.sqlite";
const SYSIMAGE_DB = "usr/lib/sysimage/rpm/rpmdb.sqlite";
const ROCKY: OsRelease = { id: "rocky", versionId: "9.3", idLike: ["rhel", "centos", "fedora"] };

const BASH = aRpmHeader({
  name: "bash",
  version: "5.1.8",
  release: "9.el9",
  arch: "x86_64",
  license: "GPLv3+",
  sourceRpm: "bash-5.1.8-9.el9.src.rpm",
});
const LIBS = aRpmHeader({
  name: "openssl-libs",
  version: "3.0.7",
  release: "27.el9",
  epoch: 1,
  arch: "x86_64",
  license: "ASL 2.0",
  sourceRpm: "openssl-3.0.7-27.el9.src.rpm",
});
const KEY = aRpmHeader({ name: "gpg-pubkey", version: "350d275d", release: "6279464b" });

function analyze(content: Buffer, os: OsRelease | undefined = ROCKY) {
  return rpmAnalyzer.analyze([anImageFile(DB, content, { layer: 3 })], { os });
}

describe("rpmAnalyzer", () => {
  it("reads packages from rpmdb.sqlite, skipping signing keys", () => {
    const { packages, warnings } = analyze(anRpmdb([BASH, KEY, LIBS]));
    assert.deepEqual(warnings, []);
    assert.deepEqual(packages, [
      {
        name: "bash",
        version: "5.1.8-9.el9",
        ecosystem: "Rocky Linux:9",
        purl: "pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&distro=rocky-9.3",
        kind: "os-package",
        path: DB,
        layer: 3,
        properties: { arch: "x86_64" },
        sourceName: "bash",
        licenses: ["GPLv3+"],
      },
      {
        name: "openssl-libs",
        version: "1:3.0.7-27.el9",
        ecosystem: "Rocky Linux:9",
        purl: "pkg:rpm/rocky/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rocky-9.3&epoch=1",
        kind: "os-package",
        path: DB,
        layer: 3,
        properties: { arch: "x86_64", epoch: "1" },
        sourceName: "openssl",
        licenses: ["ASL 2.0"],
      },
    ]);
  });

  it("sets the source version only when it differs from the package's", () => {
    const rebuilt = aRpmHeader({ name: "x", version: "1", release: "2", sourceRpm: "x-src-1-1.src.rpm" });
    const [pkg] = analyze(anRpmdb([rebuilt])).packages;
    assert.equal(pkg?.sourceName, "x-src");
    assert.equal(pkg?.sourceVersion, "1-1");
  });

  it("writes no epoch for epoch 0", () => {
    const [pkg] = analyze(anRpmdb([aRpmHeader({ name: "z", version: "1", release: "1", epoch: 0 })])).packages;
    assert.equal(pkg?.version, "1-1");
    assert.doesNotMatch(pkg?.purl ?? "", /epoch/);
  });

  it("opens a database rpm left in WAL mode", () => {
    const { packages, warnings } = analyze(anRpmdb([BASH], { wal: true }));
    assert.deepEqual(warnings, []);
    assert.equal(packages.length, 1);
  });

  it("does not change the bytes it was handed", () => {
    const content = anRpmdb([BASH], { wal: true });
    const copy = Buffer.from(content);
    analyze(content);
    assert.ok(content.equals(copy));
  });

  it("warns about one corrupt header and keeps the others", () => {
    const { packages, warnings } = analyze(anRpmdb([BASH, BASH.subarray(0, 40), Buffer.from("text blob"), LIBS]));
    assert.deepEqual(
      packages.map((p) => p.name),
      ["bash", "openssl-libs"],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? "", /package 2: header truncated/);
  });

  it("warns about a blob stored as text", () => {
    const { warnings } = analyze(anRpmdb(["not a blob"]));
    assert.match(warnings[0] ?? "", /package 1: blob is not binary/);
  });

  it("warns about names that are not one word", () => {
    const { packages, warnings } = analyze(anRpmdb([aRpmHeader({ name: "a b", version: "1", release: "1" })]));
    assert.deepEqual(packages, []);
    assert.equal(warnings.length, 1);
  });

  it("caps per-package warnings and counts the rest", () => {
    const broken = Array.from({ length: 50 }, () => Buffer.from([0, 0]));
    const { warnings } = analyze(anRpmdb(broken));
    assert.equal(warnings.length, 21);
    assert.match(warnings[20] ?? "", /30 more/);
  });

  it("warns about a file that is not SQLite, or has no Packages table", () => {
    assert.match(analyze(Buffer.from("SQLite format 3\0 but not really")).warnings[0] ?? "", /SQLite could not read/);
    assert.deepEqual(analyze(Buffer.alloc(0)), { packages: [], warnings: [] });
    const other = new Database(":memory:");
    other.exec("CREATE TABLE Other (x)");
    assert.match(analyze(other.serialize()).warnings[0] ?? "", /no Packages table/);
    other.close();
  });

  it("refuses a Packages view, which could make the scan arbitrarily slow", () => {
    const db = new Database(":memory:");
    db.exec(
      "CREATE VIEW Packages AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS hnum, x'00' AS blob FROM n",
    );
    const { packages, warnings } = analyze(db.serialize());
    db.close();
    assert.deepEqual(packages, []);
    assert.match(warnings[0] ?? "", /no Packages table/);
  });

  it("keeps what it read when the database is corrupt", () => {
    const content = anRpmdb(Array.from({ length: 400 }, () => BASH));
    // Damage the last pages, keeping the first (schema) page intact.
    const damaged = Buffer.from(content);
    damaged.fill(0xee, damaged.length - 8192);
    const { packages, warnings } = analyze(damaged);
    assert.ok(packages.length > 0 && packages.length < 400, `${packages.length}`);
    assert.match(warnings.join("\n"), /SQLITE_CORRUPT/);
  });

  it("reads at most MAX_RPM_PACKAGES packages and says so", () => {
    const tiny = aRpmHeader({ name: "p", version: "1", release: "1" });
    const { packages, warnings } = analyze(anRpmdb(Array.from({ length: MAX_RPM_PACKAGES + 1 }, () => tiny)));
    assert.equal(packages.length, MAX_RPM_PACKAGES);
    assert.deepEqual(warnings, [`${DB}: more than ${MAX_RPM_PACKAGES} packages, the rest not read`]);
  });

  it("reads the database of the later layer when both locations hold one", () => {
    const older = anImageFile(DB, anRpmdb([BASH]), { layer: 1 });
    const newer = anImageFile(SYSIMAGE_DB, anRpmdb([LIBS]), { layer: 2 });
    const { packages, warnings } = rpmAnalyzer.analyze([older, newer], { os: ROCKY });
    assert.deepEqual(
      packages.map((p) => `${p.name} ${p.path}`),
      [`openssl-libs ${SYSIMAGE_DB}`],
    );
    assert.match(warnings[0] ?? "", /^var\/lib\/rpm\/rpmdb.sqlite: a second rpm database/);
  });

  it("says that a BerkeleyDB database is not read", () => {
    const { packages, warnings } = rpmAnalyzer.analyze([anImageFile("var/lib/rpm/Packages", Buffer.alloc(64))], {});
    assert.deepEqual(packages, []);
    assert.match(warnings[0] ?? "", /BerkeleyDB\/NDB rpm databases are not read/);
  });

  it("says that a non-empty WAL file is not read", () => {
    const files = [anImageFile(DB, anRpmdb([BASH])), anImageFile(`${DB}-wal`, Buffer.alloc(4096))];
    const { packages, warnings } = rpmAnalyzer.analyze(files, { os: ROCKY });
    assert.equal(packages.length, 1);
    assert.match(warnings[0] ?? "", /not yet checkpointed/);
  });

  it("wants the databases, regular and within the cap", () => {
    for (const path of [DB, SYSIMAGE_DB, `${DB}-wal`, "var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages.db"]) {
      assert.ok(rpmAnalyzer.wants(path, 1000, 0o100644), path);
    }
    assert.ok(!rpmAnalyzer.wants("var/lib/rpm/Name", 1000, 0o644));
    assert.equal(rpmAnalyzer.maxBytes, MAX_RPMDB_BYTES, "a larger database is refused by the scan, with a warning");
    assert.ok(!rpmAnalyzer.wants("var/lib/rpm", 0, 0o40755));
  });

  it("warns about every truncated blob and lists every intact one", () => {
    const blob = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(blob, { minLength: 1, maxLength: 10 }), (entries) => {
        const blobs = entries.map((e) => {
          const full = aRpmHeader({ name: e.name, version: "1", release: "1.el9", arch: "noarch" });
          return e.cut === undefined ? full : full.subarray(0, e.cut % full.length);
        });
        const { packages, warnings } = analyze(anRpmdb(blobs));
        const intact = entries.filter((e) => e.cut === undefined && e.name !== "gpg-pubkey").map((e) => e.name);
        assert.deepEqual(
          packages.map((p) => p.name),
          intact,
        );
        assert.equal(warnings.length, entries.filter((e) => e.cut !== undefined).length);
      }),
      { numRuns: 50 },
    );
  });

  it("never throws on arbitrary bytes as a database", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        analyze(Buffer.from(bytes));
      }),
      { numRuns: 50 },
    );
  });

  it("never throws on a real database with bytes overwritten", () => {
    const content = anRpmdb([BASH, LIBS, KEY]);
    const patch = fc.record({ at: fc.nat(content.length - 1), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(fc.array(patch, { minLength: 1, maxLength: 20 }), (patches) => {
        const damaged = Buffer.from(content);
        for (const { at, value } of patches) damaged[at] = value;
        analyze(damaged);
      }),
      { numRuns: 100 },
    );
  });
});

describe("toRpmDistro", () => {
  it("maps os-release ids to purl namespaces and OSV ecosystems", () => {
    assert.deepEqual(toRpmDistro({ id: "rhel", versionId: "9.4", idLike: ["fedora"] }), {
      namespace: "redhat",
      ecosystem: "Red Hat",
      distro: "rhel-9.4",
    });
    assert.equal(toRpmDistro({ id: "almalinux", versionId: "8.10", idLike: [] }).ecosystem, "AlmaLinux:8");
    assert.equal(toRpmDistro({ id: "fedora", versionId: "40", idLike: [] }).namespace, "fedora");
    assert.equal(toRpmDistro({ id: "centos", versionId: "9", idLike: [] }).namespace, "centos");
  });

  it("keeps an unknown id as it is, even one named like an Object property", () => {
    assert.deepEqual(toRpmDistro({ id: "constructor", idLike: [] }), {
      namespace: "constructor",
      ecosystem: "constructor",
      distro: undefined,
    });
    assert.deepEqual(toRpmDistro(undefined), { ecosystem: "rpm" });
  });
});
