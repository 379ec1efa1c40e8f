/**
 * deb822 control data (Debian Policy 5.1, deb822(5)): paragraphs of `Field: value` lines
 * separated by blank lines, with continuation lines that start with a space or a tab. One pass
 * over the lines, so the cost stays linear however long a line or a paragraph is.
 */

/** One paragraph: field names lower-cased (they are case-insensitive), first occurrence wins. */
export type Deb822Paragraph = ReadonlyMap<string, string>;

/**
 * The paragraphs of `text`, in order. Continuation lines join their field's value with `\n`;
 * lines without a colon and `#` comments are ignored, as is a continuation with no field.
 */
export function* deb822Paragraphs(text: string): Generator<Deb822Paragraph> {
  let fields = new Map<string, string>();
  let key: string | undefined;
  let parts: string[] = [];
  const endField = () => {
    if (key !== undefined && !fields.has(key)) fields.set(key, parts.join("\n"));
    key = undefined;
    parts = [];
  };
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    // Policy lets parsers treat whitespace-only lines as paragraph separators too.
    if (trimmed === "") {
      endField();
      if (fields.size > 0) yield fields;
      fields = new Map();
      continue;
    }
    const first = line[0];
    if (first === " " || first === "\t") {
      if (key !== undefined) parts.push(trimmed);
      continue;
    }
    endField();
    if (first === "#") continue;
    const colon = trimmed.indexOf(":");
    if (colon <= 0) continue;
    key = trimmed.slice(0, colon).trim().toLowerCase();
    parts = [trimmed.slice(colon + 1).trim()];
  }
  endField();
  if (fields.size > 0) yield fields;
}
