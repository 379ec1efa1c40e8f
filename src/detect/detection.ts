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
   * Upper bound on the length of any span it reports. Streaming holds back this many trailing
   * characters (plus context reach) so that an entity split across chunks is still seen whole.
   */
  readonly maxSpanLength: number;
  /** How far before or after a span the detector looks for context words. */
  readonly contextReach: number;
  detect(text: string): Detection[];
  /**
   * Optional streaming profile for detectors whose longest spans start at a known marker
   * (`-----BEGIN`, `eyJ`): hold back only `holdBack` characters, plus everything from
   * `holdFrom(text)` on, where an entity that is still incomplete may have begun. Re-scans keep
   * `lookback` characters of released text on the left. Without it, streaming holds back
   * `maxSpanLength + contextReach`.
   */
  readonly stream?: StreamProfile;
}

export interface StreamProfile {
  holdBack: number;
  lookback: number;
  /** Earliest offset where an entity still in progress at the end of `text` may start (text.length if none). */
  holdFrom(text: string): number;
}
