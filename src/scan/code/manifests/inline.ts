/**
 * Dependencies declared inside source files rather than in a manifest: a PEP 723 inline script
 * metadata block (`# /// script` … `# ///`, read by `uv run` and `pipx run`) and the
 * `!pip install` / `%pip install` lines of a notebook's code cells.
 */
import { parse as parseToml } from "smol-toml";
import { parsePep508, parseUrlRequirement } from "./python.js";
import type { DeclaredPackage } from "./types.js";

/** Options of `pip install` that take a value (the value is not a package). */
const PIP_VALUE_OPTIONS =
  /^(-r|--requirement|-c|--constraint|-e|--editable|-i|--index-url|--extra-index-url|-f|--find-links|-t|--target|--prefix|--root|--python|--platform|--python-version|--implementation|--abi|--upgrade-strategy|--progress-bar|--trusted-host|--cache-dir|--src|--log|--proxy|--timeout|--retries|--config-settings|-C|--only-binary|--no-binary)$/;

/**
 * The dependencies of a PEP 723 `script` block, with their lines in the file. Empty when the file
 * has none; a block whose TOML does not parse declares nothing.
 * Spec: https://packaging.python.org/en/latest/specifications/inline-script-metadata/
 */
export function parsePep723(text: string): DeclaredPackage[] {
  const start = /^# \/\/\/ script[ \t]*\r?$/m.exec(text);
  if (!start) return [];
  const lines = text.slice(start.index).split("\n");
  const firstLine = text.slice(0, start.index).split("\n").length;
  const body: string[] = [];
  let closed = false;
  for (const raw of lines.slice(1)) {
    const line = raw.replace(/\r$/, "");
    if (/^# \/\/\/[ \t]*$/.test(line)) {
      closed = true;
      break;
    }
    if (line !== "#" && !line.startsWith("# ")) break;
    body.push(line.slice(2));
  }
  if (!closed) return [];
  let doc: unknown;
  try {
    doc = parseToml(body.join("\n"));
  } catch {
    return [];
  }
  const deps = (doc as { dependencies?: unknown }).dependencies;
  if (!Array.isArray(deps)) return [];
  const out: DeclaredPackage[] = [];
  for (const entry of deps) {
    if (typeof entry !== "string") continue;
    const req = parsePep508(entry) ?? parseUrlRequirement(entry.replace(/^[A-Za-z0-9._-]+\s*@\s*/, ""));
    if (!req) continue;
    const offset = body.findIndex((b) => b.includes(entry));
    out.push({
      ecosystem: "pypi",
      ...req,
      ...(offset >= 0 ? { line: firstLine + 1 + offset } : {}),
    });
  }
  return out;
}

/** Split a shell argument list on blanks, honouring single and double quotes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? "");
  return words;
}

/**
 * Packages a notebook installs from its code cells: `!pip install a b[x]==1`, `%pip install -U a`,
 * `!python -m pip install a`, `!uv pip install a`. `code` is the notebook's code as
 * `notebookCode` returns it (magics commented out as `#!` / `#%`); lines count the same way.
 */
export function parsePipInstalls(code: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  if (!code.includes("install")) return out;
  const lines = code.split("\n");
  for (const [index, line] of lines.entries()) {
    const m = /^[ \t]*#[ \t]*[!%][ \t]*(?:python3?\s+-m\s+|uv\s+)?pip3?\s+install\s+(.+)$/.exec(line);
    if (!m?.[1]) continue;
    // Continued over lines ending in `\` (each commented out as part of the magic).
    let command = m[1];
    for (let next = index + 1; command.trimEnd().endsWith("\\") && next < lines.length; next++)
      command = `${command.trimEnd().slice(0, -1)} ${(lines[next] ?? "").replace(/^[ \t]*#/, "")}`;
    pipArguments(command, index + 1, out);
  }
  return out;
}

/** The requirements of one `pip install` argument list (up to a `&&`, `;`, pipe or redirect). */
function pipArguments(command: string, line: number, out: DeclaredPackage[]): void {
  const args = shellWords(command.replace(/\s(?:&&|;|\||>).*$/, "").replace(/\s#.*$/, ""));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("-")) {
      if (PIP_VALUE_OPTIONS.test(arg)) i += 1;
      continue;
    }
    if (arg.includes("$") || arg.includes("{")) continue;
    const req = parsePep508(arg) ?? parseUrlRequirement(arg);
    if (req) out.push({ ecosystem: "pypi", ...req, line });
  }
}

/**
 * Packages a Dockerfile installs with pip in its `RUN` instructions (`RUN pip install a b`,
 * `&& python3 -m pip install -U torch torchvision` on a continued line): what the image's code
 * runs with, declared in no project manifest. `${VAR}` arguments are left out.
 */
export function parseDockerfilePipInstalls(text: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  if (!text.includes("install")) return out;
  const lines = text.split(/\r?\n/);
  let inRun = false;
  for (const [index, line] of lines.entries()) {
    const run = /^\s*RUN\s/i.test(line);
    if (!run && !inRun) continue;
    inRun = line.trimEnd().endsWith("\\");
    for (const m of line.matchAll(/(?:^|[\s;&|(])(?:python[\d.]*\s+-m\s+|uv\s+)?pip[\d.]*\s+install\s+([^;&|]+)/g))
      if (m[1]) pipArguments(m[1].replace(/\\\s*$/, ""), index + 1, out);
  }
  return out;
}

/**
 * Maven artifacts a Kotlin notebook (Kotlin Jupyter kernel) declares in its code cells:
 * `@file:DependsOn("group:artifact:version")` and the `implementation("g:a:v")` lines of a
 * `USE { dependencies { ... } }` block. A version written as a `$variable` is left out.
 */
export function parseKotlinNotebookDependencies(code: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  if (!code.includes("DependsOn") && !code.includes("USE")) return out;
  const uses = /\bUSE\s*\{/.test(code);
  const pattern = /(@file:DependsOn|\bimplementation)\(\s*"([\w.-]+):([\w.-]+)(?::([^"\s]*))?"/g;
  for (const m of code.matchAll(pattern)) {
    if (m[1] === "implementation" && !uses) continue;
    const version = m[4] && !m[4].includes("$") ? m[4] : undefined;
    out.push({
      ecosystem: "maven",
      name: `${m[2]}:${m[3]}`,
      ...(version ? { spec: version } : {}),
      line: code.slice(0, m.index).split("\n").length,
    });
  }
  return out;
}

/** A JBang dependency line: `//DEPS group:artifact[:version] ...` (https://www.jbang.dev/documentation/guide/latest/dependencies.html). */
const JBANG_DEPS = /^\/\/DEPS[ \t]+([^\r\n]{1,2000})/gm;
const MAVEN_COORDINATE = /^([A-Za-z0-9_.-]{1,200}):([A-Za-z0-9_.-]{1,200})(?::([^\s:@]{1,100}))?/;

/**
 * The Maven dependencies of a JBang script's `//DEPS` lines (read from the top of a Java file,
 * where JBang reads them). Empty when the file has none.
 */
export function parseJbangDeps(text: string): DeclaredPackage[] {
  const head = text.slice(0, 20_000);
  if (!head.includes("//DEPS")) return [];
  const out: DeclaredPackage[] = [];
  for (const m of head.matchAll(JBANG_DEPS)) {
    const line = head.slice(0, m.index).split("\n").length;
    for (const token of (m[1] ?? "").split(/[\s,]+/).slice(0, 50)) {
      const c = MAVEN_COORDINATE.exec(token);
      if (!c) continue;
      out.push({
        ecosystem: "maven",
        name: `${c[1]}:${c[2]}`,
        ...(c[3] && !c[3].includes("${") ? { spec: c[3] } : {}),
        line,
      });
    }
  }
  return out;
}
