/**
 * Module boundaries from DESIGN.md, checked mechanically: a module imports only modules listed
 * before it, and only through their index.ts.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

/** DESIGN.md's module table, in order: dependencies point up this list only. */
const MODULES = [
  "core",
  "detect",
  "vuln",
  "scan/code",
  "scan/model",
  "scan/image",
  "sbom",
  "policy",
  "store",
  "gateway",
  "mcp",
  "gate",
  "runtime",
  "incident",
  "server",
  // Red-team probes use detect and policy; only the CLI drives them.
  "redteam",
  "cli",
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function moduleOf(file: string): string | undefined {
  const rel = relative(SRC, file).split(sep).join("/");
  return [...MODULES].sort((a, b) => b.length - a.length).find((m) => rel === m || rel.startsWith(`${m}/`));
}

function relativeImports(text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)];
  return specifiers.map((m) => m[1] ?? "");
}

describe("module boundaries", () => {
  const files = sourceFiles(SRC);

  it("places every source file in a module of DESIGN.md", () => {
    const orphans = files.filter((f) => !moduleOf(f)).map((f) => relative(SRC, f));
    assert.deepEqual(orphans, []);
  });

  it("imports only earlier modules, and only through their index.ts", () => {
    const violations: string[] = [];
    for (const file of files) {
      if (file.endsWith(".test.ts") || file.endsWith(".contract.ts")) continue;
      const from = moduleOf(file);
      if (!from) continue;
      for (const spec of relativeImports(readFileSync(file, "utf8"))) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
        const to = moduleOf(target);
        const where = `${relative(SRC, file)} -> ${spec}`;
        if (!to) {
          violations.push(`${where}: outside src modules`);
          continue;
        }
        if (to === from) continue;
        if (MODULES.indexOf(to) > MODULES.indexOf(from)) violations.push(`${where}: ${from} may not import ${to}`);
        if (relative(join(SRC, to), target) !== "index.ts")
          violations.push(`${where}: import ${to} through its index.ts`);
      }
    }
    assert.deepEqual(violations, []);
  });
});
