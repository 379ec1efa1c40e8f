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
