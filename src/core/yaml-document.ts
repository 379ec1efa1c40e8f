/**
 * Parse a YAML document and validate it with a zod schema, reporting every problem with the
 * file, line, column and dotted path. Shared by config, policy and rule-pack loading.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { ValidationError, type ValidationIssue } from "./errors.js";

/** Limits that keep a hostile document from exhausting memory (alias expansion bombs). */
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

type PathKey = string | number;

/** A parsed YAML document that can tell where a path is in its source. */
export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /** Position of the value at `path` (or of its key, with `atKey`), or of its deepest existing parent. */
  locate(path: readonly PathKey[], options?: { atKey?: boolean }): { line: number; column: number } | undefined;
}

/**
 * Shipped rule packs parsed at build time (`scripts/precompile-yaml.mjs` writes
 * `dist/yaml-precompiled.json`: sha256 of the text → its value). Parsing ~100 KB of YAML costs
 * ~0.2 s on a cold process, more than a small scan; a hash hit skips it. Keyed by content, so an
 * edited file simply misses and is parsed. Absent when running from source.
 */
const PRECOMPILED_URL = new URL("../yaml-precompiled.json", import.meta.url);
let precompiled: Map<string, unknown> | undefined;

function precompiledValue(text: string): { value: unknown } | undefined {
  if (precompiled === undefined) {
    precompiled = new Map();
    try {
      const table = JSON.parse(readFileSync(PRECOMPILED_URL, "utf8")) as Record<string, unknown>;
      for (const [hash, value] of Object.entries(table)) precompiled.set(hash, value);
    } catch {
      // no table (source checkout) or an unreadable one: every document is parsed
    }
  }
  if (precompiled.size === 0) return undefined;
  const hash = yamlTextHash(text);
  return precompiled.has(hash) ? { value: structuredClone(precompiled.get(hash)) } : undefined;
}

/** The key of a document in the precompiled table. */
export function yamlTextHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Parse YAML text; throws ValidationError naming file:line:col on a syntax error. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const known = precompiledValue(text);
  if (known) {
    // Positions are only wanted for error messages: parse the document the first time one is asked.
    let parsed: YamlSource | undefined;
    return {
      file,
      value: known.value,
      locate(path, options) {
        parsed ??= parseDocumentSource(text, file);
        return parsed.locate(path, options);
      },
    };
  }
  return parseDocumentSource(text, file);
}

function parseDocumentSource(text: string, file: string): YamlSource {
  if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES) {
    throw new ValidationError({
      code: "bad-input",
      file,
      issues: [{ path: "", message: `document is larger than ${MAX_DOCUMENT_BYTES} bytes` }],
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ValidationError({
      file,
      issues: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { path: "", line: pos.line, column: pos.col, message: firstLine(error.message) };
      }),
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    throw new ValidationError({
      file,
      issues: [{ path: "", message: cause instanceof Error ? firstLine(cause.message) : "cannot read document" }],
      cause,
    });
  }
  return {
    file,
    value,
    locate(path, options) {
      const node = nodeAt(doc.contents, path, options?.atKey ?? false);
      const offset = node?.range?.[0];
      if (offset === undefined) return undefined;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

/** Walk to the node at `path`; for a missing key, stop at the deepest existing parent. */
function nodeAt(root: unknown, path: readonly PathKey[], atKey: boolean): YamlNode | undefined {
  let current = root as YamlNode | undefined;
  for (const [index, key] of path.entries()) {
    if (!current || !("items" in current)) break;
    const items = (current as { items: unknown[] }).items;
    if (isMap(current)) {
      const pair = items.find((item) => {
        const k = (item as { key?: unknown }).key;
        return isScalar(k) && String(k.value) === String(key);
      }) as { key?: YamlNode; value?: YamlNode } | undefined;
      if (!pair) break;
      const last = index === path.length - 1;
      current = (last && atKey ? pair.key : pair.value) ?? pair.key;
    } else if (typeof key === "number") {
      const next = items[key] as YamlNode | undefined;
      if (!next) break;
      current = next;
    } else {
      break;
    }
  }
  return current;
}

/** Validate `source.value` against `schema`; throws ValidationError listing every issue. */
export function validateYaml<S extends z.ZodType>(schema: S, source: YamlSource): z.infer<S> {
  const result = schema.safeParse(source.value ?? {});
  if (result.success) return result.data;
  const issues: ValidationIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const full = [...path, key];
        issues.push({ path: full.join("."), ...source.locate(full, { atKey: true }), message: "unknown key" });
      }
      continue;
    }
    issues.push({ path: path.join("."), ...source.locate(path), message: issue.message });
  }
  throw new ValidationError({ file: source.file, issues });
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}
