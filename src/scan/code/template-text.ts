/**
 * Config files kept as templates: Go templates (chezmoi's `mcp.json.tmpl`, Helm values) and
 * Jinja (Ansible's `config.toml.j2`). A template is not valid JSON, YAML or TOML until rendered,
 * so an MCP client config kept in a dotfiles repository as one is skipped as malformed. This
 * renders one without its data, close enough to read its structure: control actions go (only
 * the first branch of each `if` is kept, so the document stays one consistent shape), an action
 * alone on its line goes, an action inside a quoted string becomes `_N` and one in value
 * position the string `"_N"` (N counting up, so templated keys stay distinct). Line numbers are kept (each newline of the text stays).
 * Syntax: https://pkg.go.dev/text/template, https://jinja.palletsprojects.com/templates/.
 */

/** Go template and Jinja actions: `{{ ... }}` (with `{{-`/`-}}` trim markers), `{% ... %}`, `{# ... #}`. */
const ACTION = /\{\{-?([\s\S]*?)-?\}\}|\{%-?([\s\S]*?)-?%\}|\{#[\s\S]*?#\}/g;

/** A cheap test for template syntax, run before rendering. */
export function hasTemplateSyntax(text: string): boolean {
  return text.includes("{{") || text.includes("{%");
}

/**
 * Go template actions (`{{ ... }}`) that open a block, branch it and end it, and those that render
 * no value (a comment, `{{ template "x" }}`); anything else there is a value.
 */
const GO_OPEN = /^(?:if|with|range|define|block)\b/;
const GO_BRANCH = /^else\b/;
const GO_CLOSE = /^end$/;
const GO_SILENT = /^(?:\/\*|template\b)/;
/** Jinja statements (`{% ... %}`): blocks that open, branch and end; every other statement renders no value. */
const JINJA_OPEN = /^(?:if|for|macro|call|filter|block|raw|set\s+\w+\s*$)\b/;
const JINJA_BRANCH = /^(?:else|elif)\b/;
const JINJA_CLOSE = /^end\w+$/;

/** Blanks every character of `text` but its newlines. */
function keepNewlines(text: string): string {
  return text.replace(/[^\n]/g, "");
}

/** Spaces, tabs and carriage returns up to the end of the line (or of the text). */
const REST_OF_LINE_BLANK = /[ \t\r]*(?:\n|$)/y;

/**
 * `text` rendered without data as described above, or undefined when it has no template syntax.
 * Linear in the length of the text: the open blocks being dropped are counted, and the quotes
 * and blankness of the output's current line are kept as it grows, so no action rescans a line
 * or the block stack (a one-line file of many actions would otherwise be quadratic).
 */
export function renderTemplateShape(text: string): string | undefined {
  if (!hasTemplateSyntax(text)) return undefined;
  let out = "";
  /** Whether the output's current line has an odd number of `"`, and holds only white space. */
  let lineOddQuotes = false;
  let lineBlank = true;
  const append = (piece: string) => {
    out += piece;
    const newline = piece.lastIndexOf("\n");
    if (newline >= 0) {
      lineOddQuotes = false;
      lineBlank = true;
    }
    for (let i = newline + 1; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (c === 34) lineOddQuotes = !lineOddQuotes;
      if (c !== 32 && c !== 9 && c !== 13) lineBlank = false;
    }
  };
  let last = 0;
  /** One frame per open block: true while its current branch is dropped; `droppedFrames` counts the true ones. */
  const dropping: boolean[] = [];
  let droppedFrames = 0;
  /** Values stand in as `_1`, `_2`...: distinct, so templated keys (`[projects."{{ . }}"]`) stay distinct. */
  let values = 0;
  for (const match of text.matchAll(ACTION)) {
    const start = match.index;
    const between = text.slice(last, start);
    append(droppedFrames > 0 ? keepNewlines(between) : between);
    last = start + match[0].length;
    const go = match[1] !== undefined;
    const jinja = match[2] !== undefined;
    const body = (match[1] ?? match[2] ?? "").trim();
    if ((go && GO_CLOSE.test(body)) || (jinja && JINJA_CLOSE.test(body))) {
      if (dropping.pop()) droppedFrames -= 1;
      append(keepNewlines(match[0]));
      continue;
    }
    if ((go && GO_BRANCH.test(body)) || (jinja && JINJA_BRANCH.test(body))) {
      if (dropping.length > 0 && !dropping[dropping.length - 1]) {
        dropping[dropping.length - 1] = true;
        droppedFrames += 1;
      }
      append(keepNewlines(match[0]));
      continue;
    }
    if ((go && GO_OPEN.test(body)) || (jinja && JINJA_OPEN.test(body))) {
      dropping.push(false);
      append(keepNewlines(match[0]));
      continue;
    }
    // A comment (`{# #}`), a Jinja statement that is no block, a Go action that renders nothing.
    if (!go || GO_SILENT.test(body) || droppedFrames > 0) {
      append(keepNewlines(match[0]));
      continue;
    }
    // A value action: inside a quoted string on its line, nothing; alone on its line, nothing;
    // else a string standing in for the value.
    values += 1;
    REST_OF_LINE_BLANK.lastIndex = last;
    if (lineOddQuotes) append(`_${values}${keepNewlines(match[0])}`);
    else if (lineBlank && REST_OF_LINE_BLANK.test(text)) append(keepNewlines(match[0]));
    else append(`"_${values}"${keepNewlines(match[0])}`);
  }
  const rest = text.slice(last);
  out += droppedFrames > 0 ? keepNewlines(rest) : rest;
  return out;
}
