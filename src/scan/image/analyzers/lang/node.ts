/**
 * Installed npm packages: every `package.json` that sits directly in a package folder under a
 * `node_modules` (`node_modules/NAME/` or `node_modules/@scope/NAME/`), at any depth, which
 * covers nested dependencies and the global `usr/local/lib/node_modules`.
 */
import type { Analyzer, FoundPackage, ImageFile } from "../../types.js";
import { isRegularFile } from "./file-mode.js";
import { toPurl } from "./purl.js";

/** A package.json is small; the bound only stops a hostile multi-MB file. */
const MAX_PACKAGE_JSON_BYTES = 4 * 1024 * 1024;

/** Folder names starting with `.` (`.bin`, `.pnpm`, `.cache`) are npm's own, not packages. */
const PACKAGE_JSON = /(^|\/)node_modules\/(@[^/.][^/]*\/)?[^/.@][^/]*\/package\.json$/;

/** Whether `path` is the manifest of a package installed in a node_modules folder. */
export function isInstalledPackageJson(path: string): boolean {
  return PACKAGE_JSON.test(path);
}

/** Finds installed npm packages (ecosystem npm) from their package.json. */
export const nodeAnalyzer: Analyzer = {
  name: "node-modules",
  maxBytes: MAX_PACKAGE_JSON_BYTES,
  wants: (path, _size, mode) => isRegularFile(mode) && isInstalledPackageJson(path),
  analyze(files) {
    const packages: FoundPackage[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      if (!isInstalledPackageJson(file.path)) continue;
      const found = toNodePackage(file);
      if (typeof found === "string") warnings.push(found);
      else if (found) packages.push(found);
    }
    return { packages, warnings };
  },
};

/** A package, a warning for unreadable JSON, or undefined for a manifest without name/version. */
function toNodePackage(file: ImageFile): FoundPackage | string | undefined {
  let manifest: unknown;
  try {
    // Some publishers save package.json with a byte order mark; Node's own loader strips it too.
    manifest = JSON.parse(file.content.toString("utf8").replace(/^\uFEFF/, ""));
  } catch {
    return `${file.path}: package.json is not valid JSON`;
  }
  if (!isRecord(manifest)) return `${file.path}: package.json is not an object`;
  const { name, version } = manifest;
  // Test fixtures and stub manifests inside packages often lack these; they are not installs.
  if (typeof name !== "string" || typeof version !== "string" || name === "" || version === "") return undefined;
  const found: FoundPackage = {
    name,
    version,
    ecosystem: "npm",
    purl: toNpmPurl(name, version),
    kind: "library",
    path: file.path,
    layer: file.layer,
  };
  const licenses = toLicenses(manifest);
  if (licenses.length > 0) found.licenses = licenses;
  return found;
}

/** `@scope/name` → `pkg:npm/%40scope/name@version`; the purl spec lower-cases npm names. */
export function toNpmPurl(name: string, version: string): string {
  const lower = name.toLowerCase();
  const slash = lower.startsWith("@") ? lower.indexOf("/") : -1;
  if (slash > 0)
    return toPurl({ type: "npm", namespace: lower.slice(0, slash), name: lower.slice(slash + 1), version });
  return toPurl({ type: "npm", name: lower, version });
}

/** `license` as a string or `{ type }`, or the deprecated `licenses: [{ type } | string]`. */
function toLicenses(manifest: Record<string, unknown>): string[] {
  const fromEntry = (entry: unknown): string | undefined => {
    if (typeof entry === "string") return entry.trim() || undefined;
    if (isRecord(entry) && typeof entry.type === "string") return entry.type.trim() || undefined;
    return undefined;
  };
  const single = fromEntry(manifest.license);
  if (single) return [single];
  if (!Array.isArray(manifest.licenses)) return [];
  return manifest.licenses.map(fromEntry).filter((license): license is string => license !== undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
