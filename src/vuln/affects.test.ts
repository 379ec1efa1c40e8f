/** OSV range semantics (https://ossf.github.io/osv-schema/#evaluation) on small hand-made entries. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { affects, evaluateAffected } from "./affects.js";
import { dpkgOrdering } from "./ordering-dpkg.js";
import { pep440Ordering } from "./ordering-pep440.js";
import { semverOrdering } from "./ordering-semver.js";
import type { OsvAffected, OsvEvent } from "./osv.js";

function anEntry(events: OsvEvent[], fields: Partial<OsvAffected> = {}): OsvAffected {
  return { package: { ecosystem: "PyPI", name: "demo" }, ranges: [{ type: "ECOSYSTEM", events }], ...fields };
}

const pypi = (entry: OsvAffected, version: string) => affects(entry, version, pep440Ordering);

describe("OSV range evaluation", () => {
  it("treats introduced as inclusive and fixed as exclusive", () => {
    const entry = anEntry([{ introduced: "1.0" }, { fixed: "1.5" }]);
    assert.deepEqual(
      ["0.9", "1.0", "1.4.9", "1.5", "1.5.1"].map((v) => pypi(entry, v)),
      [false, true, true, false, false],
    );
  });

  it("treats introduced 0 as below every version", () => {
    const entry = anEntry([{ introduced: "0" }, { fixed: "2.0" }]);
    assert.equal(pypi(entry, "0.0.1.dev1"), true);
    assert.equal(pypi(entry, "1!0.1"), false, "an epoch puts 1!0.1 above 2.0");
  });

  it("treats last_affected as inclusive", () => {
    const entry = anEntry([{ introduced: "0" }, { last_affected: "1.11.0" }]);
    assert.deepEqual(
      ["1.0", "1.11.0", "1.11.0.post1", "1.12"].map((v) => pypi(entry, v)),
      [true, true, false, false],
    );
    assert.deepEqual(evaluateAffected(entry, "1.11.0", pep440Ordering), { affected: true });
  });

  it("evaluates several introduced/fixed pairs in version order, whatever their order in the file", () => {
    const entry = anEntry([{ fixed: "2.5.2" }, { introduced: "2.5" }, { fixed: "2.3.2" }, { introduced: "0" }]);
    assert.deepEqual(
      ["2.3.1", "2.3.2", "2.4", "2.5", "2.5.1", "2.5.2"].map((v) => pypi(entry, v)),
      [true, false, false, true, true, false],
    );
  });

  it("suggests the lowest fix above the installed version", () => {
    const entry = anEntry([{ introduced: "0" }, { fixed: "2.3.2" }, { introduced: "2.5" }, { fixed: "2.5.2" }]);
    assert.deepEqual(evaluateAffected(entry, "2.3.1", pep440Ordering), { affected: true, fixed: "2.3.2" });
    assert.deepEqual(evaluateAffected(entry, "2.5.1", pep440Ordering), { affected: true, fixed: "2.5.2" });
    assert.deepEqual(evaluateAffected(entry, "2.4", pep440Ordering), { affected: false });
  });

  it("leaves a range without a fix open-ended", () => {
    const entry = anEntry([{ introduced: "3.0" }]);
    assert.deepEqual(evaluateAffected(entry, "99.0", pep440Ordering), { affected: true });
    assert.equal(pypi(entry, "2.9"), false);
  });

  it("excludes a version where a range opens and closes at once", () => {
    assert.equal(pypi(anEntry([{ introduced: "1.0" }, { fixed: "1.0" }]), "1.0"), false);
  });

  it("caps a range with limit events (a version must be below one of them)", () => {
    const entry = anEntry([{ introduced: "0" }, { limit: "2.0" }]);
    assert.equal(pypi(entry, "1.9"), true);
    assert.equal(pypi(entry, "2.0"), false);
  });

  it("matches the explicit versions list exactly, under the ecosystem's equality", () => {
    const entry: OsvAffected = { package: { ecosystem: "PyPI", name: "demo" }, versions: ["1.0", "1.2"] };
    assert.deepEqual(
      ["1.0", "1.0.0", "1.1", "1.2", "v1.2"].map((v) => pypi(entry, v)),
      [true, true, false, true, true],
    );
  });

  it("ignores GIT ranges (commit hashes are not installed versions)", () => {
    const entry: OsvAffected = {
      package: { ecosystem: "PyPI", name: "demo" },
      ranges: [{ type: "GIT", repo: "https://example.org/r.git", events: [{ introduced: "0" }, { fixed: "abc123" }] }],
    };
    assert.equal(pypi(entry, "1.0"), false);
    assert.equal(pypi(entry, "abc123"), false);
  });

  it("orders SEMVER ranges by SemVer even for another ecosystem", () => {
    const entry: OsvAffected = {
      package: { ecosystem: "Debian", name: "demo" },
      ranges: [{ type: "SEMVER", events: [{ introduced: "1.0.0" }, { fixed: "1.10.0" }] }],
    };
    assert.equal(affects(entry, "1.9.0", dpkgOrdering), true);
    assert.equal(affects(entry, "1.10.0", dpkgOrdering), false);
    assert.equal(affects(entry, "1.9", dpkgOrdering), false, "not SemVer: the range cannot decide");
  });

  it("skips a range whose events the ordering cannot read instead of guessing", () => {
    const entry = anEntry([{ introduced: "0" }, { fixed: "2019-09-12" }]);
    assert.equal(pypi(entry, "1.0"), false);
    const listed = anEntry([{ introduced: "0" }, { fixed: "2019-09-12" }], { versions: ["1.0"] });
    assert.equal(pypi(listed, "1.0"), true, "the versions list still applies");
  });

  it("never matches an installed version the ordering cannot read, except by exact listing", () => {
    const entry = anEntry([{ introduced: "0" }], { versions: ["weird-1"] });
    assert.equal(pypi(entry, "not a version"), false);
    assert.equal(pypi(entry, "weird-1"), true);
  });

  it("evaluates a 10,000-event range quickly", () => {
    const events: OsvEvent[] = [];
    for (let i = 0; i < 5000; i++) events.push({ introduced: `${i}.0.0` }, { fixed: `${i}.0.1` });
    const entry: OsvAffected = { package: { ecosystem: "npm", name: "x" }, ranges: [{ type: "SEMVER", events }] };
    const started = performance.now();
    assert.deepEqual(evaluateAffected(entry, "4999.0.0", semverOrdering), { affected: true, fixed: "4999.0.1" });
    assert.equal(affects(entry, "2500.0.1", semverOrdering), false);
    assert.equal(affects(entry, "2500.0.0-rc.1", semverOrdering), false);
    assert.ok(performance.now() - started < 5000);
  });
});
