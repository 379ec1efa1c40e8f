/**
 * Config documents as MCP clients write them, read into plain values with a way back to the
 * line of any key: JSON with comments and trailing commas (JSONC, as VS Code reads it, via
 * Microsoft's `jsonc-parser`), YAML, TOML and Java `.properties` (Spring Boot). Reading is
 * bounded: size, nesting depth and key count; anything over a limit or malformed throws a
 * `PalisadeError` with code `bad-input`, which the scanner turns into a skip note.
 */
import { createScanner, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { isMap, isSeq, parseDocument } from "yaml";
import { PalisadeError } from "../../core/index.js";
import { type JsonnetNode, readJsonnet } from "./jsonnet.js";
import { readNix } from "./nix.js";

export type McpDocumentFormat = "json" | "yaml" | "toml" | "properties" | "jsonnet" | "nix";

/** A parsed config and the 1-based line of the key at a path (undefined when it cannot tell). */
export interface McpDocument {
  value: unknown;
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Limits on one config document. MCP client configs are small; these leave room for big settings files. */
export const MCP_DOCUMENT_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 64, maxKeys: 50_000 } as const;

/** The format a file's name implies (a template's: `x.yaml.example`), or undefined when it is none of them. */
export function formatOfFile(file: string): McpDocumentFormat | undefined {
  // A template (`mcp.json.example`) has the format of the file it stands for.
  const lower = file.toLowerCase().replace(/\.(?:examples?|samples?|template|tmpl|dist)$/, "");
  if (/\.jsonc?$/.test(lower) || lower.endsWith(".json5")) return "json";
  if (/\.ya?ml$/.test(lower)) return "yaml";
  if (lower.endsWith(".toml")) return "toml";
  if (lower.endsWith(".properties")) return "properties";
  if (lower.endsWith(".jsonnet") || lower.endsWith(".libsonnet")) return "jsonnet";
  if (lower.endsWith(".nix")) return "nix";
  return undefined;
}

function bad(message: string, file: string): PalisadeError {
  return new PalisadeError("bad-input", message, { input: file });
}

/** Offsets of line starts, for offset → line by binary search. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Read a config document of the given format. Throws `bad-input` on malformed or oversized input. */
export function readMcpDocument(text: string, format: McpDocumentFormat, file: string): McpDocument {
  if (text.length > MCP_DOCUMENT_LIMITS.maxBytes)
    throw bad(`${file}: over ${MCP_DOCUMENT_LIMITS.maxBytes} bytes`, file);
  const body = text.replace(/^\uFEFF/, "");
  switch (format) {
    case "json":
      return readJsonc(body, file);
    case "yaml":
      return readYaml(body, file);
    case "toml":
      return readTomlDocument(body, file);
    case "properties":
      return readProperties(body);
    case "jsonnet":
      return readJsonnetDocument(body, file, readJsonnet);
    case "nix":
      return readJsonnetDocument(body, file, readNix);
  }
}

/**
 * Jsonnet or Nix read without evaluating it (see jsonnet.ts, nix.ts): what it spells out as data,
 * with member lines.
 */
function readJsonnetDocument(text: string, file: string, read: (text: string) => JsonnetNode): McpDocument {
  let root: JsonnetNode;
  try {
    root = read(text);
  } catch (cause) {
    throw new PalisadeError("bad-input", `${file}: ${cause instanceof Error ? cause.message : "cannot be read"}`, {
      input: file,
      cause,
    });
  }
  const line = lineIndex(text);
  return {
    value: root.value,
    lineOf(path) {
      let node: JsonnetNode | undefined = root;
      for (const segment of path) node = node?.children?.get(segment);
      return node ? line(node.offset) : undefined;
    },
  };
}

/** jsonc-parser's `SyntaxKind` values (a const enum, which `verbatimModuleSyntax` cannot import). */
const TOKEN = { openBrace: 1, closeBrace: 2, openBracket: 3, closeBracket: 4, eof: 17 } as const;

/** Nesting depth of JSONC text, counted on tokens so strings and comments do not count. */
function jsoncDepth(text: string): number {
  const scanner = createScanner(text, false);
  let depth = 0;
  let max = 0;
  for (let token: number = scanner.scan(); token !== TOKEN.eof; token = scanner.scan()) {
    if (token === TOKEN.openBrace || token === TOKEN.openBracket) {
      depth += 1;
      if (depth > max) max = depth;
      if (max > MCP_DOCUMENT_LIMITS.maxDepth) return max;
    } else if (token === TOKEN.closeBrace || token === TOKEN.closeBracket) depth -= 1;
  }
  return max;
}

function readJsonc(text: string, file: string): McpDocument {
  if (jsoncDepth(text) > MCP_DOCUMENT_LIMITS.maxDepth)
    throw bad(`${file}: nested deeper than ${MCP_DOCUMENT_LIMITS.maxDepth}`, file);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const line = lineIndex(text);
  const first = errors[0];
  if (first) throw bad(`${file}:${line(first.offset)}: ${printParseErrorCode(first.error)}`, file);
  let keys = 0;
  // Object.fromEntries defines own properties, so a `__proto__` key stays a plain key.
  const toValue = (node: Node): unknown => {
    switch (node.type) {
      case "object":
        keys += node.children?.length ?? 0;
        if (keys > MCP_DOCUMENT_LIMITS.maxKeys) throw bad(`${file}: over ${MCP_DOCUMENT_LIMITS.maxKeys} keys`, file);
        return Object.fromEntries(
          (node.children ?? []).map((p) => [
            String(p.children?.[0]?.value),
            p.children?.[1] ? toValue(p.children[1]) : null,
          ]),
        );
      case "array":
        return (node.children ?? []).map(toValue);
      default:
        return node.value;
    }
  };
  const value = tree ? toValue(tree) : undefined;
  return {
    value,
    lineOf(path) {
      let node = tree;
      let at: number | undefined = node?.offset;
      for (const segment of path) {
        if (!node) return undefined;
        if (node.type === "object" && typeof segment === "string") {
          // The last property of a name wins, as in JSON.parse.
          const property = (node.children ?? []).findLast((p) => p.children?.[0]?.value === segment);
          at = property?.offset;
          node = property?.children?.[1];
        } else if (node.type === "array" && typeof segment === "number") {
          node = node.children?.[segment];
          at = node?.offset;
        } else return undefined;
      }
      return at === undefined ? undefined : line(at);
    },
  };
}

/** Flow-collection depth of YAML text (`[[[...`), bounded before the parser recurses into it. */
function yamlFlowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) max = depth;
      if (max > MCP_DOCUMENT_LIMITS.maxDepth) return max;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth -= 1;
  }
  return max;
}

function readYaml(text: string, file: string): McpDocument {
  if (yamlFlowDepth(text) > MCP_DOCUMENT_LIMITS.maxDepth)
    throw bad(`${file}: nested deeper than ${MCP_DOCUMENT_LIMITS.maxDepth}`, file);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const line = lineIndex(text);
  const error = doc.errors[0];
  if (error) throw bad(`${file}:${line(error.pos[0])}: ${error.code}`, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new PalisadeError("bad-input", `${file}: ${cause instanceof Error ? cause.message : "malformed YAML"}`, {
      input: file,
      cause,
    });
  }
  return {
    value,
    lineOf(path) {
      let node: unknown = doc.contents;
      let at: number | undefined;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.findLast((p) => {
            const key: unknown = p.key;
            const k = typeof key === "object" && key !== null && "value" in key ? key.value : key;
            return String(k) === String(segment);
          });
          if (!pair) return undefined;
          const key: unknown = pair.key;
          at = typeof key === "object" && key !== null && "range" in key ? (key.range as number[])[0] : undefined;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === "number") {
          node = node.items[segment];
          at = typeof node === "object" && node !== null && "range" in node ? (node.range as number[])[0] : undefined;
        } else return undefined;
      }
      return at === undefined ? undefined : line(at);
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * TOML keeps no positions in smol-toml's output, so a key's line is found in the text: each
 * segment is looked for after the previous one, as a table header part or as `key =`.
 */
function readTomlDocument(text: string, file: string): McpDocument {
  let value: unknown;
  try {
    value = parseToml(text, { maxDepth: MCP_DOCUMENT_LIMITS.maxDepth });
  } catch (cause) {
    throw new PalisadeError(
      "bad-input",
      `${file}: ${cause instanceof Error ? cause.message.split("\n")[0] : "malformed TOML"}`,
      {
        input: file,
        cause,
      },
    );
  }
  const lines = text.split("\n");
  return {
    value,
    lineOf(path) {
      let from = 0;
      let found: number | undefined;
      for (const segment of path) {
        if (typeof segment === "number") continue;
        const key = `(?:${escapeRegExp(segment)}|"${escapeRegExp(segment)}"|'${escapeRegExp(segment)}')`;
        const pattern = new RegExp(`^\\s*\\[\\[?\\s*(?:[^\\]]*[.\\s])?${key}\\s*[.\\]]|(?:^|[\\s{,.])${key}\\s*[=.]`);
        let index = -1;
        for (let i = from; i < lines.length; i++)
          if (pattern.test(lines[i] ?? "")) {
            index = i;
            break;
          }
        if (index < 0) return found;
        found = index + 1;
        from = index;
      }
      return found;
    },
  };
}

/**
 * Java `.properties` (the common subset Spring Boot writes): `key=value`, `key: value`, `#` and
 * `!` comments, `name[0]` list indices. Keys become a nested object split on dots.
 */
function readProperties(text: string): McpDocument {
  const root: Record<string, unknown> = {};
  const lines = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) return;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (!m?.[1]) return;
    const segments = m[1].split(".").flatMap((s) => {
      const idx = /^(.*?)\[(\d+)\]$/.exec(s);
      return idx ? [idx[1] ?? "", Number(idx[2])] : [s];
    });
    if (segments.length > MCP_DOCUMENT_LIMITS.maxDepth) return;
    let node: Record<string, unknown> = root;
    segments.forEach((segment, j) => {
      const key = String(segment);
      const prefix = segments.slice(0, j + 1).join(".");
      if (!lines.has(prefix)) lines.set(prefix, i + 1);
      if (j === segments.length - 1) {
        Object.defineProperty(node, key, { value: m[2] ?? "", enumerable: true, writable: true, configurable: true });
        return;
      }
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (typeof next === "object" && next !== null) node = next as Record<string, unknown>;
      else {
        const child: Record<string, unknown> = {};
        Object.defineProperty(node, key, { value: child, enumerable: true, writable: true, configurable: true });
        node = child;
      }
    });
  });
  return { value: root, lineOf: (path) => lines.get(path.join(".")) };
}
