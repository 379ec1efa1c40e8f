/**
 * Debian and Ubuntu packages from dpkg's database: `var/lib/dpkg/status`, and the
 * `var/lib/dpkg/status.d/*` files distroless images write instead (one or more paragraphs each,
 * next to `*.md5sums` files that are not package data). Format: deb822, dpkg-query(1) fields.
 */
import type { Analyzer, AnalyzerContext, FoundPackage, ImageFile, OsRelease } from "../types.js";
import { type Deb822Paragraph, deb822Paragraphs } from "./deb822.js";
import { isRegularFile, isTruncated } from "./files.js";
import { toPurl } from "./purl.js";

const STATUS = "var/lib/dpkg/status";
const STATUS_D = "var/lib/dpkg/status.d/";
/**
 * Real status files are a few MB (about 1 KB per package); 64 MB leaves room for huge images
 * while bounding what the layer reader keeps in memory for us.
 */
export const MAX_DPKG_FILE_BYTES = 64 * 1024 * 1024;

/**
 * dpkg status words under which the package's files are on disk and configured. The first word
 * (want: install, hold, deinstall...) is only a selection: a held package is still installed.
 */
const INSTALLED_STATES: ReadonlySet<string> = new Set(["installed", "triggers-awaited", "triggers-pending"]);
/** Debian Policy 5.6.1 (names) and 5.6.12 (versions), with a length bound against junk. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]{0,254}$/;
const VERSION = /^[A-Za-z0-9.+~:-]{1,256}$/;
/** Debian architecture names (`amd64`, `all`, `musl-linux-arm64`); other values are dropped. */
const ARCH = /^[a-z0-9-]{1,64}$/;

/** Whether `path` is a distroless per-package status file (not its checksum list). */
function isStatusD(path: string): boolean {
  if (!path.startsWith(STATUS_D)) return false;
  const name = path.slice(STATUS_D.length);
  return name !== "" && !name.includes("/") && !name.endsWith(".md5sums");
}

/** The purl namespace, OSV ecosystem and purl `distro` qualifier for a dpkg-based OS. */
interface DebDistro {
  namespace: string;
  ecosystem: string;
  distro?: string;
}

/**
 * Debian and Ubuntu by os-release. OSV names releases `Debian:12` and `Ubuntu:24.10`, and LTS
 * releases (even years, April) `Ubuntu:22.04:LTS`. Without an OS we assume Debian.
 */
export function toDebDistro(os: OsRelease | undefined): DebDistro {
  const id = os?.id ?? "debian";
  const release = os?.versionId ?? os?.codename;
  const distro = os && release ? `${id}-${release}` : undefined;
  const version = os?.versionId;
  if (id === "ubuntu") {
    const lts = version !== undefined && /^\d[02468]\.04$/.test(version);
    return { namespace: id, ecosystem: version ? `Ubuntu:${version}${lts ? ":LTS" : ""}` : "Ubuntu", distro };
  }
  if (id === "debian") return { namespace: id, ecosystem: version ? `Debian:${version}` : "Debian", distro };
  // A derivative: its own namespace, and an ecosystem OSV will not confuse with Debian's.
  return { namespace: id, ecosystem: id, distro };
}

/** One installed package from a paragraph, or why the paragraph was skipped. */
type ParagraphResult = { package: FoundPackage } | { skip: "not-installed" | "invalid" };

function toPackage(
  fields: Deb822Paragraph,
  file: ImageFile,
  options: { distro: DebDistro; statusRequired: boolean },
): ParagraphResult {
  const status = fields.get("status");
  if (status !== undefined || options.statusRequired) {
    const state = status?.split(/\s+/)[2];
    if (state === undefined || !INSTALLED_STATES.has(state)) return { skip: "not-installed" };
  }
  const name = fields.get("package");
  const version = fields.get("version");
  if (!name || !version || !PACKAGE_NAME.test(name) || !VERSION.test(version)) return { skip: "invalid" };
  const arch = wordOrUndefined(fields.get("architecture"), ARCH);
  const multiArch = wordOrUndefined(fields.get("multi-arch"), ARCH);
  // Policy 5.6.1: no Source field means the source package has the binary's name and version.
  const source = toSource(fields.get("source"));
  const properties: Record<string, string> = {};
  if (arch) properties.arch = arch;
  if (multiArch) properties.multiArch = multiArch;
  return {
    package: {
      name,
      version,
      ecosystem: options.distro.ecosystem,
      purl: toPurl({
        type: "deb",
        namespace: options.distro.namespace,
        name,
        version,
        qualifiers: { arch, distro: options.distro.distro },
      }),
      kind: "os-package",
      path: file.path,
      layer: file.layer,
      sourceName: source?.name ?? name,
      ...(source?.version && source.version !== version ? { sourceVersion: source.version } : {}),
      properties,
    },
  };
}

function wordOrUndefined(value: string | undefined, pattern: RegExp): string | undefined {
  return value !== undefined && pattern.test(value) ? value : undefined;
}

/** `Source: name` or `Source: name (version)`; a malformed one counts as absent. */
function toSource(value: string | undefined): { name: string; version?: string } | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const space = trimmed.search(/\s/);
  const name = space < 0 ? trimmed : trimmed.slice(0, space);
  if (!PACKAGE_NAME.test(name)) return undefined;
  if (space < 0) return { name };
  const rest = trimmed.slice(space).trim();
  const version = rest.startsWith("(") && rest.endsWith(")") ? rest.slice(1, -1).trim() : undefined;
  return version && VERSION.test(version) ? { name, version } : { name };
}

/** Installed packages in one dpkg database file; skipped paragraphs are counted, not thrown. */
function readDpkgFile(file: ImageFile, ctx: AnalyzerContext): { packages: FoundPackage[]; warnings: string[] } {
  const warnings: string[] = [];
  if (isTruncated(file)) warnings.push(`${file.path}: content incomplete, packages may be missing`);
  const options = { distro: toDebDistro(ctx.os), statusRequired: file.path === STATUS };
  const packages: FoundPackage[] = [];
  let invalid = 0;
  for (const fields of deb822Paragraphs(file.content.toString("utf8"))) {
    const result = toPackage(fields, file, options);
    if ("package" in result) packages.push(result.package);
    else if (result.skip === "invalid") invalid++;
  }
  if (invalid > 0) warnings.push(`${file.path}: skipped ${invalid} paragraph(s) without a valid Package and Version`);
  return { packages, warnings };
}

/** dpkg's status database, and distroless' status.d. */
export const dpkgAnalyzer: Analyzer = {
  name: "dpkg",
  maxBytes: MAX_DPKG_FILE_BYTES,
  wants: (path, _size, mode) => (path === STATUS || isStatusD(path)) && isRegularFile(mode),
  analyze(files, ctx) {
    const packages: FoundPackage[] = [];
    const warnings: string[] = [];
    const seen = new Set<string>();
    // status first, then status.d in path order, so output does not depend on the reader's order.
    const rank = (f: ImageFile) => (f.path === STATUS ? 0 : 1);
    const ordered = files
      .filter((f) => f.path === STATUS || isStatusD(f.path))
      .sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const file of ordered) {
      const found = readDpkgFile(file, ctx);
      warnings.push(...found.warnings);
      for (const pkg of found.packages) {
        // A package listed in both status and status.d is one package.
        if (seen.has(pkg.purl)) continue;
        seen.add(pkg.purl);
        packages.push(pkg);
      }
    }
    return { packages, warnings };
  },
};
