/**
 * Maven version ordering: the POM reference's "Version Order Specification" examples, the
 * ordered lists of Maven's ComparableVersionTest (VERSIONS_QUALIFIER, VERSIONS_NUMBER and the
 * documented qualifier walk-through), and versions of well-known Maven artifacts.
 */
import fc from "fast-check";
import { ascending, equal, type Pair, runOrderingContract } from "./ordering.contract.js";
import { mavenOrdering } from "./ordering-maven.js";

/** ComparableVersionTest.VERSIONS_QUALIFIER, in order. */
const QUALIFIER_CHAIN = [
  "1-alpha2snapshot",
  "1-alpha2",
  "1-alpha-123",
  "1-beta-2",
  "1-beta123",
  "1-m2",
  "1-m11",
  "1-rc",
  "1-cr2",
  "1-rc123",
  "1-SNAPSHOT",
  "1",
  "1-sp",
  "1-sp2",
  "1-sp123",
  "1-abc",
  "1-def",
  "1-pom-1",
  "1-1-snapshot",
  "1-1",
  "1-2",
  "1-123",
];

/**
 * ComparableVersionTest.VERSIONS_NUMBER, in order, except `2.0.a` and `2.0.0.a`: Maven up to 3.8
 * put them after `2-1`, Maven 3.9 reads a trailing `.a` as `-a` (so both are `2-a`), as here.
 */
const NUMBER_CHAIN = [
  "2.0",
  "2.0.a",
  "2-1",
  "2.0.2",
  "2.0.123",
  "2.1.0",
  "2.1-a",
  "2.1b",
  "2.1-c",
  "2.1-1",
  "2.1.0.1",
  "2.2",
  "2.123",
  "11.a2",
  "11.a11",
  "11.b2",
  "11.b11",
  "11.m2",
  "11.m11",
  "11",
  "11.a",
  "11b",
  "11c",
  "11m",
];

/** The ComparableVersion qualifier walk-through (snapshots of each pre-release first). */
const WALKTHROUGH_CHAIN = [
  "NotAVersionSting",
  "1.0a1-SNAPSHOT",
  "1.0-alpha1",
  "1.0beta1-SNAPSHOT",
  "1.0-b2",
  "1.0-beta3.SNAPSHOT",
  "1.0-beta3",
  "1.0-milestone1-SNAPSHOT",
  "1.0-m2",
  "1.0-rc1-SNAPSHOT",
  "1.0-cr1",
  "1.0-SNAPSHOT",
  "1.0",
  "1.0-sp",
  "1.0-a",
  "1.0-whatever",
  "1.0.z",
  "1.0.1",
  "1.0.1.0.0.0.0.0.0.0.0.0.0.0.1",
];

const PAIRS: Pair[] = [
  ...ascending(QUALIFIER_CHAIN),
  ...ascending(NUMBER_CHAIN),
  ...ascending(WALKTHROUGH_CHAIN),
  // POM reference, Version Order Specification examples.
  ["1", "<", "1.1"],
  ["1-snapshot", "<", "1"],
  ["1", "<", "1-sp"],
  ["1-foo2", "<", "1-foo10"],
  ["1.foo", "=", "1-foo"],
  ["1-foo", "<", "1-1"],
  ["1-1", "<", "1.1"],
  ...equal(["1.ga", "1-ga", "1-0", "1.0", "1"]),
  ["1-sp", ">", "1-ga"],
  ["1-sp.1", ">", "1-ga.1"],
  ["1-sp-1", "<", "1-ga-1"],
  ["1-ga-1", "=", "1-1"],
  ["1-a1", "=", "1-alpha-1"],
  ["1.0-alpha1", "=", "1.0-ALPHA1"],
  ["1.7", ">", "1.K"],
  ["5.zebra", ">", "5.aardvark"],
  ["1.α", ">", "1.b"],
  // Splitting and trimming examples of the specification.
  ["1-1.foo-bar1baz-.1", "=", "1-1.foo-bar-1-baz-0.1"],
  ...equal(["1.0.0", "1", "1.", "1-", "1.final", "1.0.0-0.0.0"]),
  ["1.0.0-foo.0.0", "=", "1-foo"],
  // Qualifier aliases and case-insensitivity (ComparableVersionTest).
  ...equal(["1.0-alpha1", "1.0-a1", "1.0ALPHA1", "1.0Alpha1", "1.0AlphA1"]),
  ...equal(["1.0-beta1", "1.0-b1", "1.0BETA1"]),
  ...equal(["1.0-milestone1", "1.0-m1", "1.0MILESTONE1"]),
  ...equal(["1.0-rc1", "1.0-cr1", "1.0RC1"]),
  ...equal(["1.0-ga", "1.0-final", "1.0-release", "1.0", "1.0.0", "1.0-GA"]),
  // Artifacts from Maven Central.
  ["2.13.4.1", ">", "2.13.4"],
  ["2.13.4.1", "<", "2.13.5"],
  ["2.13.4.2", ">", "2.13.4.1"],
  ["5.3.18", ">", "5.3.9"],
  ["4.3.29.RELEASE", "=", "4.3.29"],
  ["4.3.29.RELEASE", "<", "4.3.30.RELEASE"],
  ["5.4.24.Final", "=", "5.4.24"],
  ["5.4.24.Final", "<", "5.4.25.Final"],
  ["2.0.0-M1", "<", "2.0.0"],
  ["2.0.0-M1", ">", "2.0.0-alpha-1"],
  ["2.0.0-M1", "<", "2.0.0-RC1"],
  ["1.2.3-SNAPSHOT", "<", "1.2.3"],
  ["1.0.0.Beta1", "<", "1.0.0"],
  ["1.0.0.Beta1", ">", "1.0.0.Alpha2"],
  ["9.4.44.v20210927", ">", "9.4.43.v20210629"],
  ["9.4.44.v20210927", "<", "9.4.45"],
  ["31.1-jre", ">", "30.1.1-jre"],
  ["31.1-jre", ">", "31.1-android"],
  ["2.17.1", ">", "2.17.0"],
  ["2.17.0", ">", "2.16.0"],
  ["2.15.0", ">", "2.15.0-rc2"],
  ["2.15.0-rc2", ">", "2.15.0-rc1"],
  ["2.0-beta9", "<", "2.0"],
  ["1.10.0", ">", "1.9.9"],
  ["2.0.a", "=", "2.0.0.a"],
  ["2.0.snapshot", "<", "2"],
  ["1.0.0.Beta1", "=", "1.0.0-beta-1"],
  ["1.0.10", "=", "1.0.010"],
];

const token = fc.constantFrom(
  "0",
  "1",
  "2",
  "10",
  "alpha",
  "a",
  "b",
  "m",
  "rc",
  "cr",
  "snapshot",
  "ga",
  "final",
  "sp",
  "foo",
  "",
);
const versions = fc
  .tuple(fc.constantFrom("0", "1", "2"), fc.array(fc.tuple(fc.constantFrom(".", "-", ""), token), { maxLength: 4 }))
  .map(([first, rest]) => first + rest.map(([sep, t]) => sep + t).join(""));

runOrderingContract({
  ordering: mavenOrdering,
  pairs: PAIRS,
  versions,
  valid: ["1.0", "1.0-SNAPSHOT", "4.3.29.RELEASE", "9.4.44.v20210927", "NotAVersionSting"],
  invalid: ["", "1.0 beta", " 1.0", "1.0\n"],
});
