/**
 * How the gateway's content detectors are built, in one place: the CLI builds them on the main
 * thread and the guard pool's workers build them in each thread from the same code, so a text
 * scores the same wherever it is scanned.
 */
import { isMainThread } from "node:worker_threads";
import {
  combineDetectors,
  createDefaultInjectionDetector,
  createInjectionCascade,
  createOnnxClassifier,
  createPiiDetector,
  createSecretsDetector,
  createThreadedOnnxClassifier,
  defineCustomRecognizer,
} from "../detect/index.js";
import type { CompiledPolicy, InjectionClassifierPolicy, RuntimePolicy } from "../policy/index.js";
import type { GuardDetectors, InjectionScorer } from "./guards.js";

/**
 * What a policy changes about the detectors: `runtime.pii.thresholds`, `runtime.pii.custom` and
 * `runtime.pii.names` (absent: `fast`, the built-in default) for PII, and the injection
 * classifier stage when the policy has one (`injectionClassifierSpec`).
 */
export interface DetectorSpec {
  thresholds: RuntimePolicy["pii"]["thresholds"];
  custom: RuntimePolicy["pii"]["custom"];
  names?: RuntimePolicy["pii"]["names"];
  injectionClassifier?: InjectionClassifierSpec;
}

/** `runtime.injection.classifier` with what the cascade needs from the rest of the policy. */
export interface InjectionClassifierSpec extends Omit<InjectionClassifierPolicy, "failMode"> {
  /** The classifier's own fail mode, else `runtime.guards.failMode`. */
  failMode: "closed" | "open";
  /** `runtime.injection.user.threshold` and `.document.threshold`, the scale of the scores. */
  thresholds: { user: number; document: number; system: number };
}

/** The policy's injection classifier stage as part of a DetectorSpec (empty when it has none). */
export function injectionClassifierSpec(runtime: RuntimePolicy): Pick<DetectorSpec, "injectionClassifier"> {
  const classifier = runtime.injection.classifier;
  if (!classifier) return {};
  return {
    injectionClassifier: {
      ...classifier,
      failMode: classifier.failMode ?? runtime.guards.failMode,
      thresholds: {
        user: runtime.injection.user.threshold,
        document: runtime.injection.document.threshold,
        system: runtime.injection.system.threshold,
      },
    },
  };
}

/** Everything a policy changes about the detectors, the same on the main thread and in the pool. */
export function detectorSpecOf(runtime: RuntimePolicy): DetectorSpec {
  const { thresholds, custom, names } = runtime.pii;
  return { thresholds, custom, ...(names ? { names } : {}), ...injectionClassifierSpec(runtime) };
}

/** Injection results kept per process (first in, first out) and the longest message cached. */
const INJECTION_CACHE_ENTRIES = 4096;
const INJECTION_CACHE_MAX_TEXT = 16 * 1024;

/** Detectors built once per process (or worker): PII, secrets (and both combined), prompt injection. */
export function createGatewayDetectors(): GuardDetectors {
  const pii = createPiiDetector();
  const secrets = createSecretsDetector();
  const injection = createDefaultInjectionDetector();
  const injectionCache = new Map<string, { score: number; signals: { id: string; score: number }[] }>();
  return {
    pii,
    secrets,
    sensitive: combineDetectors([pii, secrets]),
    injection: async (text, mode) => {
      // Chat clients resend the whole conversation on every turn: score each message once.
      const key = `${mode}\u0000${text}`;
      const cached = injectionCache.get(key);
      if (cached) return cached;
      const result = injection.detect(text, { mode });
      const scored = { score: result.score, signals: result.signals.map((s) => ({ id: s.id, score: s.score })) };
      if (text.length <= INJECTION_CACHE_MAX_TEXT) {
        if (injectionCache.size >= INJECTION_CACHE_ENTRIES)
          injectionCache.delete(injectionCache.keys().next().value as string);
        injectionCache.set(key, scored);
      }
      return scored;
    },
  };
}

/** True when the spec leaves the detectors as built in (the shared detectors apply). */
export function isDefaultSpec(spec: DetectorSpec): boolean {
  return isDefaultPii(spec) && !spec.injectionClassifier;
}

function isDefaultPii(spec: DetectorSpec): boolean {
  return spec.custom.length === 0 && Object.keys(spec.thresholds).length === 0 && (spec.names ?? "fast") === "fast";
}

/**
 * The shared detectors with the PII detector (and so `sensitive`) rebuilt for `spec`, and the
 * injection scorer put behind the spec's classifier stage. Called in each thread that scans, so
 * every thread opens its own ONNX session (sessions are not shared across threads).
 */
export function detectorsForSpec(base: GuardDetectors, spec: DetectorSpec): GuardDetectors {
  if (isDefaultSpec(spec)) return base;
  let built = base;
  if (!isDefaultPii(spec)) {
    const pii = createPiiDetector({
      thresholds: spec.thresholds,
      extra: spec.custom.map((c) => defineCustomRecognizer(c)),
      names: spec.names ?? "fast",
    });
    built = { ...base, pii, sensitive: combineDetectors([pii, base.secrets]) };
  }
  if (spec.injectionClassifier && base.injection) {
    const cascade = createCascadeScorer(base.injection, spec.injectionClassifier);
    built = { ...built, injection: cascade.score };
    closers.set(built, cascade.close);
  }
  return built;
}

/** What stops the classifier thread of detectors built by detectorsForSpec (see detectorsPerPolicy). */
const closers = new WeakMap<GuardDetectors, () => Promise<void>>();

/**
 * The fast scorer behind a classifier stage (detect/injection/cascade.ts): only texts whose fast
 * score is in the band reach the ONNX classifier. On the main thread the classifier runs in a
 * thread of its own (a session run is synchronous and would hold the event loop); in a guard-pool
 * worker, in that worker. The model loads now, in the background, so the first uncertain text
 * does not wait for it; a load failure is what classified texts then meet (the fail mode).
 * Outcomes of the fast and classifier stages are cached per text like the fast scores are; a
 * fail-mode outcome is not, so the classifier is tried again.
 */
export function createCascadeScorer(
  fast: InjectionScorer,
  spec: InjectionClassifierSpec,
): { score: InjectionScorer; close: () => Promise<void> } {
  const options = {
    model: spec.model,
    tokenizer: spec.tokenizer,
    ...(spec.config ? { config: spec.config } : {}),
    ...(spec.injectionLabels ? { injectionLabels: spec.injectionLabels } : {}),
    maxTokens: spec.maxTokens,
    maxWindows: spec.maxWindows,
    timeoutMs: spec.timeoutMs,
    threads: spec.threads,
  };
  const threaded = isMainThread ? createThreadedOnnxClassifier(options) : undefined;
  const classifier = threaded ?? createOnnxClassifier(options);
  classifier.load().catch(() => undefined);
  const cascade = createInjectionCascade<Parameters<InjectionScorer>[1]>({
    fast,
    classifier,
    band: spec.band,
    threshold: spec.threshold,
    thresholds: spec.thresholds,
    failMode: spec.failMode === "closed" ? "fail-closed" : "fail-open",
    modes: spec.modes,
  });
  const cache = new Map<string, Awaited<ReturnType<InjectionScorer>>>();
  const score: InjectionScorer = async (text, mode) => {
    const key = `${mode}\u0000${text}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const result = await cascade(text, mode);
    const scored = { score: result.score, signals: result.signals.map((s) => ({ id: s.id, score: s.score })) };
    if ((result.stage === "fast" || result.stage === "classifier") && text.length <= INJECTION_CACHE_MAX_TEXT) {
      if (cache.size >= INJECTION_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(key, scored);
    }
    return scored;
  };
  return { score, close: async () => threaded?.close() };
}

/**
 * A stable key for a spec: equal for specs that build the same detector, whatever the order of
 * the threshold keys or the object identity (policies reload; workers receive copies).
 * Custom recognisers keep their order, since it is the order they run in.
 */
export function toSpecKey(spec: DetectorSpec): string {
  if (isDefaultSpec(spec)) return "default";
  const thresholds = Object.keys(spec.thresholds)
    .sort()
    .map((k) => [k, spec.thresholds[k]]);
  const custom = spec.custom.map((c) => [c.id, c.entity, c.pattern, c.validator, [...c.context], c.score]);
  const key: unknown[] = [thresholds, custom, spec.names ?? "fast"];
  if (spec.injectionClassifier) key.push(sortedEntries(spec.injectionClassifier));
  return JSON.stringify(key);
}

function sortedEntries(value: object): unknown {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [k, typeof v === "object" && v !== null && !Array.isArray(v) ? sortedEntries(v) : v]);
}

/** Distinct specs whose detectors are kept across policy reloads (the oldest goes first). */
const SPEC_CACHE_ENTRIES = 16;

/**
 * Detectors for each loaded policy: the shared ones, or, when the policy adds recognisers or
 * thresholds or an injection classifier, detectors built for it (once per distinct spec, so a
 * reload that leaves the spec alone keeps the loaded classifier).
 */
export function detectorsPerPolicy(base: GuardDetectors): (policy: CompiledPolicy) => GuardDetectors {
  const cache = new WeakMap<CompiledPolicy, GuardDetectors>();
  const byKey = new Map<string, GuardDetectors>();
  return (policy) => {
    let built = cache.get(policy);
    if (built) return built;
    const spec = detectorSpecOf(policy.runtime);
    if (isDefaultSpec(spec)) built = base;
    else {
      const key = toSpecKey(spec);
      built = byKey.get(key);
      if (!built) {
        built = detectorsForSpec(base, spec);
        if (byKey.size >= SPEC_CACHE_ENTRIES) {
          // The oldest spec's classifier thread goes with it (a request still using it fails over).
          const oldest = byKey.keys().next().value as string;
          const evicted = byKey.get(oldest);
          byKey.delete(oldest);
          if (evicted)
            closers
              .get(evicted)?.()
              .catch(() => undefined);
        }
        byKey.set(key, built);
      }
    }
    cache.set(policy, built);
    return built;
  };
}
