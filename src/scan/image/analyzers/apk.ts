/**
 * Alpine, Wolfi and Chainguard packages from apk's database `lib/apk/db/installed`: one block
 * of `X:value` lines per package, blocks separated by blank lines (apk-tools' "installed"
 * database format; P name, V version, A arch, o origin, L license).
 */
import type { Analyzer, AnalyzerContext, FoundPackage, ImageFile, OsRelease } from "../types.js";
import { isRegularFile, isTruncated } from "./files.js";
import { toPurl } from "./purl.js";

const INSTALLED = "lib/apk/db/installed";
/** A big Alpine image's database is a few MB; the cap bounds what the reader keeps for us. */
export const MAX_APK_FILE_BYTES = 64 * 1024 * 1024;
/** Bounds against junk, far above any real apk name or version. */
const MAX_NAME_LENGTH = 255;
const MAX_VERSION_LENGTH = 256;

/** The purl namespace, OSV ecosystem and purl `distro` qualifier for an apk-based OS. */
interface ApkDistro {
  namespace: string;
  ecosystem: string;
  distro?: string;
}

/**
 * OSV names Alpine releases `Alpine:v3.20` (major.minor of VERSION_ID `3.20.3`); Wolfi and
 * Chainguard are rolling and have one ecosystem each. Without an OS we assume Alpine.
 */
export function toApkDistro(os: OsRelease | undefined): ApkDistro {
  const id = os?.id ?? "alpine";
  const distro = os?.versionId ? `${id}-${os.versionId}` : undefined;
  if (id === "alpine") {
    const release = /^(\d+)\.(\d+)/.exec(os?.versionId ?? "");
    return { namespace: id, ecosystem: release ? `Alpine:v${release[1]}.${release[2]}` : "Alpine", distro };
  }
  if (id === "wolfi") return { namespace: id, ecosystem: "Wolfi", distro };
  if (id === "chainguard") return { namespace: id, ecosystem: "Chainguard", distro };
  return { namespace: id, ecosystem: id, distro };
}

/** The fields of one package block that we use. */
interface ApkRecord {
  name?: string;
  version?: string;
  arch?: string;
  origin?: string;
  license?: string;
}

/** The package blocks of an installed database, linear in its length. */
function* apkRecords(text: string): Generator<ApkRecord> {
  let record: ApkRecord = {};
  let empty = true;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") {
      if (!empty) yield record;
      record = {};
      empty = true;
      continue;
    }
    empty = false;
    if (trimmed.charAt(1) !== ":") continue;
    const value = trimmed.slice(2).trim();
    // First occurrence wins: a block has one of each.
    switch (trimmed.charAt(0)) {
      case "P":
        record.name ??= value;
        break;
      case "V":
        record.version ??= value;
        break;
      case "A":
        record.arch ??= value;
        break;
      case "o":
        record.origin ??= value;
        break;
      case "L":
        record.license ??= value;
        break;
    }
  }
  if (!empty) yield record;
}

/** A bounded word without whitespace, or undefined. */
function wordOrUndefined(value: string | undefined, maxLength: number): string | undefined {
  return value && value.length <= maxLength && !/\s/.test(value) ? value : undefined;
}

function isValid(record: ApkRecord): record is ApkRecord & { name: string; version: string } {
  const { name, version } = record;
  return (
    wordOrUndefined(name, MAX_NAME_LENGTH) !== undefined && wordOrUndefined(version, MAX_VERSION_LENGTH) !== undefined
  );
}

function toPackage(record: ApkRecord & { name: string; version: string }, file: ImageFile, distro: ApkDistro) {
  const { name, version } = record;
  const arch = wordOrUndefined(record.arch, MAX_NAME_LENGTH);
  const pkg: FoundPackage = {
    name,
    version,
    ecosystem: distro.ecosystem,
    purl: toPurl({
      type: "apk",
      namespace: distro.namespace,
      name,
      version,
      qualifiers: { arch, distro: distro.distro },
    }),
    kind: "os-package",
    path: file.path,
    layer: file.layer,
    // Every package is built from an origin (aport); a missing `o:` means its own name.
    sourceName: wordOrUndefined(record.origin, MAX_NAME_LENGTH) ?? name,
    properties: arch ? { arch } : {},
  };
  // `L:` is one SPDX-style expression ("MIT AND BSD-2-Clause"): kept whole, not split.
  if (record.license) pkg.licenses = [record.license];
  return pkg;
}

function readApkFile(file: ImageFile, ctx: AnalyzerContext): { packages: FoundPackage[]; warnings: string[] } {
  const warnings: string[] = [];
  if (isTruncated(file)) warnings.push(`${file.path}: content incomplete, packages may be missing`);
  const distro = toApkDistro(ctx.os);
  const packages: FoundPackage[] = [];
  let invalid = 0;
  for (const record of apkRecords(file.content.toString("utf8"))) {
    if (isValid(record)) packages.push(toPackage(record, file, distro));
    else invalid++;
  }
  if (invalid > 0) warnings.push(`${file.path}: skipped ${invalid} block(s) without a valid P: name and V: version`);
  return { packages, warnings };
}

/** apk's installed database. */
export const apkAnalyzer: Analyzer = {
  name: "apk",
  maxBytes: MAX_APK_FILE_BYTES,
  wants: (path, _size, mode) => path === INSTALLED && isRegularFile(mode),
  analyze(files, ctx) {
    const packages: FoundPackage[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      if (file.path !== INSTALLED) continue;
      const found = readApkFile(file, ctx);
      // A loop, not push(...spread): a hostile database can hold more blocks than call arguments.
      for (const pkg of found.packages) packages.push(pkg);
      warnings.push(...found.warnings);
    }
    return { packages, warnings };
  },
};
