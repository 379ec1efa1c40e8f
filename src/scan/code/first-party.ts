/**
 * First-party code that shadows an SDK name: the repository's own Python packages (a directory
 * with `__init__.py` whose parent has none), single-file modules beside the scripts that
 * import them (`guardrails.py` beside `app.py` in a directory that is not a package: Python
 * puts a script's own directory first on `sys.path`), and the names its manifests give the
 * project itself. An import of `trl` inside huggingface/trl is the project, not the trl SDK.
 */
import { posix } from "node:path";
import type { Ecosystem, SdkEntry } from "./catalog.js";
import { packageKey } from "./sdk-index.js";

/** What the repository itself provides, by ecosystem and Python module. */
export interface FirstParty {
  names: Set<string>;
  /** Project names of unpublished workspace packages (`"private": true`), by ecosystem. */
  privateNames?: Set<string>;
  /** Top-level Python packages, by name. */
  pythonModules: Set<string>;
  /** Single-file Python modules outside packages, as `dir/name` (`.` for the root). */
  moduleFiles: Set<string>;
}

/** Collect the repository's own Python packages and modules from the walked file paths. */
export function createFirstParty(relPaths: readonly string[]): FirstParty {
  const packages = new Set<string>();
  const moduleFiles = new Set<string>();
  for (const rel of relPaths)
    if (rel === "__init__.py" || rel.endsWith("/__init__.py")) packages.add(posix.dirname(rel));
  // Inside a package, `import x` is absolute (Python 3): a sibling x.py does not shadow it.
  for (const rel of relPaths)
    if (rel.endsWith(".py") && !packages.has(posix.dirname(rel)))
      moduleFiles.add(`${posix.dirname(rel)}/${posix.basename(rel, ".py")}`);
  const pythonModules = new Set<string>();
  for (const dir of packages) if (!packages.has(posix.dirname(dir))) pythonModules.add(posix.basename(dir));
  return { names: new Set(), pythonModules, moduleFiles };
}

/**
 * Record a project name a manifest declares for itself (pyproject `name`, package.json `name`...);
 * `isPrivate` when the manifest says the package is never published.
 */
export function addProjectName(firstParty: FirstParty, ecosystem: Ecosystem, name: string, isPrivate = false): void {
  const key = `${ecosystem}:${packageKey(ecosystem, name)}`;
  firstParty.names.add(key);
  if (!isPrivate) return;
  firstParty.privateNames ??= new Set();
  firstParty.privateNames.add(key);
}

/**
 * True when a declared dependency is an unpublished workspace package of the repository itself
 * (`"@acme/core": "workspace:*"` with packages/core/package.json `"private": true`): its own code,
 * not a third-party SDK, whatever its name looks like.
 */
export function isPrivateWorkspacePackage(firstParty: FirstParty, ecosystem: Ecosystem, name: string): boolean {
  return firstParty.privateNames?.has(`${ecosystem}:${packageKey(ecosystem, name)}`) ?? false;
}

/**
 * True when an undeclared use of `sdk` is better explained by the repository's own code: a
 * project or top-level package of that name, or, for every file that uses it, another module
 * file of that name in the same (non-package) directory.
 */
export function isShadowedByFirstParty(
  firstParty: FirstParty,
  sdk: SdkEntry,
  name: string,
  usageFiles: readonly string[] = [],
): boolean {
  if (firstParty.names.has(`${sdk.ecosystem}:${packageKey(sdk.ecosystem, name)}`)) return true;
  if (sdk.ecosystem !== "pypi") return false;
  const tops = sdk.imports.map((i) => i.split(".")[0] ?? i);
  if (tops.length === 0) tops.push(name.replace(/-/g, "_"));
  if (tops.some((t) => firstParty.pythonModules.has(t))) return true;
  const beside = (file: string, top: string) =>
    posix.basename(file, ".py") !== top && firstParty.moduleFiles.has(`${posix.dirname(file)}/${top}`);
  return usageFiles.length > 0 && usageFiles.every((f) => tops.some((t) => beside(f, t)));
}
