/**
 * Incremental detection over streamed text. Text is released only once no later chunk can turn
 * any of it into (part of) an entity or change a released span's context: the detector holds
 * back `maxSpanLength + contextReach` characters, never cuts through a span, and re-scans with
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
  push(chunk: string): StreamSegment | undefined;
  /** The stream ended: release everything held back. */
  end(): StreamSegment | undefined;
  /** Characters received but not yet released. */
  readonly pending: number;
}

export interface IncrementalOptions {
  /** Re-scan only after this many new characters (default 64); bigger batches cost less CPU. */
  minScanChars?: number;
}

export function createIncrementalDetector(
  detector: TextDetector,
  options: IncrementalOptions = {},
): IncrementalDetector {
  const holdBack = detector.stream?.holdBack ?? detector.maxSpanLength + detector.contextReach;
  // Left context kept after release: spans near the re-scan's left edge may be partial and
  // spurious; this margin keeps them (and anything they overlap) away from unreleased text.
  const lookback = detector.stream?.lookback ?? 4 * detector.maxSpanLength + detector.contextReach;
  const holdFrom = detector.stream ? (text: string) => (detector.stream as StreamProfile).holdFrom(text) : undefined;
  const minScan = options.minScanChars ?? 64;
  let buffer = "";
  let bufferStart = 0; // stream offset of buffer[0]
  let released = 0; // stream offset up to which text was released
  let unscanned = 0;

  function release(all: boolean): StreamSegment | undefined {
    const from = released - bufferStart;
    const spans = detector.detect(buffer);
    let safe = all ? buffer.length : buffer.length - holdBack;
    if (!all && holdFrom) safe = Math.min(safe, holdFrom(buffer));
    if (!all) {
      for (const s of spans) if (s.start < safe && s.end > safe) safe = Math.min(safe, s.start);
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
    push(chunk) {
      if (chunk.length === 0) return undefined;
      buffer += chunk;
      unscanned += chunk.length;
      if (unscanned < minScan || buffer.length - (released - bufferStart) <= holdBack) return undefined;
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
