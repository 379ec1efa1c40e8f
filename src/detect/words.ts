/**
 * Whole-word context lookup. Context words raise (or lower) a span's score only when they occur
 * as whole words near it: "account" must not match inside "accountant", "tel" not inside "hotel".
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased whole words of `text`. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** A set of context words and phrases, compiled once. Phrases are matched as word sequences. */
export interface ContextMatcher {
  /** The first context word or phrase found among `words`, or undefined. */
  find(words: readonly string[]): string | undefined;
}

export function createContextMatcher(terms: readonly string[]): ContextMatcher {
  const single = new Set<string>();
  const phrases: string[][] = [];
  for (const term of terms) {
    const parts = wordsOf(term);
    if (parts.length === 1 && parts[0]) single.add(parts[0]);
    else if (parts.length > 1) phrases.push(parts);
  }
  return {
    find(words) {
      for (let i = 0; i < words.length; i++) {
        const w = words[i] as string;
        if (single.has(w)) return w;
        for (const phrase of phrases) {
          if (phrase[0] === w && phrase.every((p, k) => words[i + k] === p)) return phrase.join(" ");
        }
      }
      return undefined;
    },
  };
}
