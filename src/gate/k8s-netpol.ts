/**
 * NetworkPolicies for the AI workloads of a namespace: each inference or MCP workload found in
 * the inventory gets a policy selecting its pods with both directions default-deny, letting in
 * only Palisade's gateway (the AI gateway for inference servers, the MCP proxy for MCP servers)
 * and letting out only DNS and that gateway. Everything else the workload needs is added by hand.
 */
import type { WorkloadRecord } from "./k8s-inventory.js";

export interface NetpolOptions {
  namespace: string;
  /** Namespace Palisade's gateways run in. */
  gatewayNamespace: string;
  /** Pod labels of the AI gateway and of the MCP proxy (the Helm chart's defaults). */
  gatewayLabels?: Record<string, string>;
  mcpProxyLabels?: Record<string, string>;
}

export interface NetpolResult {
  policies: Record<string, unknown>[];
  /** Workloads left out, and why (no pod labels to select them by). */
  skipped: { workload: string; reason: string }[];
}

const DNS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/** One NetworkPolicy per inference or MCP workload of the namespace, in name order. */
export function toNetworkPolicies(workloads: readonly WorkloadRecord[], options: NetpolOptions): NetpolResult {
  const gateway = options.gatewayLabels ?? {
    "app.kubernetes.io/name": "palisade",
    "app.kubernetes.io/component": "gateway",
  };
  const mcpProxy = options.mcpProxyLabels ?? {
    "app.kubernetes.io/name": "palisade",
    "app.kubernetes.io/component": "mcp-proxy",
  };
  const policies: Record<string, unknown>[] = [];
  const skipped: NetpolResult["skipped"] = [];
  const ai = workloads
    .filter((w) => w.namespace === options.namespace && (w.ai === "inference" || w.ai === "mcp"))
    .sort((a, b) => `${a.name}/${a.kind}`.localeCompare(`${b.name}/${b.kind}`));
  for (const w of ai) {
    if (Object.keys(w.podLabels ?? {}).length === 0) {
      // An empty selector would select every pod of the namespace.
      skipped.push({ workload: `${w.kind}/${w.name}`, reason: "its pods have no labels to select them by" });
      continue;
    }
    const peer = {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": options.gatewayNamespace } },
      podSelector: { matchLabels: w.ai === "mcp" ? mcpProxy : gateway },
    };
    const ports = [...(w.ports ?? [])].sort((a, b) => a - b).map((port) => ({ protocol: "TCP", port }));
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: `palisade-${w.name}`.slice(0, 63).replace(/-+$/, ""),
        namespace: w.namespace,
        labels: { "app.kubernetes.io/managed-by": "palisade" },
        annotations: { "palisade.dev/workload": `${w.kind}/${w.name}`, "palisade.dev/ai": w.ai ?? "" },
      },
      spec: {
        podSelector: { matchLabels: { ...w.podLabels } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [peer], ...(ports.length > 0 ? { ports } : {}) }],
        egress: [DNS, { to: [peer] }],
      },
    });
  }
  return { policies, skipped };
}
