/** Dispatch a manifest or lockfile to its parser by file name. */
import { basename } from "node:path";
import type { Ecosystem } from "../catalog.js";
import { parseGoMod, parseGoSum, parseGradle, parsePom } from "./jvm-go.js";
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from "./node.js";
import {
  parsePipfile,
  parsePipfileLock,
  parsePyproject,
  parseRequirements,
  parseSetupCfg,
  parseTomlLock,
} from "./python.js";
import type { DeclaredPackage, LockedVersions } from "./types.js";

export type ManifestResult =
  | { kind: "declared"; packages: DeclaredPackage[] }
  | { kind: "lock"; ecosystem: Ecosystem; versions: LockedVersions };

/** Parse one manifest; throws on malformed input (the caller turns that into a note). */
export function parseManifestFile(
  rel: string,
  text: string,
  readInclude: (relative: string) => string | undefined,
): ManifestResult {
  const name = basename(rel);
  const declared = (packages: DeclaredPackage[]): ManifestResult => ({ kind: "declared", packages });
  const lock = (ecosystem: Ecosystem, versions: LockedVersions): ManifestResult => ({
    kind: "lock",
    ecosystem,
    versions,
  });
  switch (name) {
    case "pyproject.toml":
      return declared(parsePyproject(text));
    case "Pipfile":
      return declared(parsePipfile(text));
    case "setup.cfg":
      return declared(parseSetupCfg(text));
    case "Pipfile.lock":
      return lock("pypi", parsePipfileLock(text));
    case "poetry.lock":
    case "uv.lock":
      return lock("pypi", parseTomlLock(text));
    case "package.json":
      return declared(parsePackageJson(text));
    case "package-lock.json":
      return lock("npm", parsePackageLock(text));
    case "pnpm-lock.yaml":
      return lock("npm", parsePnpmLock(text));
    case "yarn.lock":
      return lock("npm", parseYarnLock(text));
    case "go.mod":
      return declared(parseGoMod(text));
    case "go.sum":
      return lock("go", parseGoSum(text));
    case "pom.xml":
      return declared(parsePom(text));
    case "build.gradle":
    case "build.gradle.kts":
      return declared(parseGradle(text));
    default:
      return declared(parseRequirements(text, readInclude));
  }
}
