/** The table of ecosystem differences: which orderings, names and releases match. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ecosystemCovers, orderingFor, packageKey, resolveEcosystem } from "./ecosystems.js";

describe("ecosystems", () => {
  it("picks each ecosystem's ordering", () => {
    const names = [
      "npm",
      "Go",
      "PyPI",
      "Maven",
      "Debian:12",
      "Ubuntu:22.04:LTS",
      "Alpine:v3.20",
      "Red Hat",
      "crates.io",
    ];
    assert.deepEqual(
      names.map((e) => orderingFor(e)?.name),
      ["semver", "semver", "pep440", "maven", "dpkg", "dpkg", "apk", "rpm", "semver"],
    );
  });

  it("knows nothing about ecosystems outside the table (never guesses an order)", () => {
    for (const e of ["RubyGems", "NuGet", "Packagist", "pypi", "", ":12", "constructor", "toString:1"]) {
      assert.equal(resolveEcosystem(e), undefined, e);
      assert.equal(packageKey(e, "x"), undefined, e);
    }
  });

  it("applies an advisory for a bare distribution to every release, and a release only to itself", () => {
    assert.equal(ecosystemCovers("Debian", "Debian:12"), true);
    assert.equal(ecosystemCovers("Debian:12", "Debian:12"), true);
    assert.equal(ecosystemCovers("Debian:11", "Debian:12"), false);
    assert.equal(ecosystemCovers("Debian:12", "Debian"), false, "a package of unknown release");
    assert.equal(ecosystemCovers("Alpine:v3.20", "Alpine:v3.20"), true);
    assert.equal(ecosystemCovers("Alpine:v3.19", "Alpine:v3.20"), false);
    assert.equal(ecosystemCovers("Alpine", "Alpine:v3.20"), true);
    assert.equal(ecosystemCovers("Debian:12", "Ubuntu:12"), false);
    assert.equal(ecosystemCovers("PyPI", "PyPI"), true);
  });

  it("normalises release spellings that name the same release", () => {
    assert.equal(ecosystemCovers("Debian:12", "Debian:12.5"), true);
    assert.equal(ecosystemCovers("Alpine:v3.20", "Alpine:3.20.3"), true);
    assert.equal(ecosystemCovers("Ubuntu:22.04:LTS", "Ubuntu:22.04"), true);
    assert.equal(ecosystemCovers("Ubuntu:Pro:18.04:LTS", "Ubuntu:18.04"), false);
  });

  it("compares PyPI names after PEP 503 normalisation, other names exactly", () => {
    assert.equal(packageKey("PyPI", "Pillow"), packageKey("PyPI", "pillow"));
    assert.equal(packageKey("PyPI", "zope.interface"), packageKey("PyPI", "Zope_Interface"));
    assert.notEqual(packageKey("npm", "Lodash"), packageKey("npm", "lodash"));
    assert.notEqual(packageKey("Go", "github.com/Foo/bar"), packageKey("Go", "github.com/foo/bar"));
    assert.equal(packageKey("Debian:12", "openssl"), packageKey("Debian:11", "openssl"), "one key per base ecosystem");
  });

  it("strips Go's v and go prefixes from installed versions", () => {
    const normalize = resolveEcosystem("Go")?.rules.normalizeVersion;
    assert.deepEqual(
      ["v1.2.3", "go1.21.4", "1.2.3"].map((v) => normalize?.(v)),
      ["1.2.3", "1.21.4", "1.2.3"],
    );
  });
});
