/**
 * How the gateway's content detectors are built, in one place: the CLI builds them on the main
 * thread and the guard pool's workers build them in each thread from the same code, so a text
 * scores the same wherever it is scanned.
 */
import {
  combineDetectors,
  createDefaultInjectionDetector,
  createPiiDetector,
  createSecretsDetector,
  defineCustomRecognizer,
} from "../detect/index.js";
import type { CompiledPolicy, RuntimePolicy } from "../policy/index.js";
import type { GuardDetectors } from "./guards.js";

/**
 * What a policy changes about the PII detector: `runtime.pii.thresholds`, `runtime.pii.custom` and
 * `runtime.pii.names` (absent: `fast`, the built-in default).
 */
export interface DetectorSpec {
  thresholds: RuntimePolicy["pii"]["thresholds"];
  custom: RuntimePolicy["pii"]["custom"];
  names?: RuntimePolicy["pii"]["names"];
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

/** True when the spec leaves the PII detector as built in (the shared detectors apply). */
export function isDefaultSpec(spec: DetectorSpec): boolean {
  return spec.custom.length === 0 && Object.keys(spec.thresholds).length === 0 && (spec.names ?? "fast") === "fast";
}

/** The shared detectors with the PII detector (and so `sensitive`) rebuilt for `spec`. */
export function detectorsForSpec(base: GuardDetectors, spec: DetectorSpec): GuardDetectors {
  if (isDefaultSpec(spec)) return base;
  const pii = createPiiDetector({
    thresholds: spec.thresholds,
    extra: spec.custom.map((c) => defineCustomRecognizer(c)),
    names: spec.names ?? "fast",
  });
  return { ...base, pii, sensitive: combineDetectors([pii, base.secrets]) };
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
  return JSON.stringify([thresholds, custom, spec.names ?? "fast"]);
}

/**
 * Detectors for each loaded policy: the shared ones, or, when the policy adds recognisers or
 * thresholds, a PII detector built for it (once per policy version, then cached).
 */
export function detectorsPerPolicy(base: GuardDetectors): (policy: CompiledPolicy) => GuardDetectors {
  const cache = new WeakMap<CompiledPolicy, GuardDetectors>();
  return (policy) => {
    const spec = policy.runtime.pii;
    if (isDefaultSpec(spec)) return base;
    let built = cache.get(policy);
    if (!built) {
      built = detectorsForSpec(base, spec);
      cache.set(policy, built);
    }
    return built;
  };
}
