/**
 * npm manifests and lockfiles: package.json; package-lock.json (v1-v3), pnpm-lock.yaml
 * (v5-v9) and yarn.lock (v1 and berry) for resolved versions.
 */
import { parse as parseYaml } from "yaml";
import { type DeclaredPackage, type LockedVersions, lineOf } from "./types.js";

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/** package.json: every dependency field. */
export function parsePackageJson(text: string): DeclaredPackage[] {
  const doc = JSON.parse(text) as unknown;
  if (!isTable(doc)) return [];
  const out: DeclaredPackage[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = doc[field];
    if (!isTable(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (out.some((p) => p.name === name)) continue;
      out.push({
        ecosystem: "npm",
        name,
        spec: typeof spec === "string" ? spec : undefined,
        line: lineOf(text, `"${name}"`),
      });
    }
  }
  return out;
}

/** package-lock.json: `packages["node_modules/x"]` (v2, v3) or `dependencies.x` (v1). Top-level copies win. */
export function parsePackageLock(text: string): LockedVersions {
  const doc = JSON.parse(text) as unknown;
  const locked: LockedVersions = new Map();
  if (!isTable(doc)) return locked;
  if (isTable(doc.packages)) {
    for (const [path, value] of Object.entries(doc.packages)) {
      const at = path.lastIndexOf("node_modules/");
      if (at < 0 || !isTable(value) || typeof value.version !== "string") continue;
      const name = path.slice(at + "node_modules/".length);
      const topLevel = at === 0;
      if (topLevel || !locked.has(name)) locked.set(name, value.version);
    }
  } else if (isTable(doc.dependencies)) {
    for (const [name, value] of Object.entries(doc.dependencies))
      if (isTable(value) && typeof value.version === "string") locked.set(name, value.version);
  }
  return locked;
}

/** Split `name@version` where the name may itself start with `@`. */
function splitAt(spec: string): [string, string] | undefined {
  const at = spec.indexOf("@", 1);
  if (at < 0) return undefined;
  return [spec.slice(0, at), spec.slice(at + 1)];
}

/** pnpm-lock.yaml: importer versions first, then `packages` keys (`/x@1.0.0`, `x@1.0.0`, `/x/1.0.0`). */
export function parsePnpmLock(text: string): LockedVersions {
  const doc = parseYaml(text, { maxAliasCount: 100 }) as unknown;
  const locked: LockedVersions = new Map();
  if (!isTable(doc)) return locked;
  const clean = (v: string) => v.replace(/\(.*$/, "").replace(/_.*$/, "");
  if (isTable(doc.importers)) {
    for (const importer of Object.values(doc.importers)) {
      if (!isTable(importer)) continue;
      for (const field of DEPENDENCY_FIELDS) {
        const deps = importer[field];
        if (!isTable(deps)) continue;
        for (const [name, value] of Object.entries(deps)) {
          const version = isTable(value) ? value.version : value;
          if (typeof version === "string" && !locked.has(name) && /^\d/.test(version)) locked.set(name, clean(version));
        }
      }
    }
  }
  if (isTable(doc.packages)) {
    for (const key of Object.keys(doc.packages)) {
      const trimmed = key.replace(/^\//, "");
      let pair = splitAt(trimmed);
      if (!pair || !/^\d/.test(pair[1])) {
        const slash = trimmed.lastIndexOf("/");
        pair = slash > 0 ? [trimmed.slice(0, slash), trimmed.slice(slash + 1)] : undefined;
      }
      if (pair && /^\d/.test(pair[1]) && !locked.has(pair[0])) locked.set(pair[0], clean(pair[1]));
    }
  }
  return locked;
}

/** yarn.lock v1 (`version "1.2.3"`) and berry (`version: 1.2.3`). */
export function parseYarnLock(text: string): LockedVersions {
  const locked: LockedVersions = new Map();
  let names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    if (!line.startsWith(" ") && line.endsWith(":")) {
      names = line
        .slice(0, -1)
        .split(",")
        .map((s) => s.trim().replace(/^"|"$/g, ""))
        .flatMap((spec) => {
          const pair = splitAt(spec);
          return pair ? [pair[0]] : [];
        });
      continue;
    }
    const version = /^\s+version:?\s+"?([^"\s]+)"?/.exec(line);
    if (version?.[1] && names.length > 0) {
      for (const name of names) if (!locked.has(name)) locked.set(name, version[1]);
      names = [];
    }
  }
  return locked;
}
