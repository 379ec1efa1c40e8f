/**
 * A tolerant reader of Jsonnet (https://jsonnet.org/ref/spec.html) for config scanning: the JSON
 * that a Jsonnet file spells out — objects, arrays, strings (single, double, `|||` text blocks),
 * numbers and literals — with `local` bindings skipped, string concatenations joined, and every
 * other expression (a variable, `std.extVar('HOME')`, `secrets.slack.token`, a conditional) kept
 * as its source text in `${...}`. Nothing is evaluated. Bounded in depth and size; text that is
 * not Jsonnet throws a plain Error that the caller turns into a `bad-input` note.
 */

export interface JsonnetNode {
  value: unknown;
  offset: number;
  /** Object members by key, or array elements, for finding a path's line. */
  children?: Map<string | number, JsonnetNode>;
}

const MAX_DEPTH = 64;
const MAX_TOKENS = 200_000;

type TokenKind = "string" | "number" | "ident" | "punct" | "eof";
interface Token {
  kind: TokenKind;
  text: string;
  /** The decoded value of a string token. */
  value?: string;
  start: number;
  end: number;
}

const PUNCT = /[{}[\]():,;.+\-*/%=!<>&|^~$@?]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (tokens.length > MAX_TOKENS) throw new Error(`over ${MAX_TOKENS} tokens`);
    const ch = text[i] ?? "";
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "#" || (ch === "/" && text[i + 1] === "/")) {
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
    if (text.startsWith("|||", i)) {
      // A text block: lines indented like its first line, up to a line holding `|||`.
      const close = text.indexOf("|||", i + 3);
      if (close < 0) throw new Error("unterminated text block");
      const body = text.slice(text.indexOf("\n", i) + 1, close);
      const indent = /^[ \t]*/.exec(body)?.[0] ?? "";
      const value = body
        .split("\n")
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
        .join("\n")
        .replace(/[ \t]*$/, "");
      i = close + 3;
      tokens.push({ kind: "string", text: text.slice(start, i), value, start, end: i });
      continue;
    }
    const verbatim = ch === "@" && (text[i + 1] === "'" || text[i + 1] === '"');
    if (ch === "'" || ch === '"' || verbatim) {
      const quote = verbatim ? (text[i + 1] ?? "") : ch;
      let j = verbatim ? i + 2 : i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length) throw new Error("unterminated string");
        const c = text[j] ?? "";
        if (c === quote) {
          if (verbatim && text[j + 1] === quote) {
            value += quote;
            j += 2;
            continue;
          }
          break;
        }
        if (c === "\\" && !verbatim) {
          const e = text[j + 1] ?? "";
          value += e === "n" ? "\n" : e === "t" ? "\t" : e;
          j += 2;
          continue;
        }
        value += c;
        j += 1;
      }
      i = j + 1;
      tokens.push({ kind: "string", text: text.slice(start, i), value, start, end: i });
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (number) {
      i += number[0].length;
      tokens.push({ kind: "number", text: number[0], start, end: i });
      continue;
    }
    const ident = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 256));
    if (ident) {
      i += ident[0].length;
      tokens.push({ kind: "ident", text: ident[0], start, end: i });
      continue;
    }
    if (!PUNCT.test(ch)) throw new Error(`unexpected character ${JSON.stringify(ch)} at offset ${i}`);
    i += 1;
    tokens.push({ kind: "punct", text: ch, start, end: i });
  }
  tokens.push({ kind: "eof", text: "", start: text.length, end: text.length });
  return tokens;
}

const OPEN: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
const DELIMITERS = new Set([",", ";", "}", "]", ")"]);

/** Read a Jsonnet document into plain values, with the offset of every member. */
export function readJsonnet(text: string): JsonnetNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (ahead = 0): Token => tokens[Math.min(pos + ahead, tokens.length - 1)] as Token;
  const next = (): Token => tokens[Math.min(pos++, tokens.length - 1)] as Token;
  const isPunct = (t: Token, p: string) => t.kind === "punct" && t.text === p;
  const expect = (p: string) => {
    const t = next();
    if (!isPunct(t, p)) throw new Error(`expected ${p} at offset ${t.start}`);
  };

  /** Step over a bracketed group, the opening bracket being the next token. */
  const skipGroup = (): void => {
    const stack = [OPEN[next().text] ?? ""];
    while (stack.length > 0) {
      const c = next();
      if (c.kind === "eof") throw new Error("unbalanced brackets");
      if (c.kind !== "punct") continue;
      const close = OPEN[c.text];
      if (close) stack.push(close);
      else if (c.text === stack[stack.length - 1]) stack.pop();
    }
  };
  /** Step over an expression without reading it: up to a delimiter outside brackets. */
  const skipExpression = (): void => {
    const stack: string[] = [];
    for (;;) {
      const t = peek();
      if (t.kind === "eof") return;
      if (t.kind === "punct") {
        if (stack.length === 0 && DELIMITERS.has(t.text)) return;
        const close = OPEN[t.text];
        if (close) stack.push(close);
        else if (t.text === stack[stack.length - 1]) stack.pop();
        else if (/[)\]}]/.test(t.text) && stack.length > 0)
          throw new Error(`unbalanced ${t.text} at offset ${t.start}`);
      }
      pos += 1;
    }
  };
  const opaque = (from: number): JsonnetNode => {
    const start = tokens[from]?.start ?? 0;
    const end = tokens[pos - 1]?.end ?? start;
    return { value: `\${${text.slice(start, end).replace(/\s+/g, " ")}}`, offset: start };
  };
  /** `local a = x, b(y) = z;` */
  const skipLocals = (): void => {
    while (peek().kind === "ident" && peek().text === "local") {
      pos += 1;
      for (;;) {
        skipExpression();
        const t = next();
        if (isPunct(t, ";")) break;
        if (!isPunct(t, ",")) throw new Error(`expected ; at offset ${t.start}`);
      }
    }
  };

  const expression = (depth: number): JsonnetNode => {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    skipLocals();
    const from = pos;
    const parts: JsonnetNode[] = [];
    for (;;) {
      const part = operand(depth);
      if (!part) {
        skipExpression();
        return opaque(from);
      }
      parts.push(part);
      const t = peek();
      if (isPunct(t, "+")) {
        pos += 1;
        continue;
      }
      if (t.kind === "eof" || (t.kind === "punct" && DELIMITERS.has(t.text))) break;
      skipExpression();
      return opaque(from);
    }
    return combine(parts, from);
  };

  /** `a + b`: strings join (other parts as their `${source}`), objects merge. */
  const combine = (parts: JsonnetNode[], from: number): JsonnetNode => {
    const first = parts[0] as JsonnetNode;
    if (parts.length === 1) return first;
    if (parts.every((p) => p.children && !Array.isArray(p.value) && typeof p.value === "object")) {
      const children = new Map<string | number, JsonnetNode>();
      for (const p of parts) for (const [k, v] of p.children ?? []) children.set(k, v);
      const value = Object.fromEntries([...children].map(([k, v]) => [String(k), v.value]));
      return { value, offset: first.offset, children };
    }
    if (parts.some((p) => typeof p.value === "string" && !p.children)) {
      const value = parts.map((p) => (typeof p.value === "string" ? p.value : String(p.value))).join("");
      return { value, offset: first.offset };
    }
    return opaque(from);
  };

  /** A literal, object, array or parenthesised expression; a reference or call as its source; else undefined. */
  const operand = (depth: number): JsonnetNode | undefined => {
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
    if (isPunct(t, "{")) return object(depth + 1);
    if (isPunct(t, "[")) return array(depth + 1);
    if (isPunct(t, "(")) {
      pos += 1;
      const inner = expression(depth + 1);
      expect(")");
      return inner;
    }
    if (t.kind === "ident" && (t.text === "true" || t.text === "false" || t.text === "null")) {
      pos += 1;
      return { value: t.text === "null" ? null : t.text === "true", offset: t.start };
    }
    if (t.kind === "ident" && t.text === "local") return expression(depth + 1);
    if (
      (t.kind === "ident" &&
        !/^(if|then|else|function|for|in|assert|error|import|importstr|importbin)$/.test(t.text)) ||
      isPunct(t, "$")
    ) {
      // `a.b`, `a[1]`, `std.extVar('HOME')`, `self.x`: a reference, kept as its text.
      pos += 1;
      for (;;) {
        const n = peek();
        if (isPunct(n, ".") && peek(1).kind === "ident") pos += 2;
        else if (isPunct(n, "[") || isPunct(n, "(")) skipGroup();
        else break;
      }
      return opaque(from);
    }
    return undefined;
  };

  const object = (depth: number): JsonnetNode => {
    const open = next();
    const value: Record<string, unknown> = {};
    const children = new Map<string | number, JsonnetNode>();
    for (;;) {
      if (isPunct(peek(), "}")) {
        pos += 1;
        break;
      }
      const t = peek();
      let key: string | undefined;
      if (t.kind === "ident" && (t.text === "local" || t.text === "assert")) {
        skipExpression();
      } else if (t.kind === "ident" || t.kind === "string") {
        pos += 1;
        key = t.kind === "string" ? (t.value ?? "") : t.text;
        // A method (`f(x): ...`) is not data.
        if (isPunct(peek(), "(")) key = undefined;
        skipToColon();
        const member = expression(depth);
        if (key !== undefined) {
          value[key] = member.value;
          children.set(key, { ...member, offset: t.start });
        }
      } else if (isPunct(t, "[")) {
        // A computed key or an object comprehension: stepped over.
        skipExpression();
      } else throw new Error(`unexpected ${t.text || "end"} in object at offset ${t.start}`);
      const sep = next();
      if (isPunct(sep, "}")) break;
      if (!isPunct(sep, ",")) throw new Error(`expected , or } at offset ${sep.start}`);
    }
    return { value, offset: open.start, children };
  };

  /** Past `:`, `::`, `:::` or `+:` after a key (a method's parameters too). */
  const skipToColon = (): void => {
    for (let steps = 0; steps < MAX_TOKENS; steps++) {
      const t = next();
      if (t.kind === "eof") throw new Error("expected :");
      if (isPunct(t, ":")) {
        while (isPunct(peek(), ":")) pos += 1;
        return;
      }
      if (isPunct(t, "(")) {
        pos -= 1;
        skipGroup();
      }
    }
  };

  const array = (depth: number): JsonnetNode => {
    const open = next();
    const items: unknown[] = [];
    const children = new Map<string | number, JsonnetNode>();
    for (;;) {
      if (isPunct(peek(), "]")) {
        pos += 1;
        break;
      }
      // An array comprehension (`[x for x in y]`) reads as one opaque element.
      const item = expression(depth);
      children.set(items.length, item);
      items.push(item.value);
      const sep = next();
      if (isPunct(sep, "]")) break;
      if (!isPunct(sep, ",")) throw new Error(`expected , or ] at offset ${sep.start}`);
    }
    return { value: items, offset: open.start, children };
  };

  const root = expression(0);
  if (peek().kind !== "eof") throw new Error(`unexpected ${peek().text} at offset ${peek().start}`);
  return root;
}
