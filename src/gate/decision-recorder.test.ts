import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Event, Verdict } from "../core/index.js";
import { MAX_GATE_REASONS } from "../policy/index.js";
import { createGateRecorder } from "./decision-recorder.js";

const deny: Verdict = {
  decision: "deny",
  reasons: [
    { ruleId: "image.non-root", decision: "deny", message: "runs as root", waivedBy: "exception x" },
    { ruleId: "image.secrets", decision: "deny", message: "1 secret" },
  ],
};

function recorder(now: { t: number }) {
  const events: Event[] = [];
  const r = createGateRecorder({
    gate: "registry",
    policy: () => "prod",
    record: (e) => events.push(e),
    windowMs: 1000,
    now: () => now.t,
  });
  return { r, events };
}

describe("gate decision recorder", () => {
  it("records a decision as a gate.<gate> event whose verdict and reason the store indexes", () => {
    const { r, events } = recorder({ t: 5_000 });
    r.decided("registry.local/team/app:1", deny, { digest: "sha256:aa" });
    assert.equal(events.length, 1);
    const e = events[0] as Event;
    assert.equal(e.kind, "gate.registry");
    assert.equal(e.time, 5_000);
    assert.equal(e.payload.verdict, "blocked");
    // The deciding rule is the first unwaived one, and unwaived reasons come first.
    assert.equal(e.payload.reason, "image.secrets");
    assert.deepEqual(
      (e.payload.reasons as { ruleId: string }[]).map((x) => x.ruleId),
      ["image.secrets", "image.non-root"],
    );
    assert.equal(e.payload.policy, "prod");
    assert.equal(e.payload.digest, "sha256:aa");
  });

  it("collapses the same decision within the window, and records it again after", () => {
    const now = { t: 0 };
    const { r, events } = recorder(now);
    r.decided("img", deny);
    now.t = 500;
    r.decided("img", deny); // the GET after the HEAD
    r.decided("img", { decision: "allow", reasons: [] }); // a different decision is news
    r.decided("other", deny);
    now.t = 1_600;
    r.decided("img", deny);
    assert.deepEqual(
      events.map((e) => [e.payload.target, e.payload.decision, e.time]),
      [
        ["img", "deny", 0],
        ["img", "allow", 500],
        ["other", "deny", 500],
        ["img", "deny", 1_600],
      ],
    );
  });

  it("keeps at most MAX_GATE_REASONS reasons and counts the rest", () => {
    const { r, events } = recorder({ t: 0 });
    const many: Verdict = {
      decision: "deny",
      reasons: Array.from({ length: MAX_GATE_REASONS + 7 }, (_, i) => ({
        ruleId: `r${i}`,
        decision: "deny" as const,
        message: "m".repeat(5000),
      })),
    };
    r.decided("img", many);
    const payload = events[0]?.payload as { reasons: { message: string }[]; omitted: number };
    assert.equal(payload.reasons.length, MAX_GATE_REASONS);
    assert.equal(payload.omitted, 7);
    assert.ok(payload.reasons.every((x) => x.message.length <= 2000));
  });
});
