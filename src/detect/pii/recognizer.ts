/**
 * Pattern recognisers and the scoring every PII span goes through, in the manner of Presidio:
 * a pattern's base score, replaced or dropped by its validator, raised by whole-word context
 * words near the span and lowered by negative context words.
 */
import type { Detection } from "../detection.js";
import { type ContextMatcher, createContextMatcher, wordsOf } from "../words.js";
import type { ReferenceWords } from "./reference-words.js";

/** Validator outcome: a number sets the score, `false` drops the candidate, `undefined` keeps the base score. */
export type ValidatorResult = number | false | undefined;

export interface PatternRecognizerSpec {
  id: string;
  entity: string;
  /**
   * Candidate pattern. Must be free of nested unbounded quantifiers (see safe-pattern.ts); it is
   * compiled with the `g` and `u` flags added. A named group `value` marks the entity inside the
   * match when the match includes surrounding text.
   */
  pattern: RegExp;
  baseScore: number;
  validate?: (value: string) => ValidatorResult;
  /** Whole words or phrases that make the candidate more likely (added: `contextBoost`). */
  context?: readonly string[];
  contextBoost?: number;
  /**
   * Generic context words ("number") that raise the score like `context`, but only when no
   * negative context word is near: "part number 7276-0777" is a part number.
   */
  weakContext?: readonly string[];
  /** Whole words or phrases that make it less likely (subtracted: `negativePenalty`). */
  negativeContext?: readonly string[];
  negativePenalty?: number;
  /**
   * Words naming a reference number ("Seriennummer", "colis", "n°"; reference-words.ts) that
   * lower the score like `negativeContext`, but only when no `context` word is near: "Tel.-Nr."
   * is still a phone number. Words of `context` itself ("Telefonnummer") never count here.
   */
  referenceWords?: ReferenceWords;
  /**
   * Words that, as one of the two words right after the span, mean it is something else
   * (subtracted: `negativePenalty`), e.g. a street name after a house number.
   */
  followedBy?: readonly string[];
  /**
   * Other kinds of number the span may be named as ("BSN 123 456 782" is no phone number), which
   * lower the score (`negativePenalty`) only when a word of the kind labels this very value: right
   * before it (within LABEL_REACH characters), or anywhere in the context window when the value
   * also passes the kind's own check ("260 415 923 is het BSN van …"). A word of the kind that
   * merely stands near another number does not count ("Mi número es 612 345 678 y mi DNI …").
   */
  namedAs?: readonly NumberKind[];
  /**
   * Characters after the span searched for context words (default half the detector's reach). An
   * identifier is often named after it ("19250762237 – das ist die Steuer-ID", "… är min sons
   * personnummer"); streaming holds this much after a candidate.
   */
  contextAfter?: number;
  /** Longest span this recogniser can report (characters); streaming relies on it. */
  maxLength: number;
  /**
   * A character every match contains (e.g. a digit, `@`). The pattern then runs only within
   * `maxLength` of such characters instead of over the whole text; matches are identical because
   * no match can lie outside those regions. This is what makes prose with sparse PII fast.
   */
  anchor?: AnchorKind;
}

/** A kind of number a span may be named as instead (see `PatternRecognizerSpec.namedAs`). */
export interface NumberKind {
  /** Whole words or phrases naming the kind. */
  words: readonly string[];
  /** Whether a value could be one of the kind (its check digits). */
  check: (value: string) => boolean;
}

/** Characters before a span within which a word of a `NumberKind` labels it whatever its digits. */
const LABEL_REACH = 12;

/**
 * Characters every match of a recogniser contains: a digit, an `@`, or a run of six capital
 * letters (a BIC's institution and country).
 */
export type AnchorKind = "digit" | "at-sign" | "capitals";

/** Per-scan shared work: where the anchor characters are, computed once per text. */
export interface ScanHints {
  /** Flat [start, end) pairs of the runs of anchor characters, in text order. */
  anchors(kind: AnchorKind): ArrayLike<number>;
}

/** Characters of real text kept around a scanned region for look-behind and look-ahead. */
const LOOK_PAD = 8;

const ANCHOR_PATTERNS = { digit: /\d+/g, "at-sign": /@/g, capitals: /[A-Z]{6,}/g } as const;

/**
 * Runs of anchor characters, cached per text, in a typed array: a text of digits and letters has
 * a run every few characters, and a slot per run in a plain array is old-generation garbage that
 * a 10 MB text turns into hundreds of milliseconds of collection.
 */
export function createScanHints(text: string): ScanHints {
  const cache = new Map<string, Int32Array>();
  return {
    anchors(kind) {
      let positions = cache.get(kind);
      if (!positions) {
        let found = new Int32Array(64);
        let count = 0;
        const re = new RegExp(ANCHOR_PATTERNS[kind].source, "g");
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          if (count + 2 > found.length) {
            const grown = new Int32Array(found.length * 2);
            grown.set(found);
            found = grown;
          }
          found[count++] = m.index;
          found[count++] = m.index + m[0].length;
        }
        positions = found.subarray(0, count);
        cache.set(kind, positions);
      }
      return positions;
    },
  };
}

/** Anything that finds PII spans: a compiled pattern, a gazetteer. */
export interface Recognizer {
  readonly id: string;
  /** Entity types it can report. */
  readonly entities: readonly string[];
  /** Longest span it can report (characters). */
  readonly maxLength: number;
  /** Characters after a span its context words are looked for in, when more than half the reach. */
  readonly contextAfter?: number;
  recognize(text: string, contextReach: number, hints?: ScanHints): Detection[];
  /**
   * Its own streaming hold, for a recogniser no token shape describes (see hold.ts): the earliest
   * start of a match that may still read past the end of a text, and characters no match contains.
   */
  readonly hold?: RecognizerHold;
}

/** How a recogniser tells streaming what it may still match (see `Recognizer.hold`). */
export interface RecognizerHold {
  openFrom(text: string): number;
  isBreak(text: string, at: number): boolean;
}

const DEFAULT_CONTEXT_BOOST = 0.35;
const DEFAULT_NEGATIVE_PENALTY = 0.4;

/** Compile a recogniser spec once into something that scans text. */
export function definePatternRecognizer(spec: PatternRecognizerSpec): Recognizer {
  const flags = new Set([...spec.pattern.flags, "g"]);
  if (!flags.has("v")) flags.add("u");
  const pattern = new RegExp(spec.pattern.source, [...flags].join(""));
  const context: ContextMatcher | undefined = spec.context?.length ? createContextMatcher(spec.context) : undefined;
  const weak: ContextMatcher | undefined = spec.weakContext?.length
    ? createContextMatcher(spec.weakContext)
    : undefined;
  const negative: ContextMatcher | undefined = spec.negativeContext?.length
    ? createContextMatcher(spec.negativeContext)
    : undefined;
  const followedBy = spec.followedBy?.length ? new Set(spec.followedBy) : undefined;
  const kinds = (spec.namedAs ?? []).map((kind) => ({ matcher: createContextMatcher(kind.words), check: kind.check }));
  const contextWords: ReadonlySet<string> = new Set((spec.context ?? []).flatMap((term) => wordsOf(term)));
  const boost = spec.contextBoost ?? DEFAULT_CONTEXT_BOOST;
  const penalty = spec.negativePenalty ?? DEFAULT_NEGATIVE_PENALTY;

  return {
    id: spec.id,
    entities: [spec.entity],
    maxLength: spec.maxLength,
    ...(spec.contextAfter === undefined ? {} : { contextAfter: spec.contextAfter }),
    recognize(text, contextReach, hints) {
      const found: Detection[] = [];
      for (const [regionStart, regionEnd] of regions(text, spec, hints)) {
        // Scan a slice with a little real text on both sides, so look-behind and look-ahead
        // see what the whole text holds; a scan over the full text would not stop at regionEnd.
        const sliceStart = Math.max(0, regionStart - LOOK_PAD);
        const slice =
          regionStart === 0 && regionEnd === text.length ? text : text.slice(sliceStart, regionEnd + LOOK_PAD);
        const offset = slice === text ? 0 : sliceStart;
        pattern.lastIndex = regionStart - offset;
        for (let match = pattern.exec(slice); match !== null; match = pattern.exec(slice)) {
          if (match.index + offset >= regionEnd) break;
          if (match[0].length === 0) {
            pattern.lastIndex++;
            continue;
          }
          match.index += offset;
          const value = match.groups?.value ?? match[0];
          const start = match.index + (match.groups?.value === undefined ? 0 : match[0].indexOf(value));
          const end = start + value.length;
          if (value.length > spec.maxLength) continue;
          const reasons: string[] = [];
          let score = spec.baseScore;
          const validated = spec.validate?.(value);
          if (validated === false) continue;
          if (typeof validated === "number") {
            score = validated;
            reasons.push("validated");
          }
          if (context || weak || negative || spec.referenceWords) {
            const words = wordsOf(contextWindow(text, start, end, contextReach, spec.contextAfter));
            const strong = context?.find(words);
            const miss = negative?.find(words) ?? (strong ? undefined : spec.referenceWords?.find(words, contextWords));
            const hit = strong ?? (miss ? undefined : weak?.find(words));
            if (hit) {
              score += boost;
              reasons.push(`context:${hit}`);
            }
            if (miss) {
              score -= penalty;
              reasons.push(`negative-context:${miss}`);
            }
          }
          if (kinds.length > 0) {
            const label = labelOf(kinds, text, start, end, value, contextReach, spec.contextAfter);
            if (label) {
              score -= penalty;
              reasons.push(`named-as:${label}`);
            }
          }
          if (followedBy) {
            const next = wordsOf(text.slice(end, end + 24)).slice(0, 2);
            const street = next.find((w) => followedBy.has(w));
            if (street) {
              score -= penalty;
              reasons.push(`followed-by:${street}`);
            }
          }
          found.push({
            entity: spec.entity,
            start,
            end,
            score: Math.max(0, Math.min(1, round(score))),
            detector: "pii",
            ruleId: spec.id,
            reasons,
          });
        }
      }
      return found;
    },
  };
}

/**
 * The word naming the span as another kind of number (see `PatternRecognizerSpec.namedAs`): one
 * just before it, or one in its context window when the value passes the kind's check.
 */
function labelOf(
  kinds: readonly { matcher: ContextMatcher; check: (value: string) => boolean }[],
  text: string,
  start: number,
  end: number,
  value: string,
  reach: number,
  after: number | undefined,
): string | undefined {
  const near = wordsOf(contextWindow(text, start, end, LABEL_REACH, 0));
  let around: string[] | undefined;
  for (const kind of kinds) {
    const hit = kind.matcher.find(near);
    if (hit) return hit;
    if (!kind.check(value)) continue;
    around ??= wordsOf(contextWindow(text, start, end, reach, after));
    const far = kind.matcher.find(around);
    if (far) return far;
  }
  return undefined;
}

/** Stretches of text where a match can be: all of it, or within maxLength of an anchor run, merged. */
function regions(text: string, spec: PatternRecognizerSpec, hints: ScanHints | undefined): [number, number][] {
  if (!spec.anchor) return [[0, text.length]];
  const anchors = (hints ?? createScanHints(text)).anchors(spec.anchor);
  const out: [number, number][] = [];
  for (let i = 0; i < anchors.length; i += 2) {
    const from = Math.max(0, (anchors[i] as number) - spec.maxLength);
    const to = Math.min(text.length, (anchors[i + 1] as number) + spec.maxLength);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/**
 * Text around a span, excluding the span itself: `reach` characters before and half as many after
 * (labels usually precede a value: "Phone: ...", "account number ..."), or `after` characters
 * after it, cut at whole words: a word the window's edge cuts in half is left out, one ending
 * right at the edge is kept.
 */
export function contextWindow(
  text: string,
  start: number,
  end: number,
  reach: number,
  after: number = Math.ceil(reach / 2),
): string {
  const from = Math.max(0, start - reach);
  const to = Math.min(text.length, end + after);
  const before = text.slice(from, start);
  const behind = text.slice(end, to);
  const left = from > 0 && isWordChar(text, from - 1) ? before.replace(/^[\p{L}\p{N}]+/u, "") : before;
  const right = to < text.length && isWordChar(text, to) ? behind.replace(/[\p{L}\p{N}]+$/u, "") : behind;
  return `${left} ${right}`;
}

/** Whether the character at `at` is a letter or a digit (a surrogate half counts as a letter). */
function isWordChar(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return (c >= 0xd800 && c <= 0xdfff) || /[\p{L}\p{N}]/u.test(text[at] as string);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
