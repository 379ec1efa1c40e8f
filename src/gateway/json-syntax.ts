/**
 * Where a JSON text stops being JSON (RFC 8259), described without quoting it. `JSON.parse`'s
 * own messages quote the input around the error (`Unexpected token 'c', "{card: 4111"... is not
 * valid JSON`), which would echo a caller's card number back in an error answer or a log line.
 * Run only after `JSON.parse` failed: one linear pass, no recursion, so a deep or huge body costs
 * no more than reading it.
 */

/** The first place a text breaks the JSON grammar. */
export interface JsonSyntaxError {
  /** Offset in UTF-16 code units, as `JSON.parse` counts. */
  position: number;
  /** 1-based line and column of `position`. */
  line: number;
  column: number;
  /** What was wrong there, in words that never quote the text. */
  problem: string;
}

type Expect = "value" | "value-or-]" | "key" | "key-or-}" | "colon" | "comma-or-close" | "end";

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const LITERALS = ["true", "false", "null"] as const;

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** The first syntax error in `text`, or undefined when `text` is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  const stack: ("{" | "[")[] = [];
  let i = 0;
  let expect: Expect = "value";
  const fail = (problem: string, at = i): JsonSyntaxError => ({ ...lineAndColumn(text, at), position: at, problem });
  const afterValue = (): Expect => (stack.length > 0 ? "comma-or-close" : "end");

  /** Scan the string starting at `i` (a `"`); returns a failure or undefined with `i` past it. */
  const scanString = (): JsonSyntaxError | undefined => {
    i++;
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c === "\\") {
        const next = text[i + 1];
        if (next === "u") {
          for (let k = 2; k < 6; k++)
            if (!isHex(text[i + k])) return i + k < n ? fail("invalid \\u escape in a string", i + k) : fail(END, n);
          i += 6;
        } else if (next !== undefined && ESCAPES.has(next)) i += 2;
        else return next === undefined ? fail(END, n) : fail("invalid escape in a string", i + 1);
        continue;
      }
      if ((c?.charCodeAt(0) ?? 0) < 0x20) return fail("control character in a string");
      i++;
    }
    return fail("unterminated string");
  };

  /** Scan the number starting at `i`: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  const scanNumber = (): JsonSyntaxError | undefined => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (isDigit(text[i])) while (isDigit(text[i])) i++;
    else return i < n ? fail("invalid number") : fail(END);
    if (text[i] === ".") {
      i++;
      if (!isDigit(text[i])) return i < n ? fail("invalid number") : fail(END);
      while (isDigit(text[i])) i++;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!isDigit(text[i])) return i < n ? fail("invalid number") : fail(END);
      while (isDigit(text[i])) i++;
    }
    return undefined;
  };

  while (true) {
    while (i < n && WHITESPACE.has(text[i] as string)) i++;
    if (i >= n) return expect === "end" ? undefined : fail(END);
    const c = text[i] as string;
    switch (expect) {
      case "end":
        return fail("unexpected data after the JSON value");
      case "colon":
        if (c !== ":") return fail("expected ':' after a property name");
        i++;
        expect = "value";
        continue;
      case "comma-or-close": {
        const close = stack[stack.length - 1] === "{" ? "}" : "]";
        if (c === ",") {
          i++;
          expect = close === "}" ? "key" : "value";
        } else if (c === close) {
          i++;
          stack.pop();
          expect = afterValue();
        } else return fail(`expected ',' or '${close}'`);
        continue;
      }
      case "key":
      case "key-or-}": {
        if (c === "}" && expect === "key-or-}") {
          i++;
          stack.pop();
          expect = afterValue();
          continue;
        }
        if (c !== '"') return fail("expected a property name in double quotes");
        const bad = scanString();
        if (bad) return bad;
        expect = "colon";
        continue;
      }
      case "value":
      case "value-or-]": {
        if (c === "]" && expect === "value-or-]") {
          i++;
          stack.pop();
          expect = afterValue();
          continue;
        }
        if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          expect = c === "{" ? "key-or-}" : "value-or-]";
          continue;
        }
        let bad: JsonSyntaxError | undefined;
        if (c === '"') bad = scanString();
        else if (c === "-" || isDigit(c)) bad = scanNumber();
        else {
          const literal = LITERALS.find((l) => l[0] === c);
          if (!literal) return fail("unexpected character");
          for (let k = 1; k < literal.length; k++) {
            if (i + k >= n) return fail(END, n);
            if (text[i + k] !== literal[k]) return fail("unexpected character", i + k);
          }
          i += literal.length;
        }
        if (bad) return bad;
        expect = afterValue();
        continue;
      }
    }
  }
}

const END = "unexpected end of input";

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf("\n"); k !== -1 && k < position; k = text.indexOf("\n", k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: position - start + 1 };
}

/** One line for an error answer: what broke and where, never the text itself. */
export function describeJsonSyntaxError(text: string): string {
  const error = findJsonSyntaxError(text);
  if (!error) return "invalid JSON";
  return `${error.problem} at line ${error.line}, column ${error.column} (position ${error.position})`;
}
