import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aContainer, aWorkload } from "./fixtures/admission.js";
import { selects, toInventoryRecord, type WorkloadRecord } from "./k8s-inventory.js";
import { toNetworkPolicies } from "./k8s-netpol.js";

const AI_IMAGES = ["*vllm*", "*ollama*", "*mcp*"];
const record = (object: Record<string, unknown>) =>
  toInventoryRecord(object, { namespace: "ml", aiImages: AI_IMAGES }) as WorkloadRecord;

describe("NetworkPolicy generator", () => {
  const vllm = record(
    aWorkload("Deployment", {
      name: "vllm",
      labels: { app: "vllm" },
      podSpec: { containers: [aContainer({ image: "vllm/vllm-openai:v0.6.3", ports: [{ containerPort: 8000 }] })] },
    }),
  );
  const mcp = record(
    aWorkload("StatefulSet", {
      name: "github-mcp",
      labels: { app: "github-mcp" },
      podSpec: {
        containers: [aContainer({ image: "ghcr.io/github/github-mcp-server:1.0", ports: [{ containerPort: 3000 }] })],
      },
    }),
  );
  const web = record(aWorkload("Deployment", { name: "web", labels: { app: "web" } }));

  it("classifies workloads by image, GPU and model reference", () => {
    assert.equal(vllm.ai, "inference");
    assert.equal(mcp.ai, "mcp");
    assert.equal(web.ai, undefined);
    const gpu = record(
      aWorkload("Job", {
        name: "train",
        podSpec: { containers: [aContainer({ resources: { limits: { "nvidia.com/gpu": 1 } } })] },
      }),
    );
    assert.equal(gpu.ai, "inference");
  });

  it("denies both directions by default and lets only the right gateway and DNS through", () => {
    const { policies, skipped } = toNetworkPolicies([web, vllm, mcp], {
      namespace: "ml",
      gatewayNamespace: "palisade-system",
    });
    assert.deepEqual(skipped, []);
    assert.deepEqual(
      policies.map((p) => (p.metadata as { name: string }).name),
      ["palisade-github-mcp", "palisade-vllm"],
    );
    const [forMcp, forVllm] = policies as [{ spec: Record<string, unknown> }, { spec: Record<string, unknown> }];
    assert.deepEqual(forVllm.spec.podSelector, { matchLabels: { app: "vllm" } });
    assert.deepEqual(forVllm.spec.policyTypes, ["Ingress", "Egress"]);
    const ingress = (
      forVllm.spec.ingress as { from: { podSelector: { matchLabels: Record<string, string> } }[]; ports: unknown }[]
    )[0];
    assert.equal(ingress?.from[0]?.podSelector.matchLabels["app.kubernetes.io/component"], "gateway");
    assert.deepEqual(ingress?.ports, [{ protocol: "TCP", port: 8000 }]);
    const mcpIngress = (
      forMcp.spec.ingress as { from: { podSelector: { matchLabels: Record<string, string> } }[] }[]
    )[0];
    assert.equal(mcpIngress?.from[0]?.podSelector.matchLabels["app.kubernetes.io/component"], "mcp-proxy");
    const egress = forVllm.spec.egress as { ports?: { port: number }[] }[];
    assert.deepEqual(
      egress[0]?.ports?.map((p) => p.port),
      [53, 53],
    );
  });

  it("leaves out a workload whose pods have no labels (an empty selector would select the namespace)", () => {
    const bare = { ...vllm, name: "bare", podLabels: {} };
    const { policies, skipped } = toNetworkPolicies([bare], { namespace: "ml", gatewayNamespace: "palisade-system" });
    assert.equal(policies.length, 0);
    assert.equal(skipped.length, 1);
  });

  it("matches label selectors as Kubernetes does", () => {
    assert.equal(selects({}, { app: "x" }), true);
    assert.equal(selects({ matchLabels: { app: "x" } }, { app: "y" }), false);
    assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] }, {}), true);
    assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, {}), false);
    assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "Bogus" }] }, { tier: "x" }), false);
  });
});
