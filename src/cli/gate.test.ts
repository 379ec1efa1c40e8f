import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Finding } from "../core/index.js";
import { findingsBehind, formatLocation, judgeScan } from "./gate.js";

function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "code.unsafe-torch-load",
    severity: "high",
    title: "torch.load without weights_only=True unpickles arbitrary objects",
    detail: "",
    references: [],
    owasp: [],
    atlas: [],
    location: { path: "app/train.py", line: 3 },
    ...overrides,
  };
}

function aPolicy(): string {
  const file = join(mkdtempSync(join(tmpdir(), "palisade-gate-")), "policy.yaml");
  writeFileSync(
    file,
    "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: g }\nspec:\n  supplyChain:\n    findings: { severity: high }\n",
  );
  return file;
}

describe("gate reasons", () => {
  const findings = [
    aFinding(),
    aFinding({ severity: "low", location: { path: "app/low.py", line: 1 } }),
    aFinding({ location: { path: "app/eval.py", line: 40, column: 7 } }),
    aFinding({ ruleId: "model/unscannable", title: "file could not be fully analysed", location: { path: "m.h5" } }),
  ];

  it("locates each policy reason at the finding behind it, identical messages in order", async () => {
    const verdict = await judgeScan({ target: ".", findings }, { policy: [aPolicy()] });
    assert.equal(verdict.decision, "deny");
    assert.deepEqual(
      verdict.reasons.map((r) => [r.ruleId, r.location && formatLocation(r.location)]),
      [
        ["supply-chain.finding", "app/train.py:3"],
        ["supply-chain.finding", "app/eval.py:40:7"],
        ["supply-chain.finding", "m.h5"],
      ],
    );
  });

  it("locates the default gate's reasons too", async () => {
    const verdict = await judgeScan({ target: ".", findings }, { failOn: "low" });
    assert.deepEqual(
      verdict.reasons.map((r) => r.location?.path),
      ["app/train.py", "app/low.py", "app/eval.py", "m.h5"],
    );
  });

  it("tells apart two findings on one line by their rule", async () => {
    const sameLine = [
      aFinding({ ruleId: "code.unpinned-model-revision", severity: "medium", title: "no revision" }),
      aFinding({ ruleId: "code.trust-remote-code", severity: "high", title: "remote code" }),
    ];
    const verdict = await judgeScan({ target: ".", findings: sameLine }, { policy: [aPolicy()] });
    assert.deepEqual(findingsBehind(verdict.reasons, sameLine), [1]);
  });

  it("matches each finding to the reason about it, and no finding to other reasons", async () => {
    const behind = findingsBehind(
      [
        { ruleId: "supply-chain.model-not-approved", decision: "deny", message: "model o3-mini is not approved" },
        { ruleId: "no-torch", decision: "deny", message: "custom rule" },
      ],
      findings,
    );
    assert.deepEqual(behind, [undefined, undefined]);
    const verdict = await judgeScan({ target: ".", findings }, { policy: [aPolicy()] });
    assert.deepEqual(findingsBehind(verdict.reasons, findings), [0, 2, 3]);
  });
});
