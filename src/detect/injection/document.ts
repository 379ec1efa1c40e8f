/**
 * Document mode's own detector: cut the document into spans (segment.ts), describe each span by
 * its text plus cues that it addresses the assistant relative to the genre around it
 * (address.ts), and score every span with a linear span model trained for this job
 * (scripts/train-injection-document.ts). The most suspicious spans are reported with their
 * offsets, so an analyst sees which cell, comment or sentence carried the instruction.
 */
import {
  ADDRESSING_BITS,
  addressesAssistant,
  addressesPerson,
  type Cue,
  cueBits,
  cueRates,
  cueWords,
  inDocument,
  opensWithAction,
} from "./address.js";
import { createInjectionClassifier, type InjectionClassifier, type LinearModel, sigmoid } from "./model.js";
import { normaliseText, type Transformation } from "./normalise.js";
import { type DocumentSpan, type Genre, type SegmentedDocument, type SpanKind, segmentDocument } from "./segment.js";

/** A span with its score, as reported. */
export interface ScoredSpan {
  start: number;
  end: number;
  kind: SpanKind;
  /** Span model probability (after the model's calibrated bias), in [0, 1]. */
  score: number;
}

/** What the span scorer found in one document. */
export interface DocumentAnalysis {
  genre: Genre;
  /** Spans scored (after dropping those that cannot carry an instruction). */
  scored: number;
  /** The highest-scoring spans, best first (at most `top`). */
  spans: ScoredSpan[];
  /**
   * True when the text is itself written to the assistant rather than data: prose most of whose
   * spans address it (pasted prompts, a prompt collection), or a short prose text that is one
   * sentence or opens with an action (a tool description). Addressing the assistant is then
   * the genre, not an anomaly, and the caller judges it as a prompt.
   */
  instructions: boolean;
}

/** The model input of one span: its normalised text followed by its cue words. */
export interface SpanInput {
  span: DocumentSpan;
  input: string;
  /** The span's normalised text. */
  text: string;
  /** The span's cue bits (address.ts). */
  bits: number;
}

/** JSON string escapes read as the characters they stand for (approximately: \uXXXX decoded). */
function unescapeJson(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_, hex: string | undefined, ch: string | undefined) => {
    if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
    return ch === "n" || ch === "r" || ch === "t" ? " " : (ch ?? "");
  });
}

/** Spans that cannot carry an instruction: no two-letter word, or a single short token. */
function isInert(text: string): boolean {
  if (!/\p{L}{2}/u.test(text)) return true;
  return text.length < 25 && !/\s/.test(text) && !/[\u3040-\u9fff]/.test(text);
}

/**
 * Model inputs for every span of a document: normalised span text plus cue words. Shared by
 * training and inference so both see exactly the same strings. When the document needed
 * de-obfuscation, each span is normalised fully; otherwise lower-casing and whitespace
 * collapsing is all normalisation would do, and is much cheaper per span.
 */
export function toSpanInputs(text: string, segmented: SegmentedDocument, obfuscated: boolean): SpanInput[] {
  const prepared: { span: DocumentSpan; text: string; bits: number }[] = [];
  for (const span of segmented.spans) {
    let raw = text.slice(span.start, span.end);
    if (span.kind === "json-string") raw = unescapeJson(raw);
    const normal = obfuscated ? normaliseText(raw).text : raw.toLowerCase().replace(/\s+/g, " ").trim();
    if (isInert(normal)) continue;
    // Case cues (an instruction appended to a value, a title) matter where sentences are not cut apart.
    prepared.push({ span, text: normal, bits: cueBits(normal, span.kind === "sentence" ? undefined : raw) });
  }
  const rates: ReadonlyMap<Cue, number> = cueRates(prepared.map((p) => p.bits));
  return prepared.map((p) => {
    const bits = inDocument(p.bits, rates, prepared.length);
    return {
      span: p.span,
      text: p.text,
      bits,
      input: `${p.text} ${cueWords(bits, { genre: segmented.genre, kind: p.span.kind, rates })}`,
    };
  });
}

/**
 * Transformations real text rarely needs: a document that needed one was obfuscated (its spans
 * get full normalisation), and in any text one adds evidence when something else fired.
 */
export const OBFUSCATING: ReadonlySet<Transformation> = new Set<Transformation>([
  "tag-characters",
  "zero-width",
  "bidi-controls",
  "confusables",
  "spaced-letters",
  "leetspeak",
]);

/**
 * Highest score of a span with no cue that it addresses the assistant (address.ts addressesAssistant),
 * or one written to a person and not to the assistant (address.ts addressesPerson).
 */
export const UNADDRESSED_CAP = 0.3;

/** Most spans a short text written to the assistant has, when judged by its opening (tool descriptions). */
const INSTRUCTION_TEXT_SPANS = 12;

/** Scores the spans of documents with one span model. */
export interface DocumentSpanScorer {
  readonly model: LinearModel;
  /** Segment, describe and score a document; `obfuscated` comes from the whole-text normalisation. */
  analyse(text: string, options?: { obfuscated?: boolean; top?: number }): DocumentAnalysis;
}

/** Build a span scorer around a span model. */
export function createDocumentSpanScorer(model: LinearModel, maxChars = 200_000): DocumentSpanScorer {
  const classifier: InjectionClassifier = createInjectionClassifier(model);
  return {
    model,
    analyse(text, options = {}) {
      const top = options.top ?? 3;
      const segmented = segmentDocument(text, maxChars);
      const inputs = toSpanInputs(text, segmented, options.obfuscated ?? false);
      const best: ScoredSpan[] = [];
      // A hidden construct (comment, hidden element, alt text) makes a text data however it reads.
      let addressing = 0;
      let hidden = false;
      for (const { span, bits } of inputs) {
        if (span.kind !== "sentence") hidden = true;
        if ((bits & ADDRESSING_BITS) !== 0) addressing++;
      }
      // One sentence has no document around it to be out of place in; a few sentences that open
      // with an action ("Create a new issue. Requires a token.") are a tool description.
      const first = inputs[0];
      const instructions =
        (segmented.genre === "prose" || segmented.genre === "markdown") &&
        !hidden &&
        !text.includes("`") &&
        first !== undefined &&
        (addressing * 2 > inputs.length ||
          (inputs.length <= INSTRUCTION_TEXT_SPANS && (inputs.length === 1 || opensWithAction(first.text))));
      const offset = model.genreBias?.[segmented.genre] ?? 0;
      for (const { span, input, bits } of inputs) {
        const p = offset === 0 ? classifier.predict(input) : sigmoid(classifier.logit(input) + offset);
        // So is a span written to a person (reviewers, customers; sign, bring) that names no assistant work.
        const capped = !addressesAssistant(bits) || addressesPerson(bits);
        const score = capped ? Math.min(p, UNADDRESSED_CAP) : p;
        if (best.length === top && score <= (best[top - 1]?.score ?? 0)) continue;
        best.push({ start: span.start, end: span.end, kind: span.kind, score });
        best.sort((a, b) => b.score - a.score);
        if (best.length > top) best.length = top;
      }
      return { genre: segmented.genre, scored: inputs.length, spans: best, instructions };
    },
  };
}
