/**
 * RPM version ordering: rpm's rpmvercmp (rpmio/rpmvercmp.c, documented in rpm's
 * docs/manual/dependencies.md) applied to `[epoch:]version[-release]`, for Red Hat, Rocky Linux,
 * AlmaLinux, SUSE and openSUSE.
 *
 * Each part splits into runs of digits and runs of ASCII letters; every other character only
 * separates. Digit runs compare numerically and beat letter runs; letter runs compare by ASCII.
 * `~` sorts before everything, even the end (`1.0~rc1` < `1.0`); `^` sorts after the end but
 * before anything else (`1.0` < `1.0^git1` < `1.0.1`). When one side runs out, the longer wins.
 *
 * rpm itself skips the release when one side has none (a dependency on `foo >= 1.0` matches any
 * release); that is a matching rule, not an order, and it is not transitive. Here a missing
 * release sorts before any release so that the order stays total.
 */
import {
  compareDigits,
  compareStrings,
  isAsciiLetter,
  isDigit,
  MAX_VERSION_LENGTH,
  type VersionOrdering,
} from "./ordering.js";

/** rpmvercmp on one part. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const isAlnum = (code: number) => isDigit(code) || isAsciiLetter(code);
  const isSeparator = (s: string, k: number) =>
    k < s.length && !isAlnum(s.charCodeAt(k)) && s[k] !== "~" && s[k] !== "^";
  while (i < a.length || j < b.length) {
    while (isSeparator(a, i)) i++;
    while (isSeparator(b, j)) j++;
    if (a[i] === "~" || b[j] === "~") {
      if (a[i] !== "~") return 1;
      if (b[j] !== "~") return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === "^" || b[j] === "^") {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== "^") return 1;
      if (b[j] !== "^") return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a.charCodeAt(i));
    const inRun = numeric ? isDigit : isAsciiLetter;
    const startA = i;
    const startB = j;
    while (i < a.length && inRun(a.charCodeAt(i))) i++;
    while (j < b.length && inRun(b.charCodeAt(j))) j++;
    // Different kinds of run: the number is newer.
    if (j === startB) return numeric ? 1 : -1;
    const runA = a.slice(startA, i);
    const runB = b.slice(startB, j);
    const d = numeric ? compareDigits(runA, runB) : compareStrings(runA, runB);
    if (d !== 0) return d;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

interface Evr {
  epoch: string;
  version: string;
  release: string | undefined;
}

function splitEvr(v: string): Evr {
  const colon = v.indexOf(":");
  const hasEpoch = colon > 0 && /^\d+$/.test(v.slice(0, colon));
  const rest = hasEpoch ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf("-");
  return {
    epoch: hasEpoch ? v.slice(0, colon) : "0",
    version: dash >= 0 ? rest.slice(0, dash) : rest,
    release: dash >= 0 ? rest.slice(dash + 1) : undefined,
  };
}

function compareEvr(a: string, b: string): number {
  const x = splitEvr(a);
  const y = splitEvr(b);
  const epoch = compareDigits(x.epoch, y.epoch);
  if (epoch !== 0) return epoch;
  const version = rpmvercmp(x.version, y.version);
  if (version !== 0) return version;
  if (x.release === undefined || y.release === undefined) {
    return x.release === y.release ? 0 : x.release === undefined ? -1 : 1;
  }
  return rpmvercmp(x.release, y.release);
}

/** `[digits:]version[-release]`, version and release made of alphanumerics and `._+~^`. */
const EVR = /^(?:\d+:)?[A-Za-z0-9._+~^]+(?:-[A-Za-z0-9._+~^]+)?$/;

export const rpmOrdering: VersionOrdering = {
  name: "rpm",
  valid: (v) => v.length <= MAX_VERSION_LENGTH && EVR.test(v),
  compare: compareEvr,
};
