/**
 * Matching against real OSV data: the Go vulnerability database and the PyPA advisory database
 * in ../shared/datasets/osv (see their SOURCES.md; read in place, never copied here). For each
 * advisory the affected and fixed versions, ids, aliases and fixes below were written by hand
 * from the advisory file before the matcher ran. OS-package matching (source packages,
 * releases) uses small hand-made advisories, as no distribution data is in the datasets.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createMemoryIndex, type MemoryIndex } from "./index-memory.js";
import { loadOsvDirectory } from "./load.js";
import { matchPackage, type PackageRef, toFinding, type VulnMatch } from "./match.js";
import type { OsvAdvisory } from "./osv.js";

/** The shared datasets sit next to the repository; elsewhere set PALISADE_DATASETS. */
const OSV = "osv";
const DATASETS =
  [
    process.env.PALISADE_DATASETS,
    fileURLToPath(new URL("../../../shared/datasets", import.meta.url)),
    "/work/shared/datasets",
  ].find((dir): dir is string => dir !== undefined && existsSync(join(dir, OSV))) ?? undefined;

function datasetsMissing(): string | false {
  if (DATASETS) return false;
  if (process.env.CI)
    throw new Error("CI is set but ../shared/datasets/osv is missing: the OSV matching tests must run in CI");
  return "the OSV datasets are not at ../shared/datasets/osv (set PALISADE_DATASETS)";
}

const skip = datasetsMissing();
const GO_DIR = DATASETS ? join(DATASETS, OSV, "golang-vulndb/osv") : "";
const PYPA_DIR = DATASETS ? join(DATASETS, OSV, "pypa-advisory-database/vulns") : "";

function find(matches: VulnMatch[], id: string): VulnMatch | undefined {
  return matches.find((m) => m.id === id || m.aliases.includes(id));
}

interface Expectation {
  advisory: string;
  package: { ecosystem: string; name: string };
  affected: { version: string; id: string; aliases: string[]; fixedIn?: string }[];
  unaffected: string[];
}

/** Written by hand from each advisory file. */
const EXPECTED: Expectation[] = [
  {
    advisory: "GO-2020-0001",
    package: { ecosystem: "Go", name: "github.com/gin-gonic/gin" },
    affected: [
      { version: "v1.5.0", id: "CVE-2020-36567", aliases: ["GHSA-6vm3-jj99-7229", "GO-2020-0001"], fixedIn: "1.6.0" },
    ],
    unaffected: ["v1.6.0", "v1.9.1"],
  },
  {
    advisory: "GO-2024-3104",
    package: { ecosystem: "Go", name: "github.com/ollama/ollama" },
    affected: [
      { version: "v0.1.46", id: "CVE-2024-45436", aliases: ["GHSA-846m-99qv-67mg", "GO-2024-3104"], fixedIn: "0.1.47" },
    ],
    unaffected: ["v0.1.47", "v0.3.0"],
  },
  {
    advisory: "GO-2024-2699",
    package: { ecosystem: "Go", name: "github.com/jmorganca/ollama" },
    affected: [
      { version: "v0.1.28", id: "CVE-2024-28224", aliases: ["GHSA-5jx5-hqx5-2vrj", "GO-2024-2699"], fixedIn: "0.1.29" },
    ],
    unaffected: ["v0.1.29"],
  },
  {
    advisory: "GO-2021-0072",
    package: { ecosystem: "Go", name: "github.com/docker/distribution" },
    affected: [
      {
        version: "v2.6.2+incompatible",
        id: "CVE-2017-11468",
        aliases: ["GHSA-h62f-wm92-2cmw", "GO-2021-0072"],
        fixedIn: "2.7.0-rc.0+incompatible",
      },
    ],
    unaffected: ["v2.7.1+incompatible"],
  },
  {
    advisory: "GO-2020-0004",
    package: { ecosystem: "Go", name: "github.com/nanobox-io/golang-nanoauth" },
    affected: [
      {
        version: "v0.0.0-20190101000000-abcdefabcdef",
        id: "CVE-2020-36569",
        aliases: ["GHSA-hrm3-3xm6-x33h", "GO-2020-0004"],
        fixedIn: "0.0.0-20200131131040-063a3fb69896",
      },
    ],
    unaffected: ["v0.0.0-20200131131040-063a3fb69896", "v0.0.0-20160101000000-aaaaaaaaaaaa"],
  },
  {
    advisory: "GO-2023-1987",
    package: { ecosystem: "Go", name: "stdlib" },
    affected: [
      { version: "1.20.6", id: "CVE-2023-29409", aliases: ["GO-2023-1987"], fixedIn: "1.20.7" },
      { version: "go1.19.11", id: "CVE-2023-29409", aliases: ["GO-2023-1987"], fixedIn: "1.19.12" },
      { version: "1.21.0-rc.3", id: "CVE-2023-29409", aliases: ["GO-2023-1987"], fixedIn: "1.21.0-rc.4" },
    ],
    unaffected: ["1.20.7", "1.19.12", "1.21.0"],
  },
  {
    advisory: "PYSEC-2014-10",
    package: { ecosystem: "PyPI", name: "Pillow" },
    affected: [
      { version: "2.3.1", id: "CVE-2014-3589", aliases: ["PYSEC-2014-10"], fixedIn: "2.3.2" },
      { version: "2.5.1", id: "CVE-2014-3589", aliases: ["PYSEC-2014-10"], fixedIn: "2.5.2" },
    ],
    unaffected: ["2.4.0", "2.5.2", "2.3.2"],
  },
  {
    advisory: "PYSEC-2022-42969",
    package: { ecosystem: "PyPI", name: "py" },
    affected: [{ version: "1.11.0", id: "CVE-2022-42969", aliases: ["GHSA-w596-4wvx-j9j6", "PYSEC-2022-42969"] }],
    unaffected: ["1.11.1"],
  },
  {
    advisory: "PYSEC-2023-246",
    package: { ecosystem: "PyPI", name: "aiohttp" },
    affected: [
      { version: "3.8.5", id: "CVE-2023-47627", aliases: ["GHSA-gfw2-4jvh-wgfg", "PYSEC-2023-246"], fixedIn: "3.8.6" },
    ],
    unaffected: ["3.8.6", "3.9.0"],
  },
  {
    advisory: "PYSEC-2021-871",
    package: { ecosystem: "PyPI", name: "distributed" },
    affected: [
      {
        version: "2021.9.1",
        id: "CVE-2021-42343",
        aliases: ["GHSA-hwqr-f3v9-hwxr", "GHSA-j8fq-86c5-5v2r", "PYSEC-2021-871", "PYSEC-2021-872"],
        fixedIn: "2021.10.0",
      },
    ],
    unaffected: ["2021.10.0"],
  },
  {
    advisory: "PYSEC-2021-335",
    package: { ecosystem: "PyPI", name: "AccessControl" },
    affected: [
      { version: "4.2", id: "CVE-2021-32807", aliases: ["GHSA-qcx9-j53g-ccgf", "PYSEC-2021-335"], fixedIn: "4.3" },
      { version: "5.1", id: "CVE-2021-32807", aliases: ["GHSA-qcx9-j53g-ccgf", "PYSEC-2021-335"], fixedIn: "5.2" },
    ],
    unaffected: ["3.0", "4.3", "5.2"],
  },
  {
    advisory: "PYSEC-2021-370",
    package: { ecosystem: "PyPI", name: "accesscontrol" },
    affected: [
      {
        version: "4.2",
        id: "CVE-2021-32811",
        aliases: ["GHSA-g4gq-j4p2-j8fr", "GHSA-qcx9-j53g-ccgf", "PYSEC-2021-370"],
        fixedIn: "4.3",
      },
    ],
    unaffected: ["4.3", "5.2"],
  },
];

/** Withdrawn advisories, written by hand: the package and a version inside their ranges. */
const WITHDRAWN = [
  {
    advisory: "GO-2022-0617",
    cve: "CVE-2020-8562",
    pkg: { ecosystem: "Go", name: "k8s.io/kubernetes", version: "v1.20.0" },
  },
  { advisory: "PYSEC-2023-73", cve: "CVE-2023-31655", pkg: { ecosystem: "PyPI", name: "redis", version: "4.5.5" } },
  {
    advisory: "PYSEC-2022-43059",
    cve: "CVE-2022-33124",
    pkg: { ecosystem: "PyPI", name: "aiohttp", version: "3.8.1" },
  },
];

describe("matching the Go and PyPA advisory databases", { skip }, () => {
  let index: MemoryIndex;
  before(async () => {
    index = createMemoryIndex();
    const go = await loadOsvDirectory(GO_DIR, { index });
    const pypa = await loadOsvDirectory(PYPA_DIR, { index });
    assert.deepEqual([...go.report.problems, ...pypa.report.problems], []);
    assert.equal(go.report.added, 4291, "SOURCES.md: 4,291 Go advisories");
    assert.equal(pypa.report.added, 2661, "SOURCES.md: 2,661 PyPA advisories");
  });

  for (const expectation of EXPECTED) {
    it(`matches ${expectation.advisory} at its affected versions, with ids, aliases and fix`, () => {
      for (const hit of expectation.affected) {
        const pkg = { ...expectation.package, version: hit.version };
        const match = find(matchPackage(pkg, index), expectation.advisory);
        assert.ok(match, `${pkg.name} ${pkg.version} should match ${expectation.advisory}`);
        assert.equal(match.id, hit.id);
        assert.deepEqual(match.aliases, hit.aliases);
        assert.equal(match.fixedIn, hit.fixedIn);
      }
    });

    it(`does not match ${expectation.advisory} at fixed or unaffected versions`, () => {
      for (const version of expectation.unaffected) {
        const found = find(matchPackage({ ...expectation.package, version }, index), expectation.advisory);
        assert.equal(found, undefined, `${expectation.package.name} ${version}`);
      }
    });
  }

  it("reports the two PyPA advisories for CVE-2021-42343 as one vulnerability", () => {
    const matches = matchPackage({ ecosystem: "PyPI", name: "distributed", version: "2021.9.1" }, index);
    const same = matches.filter((m) => m.id === "CVE-2021-42343");
    assert.equal(same.length, 1);
    assert.deepEqual(same[0]?.advisories, ["PYSEC-2021-871", "PYSEC-2021-872"]);
  });

  it("keeps CVE-2021-32807 and CVE-2021-32811 apart although the database gives both the same GHSA", () => {
    const ids = matchPackage({ ecosystem: "PyPI", name: "accesscontrol", version: "4.2" }, index).map((m) => m.id);
    assert.ok(ids.includes("CVE-2021-32807") && ids.includes("CVE-2021-32811"), ids.join(", "));
  });

  it("rates PYSEC-2023-246 from its CVSS v3.1 vector and the Go advisories as unknown", () => {
    const aiohttp = find(
      matchPackage({ ecosystem: "PyPI", name: "aiohttp", version: "3.8.5" }, index),
      "PYSEC-2023-246",
    );
    assert.deepEqual([aiohttp?.severity, aiohttp?.severitySource, aiohttp?.score], ["high", "cvss-v3", 7.5]);
    const gin = find(
      matchPackage({ ecosystem: "Go", name: "github.com/gin-gonic/gin", version: "v1.5.0" }, index),
      "GO-2020-0001",
    );
    assert.deepEqual([gin?.severity, gin?.severitySource], ["medium", "unknown"]);
  });

  for (const withdrawn of WITHDRAWN) {
    it(`ignores withdrawn ${withdrawn.advisory}`, () => {
      assert.ok(index.get(withdrawn.advisory)?.withdrawn, "the advisory is loaded and withdrawn");
      const matches = matchPackage(withdrawn.pkg, index);
      assert.equal(find(matches, withdrawn.advisory), undefined);
      assert.equal(find(matches, withdrawn.cve), undefined);
    });
  }

  it("gives every ollama release before 0.1.47 at least one vulnerability, most severe first", () => {
    const matches = matchPackage({ ecosystem: "Go", name: "github.com/ollama/ollama", version: "v0.1.30" }, index);
    assert.ok(matches.length >= 2);
    const ranks = matches.map((m) => ["info", "low", "medium", "high", "critical"].indexOf(m.severity));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
    );
  });
});

function anOsAdvisory(id: string, ecosystem: string, name: string, fixed: string, aliases: string[] = []): OsvAdvisory {
  return {
    id,
    modified: "2024-06-01T00:00:00Z",
    published: "2024-05-01T00:00:00Z",
    aliases,
    summary: `${name} issue`,
    affected: [
      { package: { ecosystem, name }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed }] }] },
    ],
  };
}

describe("matching OS packages", () => {
  const index = createMemoryIndex([
    anOsAdvisory("DEBIAN-CVE-2024-0727", "Debian:12", "openssl", "3.0.13-1~deb12u1", ["CVE-2024-0727"]),
    anOsAdvisory("DSA-9999-1", "Debian", "zlib", "1:1.2.13.dfsg-1"),
    anOsAdvisory("ALPINE-CVE-2024-6119", "Alpine:v3.20", "openssl", "3.3.2-r0", ["CVE-2024-6119"]),
    anOsAdvisory("DEBIAN-CVE-2024-0001", "Debian:12", "foo", "1.2-4"),
  ]);
  const libssl: PackageRef = {
    name: "libssl3",
    version: "3.0.11-1~deb12u2",
    ecosystem: "Debian:12",
    sourceName: "openssl",
  };

  it("matches a Debian binary package through its source package", () => {
    const [match] = matchPackage(libssl, index);
    assert.equal(match?.id, "CVE-2024-0727");
    assert.deepEqual(match?.matched, { name: "openssl", version: "3.0.11-1~deb12u2", via: "source" });
    assert.equal(match?.fixedIn, "3.0.13-1~deb12u1");
  });

  it("compares the source version when the binary version differs", () => {
    const pkg = {
      name: "libfoo1",
      version: "1.2-3",
      sourceName: "foo",
      sourceVersion: "1.2-4",
      ecosystem: "Debian:12",
    };
    assert.deepEqual(matchPackage(pkg, index), []);
    assert.equal(matchPackage({ ...pkg, sourceVersion: undefined }, index).length, 1);
  });

  it("applies release advisories to their release only, bare ones to every release", () => {
    assert.deepEqual(matchPackage({ ...libssl, ecosystem: "Debian:11" }, index), []);
    assert.deepEqual(matchPackage({ ...libssl, ecosystem: "Debian" }, index), [], "unknown release: no guess");
    const zlib = { name: "zlib1g", version: "1:1.2.11.dfsg-2+deb11u2", ecosystem: "Debian:11", sourceName: "zlib" };
    assert.equal(matchPackage(zlib, index)[0]?.id, "DSA-9999-1");
  });

  it("matches Alpine packages by origin within the branch", () => {
    const libcrypto = { name: "libcrypto3", version: "3.3.1-r0", ecosystem: "Alpine:v3.20", sourceName: "openssl" };
    assert.equal(matchPackage(libcrypto, index)[0]?.id, "CVE-2024-6119");
    assert.deepEqual(matchPackage({ ...libcrypto, version: "3.3.2-r0" }, index), []);
    assert.deepEqual(matchPackage({ ...libcrypto, ecosystem: "Alpine:v3.19" }, index), []);
  });

  it("rates a merged vulnerability by its known severities before the unknown default", () => {
    const low = anOsAdvisory("GHSA-low", "Debian:12", "bar", "2.0", ["CVE-2024-1111"]);
    low.severity = [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N" }];
    const merged = createMemoryIndex([
      low,
      anOsAdvisory("DEBIAN-CVE-2024-1111", "Debian:12", "bar", "2.0", ["CVE-2024-1111"]),
    ]);
    const [match] = matchPackage({ name: "bar", version: "1.0", ecosystem: "Debian:12" }, merged);
    assert.deepEqual(
      [match?.id, match?.severity, match?.severitySource, match?.score],
      ["CVE-2024-1111", "low", "cvss-v3", 3.1],
    );
    assert.deepEqual(match?.advisories, ["DEBIAN-CVE-2024-1111", "GHSA-low"]);
  });

  it("matches nothing in an ecosystem outside the table", () => {
    const gem = createMemoryIndex([anOsAdvisory("GEM-1", "RubyGems", "rails", "7.0.0")]);
    assert.deepEqual(matchPackage({ name: "rails", version: "6.0.0", ecosystem: "RubyGems" }, gem), []);
  });

  it("turns a match into a Finding with the fix as remediation", () => {
    const [match] = matchPackage({ ...libssl, purl: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2" }, index);
    assert.ok(match);
    assert.deepEqual(toFinding(match), {
      ruleId: "CVE-2024-0727",
      severity: "medium",
      title: "CVE-2024-0727 in libssl3 3.0.11-1~deb12u2",
      detail: "openssl issue",
      references: [],
      owasp: [],
      atlas: [],
      component: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2",
      fingerprint: "vuln:CVE-2024-0727:Debian:12:libssl3:3.0.11-1~deb12u2",
      remediation: "Upgrade openssl to 3.0.13-1~deb12u1 or later",
    });
  });
});
