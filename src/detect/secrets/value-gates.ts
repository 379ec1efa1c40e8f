/**
 * Gates a matched value must pass before it is reported: placeholder markers, stopwords,
 * allowlist patterns and Shannon entropy. Weak patterns (generic `password=`) lean on these to
 * keep false positives down.
 */

/** Shannon entropy of `value` in bits per character (0 for the empty string). */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Shapes that mark a value as a placeholder or an indirection rather than a secret: template
 * slots (`${VAR}`, `{{ var }}`, `<your-key>`, `%(name)s`), masks (`xxxx`, `***`, `...`), lookups
 * of the real secret elsewhere (`os.environ[...]`, `process.env.X`, `getenv(...)`), documentation
 * words (`example`, `dummy`, `changeme`) and keyboard runs (`1234567`, `abcdefg`). A random token
 * contains one of these by chance with negligible probability, so they apply to every rule.
 */
const PLACEHOLDER_MARKERS: readonly RegExp[] = [
  /x{4}/i,
  /\*{3}/,
  /\.{3}|\u2026/,
  /^<[^<>]{0,64}>$/,
  /<your|<insert|<replace|<secret|<token|<password|<api/i,
  /\$\{|\{\{|\{%|%\(|^\$[A-Za-z_(]|^%[A-Za-z_]{1,64}%$/,
  /os\.environ|os\.getenv|process\.env|getenv\(|\benv\(|\benv\[|\bENV\[|System\.getenv|secrets\./i,
  /^(.)\1{3,}$/,
  /example|dummy|placeholder|redacted|changeme|change_me/i,
  /0123456|1234567|2345678|3456789|abcdefg|bcdefgh/i,
];

/** True when the value looks like a placeholder or a reference to a secret stored elsewhere. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_MARKERS.some((marker) => marker.test(value));
}

/** A stopword (case-insensitive substring) that the value contains, if any. */
export function findStopword(value: string, stopwords: readonly string[]): string | undefined {
  if (stopwords.length === 0) return undefined;
  const lower = value.toLowerCase();
  return stopwords.find((word) => lower.includes(word));
}
