/**
 * Model ids written as code inside text: CLI usage in docstrings (`--model_name_or_path X`),
 * doctest examples (`>>> model = AutoModel.from_pretrained("X")`, `model="X",`), JSON bodies in
 * text blocks (`"model": "X"`), `export NAME=X` in messages and commented-out code
 * (`# model_id = "X"`). Only structure counts — a `--flag value`, a `name = "value"`, a
 * `name("value")`, and in comments a quoted string — never words of prose. The caller decides
 * with `matchModel` whether a candidate and its context are a model.
 */

/** A string that may be a model id, the name that gives it meaning, and its line offset. */
export interface EmbeddedCandidate {
  value: string;
  context?: string;
  /** Line offset from the start of the text (0 = first line). */
  line: number;
}

const MAX_LINES = 5_000;
const MAX_LINE = 2_000;
const MAX_CANDIDATES = 2_000;

const FLAG = /(?:^|[\s"'([,=])--([A-Za-z][\w-]{0,60})(?:=|[ \t]+)["'`]?([\w.:/@+-]{2,200})/g;
const ASSIGN = /([A-Za-z_][\w.]{0,100})\s*(?::\s*[\w[\], .|]{1,40}?\s*)?(=|\()\s*["'`]([^"'`\s]{2,200})["'`]/g;
const TUPLE = /([A-Za-z_]\w{0,60})\s*,[\w\s,]{0,200}?=\s*["'`]([^"'`\s]{2,200})["'`]/g;
/** `"model": "x"` in a JSON body or an object literal written in text. */
const PAIR = /["']([A-Za-z_][\w-]{0,60})["']\s*:\s*["']([^"'\s]{2,200})["']/g;
/** `model: "x"` with a bare key: a JavaScript object literal in a code string (an n8n Code node) or a YAML line. */
const BARE_PAIR = /(?:^|[\s{(,])([A-Za-z_$][\w$]{0,60})\s*:\s*["'`]([^"'`\s]{2,200})["'`]/g;
/** `export BASE_MODEL=org/name` written in a message or a comment: an env-style name, unquoted. */
const ENV_ASSIGN = /\b([A-Z][A-Z0-9_]{1,60})=([\w.:/@+-]{2,200})/g;
const QUOTED = /["'`]([^"'`\s]{2,200})["'`]/g;
/**
 * `pipeline("task", "model")`: the positional signature of transformers' `pipeline(task, model)`,
 * Transformers.js and Ruby's Informers, where the model is the second argument.
 */
const PIPELINE = /\bpipeline\s*\(\s*["'`][\w-]{2,60}["'`]\s*,\s*["'`]([^"'`\s]{2,200})["'`]/g;

/**
 * Candidates in `text`, line by line. `comment`: the text is a comment, so a bare quoted string
 * is a candidate too (with no context of its own: only strong patterns will take it). `quoted`:
 * the same for a docstring or help text (`Model to use (e.g. "gpt-4o")`).
 */
export function embeddedModelCandidates(
  text: string,
  options: { comment: boolean; quoted?: boolean },
): EmbeddedCandidate[] {
  const out: EmbeddedCandidate[] = [];
  const lines = text.split("\n", MAX_LINES);
  for (const [offset, raw] of lines.entries()) {
    if (out.length >= MAX_CANDIDATES) break;
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    if (line.length < 4) continue;
    const taken = new Set<string>();
    const add = (value: string | undefined, context: string | undefined) => {
      if (!value || taken.has(value)) return;
      taken.add(value);
      out.push({ value, ...(context ? { context } : {}), line: offset });
    };
    if (line.includes("--")) for (const m of line.matchAll(FLAG)) add(m[2], m[1]);
    if (line.includes(":")) {
      for (const m of line.matchAll(PAIR)) add(m[2], m[1]);
      for (const m of line.matchAll(BARE_PAIR)) add(m[2], m[1]);
    }
    if (line.includes("=")) for (const m of line.matchAll(ENV_ASSIGN)) add(m[2], m[1]);
    if (line.includes("pipeline")) for (const m of line.matchAll(PIPELINE)) add(m[1], "pipeline");
    if (line.includes("=") || line.includes("(")) {
      for (const m of line.matchAll(TUPLE)) add(m[2], m[1]);
      for (const m of line.matchAll(ASSIGN)) {
        const name = m[1] ?? "";
        add(m[3], /Tokeni[sz]er\w*\.from_pretrained$/.test(name) ? "tokenizer" : name.slice(name.lastIndexOf(".") + 1));
      }
    }
    if (options.comment || options.quoted) for (const m of line.matchAll(QUOTED)) add(m[1], undefined);
  }
  return out;
}
