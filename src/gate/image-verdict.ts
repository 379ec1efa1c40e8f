/**
 * The image judge both gates share (registry and admission): an image reference in, its
 * verdict under the policy out. A tag is resolved to its digest through the registry; the
 * verdict is then that of a fresh stored scan of the digest, else of a scan made now within a
 * time budget, else what the policy says about images not scanned yet (`unscanned`: deny, warn
 * and let the scan finish in the background, or wait for it). The trust rules (signatures,
 * provenance) are checked on the same digest and folded into the same verdict.
 */
import type { Decision, Reason, Verdict } from "../core/index.js";
import { describeError } from "../core/index.js";
import {
  type CompiledException,
  type CompiledPolicy,
  compileExceptions,
  compilePolicy,
  type LoadedPolicy,
  ScanInputSchema,
  toVerdict,
  type Violation,
} from "../policy/index.js";
import type { ImageScanInput } from "./scan-input.js";
import type { StoredScans } from "./stored-scans.js";
import { type CompiledTrust, compileTrust, type RepositoryReader } from "./trust.js";

/** An image as the gates name it: registry host, repository, and a tag or a digest (or both). */
export interface ImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ImageJudgement {
  /** The digest judged (the tag's, resolved now); undefined when it could not be resolved. */
  digest?: string;
  verdict: Verdict;
  /** `stored`: a fresh stored scan; `scanned`: scanned now; `unknown`: no scan verdict in time. */
  source: "stored" | "scanned" | "unknown";
  warnings: string[];
}

export interface ImageJudge {
  judge(ref: ImageRef, options?: { budgetMs?: number }): Promise<ImageJudgement>;
  /** Start scanning a digest in the background (push notifications), unless a fresh verdict exists. */
  prepare(ref: ImageRef & { digest: string }): Promise<void>;
  /** Wait for background scans to settle (shutdown, tests). */
  idle(): Promise<void>;
}

export type UnscannedAction = "deny" | "warn" | "wait";

/** The policy as the gates use it: compiled once, with the gate knobs' defaults filled in. */
export interface GatePolicy {
  readonly name: string;
  readonly compiled: CompiledPolicy;
  readonly trust: CompiledTrust;
  readonly exceptions: readonly CompiledException[];
  readonly verdicts: {
    maxAgeMs: number;
    scanBudgetMs: number;
    unscanned: UnscannedAction;
    waitMs: number;
    source: string;
  };
}

/** Compile a loaded policy for the gates (bad trust keys fail here, naming the policy line). */
export function createGatePolicy(loaded: LoadedPolicy): GatePolicy {
  const at = (path: string) => loaded.sources.at(path);
  const v = loaded.spec.supplyChain?.imageVerdicts;
  return {
    name: loaded.name,
    compiled: compilePolicy(loaded),
    trust: compileTrust(loaded.spec.supplyChain?.trust, at),
    exceptions: compileExceptions(loaded.spec.exceptions, (i) => at(`exceptions.${i}`)),
    verdicts: {
      maxAgeMs: (v?.maxAgeHours ?? 24) * 3_600_000,
      scanBudgetMs: (v?.scanBudgetSeconds ?? 20) * 1000,
      unscanned: v?.unscanned ?? "deny",
      waitMs: (v?.waitSeconds ?? 300) * 1000,
      source: v ? at("supplyChain.imageVerdicts") : (loaded.files[0] ?? "policy"),
    },
  };
}

export interface ImageJudgeOptions {
  /** The current policy (a function, so a reloaded policy applies to the next image). */
  policy: () => GatePolicy;
  /** A reader of a repository's manifests and blobs (for tags and trust checks). */
  registry: (image: { registry: string; repository: string }) => RepositoryReader;
  /** The latest stored scan of a digest, if a store is used. */
  stored?: StoredScans;
  /** Scan an image by digest now (and record it); without it, an unscanned image gets the `unscanned` action. */
  scan?: (image: ImageRef & { digest: string }) => Promise<ImageScanInput>;
  /** Scans running at once (default 2); more wait their turn, so a burst of pushes cannot swamp the gate. */
  maxConcurrentScans?: number;
  now?: () => number;
}

/** Background scans queued at most (push notifications beyond it are dropped). */
const MAX_QUEUED_SCANS = 1000;

const RANK: Record<Decision, number> = { allow: 0, warn: 1, deny: 2 };

/** Create the judge. Scans of one digest are shared by every request that waits for it. */
export function createImageJudge(options: ImageJudgeOptions): ImageJudge {
  const now = options.now ?? Date.now;
  const inflight = new Map<string, Promise<ImageScanInput>>();
  const maxScans = Math.max(1, options.maxConcurrentScans ?? 2);
  let running = 0;
  const waiting: (() => void)[] = [];

  async function inTurn<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= maxScans) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  function scanOnce(image: ImageRef & { digest: string }): Promise<ImageScanInput> | undefined {
    const scan = options.scan;
    if (!scan) return undefined;
    const current = inflight.get(image.digest);
    if (current) return current;
    const started = inTurn(() => scan(image)).finally(() => inflight.delete(image.digest));
    // A background scan nobody waits for must not be an unhandled rejection.
    started.catch(() => undefined);
    inflight.set(image.digest, started);
    return started;
  }

  async function freshStored(digest: string, policy: GatePolicy) {
    const stored = await options.stored?.(digest);
    if (!stored) return undefined;
    return now() - stored.scannedAt <= policy.verdicts.maxAgeMs ? stored : undefined;
  }

  function evaluate(input: ImageScanInput, image: ImageRef & { digest: string }, policy: GatePolicy): Verdict {
    const name = `${image.registry}/${image.repository}`;
    const reference = image.tag ? `${name}:${image.tag}` : `${name}@${image.digest}`;
    return policy.compiled.evaluate(
      ScanInputSchema.parse({
        ...input,
        kind: "scan",
        target: `${name}@${image.digest}`,
        image: { ...input.image, reference, registry: image.registry },
      }),
    );
  }

  /** Race `promise` against `ms`; undefined when the time ran out first. */
  async function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    });
    try {
      return await Promise.race([promise.then((value) => ({ value })), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  function unscannedReason(policy: GatePolicy, why: string, action: "deny" | "warn", target: string): Violation {
    return { ruleId: "image.unscanned", action, source: policy.verdicts.source, target, message: why };
  }

  return {
    async judge(ref, judgeOptions = {}) {
      const policy = options.policy();
      const warnings: string[] = [];
      const name = `${ref.registry}/${ref.repository}`;
      const started = now();
      let digest = ref.digest;
      if (!digest) {
        try {
          const found = await options.registry(ref).findManifest(ref.tag ?? "latest");
          digest = found?.digest;
          if (!found) {
            const v = unscannedReason(policy, `${name}:${ref.tag ?? "latest"} does not exist`, "deny", name);
            return { verdict: fold([], [v], policy), source: "unknown", warnings };
          }
        } catch (error) {
          const action = policy.verdicts.unscanned === "warn" ? "warn" : "deny";
          const v = unscannedReason(
            policy,
            `cannot resolve ${name}:${ref.tag ?? "latest"} to a digest: ${describeError(error)}`,
            action,
            name,
          );
          return { verdict: fold([], [v], policy), source: "unknown", warnings };
        }
      }
      if (!digest) throw new Error("unreachable: no digest");
      const image = { ...ref, digest };
      const target = `${name}@${digest}`;
      const trust = policy.trust.active
        ? policy.trust.check(image, options.registry(ref))
        : Promise.resolve([] as Violation[]);

      let source: ImageJudgement["source"] = "unknown";
      let scanVerdict: Verdict | undefined;
      const extra: Violation[] = [];
      try {
        const stored = await freshStored(digest, policy);
        if (stored) {
          scanVerdict = evaluate(stored.input, image, policy);
          source = "stored";
        }
      } catch (error) {
        warnings.push(`stored verdicts unavailable: ${describeError(error)}`);
      }
      if (!scanVerdict) {
        const scanning = scanOnce(image);
        const budget = (judgeOptions.budgetMs ?? policy.verdicts.scanBudgetMs) - (now() - started);
        if (!scanning) {
          const action = policy.verdicts.unscanned === "warn" ? "warn" : "deny";
          extra.push(unscannedReason(policy, `${target} has no fresh scan and scanning is off`, action, target));
        } else {
          try {
            let done = await within(scanning, budget);
            if (!done && policy.verdicts.unscanned === "wait") {
              warnings.push(`waited for the scan of ${target} past the scan budget`);
              done = await within(scanning, policy.verdicts.waitMs - (now() - started));
            }
            if (done) {
              scanVerdict = evaluate(done.value, image, policy);
              source = "scanned";
            } else {
              const action = policy.verdicts.unscanned === "warn" ? "warn" : "deny";
              if (action === "warn") warnings.push(`${target} is not scanned yet; its scan goes on in the background`);
              extra.push(
                unscannedReason(
                  policy,
                  `${target} is not scanned yet (no verdict within ${Math.round(policy.verdicts.unscanned === "wait" ? policy.verdicts.waitMs : Math.max(budget, 0))} ms)`,
                  action,
                  target,
                ),
              );
            }
          } catch (error) {
            const action = policy.verdicts.unscanned === "warn" ? "warn" : "deny";
            extra.push(
              unscannedReason(policy, `${target} could not be scanned: ${describeError(error)}`, action, target),
            );
          }
        }
      }
      const verdict = fold(scanVerdict?.reasons ?? [], [...extra, ...(await trust)], policy);
      if (scanVerdict && RANK[scanVerdict.decision] > RANK[verdict.decision]) verdict.decision = scanVerdict.decision;
      return { digest, verdict, source, warnings };
    },

    async prepare(ref) {
      const policy = options.policy();
      if (inflight.size >= MAX_QUEUED_SCANS) return;
      if (await freshStored(ref.digest, policy).catch(() => undefined)) return;
      // Not awaited: the scan runs in the background (its rejection is handled in scanOnce).
      void scanOnce(ref);
    },

    async idle() {
      await Promise.allSettled([...inflight.values()]);
    },
  };
}

/** Policy reasons plus gate violations (exceptions applied to those), the strictest decision wins. */
function fold(reasons: readonly Reason[], violations: readonly Violation[], policy: GatePolicy): Verdict {
  const own = toVerdict(violations, policy.exceptions, new Date().toISOString().slice(0, 10));
  let decision: Decision = own.decision;
  for (const r of reasons) if (!r.waivedBy && RANK[r.decision] > RANK[decision]) decision = r.decision;
  return { decision, reasons: [...reasons, ...own.reasons] };
}
