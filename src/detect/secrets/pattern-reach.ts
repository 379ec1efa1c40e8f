/**
 * What streaming needs to know about a secret rule's pattern: whether a match attempt at some
 * position could still turn out differently once more text arrives. An attempt whose every path
 * fails or finishes (lookaheads included) before the end of the text reads nothing past it, so
 * appending text cannot change it; only attempts with a path that runs into the end of the text
 * are still open. `toReachEnd` rewrites a pattern into one that matches exactly there.
 *
 * The parser covers the ECMAScript syntax secret rules may use with the `u` flag (rules are
 * already refused for backreferences by regex-safety.ts): alternation, groups (capturing, named,
 * non-capturing), lookarounds, greedy and lazy quantifiers, escapes, classes, `.`, `^`, `$`.
 */

/** A parsed pattern. Groups lose their names and capture: nothing here reads captures. */
export type PatternNode =
  | { type: "alt"; options: PatternNode[] }
  | { type: "seq"; items: PatternNode[] }
  /** One character: a literal, an escape, a class or `.`; `literal` is set for a plain character. */
  | { type: "char"; source: string; literal?: string }
  | { type: "assert"; source: "^" | "$" | "\\b" | "\\B" }
  | { type: "group"; body: PatternNode }
  | { type: "look"; ahead: boolean; negative: boolean; body: PatternNode }
  | { type: "repeat"; body: PatternNode; min: number; max: number; lazy: boolean };

/** Parse a pattern source (one that compiles with the `u` flag). Throws on syntax it does not cover. */
export function parsePattern(source: string): PatternNode {
  let i = 0;

  function alternation(): PatternNode {
    const options = [sequence()];
    while (source[i] === "|") {
      i++;
      options.push(sequence());
    }
    return options.length === 1 ? (options[0] as PatternNode) : { type: "alt", options };
  }

  function sequence(): PatternNode {
    const items: PatternNode[] = [];
    while (i < source.length && source[i] !== "|" && source[i] !== ")") {
      const atom = term();
      items.push(quantified(atom));
    }
    return items.length === 1 ? (items[0] as PatternNode) : { type: "seq", items };
  }

  function quantified(atom: PatternNode): PatternNode {
    const ch = source[i];
    let bounds: { min: number; max: number } | undefined;
    if (ch === "*") bounds = { min: 0, max: Number.POSITIVE_INFINITY };
    else if (ch === "+") bounds = { min: 1, max: Number.POSITIVE_INFINITY };
    else if (ch === "?") bounds = { min: 0, max: 1 };
    if (bounds) {
      i++;
    } else if (ch === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) throw new SyntaxError(`malformed quantifier at ${i}`);
      const min = Number(m[1]);
      bounds = { min, max: m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]) };
      i += m[0].length;
    } else {
      return atom;
    }
    const lazy = source[i] === "?";
    if (lazy) i++;
    return { type: "repeat", body: atom, min: bounds.min, max: bounds.max, lazy };
  }

  function term(): PatternNode {
    const ch = source[i] as string;
    if (ch === "(") return group();
    if (ch === "[") return charClass();
    if (ch === "\\") return escaped();
    if (ch === "^" || ch === "$") {
      i++;
      return { type: "assert", source: ch };
    }
    if (ch === ".") {
      i++;
      return { type: "char", source: "." };
    }
    if ("*+?{}]".includes(ch)) throw new SyntaxError(`unexpected ${ch} at ${i}`);
    const code = source.codePointAt(i) as number;
    const text = String.fromCodePoint(code);
    i += text.length;
    return { type: "char", source: text, literal: text };
  }

  function group(): PatternNode {
    const head = /^\((\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(source.slice(i))?.[1] ?? "";
    i += 1 + head.length;
    const body = alternation();
    if (source[i] !== ")") throw new SyntaxError(`unbalanced parenthesis at ${i}`);
    i++;
    if (head === "?=" || head === "?!") return { type: "look", ahead: true, negative: head === "?!", body };
    if (head === "?<=" || head === "?<!") return { type: "look", ahead: false, negative: head === "?<!", body };
    return { type: "group", body };
  }

  function charClass(): PatternNode {
    const start = i;
    i++;
    if (source[i] === "^") i++;
    // A `]` right after `[` or `[^` is a syntax error with the `u` flag, so the first `]` closes.
    while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
    if (i >= source.length) throw new SyntaxError(`unterminated class at ${start}`);
    i++;
    return { type: "char", source: source.slice(start, i) };
  }

  function escaped(): PatternNode {
    const start = i;
    const next = source[i + 1] ?? "";
    if (next === "b" || next === "B") {
      i += 2;
      return { type: "assert", source: next === "b" ? "\\b" : "\\B" };
    }
    if (/[1-9k]/.test(next)) throw new SyntaxError(`backreference at ${i}`);
    if ((next === "p" || next === "P" || next === "u") && source[i + 2] === "{") {
      i = source.indexOf("}", i) + 1;
    } else if (next === "u") {
      i += 6;
    } else if (next === "x") {
      i += 4;
    } else if (next === "c") {
      i += 3;
    } else {
      i += 2;
    }
    const text = source.slice(start, i);
    // `\.` and friends stand for the character itself; `\d`, `\n`, `\u0041` are left as classes.
    const literal = /^\\[^\w]$/u.test(text) ? text.slice(1) : undefined;
    return literal === undefined ? { type: "char", source: text } : { type: "char", source: text, literal };
  }

  const root = alternation();
  if (i !== source.length) throw new SyntaxError(`unbalanced parenthesis at ${i}`);
  return root;
}

/** Regenerate a node's source: same language, every group non-capturing. */
export function toSource(node: PatternNode): string {
  switch (node.type) {
    case "char":
    case "assert":
      return node.source;
    case "group":
      return `(?:${toSource(node.body)})`;
    case "look":
      return `(?${node.ahead ? "" : "<"}${node.negative ? "!" : "="}${toSource(node.body)})`;
    case "repeat": {
      const max = node.max === Number.POSITIVE_INFINITY ? "" : String(node.max);
      const bounds = node.min === node.max ? `{${node.min}}` : `{${node.min},${max}}`;
      return `${atomic(toSource(node.body), node.body)}${bounds}${node.lazy ? "?" : ""}`;
    }
    case "seq":
      return node.items.map((item) => (item.type === "alt" ? `(?:${toSource(item)})` : toSource(item))).join("");
    case "alt":
      return node.options.map(toSource).join("|");
  }
}

function atomic(source: string, node: PatternNode): string {
  return node.type === "char" || node.type === "group" ? source : `(?:${source})`;
}

/**
 * A pattern that matches at a position exactly when some path of `node`, started there, reads
 * the end of the text: it needs a character the text does not have yet, tests `$` or `\b` at
 * the end, or runs a lookahead that does. Undefined when no path can (the node never reads ahead
 * of what it consumes, e.g. a lookbehind or `^`).
 */
export function toReachEnd(node: PatternNode): string | undefined {
  switch (node.type) {
    case "char":
      return "$";
    case "assert":
      return node.source === "^" ? undefined : "$";
    case "group":
      return toReachEnd(node.body);
    case "look": {
      if (!node.ahead) return undefined;
      const inner = toReachEnd(node.body);
      return inner === undefined ? undefined : `(?=${inner})`;
    }
    case "repeat": {
      const inner = toReachEnd(node.body);
      if (inner === undefined || node.max === 0) return undefined;
      // Some whole iterations (fewer than max), then one that reaches the end.
      const before = node.max === 1 ? "" : `${atomic(toSource(node.body), node.body)}${repeatBounds(node.max - 1)}`;
      return `${before}(?:${inner})`;
    }
    case "seq": {
      // E(a b c) = E(a) | a (E(b) | b E(c)), built from the end.
      let rest: string | undefined;
      for (let k = node.items.length - 1; k >= 0; k--) {
        const item = node.items[k] as PatternNode;
        const own = toReachEnd(item);
        const through =
          rest === undefined
            ? undefined
            : `${item.type === "alt" ? `(?:${toSource(item)})` : toSource(item)}(?:${rest})`;
        rest = own === undefined ? through : through === undefined ? own : `${own}|${through}`;
      }
      return rest;
    }
    case "alt": {
      const options = node.options.map(toReachEnd).filter((s): s is string => s !== undefined);
      return options.length === 0 ? undefined : options.join("|");
    }
  }
}

function repeatBounds(max: number): string {
  return max === Number.POSITIVE_INFINITY ? "*" : `{0,${max}}`;
}

/** How far past its start a node reads when it matches: the characters it consumes plus lookahead. */
export function readExtent(node: PatternNode): number {
  return extent(node).reach;
}

function extent(node: PatternNode): { width: number; reach: number } {
  switch (node.type) {
    case "char":
      return { width: 1, reach: 1 };
    case "assert":
      return { width: 0, reach: node.source === "^" ? 0 : 1 };
    case "group":
      return extent(node.body);
    case "look":
      return { width: 0, reach: node.ahead ? extent(node.body).reach : 0 };
    case "repeat": {
      const body = extent(node.body);
      if (node.max === 0) return { width: 0, reach: 0 };
      return {
        width: body.width * node.max,
        reach: (node.max - 1) * body.width + Math.max(body.reach, body.width),
      };
    }
    case "seq": {
      let width = 0;
      let reach = 0;
      for (const item of node.items) {
        const e = extent(item);
        reach = Math.max(reach, width + e.reach);
        width += e.width;
      }
      return { width, reach: Math.max(reach, width) };
    }
    case "alt": {
      const all = node.options.map(extent);
      return { width: Math.max(...all.map((e) => e.width)), reach: Math.max(...all.map((e) => e.reach)) };
    }
  }
}

/**
 * The literal texts every match starts with, one per way the pattern can begin (lower-cased when
 * `ignoreCase`), or undefined when some path starts with a class or the list grows too long.
 * Zero-width assertions at the start are skipped.
 */
export function leadingLiterals(node: PatternNode, ignoreCase: boolean): string[] | undefined {
  const result = literals(node);
  if (!result || result.strings.some((s) => s === "")) return undefined;
  return result.strings.map((s) => (ignoreCase ? s.toLowerCase() : s));
}

const MAX_LITERALS = 64;

function literals(node: PatternNode): { strings: string[]; complete: boolean } | undefined {
  switch (node.type) {
    case "char":
      return node.literal === undefined
        ? { strings: [""], complete: false }
        : { strings: [node.literal], complete: true };
    case "assert":
    case "look":
      return { strings: [""], complete: true };
    case "group":
      return literals(node.body);
    case "repeat": {
      const body = literals(node.body);
      if (!body) return undefined;
      // `(?:jdbc:)?`: either nothing or the body, and what follows continues both.
      if (node.min === 0 && node.max === 1 && body.complete) return { strings: ["", ...body.strings], complete: true };
      if (node.min === 0) return { strings: [""], complete: false };
      return { strings: body.strings, complete: body.complete && node.min === 1 && node.max === 1 };
    }
    case "seq": {
      let acc = [""];
      for (const item of node.items) {
        const next = literals(item);
        if (!next) return undefined;
        acc = acc.flatMap((a) => next.strings.map((b) => a + b));
        if (acc.length > MAX_LITERALS) return undefined;
        if (!next.complete) return { strings: acc, complete: false };
      }
      return { strings: acc, complete: true };
    }
    case "alt": {
      const all = node.options.map(literals);
      if (all.some((r) => r === undefined)) return undefined;
      const strings = all.flatMap((r) => r?.strings ?? []);
      if (strings.length > MAX_LITERALS) return undefined;
      return { strings, complete: all.every((r) => r?.complete) };
    }
  }
}

/**
 * A pattern `prefix gap suffix` whose one top-level lazy quantifier `gap` is what makes its
 * matches long (a PEM body `[\s\S]{40,8000}?` between the BEGIN and END lines), split there.
 * Such a match is final once its prefix is the first way the prefix matches, the text extends
 * `prefixReach` past its start and `suffixReach` past its end: every path the engine would have
 * preferred either fails inside the prefix or tries the suffix at an earlier position.
 * Undefined for other shapes.
 */
export interface LazyDelimited {
  prefix: PatternNode;
  rest: PatternNode;
  prefixReach: number;
  suffixReach: number;
}

export function lazyDelimiters(node: PatternNode): LazyDelimited | undefined {
  const items = node.type === "seq" ? node.items : [node];
  const lazy = items.flatMap((item, k) => (item.type === "repeat" && item.lazy ? [k] : []));
  if (lazy.length !== 1) return undefined;
  const at = lazy[0] as number;
  if (items.some((item, k) => k !== at && hasLazy(item))) return undefined;
  const prefix: PatternNode = { type: "seq", items: items.slice(0, at) };
  const suffix: PatternNode = { type: "seq", items: items.slice(at + 1) };
  return {
    prefix,
    rest: { type: "seq", items: items.slice(at) },
    prefixReach: readExtent(prefix),
    suffixReach: readExtent(suffix),
  };
}

function hasLazy(node: PatternNode): boolean {
  switch (node.type) {
    case "repeat":
      return node.lazy || hasLazy(node.body);
    case "group":
    case "look":
      return hasLazy(node.body);
    case "seq":
      return node.items.some(hasLazy);
    case "alt":
      return node.options.some(hasLazy);
    default:
      return false;
  }
}
