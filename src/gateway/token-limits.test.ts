import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { GatewayError } from "./errors.js";
import { applyOutputCap, outputBudget, reservation } from "./token-limits.js";

describe("output budget", () => {
  it("takes the smallest of every alias and the largest answer count", () => {
    assert.deepEqual(outputBudget({ max_tokens: 900, max_completion_tokens: 300, n: 2, best_of: 5 }, "openai"), {
      asked: 300,
      choices: 5,
    });
    assert.deepEqual(outputBudget({ options: { num_predict: 64 } }, "ollama"), { asked: 64, choices: 1 });
    assert.deepEqual(outputBudget({}, "openai"), { asked: undefined, choices: 1 });
  });

  it("refuses zero, negative, fractional and non-numeric values, naming the field", () => {
    for (const [body, param] of [
      [{ max_tokens: 0 }, "max_tokens"],
      [{ max_completion_tokens: -1 }, "max_completion_tokens"],
      [{ n_predict: 1.5 }, "n_predict"],
      [{ max_tokens: "100" }, "max_tokens"],
      [{ n: 129 }, "n"],
    ] as const) {
      assert.throws(
        () => outputBudget(body, "openai"),
        (e: unknown) => e instanceof GatewayError && e.param === param,
      );
    }
    assert.throws(() => outputBudget({ options: { num_predict: -1 } }, "ollama"), GatewayError);
  });

  it("lowers every alias above the cap and sets the primary one when none is given", () => {
    assert.deepEqual(applyOutputCap({ max_tokens: 50, max_completion_tokens: 5000, n_predict: 9000 }, "openai", 100), {
      max_tokens: 50,
      max_completion_tokens: 100,
      n_predict: 100,
    });
    assert.deepEqual(applyOutputCap({}, "openai", 100), { max_tokens: 100 });
    assert.deepEqual(applyOutputCap({ options: { temperature: 0 } }, "ollama", 100), {
      options: { temperature: 0, num_predict: 100 },
    });
  });

  it("reserves the capped output of every answer, never less than one token", () => {
    assert.equal(reservation(10, { asked: 5000, choices: 50 }, 100), 10 + 100 * 50);
    assert.equal(reservation(0, { asked: undefined, choices: 1 }, undefined), 1);
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 128 }),
        fc.integer({ min: 1, max: 1e5 }),
        (p, asked, n, cap) => {
          const r = reservation(p, { asked, choices: n }, cap);
          assert.ok(r >= Math.max(1, p) && r <= Math.max(1, p) + cap * n);
        },
      ),
    );
  });
});
