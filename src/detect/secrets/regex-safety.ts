/**
 * Static checks for ECMAScript patterns that come from rule files (shipped or user-supplied).
 *
 * No maintained checker (safe-regex2, recheck) is installed, and a rule file is untrusted input,
 * so this is a small conservative analysis of the pattern source: it rejects backreferences and
 * any repeated group (max > 1) whose body holds a variable quantifier or an alternation — the
 * shapes behind catastrophic backtracking (`(a+)+`, `(a|a)*`, `(\w+\s?){2,}`). It also computes
 * the longest string the pattern can match, which bounds the text window each regex runs on and
 * the span the detector can report. Quadratic shapes (`\d{1,99}\d{1,99}`) pass this check; the
 * bounded window and the load-time probe in `probeRegexTime` keep them cheap.
 */

/** Outcome of analysing a pattern: the longest match (Infinity when unbounded) or the reason it is refused. */
export type RegexAnalysis = { ok: true; maxLength: number } | { ok: false; reason: string };

interface Atom {
  max: number;
  /** A quantifier with min != max occurs inside (star height > 0 below this atom). */
  variable: boolean;
  alternation: boolean;
  quantifiable: boolean;
}

interface Frame {
  lookaround: boolean;
  alternatives: number[];
  seq: number;
  last: Atom | undefined;
  variable: boolean;
  alternation: boolean;
}

const newFrame = (lookaround: boolean): Frame => ({
  lookaround,
  alternatives: [],
  seq: 0,
  last: undefined,
  variable: false,
  alternation: false,
});

function commit(frame: Frame): void {
  if (!frame.last) return;
  frame.seq += frame.last.max;
  frame.variable ||= frame.last.variable;
  frame.alternation ||= frame.last.alternation;
  frame.last = undefined;
}

const single = (): Atom => ({ max: 1, variable: false, alternation: false, quantifiable: true });
const zeroWidth = (): Atom => ({ max: 0, variable: false, alternation: false, quantifiable: false });

/** Parse `{n}`, `{n,}`, `{n,m}` at `i` (pointing at `{`); returns the bounds and the index after `}`. */
function readBraces(source: string, i: number): { min: number; max: number; next: number } | undefined {
  const m = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(source.slice(i, i + 16));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
  return { min, max, next: i + m[0].length };
}

/**
 * Analyse a pattern that already compiles with the `u` flag. Conservative: some safe patterns are
 * refused, e.g. `(?:-[a-z]+){3}`; write those with fixed-width or single-character repeats.
 */
export function analyzeRegex(source: string): RegexAnalysis {
  const stack: Frame[] = [newFrame(false)];
  let i = 0;
  const top = (): Frame => stack[stack.length - 1] as Frame;
  while (i < source.length) {
    const ch = source[i] as string;
    const frame = top();
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") return { ok: false, reason: "backreferences are not allowed" };
      commit(frame);
      if (next === "b" || next === "B") {
        frame.last = zeroWidth();
        i += 2;
        continue;
      }
      frame.last = single();
      if ((next === "u" || next === "p" || next === "P") && source[i + 2] === "{") {
        const close = source.indexOf("}", i + 2);
        i = close < 0 ? source.length : close + 1;
      } else if (next === "x") {
        i += 4;
      } else if (next === "u") {
        i += 6;
      } else if (next === "c") {
        i += 3;
      } else {
        i += 2;
      }
      continue;
    }
    if (ch === "[") {
      commit(frame);
      let j = i + 1;
      if (source[j] === "^") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      frame.last = single();
      i = j + 1;
      continue;
    }
    if (ch === "(") {
      commit(frame);
      const lookaround = /^\(\?<?[=!]/.test(source.slice(i, i + 4));
      stack.push(newFrame(lookaround));
      if (source[i + 1] === "?") {
        if (source[i + 2] === "<" && source[i + 3] !== "=" && source[i + 3] !== "!") {
          const close = source.indexOf(">", i);
          i = close + 1;
        } else {
          i += lookaround ? (source[i + 2] === "<" ? 4 : 3) : 3;
        }
      } else {
        i += 1;
      }
      continue;
    }
    if (ch === ")") {
      commit(frame);
      stack.pop();
      const parent = top();
      const max = Math.max(frame.seq, ...frame.alternatives);
      parent.last = {
        max: frame.lookaround ? 0 : max,
        variable: frame.variable,
        alternation: frame.alternation,
        quantifiable: !frame.lookaround,
      };
      i += 1;
      continue;
    }
    if (ch === "|") {
      commit(frame);
      frame.alternatives.push(frame.seq);
      frame.seq = 0;
      frame.alternation = true;
      i += 1;
      continue;
    }
    if (ch === "*" || ch === "+" || ch === "?" || ch === "{") {
      const bounds =
        ch === "*"
          ? { min: 0, max: Number.POSITIVE_INFINITY, next: i + 1 }
          : ch === "+"
            ? { min: 1, max: Number.POSITIVE_INFINITY, next: i + 1 }
            : ch === "?"
              ? { min: 0, max: 1, next: i + 1 }
              : readBraces(source, i);
      if (!bounds) return { ok: false, reason: `malformed quantifier at ${i}` };
      const atom = frame.last;
      if (!atom?.quantifiable) return { ok: false, reason: `nothing to repeat at ${i}` };
      if (bounds.max > 1 && (atom.variable || atom.alternation)) {
        return {
          ok: false,
          reason: `nested quantifier at ${i}: a repeated group may not contain alternation or a variable quantifier`,
        };
      }
      atom.max = atom.max === 0 ? 0 : atom.max * bounds.max;
      atom.variable ||= bounds.min !== bounds.max;
      atom.quantifiable = false;
      i = bounds.next;
      if (source[i] === "?") i += 1;
      continue;
    }
    commit(frame);
    frame.last = ch === "^" || ch === "$" ? zeroWidth() : single();
    i += ch.length;
  }
  const root = top();
  commit(root);
  if (stack.length !== 1) return { ok: false, reason: "unbalanced parentheses" };
  return { ok: true, maxLength: Math.max(root.seq, ...root.alternatives) };
}

/** Inputs that make backtracking engines struggle on common secret patterns. */
export function hostileInputs(length: number): string[] {
  const repeat = (unit: string): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return [
    repeat("7"),
    repeat("a=a"),
    repeat("a="),
    repeat("A"),
    repeat("aB3+/"),
    repeat("-_"),
    repeat(" = "),
    repeat("\"'"),
    repeat("password="),
    repeat("key:"),
    `-----BEGIN RSA PRIVATE KEY-----\n${repeat("QUJD\n")}`,
    repeat("-----BEGIN PRIVATE KEY-----\n"),
    repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo"),
    repeat("123456789:AA"),
    repeat("hf_ghp_xoxb-"),
    repeat("password: "),
    repeat("eyJhbGci."),
    repeat("sk-"),
    repeat("://a:b@"),
  ];
}

/** Longest time, in ms, a regex took over the hostile inputs of `length` characters. */
export function probeRegexTime(regex: RegExp, length: number): number {
  let worst = 0;
  for (const input of hostileInputs(length)) {
    const re = new RegExp(regex.source, regex.flags.includes("g") ? regex.flags : `${regex.flags}g`);
    const started = performance.now();
    let count = 0;
    for (let m = re.exec(input); m !== null && count < 10_000; m = re.exec(input)) {
      count++;
      if (m[0].length === 0) re.lastIndex++;
    }
    worst = Math.max(worst, performance.now() - started);
  }
  return worst;
}

/** Index after the group opening at `open` (a `(`), or the source length when unbalanced. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      i++;
    } else if (ch === "[") {
      i = classEnd(source, i) - 1;
    } else if (ch === "(") {
      depth++;
    } else if (ch === ")" && --depth === 0) {
      return i + 1;
    }
  }
  return source.length;
}

/** Index after the character class opening at `open` (a `[`). */
function classEnd(source: string, open: number): number {
  let j = open + 1;
  if (source[j] === "^") j++;
  if (source[j] === "]") j++;
  while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
  return j + 1;
}

/**
 * ASCII literals of at least `minLength` characters that every match of the pattern contains:
 * runs of plain characters at the top level of the pattern (groups, classes and alternatives are
 * not looked into, so this is sound and may miss some). Case is kept; callers that look for them
 * case-insensitively stay sound. Empty when the top level has alternatives.
 */
export function requiredLiterals(source: string, minLength = 4): string[] {
  const found: string[] = [];
  let run = "";
  const flush = () => {
    if (run.length >= minLength) found.push(run);
    run = "";
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    let literal: string | undefined;
    let next = i + 1;
    if (ch === "|") return [];
    if (ch === "\\") {
      const escaped = source[i + 1] ?? "";
      if (/[A-Za-z0-9]/.test(escaped)) {
        // A class (\d, \s), an assertion (\b) or a code (\x41, \u{...}, \p{L}): not a plain character.
        next = i + 2;
        if (escaped === "x") next = i + 4;
        else if ((escaped === "u" || escaped === "p" || escaped === "P") && source[i + 2] === "{")
          next = source.indexOf("}", i) + 1 || source.length;
        else if (escaped === "u") next = i + 6;
        else if (escaped === "c") next = i + 3;
      } else {
        literal = escaped;
        next = i + 2;
      }
    } else if (ch === "[") {
      next = classEnd(source, i);
    } else if (ch === "(") {
      next = groupEnd(source, i);
    } else if (!".^$".includes(ch)) {
      literal = ch;
    }
    // What follows the atom: a quantifier makes it optional (min 0) or ends the run (min >= 1).
    const quantifier = /^(?:[*+?]|\{(\d+)(?:,\d*)?\})\??/.exec(source.slice(next, next + 16));
    const optional =
      quantifier !== null && (quantifier[0][0] === "*" || quantifier[0][0] === "?" || quantifier[1] === "0");
    if (literal !== undefined && literal.charCodeAt(0) < 128 && !optional) {
      run += literal;
      if (quantifier) flush();
    } else {
      flush();
    }
    i = next + (quantifier ? quantifier[0].length : 0);
  }
  flush();
  return found;
}
