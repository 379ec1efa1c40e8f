import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { OsRelease } from "../types.js";
import { dpkgAnalyzer, MAX_DPKG_FILE_BYTES, toDebDistro } from "./dpkg.js";
import { anImageFile } from "./fixtures/image-file.js";

const DEBIAN_12: OsRelease = { id: "debian", versionId: "12", codename: "bookworm", idLike: [] };
const UBUNTU_2204: OsRelease = { id: "ubuntu", versionId: "22.04", codename: "jammy", idLike: ["debian"] };
const STATUS = "var/lib/dpkg/status";

const SAMPLE = `Package: bsdutils
Essential: yes
Status: install ok installed
Priority: required
Section: utils
Installed-Size: 335
Maintainer: util-linux packagers <util-linux@packages.debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: util-linux (2.38.1-5+deb12u3)
Version: 1:2.38.1-5+deb12u3
Description: basic utilities from 4.4BSD-Lite
 This package contains the bare minimum of BSD utilities needed for a
 Debian system: logger, renice, script, scriptlive, scriptreplay and wall.
 .
 The remaining standard BSD utilities are provided by bsdextrautils.

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u7
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab

Package: libc6
Status: install ok installed
Architecture: i386
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u7

Package: tzdata
Status: hold ok installed
Architecture: all
Version: 2024a-0+deb12u1

Package: removed-but-configured
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: half-done
Status: install ok unpacked
Architecture: amd64
Version: 1.0-1

Package: never
Status: purge ok not-installed
Architecture: amd64

Package: waiting
Status: install ok triggers-pending
Architecture: amd64
Version: 2.0-1
`;

function analyze(text: string, os: OsRelease | undefined = DEBIAN_12, path = STATUS) {
  return dpkgAnalyzer.analyze([anImageFile(path, text, { layer: 2 })], { os });
}

describe("dpkgAnalyzer on var/lib/dpkg/status", () => {
  it("lists exactly the installed packages, each multi-arch instance once", () => {
    const { packages, warnings } = analyze(SAMPLE);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      packages.map((p) => `${p.name}:${p.properties?.arch} ${p.version}`),
      [
        "bsdutils:amd64 1:2.38.1-5+deb12u3",
        "libc6:amd64 2.36-9+deb12u7",
        "libc6:i386 2.36-9+deb12u7",
        "tzdata:all 2024a-0+deb12u1",
        "waiting:amd64 2.0-1",
      ],
    );
  });

  it("describes a package fully: purl, ecosystem, source with its own version", () => {
    const [bsdutils] = analyze(SAMPLE).packages;
    assert.deepEqual(bsdutils, {
      name: "bsdutils",
      version: "1:2.38.1-5+deb12u3",
      ecosystem: "Debian:12",
      purl: "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12",
      kind: "os-package",
      path: STATUS,
      layer: 2,
      sourceName: "util-linux",
      sourceVersion: "2.38.1-5+deb12u3",
      properties: { arch: "amd64", multiArch: "foreign" },
    });
  });

  it("takes the source name from Source and the binary's name when Source is absent", () => {
    const byName = new Map(analyze(SAMPLE).packages.map((p) => [p.name, p]));
    assert.equal(byName.get("libc6")?.sourceName, "glibc");
    assert.equal(byName.get("libc6")?.sourceVersion, undefined);
    assert.equal(byName.get("tzdata")?.sourceName, "tzdata");
  });

  it("gives each architecture of a multi-arch package its own purl", () => {
    const libc = analyze(SAMPLE).packages.filter((p) => p.name === "libc6");
    assert.deepEqual(
      libc.map((p) => p.purl),
      [
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12",
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=i386&distro=debian-12",
      ],
    );
  });

  it("uses the ubuntu namespace and OSV's Ubuntu release names", () => {
    const [pkg] = analyze(SAMPLE, UBUNTU_2204).packages;
    assert.equal(pkg?.ecosystem, "Ubuntu:22.04:LTS");
    assert.match(pkg?.purl ?? "", /^pkg:deb\/ubuntu\/bsdutils@.*distro=ubuntu-22\.04$/);
  });

  it("drops a malformed Source or Architecture but keeps the package", () => {
    const text =
      "Package: a\nStatus: install ok installed\nVersion: 1\nSource: Not A Name (1)\nArchitecture: amd 64\n\nPackage: b\nStatus: install ok installed\nVersion: 1\nSource: src (bad version)\n";
    const [a, b] = analyze(text).packages;
    assert.equal(a?.sourceName, "a");
    assert.equal(a?.properties?.arch, undefined);
    assert.equal(a?.purl, "pkg:deb/debian/a@1?distro=debian-12");
    assert.equal(b?.sourceName, "src");
    assert.equal(b?.sourceVersion, undefined);
  });

  it("skips a paragraph without Status in the status file", () => {
    assert.deepEqual(analyze("Package: a\nVersion: 1\n").packages, []);
  });

  it("accepts field names in any case and whitespace-only separator lines", () => {
    const { packages } = analyze(
      "package: a\nSTATUS: install ok installed\nversion: 1\n \t\nPackage: b\nStatus: install ok installed\nVersion: 2\n",
    );
    assert.deepEqual(
      packages.map((p) => p.name),
      ["a", "b"],
    );
  });

  it("counts paragraphs with a bad name or version in one warning", () => {
    const bad =
      "Package: Bad Name\nStatus: install ok installed\nVersion: 1\n\nPackage: ok\nStatus: install ok installed\nVersion: 1 2\n\nPackage: fine\nStatus: install ok installed\nVersion: 1.0\n";
    const { packages, warnings } = analyze(bad);
    assert.deepEqual(
      packages.map((p) => p.name),
      ["fine"],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /skipped 2 paragraph/);
  });

  it("warns when the reader handed over less than the whole file", () => {
    const file = anImageFile(STATUS, SAMPLE, { size: SAMPLE.length + 100 });
    assert.equal(dpkgAnalyzer.analyze([file], { os: DEBIAN_12 }).warnings.length, 1);
  });
});

describe("dpkgAnalyzer on distroless status.d", () => {
  const base = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: x\n";
  const libssl =
    "Package: libssl3\nVersion: 3.0.13-1~deb12u1\nArchitecture: amd64\nSource: openssl\n\nPackage: openssl\nVersion: 3.0.13-1~deb12u1\nArchitecture: amd64\n";

  it("reads every paragraph of every file, without Status fields", () => {
    const { packages, warnings } = dpkgAnalyzer.analyze(
      [anImageFile("var/lib/dpkg/status.d/libssl3", libssl), anImageFile("var/lib/dpkg/status.d/base", base)],
      { os: DEBIAN_12 },
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      packages.map((p) => [p.path, p.name, p.sourceName]),
      [
        ["var/lib/dpkg/status.d/base", "base-files", "base-files"],
        ["var/lib/dpkg/status.d/libssl3", "libssl3", "openssl"],
        ["var/lib/dpkg/status.d/libssl3", "openssl", "openssl"],
      ],
    );
  });

  it("still honours a Status field when one is there", () => {
    const text = "Package: gone\nVersion: 1\nStatus: deinstall ok config-files\n";
    assert.deepEqual(analyze(text, DEBIAN_12, "var/lib/dpkg/status.d/gone").packages, []);
  });

  it("reports a package in both status and status.d once", () => {
    const status = `${base}Status: install ok installed\n`;
    const { packages } = dpkgAnalyzer.analyze(
      [anImageFile("var/lib/dpkg/status.d/base", base), anImageFile(STATUS, status)],
      { os: DEBIAN_12 },
    );
    assert.deepEqual(
      packages.map((p) => p.path),
      [STATUS],
    );
  });

  it("wants status files but not checksums, subfolders, links or oversized files", () => {
    assert.ok(dpkgAnalyzer.wants(STATUS, 1000, 0o100644));
    assert.ok(dpkgAnalyzer.wants("var/lib/dpkg/status.d/libssl3", 1000, 0o644));
    assert.ok(!dpkgAnalyzer.wants("var/lib/dpkg/status.d/libssl3.md5sums", 1000, 0o644));
    assert.ok(!dpkgAnalyzer.wants("var/lib/dpkg/status.d/x/y", 1000, 0o644));
    assert.ok(!dpkgAnalyzer.wants("var/lib/dpkg/status.d/", 0, 0o40755));
    assert.ok(!dpkgAnalyzer.wants("var/lib/dpkg/status-old", 1000, 0o644));
    assert.ok(!dpkgAnalyzer.wants(STATUS, 1000, 0o120777));
    assert.ok(dpkgAnalyzer.wants(STATUS, MAX_DPKG_FILE_BYTES, 0o644));
    assert.equal(
      dpkgAnalyzer.maxBytes,
      MAX_DPKG_FILE_BYTES,
      "a larger database is refused by the scan, with a warning",
    );
  });
});

describe("toDebDistro", () => {
  it("names releases as OSV does", () => {
    assert.deepEqual(toDebDistro(DEBIAN_12), { namespace: "debian", ecosystem: "Debian:12", distro: "debian-12" });
    assert.equal(toDebDistro({ id: "ubuntu", versionId: "24.04", idLike: [] }).ecosystem, "Ubuntu:24.04:LTS");
    assert.equal(toDebDistro({ id: "ubuntu", versionId: "23.10", idLike: [] }).ecosystem, "Ubuntu:23.10");
    assert.equal(toDebDistro({ id: "ubuntu", versionId: "21.04", idLike: [] }).ecosystem, "Ubuntu:21.04");
  });

  it("uses the codename for a release without a version, and Debian without an OS", () => {
    assert.deepEqual(toDebDistro({ id: "debian", codename: "trixie", idLike: [] }), {
      namespace: "debian",
      ecosystem: "Debian",
      distro: "debian-trixie",
    });
    assert.deepEqual(toDebDistro(undefined), { namespace: "debian", ecosystem: "Debian", distro: undefined });
  });

  it("keeps a derivative apart from Debian", () => {
    assert.deepEqual(toDebDistro({ id: "kali", versionId: "2024.1", idLike: ["debian"] }), {
      namespace: "kali",
      ecosystem: "kali",
      distro: "kali-2024.1",
    });
  });
});

describe("dpkgAnalyzer on hostile input", () => {
  const time = (text: string) => {
    const file = anImageFile(STATUS, text);
    const start = performance.now();
    const result = dpkgAnalyzer.analyze([file], { os: DEBIAN_12 });
    return { ms: performance.now() - start, result };
  };

  it("reads a 50 MB one-line status file in linear time", () => {
    for (const unit of ["Package: a", "x", ":", " (", "Source: a ("]) {
      const small = time(unit.repeat(Math.ceil(5_000_000 / unit.length)));
      const big = time(unit.repeat(Math.ceil(50_000_000 / unit.length)));
      assert.deepEqual(big.result.packages, []);
      // Linear: ten times the input, about ten times the time (quadratic would be 100x).
      assert.ok(big.ms < 30 * small.ms + 500, `${JSON.stringify(unit)}: 5 MB ${small.ms} ms, 50 MB ${big.ms} ms`);
    }
  });

  it("reads a paragraph of a million continuation lines", () => {
    const description = " line of a very long description\n".repeat(1_000_000);
    const text = `Package: big\nStatus: install ok installed\nVersion: 1.0\nDescription: x\n${description}\nPackage: next\nStatus: install ok installed\nVersion: 2\n`;
    const { ms, result } = time(text);
    assert.deepEqual(
      result.packages.map((p) => p.name),
      ["big", "next"],
    );
    assert.ok(ms < 5000, `${ms} ms`);
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = dpkgAnalyzer.analyze([anImageFile(STATUS, Buffer.from(bytes))], { os: DEBIAN_12 });
        assert.ok(Array.isArray(result.packages));
      }),
    );
  });

  it("never throws on the sample with bytes cut, flipped or inserted", () => {
    const sample = Buffer.from(SAMPLE);
    fc.assert(
      fc.property(fc.nat(sample.length), fc.nat(sample.length), fc.uint8Array({ maxLength: 20 }), (from, to, junk) => {
        const [a, b] = from < to ? [from, to] : [to, from];
        const mutated = Buffer.concat([sample.subarray(0, a), junk, sample.subarray(b)]);
        dpkgAnalyzer.analyze([anImageFile(STATUS, mutated)], { os: DEBIAN_12 });
        dpkgAnalyzer.analyze([anImageFile("var/lib/dpkg/status.d/x", mutated)], {});
      }),
    );
  });

  it("finds exactly the installed packages of any generated status file", () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{0,20}$/);
    const version = fc.stringMatching(/^[0-9][A-Za-z0-9.+~-]{0,15}$/);
    const state = fc.constantFrom(
      "install ok installed",
      "hold ok installed",
      "deinstall ok config-files",
      "install ok unpacked",
    );
    const entry = fc.record({ name, version, state, arch: fc.constantFrom("amd64", "arm64", "all") });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => `${e.name}:${e.arch}`, maxLength: 30 }), (entries) => {
        const text = entries
          .map(
            (e) =>
              `Package: ${e.name}\nStatus: ${e.state}\nArchitecture: ${e.arch}\nVersion: ${e.version}\nDescription: d\n more\n`,
          )
          .join("\n");
        const expected = entries
          .filter((e) => e.state.endsWith(" installed"))
          .map((e) => `${e.name}:${e.arch}@${e.version}`);
        const found = analyze(text).packages.map((p) => `${p.name}:${p.properties?.arch}@${p.version}`);
        assert.deepEqual(found, expected);
      }),
    );
  });
});
