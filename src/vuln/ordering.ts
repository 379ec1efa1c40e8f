/**
 * The contract every ecosystem's version ordering keeps. OSV ranges are evaluated by one engine
 * (affects.ts) that only ever asks an ordering these two questions.
 */

/** How one ecosystem orders its versions. */
export interface VersionOrdering {
  /** Ecosystem-neutral name of the rules, e.g. `semver`, `dpkg`: for messages and tests. */
  readonly name: string;
  /**
   * Negative, zero or positive as `a` sorts before, equal to or after `b`. Total on every string
   * (never throws) so that sorting hostile input cannot crash; callers that need a meaningful
   * answer check `valid` first.
   */
  compare(a: string, b: string): number;
  /** Whether `v` is a version this ecosystem's tools would accept. */
  valid(v: string): boolean;
}

/** Longest version string any ordering looks at; longer ones are not valid anywhere. */
export const MAX_VERSION_LENGTH = 1024;

/** -1, 0 or 1 for two strings by UTF-16 code units (what C's strcmp does for ASCII). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two runs of ASCII digits as unbounded integers: leading zeros ignored, then the
 * longer run is larger, then digit by digit. Versions carry dates and build numbers that
 * overflow 32 and 53 bits, so no Number conversion.
 */
export function compareDigits(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Wraps a library comparison that only works on valid versions into a total one: invalid
 * versions sort before all valid ones and among themselves by code units.
 */
export function totalOrder(valid: (v: string) => boolean, compareValid: (a: string, b: string) => number) {
  return (a: string, b: string): number => {
    const va = valid(a);
    const vb = valid(b);
    if (va && vb) return Math.sign(compareValid(a, b));
    if (va !== vb) return va ? 1 : -1;
    return compareStrings(a, b);
  };
}
