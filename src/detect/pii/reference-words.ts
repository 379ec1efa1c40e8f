/**
 * Words that name a reference number (order, invoice, parcel, serial, part, meter…, and "Nr.",
 * "n°"), in six languages, read from rules/pii/reference-words.txt. Near a phone or card candidate
 * that has no phone or card word beside it, one of them means the digits are a reference, not a
 * phone or a card: "Die Seriennummer lautet 9708-8349-489", "Il pacco 38886142055241".
 */
import { readFileSync } from "node:fs";

/** Finds the first reference word among a context window's lower-case words. */
export interface ReferenceWords {
  find(words: readonly string[], exceptWords: ReadonlySet<string>): string | undefined;
}

/** Parses the rules file's text: words, and `*suffix` lines for compounds. */
export function toReferenceWords(source: string): ReferenceWords {
  const words = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of source.split("\n")) {
    const line = raw.trim().toLowerCase();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) suffixes.push(line.slice(1));
    else words.add(line);
  }
  return {
    find(candidates, exceptWords) {
      for (const w of candidates) {
        if (exceptWords.has(w)) continue;
        if (words.has(w)) return w;
        // "Seriennummer", "ordernummer": a compound ending in the suffix, longer than it.
        for (const suffix of suffixes) if (w.length > suffix.length + 2 && w.endsWith(suffix)) return w;
      }
      return undefined;
    },
  };
}

let cached: ReferenceWords | undefined;

/** The shipped reference words, read once per process. */
export function loadReferenceWords(): ReferenceWords {
  cached ??= toReferenceWords(readFileSync(new URL("../../../rules/pii/reference-words.txt", import.meta.url), "utf8"));
  return cached;
}
