/**
 * RPM packages from rpm's SQLite database (rpm >= 4.16: RHEL 9, Rocky, Alma, Fedora 33+):
 * `var/lib/rpm/rpmdb.sqlite` or `usr/lib/sysimage/rpm/rpmdb.sqlite`. Its `Packages` table
 * holds one header blob per package (decoded by rpm-header.ts). The BerkeleyDB `Packages`
 * (RHEL <= 8) and NDB `Packages.db` (SUSE) formats are not read: a warning says so.
 */
import Database from "better-sqlite3";
import type { Analyzer, AnalyzerContext, FoundPackage, ImageFile, OsRelease } from "../types.js";
import { isRegularFile, isTruncated } from "./files.js";
import { toPurl } from "./purl.js";
import { type RpmHeader, toRpmHeader } from "./rpm-header.js";

/** SQLite databases, the newer default location first (it wins a tie). */
const SQLITE_PATHS = ["usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"] as const;
const WAL_PATHS = SQLITE_PATHS.map((p) => `${p}-wal`);
const LEGACY_PATHS = [
  "var/lib/rpm/Packages",
  "var/lib/rpm/Packages.db",
  "usr/lib/sysimage/rpm/Packages",
  "usr/lib/sysimage/rpm/Packages.db",
];
const WANTED: ReadonlySet<string> = new Set([...SQLITE_PATHS, ...WAL_PATHS, ...LEGACY_PATHS]);
/** A full Fedora install's rpmdb.sqlite is ~100 MB; a container's is 5-30 MB. */
export const MAX_RPMDB_BYTES = 256 * 1024 * 1024;
/** No distribution ships this many; a database claiming more is read up to here. */
export const MAX_RPM_PACKAGES = 100_000;
/** Per-package warnings kept per database before they are only counted. */
const MAX_PACKAGE_WARNINGS = 20;
const MAX_FIELD_LENGTH = 1024;

/** The purl namespace, OSV ecosystem and purl `distro` qualifier for an rpm-based OS. */
interface RpmDistro {
  namespace?: string;
  ecosystem: string;
  distro?: string;
}

/** os-release ids to purl namespaces and OSV ecosystems (per major release where OSV has them). */
const RPM_DISTROS: ReadonlyMap<string, { namespace: string; ecosystem: (major?: string) => string }> = new Map<
  string,
  { namespace: string; ecosystem: (major?: string) => string }
>([
  ["rhel", { namespace: "redhat", ecosystem: () => "Red Hat" }],
  ["rocky", { namespace: "rocky", ecosystem: (major) => (major ? `Rocky Linux:${major}` : "Rocky Linux") }],
  ["almalinux", { namespace: "almalinux", ecosystem: (major) => (major ? `AlmaLinux:${major}` : "AlmaLinux") }],
  ["fedora", { namespace: "fedora", ecosystem: () => "Fedora" }],
  ["centos", { namespace: "centos", ecosystem: () => "CentOS" }],
]);

/**
 * The rpm distribution by os-release id. An unknown id keeps its own name as namespace and
 * ecosystem; without an OS there is no namespace and the ecosystem is plain `rpm`.
 */
export function toRpmDistro(os: OsRelease | undefined): RpmDistro {
  if (!os) return { ecosystem: "rpm" };
  const distro = os.versionId ? `${os.id}-${os.versionId}` : undefined;
  const known = RPM_DISTROS.get(os.id);
  if (!known) return { namespace: os.id, ecosystem: os.id, distro };
  return { namespace: known.namespace, ecosystem: known.ecosystem(os.versionId?.split(".")[0]), distro };
}

/** `openssl-3.0.7-24.el9.src.rpm` → name `openssl`, version-release `3.0.7-24.el9`. */
function toSourceRpm(file: string): { name: string; version: string } | undefined {
  const suffix = [".src.rpm", ".nosrc.rpm"].find((s) => file.endsWith(s));
  if (!suffix) return undefined;
  const base = file.slice(0, -suffix.length);
  const releaseDash = base.lastIndexOf("-");
  const versionDash = releaseDash > 0 ? base.lastIndexOf("-", releaseDash - 1) : -1;
  if (versionDash <= 0) return undefined;
  return { name: base.slice(0, versionDash), version: base.slice(versionDash + 1) };
}

function isPlainField(value: string): boolean {
  return value.length <= MAX_FIELD_LENGTH && !/[\s\0]/.test(value);
}

function toPackage(header: RpmHeader, file: ImageFile, distro: RpmDistro): FoundPackage | string {
  const { name, version, release } = header;
  if (![name, version, release].every(isPlainField)) return "NAME, VERSION or RELEASE is not a plain word";
  const arch = header.arch && isPlainField(header.arch) ? header.arch : undefined;
  const epoch = header.epoch ? String(header.epoch) : undefined;
  const versionRelease = `${version}-${release}`;
  const properties: Record<string, string> = {};
  if (arch) properties.arch = arch;
  if (epoch) properties.epoch = epoch;
  const pkg: FoundPackage = {
    name,
    version: epoch ? `${epoch}:${versionRelease}` : versionRelease,
    ecosystem: distro.ecosystem,
    purl: toPurl({
      type: "rpm",
      namespace: distro.namespace,
      name,
      version: versionRelease,
      qualifiers: { arch, epoch, distro: distro.distro },
    }),
    kind: "os-package",
    path: file.path,
    layer: file.layer,
    properties,
  };
  const source = header.sourceRpm && isPlainField(header.sourceRpm) ? toSourceRpm(header.sourceRpm) : undefined;
  if (source) {
    pkg.sourceName = source.name;
    if (source.version !== versionRelease) pkg.sourceVersion = source.version;
  }
  if (header.license) pkg.licenses = [header.license];
  return pkg;
}

/**
 * Opens the database bytes in memory: better-sqlite3 v12 deserializes a Buffer, so nothing is
 * written to disk. SQLite's in-memory VFS cannot open WAL-mode files (rpm switches its database
 * to WAL), so a copy gets header bytes 18-19 (file format versions, 2 = WAL) set to 1, which
 * reads the same pages through the rollback journal (SQLite file format §1.3.4).
 */
function openRpmdb(content: Buffer): Database.Database {
  let bytes = content;
  if (content.length >= 20 && (content[18] === 2 || content[19] === 2)) {
    bytes = Buffer.from(content);
    bytes[18] = 1;
    bytes[19] = 1;
  }
  const db = new Database(bytes, { readonly: true });
  // The file is untrusted (sqlite.org "Defense against the dark arts").
  db.pragma("trusted_schema = OFF");
  db.pragma("cell_size_check = ON");
  return db;
}

/** Packages in one rpmdb.sqlite; corrupt headers and a corrupt database become warnings. */
function readRpmdb(file: ImageFile, ctx: AnalyzerContext): { packages: FoundPackage[]; warnings: string[] } {
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  if (isTruncated(file)) warnings.push(`${file.path}: content incomplete, packages may be missing`);
  const distro = toRpmDistro(ctx.os);
  let bad = 0;
  const warnPackage = (message: string) => {
    if (++bad <= MAX_PACKAGE_WARNINGS) warnings.push(`${file.path}: ${message}`);
  };
  let db: Database.Database | undefined;
  let rows = 0;
  try {
    db = openRpmdb(file.content);
    // Only a real table: a view could make the query below arbitrarily expensive.
    const kind = db.prepare("SELECT type FROM sqlite_master WHERE name = 'Packages' COLLATE NOCASE").pluck().get();
    if (kind !== "table") {
      warnings.push(`${file.path}: no Packages table, not an rpm database`);
      return { packages, warnings };
    }
    const query = db.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum LIMIT ?").raw(true);
    for (const [hnum, blob] of query.iterate(MAX_RPM_PACKAGES + 1) as Iterable<unknown[]>) {
      if (++rows > MAX_RPM_PACKAGES) {
        warnings.push(`${file.path}: more than ${MAX_RPM_PACKAGES} packages, the rest not read`);
        break;
      }
      if (!(blob instanceof Uint8Array)) {
        warnPackage(`package ${String(hnum)}: blob is not binary`);
        continue;
      }
      const result = toRpmHeader(blob);
      if ("error" in result) {
        warnPackage(`package ${String(hnum)}: ${result.error}`);
        continue;
      }
      // rpm keeps imported signing keys as pseudo-packages: keys, not software.
      if (result.header.name === "gpg-pubkey") continue;
      const pkg = toPackage(result.header, file, distro);
      if (typeof pkg === "string") warnPackage(`package ${String(hnum)}: ${pkg}`);
      else packages.push(pkg);
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    warnings.push(
      `${file.path}: SQLite could not read the database${typeof code === "string" ? ` (${code})` : ""}; ${packages.length} package(s) read before that`,
    );
  } finally {
    db?.close();
  }
  if (bad > MAX_PACKAGE_WARNINGS)
    warnings.push(`${file.path}: ${bad - MAX_PACKAGE_WARNINGS} more unreadable package(s)`);
  return { packages, warnings };
}

/** The database rpm would use: the one a later layer wrote, the newer location on a tie. */
function pickDatabase(files: readonly ImageFile[]): { db?: ImageFile; ignored: ImageFile[] } {
  const candidates = SQLITE_PATHS.flatMap((path) => files.filter((f) => f.path === path && f.content.length > 0));
  const db = candidates.reduce<ImageFile | undefined>(
    (best, f) => (!best || f.layer > best.layer ? f : best),
    undefined,
  );
  return { db, ignored: candidates.filter((f) => f !== db) };
}

/** rpm's SQLite database; the legacy formats are reported, not read. */
export const rpmAnalyzer: Analyzer = {
  name: "rpm",
  maxBytes: MAX_RPMDB_BYTES,
  wants: (path, _size, mode) => WANTED.has(path) && isRegularFile(mode),
  analyze(files, ctx) {
    const { db, ignored } = pickDatabase(files);
    const warnings = ignored.map((f) => `${f.path}: a second rpm database, ignored in favour of ${db?.path}`);
    const legacy = files.filter((f) => LEGACY_PATHS.includes(f.path));
    if (!db && legacy.length > 0) {
      const paths = legacy.map((f) => f.path).join(", ");
      warnings.push(`${paths}: BerkeleyDB/NDB rpm databases are not read, so this image's rpm packages are not listed`);
    }
    if (!db) return { packages: [], warnings };
    const wal = files.find((f) => f.path === `${db.path}-wal` && f.size > 0);
    if (wal) warnings.push(`${wal.path}: changes not yet checkpointed into ${db.path} are not read`);
    const found = readRpmdb(db, ctx);
    return { packages: found.packages, warnings: [...warnings, ...found.warnings] };
  },
};
