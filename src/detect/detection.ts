/**
 * What every text detector returns: typed spans over the input. PII recognisers, secret rules
 * and anything users add speak this one shape, so redaction and streaming work for all of them.
 */

/** Which family of detector produced a span. */
export const DETECTOR_KINDS = ["pii", "secrets"] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];

/** One detected entity. Offsets are UTF-16 code unit indexes into the text that was scanned. */
export interface Detection {
  /** Entity type, e.g. `CREDIT_CARD` (Presidio's names for PII) or `OPENAI_API_KEY`. */
  entity: string;
  start: number;
  /** Exclusive end offset. */
  end: number;
  /** Confidence in [0, 1] after validators and context. */
  score: number;
  detector: DetectorKind;
  /** The recogniser or rule that produced the span, e.g. `credit-card` or `openai-project-key`. */
  ruleId: string;
  /** Why the score is what it is, e.g. `luhn-valid`, `context:account`. */
  reasons: string[];
}

/** A detector over plain text. Pure: no I/O, same input gives same output. */
export interface TextDetector {
  readonly kind: DetectorKind;
  /**
   * Upper bound on the length of any span it reports. Without a stream profile, streaming holds
   * back this many trailing characters (plus context reach) so that an entity split across
   * chunks is still seen whole.
   */
  readonly maxSpanLength: number;
  /** How far before or after a span the detector looks for context words. */
  readonly contextReach: number;
  detect(text: string): Detection[];
  /**
   * How to stream this detector with little delay: instead of a fixed window, hold back only
   * from where an entity may still be in progress. Without it, streaming holds back
   * `maxSpanLength + contextReach` characters.
   */
  readonly stream?: StreamProfile;
}

/**
 * What incremental detection needs from a detector (see stream.ts). The contract is about
 * `detect` on a text and on that text with anything appended: the spans it reports that start
 * before `holdFrom(text)` are the same (offsets, scores, reasons) whatever is appended. Such a
 * final span may still cross that offset; the caller then releases only up to its start.
 */
export interface StreamProfile {
  /**
   * Hard cap on characters held back: whatever `holdFrom` says, text this far before the end is
   * released. It must be at least as far as anything one span depends on can reach back from
   * the end of the text (its length, lookahead and context after it).
   */
  holdBack: number;
  /** Characters of already released text kept on the left when re-scanning. */
  lookback: number;
  /**
   * Earliest offset of `text` from which its spans may still change when text is appended
   * (text.length if none): where a match may still be in progress or still being decided, e.g.
   * a trailing word, a trailing run of digits and separators, an unfinished PEM block, or a
   * candidate (reported or not) whose context window after it is not complete yet.
   */
  holdFrom(text: string): number;
}
