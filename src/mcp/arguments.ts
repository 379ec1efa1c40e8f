/**
 * Argument constraints on MCP tool calls (`runtime.roles[].mcp.arguments` in the policy): path
 * prefixes for file tools, host allowlists for fetch tools, patterns, lengths and enums. A value
 * is judged as the server will read it: paths are normalised (`..`, `.`, repeated and Windows
 * separators, `file:` URLs) before the prefix test, URLs are parsed by the WHATWG parser (so
 * `https://allowed@evil.example` is evil.example) before the host test.
 */
import { posix } from "node:path";
import type { McpArgumentRule } from "../policy/index.js";
import { compileGlobs } from "../policy/index.js";

export interface ArgumentViolation {
  /** Where the offending value sits in the arguments (`path`, `options.url`, `files[2]`). */
  at: string;
  message: string;
}

/** Strings visited under a `*` rule at most (a call with more is refused, not half-checked). */
const MAX_STRINGS = 10_000;
const MAX_DEPTH = 64;

/** The first rule broken by `args`, or undefined when every rule holds. */
export function checkArguments(args: unknown, rules: readonly McpArgumentRule[]): ArgumentViolation | undefined {
  for (const rule of rules) {
    const values = valuesAt(args, rule.argument);
    if (values === "too-many")
      return { at: rule.argument, message: `more than ${MAX_STRINGS} values to check under ${rule.argument}` };
    for (const { at, value } of values) {
      const problem = judge(value, rule);
      if (problem) return { at, message: `${at}: ${problem}` };
    }
  }
  return undefined;
}

type Found = { at: string; value: unknown };

/**
 * The values a rule's `argument` names: a dotted path (array items are each checked, so
 * `paths` covers `paths: ["/a", "/b"]`), or `*` for every string anywhere in the arguments.
 */
function valuesAt(args: unknown, argument: string): Found[] | "too-many" {
  if (argument === "*") {
    const out: Found[] = [];
    const walk = (value: unknown, at: string, depth: number): boolean => {
      if (typeof value === "string") {
        out.push({ at: at || "(arguments)", value });
        return out.length <= MAX_STRINGS;
      }
      if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return true;
      if (Array.isArray(value)) return value.every((v, i) => walk(v, `${at}[${i}]`, depth + 1));
      return Object.entries(value).every(
        ([k, v]) => walk(k, at, depth + 1) && walk(v, at ? `${at}.${k}` : k, depth + 1),
      );
    };
    return walk(args, "", 0) ? out : "too-many";
  }
  let value: unknown = args;
  for (const step of argument.split(".")) {
    if (typeof value !== "object" || value === null) return [];
    if (!Object.hasOwn(value, step)) return [];
    value = (value as Record<string, unknown>)[step];
  }
  if (Array.isArray(value)) return value.map((v, i) => ({ at: `${argument}[${i}]`, value: v }));
  return value === undefined ? [] : [{ at: argument, value }];
}

function judge(value: unknown, rule: McpArgumentRule): string | undefined {
  if (rule.enum && !rule.enum.some((e) => e === value))
    return `${JSON.stringify(value)} is not one of ${rule.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  const needsString = rule.prefixes || rule.hosts || rule.pattern || rule.maxLength !== undefined;
  if (!needsString) return undefined;
  if (typeof value !== "string") return `expected a string, got ${value === null ? "null" : typeof value}`;
  if (rule.maxLength !== undefined && value.length > rule.maxLength)
    return `${value.length} characters, more than ${rule.maxLength}`;
  if (rule.pattern && !anchored(rule.pattern).test(value)) return `does not match ${rule.pattern}`;
  if (rule.prefixes) {
    const path = normalisePath(value);
    if (path === undefined) return `${clip(value)} is not a path this rule can check`;
    if (!rule.prefixes.some((prefix) => underPrefix(path, prefix)))
      return `${clip(path)} is outside ${rule.prefixes.join(", ")}`;
  }
  if (rule.hosts) {
    let host: string;
    try {
      host = new URL(value).hostname.toLowerCase().replace(/\.$/, "");
    } catch {
      return `${clip(value)} is not a URL`;
    }
    if (!host || !hostMatcher(rule.hosts)(host)) return `host ${host || "(none)"} is not allowed`;
  }
  return undefined;
}

const patterns = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, "u");
    patterns.set(pattern, re);
  }
  return re;
}

const hostMatchers = new Map<string, (host: string) => boolean>();
function hostMatcher(hosts: readonly string[]): (host: string) => boolean {
  const key = hosts.join("\u0000");
  let m = hostMatchers.get(key);
  if (!m) {
    m = compileGlobs(hosts.map((h) => h.toLowerCase()));
    hostMatchers.set(key, m);
  }
  return m;
}

/**
 * The absolute, normalised POSIX form of a path argument, or undefined when it has none: a
 * relative path (against which directory would the server resolve it?), a `~` path, a NUL byte
 * or a URL other than `file:`. Backslashes count as separators: a server on Windows reads them so.
 */
export function normalisePath(value: string): string | undefined {
  let path = value;
  if (/^file:/i.test(path)) {
    try {
      const url = new URL(path);
      if (url.host !== "" && url.host !== "localhost") return undefined;
      path = decodeURIComponent(url.pathname);
    } catch {
      return undefined;
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return undefined;
  if (path.includes("\u0000")) return undefined;
  path = path.replaceAll("\\", "/");
  if (/^[a-z]:\//i.test(path)) path = `/${path}`;
  if (!path.startsWith("/")) return undefined;
  return posix.normalize(path).replace(/(.)\/+$/, "$1");
}

/** `path` is `prefix` or below it, on a path boundary (`/data` does not cover `/database`). */
function underPrefix(path: string, prefix: string): boolean {
  const p = normalisePath(prefix);
  if (p === undefined) return false;
  return p === "/" || path === p || path.startsWith(`${p}/`);
}

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
