/**
 * PEP 440 ordering (https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering)
 * for PyPI, via @renovatebot/pep440: it normalises the spellings PEP 440 allows (`1.0-1` is
 * `1.0.post1`, `1.0c1` is `1.0rc1`, `v1.0` is `1.0`) and orders epochs, pre/post/dev releases and
 * local versions as pip does.
 */
import { compare, valid } from "@renovatebot/pep440";
import { MAX_VERSION_LENGTH, totalOrder, type VersionOrdering } from "./ordering.js";

function isPep440(v: string): boolean {
  return v.length <= MAX_VERSION_LENGTH && valid(v) !== null;
}

export const pep440Ordering: VersionOrdering = {
  name: "pep440",
  valid: isPep440,
  compare: totalOrder(isPep440, compare),
};
