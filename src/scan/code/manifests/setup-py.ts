/**
 * setup.py: the requirements a project passes to `setup()` — `install_requires`,
 * `extras_require`, `setup_requires`, `tests_require` — written as literals or through
 * variables (`REQUIRED = [...]`, Hugging Face's `_deps = [...]` list from which
 * `deps_list(...)` picks).
 *
 * A bounded reader of Python literals, not a Python parser: the tree-sitter grammar the source
 * analysis uses loads asynchronously on its own thread pool while manifests are parsed
 * synchronously, and requirements in setup.py are literals in practice. It tokenizes strings,
 * names and brackets with hard limits (tokens, nesting) and reads only lists, tuples, sets and
 * dicts of string literals, joined with `+`; anything computed is ignored, never evaluated.
 */
import { parsePep508 } from "./python.js";
import type { DeclaredPackage } from "./types.js";

const MAX_TOKENS = 200_000;
const MAX_DEPTH = 32;

/** Keywords of `setup()` and variable names that hold requirements. */
const REQUIREMENT_NAME = /^(?:install_requires|extras_require|setup_requires|tests_require)$|req|dep|extra|install/i;

type Token = { kind: "str" | "name" | "op"; value: string; line: number };

/** Python source → tokens; strings keep their decoded text (escapes are left as written). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    if (tokens.length > MAX_TOKENS) throw new Error(`setup.py: more than ${MAX_TOKENS} tokens`);
    const c = text[i] as string;
    if (c === "\n") {
      line += 1;
      i += 1;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\\") {
      i += 1;
      continue;
    }
    if (c === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    const prefix = /^[rRbBuUfF]{0,2}(?='|")/.exec(text.slice(i, i + 3));
    if (prefix && (c === "'" || c === '"' || prefix[0].length > 0)) {
      const start = i + prefix[0].length;
      const quote = text.startsWith(text[start]?.repeat(3) ?? "", start)
        ? (text[start] as string).repeat(3)
        : text[start];
      if (quote) {
        const from = start + quote.length;
        let j = from;
        while (j < text.length && !text.startsWith(quote, j)) {
          if (text[j] === "\\") j += 1;
          else if (text[j] === "\n" && quote.length === 1) break;
          j += 1;
        }
        const value = text.slice(from, Math.min(j, text.length));
        // An f-string is computed and an unterminated string is malformed: neither is a literal.
        const literal = !/[fF]/.test(prefix[0]) && text.startsWith(quote, j);
        tokens.push({ kind: literal ? "str" : "op", value: literal ? value : "non-literal", line });
        for (const ch of value) if (ch === "\n") line += 1;
        i = j + quote.length;
        continue;
      }
    }
    const name = /^[A-Za-z_][\w.]*/.exec(text.slice(i, i + 200));
    if (name) {
      tokens.push({ kind: "name", value: name[0], line });
      i += name[0].length;
      continue;
    }
    const op = /^(?:==|!=|<=|>=|\*\*|[-+*/%=<>()[\]{}:,;.@~^|&])/.exec(text.slice(i, i + 2));
    tokens.push({ kind: "op", value: op ? op[0] : c, line });
    i += op ? op[0].length : 1;
  }
  return tokens;
}

/** A string literal with its line, or a container of them; `unknown` for anything computed. */
type Literal = { str: string; line: number } | Literal[] | "unknown";

function isOpen(t: Token | undefined): boolean {
  return t?.kind === "op" && (t.value === "[" || t.value === "(" || t.value === "{");
}

const CLOSE: Record<string, string> = { "[": "]", "(": ")", "{": "}" };

/** Skip one balanced bracket group starting at `i`; returns the index after it. */
function skipGroup(tokens: Token[], i: number): number {
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (isOpen(t)) depth += 1;
    else if (t.kind === "op" && (t.value === "]" || t.value === ")" || t.value === "}")) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
  }
  return tokens.length;
}

/** Read an expression `a + b + ...` at `i`; stops at `,`, `)`, `]`, `}` or a new statement. */
function readExpression(
  tokens: Token[],
  i: number,
  vars: ReadonlyMap<string, Literal>,
  depth: number,
): { value: Literal; next: number } {
  const parts: Literal[] = [];
  let j = i;
  for (;;) {
    const operand = readOperand(tokens, j, vars, depth);
    parts.push(operand.value);
    j = operand.next;
    const t = tokens[j];
    if (t?.kind === "op" && t.value === "+") {
      j += 1;
      continue;
    }
    break;
  }
  return { value: parts.length === 1 ? (parts[0] as Literal) : parts, next: j };
}

function readOperand(
  tokens: Token[],
  i: number,
  vars: ReadonlyMap<string, Literal>,
  depth: number,
): { value: Literal; next: number } {
  const t = tokens[i];
  if (!t) return { value: "unknown", next: i };
  if (t.kind === "str") {
    // Adjacent literals concatenate ("a" "b").
    let value = t.value;
    let j = i + 1;
    while (tokens[j]?.kind === "str") value += (tokens[j++] as Token).value;
    return { value: { str: value, line: t.line }, next: j };
  }
  if (t.kind === "name") {
    const next = tokens[i + 1];
    if (isOpen(next) && next?.value === "(") return { value: "unknown", next: skipGroup(tokens, i + 1) };
    if (next?.kind === "op" && next.value === "[") return { value: "unknown", next: skipGroup(tokens, i + 1) };
    return { value: vars.get(t.value) ?? "unknown", next: i + 1 };
  }
  if (isOpen(t)) {
    if (depth >= MAX_DEPTH) return { value: "unknown", next: skipGroup(tokens, i) };
    const close = CLOSE[t.value] as string;
    const items: Literal[] = [];
    let j = i + 1;
    while (j < tokens.length) {
      const cur = tokens[j] as Token;
      if (cur.kind === "op" && cur.value === close) return { value: items, next: j + 1 };
      if (cur.kind === "name" && cur.value === "for") return { value: "unknown", next: skipGroup(tokens, i) };
      if (cur.kind === "op" && (cur.value === "," || cur.value === ":")) {
        j += 1;
        continue;
      }
      const item = readExpression(tokens, j, vars, depth + 1);
      if (item.next === j) {
        // Not an expression we read (an operator, a keyword): skip the token.
        j += 1;
        continue;
      }
      // In a dict, keys are extra names, not requirements: keep values only.
      const isKey = t.value === "{" && tokens[item.next]?.value === ":";
      if (!isKey) items.push(item.value);
      j = item.next;
    }
    return { value: items, next: j };
  }
  return { value: "unknown", next: i };
}

function strings(value: Literal, out: { str: string; line: number }[], depth = 0): void {
  if (value === "unknown" || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else out.push(value);
}

/** setup.py requirements; throws only when the file is beyond the reader's limits. */
export function parseSetupPy(text: string): DeclaredPackage[] {
  const tokens = tokenize(text);
  const vars = new Map<string, Literal>();
  const found: { str: string; line: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== "name") continue;
    let j = i + 1;
    // `extras["x"] = [...]`: the subscript is skipped, the value read.
    if (tokens[j]?.kind === "op" && tokens[j]?.value === "[") j = skipGroup(tokens, j);
    const eq = tokens[j];
    if (eq?.kind !== "op" || eq.value !== "=") continue;
    const { value, next } = readExpression(tokens, j + 1, vars, 0);
    if (j === i + 1) vars.set(t.value, value);
    const base = t.value.split(".").pop() ?? t.value;
    if (REQUIREMENT_NAME.test(base)) strings(value, found);
    i = next - 1;
  }
  const out: DeclaredPackage[] = [];
  const seen = new Set<string>();
  for (const { str, line } of found) {
    const req = parsePep508(str);
    if (!req || seen.has(`${req.name}\u0000${line}`)) continue;
    seen.add(`${req.name}\u0000${line}`);
    out.push({
      ecosystem: "pypi",
      name: req.name,
      spec: req.spec,
      line,
      ...(req.extras ? { extras: req.extras } : {}),
    });
  }
  return out;
}
