/**
 * PEP 440 ordering: the PEP's own ordered example (the "Summary of permitted suffixes and
 * relative ordering" list), its normalisation rules (which spellings are equal) and release
 * numbers seen in the PyPA advisories.
 */
import fc from "fast-check";
import { ascending, equal, type Pair, runOrderingContract } from "./ordering.contract.js";
import { pep440Ordering } from "./ordering-pep440.js";

/** PEP 440, "Summary of permitted suffixes and relative ordering", in order. */
const PEP_CHAIN = [
  "1.dev0",
  "1.0.dev456",
  "1.0a1",
  "1.0a2.dev456",
  "1.0a12.dev456",
  "1.0a12",
  "1.0b1.dev456",
  "1.0b2",
  "1.0b2.post345.dev456",
  "1.0b2.post345",
  "1.0rc1.dev456",
  "1.0rc1",
  "1.0",
  "1.0+abc.5",
  "1.0+abc.7",
  "1.0+5",
  "1.0.post456.dev34",
  "1.0.post456",
  "1.0.15",
  "1.1.dev1",
];

const PAIRS: Pair[] = [
  ...ascending(PEP_CHAIN),
  // Normalisation: alternative spellings of pre, post and dev releases are the same version.
  ...equal(["1.0a1", "1.0alpha1", "1.0.a1", "1.0-a1", "1.0_a1", "1.0a.1", "1.0A1"]),
  ...equal(["1.0b1", "1.0beta1", "1.0-b1"]),
  ...equal(["1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-rc1"]),
  ...equal(["1.0.post1", "1.0-1", "1.0post1", "1.0.rev1", "1.0.r1", "1.0-post1"]),
  ["1.0.post0", "=", "1.0.post"],
  ["1.0.dev0", "=", "1.0.dev"],
  ["1.0a0", "=", "1.0a"],
  // Release segments: zero padding, leading zeros, the `v` prefix, epochs.
  ...equal(["1.0", "1.0.0", "1.0.0.0", "v1.0", "1", "01.0", "0!1.0"]),
  ["1.2", "=", "01.02"],
  ["1.10", ">", "1.9"],
  ["1.0.10", ">", "1.0.9"],
  ["2.0", ">", "1.99"],
  ["1.1", ">", "1.0.post99"],
  ["1!1.0", ">", "2.0"],
  ["1!1.0", "<", "1!2.0"],
  ["2!0.1", ">", "1!99.0"],
  // Pre, post and dev releases around their release.
  ["1.0.dev1", "<", "1.0a1"],
  ["1.0a1.dev1", "<", "1.0a1"],
  ["1.0a1.post1", ">", "1.0a1"],
  ["1.0a1.post1", "<", "1.0a2"],
  ["1.0a2", "<", "1.0a10"],
  ["1.0rc2", "<", "1.0"],
  ["1.0.post1.dev1", "<", "1.0.post1"],
  ["1.0.post1.dev1", ">", "1.0"],
  ["1.0.post1", "<", "1.0.post2"],
  ["1.0.dev1", "<", "1.0.dev2"],
  // Local versions: after the public version; numeric segments above alphanumeric ones.
  ["1.0+local", ">", "1.0"],
  ["1.0+local", "<", "1.0.post1"],
  ["1.0+abc", "<", "1.0+abc.1"],
  ["1.0+1", "<", "1.0+2"],
  ["1.0+abc", "<", "1.0+abd"],
  ["1.0+abc", "<", "1.0+1"],
  ["1.0+ubuntu-1", "=", "1.0+ubuntu.1"],
  ["1.0+ubuntu_1", "=", "1.0+ubuntu.1"],
  // Release numbers from the PyPA advisories used in match.test.ts.
  ["2021.10.0", ">", "2021.9.1"],
  ["2.5", "<", "2.5.2"],
  ["2.3.1", "<", "2.3.2"],
  ["3.8.6", ">", "3.8.5"],
  ["3.7.4.post0", ">", "3.7.4"],
  ["3.7.4.post0", "<", "3.8.0a7"],
  ["0.22.0a0", "<", "0.22.0"],
  ["0.22.0b6", ">", "0.22.0a0"],
  ["1.11.0", "<", "1.11.1"],
  ["0.8.0-alpha2", "<", "0.8.0"],
];

const versions = fc
  .tuple(
    fc.option(fc.constantFrom("1!", "2!")),
    fc.array(fc.nat(11), { minLength: 1, maxLength: 3 }),
    fc.option(fc.tuple(fc.constantFrom("a", "b", "rc", "c", "alpha"), fc.nat(3))),
    fc.option(fc.nat(3)),
    fc.option(fc.nat(3)),
    fc.option(fc.constantFrom("abc", "abc.5", "5", "ubuntu-1", "1.2")),
  )
  .map(([epoch, release, pre, post, dev, local]) => {
    const parts = [epoch ?? "", release.join(".")];
    if (pre) parts.push(`${pre[0]}${pre[1]}`);
    if (post !== null) parts.push(`.post${post}`);
    if (dev !== null) parts.push(`.dev${dev}`);
    if (local) parts.push(`+${local}`);
    return parts.join("");
  });

runOrderingContract({
  ordering: pep440Ordering,
  pairs: PAIRS,
  versions,
  valid: ["1.0", "1!2.0.post3.dev4+abc.5", "v1.0", "1.0.post", "2021.10.0", "0.8.0-alpha2"],
  invalid: ["", "garbage", "1.0-foo", "french toast", "1..0", "1.0 ", "1.0+", "1.0+abc..1"],
});
