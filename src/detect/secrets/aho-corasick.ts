/**
 * Case-insensitive multi-keyword search (Aho-Corasick), used as the prefilter that decides which
 * secret rules run and where. Hand-written because no maintained npm package is installed that
 * does ASCII case folding over a dense automaton without per-character allocation; this one is a
 * full DFA over ASCII (one table lookup per character, no failure-link walk at scan time).
 */

/** ASCII; the scan indexes the table with `state << 7`, so this must stay 128. */
const ALPHABET = 128;

/** A compiled keyword set; `scan` reports every occurrence, overlapping ones included. */
export interface KeywordMatcher {
  readonly keywords: readonly string[];
  /** Calls `onHit(keywordIndex, end)` for each occurrence; `end` is the exclusive end offset. */
  scan(text: string, onHit: (keyword: number, end: number) => void): void;
}

function fold(code: number): number {
  return code >= 65 && code <= 90 ? code | 32 : code;
}

/** Build the automaton. Keywords must be printable ASCII; matching folds A-Z to a-z. */
export function createKeywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const goto: number[][] = [new Array<number>(ALPHABET).fill(-1)];
  const outputs: number[][] = [[]];
  for (const [index, keyword] of keywords.entries()) {
    let state = 0;
    for (const ch of keyword.toLowerCase()) {
      const code = fold(ch.charCodeAt(0));
      if (code >= ALPHABET) throw new RangeError(`keyword ${JSON.stringify(keyword)} is not ASCII`);
      const row = goto[state] as number[];
      let next = row[code] as number;
      if (next < 0) {
        next = goto.length;
        goto.push(new Array<number>(ALPHABET).fill(-1));
        outputs.push([]);
        row[code] = next;
      }
      state = next;
    }
    (outputs[state] as number[]).push(index);
  }
  const states = goto.length;
  const delta = new Int32Array(states * ALPHABET);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  const root = goto[0] as number[];
  for (let c = 0; c < ALPHABET; c++) {
    const next = root[c] as number;
    delta[c] = Math.max(next, 0);
    if (next > 0) queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const row = goto[state] as number[];
    const f = fail[state] as number;
    (outputs[state] as number[]).push(...(outputs[f] as number[]));
    for (let c = 0; c < ALPHABET; c++) {
      const next = row[c] as number;
      const viaFail = delta[f * ALPHABET + c] as number;
      if (next < 0) {
        delta[state * ALPHABET + c] = viaFail;
      } else {
        delta[state * ALPHABET + c] = next;
        fail[next] = viaFail;
        queue.push(next);
      }
    }
  }
  // Fold case into the table itself so the scan loop does one lookup per character.
  for (let state = 0; state < states; state++) {
    for (let c = 65; c <= 90; c++) delta[state * ALPHABET + c] = delta[state * ALPHABET + (c | 32)] as number;
  }
  const hits = outputs.map((list) => Int32Array.from(new Set(list)));
  const accepting = Uint8Array.from(hits, (list) => (list.length > 0 ? 1 : 0));
  return {
    keywords: [...keywords],
    scan(text, onHit) {
      let state = 0;
      const length = text.length;
      for (let i = 0; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code >= ALPHABET) {
          state = 0;
          continue;
        }
        state = delta[(state << 7) | code] as number;
        if (accepting[state] === 1) {
          for (const keyword of hits[state] as Int32Array) onHit(keyword, i + 1);
        }
      }
    },
  };
}
