/**
 * Starting the CLI stays cheap: what main.ts loads before any command runs (its static imports,
 * followed through src/cli) reaches no module of ours but core, and no package but commander and
 * those core loads anyway. Commands import the rest in their actions (see command-helpers.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("..", import.meta.url));

/** Packages a definition may import: commander, and what core imports anyway. */
const LIGHT_PACKAGES = ["commander", "yaml", "zod"];

/** Specifiers a file loads when it is loaded: `import type` and `await import(...)` load nothing then. */
function staticImports(text: string): string[] {
  const patterns = [
    /^import\s+(?!type\s)[^;]*?\sfrom\s+["']([^"']+)["']/gm,
    /^import\s+["']([^"']+)["']/gm,
    /^export\s+(?!type\s)(?:\*|\{[^}]*\})\s*from\s+["']([^"']+)["']/gm,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ""));
}

/** Our modules (outside cli) and packages loaded with `file`, following src/cli files. */
function loadedWith(file: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const spec of staticImports(readFileSync(path, "utf8"))) {
      if (spec.startsWith("node:")) continue;
      if (!spec.startsWith(".")) {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec));
        continue;
      }
      const target = resolve(dirname(path), spec).replace(/\.js$/, ".ts");
      const rel = relative(SRC, target).split(sep).join("/");
      if (rel.startsWith("cli/")) visit(target);
      else modules.add(rel.replace(/\/index\.ts$/, ""));
    }
  };
  visit(file);
  return { modules, packages };
}

describe("CLI start-up", () => {
  it("defines every command without loading a module a command runs with", () => {
    const { modules, packages } = loadedWith(resolve(SRC, "cli/main.ts"));
    assert.deepEqual([...modules].sort(), ["core"]);
    assert.deepEqual(
      [...packages].filter((p) => !LIGHT_PACKAGES.includes(p)),
      [],
      "packages loaded at start beyond commander and core's own",
    );
  });
});
