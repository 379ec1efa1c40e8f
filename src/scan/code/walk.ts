/**
 * Walk a source tree: skip vendored and generated trees (node_modules, .git, virtualenvs,
 * build output), honour .gitignore files, and classify each file by what the scanner does
 * with it. Reading applies the limits: binary, huge and minified files become notes.
 */
import { closeSync, type Dirent, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { isManifestName, isRequirementsFolderFile } from "./manifests/names.js";
import { recordsMayNameModels } from "./records.js";

/** Directories never descended into: dependencies, VCS data, caches, build output. */
export const IGNORED_DIRS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  "venv",
  ".venv",
  "virtualenv",
  "__pycache__",
  ".tox",
  ".nox",
  "site-packages",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  "dist",
  "build",
  "out",
  "target",
  ".next",
  ".nuxt",
  ".turbo",
  ".gradle",
  "coverage",
  "vendor",
  ".terraform",
  ".ipynb_checkpoints",
  ".idea",
]);

/**
 * Names a Python virtual environment is often given but a project's own folder has too (a Helm
 * chart's `chart/env/`): such a folder is skipped only when it is one (`isVirtualEnv`).
 */
const VIRTUALENV_NAMES = new Set(["env", ".env"]);

/**
 * A Python virtual environment or conda environment: `pyvenv.cfg` (PEP 405, written by `venv` and
 * by virtualenv 20+), an `activate` script (older virtualenv), or `conda-meta/`. A folder named
 * `env` that is none of these (a Helm chart's `chart/env/prod.yaml`) is the project's own.
 */
export function isVirtualEnv(dir: string): boolean {
  return (
    existsSync(join(dir, "pyvenv.cfg")) ||
    existsSync(join(dir, "bin", "activate")) ||
    existsSync(join(dir, "Scripts", "activate")) ||
    existsSync(join(dir, "conda-meta"))
  );
}

export const SOURCE_LANGUAGES = ["python", "javascript", "typescript", "tsx", "go", "java"] as const;
export type SourceLanguage = (typeof SOURCE_LANGUAGES)[number];

/** Formats of configuration files read for model ids (`shell`: sh/bash and batch-job scripts). */
export type ConfigFormat =
  | "yaml"
  | "json"
  | "toml"
  | "env"
  | "properties"
  | "shell"
  | "code"
  | "robot"
  | "modelfile"
  | "jsonnet"
  /** Nix modules (NixOS, home-manager: `programs.mcp.servers`, `services.ollama.loadModels`). */
  | "nix"
  /** Recorded HTTP traces of Go tests (`rsc.io/httprr`): request URLs and JSON bodies. */
  | "httprr"
  /** A recorded response or request body kept as text: JSON, or a server-sent event stream. */
  | "recording"
  /** Tabular data (CSV/TSV with a model column, JSON Lines with `model` fields), read from its head. */
  | "records";

/** Shell and batch-job scripts: they export model variables and pass `--model_name_or_path X`. */
const SHELL_RC = /^\.?(?:bashrc|bash_profile|bash_aliases|bash_login|profile|zshrc|zprofile|zshenv|zlogin|aliases)$/;
const SHELL_EXT = new Set([".sh", ".bash", ".zsh", ".slurm", ".sbatch", ".bat", ".cmd"]);
/**
 * Source languages without a parser here (Ruby, Rust, Groovy, Kotlin, Scala, C#, PHP, Swift,
 * Dart): read line by line for model ids written as `NAME = "id"`, `model: "id"`,
 * `.modelName("id")` (format `code`).
 */
/** Source read line by line; `.sql` migrations and seeds set a default model (`DEFAULT 'gpt-4o'`). */
const TEXT_CODE_EXT = new Set([".rb", ".rs", ".groovy", ".kt", ".scala", ".cs", ".php", ".swift", ".dart", ".sql"]);
/**
 * Infrastructure as code that deploys models (Azure Bicep `modelName: 'gpt-4o-mini'` and its
 * `.bicepparam` files, Terraform / OpenTofu `model_name = "gpt-4o"` and `.tfvars`): read line by line
 * the same way (format `code`).
 */
const INFRA_CODE_EXT = new Set([".bicep", ".bicepparam", ".tf", ".tfvars"]);

/** What the scanner does with a file. */
export type FileRole =
  | { kind: "source"; language: SourceLanguage }
  | { kind: "notebook" }
  | { kind: "manifest" }
  | { kind: "mcp-config" }
  | { kind: "dockerfile" }
  | { kind: "config"; format: ConfigFormat }
  /** A model file: not read here, listed for the model scanner (`palisade scan fs`). */
  | { kind: "model-file" };

export interface WalkedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned root, with `/` separators. */
  rel: string;
  role: FileRole;
  size: number;
}

export interface WalkLimits {
  maxFiles: number;
  maxFileBytes: number;
}

/** What to leave out besides the built-in ignores and .gitignore: globs relative to the root. */
export interface WalkOptions {
  exclude?: readonly string[];
}

export const DEFAULT_LIMITS: WalkLimits = { maxFiles: 500_000, maxFileBytes: 2 * 1024 * 1024 };

const MCP_CONFIG_NAMES = new Set([
  "claude_desktop_config.json",
  "mcp.json",
  ".mcp.json",
  "mcp_config.json",
  "cline_mcp_settings.json",
  "mcp_settings.json",
]);

/** Extensions that are model files whatever their content (ambiguous ones like .bin are left out). */
const MODEL_FILE_EXT = new Set([
  ".pkl",
  ".pickle",
  ".pt",
  ".pth",
  ".ckpt",
  ".joblib",
  ".npy",
  ".npz",
  ".keras",
  ".h5",
  ".hdf5",
  ".gguf",
  ".safetensors",
  ".onnx",
]);

const SOURCE_EXT: Record<string, SourceLanguage> = {
  ".py": "python",
  ".pyi": "python",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "tsx",
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".go": "go",
  ".java": "java",
};

/** Classify a file by name; undefined when the scanner has nothing to do with it. */
export function classifyFile(rel: string): FileRole | undefined {
  const name = basename(rel);
  if (isManifestName(name) || isRequirementsFolderFile(rel)) return { kind: "manifest" };
  if (MCP_CONFIG_NAMES.has(name)) return { kind: "mcp-config" };
  if (
    name === "Dockerfile" ||
    name.startsWith("Dockerfile.") ||
    name.endsWith(".dockerfile") ||
    name === "Containerfile"
  )
    return { kind: "dockerfile" };
  if (isEnvFileName(name)) return { kind: "config", format: "env" };
  // A chezmoi source file (`dot_cursor/private_mcp.json.tmpl`) is read as the file it writes.
  const target = chezmoiTarget(name);
  if (target !== undefined) return classifyFile(target);
  // A config template committed beside the file it stands for (`docker-compose.override.yml.example`,
  // `config.json.sample`, `settings.toml.dist`) is read as that file.
  const template = CONFIG_TEMPLATE.exec(name);
  if (template?.[1]) {
    const role = classifyFile(template[1]);
    return role?.kind === "config" || role?.kind === "mcp-config" ? role : undefined;
  }
  // Ollama Modelfiles (`FROM llama3.2`): https://github.com/ollama/ollama/blob/main/docs/modelfile.md
  if (
    name === "Modelfile" ||
    name.startsWith("Modelfile.") ||
    name.endsWith(".Modelfile") ||
    name.endsWith(".modelfile")
  )
    return { kind: "config", format: "modelfile" };
  // Shell start-up files (dotfiles repositories keep aliases such as `alias ai='llm -m gpt-4o'`).
  if (SHELL_RC.test(name)) return { kind: "config", format: "shell" };
  // Makefiles: their recipes are shell commands (`lorax-launcher --model-id org/name`) and their
  // variables assignments (`MODEL ?= llama3.2`), read like a script.
  if (name === "Makefile" || name === "GNUmakefile" || name === "makefile" || name.endsWith(".mk"))
    return { kind: "config", format: "shell" };
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const ext = name.slice(dot).toLowerCase();
  if (name.endsWith(".d.ts")) return undefined;
  if (MODEL_FILE_EXT.has(ext) || /^pytorch_model.*\.bin$/.test(name)) return { kind: "model-file" };
  const language = SOURCE_EXT[ext];
  if (language) return { kind: "source", language };
  if (ext === ".ipynb") return { kind: "notebook" };
  if (ext === ".yaml" || ext === ".yml") return { kind: "config", format: "yaml" };
  if (ext === ".json") return name.endsWith(".lock.json") ? undefined : { kind: "config", format: "json" };
  // JSON with comments (VS Code settings and the like), read as JSONC.
  if (ext === ".jsonc") return { kind: "config", format: "json" };
  if (TEXT_CODE_EXT.has(ext) || INFRA_CODE_EXT.has(ext)) return { kind: "config", format: "code" };
  if (ext === ".toml") return { kind: "config", format: "toml" };
  // Jsonnet (`mcpServers` tables generated for several clients from one file).
  if (ext === ".jsonnet" || ext === ".libsonnet") return { kind: "config", format: "jsonnet" };
  if (ext === ".nix") return { kind: "config", format: "nix" };
  if (ext === ".properties") return { kind: "config", format: "properties" };
  if (SHELL_EXT.has(ext)) return { kind: "config", format: "shell" };
  // Robot Framework suites set `${model}    qwen2.5-coder:3b` in their Variables table.
  if (ext === ".robot" || ext === ".resource") return { kind: "config", format: "robot" };
  if (ext === ".httprr") return { kind: "config", format: "httprr" };
  // A test's recorded API exchange (`response_000.txt`, `request.txt`, `stream.sse`): JSON or an
  // SSE stream whose `data:` lines are JSON.
  if ((ext === ".txt" && RECORDING_NAME.test(name)) || ext === ".sse") return { kind: "config", format: "recording" };
  // A leaderboard or eval log (`model,score,...`), saved answers of an eval (`{"model": ...}` per line).
  if (RECORDS_EXT.has(ext)) return { kind: "config", format: "records" };
  return undefined;
}

const RECORDS_EXT = new Set([".csv", ".tsv", ".jsonl", ".ndjson"]);

/** The start of a JSON document: an object with a key, or an array of objects. */
const JSON_HEAD = /^\uFEFF?\s*(?:\{\s*(?:"|\}|$)|\[\s*(?:\{|$))/;

/**
 * A `.txt` file that holds JSON (a saved `GET /v1/models` listing, `test.txt`), by its first
 * bytes: read as a recorded body. Only the head is read; any other text file is left out.
 */
export function jsonTextRole(path: string): FileRole | undefined {
  const head = readHead(path, 96);
  return head !== undefined && JSON_HEAD.test(head.toString("utf8"))
    ? { kind: "config", format: "recording" }
    : undefined;
}

/** The first `bytes` bytes of a file, or undefined when it cannot be read. */
function readHead(path: string, bytes: number): Buffer | undefined {
  const head = Buffer.alloc(bytes);
  let read = 0;
  try {
    const fd = openSync(path, "r");
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return head.subarray(0, read);
}

/** A recorded request or response body: `response_000.txt`, `request.txt`, `responses-2.txt`. */
const RECORDING_NAME = /^(?:request|response)s?(?:[-_.]?[\w]{0,20})?\.txt$/i;

/**
 * A template of a named file: `NAME.EXT.example` and the like, also one per variant
 * (`appsettings.json.openai-example`, `config.yaml.azure_sample`).
 */
const CONFIG_TEMPLATE =
  /^(.+\.[A-Za-z0-9]{1,10})\.(?:[A-Za-z0-9]{1,20}[-_])?(?:examples?|samples?|template|tmpl|dist)$/i;

/**
 * chezmoi's source-state attributes (https://www.chezmoi.io/reference/source-state-attributes/):
 * prefixes on a dotfiles repository's file names (`private_`, `dot_` for a leading dot) and the
 * `.tmpl` suffix of a template. `symlink_` files hold a link target, not the file, and are left as they are.
 */
const CHEZMOI_PREFIXES =
  /^(?:(?:after|before|create|empty|encrypted|exact|executable|literal|modify|once|onchange|private|readonly|remove|run)_)+(?=.)|^(?=dot_)/;

/** The name a chezmoi source file writes (`private_dot_mcp.json.tmpl` → `.mcp.json`), or undefined when it is none. */
export function chezmoiTarget(name: string): string | undefined {
  const prefix = CHEZMOI_PREFIXES.exec(name);
  if (!prefix) return undefined;
  let target = name.slice(prefix[0].length);
  if (target.startsWith("dot_")) target = `.${target.slice(4)}`;
  else if (prefix[0] === "") return undefined;
  if (target.endsWith(".tmpl")) target = target.slice(0, -5);
  return target !== "" && target !== name ? target : undefined;
}

/** A dotenv template (`.env.example`, `.env.sample`, `env.template`): committed, never a secrets file. */
const ENV_TEMPLATE = /^\.?env[-_.]?(?:examples?|samples?|template|tmpl|dist)$/i;

/**
 * Dotenv files and their templates: `.env`, `.env.example`, `prod.env`, and the spellings without
 * the dot (`.envtemplate`, `.env_sample`, `.env-example`, `env.example`).
 */
function isEnvFileName(name: string): boolean {
  return (
    name === ".env" ||
    name.startsWith(".env.") ||
    name.endsWith(".env") ||
    /^\.env[-_]?(examples?|samples?|template|tmpl|dist|defaults?|local|dev|prod|test)$/i.test(name) ||
    /^env\.(examples?|samples?|template|tmpl|dist)$/i.test(name) ||
    // direnv's `.envrc` (https://direnv.net): `export NAME=value` lines loaded into the shell.
    name === ".envrc"
  );
}

/** A .gitignore's rules, relative to the directory holding it. */
interface IgnoreRules {
  base: string;
  rules: { negate: boolean; dirOnly: boolean; catchAll: boolean; match: (path: string) => boolean }[];
  /** Some `!` rule re-includes files by name anywhere (`!*.py`): an allowlist .gitignore. */
  reincludesFiles: boolean;
}

/** A rule that ignores every name (`*`, `/*`, `**`): the first line of an allowlist .gitignore. */
const CATCH_ALL = /^\*{1,2}$/;

/** Compile one .gitignore (https://git-scm.com/docs/gitignore), the common subset. */
export function compileGitignore(text: string, base: string): IgnoreRules {
  const rules: IgnoreRules["rules"] = [];
  let reincludesFiles = false;
  for (const rawLine of text.split(/\r?\n/).slice(0, 5000)) {
    let line = rawLine.trimEnd();
    if (!line || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    if (line.startsWith("\\")) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    if (!line || line.length > 500) continue;
    const glob = anchored ? line : `**/${line}`;
    const matcher = picomatch(glob, { dot: true });
    const inside = picomatch(`${glob}/**`, { dot: true });
    if (negate && !dirOnly && !anchored && /[*?[]/.test(line)) reincludesFiles = true;
    rules.push({ negate, dirOnly, catchAll: CATCH_ALL.test(line), match: (p) => matcher(p) || inside(p) });
  }
  return { base, rules, reincludesFiles };
}

/**
 * Whether a path is ignored. Git never re-includes a file under an excluded directory, so an
 * allowlist .gitignore (`*` then `!*.py`) hides every committed file below the top level from a
 * walk that honours it literally. Such a file is tracked all the same (git ignores only untracked
 * files), and the `*` is there to keep stray files out of commits, not to mark generated output:
 * a directory excluded only by the catch-all is walked when a `!` rule re-includes files by name,
 * and its files are judged one by one.
 */
function isIgnored(stack: readonly IgnoreRules[], absolute: string, isDir: boolean): boolean {
  let ignored = false;
  let byCatchAll = false;
  let reincludes = false;
  for (const rules of stack) {
    const rel = relative(rules.base, absolute).split(sep).join("/");
    reincludes ||= rules.reincludesFiles;
    for (const rule of rules.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.match(rel)) {
        ignored = !rule.negate;
        byCatchAll = rule.catchAll;
      }
    }
  }
  return ignored && !(isDir && byCatchAll && reincludes);
}

/**
 * Whether `root` lies in a git work tree (a `.git` directory or file in it or above it). Git
 * ignores only untracked files, so a .gitignore separates what is committed from what is not
 * only where git can tell them apart. A tree without one (a `git archive` export, a release
 * tarball, an image layer) holds the committed files alone, ignored names included
 * (`/server_config.json` in .gitignore next to a committed `server_config.json`).
 */
export function isInGitWorkTree(root: string): boolean {
  let dir = resolve(root);
  for (let depth = 0; depth < 64; depth += 1) {
    if (existsSync(join(dir, ".git"))) return true;
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
  return false;
}

/**
 * List the files under `root` the scanner cares about, in a stable order. .gitignore files are
 * honoured in a git work tree only (`isInGitWorkTree`).
 */
export function walkTree(
  root: string,
  limits: WalkLimits = DEFAULT_LIMITS,
  options: WalkOptions = {},
): { files: WalkedFile[]; notes: SkipNote[] } {
  const excluded = options.exclude?.length ? picomatch([...options.exclude], { dot: true }) : () => false;
  const gitignore = isInGitWorkTree(root);
  const files: WalkedFile[] = [];
  const notes: SkipNote[] = [];
  const visit = (dir: string, stack: readonly IgnoreRules[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      notes.push({ file: relative(root, dir) || ".", reason: "unreadable directory" });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let next = stack;
    if (gitignore && entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      try {
        next = [...stack, compileGitignore(readFileSync(join(dir, ".gitignore"), "utf8"), dir)];
      } catch {
        notes.push({ file: relative(root, join(dir, ".gitignore")), reason: "unreadable .gitignore" });
      }
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (IGNORED_DIRS.has(entry.name) || entry.name.endsWith(".egg-info")) continue;
        if (VIRTUALENV_NAMES.has(entry.name) && isVirtualEnv(path)) continue;
        if (isIgnored(next, path, true) || excluded(relative(root, path).split(sep).join("/"))) continue;
        visit(path, next);
        continue;
      }
      if (!entry.isFile()) continue;
      const rel = relative(root, path).split(sep).join("/");
      // Classified by name first; a file only its head can classify (an extensionless script, a
      // `.txt` holding JSON) is read after the ignore, exclude and limit checks, never before.
      let role = classifyFile(rel);
      const sniff = role
        ? undefined
        : !entry.name.includes(".")
          ? scriptRole
          : entry.name.toLowerCase().endsWith(".txt")
            ? jsonTextRole
            : undefined;
      if (!role && !sniff) continue;
      // A `.env*` rule keeps secrets out of commits; the template beside them is committed on purpose.
      if ((isIgnored(next, path, false) && !ENV_TEMPLATE.test(entry.name)) || excluded(rel)) continue;
      if (files.length >= limits.maxFiles) {
        // Past the limit a head is read only to tell whether a file is left out (the walk ends at the first).
        if (!role && !sniff?.(path)) continue;
        notes.push({
          file: rel,
          reason: `file limit of ${limits.maxFiles} reached; the rest of the tree was not scanned`,
        });
        return;
      }
      role ??= sniff?.(path);
      if (!role) continue;
      let size = 0;
      try {
        size = statSync(path).size;
      } catch {
        notes.push({ file: rel, reason: "unreadable file" });
        continue;
      }
      files.push({ path, rel, role, size });
    }
  };
  visit(root, []);
  return { files, notes };
}

/** `#!/bin/sh`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S python3 -u`: the interpreter a script names. */
const SHEBANG = /^#![ \t]*(?:\/usr)?\/(?:s?bin|local\/bin)\/(?:env[ \t]+(?:-\S+[ \t]+)*)?([a-z]+)/;

/**
 * An executable script without an extension (`dev/tasks/download-model`, `bin/setup`), by the
 * interpreter its first line names: shell scripts are read as scripts, Python ones as Python.
 * Only the first bytes are read; anything unreadable or else is left out, as before.
 */
export function scriptRole(path: string): FileRole | undefined {
  const head = readHead(path, 96);
  if (head === undefined) return undefined;
  const interpreter = SHEBANG.exec(head.toString("latin1"))?.[1];
  if (!interpreter) return undefined;
  if (/^(?:ba|z|da|k)?sh$/.test(interpreter)) return { kind: "config", format: "shell" };
  if (/^python\d*$/.test(interpreter)) return { kind: "source", language: "python" };
  return undefined;
}

/** A file the scanner did not read, and why. */
export interface SkipNote {
  file: string;
  reason: string;
}

/**
 * How much larger than `maxFileBytes` a notebook may be: its saved outputs (base64 images, tables)
 * make most of its bytes, and only its code cells are read, which stay within the limit.
 */
export const NOTEBOOK_SIZE_FACTOR = 8;
/**
 * How much larger than `maxFileBytes` a JSON data file may be: a registry of models kept as data
 * (every model's id, limits and prices, one record each) runs to megabytes, and one JSON parse of
 * it costs little next to parsing code.
 */
export const JSON_DATA_SIZE_FACTOR = 4;
/**
 * The same allowance for a YAML config (a vendored OpenAPI spec, a large values file), read only
 * when it is written line by line: no line over `YAML_LARGE_MAX_LINE` characters. A recorded
 * HTTP cassette of that size is a payload (base64 images) on a few long lines, and is skipped.
 */
const YAML_LARGE_MAX_LINE = 8_192;

/**
 * How much of a data file read as records (CSV, JSON Lines) is read, whatever its size: its first
 * rows, cut at the last line end. The ids a table or an answer log names repeat row after row.
 */
export const RECORDS_HEAD_BYTES = 256 * 1024;

/**
 * How much of a data file is read first, for its first line: a table's header, a JSON Lines file's
 * first record. The rest of its head is read only when that line and the file's name say it can
 * name a model (`recordsMayNameModels`).
 */
export const RECORDS_FIRST_LINE_BYTES = 4 * 1024;

/** The head of a data file, cut at its last whole line, or why it is skipped ("" when it can name no model). */
function readRecordsHead(file: WalkedFile): string | SkipNote {
  const size = Math.max(file.size, 0);
  const first = readHead(file.path, Math.min(RECORDS_FIRST_LINE_BYTES, size));
  if (first === undefined) return { file: file.rel, reason: "unreadable file" };
  if (first.includes(0)) return { file: file.rel, reason: "binary file" };
  const firstText = first.toString("utf8");
  // A whole file within the first read: its header line is whole even without a line end.
  if (!recordsMayNameModels(first.length < RECORDS_FIRST_LINE_BYTES ? `${firstText}\n` : firstText, basename(file.rel)))
    return "";
  if (first.length < RECORDS_FIRST_LINE_BYTES) return firstText;
  const head = readHead(file.path, Math.min(RECORDS_HEAD_BYTES, size));
  if (head === undefined) return { file: file.rel, reason: "unreadable file" };
  if (head.subarray(0, 8192).includes(0)) return { file: file.rel, reason: "binary file" };
  const text = head.toString("utf8");
  if (head.length < RECORDS_HEAD_BYTES) return text;
  const end = text.lastIndexOf("\n");
  return end === -1 ? "" : text.slice(0, end);
}

/** Read a file as text, or say why it is skipped (huge, binary, minified, not UTF-8). */
export function readSourceText(file: WalkedFile, limits: WalkLimits = DEFAULT_LIMITS): string | SkipNote {
  if (file.role.kind === "config" && file.role.format === "records") return readRecordsHead(file);
  const limit =
    file.role.kind === "notebook"
      ? limits.maxFileBytes * NOTEBOOK_SIZE_FACTOR
      : file.role.kind === "config" && (file.role.format === "json" || file.role.format === "yaml")
        ? limits.maxFileBytes * JSON_DATA_SIZE_FACTOR
        : limits.maxFileBytes;
  if (file.size > limit) return { file: file.rel, reason: `larger than ${limit} bytes` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch {
    return { file: file.rel, reason: "unreadable file" };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { file: file.rel, reason: "binary file" };
  const text = bytes.toString("utf8");
  if (file.role.kind === "source" && isMinified(text)) return { file: file.rel, reason: "minified file" };
  if (
    file.role.kind === "config" &&
    file.role.format === "yaml" &&
    file.size > limits.maxFileBytes &&
    longestLine(text) > YAML_LARGE_MAX_LINE
  )
    return { file: file.rel, reason: `larger than ${limits.maxFileBytes} bytes, with long lines` };
  return text;
}

/** The length of the longest line of `text`. */
function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  return Math.max(longest, text.length - start);
}

/** Minified or generated one-liners: very long lines and few of them. */
export function isMinified(text: string): boolean {
  if (text.length < 2000) return false;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    lines += 1;
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  longest = Math.max(longest, text.length - start);
  return longest > 5000 || text.length / lines > 300;
}
