/**
 * A literal written in code (a Python dict or list, a JavaScript object or array) read as plain
 * data, never evaluated: `MultiServerMCPClient({"math": {"command": "python", ...}})` holds an MCP
 * client's server table as a config file would. Anything that is not a literal (a variable, a
 * call, an f-string) is left out. One visit per node, at most MAX_LITERAL_NODES of them.
 */
import type { Node } from "web-tree-sitter";

/** Nodes read for one literal at most; a larger literal is cut short (what was read is kept). */
export const MAX_LITERAL_NODES = 5_000;
/** Nesting read at most; deeper values are left out. */
const MAX_DEPTH = 32;

const TABLES = new Set(["dictionary", "object"]);
const LISTS = new Set(["list", "tuple", "array"]);
const NUMBERS = new Set(["integer", "float", "number"]);

/**
 * The value `node` writes, or undefined when it is not a literal. `str` reads a string literal's
 * value (undefined for an interpolated one).
 */
export function literalValue(node: Node, str: (n: Node) => string | undefined): unknown {
  const budget = { left: MAX_LITERAL_NODES };
  return read(node, str, budget, 0);
}

function read(node: Node, str: (n: Node) => string | undefined, budget: { left: number }, depth: number): unknown {
  if (budget.left-- <= 0 || depth > MAX_DEPTH) return undefined;
  if (TABLES.has(node.type)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.namedChildren) {
      if (pair.type !== "pair") continue;
      const keyNode = pair.childForFieldName("key");
      const valueNode = pair.childForFieldName("value");
      if (!keyNode || !valueNode) continue;
      // `{ math: {...} }` (a JavaScript bare key) or `{"math": {...}}`.
      const key = keyNode.type === "property_identifier" ? keyNode.text : str(keyNode);
      if (key === undefined || key === "__proto__") continue;
      const value = read(valueNode, str, budget, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (LISTS.has(node.type)) {
    const out: unknown[] = [];
    for (const item of node.namedChildren) {
      if (item.type === "comment") continue;
      const value = read(item, str, budget, depth + 1);
      if (value !== undefined) out.push(value);
    }
    return out;
  }
  if (node.type === "parenthesized_expression" && node.namedChildCount === 1) {
    const inner = node.namedChildren[0];
    return inner ? read(inner, str, budget, depth + 1) : undefined;
  }
  // `-1`: a negated number literal.
  if ((node.type === "unary_operator" || node.type === "unary_expression") && node.text.startsWith("-")) {
    const inner = node.namedChildren[0];
    const n = inner && NUMBERS.has(inner.type) ? read(inner, str, budget, depth + 1) : undefined;
    return typeof n === "number" ? -n : undefined;
  }
  if (NUMBERS.has(node.type)) {
    const n = Number(node.text.replace(/_/g, ""));
    return Number.isFinite(n) ? n : undefined;
  }
  switch (node.type) {
    case "true":
      return true;
    case "false":
      return false;
    case "none":
    case "null":
      return null;
    default:
      return str(node);
  }
}
