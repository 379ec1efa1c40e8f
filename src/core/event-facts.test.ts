import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EVENT_VERDICTS, eventFacts } from "./event-facts.js";

const guard = (guard: string, outcome: string) => ({ guard, direction: "prompt", outcome, signals: [] });

describe("event facts", () => {
  it("takes a gateway request's verdict from the strongest guard outcome, then its status", () => {
    const base = { status: 200, model: "llama3.1:8b", usage: { prompt: 10, completion: 5 }, latencyMs: 12.6 };
    assert.deepEqual(eventFacts("gateway.request", { ...base, guards: [] }), {
      verdict: "allowed",
      reason: null,
      model: "llama3.1:8b",
      tokens: 15,
      latencyMs: 13,
    });
    const facts = (payload: Record<string, unknown>) => {
      const f = eventFacts("gateway.request", { ...base, ...payload });
      return [f.verdict, f.reason];
    };
    assert.deepEqual(facts({ guards: [guard("pii", "redacted"), guard("injection", "blocked")], status: 400 }), [
      "blocked",
      "injection",
    ]);
    assert.deepEqual(facts({ guards: [guard("pii", "flagged"), guard("secrets", "redacted")] }), [
      "redacted",
      "secrets",
    ]);
    assert.deepEqual(facts({ guards: [guard("injection", "flagged")] }), ["flagged", "injection"]);
    assert.deepEqual(facts({ guards: [], status: 401 }), ["rejected", "http-401"]);
    assert.deepEqual(facts({ guards: [], status: 502, upstreamError: "connect ECONNREFUSED" }), ["error", "upstream"]);
    assert.deepEqual(facts({ guards: [guard("pii", "redacted")], status: 503 }), ["error", "http-503"]);
  });

  it("takes an MCP call's verdict from its decision and rule", () => {
    assert.deepEqual(
      [eventFacts("mcp.call", { decision: "deny", rule: "mcp.tool-not-allowed" })].map((f) => [f.verdict, f.reason]),
      [["blocked", "mcp.tool-not-allowed"]],
    );
    assert.equal(eventFacts("mcp.call", { decision: "allow", redacted: true }).verdict, "redacted");
    assert.equal(eventFacts("mcp.call", { decision: "error" }).verdict, "error");
    assert.equal(eventFacts("mcp.call", { decision: "allow" }).verdict, "allowed");
  });

  it("gives sensor events no verdict, and never throws on any payload", () => {
    assert.deepEqual(eventFacts("runtime.alert", { rule: "x", severity: "critical" }), {
      verdict: null,
      reason: null,
      model: null,
      tokens: null,
      latencyMs: null,
    });
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (kind, payload) => {
        const f = eventFacts(kind, payload);
        assert.ok(f.verdict === null || (EVENT_VERDICTS as readonly string[]).includes(f.verdict));
        assert.ok(f.tokens === null || (Number.isInteger(f.tokens) && f.tokens >= 0));
        assert.ok(f.model === null || f.model.length <= 200);
      }),
    );
  });
});
