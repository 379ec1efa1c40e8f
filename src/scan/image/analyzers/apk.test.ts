import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { OsRelease } from "../types.js";
import { apkAnalyzer, MAX_APK_FILE_BYTES, toApkDistro } from "./apk.js";
import { anImageFile } from "./fixtures/image-file.js";

const INSTALLED = "lib/apk/db/installed";
const ALPINE: OsRelease = { id: "alpine", versionId: "3.20.3", idLike: [] };
const WOLFI: OsRelease = { id: "wolfi", versionId: "20230201", idLike: [] };

const SAMPLE = `C:Q1Hv6q2o7mFsV2yvw3sm1wYBBcH3k=
P:musl
V:1.2.5-r0
A:x86_64
S:411323
I:807936
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1712484589
c:6cc1feeb7b2c0a4c4bbf8e9a1aa1d6bb4c48e6a7
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1Mvp0ctbYkXaIdAg1gJR8ZUN+p5Y=
R:libc.musl-x86_64.so.1

C:Q1mN1zSIpG2Fq3i7q2X6W7ZbMnk=
P:libcrypto3
V:3.3.2-r0
A:x86_64
L:Apache-2.0
o:openssl
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3

P:busybox-binsh
V:1.36.1-r29
A:x86_64
L:GPL-2.0-only AND bzip2-1.0.6
o:busybox
`;

function analyze(text: string, os: OsRelease | undefined = ALPINE) {
  return apkAnalyzer.analyze([anImageFile(INSTALLED, text, { layer: 1 })], { os });
}

describe("apkAnalyzer", () => {
  it("lists every package block, the last one without a trailing blank line", () => {
    const { packages, warnings } = analyze(SAMPLE);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      packages.map((p) => `${p.name}@${p.version} from ${p.sourceName}`),
      ["musl@1.2.5-r0 from musl", "libcrypto3@3.3.2-r0 from openssl", "busybox-binsh@1.36.1-r29 from busybox"],
    );
  });

  it("describes a package fully for Alpine", () => {
    assert.deepEqual(analyze(SAMPLE).packages[1], {
      name: "libcrypto3",
      version: "3.3.2-r0",
      ecosystem: "Alpine:v3.20",
      purl: "pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3",
      kind: "os-package",
      path: INSTALLED,
      layer: 1,
      sourceName: "openssl",
      properties: { arch: "x86_64" },
      licenses: ["Apache-2.0"],
    });
  });

  it("keeps a license expression whole", () => {
    assert.deepEqual(analyze(SAMPLE).packages[2]?.licenses, ["GPL-2.0-only AND bzip2-1.0.6"]);
  });

  it("uses the wolfi namespace and ecosystem", () => {
    const [pkg] = analyze(SAMPLE, WOLFI).packages;
    assert.equal(pkg?.ecosystem, "Wolfi");
    assert.equal(pkg?.purl, "pkg:apk/wolfi/musl@1.2.5-r0?arch=x86_64&distro=wolfi-20230201");
  });

  it("falls back to the package name when a block has no origin", () => {
    assert.equal(analyze("P:solo\nV:1-r0\n").packages[0]?.sourceName, "solo");
  });

  it("reads CRLF line endings and several blank lines between blocks", () => {
    const { packages } = analyze("P:a\r\nV:1-r0\r\n\r\n\r\n\r\nP:b\r\nV:2-r0\r\n");
    assert.deepEqual(
      packages.map((p) => `${p.name}@${p.version}`),
      ["a@1-r0", "b@2-r0"],
    );
  });

  it("counts blocks without a usable name or version in one warning", () => {
    const { packages, warnings } = analyze("P:noversion\n\nV:1-r0\n\nP:a b\nV:1\n\nP:ok\nV:1-r0\n");
    assert.deepEqual(
      packages.map((p) => p.name),
      ["ok"],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /skipped 3 block/);
  });

  it("wants the installed database only, regular and within its cap", () => {
    assert.ok(apkAnalyzer.wants(INSTALLED, 100, 0o100644));
    assert.ok(!apkAnalyzer.wants("lib/apk/db/triggers", 100, 0o100644));
    assert.ok(!apkAnalyzer.wants(INSTALLED, 100, 0o120777));
    assert.equal(apkAnalyzer.maxBytes, MAX_APK_FILE_BYTES, "a larger database is refused by the scan, with a warning");
  });

  it("reads a 50 MB one-line database in linear time", () => {
    const run = (size: number) => {
      const text = "P:x".repeat(size / 3);
      const start = performance.now();
      const result = analyze(text);
      return { ms: performance.now() - start, result };
    };
    const small = run(5_000_000);
    const big = run(50_000_000);
    assert.equal(big.result.packages.length, 0);
    assert.ok(big.ms < 30 * small.ms + 500, `5 MB ${small.ms} ms, 50 MB ${big.ms} ms`);
  });

  it("never throws on arbitrary or damaged input", () => {
    const sample = Buffer.from(SAMPLE);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(sample.length), (bytes, cut) => {
        analyze(Buffer.from(bytes).toString("utf8"));
        analyze(Buffer.concat([sample.subarray(0, cut), Buffer.from(bytes)]).toString("utf8"), undefined);
      }),
    );
  });

  it("finds exactly the packages of any generated database", () => {
    const word = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
    const entry = fc.record({ name: word, version: word, origin: fc.option(word, { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        const text = entries
          .map((e) => `C:Q1abc=\nP:${e.name}\nV:${e.version}\nA:aarch64\n${e.origin ? `o:${e.origin}\n` : ""}`)
          .join("\n");
        const found = analyze(text).packages.map((p) => [p.name, p.version, p.sourceName]);
        assert.deepEqual(
          found,
          entries.map((e) => [e.name, e.version, e.origin ?? e.name]),
        );
      }),
    );
  });
});

describe("toApkDistro", () => {
  it("names Alpine releases by major.minor, as OSV does", () => {
    assert.equal(
      toApkDistro({ id: "alpine", versionId: "3.21.0_alpha20240807", idLike: [] }).ecosystem,
      "Alpine:v3.21",
    );
    assert.equal(toApkDistro({ id: "alpine", idLike: [] }).ecosystem, "Alpine");
  });

  it("knows Chainguard apart from Wolfi, and assumes Alpine without an OS", () => {
    assert.deepEqual(toApkDistro({ id: "chainguard", idLike: [] }), {
      namespace: "chainguard",
      ecosystem: "Chainguard",
      distro: undefined,
    });
    assert.deepEqual(toApkDistro(undefined), { namespace: "alpine", ecosystem: "Alpine", distro: undefined });
  });
});
