/**
 * Which distribution an image is, from os-release(5): `etc/os-release`, else
 * `usr/lib/os-release`, else the older `etc/alpine-release` / `etc/debian_version`. The OS
 * decides the purl namespace and OSV ecosystem of every OS package, so it is read first.
 */
import type { Analyzer, ImageFile, OsRelease } from "../types.js";
import { isRegularFile, isTruncated } from "./files.js";

/** os-release files, in the order os-release(5) says to try them. */
export const OS_RELEASE_PATHS = ["etc/os-release", "usr/lib/os-release"] as const;
const ALPINE_RELEASE = "etc/alpine-release";
const DEBIAN_VERSION = "etc/debian_version";
const OS_FILES: ReadonlySet<string> = new Set([...OS_RELEASE_PATHS, ALPINE_RELEASE, DEBIAN_VERSION]);
/** These files are a few hundred bytes; anything bigger is not one. */
const MAX_OS_FILE_BYTES = 64 * 1024;

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Characters a backslash escapes inside double quotes, as in the shell. */
const DOUBLE_QUOTE_ESCAPES = new Set(["$", '"', "\\", "`"]);

/**
 * The fields of an os-release file. Never throws: values follow shell quoting (single quotes,
 * double quotes with backslash escapes, bare words), comments and malformed lines are skipped,
 * and a missing `ID` means `linux` as os-release(5) specifies.
 */
export function parseOsRelease(text: string): OsRelease {
  const vars = new Map<string, string>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) continue;
    const key = trimmed.slice(0, eq);
    if (!KEY.test(key)) continue;
    vars.set(key, unquote(trimmed.slice(eq + 1)));
  }
  const value = (key: string) => vars.get(key)?.trim() || undefined;
  return {
    id: value("ID")?.toLowerCase() ?? "linux",
    versionId: value("VERSION_ID"),
    codename: value("VERSION_CODENAME"),
    prettyName: value("PRETTY_NAME"),
    idLike: (value("ID_LIKE") ?? "")
      .toLowerCase()
      .split(/\s+/)
      .filter((id) => id !== ""),
  };
}

/** One shell word: quotes removed, escapes applied, ended by unquoted whitespace. */
function unquote(raw: string): string {
  let out = "";
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else out += c;
      continue;
    }
    if (c === "\\" && i + 1 < raw.length) {
      const next = raw.charAt(i + 1);
      if (quote === '"' && !DOUBLE_QUOTE_ESCAPES.has(next)) {
        out += c;
      } else {
        out += next;
        i++;
      }
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else out += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === " " || c === "\t") break;
    else out += c;
  }
  return out;
}

/**
 * The image's OS from the files `osAnalyzer` wanted, or undefined when none of them says.
 * An empty os-release (a symlink the reader kept without content) falls through to the next.
 */
export function findOsRelease(files: readonly ImageFile[]): OsRelease | undefined {
  const text = (path: string) => {
    const file = files.find((f) => f.path === path && isRegularFile(f.mode));
    const content = file?.content.toString("utf8").trim();
    return content === "" ? undefined : content;
  };
  for (const path of OS_RELEASE_PATHS) {
    const content = text(path);
    if (content !== undefined) return parseOsRelease(content);
  }
  const alpine = text(ALPINE_RELEASE)?.split("\n")[0]?.trim();
  if (alpine) return { id: "alpine", versionId: alpine, idLike: [] };
  const debian = text(DEBIAN_VERSION)?.split("\n")[0]?.trim();
  // A stable release says `12.5` (os-release's VERSION_ID is `12`); testing says `trixie/sid`.
  if (debian)
    return { id: "debian", versionId: /^\d+(\.\d+)*$/.test(debian) ? debian.split(".")[0] : undefined, idLike: [] };
  return undefined;
}

/**
 * Keeps the files that identify the OS. It reports no packages: the scanner passes the files it
 * kept to `findOsRelease` and hands the result to the other analyzers as `AnalyzerContext.os`.
 */
export const osAnalyzer: Analyzer = {
  name: "os-release",
  maxBytes: MAX_OS_FILE_BYTES,
  wants: (path, _size, mode) => OS_FILES.has(path) && isRegularFile(mode),
  analyze(files) {
    const warnings = files.filter(isTruncated).map((f) => `${f.path}: content incomplete, OS not read from it`);
    if (files.length > 0 && findOsRelease(files) === undefined) {
      warnings.push(`${files.map((f) => f.path).join(", ")}: none of these says which OS the image is`);
    }
    return { packages: [], warnings };
  },
};
