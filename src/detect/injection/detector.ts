/**
 * The prompt-injection detector: normalise, match the rule pack, score with the classifier
 * (over windows in document mode), and combine the evidence into one score with the signals
 * that explain it. Pure and synchronous; the optional external guard is combined in
 * `detectAsync` through an interface the caller constructs.
 */
import { createDocumentSpanScorer, type DocumentSpanScorer, OBFUSCATING } from "./document.js";
import {
  DISCUSSION_CLASSIFIER_DAMPING,
  findMetaContext,
  isInside,
  type MetaContext,
  QUOTED_RULE_DAMPING,
  withoutQuoted,
} from "./meta.js";
import { createInjectionClassifier, type InjectionClassifier, type LinearModel } from "./model.js";
import { type NormalisedText, normaliseText } from "./normalise.js";
import { type CompiledInjectionRule, matchInjectionRules, weightIn } from "./rules.js";
import {
  DEFENSIVE_RULE_DAMPING,
  findSystemContext,
  isForbidden,
  type SystemContext,
  sentencePairs,
  withoutRanges,
} from "./system.js";
import type { InjectionMode, InjectionResult, InjectionSignal } from "./types.js";

/** An external classifier or guard model, called over HTTP by the composition root. */
export interface ExternalGuard {
  readonly name: string;
  /** Weight of its score in the combination, in [0, 1]. */
  readonly weight: number;
  /** Probability the text is an attack; rejects on failure (the detector applies the fail mode). */
  score(text: string, mode: InjectionMode): Promise<number>;
  /** What a failure means: `fail-open` ignores the guard, `fail-closed` blocks. */
  readonly failMode: "fail-open" | "fail-closed";
}

export interface InjectionDetectorOptions {
  /** Compiled rule pack (see loadInjectionRules / compileInjectionRules). */
  rules: readonly CompiledInjectionRule[];
  /** The classifier; without it the detector runs on rules alone. */
  model?: LinearModel;
  /**
   * Document mode's span model (document.ts). With it, document mode scores the spans of the
   * document instead of windows of the user-mode classifier; without it, the windows are used.
   */
  documentModel?: LinearModel;
  /** Score at or above which the verdict is `injection`. Default 0.5. */
  threshold?: number;
  /** Multiplier on the classifier probability before combination, in [0, 1]. Default 1. */
  classifierWeight?: number;
  /**
   * Classifier probabilities below this floor count as no evidence; above it they are rescaled
   * to [0, 1]. Keeps a lukewarm classifier score from tipping a weak rule over the threshold.
   * Default 0 (user mode); see `documentClassifierFloor`.
   */
  classifierFloor?: number;
  /** The floor in document mode, where the maximum over many windows runs higher. Default 0.3. */
  documentClassifierFloor?: number;
  /**
   * The floor in system mode, where the user-mode classifier reads a developer's directives as
   * lukewarm evidence even after the directive sentences are left out. Default SYSTEM_CLASSIFIER_FLOOR.
   */
  systemClassifierFloor?: number;
  /** Document-mode window size and step, in characters of normalised text. */
  window?: { size: number; step: number };
  /** Inputs longer than this are analysed on their first part only (a signal says so). Default 200,000. */
  maxChars?: number;
}

export interface DetectOptions {
  mode?: InjectionMode;
  /** Override the detector's threshold for this call (a policy decision). */
  threshold?: number;
}

/** A configured detector. */
export interface InjectionDetector {
  readonly ruleCount: number;
  readonly hasModel: boolean;
  /** Whether document mode scores spans with its own model. */
  readonly hasDocumentModel: boolean;
  detect(text: string, options?: DetectOptions): InjectionResult;
  /** Like detect, then combines an external guard's score, honouring its fail mode. */
  detectAsync(text: string, options?: DetectOptions & { guard?: ExternalGuard }): Promise<InjectionResult>;
}

const OBFUSCATION_STEP = 0.15;
const OBFUSCATION_CAP = 0.3;
/** Minimum other evidence before obfuscation counts, so stylised benign text does not fire. */
const OBFUSCATION_GATE = 0.2;
const DECODED_LAYER_SCORE = 0.25;
/** System mode's classifier floor, chosen on the tune split of bench/injection-system-data.ts. */
export const SYSTEM_CLASSIFIER_FLOOR = 0.4;
/**
 * System mode's floor for the best pair of consecutive sentences (system.ts sentencePairs); on the
 * tune split no benign system prompt's pair reached 0.7.
 */
export const SYSTEM_WINDOW_FLOOR = 0.7;

/** Create a detector from a compiled rule pack and an optional model. */
export function createInjectionDetector(options: InjectionDetectorOptions): InjectionDetector {
  const rules = options.rules;
  const classifier: InjectionClassifier | undefined = options.model
    ? createInjectionClassifier(options.model)
    : undefined;
  const defaultThreshold = options.threshold ?? 0.5;
  const classifierWeight = options.classifierWeight ?? 1;
  const userFloor = options.classifierFloor ?? 0;
  const documentFloor = options.documentClassifierFloor ?? 0.3;
  const systemFloor = options.systemClassifierFloor ?? SYSTEM_CLASSIFIER_FLOOR;
  const window = options.window ?? { size: 480, step: 320 };
  const maxChars = options.maxChars ?? 200_000;
  const spanScorer: DocumentSpanScorer | undefined = options.documentModel
    ? createDocumentSpanScorer(options.documentModel, maxChars)
    : undefined;

  const detect = (input: string, detectOptions: DetectOptions = {}): InjectionResult => {
    const mode = detectOptions.mode ?? "user";
    const threshold = detectOptions.threshold ?? defaultThreshold;
    const signals: InjectionSignal[] = [];
    const text = input.length > maxChars ? input.slice(0, maxChars) : input;
    const normalised: NormalisedText = normaliseText(text);

    // Rules over the text and over each decoded layer; one signal per rule (its strongest layer).
    const byRule = new Map<string, InjectionSignal>();
    const layers: { name: string; text: string }[] = [
      { name: "text", text: normalised.text },
      ...normalised.layers.map((l) => ({ name: l.encoding, text: l.text })),
    ];
    // User mode: a prompt that translates, matches or discusses a quoted attack is not one (meta.ts).
    const meta: MetaContext | undefined = mode === "user" ? findMetaContext(normalised.text) : undefined;
    // System mode: developer directives and defensive lines that quote attacks to refuse them (system.ts).
    const system: SystemContext | undefined = mode === "system" ? findSystemContext(normalised.text) : undefined;
    for (const layer of layers) {
      for (const match of matchInjectionRules(rules, layer.text, mode)) {
        let weight = weightIn(match.rule, mode);
        if (meta && layer.name === "text" && meta.quoted.length > 0) {
          const at = layer.text.indexOf(match.evidence.replace(/…$/, ""));
          if (at >= 0 && isInside(meta.quoted, at, at + match.evidence.length)) weight *= QUOTED_RULE_DAMPING;
        }
        if (system && layer.name === "text") {
          const at = layer.text.indexOf(match.evidence.replace(/…$/, ""));
          if (at >= 0 && isInside(system.defensive, at, at + match.evidence.length)) weight *= DEFENSIVE_RULE_DAMPING;
          // "Never reveal the system prompt" forbids what an extraction asks for.
          if (at >= 0 && match.rule.category === "system-prompt-extraction" && isForbidden(layer.text, at)) weight = 0;
        }
        const existing = byRule.get(match.rule.id);
        if (existing && existing.score >= weight) continue;
        byRule.set(match.rule.id, {
          kind: "rule",
          id: match.rule.id,
          score: weight,
          category: match.rule.category,
          detail: match.rule.description,
          evidence: match.evidence,
          layer: layer.name,
        });
      }
    }
    signals.push(...byRule.values());
    const ruleEvidence = noisyOr([...byRule.values()].map((s) => s.score));

    // Classifier: whole text in user mode; in document mode the span model (or, without one,
    // the most suspicious window of the user-mode classifier).
    let classifierScore = 0;
    let document: InjectionResult["document"];
    const analysis =
      mode === "document" && spanScorer
        ? spanScorer.analyse(text, { obfuscated: normalised.transformations.some((t) => OBFUSCATING.has(t)) })
        : undefined;
    if (analysis?.instructions) document = { genre: "instructions", spans: [] };
    if (analysis && !analysis.instructions) {
      const best = analysis.spans[0];
      classifierScore = best ? best.score : 0;
      document = {
        genre: analysis.genre,
        spans: analysis.spans.map((s) => ({ start: s.start, end: s.end, kind: s.kind, score: round(s.score) })),
      };
      if (best) {
        const evidence = text.slice(best.start, best.end);
        signals.push({
          kind: "span",
          id: `span:${best.kind}`,
          score: round(best.score),
          detail: `${best.kind} at ${best.start}-${best.end} of a ${analysis.genre} document (${analysis.scored} spans scored)`,
          evidence: evidence.length > 120 ? `${evidence.slice(0, 120)}…` : evidence,
        });
      }
    } else if (classifier) {
      // Document mode scores overlapping windows (which cover the whole text) instead of the whole.
      const windowed = mode === "document" && normalised.text.length > window.size;
      const input = classifierInput(normalised.text, meta, system);
      // A system text that is all directives leaves the classifier nothing to read.
      let best = windowed || (system && !/\p{L}{2}/u.test(input)) ? 0 : classifier.predict(input);
      let where = meta
        ? `${meta.task} request without its quoted object`
        : system && system.directives.length + system.defensive.length > 0
          ? `system text without ${system.directives.length} directive and ${system.defensive.length} defensive sentences`
          : "whole text";
      if (meta && meta.task !== "translate") best *= DISCUSSION_CLASSIFIER_DAMPING;
      if (windowed) {
        for (const [start, end] of windows(normalised.text, window.size, window.step)) {
          const p = classifier.predictRange(normalised.text, start, end);
          if (p > best) {
            best = p;
            where = `window at ${start}`;
          }
        }
      }
      if (system && !windowed) {
        // An attack appended to a long benign prompt: the best pair of sentences, on a higher floor.
        let pair = 0;
        let pairAt = 0;
        for (const [start, end] of sentencePairs(input)) {
          const p = classifier.predictRange(input, start, end);
          if (p > pair) {
            pair = p;
            pairAt = start;
          }
        }
        const lifted = systemFloor + ((pair - SYSTEM_WINDOW_FLOOR) / (1 - SYSTEM_WINDOW_FLOOR)) * (1 - systemFloor);
        if (pair > SYSTEM_WINDOW_FLOOR && lifted > best) {
          best = lifted;
          where = `sentences at ${pairAt}, p=${round(pair)} over a floor of ${SYSTEM_WINDOW_FLOOR}`;
        }
      }
      for (const layer of normalised.layers) {
        const p = classifier.predict(layer.text);
        if (p > best) {
          best = p;
          where = `decoded ${layer.encoding}`;
        }
      }
      const floor = mode === "document" ? documentFloor : mode === "system" ? systemFloor : userFloor;
      classifierScore = Math.max(0, (best - floor) / (1 - floor)) * classifierWeight;
      signals.push({
        kind: "classifier",
        id: "classifier",
        score: round(classifierScore),
        detail: `p=${round(best)} (${where})`,
      });
    }

    // Decoded layers that carried rule matches, and obfuscation, add evidence.
    const extra: number[] = [];
    const layerHits = new Set([...byRule.values()].map((s) => s.layer).filter((l) => l !== "text"));
    for (const layer of layerHits) {
      signals.push({
        kind: "decoded-layer",
        id: `decoded:${layer}`,
        score: DECODED_LAYER_SCORE,
        detail: "an instruction was hidden in an encoded segment",
      });
      extra.push(DECODED_LAYER_SCORE);
    }
    const suspicious = normalised.transformations.filter((t) => OBFUSCATING.has(t));
    const prior = noisyOr([ruleEvidence, classifierScore]);
    if (suspicious.length > 0 && prior >= OBFUSCATION_GATE) {
      const score = Math.min(OBFUSCATION_CAP, OBFUSCATION_STEP * suspicious.length);
      signals.push({
        kind: "obfuscation",
        id: `normalisation:${suspicious.join("+")}`,
        score,
        detail: "the text needed de-obfuscation before it could be read",
      });
      extra.push(score);
    }
    if (input.length > maxChars) {
      signals.push({
        kind: "obfuscation",
        id: "truncated",
        score: 0,
        detail: `only the first ${maxChars} characters were analysed`,
      });
    }

    const score = round(noisyOr([ruleEvidence, classifierScore, ...extra]));
    signals.sort((a, b) => b.score - a.score);
    return {
      score,
      verdict: score >= threshold ? "injection" : "benign",
      threshold,
      mode,
      signals,
      transformations: normalised.transformations,
      ...(document ? { document } : {}),
    };
  };

  return {
    ruleCount: rules.length,
    hasModel: classifier !== undefined,
    hasDocumentModel: spanScorer !== undefined,
    detect,
    async detectAsync(text, options = {}) {
      const result = detect(text, options);
      const guard = options.guard;
      if (!guard) return result;
      let signal: InjectionSignal;
      let guardScore = 0;
      try {
        const raw = await guard.score(text, result.mode);
        guardScore = Math.min(1, Math.max(0, raw)) * guard.weight;
        signal = {
          kind: "external-guard",
          id: `external-guard:${guard.name}`,
          score: round(guardScore),
          detail: `p=${round(raw)}`,
        };
      } catch (error) {
        const closed = guard.failMode === "fail-closed";
        guardScore = closed ? 1 : 0;
        signal = {
          kind: "external-guard",
          id: `external-guard:${guard.name}`,
          score: guardScore,
          detail: `unavailable (${error instanceof Error ? error.message : "error"}); ${guard.failMode}`,
        };
      }
      const score = round(noisyOr([result.score, guardScore]));
      const signals = [...result.signals, signal].sort((a, b) => b.score - a.score);
      return { ...result, score, verdict: score >= result.threshold ? "injection" : "benign", signals };
    },
  };
}

/** What the classifier reads: the text without a meta-request's quoted object or a system text's directives. */
function classifierInput(text: string, meta: MetaContext | undefined, system: SystemContext | undefined): string {
  if (meta) return withoutQuoted(text, meta.quoted);
  if (system) return withoutRanges(text, [...system.directives, ...system.defensive]);
  return text;
}

/** Probability that at least one independent piece of evidence is right. */
function noisyOr(scores: readonly number[]): number {
  let keep = 1;
  for (const s of scores) keep *= 1 - Math.min(1, Math.max(0, s));
  return 1 - keep;
}

/** How far a window start moves right to the next space, so words stay whole. */
const WINDOW_ALIGN = 40;

/**
 * Overlapping windows as [start, end) offsets, starting after a space so words stay whole. The
 * space is looked for only within WINDOW_ALIGN characters: an unbounded indexOf re-scans the rest
 * of a text without spaces for every window, which is quadratic.
 */
function windows(text: string, size: number, step: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < text.length; start += step) {
    let from = start;
    if (from > 0) {
      const limit = Math.min(text.length, from + WINDOW_ALIGN);
      for (let i = from; i < limit; i++) {
        if (text.charCodeAt(i) === 32) {
          from = i + 1;
          break;
        }
      }
    }
    out.push([from, Math.min(text.length, from + size)]);
    if (start + size >= text.length) break;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
