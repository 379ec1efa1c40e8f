/**
 * Java archives (.jar, .war, .ear): the Maven coordinates in `pom.properties` (several in a
 * shaded jar), else the manifest, for the archive and for the archives nested one level inside
 * it (`BOOT-INF/lib/*.jar` of Spring Boot, `WEB-INF/lib/*.jar` of a war, the modules of an ear).
 */
import type { Analyzer, FoundPackage, ImageFile } from "../../types.js";
import { isRegularFile } from "./file-mode.js";
import { type MavenCoordinates, toManifestCoordinates, toPomCoordinates } from "./java-meta.js";
import { toPurl } from "./purl.js";
import { DEFAULT_ZIP_LIMITS, readZipEntry, toZipDirectory, type ZipEntry } from "./zip.js";

/** The reader keeps a wanted file whole, so this bounds the memory one archive can take. */
const MAX_ARCHIVE_BYTES = 200 * 1024 * 1024;
/** Inflated bytes one outer archive may cost in total, nested archives included. */
const MAX_TOTAL_INFLATED = 256 * 1024 * 1024;

const ARCHIVE = /\.(jar|war|ear)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = /^META-INF\/MANIFEST\.MF$/i;
/** Jar file names as Maven writes them: `artifact-1.2.3.jar`, `artifact-1.2.3-SNAPSHOT.jar`. */
const FILE_NAME_VERSION = /^(.+?)-(\d[^/]*)\.[a-z]+$/i;

/** Finds Maven packages (ecosystem Maven) in Java archives. */
export const javaAnalyzer: Analyzer = {
  name: "java-archive",
  maxBytes: MAX_ARCHIVE_BYTES,
  wants: (path, _size, mode) => isRegularFile(mode) && ARCHIVE.test(path),
  analyze(files) {
    const packages: FoundPackage[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      if (!ARCHIVE.test(file.path)) continue;
      const result = scanArchive(file);
      packages.push(...result.packages);
      warnings.push(...result.warnings);
    }
    return { packages, warnings };
  },
};

interface Scan {
  file: ImageFile;
  packages: FoundPackage[];
  warnings: string[];
  inflated: number;
}

function scanArchive(file: ImageFile): { packages: FoundPackage[]; warnings: string[] } {
  const scan: Scan = { file, packages: [], warnings: [], inflated: 0 };
  const entries = readDirectory(scan, file.content, file.path);
  if (!entries) return scan;
  identify(scan, { data: file.content, entries, archivePath: undefined });
  for (const entry of entries) {
    if (!ARCHIVE.test(entry.name) || entry.name.endsWith("/")) continue;
    const nested = readMember(scan, file.content, entry);
    if (!nested) continue;
    const nestedEntries = readDirectory(scan, nested, `${file.path}!/${entry.name}`);
    if (nestedEntries) identify(scan, { data: nested, entries: nestedEntries, archivePath: entry.name });
  }
  return scan;
}

function readDirectory(scan: Scan, data: Buffer, label: string): ZipEntry[] | undefined {
  const directory = toZipDirectory(data);
  if (directory.kind === "corrupt") {
    scan.warnings.push(`${label}: unreadable Java archive: ${directory.reason}`);
    return undefined;
  }
  if (directory.truncated) {
    scan.warnings.push(`${label}: more than ${DEFAULT_ZIP_LIMITS.maxEntries} members, the rest were not read`);
  }
  return directory.entries;
}

function readMember(scan: Scan, data: Buffer, entry: ZipEntry): Buffer | undefined {
  const inflates = entry.method !== 0;
  if (inflates && scan.inflated + entry.uncompressedSize > MAX_TOTAL_INFLATED) {
    scan.warnings.push(`${scan.file.path}: inflation budget spent, ${entry.name} not read`);
    return undefined;
  }
  const result = readZipEntry(data, entry);
  if (result.kind === "error") {
    scan.warnings.push(`${scan.file.path}: ${result.reason}`);
    return undefined;
  }
  if (inflates) scan.inflated += result.data.length;
  return result.data;
}

interface Archive {
  data: Buffer;
  entries: ZipEntry[];
  /** The member path of a nested archive; undefined for the image file itself. */
  archivePath: string | undefined;
}

/**
 * Every pom.properties names a package. The archive's own name comes from the file name
 * (`artifact-1.2.jar`, as Maven and Gradle write it) or else the manifest, when no
 * pom.properties already names it: shaded jars carry only the poms of what they embed.
 * The file name goes first because manifests often disagree with the published version
 * (commons-beanutils 1.7.0 says 1.6; OSGi writes 1.5.5-11 as 1.5.5.11).
 */
function identify(scan: Scan, archive: Archive): void {
  const fileName = (archive.archivePath ?? scan.file.path).split("/").pop() ?? "";
  let namesItself = false;
  let foundPom = false;
  for (const entry of archive.entries) {
    if (!POM_PROPERTIES.test(entry.name)) continue;
    const text = readMember(scan, archive.data, entry)?.toString("utf8");
    if (text === undefined) continue;
    const coordinates = toPomCoordinates(text, entry.name);
    if (!addPackage(scan, archive, coordinates, "pom.properties")) continue;
    foundPom = true;
    if (fileName.startsWith(`${coordinates.artifactId}-`)) namesItself = true;
  }
  if (namesItself) return;
  const fromName = toFileNameCoordinates(fileName);
  // Without a versioned file name, a jar whose poms name others (app.jar) is left at that.
  if (!fromName.artifactId && foundPom) return;
  const manifest = archive.entries.find((entry) => MANIFEST.test(entry.name));
  const text = manifest ? readMember(scan, archive.data, manifest)?.toString("utf8") : undefined;
  const fromManifest = text === undefined ? {} : toManifestCoordinates(text);
  if (fromName.artifactId) {
    // Implementation-Vendor-Id was the group id in 14 of the 19 jars of a local Maven repository that set it.
    addPackage(scan, archive, { ...fromName, groupId: fromManifest.groupId }, "file-name");
  } else {
    addPackage(scan, archive, fromManifest, "manifest");
  }
}

function toFileNameCoordinates(fileName: string): MavenCoordinates {
  const match = FILE_NAME_VERSION.exec(fileName);
  return match ? { artifactId: match[1], version: match[2] } : {};
}

/** Adds the package when artifact and version are known; OSV names Maven packages `group:artifact`. */
function addPackage(scan: Scan, archive: Archive, coordinates: MavenCoordinates, source: string): boolean {
  const { groupId, artifactId, version } = coordinates;
  if (!artifactId || !version) return false;
  const properties: Record<string, string> = { "java.artifactId": artifactId, "java.source": source };
  if (groupId) properties["java.groupId"] = groupId;
  if (archive.archivePath) properties["java.archivePath"] = archive.archivePath;
  scan.packages.push({
    name: groupId ? `${groupId}:${artifactId}` : artifactId,
    version,
    ecosystem: "Maven",
    purl: toPurl({ type: "maven", namespace: groupId, name: artifactId, version }),
    kind: "library",
    path: scan.file.path,
    layer: scan.file.layer,
    properties,
  });
  return true;
}
