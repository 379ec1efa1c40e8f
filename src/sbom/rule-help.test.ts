import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Finding } from "../core/index.js";
import { MODEL_RULE_IDS } from "../scan/model/index.js";
import { RULE_HELP, remediationOf, withRemediation } from "./index.js";

const CODE_SCANNER = fileURLToPath(new URL("../scan/code/", import.meta.url));
const MCP_AUDIT = fileURLToPath(new URL("../mcp/audit-config.ts", import.meta.url));

/** Every rule of `palisade mcp scan` (the keys of MCP_SCAN_RULES, read as text: sbom may not import mcp). */
function mcpRuleIds(): string[] {
  return [...readFileSync(MCP_AUDIT, "utf8").matchAll(/^ {2}"(mcp\.[a-z0-9-]+)": \{ severity/gm)].map(
    (m) => m[1] ?? "",
  );
}

/** Every `ruleId: "code.…"` the code scanner writes into a finding. */
function codeRuleIds(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : codeRuleIds(path);
    if (!entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) return [];
    return [...readFileSync(path, "utf8").matchAll(/ruleId: "(code\.[a-z0-9-]+)"/g)].map((m) => m[1] ?? "");
  });
}

function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "code.unsafe-torch-load",
    severity: "high",
    title: "torch.load",
    detail: "",
    references: [],
    owasp: [],
    atlas: [],
    ...overrides,
  };
}

describe("rule help", () => {
  it("covers every rule the code and model scanners report", () => {
    const ids = [...new Set(codeRuleIds(CODE_SCANNER)), ...MODEL_RULE_IDS.map((id) => `model/${id}`)];
    assert.ok(ids.length >= 20, `found only ${ids.length} rule ids`);
    assert.deepEqual(
      ids.filter((id) => !RULE_HELP[id]),
      [],
    );
  });

  it("covers every rule mcp scan reports", () => {
    const ids = mcpRuleIds();
    assert.ok(ids.length >= 8, `found only ${ids.length} mcp rule ids`);
    assert.deepEqual(
      ids.filter((id) => !RULE_HELP[id]),
      [],
    );
  });

  it("keeps every remediation to one line", () => {
    for (const [id, help] of Object.entries(RULE_HELP)) {
      assert.doesNotMatch(help.remediation, /\n/, id);
      assert.ok(help.summary && help.description && help.remediation, id);
    }
  });

  it("falls back to the rule family, then to a generic remediation", () => {
    assert.equal(remediationOf("code.unsafe-torch-load"), RULE_HELP["code.unsafe-torch-load"]?.remediation);
    assert.match(remediationOf("model/some-future-rule"), /trusted publisher/);
    assert.match(remediationOf("secrets.anything"), /policy exception/);
  });

  it("fills in remediation and keeps one that is already set", () => {
    const [filled, kept] = withRemediation([aFinding(), aFinding({ remediation: "do this" })]);
    assert.match(filled?.remediation ?? "", /weights_only=True/);
    assert.equal(kept?.remediation, "do this");
  });
});
