// Runs after `tsc` in `npm run build`: parses every shipped rules/**/*.y(a)ml with the built
// parser and writes dist/yaml-precompiled.json (sha256 of text → value), which parseYamlSource
// uses to skip parsing unchanged shipped files. Files whose value does not survive JSON are left out.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "dist", "yaml-precompiled.json");
rmSync(out, { force: true });
const { parseYamlSource, yamlTextHash } = await import(join(root, "dist", "core", "yaml-document.js"));

const table = {};
let skipped = 0;
for (const entry of readdirSync(join(root, "rules"), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  const text = readFileSync(file, "utf8");
  const { value } = parseYamlSource(text, file);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value) ?? "null"), value)) {
    skipped++;
    continue;
  }
  table[yamlTextHash(text)] = value;
}
writeFileSync(out, JSON.stringify(table));
console.log(
  `precompiled ${Object.keys(table).length} rule files${skipped ? ` (${skipped} left to parse at run time)` : ""}`,
);
