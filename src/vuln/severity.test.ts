/** Which severity an advisory gets: CVSS first, then rating words, then the documented default. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OsvAdvisory } from "./osv.js";
import { severityOf, UNKNOWN_SEVERITY } from "./severity.js";

function anAdvisory(fields: Partial<OsvAdvisory> = {}): OsvAdvisory {
  return { id: "TEST-1", modified: "2024-01-01T00:00:00Z", ...fields };
}

describe("advisory severity", () => {
  it("prefers an exact v3 score over an approximated v4 one", () => {
    const advisory = anAdvisory({
      severity: [
        { type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" },
        { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N" },
      ],
    });
    assert.deepEqual(severityOf(advisory), {
      severity: "medium",
      source: "cvss-v3",
      score: 6.1,
      vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    });
  });

  it("uses the affected entry's own severity over the top-level one", () => {
    const advisory = anAdvisory({
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
    });
    const affected = { severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N" }] };
    assert.equal(severityOf(advisory, affected).score, 5.3);
  });

  it("falls back to Ubuntu priorities, then database_specific words", () => {
    assert.equal(severityOf(anAdvisory({ severity: [{ type: "Ubuntu", score: "high" }] })).severity, "high");
    assert.equal(severityOf(anAdvisory({ severity: [{ type: "Ubuntu", score: "negligible" }] })).severity, "info");
    const ghsa = severityOf(anAdvisory({ database_specific: { severity: "MODERATE" } }));
    assert.deepEqual(ghsa, { severity: "medium", source: "database" });
    assert.equal(severityOf(anAdvisory(), { database_specific: { severity: "CRITICAL" } }).severity, "critical");
  });

  it("reports an advisory without any severity as unknown, at the documented default", () => {
    assert.deepEqual(severityOf(anAdvisory()), { severity: UNKNOWN_SEVERITY, source: "unknown" });
    const junk = anAdvisory({ severity: [{ type: "CVSS_V3", score: "garbage" }], database_specific: { severity: 7 } });
    assert.equal(severityOf(junk).source, "unknown");
    assert.equal(severityOf(anAdvisory({ database_specific: { severity: "constructor" } })).source, "unknown");
  });
});
