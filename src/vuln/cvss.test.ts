/**
 * CVSS base scores: v3.1 vectors with the scores FIRST publishes for them (the CVSS v3.1
 * "Examples" document and the specification's own vectors; NVD shows the same), and v4.0
 * vectors whose approximated score must land in the band of FIRST's published score.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { roundUp, scoreCvss, severityOfScore } from "./cvss.js";

const V3: [vector: string, published: number, example: string][] = [
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "CVE-2013-1937 phpMyAdmin XSS"],
  ["CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "CVE-2013-0375 MySQL"],
  ["CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "CVE-2014-3566 POODLE"],
  ["CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "CVE-2012-1516 VMware"],
  ["CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, "CVE-2009-0783 Tomcat"],
  ["CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2012-0384 Cisco IOS"],
  ["CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "CVE-2015-1098 Apple iWork"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "CVE-2014-0160 Heartbleed"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CVE-2014-6271 Shellshock"],
  ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, "CVE-2008-1447 DNS cache poisoning"],
  ["CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, "CVE-2014-2005 Sophos"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, "CVE-2010-0467 Joomla"],
  ["CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, "CVE-2013-6014 Juniper"],
  ["CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, "CVE-2014-9253 DokuWiki"],
  ["CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2011-1265 Bluetooth"],
  ["CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6, "CVE-2014-2019 iOS"],
  ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4, "CVE-2014-0224 OpenSSL CCS"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, "CVE-2012-5376 Chrome"],
  ["CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8, "CVE-2016-0128 Badlock"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CVE-2021-44228 Log4Shell"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "typical remote denial of service"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 7.5, "CVE-2023-47627 aiohttp (PYSEC-2023-246)"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N", 4.3, "typical CSRF"],
  ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, "high-complexity remote code execution"],
  ["CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, "admin-only remote code execution"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, "no impact"],
  ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "a v3.0 vector"],
  ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8, "temporal metrics do not change the base"],
];

/** v4.0 vectors with FIRST calculator scores; the approximation must give the same band. */
const V4: [vector: string, published: number][] = [
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3],
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0],
  ["CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5],
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", 5.1],
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 8.7],
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 6.9],
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.7],
  ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0],
];

describe("CVSS v3 base score", () => {
  for (const [vector, published, example] of V3) {
    it(`scores ${example} as ${published}`, () => {
      assert.deepEqual(scoreCvss(vector), { score: published, version: vector.slice(5, 8), approximate: false });
    });
  }

  it("rounds up to one decimal without floating-point error (v3.1 Appendix A)", () => {
    assert.equal(roundUp(4.0), 4.0);
    assert.equal(roundUp(4.02), 4.1);
    assert.equal(roundUp(4.000000000000001), 4.0);
  });

  it("refuses malformed vectors instead of guessing", () => {
    for (const vector of [
      "",
      "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
      "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      "CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
      "AV:N/AC:L/Au:N/C:P/I:P/A:P",
      `CVSS:3.1/${"AV:N/".repeat(500)}`,
    ]) {
      assert.equal(scoreCvss(vector), undefined, vector);
    }
  });
});

describe("CVSS v4 approximation", () => {
  for (const [vector, published] of V4) {
    it(`puts ${vector.slice(9)} in the band of its published ${published}`, () => {
      const scored = scoreCvss(vector);
      assert.ok(scored?.approximate);
      assert.equal(severityOfScore(scored.score), severityOfScore(published));
    });
  }
});

describe("qualitative severity", () => {
  it("uses the CVSS bands, with None as info", () => {
    const bands = [0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore);
    assert.deepEqual(bands, ["info", "low", "low", "medium", "medium", "high", "high", "critical", "critical"]);
  });
});
