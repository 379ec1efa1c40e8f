/**
 * One source file from text to analysis: the cheap pre-filter, the tree-sitter parse under a
 * time budget, fact extraction and analysis. Shared by the in-process path and the workers.
 */
import type { AiCatalog, AiEndpointEntry } from "../catalog.js";
import { endpointHint } from "../infra.js";
import { parseJbangDeps, parseKotlinNotebookDependencies, parsePep723, parsePipInstalls } from "../manifests/inline.js";
import type { DeclaredPackage } from "../manifests/types.js";
import { createSdkIndex, type SdkIndex } from "../sdk-index.js";
import type { SkipNote, SourceLanguage, WalkedFile } from "../walk.js";
import { analyzeFacts, type FileAnalysis } from "./analyze.js";
import { extractFacts } from "./facts.js";
import { loadParsers, PARSE_BUDGET_MS, type Parsers } from "./parsers.js";

/** Everything needed to analyse source files, built once per thread. */
export interface SourceContext {
  catalog: AiCatalog;
  index: SdkIndex;
  parsers: Parsers;
  prefilter: (text: string, language: SourceLanguage | "notebook") => boolean;
}

export interface SourceFileResult {
  parsed: boolean;
  analysis?: FileAnalysis;
  skipped?: SkipNote;
  /** Packages a notebook's code cells install (`!pip install`) or depend on (Kotlin `@file:DependsOn`). */
  installs?: DeclaredPackage[];
  /** Dependencies of a PEP 723 inline script metadata block (`# /// script`). */
  script?: DeclaredPackage[];
  /** Dependencies of a JBang script's `//DEPS` lines. */
  jbang?: DeclaredPackage[];
}

/** Contexts already built, by catalog: a catalog is never changed once loaded, so one scan's context serves the next. */
const contexts = new WeakMap<AiCatalog, Promise<SourceContext>>();

/** The context for `catalog`, built on first use and shared by later scans with the same catalog object. */
export function createSourceContext(catalog: AiCatalog): Promise<SourceContext> {
  let ctx = contexts.get(catalog);
  if (!ctx) {
    ctx = (async () => {
      const index = createSdkIndex(catalog);
      return {
        catalog,
        index,
        parsers: await loadParsers(),
        prefilter: createPrefilter(index, catalog.aiEndpoints ?? []),
      };
    })();
    contexts.set(catalog, ctx);
  }
  return ctx;
}

/**
 * One regex alternation for many literal words, factored by shared prefixes (`open(?:ai|_clip)`)
 * so a match attempt at a position follows one branch per character instead of trying every word.
 */
export function literalAlternation(words: readonly string[]): string {
  const quote = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  type Trie = Map<string, Trie>;
  const root: Trie = new Map();
  const END = "";
  for (const word of new Set(words)) {
    let node = root;
    for (const c of word) {
      let next = node.get(c);
      if (!next) {
        next = new Map();
        node.set(c, next);
      }
      node = next;
    }
    node.set(END, new Map());
  }
  const emit = (node: Trie): string => {
    const ends = node.has(END);
    const branches = [...node.entries()].filter(([c]) => c !== END).map(([c, child]) => quote(c) + emit(child));
    if (branches.length === 0) return "";
    const body = branches.length === 1 ? (branches[0] as string) : `(?:${branches.join("|")})`;
    return ends ? `(?:${body})?` : body;
  };
  return `(?:${emit(root)})`;
}

/**
 * The cheap text test that decides whether a file is worth parsing: an import of a catalogued
 * package, or a word that model ids, risky calls or MCP servers cannot do without (`mcp` also
 * keeps a file that only names a server, `APP_NAME = "arxiv-mcp-server"`, for the name look-up).
 */
export function createPrefilter(
  index: SdkIndex,
  endpoints: readonly AiEndpointEntry[] = [],
): (text: string, language: SourceLanguage | "notebook") => boolean {
  const keywords =
    "model|deploy|llm|torch\\.load|pickle|joblib|trust_remote_code|from_pretrained|gpt-|claude|gemini|anthropic\\.|amazon\\.|meta\\.|mistral|command-r|text-embedding|dall-e|whisper|llama|qwen|deepseek|grok-|minimax|voxtral|devstral|mcp" +
    // Open-weight families a hub id carries (`launcher("bigcode/starcoder2-3b")` with no model word
    // around it) and the vendor families a strong pattern knows whole.
    "|starcoder|santacoder|bloom|gemma|pythia|neox|idefics|llava|zephyr|vicuna|stablelm|smollm|phi-\\d|flan-t5|gpt2|mpt-\\d|jina-|sabia|ernie-|aura-|saaras|bulbul|sarvam|zerank|universal-streaming|simba-";
  const python = new Set(
    index.prefixes.filter((p) => !p.includes("/") && !p.includes("@")).map((p) => p.split(".")[0] ?? p),
  );
  const quoted = index.prefixes.filter((p) => /[/@-]/.test(p) || !p.includes("."));
  const dotted = index.prefixes.filter((p) => p.includes(".") && !p.includes("/"));
  const py = new RegExp(`\\b(?:import|from)\\s+${literalAlternation([...python])}\\b|${keywords}`, "i");
  const js = new RegExp(`["']${literalAlternation(quoted)}(?:["'/])|${keywords}`, "i");
  const jvm = new RegExp(`${literalAlternation(dotted)}|${keywords}`, "i");
  // Raw HTTP calls to AI APIs (the endpoint hosts of the catalog): substring checks first, so the
  // common file without any pays for a few memchr-speed scans, not a wider regex. The quick
  // substrings are used only while every catalogued hint contains one of them.
  const hint = endpointHint(endpoints);
  const quickWords = ["api.", "googleapis", "azure.com", "amazonaws", "openrouter", "huggingface.co", ":11434"];
  const quick = endpoints.every((e) => quickWords.some((w) => e.hint.includes(w)));
  const endpoint = (text: string) =>
    hint !== undefined && (!quick || quickWords.some((w) => text.includes(w))) && hint.test(text);
  return (text, language) => {
    if (language === "python" || language === "notebook") return py.test(text) || endpoint(text);
    if (language === "java") return jvm.test(text) || endpoint(text);
    return js.test(text) || endpoint(text);
  };
}

/** Code cells of a Jupyter notebook as one Python text (magics commented out); lines count across cells. */
export function notebookCode(text: string): string {
  return readNotebook(text).code;
}

/** A cell run by a shell cell magic (https://ipython.readthedocs.io/en/stable/interactive/magics.html#cell-magics). */
const SHELL_CELL = /^\s*%%(?:bash|sh|script[ \t]+(?:ba|z)?sh)\b/;

/** Kernel languages read with the JavaScript and TypeScript parsers (tslab, Deno, IJavascript). */
const JS_KERNEL_LANGUAGES: Readonly<Record<string, SourceLanguage>> = {
  typescript: "typescript",
  javascript: "javascript",
};

/**
 * A notebook's code cells and the language they are in: the kernel's language
 * (`metadata.language_info.name`, else `metadata.kernelspec.language`; nbformat 4) when it is
 * JavaScript or TypeScript, Python otherwise (Python kernels, and those without metadata).
 */
export function readNotebook(text: string): { code: string; language: SourceLanguage; installCode: string } {
  const doc = JSON.parse(text) as { cells?: unknown; metadata?: unknown };
  if (!Array.isArray(doc.cells)) throw new Error("not a notebook: no cells");
  const meta = (typeof doc.metadata === "object" && doc.metadata !== null ? doc.metadata : {}) as {
    language_info?: { name?: unknown };
    kernelspec?: { language?: unknown };
  };
  const kernel = meta.language_info?.name ?? meta.kernelspec?.language;
  const language = (typeof kernel === "string" && JS_KERNEL_LANGUAGES[kernel.toLowerCase()]) || "python";
  const parts: string[] = [];
  /** The same lines, with those the author commented out left blank: what the notebook really runs. */
  const runs: string[] = [];
  for (const cell of doc.cells as { cell_type?: unknown; source?: unknown }[]) {
    if (cell?.cell_type !== "code") continue;
    const source = Array.isArray(cell.source)
      ? cell.source.join("")
      : typeof cell.source === "string"
        ? cell.source
        : "";
    const marker = language === "python" ? "#" : "//";
    // A shell cell (`%%bash`, `%%sh`, `%%script bash`) is shell throughout: every line is kept as a
    // comment, where its `NAME=value` and `--flag value` lines are read as code in text.
    if (SHELL_CELL.test(source)) {
      parts.push(source.replace(/^/gm, marker));
      runs.push(source.replace(/^/gm, marker));
      continue;
    }
    // A magic and the lines it continues with a trailing `\` (`!pip install -q \` / `    a \`).
    const code = source.replace(/^[ \t]*[%!](?:.*\\\r?\n)*.*$/gm, (m) => m.replace(/^/gm, marker));
    parts.push(code);
    // `# !pip install x` as the author wrote it is a command left out, not one the notebook runs.
    const original = source.split("\n");
    runs.push(
      code
        .split("\n")
        .map((line, i) => (/^[ \t]*(?:#|\/\/)/.test(original[i] ?? "") ? "" : line))
        .join("\n"),
    );
  }
  return { code: parts.join("\n"), language, installCode: runs.join("\n") };
}

/** The code a source or notebook file holds (notebooks: their code cells). */
export function sourceCode(file: WalkedFile, text: string): string {
  return file.role.kind === "notebook" ? notebookCode(text) : text;
}

/** Analyse one source or notebook file; throws on a malformed notebook (the caller notes it). */
export function analyzeSourceFile(file: WalkedFile, text: string, ctx: SourceContext): SourceFileResult {
  const notebook = file.role.kind === "notebook" ? readNotebook(text) : undefined;
  const language: SourceLanguage = file.role.kind === "source" ? file.role.language : (notebook?.language ?? "python");
  // A JavaScript or TypeScript notebook is analysed as that language; a Python one as a notebook.
  const kind = notebook && language === "python" ? "notebook" : language;
  const code = notebook ? notebook.code : text;
  const installs = notebook
    ? [...parsePipInstalls(notebook.installCode), ...parseKotlinNotebookDependencies(notebook.installCode)]
    : [];
  const script = kind === "python" && text.includes("# /// script") ? parsePep723(text) : [];
  const jbang = kind === "java" && text.includes("//DEPS") ? parseJbangDeps(text) : [];
  const declared = {
    ...(installs.length > 0 ? { installs } : {}),
    ...(script.length > 0 ? { script } : {}),
    ...(jbang.length > 0 ? { jbang } : {}),
  };
  if (!ctx.prefilter(code, kind)) return { parsed: false, ...declared };
  const started = performance.now();
  const tree = ctx.parsers[language].parse(code, null, {
    progressCallback: () => performance.now() - started > PARSE_BUDGET_MS,
  });
  if (!tree)
    return {
      parsed: false,
      skipped: { file: file.rel, reason: `parsing took longer than ${PARSE_BUDGET_MS} ms` },
      ...declared,
    };
  try {
    const facts = extractFacts(tree, language);
    return {
      ...declared,
      parsed: true,
      analysis: analyzeFacts({
        facts,
        rel: file.rel,
        language: kind,
        text: code,
        index: ctx.index,
        catalog: ctx.catalog,
      }),
    };
  } finally {
    tree.delete();
  }
}
