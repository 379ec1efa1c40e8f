/**
 * Policy evaluation benchmark (issue 5): decisions per second for a runtime request against a
 * 200-rule policy, on one core. Prints JSON. Run: npm run bench:policy
 *
 * The 200 rules: 150 roles (identity globs, model and tool globs, caps), 40 exceptions and 10
 * custom CEL rules scoped to scans and Kubernetes objects. A second policy adds 5 CEL rules that
 * apply to requests, to show what each request-scoped CEL rule costs.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicy, loadPolicyFiles, type PolicyInput } from "../src/policy/index.js";

function policyText(requestCelRules: number): string {
  const roles = Array.from(
    { length: 150 },
    (_, i) =>
      `      - { name: role-${i}, identities: ["api-key:team-${i}-*", "group:g${i}"], models: ["llama3*", "mistralai/Mistral-${i}*"], tools: ["search_*", "tool_${i}_*"], maxTokens: ${1024 + i} }`,
  );
  const exceptions = Array.from(
    { length: 40 },
    (_, i) =>
      `    - { rule: "runtime.tool-not-allowed", target: "api-key:temp-${i}", owner: o, reason: r, expires: 2030-01-01 }`,
  );
  const custom = Array.from(
    { length: 10 },
    (_, i) =>
      `    - { id: custom-${i}, message: m, appliesTo: [${i % 2 ? "scan" : "kubernetes"}], expression: "has(input.target) && input.target == 'x${i}'" }`,
  );
  const requestRules = Array.from(
    { length: requestCelRules },
    (_, i) =>
      `    - { id: req-${i}, message: m, appliesTo: [request], expression: "input.model.startsWith('blocked-${i}')" }`,
  );
  return `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: bench }
spec:
  runtime:
    roles:
${roles.join("\n")}
  exceptions:
${exceptions.join("\n")}
  rules:
${[...custom, ...requestRules].join("\n")}
`;
}

function measure(requestCelRules: number) {
  const dir = mkdtempSync(join(tmpdir(), "palisade-bench-policy-"));
  const file = join(dir, "policy.yaml");
  writeFileSync(file, policyText(requestCelRules));
  const policy = compilePolicy(loadPolicyFiles([file]));
  // A realistic mix: known callers hitting allowed and denied models and tools.
  const inputs: PolicyInput[] = Array.from({ length: 1000 }, (_, i) => ({
    kind: "request",
    identity: { id: `api-key:team-${i % 150}-svc`, roles: [] },
    route: "/v1/chat/completions",
    model: i % 5 === 0 ? "gpt-4o" : "llama3:8b",
    tools: i % 3 === 0 ? ["search_web", "exec_shell"] : ["search_web"],
    maxTokens: 512,
  }));
  for (let i = 0; i < 50_000; i++) policy.evaluate(inputs[i % inputs.length] as PolicyInput);
  const n = 500_000;
  const started = process.hrtime.bigint();
  let denies = 0;
  for (let i = 0; i < n; i++)
    if (policy.evaluate(inputs[i % inputs.length] as PolicyInput).decision === "deny") denies++;
  const ns = Number(process.hrtime.bigint() - started);
  return {
    decisions: n,
    deny_share: Math.round((denies / n) * 1000) / 1000,
    decisions_per_s: Math.round(n / (ns / 1e9)),
    us_per_decision: Math.round((ns / n / 1000) * 1000) / 1000,
  };
}

console.log(
  JSON.stringify(
    {
      benchmark: "policy",
      rules: { roles: 150, exceptions: 40, custom_cel_non_request: 10 },
      request_200_rules: measure(0),
      request_200_rules_plus_5_request_cel: measure(5),
      node: process.version,
    },
    null,
    2,
  ),
);
