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

/**
 * Positions of offsets in one text. Built in one pass over the text (O(n)); each lookup is then
 * two binary searches (O(log n)) and never walks the text, so thousands of findings on one long
 * line (minified JSON, a log without newlines) cost no more than on many short ones.
 */
export interface LineIndex {
  /** Where the UTF-16 `offset` (0..text.length) is; offsets past the end clamp to the end. */
  positionOf(offset: number): TextPosition;
}

export function createLineIndex(text: string): LineIndex {
  const lineStarts = [0];
  // Offsets of the second half (low surrogate) of every surrogate pair, ascending. A character
  // made of a pair counts as one column, so a column is the UTF-16 distance from the line start
  // minus the pairs that end inside it.
  const pairEnds: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) lineStarts.push(i + 1);
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) pairEnds.push(++i);
    }
  }
  return {
    positionOf(offset) {
      const at = Math.max(0, Math.min(offset, text.length));
      const line = countAtMost(lineStarts, at) - 1;
      const start = lineStarts[line] ?? 0;
      // Pairs whose both halves lie in [start, at): their low half is in (start, at).
      const pairs = countBelow(pairEnds, at) - countBelow(pairEnds, start + 1);
      return { line: line + 1, column: at - start - pairs + 1 };
    },
  };
}

/** How many entries of the ascending `sorted` are below `value`. */
function countBelow(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** How many entries of the ascending `sorted` are at most `value`. */
function countAtMost(sorted: readonly number[], value: number): number {
  return countBelow(sorted, value + 1);
}
