/**
 * The two places a jar names itself: Maven's `META-INF/maven/GROUP/ARTIFACT/pom.properties`
 * (a java.util.Properties file) and `META-INF/MANIFEST.MF` (JAR File Specification, OSGi Core).
 */
import { firstHeader, toHeaderBlock } from "./rfc822.js";

/** A Maven coordinate; every part may be missing in a hand-made archive. */
export interface MavenCoordinates {
  groupId?: string;
  artifactId?: string;
  version?: string;
}

/** The key/value pairs of a java.util.Properties text (comments, continuations, `\uXXXX`). */
export function toProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] ?? "").trimStart();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + (lines[++i] ?? "").trimStart();
    }
    const separator = findSeparator(line);
    const key = line.slice(0, separator);
    const value = line
      .slice(separator)
      .replace(/^\s*[=:]?\s*/, "")
      .replace(/\s+$/, "");
    properties.set(unescapeProperty(key), unescapeProperty(value));
  }
  return properties;
}

/** Coordinates from pom.properties, with the group and artifact of its path as fallback. */
export function toPomCoordinates(text: string, memberPath: string): MavenCoordinates {
  const properties = toProperties(text);
  const [, , pathGroup, pathArtifact] = memberPath.split("/");
  return {
    groupId: properties.get("groupId") || pathGroup || undefined,
    artifactId: properties.get("artifactId") || pathArtifact || undefined,
    version: properties.get("version") || undefined,
  };
}

/**
 * Coordinates from a manifest's main section: OSGi Bundle-SymbolicName/Bundle-Version, else
 * Implementation-Title/Version. Only Implementation-Vendor-Id is a group id; none is guessed.
 */
export function toManifestCoordinates(text: string): MavenCoordinates {
  const headers = toHeaderBlock(text, { continuation: "splice", lowerCaseKeys: true });
  // `org.example.bundle;singleton:=true` carries directives after the first `;`.
  const symbolicName = firstHeader(headers, "bundle-symbolicname")?.split(";")[0]?.trim();
  return {
    groupId: firstHeader(headers, "implementation-vendor-id"),
    artifactId: symbolicName || firstHeader(headers, "implementation-title"),
    version: firstHeader(headers, "bundle-version") ?? firstHeader(headers, "implementation-version"),
  };
}

function endsWithContinuation(line: string): boolean {
  const backslashes = /\\*$/.exec(line)?.[0].length ?? 0;
  return backslashes % 2 === 1;
}

/** Index of the first unescaped `=`, `:` or whitespace, which ends the key. */
function findSeparator(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") i++;
    else if (c === "=" || c === ":" || c === " " || c === "\t" || c === "\f") return i;
  }
  return line.length;
}

function unescapeProperty(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
    return ({ t: "\t", n: "\n", r: "\r", f: "\f" } as Record<string, string>)[escaped] ?? escaped;
  });
}
