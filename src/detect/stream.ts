/**
 * Incremental detection over streamed text. Text is released only once no later chunk can turn
 * any of it into (part of) an entity or change a released span's context. What that takes comes
 * from the detector's stream profile: `holdFrom` names the earliest offset whose analysis may
 * still change (a trailing word, a trailing run of digits, an unfinished PEM block, a candidate
 * whose context window is not complete yet), so ordinary prose flows with a few characters of
 * delay instead of a fixed window. The release point never cuts through a span, and re-scans keep
 * enough already-released text on the left that spans near the cut match the whole-text run.
 * The result for any chunking equals the result on the whole text (property-tested).
 */
import type { Detection, StreamProfile, TextDetector } from "./detection.js";

/** A piece of released text and the spans inside it (offsets relative to `text`). */
export interface StreamSegment {
  /** Offset of `text` in the whole stream. */
  offset: number;
  text: string;
  detections: Detection[];
}

export interface IncrementalDetector {
  /**
   * Add a chunk; `defer` only buffers it (no scan, nothing released): a caller with more chunks
   * already in hand scans once after the last of them.
   */
  push(chunk: string, options?: { defer?: boolean }): StreamSegment | undefined;
  /** The stream ended: release everything held back. */
  end(): StreamSegment | undefined;
  /** Characters received but not yet released. */
  readonly pending: number;
}

export interface IncrementalOptions {
  /**
   * Re-scan only after this many new characters (default 64). Bigger batches cost less CPU but
   * add up to this many characters of delay on top of what the detector holds back.
   */
  minScanChars?: number;
}

/**
 * The stream profile a detector without one gets: hold back a fixed window of its longest span
 * plus context reach, as every detector did before profiles existed.
 */
export function fixedWindowProfile(detector: Pick<TextDetector, "maxSpanLength" | "contextReach">): StreamProfile {
  const holdBack = detector.maxSpanLength + detector.contextReach;
  return {
    holdBack,
    lookback: 4 * detector.maxSpanLength + detector.contextReach,
    holdFrom: (text) => Math.max(0, text.length - holdBack),
  };
}

/**
 * Move a hold point left until no span crosses it: the start of any span that begins before
 * `at` and ends after it, repeatedly. Used on final spans before release and on candidates
 * inside profiles, where a span crossing the cut could still be displaced by one not seen yet.
 * A profile passes `floor` (its text's length minus its holdBack: text before that is final
 * whatever follows), where a chain of overlapping candidates stops.
 *
 * One sweep over the spans by end, latest first: the hold only moves left, so a span that ends at
 * or before the hold when its turn comes never crosses it later, and neither does any after it.
 * Linear after the sort, however long the chain (a fixpoint over the list is quadratic in it).
 */
export function holdBefore(spans: readonly Pick<Detection, "start" | "end">[], at: number, floor = 0): number {
  let hold = at;
  if (hold <= floor) return hold;
  const crossing = spans.filter((s) => s.start < hold && s.end > floor).sort((a, b) => b.end - a.end);
  for (const s of crossing) {
    if (s.end <= hold) break;
    if (s.start < hold) hold = s.start;
    if (hold <= floor) return floor;
  }
  return hold;
}

/** Scan on every chunk until the first release, while the stream has at most this many characters. */
const EAGER_CHARS = 256;

export function createIncrementalDetector(
  detector: TextDetector,
  options: IncrementalOptions = {},
): IncrementalDetector {
  const profile = detector.stream ?? fixedWindowProfile(detector);
  // Left context kept after release: spans near the re-scan's left edge may be partial and
  // spurious; this margin keeps them (and anything they overlap) away from unreleased text.
  const { holdBack, lookback } = profile;
  const minScan = options.minScanChars ?? 64;
  let buffer = "";
  let bufferStart = 0; // stream offset of buffer[0]
  let released = 0; // stream offset up to which text was released
  let unscanned = 0;

  function release(all: boolean): StreamSegment | undefined {
    const from = released - bufferStart;
    const spans = detector.detect(buffer);
    let safe = buffer.length;
    if (!all) {
      // holdBack caps the hold: text that far back is final for the detector whatever follows.
      safe = Math.max(Math.min(profile.holdFrom(buffer), buffer.length), buffer.length - holdBack, 0);
      safe = holdBefore(spans, safe);
    }
    if (safe <= from) return undefined;
    const segment: StreamSegment = {
      offset: released,
      text: buffer.slice(from, safe),
      detections: spans
        .filter((s) => s.start >= from && s.end <= safe)
        .map((s) => ({ ...s, start: s.start - from, end: s.end - from })),
    };
    released = bufferStart + safe;
    const keepFrom = Math.max(0, safe - lookback);
    buffer = buffer.slice(keepFrom);
    bufferStart += keepFrom;
    return segment;
  }

  return {
    push(chunk, options) {
      if (chunk.length === 0 && !options?.defer && unscanned === 0) return undefined;
      buffer += chunk;
      unscanned += chunk.length;
      if (options?.defer) return undefined;
      // Until the first release, every chunk is scanned (while the buffer is short): the
      // first words reach the reader without waiting for minScan characters to pile up.
      const eager = released === 0 && buffer.length <= EAGER_CHARS;
      if (unscanned < minScan && !eager) return undefined;
      unscanned = 0;
      return release(false);
    },
    end() {
      unscanned = 0;
      return release(true);
    },
    get pending() {
      return bufferStart + buffer.length - released;
    },
  };
}

/** Streaming redaction: push chunks, get back redacted text that is safe to forward. */
export interface StreamingRedactor {
  push(chunk: string): string;
  end(): string;
  /** Every span redacted so far, with stream offsets. */
  readonly detections: readonly Detection[];
}

export function createStreamingRedactor(
  detector: TextDetector,
  redactSegment: (text: string, detections: readonly Detection[]) => string,
  options: IncrementalOptions = {},
): StreamingRedactor {
  const incremental = createIncrementalDetector(detector, options);
  const seen: Detection[] = [];
  const render = (segment: StreamSegment | undefined) => {
    if (!segment) return "";
    for (const d of segment.detections)
      seen.push({ ...d, start: d.start + segment.offset, end: d.end + segment.offset });
    return redactSegment(segment.text, segment.detections);
  };
  return {
    push: (chunk) => render(incremental.push(chunk)),
    end: () => render(incremental.end()),
    detections: seen,
  };
}

/**
 * Restores pseudonyms (`<PERSON_1>`) in a streamed answer. A token split across chunks
 * (`<PERS` + `ON_1>`) is held back until it is complete, at most `maxTokenLength` characters.
 */
export function createStreamingRestorer(restore: (text: string) => string, maxTokenLength: () => number) {
  let held = "";
  return {
    push(chunk: string): string {
      const text = held + chunk;
      const open = text.lastIndexOf("<");
      if (open >= 0 && !text.includes(">", open) && text.length - open <= maxTokenLength()) {
        held = text.slice(open);
        return restore(text.slice(0, open));
      }
      held = "";
      return restore(text);
    },
    end(): string {
      const rest = held;
      held = "";
      return restore(rest);
    },
  };
}
