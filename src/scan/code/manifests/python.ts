/**
 * Python manifests and lockfiles: requirements files (PEP 508 lines, `-r` includes, extras,
 * markers), pyproject.toml (PEP 621 and Poetry), Pipfile, setup.cfg, conda environment.yml;
 * Pipfile.lock, poetry.lock and uv.lock for resolved versions.
 */
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { type DeclaredPackage, type LockedVersions, lineOf, normalizePypi } from "./types.js";

const MAX_INCLUDE_DEPTH = 5;

/** One PEP 508 requirement: `name[extras] spec ; marker`. Undefined for options, URLs, paths. */
export function parsePep508(line: string): { name: string; spec?: string; extras?: string[] } | undefined {
  const text = line.replace(/\s+#.*$/, "").trim();
  if (!text || text.startsWith("-") || text.startsWith("#")) return undefined;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\(?\s*[<>=!~^][^;@]*\)?)?\s*(@\s*\S+)?\s*(;.*)?$/.exec(
    text,
  );
  if (!m?.[1]) return undefined;
  const spec = m[3]?.replace(/[()\s]/g, "");
  const extras = m[2]
    ?.slice(1, -1)
    .split(",")
    .map((e) => normalizePypi(e.trim()))
    .filter((e) => /^[a-z0-9][a-z0-9-]*$/.test(e));
  return { name: normalizePypi(m[1]), ...(spec ? { spec } : {}), ...(extras?.length ? { extras } : {}) };
}

/** requirements*.txt; `readInclude` resolves `-r FILE` relative to this file. */
export function parseRequirements(
  text: string,
  readInclude: (relative: string) => string | undefined = () => undefined,
  depth = 0,
): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const include = /^\s*(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include?.[1]) {
      if (depth >= MAX_INCLUDE_DEPTH || line.trim().startsWith("-c") || line.includes("--constraint")) continue;
      const included = readInclude(include[1]);
      if (included !== undefined) out.push(...parseRequirements(included, readInclude, depth + 1).map(stripLine));
      continue;
    }
    const req = parsePep508(line) ?? parseUrlRequirement(line);
    if (req) out.push({ ...withExtras(req), line: index + 1 });
  }
  return out;
}

/**
 * A requirement given as a URL (pip's VCS and direct references): the name from `#egg=NAME`,
 * else from a VCS repository's last path segment (`git+https://github.com/huggingface/peft.git`
 * → peft). Undefined for anything else, such as a local path or an index option.
 */
export function parseUrlRequirement(line: string): { name: string } | undefined {
  const text = line.replace(/\s+#(?!egg=).*$/, "").trim();
  if (!/^(?:git|hg|svn|bzr)\+[a-z]+:\/\/\S+$|^https?:\/\/\S+$/i.test(text) || text.length > 2000) return undefined;
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text)?.[1];
  if (egg) return { name: normalizePypi(egg) };
  if (!/^(?:git|hg|svn|bzr)\+/i.test(text)) return undefined;
  const path = text
    .replace(/[#?].*$/, "")
    .replace(/@[^/@]*$/, "")
    .replace(/\/+$/, "");
  const last = path.slice(path.lastIndexOf("/") + 1).replace(/\.git$/i, "");
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(last) ? { name: normalizePypi(last) } : undefined;
}

/** A declared PyPI package from a parsed requirement, keeping its extras. */
function withExtras(req: { name: string; spec?: string; extras?: string[] }): DeclaredPackage {
  return { ecosystem: "pypi", name: req.name, spec: req.spec, ...(req.extras ? { extras: req.extras } : {}) };
}

function stripLine(p: DeclaredPackage): DeclaredPackage {
  return { ecosystem: p.ecosystem, name: p.name, spec: p.spec, ...(p.extras ? { extras: p.extras } : {}) };
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fromPep508List(list: unknown, text: string, self?: string): DeclaredPackage[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    if (typeof entry !== "string") return [];
    const req = parsePep508(entry);
    // `project[extra]` inside the project's own extras refers to its other extras, not a dependency.
    if (!req || req.name === self) return [];
    return [{ ...withExtras(req), line: lineOf(text, entry) }];
  });
}

function fromPoetryTable(table: unknown, text: string): DeclaredPackage[] {
  if (!isTable(table)) return [];
  return Object.entries(table).flatMap(([name, value]) => {
    if (name.toLowerCase() === "python") return [];
    const spec =
      typeof value === "string"
        ? value
        : isTable(value) && typeof value.version === "string"
          ? value.version
          : undefined;
    const extras =
      isTable(value) && Array.isArray(value.extras)
        ? value.extras.filter((e): e is string => typeof e === "string").map(normalizePypi)
        : [];
    return [
      {
        ecosystem: "pypi" as const,
        name: normalizePypi(name),
        spec,
        line: lineOf(text, `${name} =`) ?? lineOf(text, name),
        ...(extras.length ? { extras } : {}),
      },
    ];
  });
}

/** pyproject.toml: PEP 621 `[project]` and Poetry `[tool.poetry]` dependencies and groups. */
export function parsePyproject(text: string): DeclaredPackage[] {
  const doc = parseToml(text) as Table;
  const out: DeclaredPackage[] = [];
  const project = doc.project;
  if (isTable(project)) {
    const self = typeof project.name === "string" ? normalizePypi(project.name) : undefined;
    out.push(...fromPep508List(project.dependencies, text, self));
    if (isTable(project["optional-dependencies"]))
      for (const list of Object.values(project["optional-dependencies"])) out.push(...fromPep508List(list, text, self));
  }
  if (isTable(doc["dependency-groups"]))
    for (const list of Object.values(doc["dependency-groups"])) out.push(...fromPep508List(list, text));
  const tool = doc.tool;
  // uv's older `[tool.uv] dev-dependencies = [...]` and PDM's `[tool.pdm.dev-dependencies] group = [...]`.
  const uv = isTable(tool) ? tool.uv : undefined;
  if (isTable(uv)) out.push(...fromPep508List(uv["dev-dependencies"], text));
  const pdm = isTable(tool) ? tool.pdm : undefined;
  if (isTable(pdm) && isTable(pdm["dev-dependencies"]))
    for (const list of Object.values(pdm["dev-dependencies"])) out.push(...fromPep508List(list, text));
  const poetry = isTable(tool) ? tool.poetry : undefined;
  if (isTable(poetry)) {
    out.push(...fromPoetryTable(poetry.dependencies, text), ...fromPoetryTable(poetry["dev-dependencies"], text));
    if (isTable(poetry.group))
      for (const group of Object.values(poetry.group))
        if (isTable(group)) out.push(...fromPoetryTable(group.dependencies, text));
  }
  return out;
}

/** Pipfile: `[packages]` and `[dev-packages]`. */
export function parsePipfile(text: string): DeclaredPackage[] {
  const doc = parseToml(text) as Table;
  return [...fromPoetryTable(doc.packages, text), ...fromPoetryTable(doc["dev-packages"], text)].map((p) =>
    p.spec === "*" ? { ...p, spec: undefined } : p,
  );
}

/** setup.cfg: `[options] install_requires` and `[options.extras_require]`. */
export function parseSetupCfg(text: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  let section = "";
  let inList = false;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header?.[1]) {
      section = header[1].trim();
      inList = false;
      continue;
    }
    const key = /^([\w-]+)\s*=\s*(.*)$/.exec(raw);
    if (key) {
      inList = (section === "options" && key[1] === "install_requires") || section === "options.extras_require";
      const rest = key[2]?.trim();
      if (inList && rest) {
        const req = parsePep508(rest);
        if (req) out.push({ ...withExtras(req), line: index + 1 });
      }
      continue;
    }
    if (inList && /^\s+\S/.test(raw)) {
      const req = parsePep508(raw);
      if (req) out.push({ ...withExtras(req), line: index + 1 });
    } else if (raw.trim()) inList = false;
  }
  return out;
}

/** Pipfile.lock (JSON): `default` and `develop` sections. */
export function parsePipfileLock(text: string): LockedVersions {
  const doc = JSON.parse(text) as unknown;
  const locked: LockedVersions = new Map();
  if (!isTable(doc)) return locked;
  for (const section of [doc.default, doc.develop]) {
    if (!isTable(section)) continue;
    for (const [name, value] of Object.entries(section)) {
      if (isTable(value) && typeof value.version === "string")
        locked.set(normalizePypi(name), value.version.replace(/^==/, ""));
    }
  }
  return locked;
}

/** poetry.lock and uv.lock: `[[package]]` tables with name and version. */
export function parseTomlLock(text: string): LockedVersions {
  const doc = parseToml(text) as Table;
  const locked: LockedVersions = new Map();
  const packages = doc.package;
  if (!Array.isArray(packages)) return locked;
  for (const p of packages) {
    if (isTable(p) && typeof p.name === "string" && typeof p.version === "string")
      locked.set(normalizePypi(p.name), p.version);
  }
  return locked;
}

/** Conda package names that differ from the PyPI project they install. */
const CONDA_TO_PYPI: Record<string, string> = {
  pytorch: "torch",
  "pytorch-cpu": "torch",
  "pytorch-gpu": "torch",
  "tensorflow-gpu": "tensorflow",
};

/**
 * Conda `environment.yml`: `dependencies` entries (`name`, `name=1.2`, `channel::name>=1`) and
 * the PEP 508 lines of its `pip:` list. Conda names are mapped to PyPI where they differ.
 */
export function parseCondaEnvironment(text: string): DeclaredPackage[] {
  const doc = parseYaml(text, { maxAliasCount: 100 }) as unknown;
  if (!isTable(doc) || !Array.isArray(doc.dependencies)) return [];
  const out: DeclaredPackage[] = [];
  for (const entry of doc.dependencies.slice(0, 10_000)) {
    if (typeof entry === "string") {
      const m = /^(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:([=<>!~][^#\s]*))?/.exec(entry.trim());
      if (!m?.[1] || m[1] === "python" || m[1] === "pip") continue;
      const name = CONDA_TO_PYPI[m[1].toLowerCase()] ?? normalizePypi(m[1]);
      const spec = m[2]?.replace(/^=(?=\d)/, "==");
      out.push({ ecosystem: "pypi", name, ...(spec ? { spec } : {}), line: lineOf(text, entry) });
    } else if (isTable(entry) && Array.isArray(entry.pip)) {
      for (const line of entry.pip.slice(0, 10_000)) {
        if (typeof line !== "string") continue;
        // `-e git+https://...#egg=clip`: an editable VCS install names its package as any URL does.
        const editable = /^(?:-e|--editable)(?:\s+|=)(\S.*)$/.exec(line.trim())?.[1];
        const req =
          editable !== undefined ? parseUrlRequirement(editable) : (parsePep508(line) ?? parseUrlRequirement(line));
        if (req) out.push({ ...withExtras(req), line: lineOf(text, line) });
      }
    }
  }
  return out;
}
