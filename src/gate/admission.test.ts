import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Verdict } from "../core/index.js";
import { type AdmissionImageJudgement, createAdmissionController, type ImageJudgeLike } from "./admission.js";
import { aContainer, aPolicy, aReview, aWorkload, type Kind } from "./fixtures/admission.js";
import { createMemoryInventory } from "./k8s-inventory.js";

const KINDS: Kind[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

const HARDENING = `  kubernetes:
    privileged: deny
    hostPath: deny
    hostNetwork: deny
    hostPID: deny
    runAsNonRoot: deny
    readOnlyRootFilesystem: deny
    capabilities:
      allowed: [NET_BIND_SERVICE]
`;

const ALLOW: Verdict = { decision: "allow", reasons: [] };

function controllerFor(spec: string, extra: Partial<Parameters<typeof createAdmissionController>[0]> = {}) {
  const policy = aPolicy(spec);
  return createAdmissionController({ policy: () => policy, ...extra });
}

async function judge(controller: ReturnType<typeof createAdmissionController>, review: unknown) {
  const outcome = await controller.review(review);
  return { ...outcome, response: outcome.review.response, rules: outcome.verdict?.reasons.map((r) => r.ruleId) ?? [] };
}

describe("admission: every workload kind", () => {
  for (const kind of KINDS) {
    it(`allows a hardened ${kind} and echoes the request uid`, async () => {
      const c = controllerFor(HARDENING);
      const { response, httpStatus } = await judge(c, aReview(aWorkload(kind), { uid: `uid-${kind}` }));
      assert.equal(httpStatus, 200);
      assert.equal(response.uid, `uid-${kind}`);
      assert.equal(response.allowed, true);
    });

    it(`denies a privileged ${kind} with the rule and the policy line in the message`, async () => {
      const c = controllerFor(HARDENING);
      const podSpec = {
        containers: [
          aContainer({ securityContext: { privileged: true, runAsNonRoot: true, readOnlyRootFilesystem: true } }),
        ],
      };
      const { response, rules } = await judge(c, aReview(aWorkload(kind, { podSpec })));
      assert.equal(response.allowed, false);
      assert.equal(response.status?.code, 403);
      assert.deepEqual(rules, ["kubernetes.privileged"]);
      assert.match(
        response.status?.message ?? "",
        new RegExp(`palisade denied ${kind} ml/app: \\[kubernetes.privileged\\].*policy.yaml:`),
      );
    });
  }
});

describe("admission: pod security rules", () => {
  const cases: { rule: string; podSpec: Record<string, unknown> }[] = [
    {
      rule: "kubernetes.host-path",
      podSpec: { containers: [aContainer()], volumes: [{ name: "root", hostPath: { path: "/" } }] },
    },
    { rule: "kubernetes.host-network", podSpec: { containers: [aContainer()], hostNetwork: true } },
    { rule: "kubernetes.host-pid", podSpec: { containers: [aContainer()], hostPID: true } },
    {
      rule: "kubernetes.capabilities",
      podSpec: {
        containers: [
          aContainer({
            securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { add: ["SYS_ADMIN"] } },
          }),
        ],
      },
    },
    {
      rule: "kubernetes.run-as-non-root",
      podSpec: { containers: [aContainer({ securityContext: { readOnlyRootFilesystem: true } })] },
    },
    {
      rule: "kubernetes.run-as-non-root",
      podSpec: { containers: [aContainer({ securityContext: { runAsUser: 0, readOnlyRootFilesystem: true } })] },
    },
    {
      rule: "kubernetes.read-only-root-filesystem",
      podSpec: { containers: [aContainer({ securityContext: { runAsNonRoot: true } })] },
    },
  ];
  for (const { rule, podSpec } of cases) {
    it(`denies ${rule}, and allows the same pod without the rule in the policy`, async () => {
      const denied = await judge(controllerFor(HARDENING), aReview(aWorkload("Deployment", { podSpec })));
      assert.equal(denied.response.allowed, false);
      assert.deepEqual(denied.rules, [rule]);
      const key = {
        "kubernetes.host-path": "hostPath",
        "kubernetes.host-network": "hostNetwork",
        "kubernetes.host-pid": "hostPID",
        "kubernetes.run-as-non-root": "runAsNonRoot",
        "kubernetes.read-only-root-filesystem": "readOnlyRootFilesystem",
        "kubernetes.capabilities": "capabilities",
      }[rule] as string;
      const without = HARDENING.split("\n")
        .filter((l) => !l.includes(`${key}:`) && !(key === "capabilities" && l.includes("allowed:")))
        .join("\n");
      const allowed = await judge(controllerFor(without), aReview(aWorkload("Deployment", { podSpec })));
      assert.equal(allowed.response.allowed, true, `${rule} still fires without its policy key`);
    });
  }

  it("answers warn rules with warnings on an allowed review", async () => {
    const c = controllerFor("  kubernetes:\n    hostNetwork: warn\n");
    const { response } = await judge(
      c,
      aReview(aWorkload("Pod", { podSpec: { containers: [aContainer()], hostNetwork: true } })),
    );
    assert.equal(response.allowed, true);
    assert.deepEqual(response.warnings, ["palisade: [kubernetes.host-network] hostNetwork: true"]);
  });
});

describe("admission: GPU quota from the inventory", () => {
  const gpuPod = (name: string, gpus: number, kind: Kind = "Pod", replicas = 1) =>
    aWorkload(kind, {
      name,
      replicas,
      podSpec: { containers: [aContainer({ resources: { limits: { "nvidia.com/gpu": gpus } } })] },
    });
  const QUOTA = "  kubernetes:\n    gpuQuota:\n      ml:\n        nvidia.com/gpu: 5\n";

  it("counts what already runs across several pods and denies the one over the quota", async () => {
    const inventory = createMemoryInventory();
    const c = controllerFor(QUOTA, { inventory });
    assert.equal((await judge(c, aReview(gpuPod("a", 2)))).response.allowed, true);
    assert.equal((await judge(c, aReview(gpuPod("b", 2)))).response.allowed, true);
    const third = await judge(c, aReview(gpuPod("c", 2)));
    assert.equal(third.response.allowed, false);
    assert.deepEqual(third.rules, ["kubernetes.gpu-quota"]);
    assert.match(third.response.status?.message ?? "", /2 nvidia.com\/gpu requested \(4 in use\) over the quota of 5/);
    // One GPU fits; deleting a pod frees its GPUs.
    assert.equal((await judge(c, aReview(gpuPod("d", 1)))).response.allowed, true);
    await judge(c, aReview(null, { operation: "DELETE", oldObject: gpuPod("a", 2) }));
    assert.equal((await judge(c, aReview(gpuPod("c", 2)))).response.allowed, true);
  });

  it("multiplies by replicas, and an update of the same workload does not count itself twice", async () => {
    const inventory = createMemoryInventory();
    const c = controllerFor(QUOTA, { inventory });
    assert.equal((await judge(c, aReview(gpuPod("llm", 1, "Deployment", 4)))).response.allowed, true);
    assert.equal(
      (await judge(c, aReview(gpuPod("llm", 1, "Deployment", 5), { operation: "UPDATE" }))).response.allowed,
      true,
    );
    assert.equal(
      (await judge(c, aReview(gpuPod("llm", 1, "Deployment", 6), { operation: "UPDATE" }))).response.allowed,
      false,
    );
  });

  it("does not count a Deployment's pods again when they are admitted", async () => {
    const inventory = createMemoryInventory();
    const c = controllerFor(QUOTA, { inventory });
    assert.equal((await judge(c, aReview(gpuPod("llm", 1, "Deployment", 5)))).response.allowed, true);
    const pod = aWorkload("Pod", {
      name: "llm-5d4f8-abcde",
      podSpec: { containers: [aContainer({ resources: { limits: { "nvidia.com/gpu": 1 } } })] },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "llm-5d4f8", uid: "rs", controller: true }],
    });
    assert.equal((await judge(c, aReview(pod))).response.allowed, true);
    assert.equal((await inventory.workloads("ml")).length, 1, "the pod is accounted with its Deployment");
  });

  it("evaluates a dry run without recording it", async () => {
    const inventory = createMemoryInventory();
    const c = controllerFor(QUOTA, { inventory });
    for (let i = 0; i < 3; i++)
      assert.equal((await judge(c, aReview(gpuPod(`dry${i}`, 5), { dryRun: true }))).response.allowed, true);
    assert.deepEqual(await inventory.workloads(), []);
    const over = await judge(c, aReview(gpuPod("over", 6), { dryRun: true }));
    assert.equal(over.response.allowed, false);
    // What was judged is named for the audit trail, and marked as a dry run.
    assert.match(over.subject ?? "", /^Pod \S+\/over$/);
    assert.equal(over.dryRun, true);
    // A dry-run DELETE removes nothing.
    await judge(c, aReview(gpuPod("real", 5)));
    await judge(c, aReview(null, { operation: "DELETE", oldObject: gpuPod("real", 5), dryRun: true }));
    assert.equal((await inventory.workloads()).length, 1);
  });
});

describe("admission: NetworkPolicy required for AI workloads", () => {
  const vllm = () =>
    aWorkload("Deployment", {
      name: "vllm",
      labels: { app: "vllm" },
      podSpec: { containers: [aContainer({ image: "vllm/vllm-openai:v0.6.3" })] },
    });
  const netpol = (selector: Record<string, unknown>) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "np", namespace: "ml" },
    spec: { podSelector: selector, policyTypes: ["Ingress", "Egress"] },
  });

  it("denies an inference server no NetworkPolicy selects, then allows it once one does", async () => {
    const inventory = createMemoryInventory();
    const c = controllerFor("  kubernetes:\n    networkPolicyRequired: deny\n", { inventory });
    const first = await judge(c, aReview(vllm()));
    assert.equal(first.response.allowed, false);
    assert.deepEqual(first.rules, ["kubernetes.network-policy"]);
    await judge(c, aReview(netpol({ matchLabels: { app: "other" } })));
    assert.equal((await judge(c, aReview(vllm()))).response.allowed, false);
    await judge(c, aReview(netpol({ matchExpressions: [{ key: "app", operator: "In", values: ["vllm", "tgi"] }] })));
    assert.equal((await judge(c, aReview(vllm()))).response.allowed, true);
  });

  it("leaves non-AI workloads alone", async () => {
    const c = controllerFor("  kubernetes:\n    networkPolicyRequired: deny\n", { inventory: createMemoryInventory() });
    assert.equal((await judge(c, aReview(aWorkload("Deployment")))).response.allowed, true);
  });
});

describe("admission: model references", () => {
  const SHA = "a".repeat(64);
  const POLICY = `  supplyChain:
    models:
      approved:
        - id: meta-llama/Llama-3.1-8B-Instruct
          sha256: "${SHA}"
        - id: "mistralai/*"
  kubernetes:
    models:
      requirePinned: false
`;
  const serving = (env: Record<string, string>, args: string[] = [], annotations?: Record<string, string>) =>
    aWorkload("Deployment", {
      name: "vllm",
      ...(annotations ? { annotations } : {}),
      podSpec: {
        containers: [
          aContainer({
            image: "vllm/vllm-openai:v0.6.3",
            args,
            env: Object.entries(env).map(([name, value]) => ({ name, value })),
          }),
        ],
      },
    });

  it("denies an unapproved model named in env, args or an annotation", async () => {
    const c = controllerFor(POLICY);
    for (const object of [
      serving({ MODEL: "evil/backdoored-llm" }),
      serving({}, ["--model", "evil/backdoored-llm"]),
      serving({}, ["--model=evil/backdoored-llm"]),
      serving({}, [], { "palisade.dev/model": "evil/backdoored-llm" }),
    ]) {
      const { response, rules } = await judge(c, aReview(object));
      assert.equal(response.allowed, false);
      assert.deepEqual(rules, ["kubernetes.model-not-approved"]);
    }
  });

  it("needs the approved pin when the approved entry has one", async () => {
    const c = controllerFor(POLICY);
    const unpinned = await judge(c, aReview(serving({ MODEL_ID: "meta-llama/Llama-3.1-8B-Instruct" })));
    assert.deepEqual(unpinned.rules, ["kubernetes.model-not-pinned"]);
    const wrong = await judge(
      c,
      aReview(serving({ MODEL_ID: `meta-llama/Llama-3.1-8B-Instruct@sha256:${"b".repeat(64)}` })),
    );
    assert.deepEqual(wrong.rules, ["kubernetes.model-not-approved"]);
    const pinned = await judge(c, aReview(serving({ MODEL_ID: `meta-llama/Llama-3.1-8B-Instruct@sha256:${SHA}` })));
    assert.equal(pinned.response.allowed, true);
    assert.equal((await judge(c, aReview(serving({ MODEL: "mistralai/Mistral-7B-v0.3" })))).response.allowed, true);
  });

  it("with requirePinned, an approved model without a pin is denied", async () => {
    const c = controllerFor(POLICY.replace("requirePinned: false", "requirePinned: true"));
    const { rules } = await judge(c, aReview(serving({ MODEL: "mistralai/Mistral-7B-v0.3" })));
    assert.deepEqual(rules, ["kubernetes.model-not-pinned"]);
    const commit = await judge(
      c,
      aReview(serving({ MODEL: "mistralai/Mistral-7B-v0.3@0d4b76e1efeb5eb6f6b5e757c79870472e04bd3a" })),
    );
    assert.equal(commit.response.allowed, true);
  });

  it("ignores paths and $(VAR) substitutions, and models when the policy has no models section", async () => {
    const c = controllerFor(POLICY);
    assert.equal(
      (await judge(c, aReview(serving({ MODEL: "/models/llama.gguf", MODEL_ID: "$(MODEL_FROM_SECRET)" })))).response
        .allowed,
      true,
    );
    const none = controllerFor(HARDENING);
    assert.equal((await judge(none, aReview(serving({ MODEL: "evil/backdoored-llm" })))).response.allowed, true);
  });
});

describe("admission: image verdicts", () => {
  const DIGEST = `sha256:${"c".repeat(64)}`;
  function fakeJudge(answers: Record<string, Partial<AdmissionImageJudgement>>, delayMs = 0) {
    const calls: string[] = [];
    const judge: ImageJudgeLike = {
      async judge(ref, options) {
        const key = `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
        calls.push(`${key} budget=${options?.budgetMs}`);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        const a = answers[key];
        if (!a) throw new Error("registry unreachable");
        return { verdict: ALLOW, source: "stored", warnings: [], digest: DIGEST, ...a };
      },
    };
    return { judge, calls };
  }
  const withImage = (image: string) => aWorkload("Deployment", { podSpec: { containers: [aContainer({ image })] } });
  const POLICY = "  kubernetes:\n    images:\n      unknown: deny\n      budgetMs: 200\n";

  it("denies an image whose verdict denies, naming its rules and digest", async () => {
    const { judge: j } = fakeJudge({
      "docker.io/library/nginx:1.25": {
        verdict: {
          decision: "deny",
          reasons: [{ ruleId: "supply-chain.vulnerability", decision: "deny", message: "CVE" }],
        },
      },
    });
    const { response, rules } = await judge(controllerFor(POLICY, { judge: j }), aReview(withImage("nginx:1.25")));
    assert.equal(response.allowed, false);
    assert.deepEqual(rules, ["kubernetes.image-denied"]);
    assert.match(
      response.status?.message ?? "",
      new RegExp(`nginx:1.25 \\(${DIGEST}\\) is denied by the policy: supply-chain.vulnerability`),
    );
  });

  it("turns an image's warn verdict into a warning", async () => {
    const { judge: j } = fakeJudge({
      "docker.io/library/nginx:1.25": {
        verdict: { decision: "warn", reasons: [{ ruleId: "image.shell", decision: "warn", message: "sh" }] },
      },
    });
    const { response } = await judge(controllerFor(POLICY, { judge: j }), aReview(withImage("nginx:1.25")));
    assert.equal(response.allowed, true);
    assert.match(response.warnings?.[0] ?? "", /kubernetes.image-denied.*allowed with warnings.*image.shell/);
  });

  it("applies the policy's unknown action to an image with no verdict, a failing judge, or a late one", async () => {
    const { judge: unknownJudge } = fakeJudge({
      "docker.io/library/nginx:1.25": { source: "unknown", warnings: ["not scanned yet"] },
    });
    const unknown = await judge(controllerFor(POLICY, { judge: unknownJudge }), aReview(withImage("nginx:1.25")));
    assert.deepEqual(unknown.rules, ["kubernetes.image-unknown"]);
    assert.match(unknown.response.status?.message ?? "", /not scanned yet/);
    const failing = await judge(
      controllerFor(POLICY, { judge: fakeJudge({}).judge }),
      aReview(withImage("nginx:1.25")),
    );
    assert.deepEqual(failing.rules, ["kubernetes.image-unknown"]);
    const slow = fakeJudge({ "docker.io/library/nginx:1.25": {} }, 2000);
    const started = Date.now();
    const late = await judge(controllerFor(POLICY, { judge: slow.judge }), aReview(withImage("nginx:1.25")));
    assert.ok(Date.now() - started < 1000, "the budget bounds the wait");
    assert.match(late.response.status?.message ?? "", /no verdict within 200 ms/);
    const warn = await judge(
      controllerFor(POLICY.replace("unknown: deny", "unknown: warn"), { judge: unknownJudge }),
      aReview(withImage("nginx:1.25")),
    );
    assert.equal(warn.response.allowed, true);
    assert.match(warn.response.warnings?.[0] ?? "", /kubernetes.image-unknown/);
  });

  it("asks the judge by registry, repository and digest, once per image while the verdict is cached", async () => {
    const ref = `registry.acme.internal:5000/ml/vllm@${DIGEST}`;
    const { judge: j, calls } = fakeJudge({ [`registry.acme.internal:5000/ml/vllm@${DIGEST}`]: {} });
    const c = controllerFor(POLICY, { judge: j });
    for (let i = 0; i < 5; i++) assert.equal((await judge(c, aReview(withImage(ref)))).response.allowed, true);
    assert.deepEqual(calls, [`registry.acme.internal:5000/ml/vllm@${DIGEST} budget=200`]);
  });

  it("does not ask about images when the policy has no images section", async () => {
    const { judge: j, calls } = fakeJudge({});
    assert.equal(
      (await judge(controllerFor(HARDENING, { judge: j }), aReview(withImage("nginx")))).response.allowed,
      true,
    );
    assert.deepEqual(calls, []);
  });
});

describe("admission: requests that are not workloads", () => {
  it("allows other kinds, CONNECT and status subresources without judging", async () => {
    const c = controllerFor(HARDENING);
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "ml" } };
    const review = aReview(aWorkload("Pod")) as { request: Record<string, unknown> };
    review.request.object = cm;
    assert.equal((await judge(c, review)).response.allowed, true);
  });

  it("denies a workload without a pod template as a bad request, echoing the uid", async () => {
    const c = controllerFor(HARDENING);
    const review = aReview(
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x", namespace: "ml" }, spec: {} },
      { uid: "u-1" },
    );
    const { response } = await judge(c, review);
    assert.equal(response.allowed, false);
    assert.equal(response.uid, "u-1");
    assert.equal(response.status?.code, 400);
  });
});
