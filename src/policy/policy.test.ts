import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValidationError } from "../core/index.js";
import { PII_NAMES_MODES, piiEntities } from "../detect/index.js";
import {
  type CompiledPolicy,
  checkPattern,
  compilePolicy,
  defaultRuntime,
  loadPolicyFiles,
  OPT_IN_PII_ENTITIES,
  PII_NAMES_SETTINGS,
  type PolicyInput,
  PolicyInputSchema,
  parsePolicyText,
  piiActionFor,
} from "./index.js";

const STARTER = new URL("../../rules/policy/starter.yaml", import.meta.url).pathname;
const starter = compilePolicy(loadPolicyFiles([STARTER]));
const TODAY = new Date("2026-06-01T00:00:00Z");

async function policyFrom(...texts: string[]): Promise<{ files: string[]; policy: CompiledPolicy }> {
  const dir = await mkdtemp(join(tmpdir(), "palisade-policy-"));
  const files = await Promise.all(
    texts.map(async (text, i) => {
      const file = join(dir, `p${i}.yaml`);
      await writeFile(file, text);
      return file;
    }),
  );
  return { files, policy: compilePolicy(loadPolicyFiles(files)) };
}

const header = "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: t }\nspec:\n";

function aRequest(overrides: Partial<Extract<PolicyInput, { kind: "request" }>> = {}): PolicyInput {
  return {
    kind: "request",
    identity: { id: "api-key:analytics-7", roles: [] },
    route: "/v1/chat/completions",
    model: "llama3:8b",
    tools: [],
    ...overrides,
  };
}

function aScan(overrides: Partial<Extract<PolicyInput, { kind: "scan" }>> = {}): PolicyInput {
  return PolicyInputSchema.parse({ kind: "scan", target: "app", ...overrides });
}

function aPod(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: "web", namespace: "apps" },
): PolicyInput {
  return PolicyInputSchema.parse({ kind: "kubernetes", object: { apiVersion: "v1", kind: "Pod", metadata, spec } });
}

function ruleIds(policy: CompiledPolicy, input: PolicyInput): string[] {
  return policy
    .evaluate(input, { today: TODAY })
    .reasons.filter((r) => !r.waivedBy)
    .map((r) => r.ruleId);
}

describe("supply-chain reasons point at what they are about", () => {
  it("carries the location of the model, MCP server and finding into each reason", () => {
    const input = aScan({
      models: [{ id: "random/model", location: { path: "app/llm.py", line: 7 } }],
      mcpServers: [
        { name: "gh", package: "@acme/mcp-gh", location: { path: ".vscode/mcp.json", line: 4 } },
        { name: "hf", url: "https://mcp.example/hf", location: { path: ".vscode/mcp.json", line: 10 } },
      ],
    });
    const reasons = starter.evaluate(input, { today: TODAY }).reasons;
    const at = (id: string) =>
      reasons.filter((r) => r.ruleId === id).map((r) => [r.message, r.location?.path, r.location?.line]);
    assert.deepEqual(at("supply-chain.model-not-approved"), [["model random/model is not approved", "app/llm.py", 7]]);
    assert.deepEqual(at("supply-chain.mcp-server-not-approved"), [
      ["MCP server @acme/mcp-gh (unpinned) is not approved", ".vscode/mcp.json", 4],
      ["MCP server https://mcp.example/hf is not approved", ".vscode/mcp.json", 10],
    ]);
  });
});

describe("policy: runtime", () => {
  it("allows what a role allows and names every reason otherwise", () => {
    assert.deepEqual(starter.evaluate(aRequest({ tools: ["search_web"], maxTokens: 1000 })), {
      decision: "allow",
      reasons: [],
    });
    const verdict = starter.evaluate(aRequest({ model: "gpt-4o", tools: ["exec_shell"], maxTokens: 9000 }));
    assert.equal(verdict.decision, "deny");
    assert.deepEqual(
      verdict.reasons.map((r) => [r.ruleId, r.decision]),
      [
        ["runtime.model-not-allowed", "deny"],
        ["runtime.tool-not-allowed", "deny"],
        ["runtime.max-tokens", "warn"],
      ],
    );
    assert.match(verdict.reasons[0]?.source ?? "", /starter\.yaml:\d+$/);
  });

  it("allows a max_tokens above the cap, lowered to the cap, as the gateway forwards it", () => {
    const verdict = starter.evaluate(aRequest({ maxTokens: 9000 }));
    assert.equal(verdict.decision, "warn");
    assert.deepEqual(
      verdict.reasons.map((r) => [r.ruleId, r.decision, r.message]),
      [["runtime.max-tokens", "warn", "max_tokens 9000 lowered to the role's cap 4096"]],
    );
    assert.equal(starter.evaluate(aRequest({ maxTokens: 4096 })).decision, "allow");
  });

  it("refuses a zero or negative max_tokens as bad input, before any rule runs", () => {
    const parse = (maxTokens: unknown) =>
      PolicyInputSchema.safeParse({ kind: "request", identity: { id: "x" }, model: "m", maxTokens });
    for (const bad of [0, -1, 1.5]) {
      const result = parse(bad);
      assert.equal(result.success, false, String(bad));
      assert.deepEqual(result.error?.issues[0]?.path, ["maxTokens"]);
    }
    assert.equal(parse(1).success, true);
  });

  it("gives the default role to callers without one, and denies when there is none", async () => {
    assert.deepEqual(
      ruleIds(starter, aRequest({ identity: { id: "api-key:someone", roles: [] }, model: "llama3" })),
      [],
    );
    const { policy } = await policyFrom(
      `${header}  runtime:\n    roles:\n      - { name: a, identities: ["api-key:a"], models: ["*"] }\n`,
    );
    assert.deepEqual(ruleIds(policy, aRequest({ identity: { id: "api-key:b", roles: [] } })), ["runtime.no-role"]);
    assert.deepEqual(ruleIds(policy, aRequest({ identity: { id: "oidc:x", roles: ["a"] } })), []);
  });

  it("resolves access: the highest max_tokens cap and each limit from the first role setting it", () => {
    const access = starter.access({ id: "api-key:analytics-1", roles: ["reader"] });
    assert.deepEqual(access.roles, ["reader", "analyst"]);
    assert.equal(access.maxTokens, 4096);
    assert.equal(access.limits.requestsPerMinute, 30);
    assert.equal(access.limits.tokensPerMonth, 20_000_000);
  });

  it("runs custom CEL rules for the kinds they apply to", () => {
    const verdict = starter.evaluate(
      aRequest({ identity: { id: "x", roles: ["reader"] }, model: "llama3", maxTokens: 3000 }),
    );
    assert.ok(verdict.reasons.some((r) => r.ruleId === "no-large-context-for-readers"));
  });
});

describe("policy: PII actions", () => {
  const defaults = defaultRuntime();
  const action = (entity: string, score = 0.9, policy = defaults, direction: "prompt" | "response" = "prompt") =>
    piiActionFor(policy, { entity, score }, direction);

  it("redacts high-precision entities by default and leaves names, places and organisations alone", () => {
    for (const entity of ["EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS"]) {
      assert.equal(action(entity), "redact", entity);
      assert.equal(action(entity, 0.9, defaults, "response"), "redact", entity);
    }
    for (const entity of ["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"]) {
      assert.equal(action(entity, 1), "allow", entity);
      assert.equal(action(entity, 1, defaults, "response"), "allow", entity);
    }
  });

  it("reaches a phone number through default only with a phone word near it (score 0.6)", () => {
    assert.equal(action("PHONE_NUMBER", 0.55), "allow");
    assert.equal(action("PHONE_NUMBER", 0.6), "redact");
    assert.equal(action("PHONE_NUMBER", 0.95, defaults, "response"), "redact");
  });

  it("acts on an opt-in entity when the policy names it, whatever the default", () => {
    const policy = {
      ...defaults,
      pii: {
        ...defaults.pii,
        prompt: { default: "block" as const, PERSON: "redact" as const, PHONE_NUMBER: "redact" as const },
        response: { LOCATION: "block" as const },
      },
    };
    assert.equal(action("PERSON", 0.55, policy), "redact");
    assert.equal(action("PHONE_NUMBER", 0.55, policy), "redact");
    assert.equal(action("LOCATION", 0.55, policy), "allow");
    assert.equal(action("CREDIT_CARD", 1, policy), "block");
    assert.equal(action("LOCATION", 0.55, policy, "response"), "block");
    assert.equal(action("PERSON", 0.85, policy, "response"), "allow");
    assert.equal(action("EMAIL_ADDRESS", 1, policy, "response"), "redact", "no default: redact");
  });

  it("offers the detector's names modes as pii.names, fast by default", () => {
    assert.deepEqual([...PII_NAMES_SETTINGS], [...PII_NAMES_MODES]);
    assert.equal(defaultRuntime().pii.names, "fast");
  });

  it("accepts pii.names: full", () => {
    const policy = parsePolicyText(
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: full }\nspec:\n  runtime:\n    pii: { names: full }\n",
      "p.yaml",
    );
    assert.equal(policy.document.spec.runtime?.pii.names, "full");
  });

  it("lists only entities the detector reports, each with a one-line reason", () => {
    const known = new Set(piiEntities());
    for (const [entity, optIn] of Object.entries(OPT_IN_PII_ENTITIES)) {
      assert.ok(known.has(entity), entity);
      assert.match(optIn.reason, /^[^\n]{20,200}$/, entity);
    }
  });
});

describe("policy: supply chain", () => {
  it("checks registries, base OS, banned packages, vulnerabilities, models, SDKs, MCP servers and images", () => {
    const input = aScan({
      target: "evil.example/app:1",
      image: {
        reference: "evil.example/app:1",
        os: { family: "debian", version: "11" },
        user: "root",
        secrets: [{ rule: "aws-access-key", location: "ENV AWS_KEY" }],
        hasShell: true,
      },
      components: [
        {
          kind: "library",
          name: "pickle5",
          version: "0.0.11",
          purl: "pkg:pypi/pickle5@0.0.11",
          locations: [],
          properties: {},
        },
        { kind: "ai-sdk", name: "cohere", purl: "pkg:pypi/cohere@5", locations: [], properties: {} },
        { kind: "inference-server", name: "someone/vllm-fork", version: "latest", locations: [], properties: {} },
      ],
      vulnerabilities: [
        { id: "CVE-1", purl: "pkg:pypi/torch@2.0", severity: "critical", fixedIn: "2.2" },
        { id: "CVE-2", purl: "pkg:pypi/torch@2.0", severity: "critical" },
        { id: "CVE-3", purl: "pkg:pypi/torch@2.0", severity: "medium", fixedIn: "2.1" },
      ],
      models: [
        { id: "meta-llama/Llama-3.1-8B", license: "llama3.1" },
        { id: "meta-llama/Llama-3.1-70B", license: "unknown" },
        { id: "random/model" },
      ],
      mcpServers: [
        { package: "@modelcontextprotocol/server-filesystem", version: "2025.3.1" },
        { package: "@modelcontextprotocol/server-filesystem", version: "0.5.0" },
        { image: "ghcr.io/example/mcp-search", digest: "sha256:aa" },
      ],
      providers: ["openai", "shady-llm"],
      findings: [
        {
          ruleId: "pickle.malicious-callable",
          severity: "critical",
          title: "os.system",
          detail: "",
          references: [],
          owasp: [],
          atlas: [],
        },
      ],
    });
    const ids = ruleIds(starter, input);
    assert.deepEqual([...new Set(ids)].sort(), [
      "image.non-root",
      "image.secrets",
      "supply-chain.ai-sdk-not-approved",
      "supply-chain.banned-package",
      "supply-chain.base-image",
      "supply-chain.finding",
      "supply-chain.inference-image-not-approved",
      "supply-chain.mcp-server-not-approved",
      "supply-chain.model-not-approved",
      "supply-chain.provider-not-approved",
      "supply-chain.registry",
      "supply-chain.vulnerability",
    ]);
    assert.equal(
      ids.filter((i) => i === "supply-chain.vulnerability").length,
      1,
      "only fixable high+ vulnerabilities count",
    );
    assert.equal(ids.filter((i) => i === "supply-chain.model-not-approved").length, 2);
    assert.equal(ids.filter((i) => i === "supply-chain.mcp-server-not-approved").length, 1);
  });

  it("reports an AI SDK outside the approved list as a warning, not a denial", () => {
    const verdict = starter.evaluate(
      aScan({ components: [{ kind: "ai-sdk", name: "cohere", locations: [], properties: {} }] }),
    );
    assert.equal(verdict.decision, "warn");
  });
});

describe("policy: exceptions", () => {
  const legacy = aScan({
    target: "x",
    image: { reference: "registry.internal.example/legacy/app:1", user: "root", secrets: [] },
  });

  it("waives a matching rule until it expires, and says who accepted it", () => {
    const verdict = starter.evaluate(legacy, { today: new Date("2026-12-31T12:00:00Z") });
    assert.equal(verdict.decision, "allow");
    assert.match(verdict.reasons[0]?.waivedBy ?? "", /owner platform-team@example\.com, expires 2026-12-31/);
  });

  it("stops applying after the expiry date and says so", () => {
    const verdict = starter.evaluate(legacy, { today: new Date("2027-01-01T00:00:00Z") });
    assert.equal(verdict.decision, "deny");
    assert.equal(verdict.reasons[0]?.waivedBy, undefined);
    assert.match(verdict.reasons[0]?.message ?? "", /an exception expired/);
  });

  it("waives a scanner finding by the finding's own rule, at its path, and nothing else", async () => {
    const { policy } = await policyFrom(
      `${header}  supplyChain:\n    findings: { severity: high, action: deny }\n  exceptions:\n    - { rule: "code.secret.*", target: "tests/**", owner: o, reason: fixture keys, expires: 2030-01-01 }\n`,
    );
    const finding = (ruleId: string, path: string) => ({
      ruleId,
      severity: "high" as const,
      title: "t",
      detail: "",
      location: { path },
      references: [],
      owasp: [],
      atlas: [],
    });
    const verdict = policy.evaluate(
      aScan({
        findings: [
          finding("code.secret.aws-key", "tests/fixtures/keys.py"),
          finding("code.secret.aws-key", "src/app.py"),
          finding("code.unsafe-eval", "tests/x.py"),
        ],
      }),
      { today: TODAY },
    );
    assert.deepEqual(
      verdict.reasons.map((r) => [r.findingRuleId, r.location?.path, r.waivedBy !== undefined]),
      [
        ["code.secret.aws-key", "tests/fixtures/keys.py", true],
        ["code.secret.aws-key", "src/app.py", false],
        ["code.unsafe-eval", "tests/x.py", false],
      ],
    );
    assert.equal(verdict.decision, "deny");
  });
});

describe("policy: kubernetes", () => {
  it("judges pod security and GPU quota on any workload kind", () => {
    const spec = {
      hostNetwork: true,
      volumes: [{ name: "root", hostPath: { path: "/" } }],
      containers: [
        {
          name: "vllm",
          securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN", "NET_BIND_SERVICE"] } },
          resources: { limits: { "nvidia.com/gpu": 2 } },
        },
      ],
    };
    assert.deepEqual(ruleIds(starter, aPod(spec)).sort(), [
      "kubernetes.capabilities",
      "kubernetes.gpu-quota",
      "kubernetes.host-network",
      "kubernetes.host-path",
      "kubernetes.privileged",
      "kubernetes.read-only-root-filesystem",
      "kubernetes.run-as-non-root",
    ]);
    const deployment = PolicyInputSchema.parse({
      kind: "kubernetes",
      namespaceGpuUsage: { "nvidia.com/gpu": 4 },
      object: {
        kind: "Deployment",
        metadata: { name: "llm", namespace: "ml-team" },
        spec: {
          replicas: 3,
          template: {
            spec: {
              securityContext: { runAsNonRoot: true },
              containers: [
                {
                  name: "c",
                  securityContext: { readOnlyRootFilesystem: true },
                  resources: { limits: { "nvidia.com/gpu": 1 } },
                },
              ],
            },
          },
        },
      },
    });
    assert.deepEqual(ruleIds(starter, deployment), []);
    const bigger = structuredClone(deployment) as Extract<PolicyInput, { kind: "kubernetes" }>;
    (bigger.object.spec as { replicas: number }).replicas = 5;
    assert.deepEqual(ruleIds(starter, bigger), ["kubernetes.gpu-quota"]);
  });
});

describe("policy: targets", () => {
  it("names a Kubernetes object namespace/name the same way for built-in and custom rules, so one exception covers both", async () => {
    const { policy } = await policyFrom(
      `${header}  kubernetes:\n    hostNetwork: deny\n  rules:\n    - { id: no-latest, message: m, appliesTo: [kubernetes], expression: "true" }\n  exceptions:\n    - { rule: "*", target: "ml-team/llm", owner: o, reason: r, expires: 2030-01-01 }\n`,
    );
    const input = PolicyInputSchema.parse({
      kind: "kubernetes",
      object: {
        kind: "Pod",
        metadata: { name: "llm", namespace: "ml-team" },
        spec: { hostNetwork: true, containers: [] },
      },
    });
    const verdict = policy.evaluate(input, { today: TODAY });
    assert.deepEqual(
      verdict.reasons.map((r) => [r.ruleId, Boolean(r.waivedBy)]),
      [
        ["kubernetes.host-network", true],
        ["no-latest", true],
      ],
    );
    assert.equal(verdict.decision, "allow");
  });
});

describe("policy: loading", () => {
  it("merges several files in order and points reasons at the file that set the rule", async () => {
    const { files, policy } = await policyFrom(
      `${header}  runtime:\n    roles:\n      - { name: a, identities: ["api-key:a"], models: ["m1"] }\n`,
      `${header}  runtime:\n    roles:\n      - { name: b, identities: ["api-key:b"], models: ["m2"] }\n  exceptions:\n    - { rule: runtime.model-not-allowed, target: "api-key:b", owner: o, reason: r, expires: 2030-01-01 }\n`,
    );
    assert.deepEqual(ruleIds(policy, aRequest({ identity: { id: "api-key:b", roles: [] }, model: "m2" })), []);
    const verdict = policy.evaluate(aRequest({ identity: { id: "api-key:a", roles: [] }, model: "m2" }), {
      today: TODAY,
    });
    assert.equal(verdict.reasons[0]?.source, `${files[0]}:7`);
    const waived = policy.evaluate(aRequest({ identity: { id: "api-key:b", roles: [] }, model: "m1" }), {
      today: TODAY,
    });
    assert.match(waived.reasons[0]?.waivedBy ?? "", new RegExp(`exception ${files[1]}:9`));
  });

  it("refuses a value defined differently in two files, naming both", async () => {
    await assert.rejects(
      policyFrom(`${header}  kubernetes:\n    privileged: deny\n`, `${header}  kubernetes:\n    privileged: warn\n`),
      (error: unknown) =>
        error instanceof ValidationError &&
        /also set in .*p0\.yaml:6/.test(error.message) &&
        /p1\.yaml:6/.test(error.message),
    );
  });

  it("names file, line and path for schema errors, bad CEL and unsafe patterns", () => {
    const cases: [string, RegExp][] = [
      [`${header}  kubernetes:\n    privileged: maybe\n`, /^p\.yaml:6:17: spec\.kubernetes\.privileged: /],
      [`${header}  runtimee: {}\n`, /^p\.yaml:5:3: spec\.runtimee: unknown key/],
      [
        `${header}  rules:\n    - { id: r, message: m, appliesTo: [scan], expression: "input.x ==" }\n`,
        /^p\.yaml:6:\d+: spec\.rules\.0\.expression: invalid CEL/,
      ],
      [
        `${header}  runtime:\n    pii:\n      custom:\n        - { id: x, entity: X, pattern: "(a+)+$" }\n`,
        /^p\.yaml:8:\d+: spec\.runtime\.pii\.custom\.0\.pattern: nested unbounded quantifiers/,
      ],
      [`apiVersion: palisade.dev/v2\nkind: Policy\nmetadata: { name: t }\n`, /^p\.yaml:1:13: apiVersion: /],
      [
        `${header}  exceptions:\n    - { rule: x, owner: o, reason: r, expires: tomorrow }\n`,
        /expected a date like 2026-12-31/,
      ],
      [
        `${header}  runtime:\n    pii:\n      redaction: { style: mask, keepLast: 99 }\n`,
        /^p\.yaml:7:\d+: spec\.runtime\.pii\.redaction\.keepLast: keepLast keeps at most 4 characters/,
      ],
      [
        `${header}  runtime:\n    guards: { unknownFields: drop }\n`,
        /^p\.yaml:6:\d+: spec\.runtime\.guards\.unknownFields: /,
      ],
      [`${header}  runtime:\n    guards: { timeBudgetMs: 0 }\n`, /spec\.runtime\.guards\.timeBudgetMs: /],
      [`${header}  runtime:\n    pii: { names: nlp }\n`, /spec\.runtime\.pii\.names: /],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parsePolicyText(text, "p.yaml"),
        (error: unknown) => error instanceof ValidationError && pattern.test(error.message),
        text,
      );
    }
  });

  it("guards unknown request fields and gives the guards 2 s per request unless the policy says otherwise", () => {
    assert.deepEqual(
      [
        defaultRuntime().guards.unknownFields,
        defaultRuntime().guards.timeBudgetMs,
        defaultRuntime().pii.redaction.keepLast,
      ],
      ["guard", 2000, 4],
    );
    const { guards } =
      parsePolicyText(`${header}  runtime:\n    guards: { unknownFields: reject, timeBudgetMs: 500 }\n`, "p.yaml")
        .document.spec.runtime ?? defaultRuntime();
    assert.deepEqual([guards.unknownFields, guards.timeBudgetMs, guards.failMode], ["reject", 500, "closed"]);
  });

  it("accepts linear patterns and rejects catastrophic ones", () => {
    for (const ok of ["ACC-[0-9]{8}", "(ab|cd)+x", "[a-z]+@[a-z]+", "(?:\\d{3}-){2}\\d{4}"])
      assert.equal(checkPattern(ok), undefined, ok);
    for (const bad of ["(a+)+", "(a*)*b", "((ab)+)*", "(x+x+)+y", "(\\w+\\s?)*$", "(a{1,})+", "(a)\\1"])
      assert.ok(checkPattern(bad), bad);
  });

  it("never crashes on fuzzed YAML: a policy or a ValidationError (property)", () => {
    const fragments = [
      "spec:",
      "  runtime:",
      "    roles:",
      "      - name: x",
      "  kubernetes:",
      "    privileged: deny",
      "  rules: []",
      "  : :",
      "- [",
      "{",
      "  exceptions: [1]",
      "\t",
      "&a *a",
      "  supplyChain: { models: { approved: [] } }",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), { maxLength: 12 }),
        fc.string({ maxLength: 30 }),
        (lines, noise) => {
          const text = `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: f }\n${lines.join("\n")}${noise}`;
          try {
            compilePolicy({ ...parsePolicyWrap(text) });
          } catch (error) {
            assert.ok(error instanceof ValidationError, String(error));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

function parsePolicyWrap(text: string) {
  const parsed = parsePolicyText(text, "fuzz.yaml");
  return { name: "f", files: ["fuzz.yaml"], spec: parsed.document.spec, sources: { at: () => "fuzz.yaml:1" } };
}

describe("policy: evaluation is total", () => {
  const str = fc.string({ maxLength: 12 });
  const request = fc.record({
    kind: fc.constant("request" as const),
    identity: fc.record({ id: str, roles: fc.array(fc.constantFrom("reader", "analyst", "x"), { maxLength: 3 }) }),
    route: str,
    model: str,
    tools: fc.array(str, { maxLength: 4 }),
    maxTokens: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
  });
  const pod = fc.record({
    kind: fc.constant("kubernetes" as const),
    object: fc.record({
      kind: fc.constantFrom("Pod", "Deployment", "CronJob", "Job", "Weird"),
      metadata: fc.object(),
      spec: fc.anything(),
    }),
    namespaceGpuUsage: fc.dictionary(fc.constantFrom("nvidia.com/gpu", "amd.com/gpu"), fc.nat(10)),
    aiWorkload: fc.boolean(),
  });

  it("never throws on any well-typed request or Kubernetes object (property)", () => {
    fc.assert(
      fc.property(fc.oneof(request, pod), (raw) => {
        const input = PolicyInputSchema.parse(raw);
        const verdict = starter.evaluate(input, { today: TODAY });
        assert.ok(["allow", "warn", "deny"].includes(verdict.decision));
      }),
      { numRuns: 1000 },
    );
  });
});
