/**
 * Semantic Versioning 2.0.0 precedence (https://semver.org/#spec-item-11), via the `semver`
 * package that npm itself uses. Serves npm, crates.io, Go modules and every OSV `SEMVER` range.
 *
 * Go module versions are SemVer with a `v` prefix; `+incompatible` is build metadata, which
 * SemVer ignores for precedence, and pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) are
 * prereleases that order by their timestamp, which is what the Go command does too.
 */
import semver from "semver";
import { MAX_VERSION_LENGTH, totalOrder, type VersionOrdering } from "./ordering.js";

function isSemver(v: string): boolean {
  // `semver.valid` trims whitespace; a version with spaces around it is not one.
  return v.length <= MAX_VERSION_LENGTH && v.trim() === v && semver.valid(v) !== null;
}

export const semverOrdering: VersionOrdering = {
  name: "semver",
  valid: isSemver,
  compare: totalOrder(isSemver, (a, b) => semver.compare(a, b)),
};
