/** Merging advisories that describe the same vulnerability. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupByAlias } from "./aliases.js";

describe("alias groups", () => {
  it("merges advisories that alias each other and shows the CVE", () => {
    const groups = groupByAlias([
      { id: "PYSEC-2021-871", aliases: ["CVE-2021-42343", "GHSA-hwqr-f3v9-hwxr"] },
      { id: "GHSA-hwqr-f3v9-hwxr", aliases: ["CVE-2021-42343"] },
      { id: "PYSEC-2021-872", aliases: ["CVE-2021-42343", "GHSA-j8fq-86c5-5v2r"] },
    ]);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.id, "CVE-2021-42343");
    assert.deepEqual(groups[0]?.aliases, [
      "GHSA-hwqr-f3v9-hwxr",
      "GHSA-j8fq-86c5-5v2r",
      "PYSEC-2021-871",
      "PYSEC-2021-872",
    ]);
  });

  it("keeps advisories with different CVEs apart even when they share a GHSA", () => {
    const groups = groupByAlias([
      { id: "PYSEC-2021-335", aliases: ["CVE-2021-32807", "GHSA-qcx9-j53g-ccgf"] },
      { id: "PYSEC-2021-370", aliases: ["CVE-2021-32811", "GHSA-qcx9-j53g-ccgf", "GHSA-g4gq-j4p2-j8fr"] },
    ]);
    assert.deepEqual(groups.map((g) => g.id).sort(), ["CVE-2021-32807", "CVE-2021-32811"]);
  });

  it("does not let an advisory without a CVE bridge two CVEs", () => {
    const groups = groupByAlias([
      { id: "A-1", aliases: ["CVE-2020-0001", "GHSA-aaaa"] },
      { id: "B-1", aliases: ["CVE-2020-0002", "GHSA-bbbb"] },
      { id: "C-1", aliases: ["GHSA-aaaa", "GHSA-bbbb"] },
    ]);
    assert.deepEqual(groups.map((g) => g.id).sort(), ["CVE-2020-0001", "CVE-2020-0002"]);
  });

  it("falls back to a GHSA id, then the advisory id", () => {
    assert.equal(groupByAlias([{ id: "GO-2024-0001", aliases: ["GHSA-xxxx"] }])[0]?.id, "GHSA-xxxx");
    assert.equal(groupByAlias([{ id: "GO-2024-0002", aliases: [] }])[0]?.id, "GO-2024-0002");
  });

  it("is the same whatever order the advisories come in", () => {
    const members = [
      { id: "X-2", aliases: ["CVE-2022-1", "GHSA-1"] },
      { id: "X-1", aliases: ["GHSA-1"] },
      { id: "X-3", aliases: ["CVE-2022-2"] },
    ];
    const forward = groupByAlias(members).map((g) => [g.id, g.aliases]);
    const backward = groupByAlias([...members].reverse()).map((g) => [g.id, g.aliases]);
    assert.deepEqual(forward, backward);
  });
});
