/**
 * Tree-sitter parsers (web-tree-sitter, grammars from the npm packages that ship .wasm files),
 * loaded once per process. Parsing is bounded by a time budget per file.
 */
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import type { SourceLanguage } from "../walk.js";

const require = createRequire(import.meta.url);

const GRAMMARS: Record<SourceLanguage, string> = {
  python: "tree-sitter-python/tree-sitter-python.wasm",
  javascript: "tree-sitter-javascript/tree-sitter-javascript.wasm",
  typescript: "tree-sitter-typescript/tree-sitter-typescript.wasm",
  tsx: "tree-sitter-typescript/tree-sitter-tsx.wasm",
  go: "tree-sitter-go/tree-sitter-go.wasm",
  java: "tree-sitter-java/tree-sitter-java.wasm",
};

/** One parser per language, ready to use. */
export type Parsers = Record<SourceLanguage, Parser>;

let loading: Promise<Parsers> | undefined;

/** Load every grammar once; later calls share the same parsers. */
export function loadParsers(): Promise<Parsers> {
  loading ??= (async () => {
    await Parser.init();
    const entries = await Promise.all(
      (Object.keys(GRAMMARS) as SourceLanguage[]).map(async (language) => {
        const parser = new Parser();
        parser.setLanguage(await Language.load(require.resolve(GRAMMARS[language])));
        return [language, parser] as const;
      }),
    );
    return Object.fromEntries(entries) as Parsers;
  })();
  return loading;
}

/** Longest a single file may take to parse before it is skipped. */
export const PARSE_BUDGET_MS = 2000;
