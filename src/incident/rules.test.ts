import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Event } from "../core/index.js";
import { matchesEvent, programOf } from "./match.js";
import { loadRuleSet, parseRuleFile, SHIPPED_RULES, toRuleSet } from "./rules.js";
import { ownSubjects } from "./subjects.js";

const rule = (body: string) => `rules:\n  - id: r\n    title: R\n    severity: high\n${body}`;

describe("correlation rule files", () => {
  it("loads the shipped rules: every join names an earlier step, every process list exists", () => {
    const set = loadRuleSet([SHIPPED_RULES]);
    assert.ok(set.rules.length >= 5);
    for (const r of set.rules)
      for (const step of r.steps)
        for (const name of step.match.process ?? []) assert.ok(set.lists.has(name), `${r.id}: list ${name}`);
  });

  it("refuses a join to a later or unknown step, a step without a join, a threshold on a sequence", () => {
    assert.throws(
      () =>
        parseRuleFile(
          rule(`    steps:
      - { name: a, match: { kinds: [x] }, join: { step: b, on: [request] } }
      - { name: b, match: { kinds: [y] } }
`),
          "r.yaml",
        ),
      /r\.yaml:\d+.*joins "b", which is not an earlier step/s,
    );
    assert.throws(
      () =>
        parseRuleFile(
          rule(`    steps:
      - { name: a, match: { kinds: [x] } }
      - { name: b, match: { kinds: [y] } }
`),
          "r.yaml",
        ),
      /every step after the first needs a join/,
    );
    assert.throws(
      () =>
        parseRuleFile(
          rule(`    threshold: { count: 3, by: identity }
    steps:
      - { name: a, match: { kinds: [x] } }
      - { name: b, match: { kinds: [y] }, join: { step: a, on: [identity] } }
`),
          "r.yaml",
        ),
      /a threshold needs a one-step rule/,
    );
    assert.throws(
      () => parseRuleFile(rule("    window: 5 minutes\n    steps: [{ name: a, match: { kinds: [x] } }]\n"), "r.yaml"),
      /a duration like/,
    );
    assert.throws(
      () =>
        parseRuleFile(
          rule("    steps: [{ name: a, match: { kinds: [x] }, join: { step: a, on: [planet] } }]\n"),
          "r.yaml",
        ),
      /planet|Invalid option/,
    );
  });

  it("refuses a rule id defined in two files, naming both", () => {
    const file = parseRuleFile(rule("    steps: [{ name: a, match: { kinds: [x] } }]\n"), "a.yaml");
    assert.throws(
      () =>
        toRuleSet([
          { file: "a.yaml", value: file },
          { file: "b.yaml", value: file },
        ]),
      /b\.yaml: rule r is already defined in a\.yaml/,
    );
  });
});

describe("matching events", () => {
  const lists = new Map([["shells", new Set(["sh", "bash"])]]);
  const exec = (path: string): Event => ({
    id: "e",
    kind: "mcp.exec",
    time: 1,
    correlation: {},
    payload: { server: "files", path },
  });

  it("takes a program by base name from a list or by its own name", () => {
    assert.equal(programOf(exec("/usr/bin/bash")), "bash");
    assert.ok(matchesEvent({ kinds: ["mcp.exec"], process: ["shells"] }, exec("/usr/bin/bash"), lists));
    assert.ok(matchesEvent({ kinds: ["mcp.exec"], process: ["curl"] }, exec("/usr/bin/curl"), lists));
    assert.ok(!matchesEvent({ kinds: ["mcp.exec"], process: ["shells"] }, exec("/usr/bin/python3"), lists));
    assert.ok(!matchesEvent({ kinds: ["runtime.exec"], process: ["shells"] }, exec("/bin/sh"), lists));
  });

  it("reads guards that fired, not those that passed, and their direction and outcome", () => {
    const request = (guards: unknown[]): Event => ({
      id: "r",
      kind: "gateway.request",
      time: 1,
      correlation: {},
      payload: { guards },
    });
    const m = { kinds: ["gateway.request"], guards: ["injection"] };
    assert.ok(!matchesEvent(m, request([{ guard: "injection", outcome: "pass", signals: [] }]), lists));
    assert.ok(matchesEvent(m, request([{ guard: "injection", outcome: "flagged", signals: [] }]), lists));
    assert.ok(
      !matchesEvent(
        { ...m, outcomes: ["blocked"] },
        request([{ guard: "injection", outcome: "flagged", signals: [] }]),
        lists,
      ),
    );
    assert.ok(
      !matchesEvent(
        { kinds: ["gateway.request"], guards: ["pii"], direction: "response" },
        request([{ guard: "pii", direction: "prompt", outcome: "redacted", signals: [] }]),
        lists,
      ),
    );
    // Whatever shape a stored payload has, matching does not throw.
    assert.ok(!matchesEvent(m, request(["x", null, 3, { guard: 1 }]), lists));
  });

  it("names the subjects an event carries, and none from values too long to be ids", () => {
    const subjects = ownSubjects({
      id: "c",
      kind: "mcp.call",
      time: 1,
      identity: "api-key:a",
      correlation: { requestId: "r-1", sessionId: "x".repeat(600) },
      payload: { server: "files", target: "files.read" },
    });
    assert.deepEqual([...subjects].sort(), ["identity:api-key:a", "mcp:files", "request:r-1", "tool:files.read"]);
  });
});
