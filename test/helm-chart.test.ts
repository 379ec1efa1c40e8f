/**
 * The Helm chart and `gate admission manifests`, rendered and judged by Palisade's own admission
 * policy: Palisade must pass its own policy (non-root, read-only root file system, no privilege,
 * no added capabilities, resource limits), and ship a NetworkPolicy for itself.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { admissionManifests, createAdmissionController, createMemoryInventory } from "../src/gate/index.js";
import { compilePolicy, mergePolicies, parsePolicyText, podSpecOf } from "../src/policy/index.js";
import { renderChart } from "./helpers/helm-render.js";

const CHART = fileURLToPath(new URL("../deploy/helm/palisade", import.meta.url));
const STRICT = `apiVersion: palisade.dev/v1
kind: Policy
metadata:
  name: palisade-own
spec:
  kubernetes:
    privileged: deny
    hostPath: deny
    hostNetwork: deny
    hostPID: deny
    runAsNonRoot: deny
    readOnlyRootFilesystem: deny
    capabilities:
      allowed: []
    networkPolicyRequired: deny
`;

/** Judge every workload of `objects` with `policyText`, NetworkPolicies first (as kubectl apply -f would). */
async function judgeAll(objects: Record<string, unknown>[], policyText: string, namespace: string) {
  const policy = compilePolicy(mergePolicies([parsePolicyText(policyText, "policy.yaml")]));
  const controller = createAdmissionController({ policy: () => policy, inventory: createMemoryInventory() });
  const ordered = [...objects].sort((a, b) => Number(b.kind === "NetworkPolicy") - Number(a.kind === "NetworkPolicy"));
  const results: { name: string; allowed: boolean; message?: string }[] = [];
  for (const object of ordered) {
    const meta = object.metadata as { name: string; namespace?: string };
    const [group, version] = String(object.apiVersion).includes("/")
      ? String(object.apiVersion).split("/")
      : ["", object.apiVersion];
    const outcome = await controller.review({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: {
        uid: `${object.kind}-${meta.name}`,
        kind: { group, version, kind: object.kind },
        name: meta.name,
        namespace: meta.namespace ?? namespace,
        operation: "CREATE",
        object,
      },
    });
    const r = outcome.review.response;
    results.push({
      name: `${object.kind}/${meta.name}`,
      allowed: r.allowed,
      ...(r.status ? { message: r.status.message } : {}),
    });
  }
  return results;
}

function containersOf(objects: Record<string, unknown>[]) {
  return objects.flatMap((o) => {
    const pod = podSpecOf(o);
    return pod
      ? (pod.spec.containers ?? []).map((c) => ({ workload: `${o.kind}/${(o.metadata as { name: string }).name}`, c }))
      : [];
  });
}

describe("Helm chart deploy/helm/palisade", () => {
  const release = { name: "palisade", namespace: "palisade-system" };
  const all = renderChart(CHART, { release });

  it("renders the gateway, MCP proxy, admission webhook and a NetworkPolicy", () => {
    const names = all.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort();
    for (const expected of [
      "Deployment/palisade-gateway",
      "Deployment/palisade-mcp-proxy",
      "Deployment/palisade-admission",
      "ValidatingWebhookConfiguration/palisade-admission",
      "NetworkPolicy/palisade",
      "Certificate/palisade-admission",
      "ConfigMap/palisade-policy",
    ])
      assert.ok(names.includes(expected), `${expected} missing from ${names.join(", ")}`);
  });

  it("passes Palisade's own admission policy, every workload", async () => {
    const results = await judgeAll(all, STRICT, release.namespace);
    const denied = results.filter((r) => !r.allowed);
    assert.deepEqual(denied, []);
    assert.ok(results.filter((r) => r.name.startsWith("Deployment/")).length >= 3);
  });

  it("passes the policy it ships in values.yaml", async () => {
    const configMap = all.find((o) => o.kind === "ConfigMap") as { data: Record<string, string> };
    const shipped = parse(`policy: ${JSON.stringify(configMap.data["policy.yaml"])}`) as { policy: string };
    const results = await judgeAll(all, shipped.policy, release.namespace);
    assert.deepEqual(
      results.filter((r) => !r.allowed),
      [],
    );
  });

  it("sets resource limits on every container", () => {
    for (const { workload, c } of containersOf(all)) {
      const limits = c.resources?.limits ?? {};
      assert.ok(limits.cpu && limits.memory, `${workload}/${c.name} has no cpu and memory limits`);
    }
  });

  it("fails the policy when the chart's hardening is switched off (the test can fail)", async () => {
    const weak = renderChart(CHART, {
      release,
      values: { containerSecurityContext: { readOnlyRootFilesystem: false } },
    });
    const results = await judgeAll(weak, STRICT, release.namespace);
    assert.ok(results.some((r) => !r.allowed && /read-only-root-filesystem/.test(r.message ?? "")));
  });

  it("switches components and cert-manager off by values, and takes a caBundle instead", () => {
    const some = renderChart(CHART, {
      release,
      values: {
        mcpProxy: { enabled: false },
        networkPolicy: { enabled: false },
        admission: { certManager: false, caBundle: "Q0E=" },
      },
    });
    const kinds = some.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
    assert.ok(!kinds.includes("Deployment/palisade-mcp-proxy"));
    assert.ok(!kinds.some((k) => k.startsWith("Certificate/") || k.startsWith("NetworkPolicy/")));
    const hook = some.find((o) => o.kind === "ValidatingWebhookConfiguration") as {
      webhooks: { clientConfig: { caBundle?: string } }[];
    };
    assert.equal(hook.webhooks[0]?.clientConfig.caBundle, "Q0E=");
  });
});

describe("gate admission manifests", () => {
  it("passes Palisade's own policy, with cert-manager and with a generated CA", async () => {
    for (const certs of ["cert-manager", "self-signed"] as const) {
      const objects = admissionManifests({
        namespace: "palisade-system",
        name: "palisade-admission",
        image: "ghcr.io/palisade-ai/palisade:0.1.0",
        policy: STRICT,
        failurePolicy: "Fail",
        certs,
      });
      const results = await judgeAll(
        objects,
        STRICT.replace("    networkPolicyRequired: deny\n", ""),
        "palisade-system",
      );
      assert.deepEqual(
        results.filter((r) => !r.allowed),
        [],
        certs,
      );
      const hook = objects.find((o) => o.kind === "ValidatingWebhookConfiguration") as {
        webhooks: {
          failurePolicy: string;
          sideEffects: string;
          admissionReviewVersions: string[];
          clientConfig: { caBundle?: string };
        }[];
      };
      assert.equal(hook.webhooks[0]?.failurePolicy, "Fail");
      assert.equal(hook.webhooks[0]?.sideEffects, "NoneOnDryRun");
      assert.deepEqual(hook.webhooks[0]?.admissionReviewVersions, ["v1"]);
      assert.equal(Boolean(hook.webhooks[0]?.clientConfig.caBundle), certs === "self-signed");
    }
  });
});
