/**
 * Debian version ordering: examples of Debian Policy §5.6.12, the comparisons dpkg's own test
 * suites check (lib/dpkg/t/t-version.c, scripts/t/Dpkg_Version.t) and versions from Debian and
 * Ubuntu security updates.
 */
import fc from "fast-check";
import { ascending, type Pair, runOrderingContract } from "./ordering.contract.js";
import { dpkgOrdering } from "./ordering-dpkg.js";

/** Policy §5.6.12: "~~" < "~~a" < "~" < the empty part < "a". */
const TILDE_CHAIN = ["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"];

/** Policy §5.6.12: letters sort before non-letters; `~` before the end. */
const CHARACTER_CHAIN = ["1.0~rc1", "1.0", "1.0A", "1.0Z", "1.0a", "1.0z", "1.0+", "1.0."];

/** A Debian 12 openssl security history, oldest first. */
const OPENSSL_CHAIN = [
  "3.0.9-1",
  "3.0.11-1~deb12u1",
  "3.0.11-1~deb12u2",
  "3.0.11-1",
  "3.0.13-1~deb12u1",
  "3.0.14-1~deb12u1",
  "3.0.14-1~deb12u2",
  "3.0.15-1~deb12u1",
];

const PAIRS: Pair[] = [
  ...ascending(TILDE_CHAIN),
  ...ascending(CHARACTER_CHAIN),
  ...ascending(OPENSSL_CHAIN),
  // Non-letters by ASCII: `+` < `-` < `.` (a `-` inside the upstream part needs a revision).
  ["1.0+-1", "<", "1.0--1"],
  ["1.0--1", "<", "1.0.-1"],
  // lib/dpkg/t/t-version.c
  ["0-0", "=", "0-0"],
  ["0-00", "=", "00-0"],
  ["1:2-3", "=", "1:2-3"],
  ["0-0", "<", "1:0-0"],
  ["a-0", "<", "b-0"],
  ["0-a", "<", "0-b"],
  // scripts/t/Dpkg_Version.t
  ["1.0-1", "<", "2.0-2"],
  ["2.2~rc-4", "<", "2.2-1"],
  ["2.2-1", ">", "2.2~rc-4"],
  ["1.0000-1", "=", "1.0-1"],
  ["1", "=", "0:1"],
  ["0", "=", "0:0-0"],
  ["2:2.5", ">", "1:7.5"],
  ["1:0foo", ">", "0foo"],
  ["0:0foo", "=", "0foo"],
  ["0foo", "=", "0foo"],
  ["0foo-0", "=", "0foo"],
  ["0foo", "=", "0foo-0"],
  ["0foo", ">", "0fo"],
  ["0foo-0", "<", "0foo+"],
  ["0foo~1", "<", "0foo"],
  ["0foo~foo+Bar", "<", "0foo~foo+bar"],
  ["0foo~~", "<", "0foo~"],
  ["1~", "<", "1"],
  ["12345+that-really-is-some-ver-0", "<", "12345+that-really-is-some-ver-10"],
  ["0foo-0", "<", "0foo-01"],
  ["0foo.bar", ">", "0foobar"],
  ["0foo.bar", ">", "0foo1bar"],
  ["0foo.bar", ">", "0foo0bar"],
  ["0foo1bar-1", "<", "0foobar-1"],
  ["0foo2.0", ">", "0foo2"],
  ["0foo2.0.0", "<", "0foo2.10.0"],
  ["0foo2.0", "<", "0foo2.0.0"],
  ["0foo2.0", "<", "0foo2.10"],
  ["0foo2.1", "<", "0foo2.10"],
  ["1.09", "=", "1.9"],
  ["1.0.8+nmu1", ">", "1.0.8"],
  ["3.11", ">", "3.10+nmu1"],
  ["0.9j-20080306-4", ">", "0.9i-20070324-2"],
  ["1.2.0~b7-1", ">", "1.2.0~b6-1"],
  ["1.011-1", ">", "1.06-2"],
  ["0.0.9+dfsg1-1", ">", "0.0.8+dfsg1-3"],
  ["4.6.99+svn6582-1", ">", "4.6.99+svn6496-1"],
  ["53", ">", "52"],
  ["0.9.9~pre122-1", ">", "0.9.9~pre111-1"],
  ["2:2.3.2-2+lenny2", ">", "2:2.3.2-2"],
  ["1:3.8.1-1", ">", "3.8.GA-1"],
  ["1.0.1+gpl-1", ">", "1.0.1-2"],
  ["1a", "<", "1000a"],
  // Epochs compare first and numerically; an absent revision is revision 0.
  ["1:1.0", ">", "2.0"],
  ["0:1.0", "=", "1.0"],
  ["2:1.0", ">", "1:9.9"],
  ["10:1.0", ">", "9:1.0"],
  ["1.0-0", "=", "1.0"],
  ["1.0-1", ">", "1.0"],
  ["1.0-1", "<", "1.0-2"],
  ["1.0-1", "<", "1.0-1.1"],
  ["1.0-9", "<", "1.0-10"],
  // Numbers beyond 64 bits still compare numerically.
  ["1.18446744073709551616", ">", "1.18446744073709551615"],
  ["18446744073709551616:1", ">", "18446744073709551615:2"],
  // Debian and Ubuntu security updates.
  ["2.36-9+deb12u4", ">", "2.36-9"],
  ["2.36-9+deb12u4", "<", "2.36-9+deb12u10"],
  ["7.88.1-10+deb12u5", "<", "7.88.1-10+deb12u6"],
  ["1:2.39.2-1.1", ">", "2.40"],
  ["1.2.13.dfsg-1", ">", "1.2.13-1"],
  ["1.0+dfsg", ">", "1.0"],
  ["1.0+b1", ">", "1.0"],
  ["2.4.52-1ubuntu4.6", "<", "2.4.52-1ubuntu4.10"],
  ["1.1.1f-1ubuntu2.20", ">", "1.1.1f-1ubuntu2.3"],
  ["1.1.1f-1ubuntu2", "<", "1.1.1f-1ubuntu2.1"],
  ["5.2.15-2ubuntu1", ">", "5.2.15-2"],
  ["5.2.15-2ubuntu1", "<", "5.2.15-3"],
  ["252.22-1~deb12u1", "<", "252.22-1"],
  ["1:9.18.28-1~deb12u2", ">", "1:9.18.24-1"],
];

const versions = fc.stringMatching(/^([0-2]:)?[0-9][0-9a-cA.+~]{0,5}(-[0-9a-c.+~]{1,3})?$/);

runOrderingContract({
  ordering: dpkgOrdering,
  pairs: PAIRS,
  versions,
  valid: ["1.0", "1:2.39.2-1.1", "3.0.11-1~deb12u2", "12345+that-really-is-some-ver-10", "0.9j-20080306-4", "1.0~rc1"],
  invalid: ["", "a1.0", "1.0-", ":1.0", "x:1.0", "1:", "1.0_1", "1.0 1", "1.0-1_2", "1:2:3", "-1"],
});
