/** Dispatch a manifest or lockfile to its parser by file name. */
import { basename } from "node:path";
import type { Ecosystem } from "../catalog.js";
import {
  parseGoMod,
  parseGoSum,
  parseGradle,
  parsePom,
  parseVersionCatalog,
  pomProject,
  toVersionCatalog,
  type VersionCatalog,
} from "./jvm-go.js";
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from "./node.js";
import {
  parseCondaEnvironment,
  parsePipfile,
  parsePipfileLock,
  parsePyproject,
  parseRequirements,
  parseSetupCfg,
  parseTomlLock,
} from "./python.js";
import { parseCargoLock, parseCargoToml, parseGemfile, parseGemfileLock, parseGemspec } from "./ruby-rust.js";
import { parseSetupPy } from "./setup-py.js";
import type { DeclaredPackage, LockedVersions } from "./types.js";

export type ManifestResult =
  | {
      kind: "declared";
      packages: DeclaredPackage[];
      project?: string;
      /** The project is never published (`"private": true` in a package.json): a workspace package of its repository. */
      privateProject?: boolean;
    }
  | { kind: "lock"; ecosystem: Ecosystem; versions: LockedVersions };

/** Parse one manifest; throws on malformed input (the caller turns that into a note). */
export function parseManifestFile(
  rel: string,
  text: string,
  readInclude: (relative: string) => string | undefined,
): ManifestResult {
  const name = basename(rel);
  const declared = (packages: DeclaredPackage[]): ManifestResult => {
    const project = projectName(name, text);
    if (!project) return { kind: "declared", packages };
    return isPrivateProject(name, text)
      ? { kind: "declared", packages, project, privateProject: true }
      : { kind: "declared", packages, project };
  };
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
    case "setup.py":
      return declared(parseSetupPy(text));
    case "environment.yml":
    case "environment.yaml":
      return declared(parseCondaEnvironment(text));
    case "Gemfile":
    case "gems.rb":
      return declared(parseGemfile(text));
    case "Gemfile.lock":
    case "gems.locked":
      return lock("gem", parseGemfileLock(text));
    case "Cargo.toml":
      return declared(parseCargoToml(text));
    case "Cargo.lock":
      return lock("cargo", parseCargoLock(text));
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
    case "pom.xml": {
      // The module's own coordinates (the scan decides which poms are the repository's own build).
      const project = pomProject(text);
      const packages = parsePom(text);
      return project ? { kind: "declared", packages, project, privateProject: true } : { kind: "declared", packages };
    }
    case "build.gradle":
    case "build.gradle.kts":
      return declared(parseGradle(text, text.includes("libs.") ? nearestVersionCatalog(readInclude) : undefined));
    default:
      if (name.endsWith(".gemspec")) return declared(parseGemspec(text));
      if (name.endsWith(".gemfile")) return declared(parseGemfile(text));
      if (name.endsWith(".versions.toml"))
        // The build next to the catalog's `gradle/` folder declares what it uses through
        // `libs.*`; a catalog with no build beside it stands for its libraries itself.
        return declared(
          GRADLE_BUILDS.some((b) => readInclude(`../${b}`) !== undefined)
            ? []
            : parseVersionCatalog(text).map(({ alias: _, ...p }) => p),
        );
      return declared(parseRequirements(text, readInclude));
  }
}

const GRADLE_BUILDS = ["settings.gradle.kts", "settings.gradle", "build.gradle.kts", "build.gradle"];

/**
 * The version catalog a build file's `libs.*` accessors come from: `gradle/libs.versions.toml`
 * of the root project, searched from the build file's folder up (a subproject uses its root's).
 */
function nearestVersionCatalog(readInclude: (relative: string) => string | undefined): VersionCatalog | undefined {
  for (let up = 0; up <= 4; up++) {
    const text = readInclude(`${"../".repeat(up)}gradle/libs.versions.toml`);
    if (text === undefined) continue;
    try {
      return toVersionCatalog(text);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const PROJECT_NAME: [test: (name: string) => boolean, pattern: RegExp][] = [
  [(n) => n === "pyproject.toml", /^\[(?:project|tool\.poetry)\][^[]*?^name\s*=\s*["']([^"'\n]{1,200})["']/m],
  [(n) => n === "setup.py", /\bname\s*=\s*["']([\w.-]{1,200})["']/],
  [(n) => n === "setup.cfg", /^\[metadata\][^[]*?^name\s*=\s*([\w.-]{1,200})/m],
  [(n) => n === "package.json", /^\s{0,4}"name"\s*:\s*"([^"\n]{1,214})"/m],
  [(n) => n === "Cargo.toml", /^\[package\][^[]*?^name\s*=\s*"([^"\n]{1,200})"/m],
  [(n) => n.endsWith(".gemspec"), /\.name\s*=\s*["']([\w.-]{1,200})["']/],
];

/**
 * A package.json marked `"private": true` (npm refuses to publish it: https://docs.npmjs.com/cli/configuring-npm/package-json#private):
 * a workspace package of the repository, never one of the registry's.
 */
export function isPrivateProject(name: string, text: string): boolean {
  return name === "package.json" && /^\s{0,4}"private"\s*:\s*true\b/m.test(text.slice(0, 200_000));
}

/** The name a manifest gives the project itself (not a dependency), found with one bounded pattern. */
export function projectName(name: string, text: string): string | undefined {
  const pattern = PROJECT_NAME.find(([test]) => test(name))?.[1];
  return pattern?.exec(text.slice(0, 200_000))?.[1];
}
