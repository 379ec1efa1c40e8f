/**
 * Go binaries: the modules compiled in (from the embedded build info) and the toolchain itself,
 * which OSV's Go ecosystem names `stdlib`.
 */
import type { Analyzer, FoundPackage, ImageFile } from "../../types.js";
import { isExecutable, isRegularFile } from "./file-mode.js";
import { extractGoBuildInfo, toGoBuildInfo } from "./go-buildinfo.js";
import { type GoModInfo, type GoModule, toGoModInfo } from "./go-modinfo.js";
import { toPurl } from "./purl.js";

/** Past this an executable is not a Go program worth the read (Go binaries of several hundred MB are unheard of). */
const MAX_BINARY_BYTES = 1024 * 1024 * 1024;
/** The smallest Go 1.13+ binary is about 1 MB; this skips scripts without missing any. */
const MIN_BINARY_BYTES = 64 * 1024;
/** Shared libraries are the bulk of executable bytes in an image (CUDA, Python wheels) and are not Go programs. */
const SHARED_LIBRARY = /\.so(\.[0-9]+)*$/;
/** Build settings worth keeping; `-ldflags` and the like may carry secrets (`-X main.token=`). */
const KEPT_BUILD_SETTINGS = ["GOOS", "GOARCH", "vcs", "vcs.revision", "vcs.time", "vcs.modified"];

/** Whether the file could be a Go program: any path, since Go binaries live anywhere (`/ko-app`, `/app`, `/opt/x/bin`). */
export function isGoBinaryCandidate(path: string, size: number, mode: number): boolean {
  return (
    size >= MIN_BINARY_BYTES &&
    size <= MAX_BINARY_BYTES &&
    isRegularFile(mode) &&
    isExecutable(mode) &&
    !SHARED_LIBRARY.test(path)
  );
}

/**
 * Finds Go modules and the Go standard library (ecosystem Go) in executables. Binaries are
 * streamed, never kept whole: only their build info is (see extractGoBuildInfo), so an image of
 * large executables costs no memory. `analyze` reads whole binaries too (tests, other callers).
 */
export const goAnalyzer: Analyzer = {
  name: "go-binary",
  wants: () => false,
  extractor: {
    wants: isGoBinaryCandidate,
    start: (head, size) => (isExecutableFormat(head) ? (stream) => extractGoBuildInfo(stream, size) : undefined),
  },
  analyze(files) {
    const packages: FoundPackage[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      if (file.extractedBy === undefined && !isExecutableFormat(file.content)) continue;
      const result = toGoBuildInfo(file.content);
      if (result.kind === "corrupt") warnings.push(`${file.path}: Go build info unreadable: ${result.reason}`);
      if (result.kind !== "found") continue;
      const stdlib = toStdlibPackage(file, result.info.goVersion);
      packages.push(stdlib);
      if (stdlib.version === "") {
        warnings.push(`${file.path}: Go version ${JSON.stringify(result.info.goVersion)} is not a release version`);
      }
      packages.push(...toModulePackages(file, toGoModInfo(result.info.modInfo)));
    }
    return { packages, warnings };
  },
};

/** ELF, PE (`MZ`) or Mach-O (32/64-bit, either byte order, fat): the formats Go links. */
function isExecutableFormat(data: Buffer): boolean {
  if (data.length < 4) return false;
  const magic = data.readUInt32BE(0);
  return (
    magic === 0x7f454c46 ||
    data.readUInt16BE(0) === 0x4d5a ||
    [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)
  );
}

/**
 * `go1.22.3` → `v1.22.3`, `go1.20` → `v1.20.0`, `go1.21rc2` → `v1.21.0-rc.2`, as the Go
 * vulnerability database versions the toolchain. Experiment suffixes (` X:boringcrypto`) are
 * dropped; development builds (`devel ...`) have no release version and give undefined.
 */
export function toGoSemver(goVersion: string): string | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?(?:\s|$)/.exec(goVersion.trim());
  if (!match) return undefined;
  const [, major, minor, patch = "0", pre, preNumber] = match;
  return `v${major}.${minor}.${patch}${pre ? `-${pre}.${preNumber}` : ""}`;
}

/** The toolchain; a vendor or development build keeps an empty version so nothing is matched on a guess. */
function toStdlibPackage(file: ImageFile, goVersion: string): FoundPackage {
  return {
    ...goPackage(file, "stdlib", toGoSemver(goVersion) ?? ""),
    properties: { "go.toolchain": goVersion.trim() },
  };
}

function toModulePackages(file: ImageFile, info: GoModInfo): FoundPackage[] {
  const packages: FoundPackage[] = [];
  if (info.main) {
    const main = toModulePackage(file, info.main);
    main.properties = { ...main.properties, "go.main": "true" };
    if (info.packagePath) main.properties["go.package"] = info.packagePath;
    for (const key of KEPT_BUILD_SETTINGS) {
      const value = info.build[key];
      if (value !== undefined) main.properties[`go.build.${key}`] = value;
    }
    packages.push(main);
  }
  for (const dep of info.deps) packages.push(toModulePackage(file, dep));
  return packages;
}

/**
 * A module replaced by another module is reported as the replacement (that code was compiled
 * in). A local replacement (`=> ../fork`) and a `(devel)` main module have no release version:
 * the version is left empty so nothing is matched against it, and the facts go in properties.
 */
function toModulePackage(file: ImageFile, module: GoModule): FoundPackage {
  const { replace } = module;
  if (replace && !isLocalPath(replace.path)) {
    return {
      ...goPackage(file, replace.path, releaseVersion(replace.version)),
      properties: { "go.replaces": `${module.path}@${module.version}` },
    };
  }
  const properties: Record<string, string> = {};
  let version = releaseVersion(module.version);
  if (replace) {
    properties["go.replacedBy"] = replace.path;
    properties["go.requiredVersion"] = module.version;
    version = "";
  } else if (version === "" && module.version !== "") {
    properties["go.version"] = module.version;
  }
  const found = goPackage(file, module.path, version);
  if (Object.keys(properties).length > 0) found.properties = properties;
  return found;
}

function releaseVersion(version: string): string {
  return version === "(devel)" ? "" : version;
}

/** Go treats a replacement path starting with `./`, `../` or `/` as a directory. */
function isLocalPath(path: string): boolean {
  return path.startsWith("./") || path.startsWith("../") || path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path);
}

function goPackage(file: ImageFile, modulePath: string, version: string): FoundPackage {
  const slash = modulePath.lastIndexOf("/");
  const purl = toPurl({
    type: "golang",
    namespace: slash > 0 ? modulePath.slice(0, slash) : undefined,
    name: modulePath.slice(slash + 1),
    version,
  });
  return { name: modulePath, version, ecosystem: "Go", purl, kind: "library", path: file.path, layer: file.layer };
}
