/**
 * Line and column of a span offset, so a person can jump to a finding (`file:line:col`).
 * Detections carry UTF-16 offsets; editors and compilers count lines from 1 and columns from 1
 * in characters, so a character outside the BMP (an emoji) is one column, not two.
 */

export interface TextPosition {
  /** 1-based line; lines end at `\n` (a `\r` before it belongs to the line it ends). */
  line: number;
  /** 1-based column, in Unicode code points from the start of the line. */
  column: number;
}

/** Positions of offsets in one text; built once (O(n)), then each lookup is a binary search. */
export interface LineIndex {
  /** Where the UTF-16 `offset` (0..text.length) is; offsets past the end clamp to the end. */
  positionOf(offset: number): TextPosition;
}

export function createLineIndex(text: string): LineIndex {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  return {
    positionOf(offset) {
      const at = Math.max(0, Math.min(offset, text.length));
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((lineStarts[mid] ?? 0) <= at) low = mid;
        else high = mid - 1;
      }
      const start = lineStarts[low] ?? 0;
      let column = 1;
      for (let i = start; i < at; i++) {
        const code = text.charCodeAt(i);
        // A high surrogate followed by a low one is one character: skip the pair's second half.
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < at) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++;
        }
        column++;
      }
      return { line: low + 1, column };
    },
  };
}
