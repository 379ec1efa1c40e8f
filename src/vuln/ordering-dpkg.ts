/**
 * Debian version ordering, Debian Policy §5.6.12 "Version"
 * (https://www.debian.org/doc/debian-policy/ch-controlfields.html#version), for Debian and Ubuntu.
 *
 * Written here rather than taken from npm: the packages there are unmaintained ports of dpkg's C
 * code, and the rule is short. Comparing hostile strings must also stay linear and must not
 * overflow, which this implementation guarantees (numbers compared as digit strings).
 *
 * `[epoch:]upstream_version[-debian_revision]`: epochs compare as integers; upstream and
 * revision compare by alternating non-digit and digit runs. In a non-digit run, `~` sorts before
 * everything (even the end of the run), then the end, then letters, then other characters, each
 * group by ASCII. Digit runs compare numerically, an empty run counting as 0.
 */
import { compareDigits, isAsciiLetter, isDigit, MAX_VERSION_LENGTH, type VersionOrdering } from "./ordering.js";

interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

/** Splits leniently so that `compare` is total: a malformed epoch makes the whole string upstream. */
function split(v: string): DebianVersion {
  const colon = v.indexOf(":");
  const hasEpoch = colon > 0 && /^\d+$/.test(v.slice(0, colon));
  const rest = hasEpoch ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf("-");
  return {
    epoch: hasEpoch ? v.slice(0, colon) : "0",
    upstream: dash >= 0 ? rest.slice(0, dash) : rest,
    revision: dash >= 0 ? rest.slice(dash + 1) : "",
  };
}

/** Weight of one character of a non-digit run; `undefined` is the end of the run. */
function weight(code: number | undefined): number {
  if (code === undefined) return 0;
  if (code === 126) return -1; // `~`
  if (isAsciiLetter(code)) return code;
  return code + 256;
}

/** The comparison of §5.6.12 applied to one part (upstream or revision). */
export function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit runs, character by character; a digit or the end ends the run.
    for (;;) {
      const ca = i < a.length && !isDigit(a.charCodeAt(i)) ? a.charCodeAt(i) : undefined;
      const cb = j < b.length && !isDigit(b.charCodeAt(j)) ? b.charCodeAt(j) : undefined;
      if (ca === undefined && cb === undefined) break;
      const d = weight(ca) - weight(cb);
      if (d !== 0) return Math.sign(d);
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const d = compareDigits(a.slice(startA, i) || "0", b.slice(startB, j) || "0");
    if (d !== 0) return d;
  }
  return 0;
}

const UPSTREAM = /^[0-9][A-Za-z0-9.+~-]*$/;
const UPSTREAM_NO_REVISION = /^[0-9][A-Za-z0-9.+~]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;

/** Syntax of §5.6.12: digits-only epoch, upstream starting with a digit, allowed characters. */
function isDebianVersion(v: string): boolean {
  if (v.length === 0 || v.length > MAX_VERSION_LENGTH) return false;
  const colon = v.indexOf(":");
  if (colon >= 0 && !/^\d+$/.test(v.slice(0, colon))) return false;
  const rest = colon >= 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf("-");
  if (dash < 0) return UPSTREAM_NO_REVISION.test(rest);
  return UPSTREAM.test(rest.slice(0, dash)) && REVISION.test(rest.slice(dash + 1));
}

export const dpkgOrdering: VersionOrdering = {
  name: "dpkg",
  valid: isDebianVersion,
  compare(a, b) {
    const x = split(a);
    const y = split(b);
    return (
      compareDigits(x.epoch, y.epoch) || comparePart(x.upstream, y.upstream) || comparePart(x.revision, y.revision)
    );
  },
};
