import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { anImageFile } from "./fixtures/image-file.js";
import { findOsRelease, osAnalyzer, parseOsRelease } from "./os-release.js";

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

const ROCKY_9 = `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
`;

describe("parseOsRelease", () => {
  it("reads Debian's os-release", () => {
    assert.deepEqual(parseOsRelease(DEBIAN_12), {
      id: "debian",
      versionId: "12",
      codename: "bookworm",
      prettyName: "Debian GNU/Linux 12 (bookworm)",
      idLike: [],
    });
  });

  it("splits ID_LIKE on whitespace", () => {
    const os = parseOsRelease(ROCKY_9);
    assert.equal(os.id, "rocky");
    assert.equal(os.versionId, "9.3");
    assert.deepEqual(os.idLike, ["rhel", "centos", "fedora"]);
  });

  it("applies shell escapes inside double quotes and only there", () => {
    const os = parseOsRelease(String.raw`PRETTY_NAME="a \"q\" \$v \\ \`t\` \n"`);
    assert.equal(os.prettyName, 'a "q" $v \\ `t` \\n');
  });

  it("keeps single-quoted text literal", () => {
    assert.equal(parseOsRelease(String.raw`PRETTY_NAME='a \"b" $c'`).prettyName, 'a \\"b" $c');
  });

  it("ends a bare word at whitespace and unescapes a backslash in it", () => {
    assert.equal(parseOsRelease("ID=debian # a comment").id, "debian");
    assert.equal(parseOsRelease(String.raw`PRETTY_NAME=a\ b c`).prettyName, "a b");
  });

  it("skips comments, blank lines, CRLF endings and malformed lines", () => {
    const os = parseOsRelease("# ID=wrong\r\n\r\nnot a line\r\n1BAD=x\r\nID=alpine\r\nVERSION_ID=3.20.3\r\n");
    assert.deepEqual(os, { id: "alpine", versionId: "3.20.3", codename: undefined, prettyName: undefined, idLike: [] });
  });

  it("defaults ID to linux and treats empty values as absent", () => {
    const os = parseOsRelease('VERSION_ID=""\nNAME=x\n');
    assert.equal(os.id, "linux");
    assert.equal(os.versionId, undefined);
  });

  it("lower-cases ids", () => {
    assert.equal(parseOsRelease("ID=Ubuntu\nID_LIKE=Debian").id, "ubuntu");
  });

  it("never throws and always names an OS", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const os = parseOsRelease(text);
        assert.ok(os.id.length > 0);
      }),
    );
  });

  it("reads back any value written in double quotes with shell escapes", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }).filter((s) => !/[\r\n]/.test(s) && s.trim() === s && s !== ""),
        (value) => {
          const quoted = `"${value.replace(/[$"\\`]/g, (c) => `\\${c}`)}"`;
          assert.equal(parseOsRelease(`PRETTY_NAME=${quoted}\nID=x`).prettyName, value);
        },
      ),
    );
  });
});

describe("findOsRelease", () => {
  it("prefers etc/os-release over usr/lib/os-release", () => {
    const os = findOsRelease([
      anImageFile("usr/lib/os-release", "ID=rocky\n"),
      anImageFile("etc/os-release", "ID=debian\n"),
    ]);
    assert.equal(os?.id, "debian");
  });

  it("falls back to usr/lib/os-release when etc/os-release is a symlink or empty", () => {
    const usr = anImageFile("usr/lib/os-release", DEBIAN_12);
    assert.equal(findOsRelease([anImageFile("etc/os-release", "", { mode: 0o120777 }), usr])?.id, "debian");
    assert.equal(findOsRelease([anImageFile("etc/os-release", "\n"), usr])?.id, "debian");
  });

  it("uses etc/alpine-release without os-release", () => {
    assert.deepEqual(findOsRelease([anImageFile("etc/alpine-release", "3.20.3\n")]), {
      id: "alpine",
      versionId: "3.20.3",
      idLike: [],
    });
  });

  it("uses the major release of etc/debian_version, and none for testing", () => {
    assert.equal(findOsRelease([anImageFile("etc/debian_version", "12.5\n")])?.versionId, "12");
    const testing = findOsRelease([anImageFile("etc/debian_version", "trixie/sid\n")]);
    assert.deepEqual(testing, { id: "debian", versionId: undefined, idLike: [] });
  });

  it("prefers os-release to the fallbacks", () => {
    const os = findOsRelease([
      anImageFile("etc/debian_version", "bookworm/sid"),
      anImageFile("etc/os-release", "ID=ubuntu"),
    ]);
    assert.equal(os?.id, "ubuntu");
  });

  it("finds nothing in an image without these files", () => {
    assert.equal(findOsRelease([]), undefined);
  });
});

describe("osAnalyzer", () => {
  it("wants the OS files, small and regular only", () => {
    for (const path of ["etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/debian_version"]) {
      assert.ok(osAnalyzer.wants(path, 300, 0o100644), path);
    }
    assert.ok(!osAnalyzer.wants("etc/os-release", 300, 0o120777), "symlink");
    assert.ok((osAnalyzer.maxBytes ?? 0) < 10_000_000, "a huge file is refused by the scan, with a warning");
    assert.ok(!osAnalyzer.wants("etc/issue", 30, 0o644));
  });

  it("finds no packages, and warns when its files name no OS", () => {
    assert.deepEqual(osAnalyzer.analyze([anImageFile("etc/os-release", DEBIAN_12)], {}), {
      packages: [],
      warnings: [],
    });
    const empty = osAnalyzer.analyze([anImageFile("etc/alpine-release", "")], {});
    assert.equal(empty.warnings.length, 1);
  });
});
