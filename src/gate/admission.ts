/**
 * Kubernetes admission: one AdmissionReview in, one AdmissionReview out. A workload (Pod or pod
 * template) is judged by the policy's `kubernetes` rules with what only admission knows filled
 * in: each image's verdict by digest (from the injected judge, cached), the GPUs the namespace
 * already holds and the NetworkPolicies that select it (from the inventory). A denial names
 * every rule; warnings ride along on an allowed answer. Dry-run reviews change nothing.
 */
import type { Verdict } from "../core/index.js";
import type { CompiledPolicy, KubernetesInput } from "../policy/index.js";
import { podTemplateOf } from "../policy/index.js";
import {
  type AdmissionRequest,
  type AdmissionReviewResponse,
  DEFAULT_REVIEW_LIMITS,
  parseAdmissionReview,
  ReviewError,
  type ReviewLimits,
  reviewErrorResponse,
  toAdmissionRequest,
  toAdmissionReview,
} from "./admission-review.js";
import {
  type ClusterInventory,
  type NetworkPolicyRecord,
  networkPolicyId,
  ownerRecorded,
  selects,
  toInventoryRecord,
  type WorkloadRecord,
  workloadId,
} from "./k8s-inventory.js";
import {
  aiRoleOf,
  imagesOf,
  isWorkloadKind,
  metadataOf,
  parseImageRef,
  podLabelsOf,
  toKubernetesInput,
} from "./k8s-objects.js";

/** An image as the judge addresses it (the registry gate's ImageJudge takes the same). */
export interface AdmissionImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What the judge says about one image: its digest, its verdict under the policy, and how it knows. */
export interface AdmissionImageJudgement {
  digest?: string;
  verdict: Verdict;
  source: "stored" | "scanned" | "unknown";
  warnings: string[];
}

/** Judges images by digest (src/gate/image-verdict.ts's ImageJudge in production, a fake in tests). */
export interface ImageJudgeLike {
  judge(ref: AdmissionImageRef, options?: { budgetMs?: number }): Promise<AdmissionImageJudgement>;
}

export interface AdmissionControllerOptions {
  /** The policy in force (a getter, so a hot-reloaded policy applies to the next review). */
  policy: () => CompiledPolicy;
  judge?: ImageJudgeLike;
  /** Workloads and NetworkPolicies; without one, quota counts only the object and NetworkPolicies are unknown. */
  inventory?: ClusterInventory;
  limits?: ReviewLimits;
  /** How long a judged image's verdict is reused (default 60 s; an unknown one 5 s). */
  verdictTtlMs?: number;
  now?: () => number;
  /** Called when recording in the inventory fails (the answer stands: admission never fails on it). */
  onInventoryError?: (error: unknown) => void;
}

/** What one review decided, with the AdmissionReview answer to send. */
export interface AdmissionOutcome {
  review: AdmissionReviewResponse;
  /** undefined when the review could not be judged (malformed) or was not about a workload. */
  verdict?: Verdict;
  /** What was judged, `Kind namespace/name`, with the verdict. */
  subject?: string;
  /** The review was a dry run (`kubectl apply --dry-run=server`): nothing was admitted. */
  dryRun?: boolean;
  /** HTTP status to answer with: 200 for every judged review, 4xx for a review that could not be read. */
  httpStatus: number;
}

export interface AdmissionController {
  /** Judge a review given as text (the HTTP body) or as parsed JSON. Never throws. */
  review(body: string | unknown): Promise<AdmissionOutcome>;
}

const DEFAULT_BUDGET_MS = 2000;
const MAX_CACHED = 10_000;

export function createAdmissionController(options: AdmissionControllerOptions): AdmissionController {
  const limits = options.limits ?? DEFAULT_REVIEW_LIMITS;
  const now = options.now ?? Date.now;
  const ttl = options.verdictTtlMs ?? 60_000;
  const cache = new Map<string, { expires: number; value: Promise<AdmissionImageJudgement> }>();

  const judgeImage = (reference: string, budgetMs: number): Promise<AdmissionImageJudgement> => {
    const cached = cache.get(reference);
    if (cached && cached.expires > now()) return cached.value;
    const ref = parseImageRef(reference);
    if (!ref) return Promise.resolve(unknown([`${reference} is not a valid image reference`]));
    const judge = options.judge;
    if (!judge) return Promise.resolve(unknown(["no image verdicts configured"]));
    const value = withBudget(
      judge.judge(
        {
          registry: ref.registry,
          repository: ref.repository,
          ...(ref.tag ? { tag: ref.tag } : {}),
          ...(ref.digest ? { digest: ref.digest } : {}),
        },
        { budgetMs },
      ),
      budgetMs,
    );
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    const entry = { expires: now() + ttl, value };
    cache.set(reference, entry);
    // An unknown verdict is retried soon: the scan may finish in the meantime.
    void value.then((j) => {
      if (j.source === "unknown" && cache.get(reference) === entry) entry.expires = now() + Math.min(ttl, 5000);
    });
    return value;
  };

  const judgeWorkload = async (request: AdmissionRequest, object: Record<string, unknown>) => {
    const policy = options.policy();
    const knobs = policy.kubernetes;
    const namespace = request.namespace || metadataOf(object).namespace || "default";
    const template = podTemplateOf(object);
    const aiImages = knobs?.aiImages ?? [];
    const inventory = options.inventory;
    const owned = inventory ? await ownerRecorded(inventory, object, namespace) : false;
    const self = workloadId(namespace, String(object.kind), metadataOf(object).name);

    const usage: Record<string, number> = {};
    let networkPolicySelected: boolean | undefined;
    if (inventory) {
      const others = (await inventory.workloads(namespace)).filter((w) => w.id !== self && !ownedBy(object, w));
      for (const w of others) for (const [k, v] of Object.entries(w.gpu ?? {})) usage[k] = (usage[k] ?? 0) + v;
      const labels = podLabelsOf(object);
      networkPolicySelected = (await inventory.networkPolicies(namespace)).some((np) =>
        selects(np.podSelector, labels),
      );
    }
    const images: KubernetesInput["images"] = [];
    if (knobs?.images && template) {
      const budget = knobs.images.budgetMs ?? DEFAULT_BUDGET_MS;
      const judged = await Promise.all(imagesOf(template.spec).map((i) => judgeImage(i, budget)));
      imagesOf(template.spec).forEach((reference, i) => {
        const j = judged[i] as AdmissionImageJudgement;
        images.push({
          reference,
          source: j.source,
          warnings: j.warnings,
          ...(j.digest ? { digest: j.digest } : {}),
          verdict: j.verdict,
        });
      });
    }
    const input = toKubernetesInput({
      object,
      namespace,
      namespaceGpuUsage: usage,
      aiWorkload: aiRoleOf(object, aiImages) !== undefined,
      images,
      ...(networkPolicySelected !== undefined ? { networkPolicySelected } : {}),
    });
    return { verdict: policy.evaluate(input), namespace, owned, aiImages };
  };

  const record = async (write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      options.onInventoryError?.(error);
    }
  };

  const decide = async (request: AdmissionRequest): Promise<AdmissionOutcome> => {
    const uid = request.uid;
    const allow = (warnings: string[] = []): AdmissionOutcome => ({
      review: toAdmissionReview({ uid, allowed: true, warnings }),
      httpStatus: 200,
    });
    const inventory = options.inventory;
    const sideEffects = request.dryRun !== true && inventory !== undefined;
    if (request.operation === "DELETE") {
      const namespace = request.namespace || "default";
      const kind = request.kind.kind;
      if (sideEffects && inventory && request.name) {
        const id =
          kind === "NetworkPolicy"
            ? networkPolicyId(namespace, request.name)
            : workloadId(namespace, kind, request.name);
        await record(() => inventory.remove(id));
      }
      return allow();
    }
    const object = request.object;
    if (
      !object ||
      request.operation === "CONNECT" ||
      (request.subResource && request.subResource !== "ephemeralcontainers")
    )
      return allow();
    const kind = typeof object.kind === "string" ? object.kind : request.kind.kind;
    const namespace = request.namespace || metadataOf(object).namespace || "default";
    if (kind === "NetworkPolicy") {
      const rec = toInventoryRecord({ ...object, kind }, { namespace, aiImages: [] }) as NetworkPolicyRecord;
      if (sideEffects && inventory) await record(() => inventory.put(rec));
      return allow();
    }
    if (!isWorkloadKind(kind)) return allow();
    const typed = { ...object, kind };
    if (!podTemplateOf(typed)) throw new ReviewError(400, `${kind} has no pod template (spec.template.spec)`, uid);
    const { verdict, owned, aiImages } = await judgeWorkload(request, typed);
    const active = verdict.reasons.filter((r) => !r.waivedBy);
    const denials = active.filter((r) => r.decision === "deny");
    const warnings = active.filter((r) => r.decision === "warn").map((r) => `palisade: [${r.ruleId}] ${r.message}`);
    const name = `${kind} ${namespace}/${metadataOf(typed).name}`;
    const annotations = { "palisade.dev/decision": verdict.decision };
    if (verdict.decision === "deny") {
      const message = `palisade denied ${name}: ${denials.map((r) => `[${r.ruleId}] ${r.message}${r.source ? ` (${r.source})` : ""}`).join("; ")}`;
      return {
        review: toAdmissionReview({ uid, allowed: false, code: 403, message, warnings, auditAnnotations: annotations }),
        verdict,
        subject: name,
        ...(request.dryRun === true ? { dryRun: true } : {}),
        httpStatus: 200,
      };
    }
    if (sideEffects && inventory && !owned) {
      const rec = toInventoryRecord(typed, { namespace, aiImages }) as WorkloadRecord | undefined;
      if (rec) await record(() => inventory.put(rec));
    }
    return {
      review: toAdmissionReview({ uid, allowed: true, warnings, auditAnnotations: annotations }),
      verdict,
      subject: name,
      ...(request.dryRun === true ? { dryRun: true } : {}),
      httpStatus: 200,
    };
  };

  return {
    async review(body) {
      let request: AdmissionRequest;
      try {
        request = typeof body === "string" ? parseAdmissionReview(body, limits) : toAdmissionRequest(body, limits);
      } catch (error) {
        // Not a review we can read: the HTTP status says so too (the API server applies failurePolicy).
        const e = error instanceof ReviewError ? error : new ReviewError(400, "AdmissionReview could not be read");
        return { review: reviewErrorResponse(e), httpStatus: e.status };
      }
      try {
        return await decide(request);
      } catch (error) {
        // A readable review about a broken object is denied (HTTP 200, so the API server shows the reason).
        const e =
          error instanceof ReviewError
            ? error
            : new ReviewError(500, "internal error while judging the review (see the webhook's log)", request.uid);
        return { review: reviewErrorResponse(e), httpStatus: e.status === 500 ? 500 : 200 };
      }
    },
  };
}

/** Is the recorded workload `w` this object's controller (its GPUs are then this object's own)? */
function ownedBy(object: Record<string, unknown>, w: WorkloadRecord): boolean {
  const refs = (object.metadata as { ownerReferences?: unknown } | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return false;
  return refs.some((r) => {
    const ref = r as { kind?: unknown; name?: unknown; controller?: unknown } | null;
    if (ref?.controller !== true || typeof ref.name !== "string") return false;
    if (ref.kind === w.kind && ref.name === w.name) return true;
    return (
      (ref.kind === "ReplicaSet" && w.kind === "Deployment" && ref.name.startsWith(`${w.name}-`)) ||
      (ref.kind === "Job" && w.kind === "CronJob" && ref.name.startsWith(`${w.name}-`))
    );
  });
}

function unknown(warnings: string[]): AdmissionImageJudgement {
  return { verdict: { decision: "allow", reasons: [] }, source: "unknown", warnings };
}

/** The judge's answer, or `unknown` when it is late or fails (the policy decides what unknown means). */
function withBudget(judgement: Promise<AdmissionImageJudgement>, budgetMs: number): Promise<AdmissionImageJudgement> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<AdmissionImageJudgement>((resolve) => {
    timer = setTimeout(() => resolve(unknown([`no verdict within ${budgetMs} ms`])), budgetMs + 50);
    timer.unref();
  });
  const answered = judgement.then(
    (j) => j,
    (error: unknown) =>
      unknown([`image verdict failed: ${error instanceof Error ? error.message.slice(0, 200) : "error"}`]),
  );
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
}
