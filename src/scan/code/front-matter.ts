/**
 * YAML front matter in a script: a `---` line right at the top (after a `#!` line, when there is
 * one), the YAML, and a closing `---` line. Script runners that take their settings from the
 * script itself (mcphost's `#!/usr/bin/env -S mcphost script` files: `model:` and `mcpServers:`
 * over a prompt) keep configuration there, read like any YAML config.
 */

/** Lines looked at for the closing `---`; a front matter block longer than this is not one. */
const MAX_FRONT_MATTER_LINES = 2_000;

/**
 * The front matter of `text` as a YAML document that keeps the file's line numbers (the lines
 * before it are blank), or undefined when the text has none.
 */
export function frontMatterYaml(text: string): string | undefined {
  if (!text.startsWith("---") && !text.startsWith("#!")) return undefined;
  const lines = text.split(/\r?\n/, MAX_FRONT_MATTER_LINES + 2);
  const open = lines[0]?.startsWith("#!") ? 1 : 0;
  if (lines[open]?.trimEnd() !== "---") return undefined;
  for (let i = open + 1; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    if (line.trimEnd() === "---" || line.trimEnd() === "...") {
      if (i === open + 1) return undefined;
      return [...Array.from({ length: open + 1 }, () => ""), ...lines.slice(open + 1, i)].join("\n");
    }
  }
  return undefined;
}
