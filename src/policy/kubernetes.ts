/** Kubernetes admission rules over a workload object (Pod or anything with a pod template). */
import { type KubernetesInput, namespaceOf, targetOf } from "./input.js";
import type { Action, KubernetesPolicy } from "./schema.js";
import type { Violation } from "./verdict.js";

type Check = (input: KubernetesInput) => Violation[];

interface SecurityContext {
  privileged?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[] };
}
interface Container {
  name?: string;
  securityContext?: SecurityContext;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: { name?: string; hostPath?: unknown }[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  runtimeClassName?: string;
  securityContext?: SecurityContext;
}

export const GPU_RESOURCES = ["nvidia.com/gpu", "amd.com/gpu"] as const;

/** The pod spec inside any workload kind, and how many pods it makes. */
export function podSpecOf(object: Record<string, unknown>): { spec: PodSpec; replicas: number } | undefined {
  const kind = object.kind;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec || typeof spec !== "object") return undefined;
  if (kind === "Pod") return { spec: spec as PodSpec, replicas: 1 };
  if (kind === "CronJob") {
    const job = (spec.jobTemplate as { spec?: { template?: { spec?: PodSpec }; parallelism?: number } } | undefined)
      ?.spec;
    return job?.template?.spec ? { spec: job.template.spec, replicas: job.parallelism ?? 1 } : undefined;
  }
  const template = (spec.template as { spec?: PodSpec } | undefined)?.spec;
  if (!template) return undefined;
  const replicas =
    typeof spec.replicas === "number" ? spec.replicas : typeof spec.parallelism === "number" ? spec.parallelism : 1;
  return { spec: template, replicas };
}

export function compileKubernetes(policy: KubernetesPolicy | undefined, at: (path: string) => string): Check[] {
  if (!policy) return [];
  const p = policy;
  const checks: Check[] = [];
  const perContainer = (
    key: keyof KubernetesPolicy,
    ruleId: string,
    test: (c: Container, pod: PodSpec) => string | undefined,
  ) => {
    const action = p[key] as Action | undefined;
    if (!action) return;
    const source = at(`kubernetes.${key}`);
    checks.push((input) => {
      const pod = podSpecOf(input.object);
      if (!pod) return [];
      return allContainers(pod.spec).flatMap((c) => {
        const problem = test(c, pod.spec);
        return problem
          ? [{ ruleId, action, source, target: targetOf(input), message: `container ${c.name ?? "?"}: ${problem}` }]
          : [];
      });
    });
  };
  const perPod = (key: keyof KubernetesPolicy, ruleId: string, test: (pod: PodSpec) => string | undefined) => {
    const action = p[key] as Action | undefined;
    if (!action) return;
    const source = at(`kubernetes.${key}`);
    checks.push((input) => {
      const pod = podSpecOf(input.object);
      const problem = pod ? test(pod.spec) : undefined;
      return problem ? [{ ruleId, action, source, target: targetOf(input), message: problem }] : [];
    });
  };

  perContainer("privileged", "kubernetes.privileged", (c) =>
    c.securityContext?.privileged ? "privileged: true" : undefined,
  );
  perPod("hostPath", "kubernetes.host-path", (pod) => {
    const volumes = (pod.volumes ?? []).filter((v) => v.hostPath !== undefined);
    return volumes.length > 0 ? `hostPath volume ${volumes.map((v) => v.name).join(", ")}` : undefined;
  });
  perPod("hostNetwork", "kubernetes.host-network", (pod) => (pod.hostNetwork ? "hostNetwork: true" : undefined));
  perPod("hostPID", "kubernetes.host-pid", (pod) => (pod.hostPID ? "hostPID: true" : undefined));
  perContainer("runAsNonRoot", "kubernetes.run-as-non-root", (c, pod) => {
    const user = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    if (user === 0) return "runAsUser: 0";
    const nonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    return nonRoot === true || (user !== undefined && user > 0) ? undefined : "runAsNonRoot is not set";
  });
  perContainer("readOnlyRootFilesystem", "kubernetes.read-only-root-filesystem", (c) =>
    c.securityContext?.readOnlyRootFilesystem === true ? undefined : "readOnlyRootFilesystem is not true",
  );
  if (p.capabilities) {
    const allowed = new Set(p.capabilities.allowed.map((c) => c.toUpperCase().replace(/^CAP_/, "")));
    const action = p.capabilities.action;
    const source = at("kubernetes.capabilities");
    checks.push((input) => {
      const pod = podSpecOf(input.object);
      if (!pod) return [];
      return allContainers(pod.spec).flatMap((c) =>
        (c.securityContext?.capabilities?.add ?? [])
          .filter((cap) => !allowed.has(String(cap).toUpperCase().replace(/^CAP_/, "")))
          .map((cap) => ({
            ruleId: "kubernetes.capabilities",
            action,
            source,
            target: targetOf(input),
            message: `container ${c.name ?? "?"} adds capability ${cap}`,
          })),
      );
    });
  }
  if (p.runtimeClasses) {
    const allowed = new Set(p.runtimeClasses.allowed);
    const action = p.runtimeClasses.action;
    const source = at("kubernetes.runtimeClasses");
    checks.push((input) => {
      const pod = podSpecOf(input.object);
      if (!pod) return [];
      const cls = pod.spec.runtimeClassName ?? "(default)";
      return allowed.has(cls)
        ? []
        : [
            {
              ruleId: "kubernetes.runtime-class",
              action,
              source,
              target: targetOf(input),
              message: `runtimeClass ${cls} is not allowed`,
            },
          ];
    });
  }
  if (p.gpuQuota) {
    const quota = p.gpuQuota;
    const action = p.gpuQuotaAction;
    const source = at("kubernetes.gpuQuota");
    checks.push((input) => {
      const pod = podSpecOf(input.object);
      if (!pod) return [];
      const namespace = namespaceOf(input);
      const limits = quota[namespace] ?? quota["*"];
      if (!limits) return [];
      const out: Violation[] = [];
      for (const resource of GPU_RESOURCES) {
        const perPod = allContainers(pod.spec).reduce((n, c) => n + gpuCount(c, resource), 0);
        if (perPod === 0) continue;
        const requested = perPod * pod.replicas;
        const used = input.namespaceGpuUsage[resource] ?? 0;
        const limit = limits[resource] ?? 0;
        if (used + requested > limit) {
          out.push({
            ruleId: "kubernetes.gpu-quota",
            action,
            source,
            target: targetOf(input),
            message: `${requested} ${resource} requested (${used} in use) over the quota of ${limit} in namespace ${namespace}`,
          });
        }
      }
      return out;
    });
  }
  if (p.networkPolicyRequired) {
    const action = p.networkPolicyRequired;
    const source = at("kubernetes.networkPolicyRequired");
    checks.push((input) =>
      input.aiWorkload && input.networkPolicySelected === false
        ? [
            {
              ruleId: "kubernetes.network-policy",
              action,
              source,
              target: targetOf(input),
              message: "AI workload is not selected by any NetworkPolicy",
            },
          ]
        : [],
    );
  }
  return checks;
}

function allContainers(pod: PodSpec): Container[] {
  return [...(pod.containers ?? []), ...(pod.initContainers ?? []), ...(pod.ephemeralContainers ?? [])].filter(
    (c): c is Container => typeof c === "object" && c !== null,
  );
}

function gpuCount(container: Container, resource: string): number {
  const value = container.resources?.limits?.[resource] ?? container.resources?.requests?.[resource];
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
