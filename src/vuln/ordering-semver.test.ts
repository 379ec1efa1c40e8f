/**
 * SemVer 2.0.0 precedence: pairs from semver.org §9-§11 and from Go's module version rules
 * (https://go.dev/ref/mod#versions, #pseudo-versions, #non-module-compat for +incompatible).
 */
import fc from "fast-check";
import { ascending, equal, type Pair, runOrderingContract } from "./ordering.contract.js";
import { semverOrdering } from "./ordering-semver.js";

/** semver.org §11's own example, in order. */
const SPEC_CHAIN = [
  "1.0.0-alpha",
  "1.0.0-alpha.1",
  "1.0.0-alpha.beta",
  "1.0.0-beta",
  "1.0.0-beta.2",
  "1.0.0-beta.11",
  "1.0.0-rc.1",
  "1.0.0",
  "2.0.0",
  "2.1.0",
  "2.1.1",
];

const PAIRS: Pair[] = [
  ...ascending(SPEC_CHAIN),
  // §2: each number compares numerically.
  ["1.9.0", "<", "1.10.0"],
  ["1.10.0", "<", "1.11.0"],
  ["0.9.9", "<", "0.10.0"],
  ["10.0.0", ">", "9.99.99"],
  // §9: a prerelease is below its release; larger set of identifiers wins when the prefix is equal.
  ["1.0.0-alpha", "<", "1.0.0"],
  ["1.0.0-0.3.7", ">", "1.0.0-0"],
  ["1.0.0-x.7.z.92", "<", "1.0.0"],
  ["1.0.0-x-y-z.--", "<", "1.0.0"],
  ["1.0.0-alpha.1", ">", "1.0.0-alpha"],
  // §11.4: numeric identifiers compare numerically and below alphanumeric ones; others by ASCII.
  ["1.0.0-1", "<", "1.0.0-a"],
  ["1.0.0-999", "<", "1.0.0-a"],
  ["1.0.0-2", "<", "1.0.0-10"],
  ["1.0.0-alpha.2", "<", "1.0.0-alpha.10"],
  ["1.0.0-alpha.10", "<", "1.0.0-alpha.a"],
  ["1.0.0-A", "<", "1.0.0-a"],
  ["1.0.0-a", "<", "1.0.0-b"],
  ["1.0.0-alpha.2", "<", "1.0.0-alpha-2"],
  ["1.0.0-rc.1", "<", "1.0.0-rc.1.1"],
  // §10: build metadata does not count.
  ["1.0.0+20130313144700", "=", "1.0.0"],
  ["1.0.0-beta+exp.sha.5114f85", "=", "1.0.0-beta"],
  ["1.0.0+21AF26D3----117B344092BD", "=", "1.0.0"],
  ["1.0.0+a", "=", "1.0.0+b"],
  // Go: the `v` prefix, +incompatible, pseudo-versions, toolchain prereleases.
  ["v1.2.3", "=", "1.2.3"],
  ["v1.2.3", "<", "v1.2.4"],
  ["v2.0.0+incompatible", "=", "2.0.0"],
  ["v2.0.0+incompatible", ">", "v1.9.9"],
  ["2.6.2+incompatible", "<", "2.7.0-rc.0+incompatible"],
  ["2.7.0-rc.0+incompatible", "<", "2.7.0"],
  ["v0.0.0-20191109021931-daa7c04131f5", "<", "v0.0.1"],
  ["v0.0.0-20191109021931-daa7c04131f5", "<", "v0.0.0-20200101000000-aaaaaaaaaaaa"],
  ["0.0.0-20160722212129-ac0cc4484ad4", "<", "0.0.0-20200131131040-063a3fb69896"],
  ["v1.2.4-0.20191109021931-daa7c04131f5", ">", "v1.2.3"],
  ["v1.2.4-0.20191109021931-daa7c04131f5", "<", "v1.2.4"],
  ["v1.2.3-pre.0.20191109021931-daa7c04131f5", ">", "v1.2.3-pre"],
  ["v1.2.3-pre.0.20191109021931-daa7c04131f5", "<", "v1.2.3"],
  ["1.16.0-0", "<", "1.16.0"],
  ["1.16.0-0", "<", "1.16.0-rc.1"],
  ["1.15.99", "<", "1.16.0-0"],
  ["1.21.0-rc.3", "<", "1.21.0-rc.4"],
  ["1.20.6", "<", "1.21.0-rc.4"],
  ["1.20.7", ">", "1.20.6"],
  ...equal(["1.0.0", "v1.0.0", "1.0.0+build.1", "v1.0.0+incompatible"]),
];

const identifier = fc.constantFrom("alpha", "beta", "rc", "0", "1", "2", "10", "a-b", "A", "x");

const versions = fc
  .tuple(
    fc.nat(3),
    fc.nat(3),
    fc.nat(12),
    fc.array(identifier, { maxLength: 3 }),
    fc.option(fc.constantFrom("build.1", "incompatible", "sha.5114f85")),
    fc.boolean(),
  )
  .map(([major, minor, patch, pre, build, v]) => {
    const core = `${v ? "v" : ""}${major}.${minor}.${patch}`;
    return `${core}${pre.length ? `-${pre.join(".")}` : ""}${build ? `+${build}` : ""}`;
  });

runOrderingContract({
  ordering: semverOrdering,
  pairs: PAIRS,
  versions,
  valid: ["1.0.0", "v1.2.3", "1.0.0-alpha+001", "v0.0.0-20191109021931-daa7c04131f5", "v2.0.0+incompatible"],
  invalid: ["", "1.2", "01.2.3", "1.2.3-01", "1.2.3-", "a.b.c", " 1.2.3", "1.2.3.4", "1.2.3+", "latest"],
});
