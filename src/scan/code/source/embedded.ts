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

const FLAG = /(?:^|[\s"'([,=])--([A-Za-z][\w.-]{0,60})(?:=|[ \t]+)["'`]?([\w.:/@+-]{2,200})/g;
const ASSIGN = /([A-Za-z_][\w.]{0,100})\s*(?::\s*[\w[\], .|]{1,40}?\s*)?(=|\()\s*["'`]([^"'`\s]{2,200})["'`]/g;
const TUPLE = /([A-Za-z_]\w{0,60})\s*,[\w\s,]{0,200}?=\s*["'`]([^"'`\s]{2,200})["'`]/g;
/** `"model": "x"` in a JSON body or an object literal written in text. */
const PAIR = /["']([A-Za-z_][\w-]{0,60})["']\s*:\s*["']([^"'\s]{2,200})["']/g;
/** `model: "x"` with a bare key: a JavaScript object literal in a code string (an n8n Code node) or a YAML line. */
const BARE_PAIR = /(?:^|[\s{(,])([A-Za-z_$][\w$]{0,60})\s*:\s*["'`]([^"'`\s]{2,200})["'`]/g;
/** `export BASE_MODEL=org/name` written in a message or a comment: an env-style name, unquoted. */
const ENV_ASSIGN = /\b([A-Z][A-Z0-9_]{1,60})=([\w.:/@+-]{2,200})/g;
const QUOTED = /["'`]([^"'`\s]{2,200})["'`]/g;
/** A comparison with a repository's name, right before a quoted value (`github.repository == 'x'`). */
const REPOSITORY_COMPARED = /\b(?:repository|repo|full_name)\s*[!=]==?\s*$/;
/** Words that introduce an example in prose, right before a quoted value (`e.g. "x"`, `such as 'x'`). */
const EXAMPLE_LEAD = /(?:\be\.g\.?|\bi\.e\.?|\bfor example|\bsuch as|\blike|\beg)[,:]?\s*\(?\s*$/i;
/**
 * `pipeline("task", "model")`: the positional signature of transformers' `pipeline(task, model)`,
 * Transformers.js and Ruby's Informers, where the model is the second argument.
 */
const PIPELINE = /\bpipeline\s*\(\s*["'`][\w-]{2,60}["'`]\s*,\s*["'`]([^"'`\s]{2,200})["'`]/g;

/**
 * `-m MODEL` in a command line (`codex -m gpt-5-codex`, `llm -m claude-3.5-sonnet`): the short
 * flag of most LLM command-line tools. Python's `-m module` and `git commit -m message` are not.
 */
export const SHORT_MODEL_FLAG = /([\w./-]+)\s+-m(?:=|\s+)\\?["']?([\w.:/@+-]{2,200})/g;
export const NOT_MODEL_FLAG_OWNER = /^(python[\d.]*|py|pypy[\d.]*|commit|tag|merge|stash|revert|am|note|notes)$/;

/** The `-m` values of one line, with the command that takes them not being Python or git. */
export function shortFlagValues(line: string): string[] {
  if (!line.includes("-m")) return [];
  const out: string[] = [];
  for (const m of line.matchAll(SHORT_MODEL_FLAG)) {
    const owner = (m[1] ?? "").slice((m[1] ?? "").lastIndexOf("/") + 1);
    if (!NOT_MODEL_FLAG_OWNER.test(owner) && m[2]) out.push(m[2]);
  }
  return out;
}

/** A YAML key that opens a block (`llm_model_ids:`), and an item of a block list (`- "gpt-4o"`). */
const YAML_BLOCK_KEY = /^(\s*)(?:-\s+)?["']?([A-Za-z_][\w-]{0,60})["']?\s*:\s*$/;
const YAML_LIST_ITEM = /^(\s*)-\s+["']?([^"'\s#]{2,200})["']?\s*(?:#.*)?$/;
/** `model_id=org/name` alone on a line: a shell assignment (a `%%bash` cell, a commented template). */
const SHELL_ASSIGN = /^\s*(?:(?:#+|\/\/)\s*)?(?:export\s+)?([A-Za-z_]\w{0,60})=([\w.:/@+-]{2,200})(?:\s|$)/;

/**
 * Words of prose that may be ids (`language model e.g. gemini-2.0-flash, gemini-2.0-flash-thinking-exp-01-21`,
 * `- eleven_v3: High quality model`): id-shaped tokens with a digit, a `-` or a `_` in them, and no
 * `/`. The caller takes only those a strong pattern knows, and none that the structure around
 * them already named (`--dataset_name org/x`).
 */
export function proseTokens(text: string): EmbeddedCandidate[] {
  const out: EmbeddedCandidate[] = [];
  const lines = text.split("\n", MAX_LINES);
  for (const [offset, raw] of lines.entries()) {
    if (out.length >= MAX_CANDIDATES) break;
    // A Markdown link's text names a page (`[MiniMax-M1 paper](https://...)`), not a model in use.
    const cut = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    const line = cut.includes("](") ? cut.replace(MARKDOWN_LINK, " ") : cut;
    // `Enter OpenRouter model ID (e.g. google/gemma-4-26b-a4b-it)`, `(default: openai/gpt-5)`: on a
    // line that says model (and not dataset), a versioned `org/name` given as an example or a default.
    const modelLine = line.includes("/") && MODEL_LINE.test(line) && !/dataset/i.test(line);
    // `Supported models: flux, turbo.`: the ids a list names after the label, to the sentence's end.
    const named: [number, number][] = [];
    if (/models?\s{0,3}:/i.test(line))
      for (const g of line.matchAll(MODELS_LABEL)) {
        const from = (g.index ?? 0) + g[0].length;
        const stop = line.indexOf(". ", from);
        named.push([from - 1, Math.min(stop < 0 ? line.length : stop, from + 200)]);
      }
    for (const m of line.matchAll(PROSE_TOKEN)) {
      const value = (m[0] ?? "").replace(/[.:/@+-]+$/, "");
      // `Default model: openai/gpt-4o-mini.`, `Uses deepseek-v4-flash model by default`, `many models
      // including google/gemini-2.5-flash-image` in a help text: the prose itself names the value a model.
      const lead = line.slice(Math.max(0, (m.index ?? 0) - 24), m.index);
      const at = m.index ?? 0;
      const inList = named.some(([from, to]) => at > from && at < to);
      const tail = line.slice(at + (m[0]?.length ?? 0), at + (m[0]?.length ?? 0) + 24);
      if (
        value.length >= 2 &&
        /[A-Za-z]/.test(value) &&
        (inList || DEFAULT_MODEL_LEAD.test(lead) || (DEFAULT_MODEL_TAIL.test(tail) && /\d/.test(value)))
      ) {
        out.push({ value, context: "model", line: offset });
        continue;
      }
      // `org/name` in prose is as often a dataset or a repository as a model: left to structure.
      if (
        value.length >= 3 &&
        /[\d_-]/.test(value) &&
        /[A-Za-z]/.test(value) &&
        (!value.includes("/") || (modelLine && VERSIONED_REPO.test(value) && EXAMPLE_OR_DEFAULT.test(lead)))
      )
        out.push({ value, line: offset });
    }
  }
  return out;
}
const PROSE_TOKEN = /[A-Za-z0-9][\w.:/@+-]{1,120}/g;
const MODEL_LINE = /\bmodels?\b/i;
const MARKDOWN_LINK = /\[[^\]\n]{1,200}\]\([^)\s]{1,500}\)/g;
/** What introduces an example or a default right before a value in prose (`e.g. `, `(default: `). */
const EXAMPLE_OR_DEFAULT = /(?:\be\.g\.?|\beg|\bfor example|\bsuch as|\bdefault(?:s| is)?)[,:]?\s*\(?\s*$/i;
/** `Default model:`, `Supported models:`, `Available models:` as a label before ids. */
const MODELS_LABEL = /\b(?:default|supported|available)\s{1,3}models?\s{0,3}:/gi;
/** `Default model: `, `default model is `, `models including ` right before a value. */
const DEFAULT_MODEL_LEAD = /\bdefault\s+model(?:\s+is)?\s*[:=]?\s*$|\bmodels\s+including\s+$/i;
/** `Uses X model by default` right after a value. */
const DEFAULT_MODEL_TAIL = /^\s+model\s+by\s+default\b/i;
/** `org/name` with a digit in the name (a size or version), and no further path. */
const VERSIONED_REPO = /^[A-Za-z0-9][\w.-]*\/(?=[^/]*\d)[\w.:-]+$/;

const OPENS_OBJECT = /["']?([A-Za-z_][\w-]{0,60})["']?\s*:\s*\{\s*$/;
/**
 * A call whose arguments follow on the next lines (Kotlin `LLModel(` / `id = "x",`, Python
 * `ModelConfig(` / `name="x",`): its arguments are named by the callee, as an object by its key.
 */
const OPENS_CALL = /(?:^|[^\w.])([A-Za-z_]\w{0,60})\s*\(\s*$/;
const MAX_OBJECT_DEPTH = 64;

/**
 * Follow the braces and parentheses of one line: a keyed object or a call opened at its end,
 * then any other braces in order. Parentheses are followed only inside a call opened so.
 */
function trackObjects(line: string, objects: string[]): void {
  const keyed = OPENS_OBJECT.exec(line) ?? OPENS_CALL.exec(line);
  const body = keyed ? line.slice(0, keyed.index) : line;
  const parens = objects.length > 0;
  for (const c of body) {
    if ((c === "{" || (parens && c === "(")) && objects.length < MAX_OBJECT_DEPTH) objects.push("");
    else if (c === "}" || (parens && c === ")")) objects.pop();
  }
  if (keyed?.[1] && objects.length < MAX_OBJECT_DEPTH) objects.push(keyed[1]);
}

/**
 * Candidates in `text`, line by line. `comment`: the text is a comment, so a bare quoted string
 * is a candidate too (with no context of its own: only strong patterns will take it). `quoted`:
 * the same for a docstring or help text (`Model to use (e.g. "gpt-4o")`). `lead`: the end of the
 * comment line before, when the text continues it (`// the model (e.g.,` then `// "gpt-4o")`).
 */
export function embeddedModelCandidates(
  text: string,
  options: { comment: boolean; quoted?: boolean; lead?: string },
): EmbeddedCandidate[] {
  const out: EmbeddedCandidate[] = [];
  const lines = text.split("\n", MAX_LINES);
  /** The key of the YAML block list being read (`llm_model_ids:` then `- "x"` lines), with its indent. */
  let block: { key: string; indent: number } | undefined;
  /** Keys of the JSON objects open at this line (`"model_configuration": {`), innermost last; "" for an unkeyed one. */
  const objects: string[] = [];
  for (const [offset, raw] of lines.entries()) {
    if (out.length >= MAX_CANDIDATES) break;
    const line = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    if (line.trim().length === 0) continue;
    // YAML written in a string or a comment: a list item is named by the key that opens its block.
    const opens = line.includes(":") ? YAML_BLOCK_KEY.exec(line) : null;
    const item = line.includes("-") ? YAML_LIST_ITEM.exec(line) : null;
    if (opens?.[2]) block = { key: opens[2], indent: (opens[1] ?? "").length };
    else if (block && item?.[2] && (item[1] ?? "").length >= block.indent)
      out.push({ value: item[2], context: block.key, line: offset });
    else if (!item) block = undefined;
    const braces =
      line.includes("{") ||
      line.includes("}") ||
      (line.includes("(") && (objects.length > 0 || line.trimEnd().endsWith("("))) ||
      (objects.length > 0 && line.includes(")"));
    if (line.length < 4) {
      if (braces) trackObjects(line, objects);
      continue;
    }
    const taken = new Set<string>();
    // `"model_configuration": { "name": "x" }` over several lines, Kotlin `LLModel(` / `id = "x"`:
    // a `name` or `id` is named by the object's key or the call's name.
    const owner = objects[objects.length - 1];
    const named = (key: string | undefined) =>
      owner && key && /^(name|id)$/.test(key) && /model|llm|embedder/i.test(owner) ? `${owner}.${key}` : key;
    const add = (value: string | undefined, context: string | undefined) => {
      if (!value || taken.has(value)) return;
      taken.add(value);
      out.push({ value, ...(context ? { context } : {}), line: offset });
    };
    // A namespaced flag (`--actor.model_name_or_path X`) is named by its last part.
    if (line.includes("--")) for (const m of line.matchAll(FLAG)) add(m[2], m[1]?.slice(m[1].lastIndexOf(".") + 1));
    if (line.includes(":")) {
      for (const m of line.matchAll(PAIR)) add(m[2], named(m[1]));
      for (const m of line.matchAll(BARE_PAIR)) add(m[2], named(m[1]));
    }
    if (braces) trackObjects(line, objects);
    if (line.includes("=")) {
      for (const m of line.matchAll(ENV_ASSIGN)) add(m[2], m[1]);
      const shell = SHELL_ASSIGN.exec(line);
      if (shell) add(shell[2], shell[1]);
    }
    for (const value of shortFlagValues(line)) add(value, "model");
    if (line.includes("pipeline")) for (const m of line.matchAll(PIPELINE)) add(m[1], "pipeline");
    if (line.includes("=") || line.includes("(")) {
      for (const m of line.matchAll(TUPLE)) add(m[2], m[1]);
      for (const m of line.matchAll(ASSIGN)) {
        const name = m[1] ?? "";
        // `String::from("x")`, `Cow::from("x")`: a conversion names nothing; what it converts is a bare string.
        if (m[2] === "(" && line[(m.index ?? 0) - 1] === ":" && /^(from|new)$/.test(name)) {
          add(m[3], undefined);
          continue;
        }
        add(
          m[3],
          /Tokeni[sz]er\w*\.from_pretrained$/.test(name)
            ? "tokenizer"
            : m[2] === "="
              ? named(name.slice(name.lastIndexOf(".") + 1))
              : name.slice(name.lastIndexOf(".") + 1),
        );
      }
    }
    if (options.comment || options.quoted) {
      /** Where the last quoted example ended, so that `"a" or "b"` after it are examples too. */
      let exampleEnd = -1;
      for (const m of line.matchAll(QUOTED)) {
        const index = m.index ?? 0;
        // `# ... (e.g. "xai/grok-beta")`: an example in a comment's prose, not a setting left in code;
        // also when the lead ends the comment line before (`// ... (e.g.,` / `// "x" or "y")`).
        const before = line.slice(Math.max(0, index - 24), index);
        const example =
          options.comment &&
          (EXAMPLE_LEAD.test(before) ||
            (exampleEnd >= 0 && /^\s*(?:,|or|and|\/)\s*$/.test(line.slice(exampleEnd, index))) ||
            (offset === 0 &&
              options.lead !== undefined &&
              /^\s*(?:\/\/+|#+|\*|--)?\s*\(?\s*$/.test(line.slice(0, index)) &&
              EXAMPLE_LEAD.test(options.lead.trimEnd())));
        if (example) {
          exampleEnd = index + m[0].length;
          continue;
        }
        // `github.repository == 'groq/groq-python'` (a workflow's `if:`): a repository's name.
        if (REPOSITORY_COMPARED.test(before)) continue;
        add(m[1], undefined);
      }
    }
  }
  return out;
}
