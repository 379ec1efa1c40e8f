/** Kubernetes admission rules over a workload object (Pod or anything with a pod template). */

import { compileGlobs } from "./glob.js";
import { type KubernetesInput, namespaceOf, targetOf } from "./input.js";
import { modelReferencesOf } from "./kubernetes-models.js";
import type { Action, KubernetesPolicy, SupplyChainPolicy } from "./schema.js";
import type { Violation } from "./verdict.js";

type Check = (input: KubernetesInput) => Violation[];

interface SecurityContext {
  privileged?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[] };
}
export interface Container {
  name?: string;
  image?: unknown;
  env?: unknown;
  args?: unknown;
  command?: unknown;
  ports?: unknown;
  securityContext?: SecurityContext;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
}
export interface PodSpec {
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

/** The pod template inside any workload kind: its metadata, its spec, and how many pods it makes. */
export function podTemplateOf(
  object: Record<string, unknown>,
): { metadata: Record<string, unknown>; spec: PodSpec; replicas: number } | undefined {
  const kind = object.kind;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec || typeof spec !== "object") return undefined;
  const meta = (m: unknown) => (m && typeof m === "object" ? (m as Record<string, unknown>) : {});
  if (kind === "Pod") return { metadata: meta(object.metadata), spec: spec as PodSpec, replicas: 1 };
  type Template = { metadata?: unknown; spec?: PodSpec };
  if (kind === "CronJob") {
    const job = (spec.jobTemplate as { spec?: { template?: Template; parallelism?: number } } | undefined)?.spec;
    const template = job?.template;
    return template?.spec && typeof template.spec === "object"
      ? { metadata: meta(template.metadata), spec: template.spec, replicas: count(job?.parallelism) }
      : undefined;
  }
  const template = spec.template as Template | undefined;
  if (!template?.spec || typeof template.spec !== "object") return undefined;
  const replicas = typeof spec.replicas === "number" ? count(spec.replicas) : count(spec.parallelism);
  return { metadata: meta(template.metadata), spec: template.spec, replicas };
}

/** The pod spec inside any workload kind, and how many pods it makes. */
export function podSpecOf(object: Record<string, unknown>): { spec: PodSpec; replicas: number } | undefined {
  const template = podTemplateOf(object);
  return template ? { spec: template.spec, replicas: template.replicas } : undefined;
}

/** A replica or parallelism count: a non-negative integer, 1 when absent or nonsense. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 1;
}

/** The containers of a pod spec (init and ephemeral too), skipping entries that are not objects. */
export function containersOf(pod: PodSpec): Container[] {
  return allContainers(pod);
}

export function compileKubernetes(
  policy: KubernetesPolicy | undefined,
  at: (path: string) => string,
  approvedModels: readonly ApprovedModel[] = [],
): Check[] {
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
  if (p.images) checks.push(compileImageCheck(p.images, at("kubernetes.images")));
  if (p.models) checks.push(compileModelCheck(p.models, approvedModels, at("kubernetes.models")));
  return checks;
}

type ApprovedModel = NonNullable<SupplyChainPolicy["models"]>["approved"][number];

function compileImageCheck(knobs: NonNullable<KubernetesPolicy["images"]>, source: string): Check {
  return (input) =>
    input.images.flatMap((image): Violation[] => {
      const target = targetOf(input);
      const named = image.digest ? `${image.reference} (${image.digest})` : image.reference;
      const out: Violation[] = [];
      // The image's own reasons (scan, signatures, provenance); "not scanned" is the unknown knob's.
      const reasons = (image.verdict?.reasons ?? []).filter((r) => !r.waivedBy && r.ruleId !== "image.unscanned");
      const unknown = image.source === "unknown" || !image.verdict;
      if (unknown && knobs.unknown !== "allow") {
        const why = image.warnings.length > 0 ? `: ${image.warnings.join("; ")}` : "";
        out.push({
          ruleId: "kubernetes.image-unknown",
          action: knobs.unknown,
          source,
          target,
          message: `image ${named} has no verdict yet${why}`,
        });
      }
      const worst = reasons.some((r) => r.decision === "deny")
        ? "deny"
        : reasons.some((r) => r.decision === "warn") || (!unknown && image.verdict?.decision === "warn")
          ? "warn"
          : !unknown && image.verdict?.decision === "deny"
            ? "deny"
            : "allow";
      if (worst === "allow") return out;
      const rules = [...new Set(reasons.map((r) => r.ruleId))].join(", ");
      const denied = worst === "deny";
      out.push({
        ruleId: "kubernetes.image-denied",
        action: denied ? knobs.action : "warn",
        source,
        target,
        message: `image ${named} is ${denied ? "denied" : "allowed with warnings"} by the policy${rules ? `: ${rules}` : ""}`,
      });
      return out;
    });
}

function compileModelCheck(
  knobs: NonNullable<KubernetesPolicy["models"]>,
  approvedModels: readonly ApprovedModel[],
  source: string,
): Check {
  const approved = approvedModels.map((a) => ({ ...a, matches: compileGlobs([a.id]) }));
  return (input) => {
    const template = podTemplateOf(input.object);
    if (!template) return [];
    const own = (input.object.metadata as { annotations?: unknown } | undefined)?.annotations;
    const annotations = [own, template.metadata.annotations].filter(
      (a): a is Record<string, unknown> => typeof a === "object" && a !== null && !Array.isArray(a),
    );
    const refs = modelReferencesOf(annotations, allContainers(template.spec), knobs);
    const target = targetOf(input);
    return refs.flatMap((ref): Violation[] => {
      const named = `model ${ref.id}${ref.pin ? `@${ref.pin}` : ""} (${ref.where})`;
      const candidates = approved.filter((a) => a.matches(ref.id));
      if (candidates.length === 0)
        return [
          {
            ruleId: "kubernetes.model-not-approved",
            action: knobs.action,
            source,
            target,
            message: `${named} is not approved`,
          },
        ];
      // An entry without a pin approves any reference (pinned or not); one with a pin needs it.
      const pinOf = (a: ApprovedModel) => {
        const extra = a as { revision?: unknown; commit?: unknown };
        const commit =
          typeof extra.revision === "string"
            ? extra.revision
            : typeof extra.commit === "string"
              ? extra.commit
              : undefined;
        return a.sha256 ? `sha256:${a.sha256}` : commit;
      };
      const ok = candidates.some((a) => {
        const pin = pinOf(a);
        return pin === undefined
          ? !knobs.requirePinned || ref.pin !== undefined
          : ref.pin !== undefined && samePin(pin, ref.pin);
      });
      if (ok) return [];
      const pinned = candidates.map(pinOf).find((p) => p !== undefined);
      return [
        {
          ruleId: ref.pin ? "kubernetes.model-not-approved" : "kubernetes.model-not-pinned",
          action: knobs.action,
          source,
          target,
          message: ref.pin
            ? `${named} does not match the approved pin${pinned ? ` ${pinned}` : ""}`
            : `${named} is not pinned${pinned ? ` (approved: ${ref.id}@${pinned})` : " (name it with @sha256:HEX or @COMMIT)"}`,
        },
      ];
    });
  };
}

/** A commit pin matches by prefix (abbreviated commits), a content hash exactly. */
function samePin(approved: string, given: string): boolean {
  if (approved.startsWith("sha256:") || given.startsWith("sha256:")) return approved === given;
  return given.length >= 7 && approved.startsWith(given);
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
