/**
 * Reads one OSV file's bytes: JSON (osv.dev, the Go database) or YAML (the PyPA database), with
 * the size and depth bounds of OSV_LIMITS. Every failure is a ValidationError naming the file.
 */
import { LineCounter, parseDocument } from "yaml";
import { ValidationError } from "../core/index.js";
import { OSV_LIMITS, type OsvAdvisory, parseOsvAdvisory } from "./osv.js";

/** The formats an OSV file can be in, by file name. */
export function osvFormatOf(file: string): "json" | "yaml" | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return undefined;
}

function fail(file: string, message: string, options: { line?: number; column?: number; cause?: unknown } = {}): never {
  const issue = {
    path: "",
    message,
    ...(options.line === undefined ? {} : { line: options.line, column: options.column }),
  };
  throw new ValidationError({ code: "bad-input", file, issues: [issue], cause: options.cause });
}

/**
 * Parses one advisory from `content` (bytes or text); the format comes from `file`'s extension.
 * Throws ValidationError (`bad-input`) for a file that is too big, not JSON/YAML, nested too
 * deeply or not an OSV advisory.
 */
export function parseOsvText(content: Uint8Array | string, file: string): OsvAdvisory {
  const format = osvFormatOf(file);
  if (!format) fail(file, "not an OSV file: expected a .json, .yaml or .yml name");
  const bytes = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
  if (bytes > OSV_LIMITS.maxFileBytes) fail(file, `larger than ${OSV_LIMITS.maxFileBytes} bytes`);
  let text = typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: false }).decode(content);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const value = format === "json" ? decodeJson(text, file) : decodeYaml(text, file);
  const depth = nestingDepth(value, OSV_LIMITS.maxDepth);
  if (depth > OSV_LIMITS.maxDepth) fail(file, `nested deeper than ${OSV_LIMITS.maxDepth} levels`);
  return parseOsvAdvisory(value, file);
}

function decodeJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    return fail(file, `invalid JSON: ${cause instanceof Error ? cause.message : "cannot parse"}`, { cause });
  }
}

/**
 * YAML with the failsafe schema: every scalar stays a string, so `fixed: 1.10` is the version
 * "1.10", not the number 1.1. Aliases are capped against expansion bombs.
 */
function decodeYaml(text: string, file: string): unknown {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: false, lineCounter });
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      fail(file, `invalid YAML: ${firstLine(error.message)}`, { line: pos.line, column: pos.col, cause: error });
    }
    return doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    // The YAML library recurses; a stack overflow on hostile nesting lands here.
    return fail(file, `invalid YAML: ${cause instanceof Error ? firstLine(cause.message) : "cannot parse"}`, { cause });
  }
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}

/** Depth of arrays and objects, walked without recursion; stops counting past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (current === null || typeof current !== "object") continue;
    const next = depth + 1;
    if (next > max) max = next;
    if (max > limit) return max;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children)
      if (child !== null && typeof child === "object") stack.push({ value: child, depth: next });
  }
  return max;
}
