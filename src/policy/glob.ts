/** Glob matching for policy values (model ids, registries, purls, tools), compiled once. */
import picomatch from "picomatch";

export type Matcher = (value: string) => boolean;

/**
 * `*` matches within a path segment, `**` across segments, `?` one character; matching is
 * case-sensitive except for hosts. A list matches when any glob matches.
 */
export function compileGlobs(globs: readonly string[]): Matcher {
  if (globs.length === 0) return () => false;
  if (globs.includes("*") || globs.includes("**")) return () => true;
  const special = /[*?[\]{}!()+@]/;
  const exact = new Set(globs.filter((g) => !special.test(g)));
  // `prefix*` is by far the most common glob in policies: a startsWith is ~10x cheaper than a matcher.
  const prefixes = globs
    .filter(
      (g) => g.endsWith("*") && !g.endsWith("**") && !special.test(g.slice(0, -1)) && !g.slice(0, -1).includes("/"),
    )
    .map((g) => g.slice(0, -1));
  const rest = globs
    .filter((g) => !exact.has(g) && !prefixes.includes(g.slice(0, -1)))
    .map((g) => picomatch(g, { dot: true, nonegate: true }));
  return (value) =>
    exact.has(value) ||
    prefixes.some((p) => value.startsWith(p) && !value.includes("/", p.length)) ||
    rest.some((p) => p(value));
}
