/**
 * The contract every version ordering keeps, run by each ordering's test with its own table of
 * published pairs and a generator of versions in its syntax:
 * - the published pairs hold, both ways round;
 * - compare(a, a) = 0, sign(compare(a, b)) = -sign(compare(b, a)), and the order is transitive
 *   (checked on triples and by sorting random lists), on random versions;
 * - compare and valid never throw, whatever the string.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { VersionOrdering } from "./ordering.js";

export type Relation = "<" | "=" | ">";
export type Pair = readonly [string, Relation, string];

export interface OrderingContract {
  ordering: VersionOrdering;
  /** Pairs written from the ecosystem's published rules and examples. */
  pairs: readonly Pair[];
  /** Random versions in the ecosystem's syntax (mostly valid, small alphabets so that they collide). */
  versions: fc.Arbitrary<string>;
  valid: readonly string[];
  invalid: readonly string[];
}

const SIGN: Record<Relation, number> = { "<": -1, "=": 0, ">": 1 };

/** Every ordered pair (earlier < later) of a list the specification gives in ascending order. */
export function ascending(versions: readonly string[]): Pair[] {
  return versions.flatMap((a, i) => versions.slice(i + 1).map((b): Pair => [a, "<", b]));
}

/** Every pair of a list of spellings the specification says are equal. */
export function equal(versions: readonly string[]): Pair[] {
  return versions.flatMap((a, i) => versions.slice(i + 1).map((b): Pair => [a, "=", b]));
}

const sign = (n: number) => Math.sign(n) || 0;

export function runOrderingContract(contract: OrderingContract): void {
  const { ordering, pairs } = contract;
  describe(`${ordering.name} ordering contract`, () => {
    it(`orders ${pairs.length} published pairs as their rules say, both ways round`, () => {
      const wrong = pairs.flatMap(([a, rel, b]) => {
        const forward = sign(ordering.compare(a, b));
        const backward = sign(ordering.compare(b, a));
        return forward === SIGN[rel] && backward === -SIGN[rel]
          ? []
          : [`${a} ${rel} ${b} (got ${forward}/${backward})`];
      });
      assert.deepEqual(wrong, []);
    });

    it("accepts the valid examples and refuses the invalid ones", () => {
      assert.deepEqual(
        contract.valid.filter((v) => !ordering.valid(v)),
        [],
        "valid versions refused",
      );
      assert.deepEqual(
        contract.invalid.filter((v) => ordering.valid(v)),
        [],
        "invalid versions accepted",
      );
    });

    it("compares every version equal to itself", () => {
      fc.assert(fc.property(contract.versions, (v) => ordering.compare(v, v) === 0));
    });

    it("is antisymmetric", () => {
      fc.assert(
        fc.property(contract.versions, contract.versions, (a, b) => {
          return sign(ordering.compare(a, b)) === -sign(ordering.compare(b, a));
        }),
        { numRuns: 500 },
      );
    });

    it("is transitive on triples", () => {
      fc.assert(
        fc.property(contract.versions, contract.versions, contract.versions, (a, b, c) => {
          const ab = sign(ordering.compare(a, b));
          const bc = sign(ordering.compare(b, c));
          const ac = sign(ordering.compare(a, c));
          if (ab <= 0 && bc <= 0) return ac <= 0 && (ab !== 0 || bc !== 0 || ac === 0);
          if (ab >= 0 && bc >= 0) return ac >= 0 && (ab !== 0 || bc !== 0 || ac === 0);
          return true;
        }),
        { numRuns: 1000 },
      );
    });

    it("sorts random lists consistently (every earlier element <= every later one)", () => {
      fc.assert(
        fc.property(fc.array(contract.versions, { minLength: 2, maxLength: 25 }), (list) => {
          const sorted = [...list].sort((a, b) => ordering.compare(a, b));
          for (let i = 0; i < sorted.length; i++) {
            for (let j = i + 1; j < sorted.length; j++) {
              if (ordering.compare(sorted[i] as string, sorted[j] as string) > 0) return false;
            }
          }
          return true;
        }),
        { numRuns: 300 },
      );
    });

    it("never throws on arbitrary strings", () => {
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
          const result = ordering.compare(a, b);
          return Number.isFinite(result) && typeof ordering.valid(a) === "boolean";
        }),
        { numRuns: 500 },
      );
    });
  });
}
