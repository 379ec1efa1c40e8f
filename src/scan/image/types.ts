/**
 * The contract between the image file system and the analyzers. The layer reader streams every
 * layer once; an analyzer names the files it reads (`wants`), the reader keeps those (bounded)
 * as the layers are applied, and the analyzer sees the merged result: files deleted or replaced
 * by a later layer are gone, each file says which layer wrote it last.
 */
import type { Readable } from "node:stream";

/** Package ecosystems as OSV names them (the vulnerability matcher keys on these). */
export const ECOSYSTEMS = [
  "Debian",
  "Ubuntu",
  "Alpine",
  "Red Hat",
  "Rocky Linux",
  "AlmaLinux",
  "PyPI",
  "npm",
  "Go",
  "Maven",
] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number] | string;

/** What /etc/os-release (or /usr/lib/os-release) says. */
export interface OsRelease {
  /** `ID`, e.g. `debian`, `ubuntu`, `alpine`, `rhel`, `rocky`, `almalinux`, `fedora`, `wolfi`. */
  id: string;
  /** `VERSION_ID`, e.g. `12`, `22.04`, `3.20.3`. */
  versionId?: string;
  /** `VERSION_CODENAME`, e.g. `bookworm`. */
  codename?: string;
  prettyName?: string;
  /** `ID_LIKE`, split on spaces. */
  idLike: string[];
}

/** One file of the merged image file system, with its content when an analyzer asked for it. */
export interface ImageFile {
  /** Path inside the image, without a leading slash: `var/lib/dpkg/status`. */
  path: string;
  size: number;
  /** Permission bits and file type bits as in the tar header (e.g. 0o104755 has SUID). */
  mode: number;
  uid: number;
  gid: number;
  /** Index of the layer (0 = base) that wrote this file last. */
  layer: number;
  /** The content, for files an analyzer wanted (and within the size limit). */
  content: Buffer;
  /** Set when `content` is what an analyzer's extractor kept, not the whole file. */
  extractedBy?: string;
}

/** A package an analyzer found. */
export interface FoundPackage {
  name: string;
  version: string;
  /** OSV ecosystem name; for OS packages the distribution (`Debian`, `Alpine`, ...). */
  ecosystem: Ecosystem;
  /** Package URL, e.g. `pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12`. */
  purl: string;
  /** `os-package` for dpkg/apk/rpm, `library` for language packages. */
  kind: "os-package" | "library";
  /** The file the package was read from (a status database, a METADATA file, a binary). */
  path: string;
  /** Layer index of that file. */
  layer: number;
  /** Source package (Debian `Source:`, Alpine origin, rpm source rpm name): advisories use it. */
  sourceName?: string;
  /** Source package version when it differs from the binary version (Debian `Source: x (ver)`). */
  sourceVersion?: string;
  licenses?: string[];
  /** Extra facts: `arch`, `epoch`, `go.main`, `java.groupId`... */
  properties?: Record<string, string>;
}

export interface AnalyzerContext {
  /** The image's OS, when os-release was found (for purl `distro` qualifiers and ecosystems). */
  os?: OsRelease;
}

/**
 * Picks the few bytes an analyzer needs out of a file it cannot keep whole; what it returns is
 * analyzed as that file's content (`ImageFile.extracted` set).
 */
export interface StreamExtractor {
  /** A cheap test on the entry alone (a `dir:` source opens only files that pass it). */
  wants(path: string, size: number, mode: number): boolean;
  /** Given the file's first bytes: a consumer of the whole stream, or undefined to pass. */
  start(head: Buffer, size: number): ((stream: Readable) => Promise<Buffer | undefined>) | undefined;
}

/** Reads packages from files of the merged file system. Pure: no I/O beyond the files given. */
export interface Analyzer {
  readonly name: string;
  /** Whether this analyzer reads the file at `path` (no leading slash) of `size` bytes, kept whole. */
  wants(path: string, size: number, mode: number): boolean;
  /**
   * The largest file it reads: a wanted file over it is not kept, and the scan says so in its
   * warnings (a cap inside `wants` would drop the file without a word).
   */
  readonly maxBytes?: number;
  /** For files too large to keep whole (executables): read them as streams, keep a small part. */
  readonly extractor?: StreamExtractor;
  /**
   * Packages found in the wanted files that survived the layers. A file it cannot parse adds a
   * warning, never an exception: one broken database must not hide the rest of the image.
   */
  analyze(files: readonly ImageFile[], ctx: AnalyzerContext): { packages: FoundPackage[]; warnings: string[] };
}
