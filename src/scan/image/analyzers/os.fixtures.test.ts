/**
 * The OS analyzers against real data: this machine's dpkg database checked against dpkg-query
 * itself, a distroless status.d built from its real paragraphs, and apk and rpm databases
 * written here in their on-disk formats with the expected package lists spelled out first.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Analyzer, AnalyzerContext, ImageFile } from "../types.js";
import { apkAnalyzer } from "./apk.js";
import { dpkgAnalyzer } from "./dpkg.js";
import { anImageFile } from "./fixtures/image-file.js";
import { anRpmdb, aRpmHeader } from "./fixtures/rpmdb.js";
import { findOsRelease, osAnalyzer } from "./os-release.js";
import { rpmAnalyzer } from "./rpm.js";

const HOST_STATUS = "/var/lib/dpkg/status";
const HOST_OS_RELEASE = "/etc/os-release";
const NO_DPKG = existsSync(HOST_STATUS) ? false : "this machine has no dpkg database to compare against";

/** What the layer reader does: keep the files an analyzer wants. */
function kept(analyzer: Analyzer, files: readonly ImageFile[]): ImageFile[] {
  return files.filter((f) => analyzer.wants(f.path, f.size, f.mode));
}

function run(analyzer: Analyzer, files: readonly ImageFile[], ctx: AnalyzerContext) {
  return analyzer.analyze(kept(analyzer, files), ctx);
}

/** dpkg-query's fields, tab-separated, one package a line (its format escapes `\t`, `\n`). */
function dpkgQuery(fields: readonly string[]): string[][] {
  const format = `${fields.map((f) => `\${${f}}`).join("\\t")}\\n`;
  const out = execFileSync("dpkg-query", ["-W", "-f", format], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return out
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\t"));
}

/** dpkg-query's notion of installed: the third word of Status (see INSTALLED_STATES). */
function isInstalled(status: string): boolean {
  return ["installed", "triggers-awaited", "triggers-pending"].includes(status.split(" ")[2] ?? "");
}

describe("dpkg on this machine's database", { skip: NO_DPKG }, () => {
  const osFiles = existsSync(HOST_OS_RELEASE) ? [anImageFile("etc/os-release", readFileSync(HOST_OS_RELEASE))] : [];
  const os = findOsRelease(kept(osAnalyzer, osFiles));
  const status = anImageFile("var/lib/dpkg/status", readFileSync(HOST_STATUS));
  const found = run(dpkgAnalyzer, [status], { os });
  const native = execFileSync("dpkg", ["--print-architecture"], { encoding: "utf8" }).trim();

  /** dpkg-query's `binary:Package`: qualified for Multi-Arch: same and foreign architectures. */
  const binaryPackage = (p: (typeof found.packages)[number]) => {
    const arch = p.properties?.arch ?? "";
    const qualified = p.properties?.multiArch === "same" || (arch !== native && arch !== "all");
    return qualified ? `${p.name}:${arch}` : p.name;
  };

  it("lists exactly the packages dpkg-query says are installed, with the same versions", () => {
    const expected = dpkgQuery(["binary:Package", "Version", "Status"])
      .filter(([, , s]) => isInstalled(s ?? ""))
      .map(([name, version]) => `${name}\t${version}`)
      .sort();
    const actual = found.packages.map((p) => `${binaryPackage(p)}\t${p.version}`).sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(actual, expected);
    assert.deepEqual(found.warnings, []);
  });

  it("agrees with dpkg-query on architecture and source package", () => {
    const expected = dpkgQuery(["binary:Package", "Architecture", "source:Package", "source:Version", "Status"])
      .filter(([, , , , s]) => isInstalled(s ?? ""))
      .map(([name, arch, source, sourceVersion]) => [name, arch, source, sourceVersion].join("\t"))
      .sort();
    const actual = found.packages
      .map((p) => [binaryPackage(p), p.properties?.arch, p.sourceName, p.sourceVersion ?? p.version].join("\t"))
      .sort();
    assert.deepEqual(actual, expected);
  });

  it("names every package in the OS's purl namespace and OSV ecosystem", () => {
    assert.ok(os, "this machine has an os-release");
    for (const p of found.packages) {
      assert.ok(p.purl.startsWith(`pkg:deb/${os.id}/${encodeURIComponent(p.name)}@`), p.purl);
      if (os.versionId) assert.ok(p.purl.endsWith(`distro=${os.id}-${os.versionId}`), p.purl);
    }
    if (os.id === "debian" && os.versionId) assert.equal(found.packages[0]?.ecosystem, `Debian:${os.versionId}`);
  });

  it("reads a distroless status.d made of the real paragraphs", () => {
    // Raw paragraphs of the real file, split by hand so the parser is not its own oracle.
    const paragraphs = readFileSync(HOST_STATUS, "utf8")
      .split(/\n\n+/)
      .filter((p) => /^Status: \S+ ok installed$/m.test(p));
    const picked = [paragraphs[0], paragraphs[1], paragraphs[2], paragraphs[paragraphs.length - 1]].map((p) =>
      // distroless writes paragraphs without dpkg's Status line.
      (p ?? "").replace(/^Status: .*\n/m, ""),
    );
    const nameOf = (p: string) => /^Package: (.+)$/m.exec(p)?.[1] ?? "";
    const versionOf = (p: string) => /^Version: (.+)$/m.exec(p)?.[1] ?? "";
    const files = [
      anImageFile(`var/lib/dpkg/status.d/${nameOf(picked[0] ?? "")}`, `${picked[0]}\n`),
      anImageFile("var/lib/dpkg/status.d/two", `${picked[1]}\n\n${picked[2]}\n`),
      anImageFile("var/lib/dpkg/status.d/last", picked[3] ?? ""),
      anImageFile("var/lib/dpkg/status.d/two.md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n"),
    ];
    const result = run(dpkgAnalyzer, files, { os });
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(
      result.packages.map((p) => `${p.name} ${p.version}`).sort(),
      picked.map((p) => `${nameOf(p)} ${versionOf(p)}`).sort(),
    );
  });
});

describe("apk on an Alpine 3.20 database", () => {
  const installed = [
    ["C:Q1n1vd2bBGqL/mu8V4kpyCJYagGDg=", "P:alpine-baselayout-data", "V:3.6.5-r0", "A:x86_64", "S:11235", "I:77824"],
    [
      "T:Alpine base dir structure and init scripts",
      "U:https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout",
    ],
    ["L:GPL-2.0-only", "o:alpine-baselayout", "m:Natanael Copa <ncopa@alpinelinux.org>", "t:1714981135"],
    ["c:66187892e05b03a41d08e9acabd19b7576a1c875", "F:etc", "R:fstab", "Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=", ""],
    ["C:Q1Fw3RFD4mW1r7R0XMyGLc1EW2N1s=", "P:busybox", "V:1.36.1-r29", "A:x86_64", "L:GPL-2.0-only", "o:busybox"],
    ["D:so:libc.musl-x86_64.so.1", "p:/bin/sh cmd:busybox=1.36.1-r29", "r:busybox-initscripts", ""],
    ["P:libssl3", "V:3.3.2-r0", "A:x86_64", "L:Apache-2.0", "o:openssl", ""],
    ["P:ca-certificates-bundle", "V:20240705-r0", "A:x86_64", "L:MPL-2.0 AND MIT", "o:ca-certificates"],
  ]
    .flat()
    .join("\n");
  const os = findOsRelease(
    kept(osAnalyzer, [
      anImageFile(
        "etc/os-release",
        'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\n',
      ),
    ]),
  );

  it("lists the packages written in the database", () => {
    const expected = [
      "alpine-baselayout-data 3.6.5-r0 alpine-baselayout pkg:apk/alpine/alpine-baselayout-data@3.6.5-r0?arch=x86_64&distro=alpine-3.20.3",
      "busybox 1.36.1-r29 busybox pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3",
      "libssl3 3.3.2-r0 openssl pkg:apk/alpine/libssl3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3",
      "ca-certificates-bundle 20240705-r0 ca-certificates pkg:apk/alpine/ca-certificates-bundle@20240705-r0?arch=x86_64&distro=alpine-3.20.3",
    ];
    const { packages, warnings } = run(apkAnalyzer, [anImageFile("lib/apk/db/installed", installed)], { os });
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      packages.map((p) => `${p.name} ${p.version} ${p.sourceName} ${p.purl}`),
      expected,
    );
    assert.ok(packages.every((p) => p.ecosystem === "Alpine:v3.20"));
  });
});

describe("rpm on a Rocky Linux 9 rpmdb.sqlite", () => {
  const headers = [
    {
      name: "filesystem",
      version: "3.16",
      release: "2.el9",
      arch: "x86_64",
      license: "Public Domain",
      sourceRpm: "filesystem-3.16-2.el9.src.rpm",
    },
    {
      name: "glibc",
      version: "2.34",
      release: "100.el9_4.2",
      arch: "x86_64",
      license: "LGPLv2+ and LGPLv2+ with exceptions and GPLv2+",
      sourceRpm: "glibc-2.34-100.el9_4.2.src.rpm",
    },
    { name: "gpg-pubkey", version: "350d275d", release: "6279464b", license: "pubkey" },
    {
      name: "openssl-libs",
      version: "3.0.7",
      release: "27.el9",
      epoch: 1,
      arch: "x86_64",
      license: "ASL 2.0",
      sourceRpm: "openssl-3.0.7-27.el9.src.rpm",
    },
    {
      name: "tzdata",
      version: "2024a",
      release: "1.el9",
      arch: "noarch",
      license: "Public Domain",
      sourceRpm: "tzdata-2024a-1.el9.src.rpm",
    },
    {
      name: "python3-libs",
      version: "3.9.18",
      release: "3.el9_4.1",
      arch: "x86_64",
      license: "Python",
      sourceRpm: "python3.9-3.9.18-3.el9_4.1.src.rpm",
    },
  ];
  const os = findOsRelease(
    kept(osAnalyzer, [
      anImageFile(
        "usr/lib/os-release",
        'NAME="Rocky Linux"\nVERSION="9.4 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n',
      ),
    ]),
  );

  it("lists the packages written in the database", () => {
    const expected = [
      "filesystem 3.16-2.el9 filesystem - pkg:rpm/rocky/filesystem@3.16-2.el9?arch=x86_64&distro=rocky-9.4",
      "glibc 2.34-100.el9_4.2 glibc - pkg:rpm/rocky/glibc@2.34-100.el9_4.2?arch=x86_64&distro=rocky-9.4",
      "openssl-libs 1:3.0.7-27.el9 openssl - pkg:rpm/rocky/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rocky-9.4&epoch=1",
      "tzdata 2024a-1.el9 tzdata - pkg:rpm/rocky/tzdata@2024a-1.el9?arch=noarch&distro=rocky-9.4",
      "python3-libs 3.9.18-3.el9_4.1 python3.9 - pkg:rpm/rocky/python3-libs@3.9.18-3.el9_4.1?arch=x86_64&distro=rocky-9.4",
    ];
    const db = anImageFile("usr/lib/sysimage/rpm/rpmdb.sqlite", anRpmdb(headers.map(aRpmHeader), { wal: true }));
    const { packages, warnings } = run(rpmAnalyzer, [db], { os });
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      packages.map((p) => `${p.name} ${p.version} ${p.sourceName} ${p.sourceVersion ?? "-"} ${p.purl}`),
      expected,
    );
    assert.ok(packages.every((p) => p.ecosystem === "Rocky Linux:9"));
  });
});
