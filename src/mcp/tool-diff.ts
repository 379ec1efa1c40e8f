/**
 * A readable diff between an approved tool definition and the one listed now, one line per
 * changed field (`inputSchema.properties.note: added {...}`), long texts as a word diff
 * (git's `--word-diff=plain` markers `[-old-]{+new+}`) computed with jsdiff. Invisible
 * characters are spelled out (`\u{200B}`) so a change nobody could see still shows.
 */
import { diffWordsWithSpace } from "diff";
import { escapeInvisible, showString } from "./unicode.js";

/** Strings up to this long (on one line) are shown whole, old then new. */
const SHORT_TEXT = 120;
/** Unchanged text kept around a change in a word diff, each side. */
const CONTEXT = 40;
/** One value is shown up to this many characters. */
const MAX_VALUE = 2_000;
/** Lines of one diff; the rest is counted. */
const MAX_LINES = 200;
/** jsdiff gives up past this many edits (it is O(N·D)); the whole text is then shown replaced. */
const MAX_EDIT_LENGTH = 5_000;

/**
 * What changed between two canonical definitions (canonicalTool output), one line (or block)
 * per changed field, with its dotted path. Text that is not JSON is compared as a whole.
 */
export function diffTool(approvedCanonical: string, currentCanonical: string): string {
  if (approvedCanonical === currentCanonical) return "";
  const before = parse(approvedCanonical);
  const after = parse(currentCanonical);
  const lines: string[] = [];
  diffValue(before, after, "", lines);
  if (lines.length === 0) lines.push("(same fields; only their encoding differs)");
  if (lines.length <= MAX_LINES) return lines.join("\n");
  return [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more lines`].join("\n");
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function diffValue(before: unknown, after: unknown, path: string, out: string[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const sub = joinPath(path, key);
      if (!Object.hasOwn(after, key)) out.push(`${sub}: removed (was ${show(before[key])})`);
      else if (!Object.hasOwn(before, key)) out.push(`${sub}: added ${show(after[key])}`);
      else diffValue(before[key], after[key], sub, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.some(isStructured)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      const sub = `${path}[${i}]`;
      if (i >= after.length) out.push(`${sub}: removed (was ${show(before[i])})`);
      else if (i >= before.length) out.push(`${sub}: added ${show(after[i])}`);
      else diffValue(before[i], after[i], sub, out);
    }
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const label = path || "(definition)";
  if (typeof before === "string" && typeof after === "string" && !isShort(before, after)) {
    out.push(`${label}: (word diff)`, `  ${wordDiff(before, after)}`);
    return;
  }
  out.push(`${label}: - ${show(before)} + ${show(after)}`);
}

function isShort(before: string, after: string): boolean {
  return before.length <= SHORT_TEXT && after.length <= SHORT_TEXT && !/\n/.test(before + after);
}

/** `[-removed-]{+added+}` with unchanged stretches cut to CONTEXT characters each side. */
function wordDiff(before: string, after: string): string {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return `[-${inline(before)}-]{+${inline(after)}+}`;
  return changes
    .map((change, i) => {
      if (change.removed) return `[-${inline(change.value)}-]`;
      if (change.added) return `{+${inline(change.value)}+}`;
      return inline(elide(change.value, i === 0, i === changes.length - 1));
    })
    .join("");
}

function elide(text: string, first: boolean, last: boolean): string {
  if (first && last) return text;
  if (first) return text.length > CONTEXT ? `…${text.slice(-CONTEXT)}` : text;
  if (last) return text.length > CONTEXT ? `${text.slice(0, CONTEXT)}…` : text;
  return text.length > 2 * CONTEXT ? `${text.slice(0, CONTEXT)}…${text.slice(-CONTEXT)}` : text;
}

/** A string's characters as in a JSON literal (escapes, invisibles spelled out), without the quotes. */
function inline(text: string): string {
  return cut(showString(text).slice(1, -1));
}

function show(value: unknown): string {
  if (typeof value === "string") return cut(showString(value));
  return cut(escapeInvisible(JSON.stringify(value) ?? "null"));
}

function cut(text: string): string {
  return text.length <= MAX_VALUE ? text : `${text.slice(0, MAX_VALUE)}…(${text.length - MAX_VALUE} more characters)`;
}

function joinPath(path: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return part;
  return part.startsWith('"') ? `${path}[${part}]` : `${path}.${part}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStructured(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}
