/**
 * The one check for regular expressions that come from users (policy recognisers, injection rule
 * packs): back-references and an unbounded quantifier applied to a group that itself contains
 * one (`(a+)+`, `(a*)*b`, `(a{1,})+`) are refused — the shapes behind catastrophic backtracking.
 * Conservative by design; write such patterns with bounded repeats instead.
 */
export function nestedQuantifierReason(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return "back-references are not allowed";
  const unboundedAt = (at: number) => {
    const c = pattern[at];
    return c === "*" || c === "+" || (c === "{" && /^\{\d+,\}/.test(pattern.slice(at)));
  };
  // One flag per open group: whether something inside it repeats without bound.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") stack.push(false);
    else if (c === ")") {
      const inner = stack.pop() ?? false;
      const outer = unboundedAt(i + 1);
      if (inner && outer) return "nested unbounded quantifiers (like (a+)+) can take exponential time";
      if (stack.length > 0 && (inner || outer)) stack[stack.length - 1] = true;
    } else if (unboundedAt(i) && stack.length > 0) {
      stack[stack.length - 1] = true;
    }
  }
  return undefined;
}

/**
 * Rewrite every unbounded quantifier (`*`, `+`, `{n,}`) into a bounded one (`{0,max}`,
 * `{1,max}`, `{n,max}`), keeping laziness, classes and escapes as they are. A pattern tried at
 * many positions must not be able to scan to the end of the text from each: `---+\s?end` tried at
 * every dash of a long run of dashes costs the square of the run's length; bounded, it costs
 * `max` per position. Matches change only where one repeat would run longer than `max`.
 */
export function boundQuantifiers(pattern: string, max: number): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      out += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      continue;
    }
    // `(*` and `(+` are syntax errors; a quantifier only follows an atom.
    if (c === "*" || c === "+") {
      out += c === "*" ? `{0,${max}}` : `{1,${max}}`;
      continue;
    }
    if (c === "{") {
      const open = /^\{(\d+),\}/.exec(pattern.slice(i, i + 16));
      if (open) {
        out += `{${open[1]},${Math.max(Number(open[1]), max)}}`;
        i += open[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}
