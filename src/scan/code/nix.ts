/**
 * A tolerant reader of Nix (https://nix.dev/manual/nix/stable/language/) for config scanning: the
 * data a NixOS or home-manager module spells out — attribute sets (dotted attribute paths merged,
 * `rec`), lists, strings (`"..."` and `''...''`), numbers and literals — with `let` bindings
 * resolved where a plain name refers to one, `+` joining strings, `//` merging sets and `++` joining
 * lists. A function's argument pattern (`{ lib, pkgs, ... }:`), `with e;` and `assert e;` are
 * stepped over; `lib.mkIf c { ... }`, `lib.mkDefault "x"` and other calls read as their last
 * argument when it is data, `lib.mkMerge [ a b ]` as its sets merged, and every other expression
 * (`lib.getExe pkgs.x`, `config.foo`) is kept as its source text in `${...}`. Nothing is evaluated.
 * One pass over the tokens, bounded in tokens and depth; text that is not Nix throws a plain Error.
 */
import type { JsonnetNode } from "./jsonnet.js";

/** A read value, its offset, and its members (for finding a path's line), as the Jsonnet reader gives. */
export type NixNode = JsonnetNode;

const MAX_DEPTH = 64;
const MAX_TOKENS = 200_000;

type TokenKind = "string" | "number" | "ident" | "path" | "punct" | "eof";
interface Token {
  kind: TokenKind;
  text: string;
  /** The value of a string token, interpolations kept as `${source}`. */
  value?: string;
  start: number;
  end: number;
}

const OPERATORS = ["...", "//", "++", "==", "!=", "<=", ">=", "&&", "||", "->", "${"];
const PUNCT = /[{}[\]():;=.,@?+\-*/<>!]/;
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_'-]/;
const PATH_PART = /[A-Za-z0-9._+\-/]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  /**
   * The end of a `${...}` starting at `i` (just past `${`): braces counted, strings inside stepped
   * over, so one pass reads each character once.
   */
  const skipInterpolation = (from: number, depth: number): number => {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    let j = from;
    let braces = 1;
    while (j < text.length) {
      const c = text[j];
      if (c === '"') j = readString(j, depth + 1).end;
      else if (c === "'" && text[j + 1] === "'") j = readIndented(j, depth + 1).end;
      else if (c === "#") {
        const nl = text.indexOf("\n", j);
        j = nl < 0 ? text.length : nl;
      } else {
        if (c === "{") braces += 1;
        else if (c === "}" && --braces === 0) return j + 1;
        j += 1;
      }
    }
    throw new Error("unterminated interpolation");
  };

  /** A `"..."` string at `at`: its value and the offset past its closing quote. */
  const readString = (at: number, depth: number): { value: string; end: number } => {
    let j = at + 1;
    let value = "";
    for (;;) {
      if (j >= text.length) throw new Error("unterminated string");
      const c = text[j] ?? "";
      if (c === '"') return { value, end: j + 1 };
      if (c === "\\") {
        const e = text[j + 1] ?? "";
        value += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
        j += 2;
      } else if (c === "$" && text[j + 1] === "{") {
        const end = skipInterpolation(j + 2, depth);
        value += text.slice(j, end);
        j = end;
      } else {
        value += c;
        j += 1;
      }
    }
  };

  /** A `''...''` string at `at`, its common indentation removed. */
  const readIndented = (at: number, depth: number): { value: string; end: number } => {
    let j = at + 2;
    let value = "";
    for (;;) {
      if (j >= text.length) throw new Error("unterminated string");
      const c = text[j] ?? "";
      if (c === "'" && text[j + 1] === "'") {
        const e = text[j + 2];
        if (e === "'") {
          value += "''";
          j += 3;
        } else if (e === "$") {
          value += "$";
          j += 3;
        } else if (e === "\\") {
          const x = text[j + 3] ?? "";
          value += x === "n" ? "\n" : x === "t" ? "\t" : x;
          j += 4;
        } else break;
      } else if (c === "$" && text[j + 1] === "{") {
        const end = skipInterpolation(j + 2, depth);
        value += text.slice(j, end);
        j = end;
      } else {
        value += c;
        j += 1;
      }
    }
    return { value: dedent(value), end: j + 2 };
  };

  while (i < text.length) {
    if (tokens.length > MAX_TOKENS) throw new Error(`over ${MAX_TOKENS} tokens`);
    const ch = text[i] ?? "";
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i += 1;
      continue;
    }
    if (ch === "#") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) throw new Error("unterminated comment");
      i = close + 2;
      continue;
    }
    const start = i;
    if (ch === '"' || (ch === "'" && text[i + 1] === "'")) {
      const read = ch === '"' ? readString(i, 0) : readIndented(i, 0);
      i = read.end;
      tokens.push({ kind: "string", text: text.slice(start, i), value: read.value, start, end: i });
      continue;
    }
    // Paths: `./x`, `../x`, `~/x`, `<nixpkgs>`.
    if (
      (ch === "." && (text[i + 1] === "/" || (text[i + 1] === "." && text[i + 2] === "/"))) ||
      (ch === "~" && text[i + 1] === "/")
    ) {
      let j = i + 1;
      while (j < text.length && PATH_PART.test(text[j] ?? "")) j += 1;
      i = j;
      tokens.push({ kind: "path", text: text.slice(start, i), start, end: i });
      continue;
    }
    if (ch === "<" && IDENT_START.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && j - i < 256 && PATH_PART.test(text[j] ?? "")) j += 1;
      if (text[j] === ">") {
        i = j + 1;
        tokens.push({ kind: "path", text: text.slice(start, i), start, end: i });
        continue;
      }
    }
    if (/[0-9]/.test(ch)) {
      let j = i;
      while (j < text.length && /[0-9.eE]/.test(text[j] ?? "")) j += 1;
      i = j;
      tokens.push({ kind: "number", text: text.slice(start, i), start, end: i });
      continue;
    }
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j] ?? "")) j += 1;
      // `pkgs/foo.nix`, and a URI (`https://example.org/x`): path-like literals.
      if (text[j] === "/" && PATH_PART.test(text[j + 1] ?? "") && text[j + 1] !== "/") {
        while (j < text.length && PATH_PART.test(text[j] ?? "")) j += 1;
        i = j;
        tokens.push({ kind: "path", text: text.slice(start, i), start, end: i });
        continue;
      }
      if (text[j] === ":" && text[j + 1] === "/" && text[j + 2] === "/") {
        j += 3;
        while (j < text.length && /[^\s;,)\]}"]/.test(text[j] ?? "")) j += 1;
        i = j;
        tokens.push({ kind: "string", text: text.slice(start, i), value: text.slice(start, i), start, end: i });
        continue;
      }
      i = j;
      tokens.push({ kind: "ident", text: text.slice(start, i), start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: "punct", text: op, start, end: i });
      continue;
    }
    if (!PUNCT.test(ch)) throw new Error(`unexpected character ${JSON.stringify(ch)} at offset ${i}`);
    i += 1;
    tokens.push({ kind: "punct", text: ch, start, end: i });
  }
  tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
  return tokens;
}

/** For each opening bracket's token, the index of its closing one; throws when they do not balance. */
function matchBrackets(tokens: readonly Token[]): Int32Array {
  const closing = new Int32Array(tokens.length);
  const stack: number[] = [];
  for (const [i, t] of tokens.entries()) {
    if (t.kind !== "punct") continue;
    if (OPEN[t.text]) {
      if (stack.length >= MAX_DEPTH * 4) throw new Error(`nested deeper than ${MAX_DEPTH * 4}`);
      stack.push(i);
    } else if (t.text === "}" || t.text === "]" || t.text === ")") {
      const open = stack.pop();
      if (open === undefined || OPEN[tokens[open]?.text ?? ""] !== t.text) throw new Error(`unbalanced ${t.text}`);
      closing[open] = i;
    }
  }
  if (stack.length > 0) throw new Error("unbalanced brackets");
  return closing;
}

/** An indented string's lines without their common indentation (blank lines not counted), and without a first empty line. */
function dedent(value: string): string {
  const lines = value.split("\n");
  let indent = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    const spaces = line.length - line.trimStart().length;
    if (line.trim() !== "" && spaces < indent) indent = spaces;
  }
  const cut = Number.isFinite(indent) ? indent : 0;
  const out = lines.map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length)));
  if (out.length > 1 && out[0]?.trim() === "") out.shift();
  return out.join("\n");
}

const OPEN: Record<string, string> = { "{": "}", "[": "]", "(": ")", "${": "}" };
/** Tokens that end an expression outside brackets. */
const DELIMITERS = new Set([";", ",", "}", "]", ")"]);
const KEYWORDS = new Set(["let", "in", "with", "assert", "if", "then", "else", "rec", "inherit", "or"]);
/** Operators whose operands are read: `+` joins strings, `//` merges sets, `++` joins lists. */
const BINARY = new Set(["+", "//", "++"]);

type Table = Record<string, unknown>;
const isTableNode = (n: NixNode): boolean => typeof n.value === "object" && n.value !== null && !Array.isArray(n.value);

/** Read a Nix file into plain values, with the offset of every attribute. */
export function readNix(text: string): NixNode {
  const tokens = tokenize(text);
  let pos = 0;
  const scopes: Map<string, NixNode>[] = [];
  const peek = (ahead = 0): Token => tokens[Math.min(pos + ahead, tokens.length - 1)] as Token;
  const next = (): Token => tokens[Math.min(pos++, tokens.length - 1)] as Token;
  const isPunct = (t: Token, p: string) => t.kind === "punct" && t.text === p;
  const isWord = (t: Token, w: string) => t.kind === "ident" && t.text === w;

  const closing = matchBrackets(tokens);
  /** Step over a bracketed group, the opening bracket being the next token. */
  const skipGroup = (): void => {
    pos = (closing[pos] ?? pos) + 1;
  };
  /** Step over an expression without reading it: up to a delimiter outside brackets. */
  const skipExpression = (): void => {
    for (;;) {
      const t = peek();
      if (t.kind === "eof") return;
      if (t.kind === "punct") {
        if (DELIMITERS.has(t.text)) return;
        if (OPEN[t.text]) {
          skipGroup();
          continue;
        }
      }
      pos += 1;
    }
  };
  /** Expressions kept as their text: `+` joins them only to a string literal. */
  const opaques = new WeakSet<NixNode>();
  const opaque = (from: number): NixNode => {
    const start = tokens[from]?.start ?? 0;
    const end = tokens[pos - 1]?.end ?? start;
    const node = { value: `\${${text.slice(start, Math.max(start, end)).replace(/\s+/g, " ")}}`, offset: start };
    opaques.add(node);
    return node;
  };
  /** A node read again at another offset (a `let` name used, an attribute set). */
  const moved = (node: NixNode, offset: number): NixNode => {
    const copy = { ...node, offset };
    if (opaques.has(node)) opaques.add(copy);
    return copy;
  };
  const lookup = (name: string): NixNode | undefined => {
    for (let s = scopes.length - 1; s >= 0; s--) {
      const found = scopes[s]?.get(name);
      if (found) return found;
    }
    return undefined;
  };

  /** True when the `{` at `pos` opens a function's argument pattern (`{ a, b ? 1, ... }:`). */
  const isPattern = (): boolean => {
    const after = tokens[(closing[pos] ?? pos) + 1];
    return after !== undefined && (isPunct(after, ":") || isPunct(after, "@"));
  };

  const expression = (depth: number): NixNode => {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    for (;;) {
      const t = peek();
      // `x: body`, `args@{ ... }: body`, `{ lib, ... }: body`: the body is the value.
      if (t.kind === "ident" && !KEYWORDS.has(t.text) && isPunct(peek(1), ":")) {
        pos += 2;
        continue;
      }
      if (t.kind === "ident" && isPunct(peek(1), "@")) {
        pos += 2;
        continue;
      }
      if (isPunct(t, "{") && isPattern()) {
        skipGroup();
        if (isPunct(peek(), "@")) pos += 2;
        if (isPunct(peek(), ":")) pos += 1;
        continue;
      }
      if (isWord(t, "with") || isWord(t, "assert")) {
        pos += 1;
        skipExpression();
        if (isPunct(peek(), ";")) pos += 1;
        continue;
      }
      break;
    }
    const t = peek();
    if (isWord(t, "let") && !isPunct(peek(1), "{")) {
      pos += 1;
      const scope = new Map<string, NixNode>();
      scopes.push(scope);
      try {
        bindings(depth, scope, new Map(), { value: {} }, "in");
        if (isWord(peek(), "in")) pos += 1;
        return expression(depth + 1);
      } finally {
        scopes.pop();
      }
    }
    if (isWord(t, "if")) {
      // The first branch stands for the value, as a template's first branch does.
      pos += 1;
      while (peek().kind !== "eof" && !isWord(peek(), "then")) {
        if (OPEN[peek().text] && peek().kind === "punct") skipGroup();
        else pos += 1;
      }
      pos += 1;
      const then = expression(depth + 1);
      if (isWord(peek(), "else")) {
        pos += 1;
        expression(depth + 1);
      }
      return then;
    }
    const from = pos;
    const parts: NixNode[] = [application(depth)];
    let op: string | undefined;
    while (peek().kind === "punct" && BINARY.has(peek().text)) {
      const o = next().text;
      if (op !== undefined && o !== op) op = "mixed";
      else op = o;
      parts.push(application(depth));
    }
    if (
      peek().kind !== "eof" &&
      !(peek().kind === "punct" && DELIMITERS.has(peek().text)) &&
      !isWord(peek(), "in") &&
      !isWord(peek(), "then") &&
      !isWord(peek(), "else")
    ) {
      // Another operator (`==`, `&&`, `or`...): the expression is kept as its text.
      skipExpression();
      return opaque(from);
    }
    return combine(parts, op, from);
  };

  /** `a + b` joins strings, `a // b` merges sets, `a ++ b` joins lists. */
  const combine = (parts: NixNode[], op: string | undefined, from: number): NixNode => {
    const first = parts[0] as NixNode;
    if (parts.length === 1) return first;
    if (op === "//" && parts.every(isTableNode)) return merge(parts);
    if (op === "++" && parts.every((p) => Array.isArray(p.value))) {
      const items: unknown[] = [];
      const children = new Map<string | number, NixNode>();
      for (const p of parts)
        for (const [i, item] of (p.value as unknown[]).entries()) {
          const child = p.children?.get(i);
          if (child) children.set(items.length, child);
          items.push(item);
        }
      return { value: items, offset: first.offset, children };
    }
    if (op === "+" && parts.some((p) => typeof p.value === "string" && !opaques.has(p))) {
      const value = parts.map((p) => (typeof p.value === "string" ? p.value : String(p.value))).join("");
      return { value, offset: first.offset };
    }
    return opaque(from);
  };

  /** Sets merged, later members over earlier ones (`//`, `lib.mkMerge`). */
  const merge = (parts: NixNode[]): NixNode => {
    const children = new Map<string | number, NixNode>();
    for (const p of parts) for (const [k, v] of p.children ?? []) children.set(k, v);
    const value = Object.fromEntries([...children].map(([k, v]) => [String(k), v.value]));
    return { value, offset: (parts[0] as NixNode).offset, children };
  };

  /** `f a b`: a call reads as its last argument when that is data; a lone operand is itself. */
  const application = (depth: number): NixNode => {
    const from = pos;
    if (isPunct(peek(), "!") || isPunct(peek(), "-")) {
      pos += 1;
      select(depth);
      return opaque(from);
    }
    const head = select(depth);
    const args: NixNode[] = [];
    while (startsOperand(peek())) args.push(select(depth));
    if (args.length === 0) return head;
    const last = args[args.length - 1] as NixNode;
    const name = calleeName(from);
    if (/(?:^|\.)mkMerge$/.test(name) && Array.isArray(last.value) && last.children) {
      const sets = [...last.children.values()].filter(isTableNode);
      if (sets.length > 0) return merge(sets);
    }
    if (typeof last.value === "object" && last.value !== null) return last;
    if (typeof last.value === "string" && !last.value.startsWith("${") && /(?:^|\.)mk[A-Z]\w*$/.test(name)) return last;
    return opaque(from);
  };
  const calleeName = (from: number): string => {
    let name = "";
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.kind === "ident" || isPunct(t, ".")) name += t.text;
      else break;
    }
    return name;
  };
  const startsOperand = (t: Token): boolean =>
    t.kind === "string" ||
    t.kind === "number" ||
    t.kind === "path" ||
    (t.kind === "ident" && !KEYWORDS.has(t.text)) ||
    isWord(t, "rec") ||
    isWord(t, "let") ||
    (t.kind === "punct" && (t.text === "{" || t.text === "[" || t.text === "("));

  /** An operand and its attribute selection (`pkgs.x.y`, `a.b or c`). */
  const select = (depth: number): NixNode => {
    const from = pos;
    const base = primary(depth);
    let selected = false;
    while (isPunct(peek(), ".") && (peek(1).kind === "ident" || peek(1).kind === "string" || isPunct(peek(1), "${"))) {
      pos += 1;
      if (isPunct(peek(), "${")) skipGroup();
      else pos += 1;
      selected = true;
    }
    if (isWord(peek(), "or")) {
      pos += 1;
      select(depth);
      selected = true;
    }
    return selected ? opaque(from) : base;
  };

  const primary = (depth: number): NixNode => {
    const t = peek();
    const from = pos;
    if (t.kind === "string") {
      pos += 1;
      return { value: t.value ?? "", offset: t.start };
    }
    if (t.kind === "number") {
      pos += 1;
      return { value: Number(t.text), offset: t.start };
    }
    if (t.kind === "path") {
      pos += 1;
      return { value: t.text, offset: t.start };
    }
    if (isWord(t, "rec") || (isWord(t, "let") && isPunct(peek(1), "{"))) {
      pos += 1;
      return attrset(depth + 1, true);
    }
    if (isPunct(t, "{")) return attrset(depth + 1, false);
    if (isPunct(t, "[")) return list(depth + 1);
    if (isPunct(t, "(")) {
      pos += 1;
      const inner = expression(depth + 1);
      if (!isPunct(peek(), ")")) skipExpression();
      if (isPunct(peek(), ")")) pos += 1;
      return inner;
    }
    if (t.kind === "ident" && (t.text === "true" || t.text === "false" || t.text === "null")) {
      pos += 1;
      return { value: t.text === "null" ? null : t.text === "true", offset: t.start };
    }
    if (t.kind === "ident" && !KEYWORDS.has(t.text)) {
      pos += 1;
      // A plain name bound by an enclosing `let` reads as its value, unless an attribute of it is selected.
      const bound = isPunct(peek(), ".") ? undefined : lookup(t.text);
      return bound ? moved(bound, t.start) : opaque(from);
    }
    if (isPunct(t, "${")) {
      skipGroup();
      return opaque(from);
    }
    if (t.kind === "eof") throw new Error("unexpected end");
    // Anything else (a stray keyword or operator) is stepped over as text.
    pos += 1;
    return opaque(from);
  };

  /** Members of a set into `into` (dotted paths nested and merged), up to `}` or the word `end`. */
  const bindings = (
    depth: number,
    scope: Map<string, NixNode> | undefined,
    children: Map<string | number, NixNode>,
    into: { value: Table },
    end: "}" | "in",
  ): void => {
    for (;;) {
      const t = peek();
      if (t.kind === "eof") {
        if (end === "}") throw new Error("unterminated set");
        return;
      }
      if (end === "}" ? isPunct(t, "}") : isWord(t, "in")) return;
      if (isWord(t, "inherit")) {
        pos += 1;
        let source = false;
        if (isPunct(peek(), "(")) {
          skipGroup();
          source = true;
        }
        while (peek().kind === "ident" || peek().kind === "string") {
          const name = next();
          const key = name.kind === "string" ? (name.value ?? "") : name.text;
          const bound = source ? undefined : lookup(key);
          const node: NixNode = bound ? moved(bound, name.start) : { value: `\${${key}}`, offset: name.start };
          set(children, into, [key], [name.start], node, scope);
        }
        if (isPunct(peek(), ";")) pos += 1;
        continue;
      }
      const path: string[] = [];
      const offsets: number[] = [];
      let dynamic = false;
      for (;;) {
        const k = peek();
        if (k.kind === "ident" || k.kind === "string") {
          pos += 1;
          path.push(k.kind === "string" ? (k.value ?? "") : k.text);
          offsets.push(k.start);
        } else if (isPunct(k, "${")) {
          skipGroup();
          dynamic = true;
        } else break;
        if (!isPunct(peek(), ".")) break;
        pos += 1;
      }
      if (path.length === 0 && !dynamic) {
        // Not a binding: stepped over to the next `;`.
        skipExpression();
        if (isPunct(peek(), ";") || isPunct(peek(), ",")) pos += 1;
        else if (peek().kind === "punct" && DELIMITERS.has(peek().text) && !isPunct(peek(), "}")) pos += 1;
        continue;
      }
      if (!isPunct(peek(), "=")) {
        skipExpression();
        if (isPunct(peek(), ";")) pos += 1;
        continue;
      }
      pos += 1;
      const member = expression(depth);
      if (isPunct(peek(), ";")) pos += 1;
      else if (!(end === "}" ? isPunct(peek(), "}") : isWord(peek(), "in"))) {
        skipExpression();
        if (isPunct(peek(), ";")) pos += 1;
      }
      if (!dynamic) set(children, into, path, offsets, member, scope);
    }
  };

  /** Set `path` in a set under construction, creating and merging the sets its dotted path names. */
  const set = (
    children: Map<string | number, NixNode>,
    into: { value: Table },
    path: string[],
    offsets: number[],
    member: NixNode,
    scope: Map<string, NixNode> | undefined,
  ): void => {
    let kids = children;
    let table = into.value;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string;
      let child = kids.get(key);
      if (!child || !isTableNode(child) || !child.children) {
        child = { value: {}, offset: offsets[i] ?? 0, children: new Map() };
        kids.set(key, child);
        table[key] = child.value;
      }
      kids = child.children as Map<string | number, NixNode>;
      table = child.value as Table;
    }
    const last = path[path.length - 1] as string;
    const existing = kids.get(last);
    const offset = offsets[path.length - 1] ?? member.offset;
    const node =
      existing && isTableNode(existing) && isTableNode(member)
        ? { ...merge([existing, member]), offset }
        : moved(member, offset);
    kids.set(last, node);
    table[last] = node.value;
    if (scope && path.length === 1) scope.set(last, node);
  };

  /** A set; a `rec` set's own members (and an old-style `let { ... }`'s) are in scope inside it. */
  const attrset = (depth: number, recursive: boolean): NixNode => {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    const open = next();
    const children = new Map<string | number, NixNode>();
    const into = { value: {} as Table };
    const scope = recursive ? new Map<string, NixNode>() : undefined;
    if (scope) scopes.push(scope);
    try {
      bindings(depth, scope, children, into, "}");
    } finally {
      if (scope) scopes.pop();
    }
    pos += 1;
    return { value: into.value, offset: open.start, children };
  };

  const list = (depth: number): NixNode => {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    const open = next();
    const items: unknown[] = [];
    const children = new Map<string | number, NixNode>();
    for (;;) {
      const t = peek();
      if (isPunct(t, "]")) {
        pos += 1;
        break;
      }
      if (t.kind === "eof") throw new Error("unterminated list");
      if (!startsOperand(t)) {
        // Not an element (`-`, `!`...): stepped over.
        pos += 1;
        continue;
      }
      const item = select(depth);
      children.set(items.length, item);
      items.push(item.value);
    }
    return { value: items, offset: open.start, children };
  };

  const root = expression(0);
  return root;
}
