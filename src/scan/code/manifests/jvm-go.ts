/**
 * Go and JVM manifests: go.mod (with go.sum as a fallback for versions), pom.xml with
 * `${property}` substitution, and build.gradle / build.gradle.kts dependency notations.
 */
import { XMLParser } from "fast-xml-parser";
import { parse as parseToml } from "smol-toml";
import { type DeclaredPackage, type LockedVersions, lineOf } from "./types.js";

/** go.mod `require` lines, single and in blocks; versions are exact (minimal version selection). */
export function parseGoMod(text: string): DeclaredPackage[] {
  const out: DeclaredPackage[] = [];
  let inBlock = false;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (/^require\s*\($/.test(line)) {
      inBlock = true;
      continue;
    }
    if (inBlock && line === ")") {
      inBlock = false;
      continue;
    }
    const m = inBlock ? /^(\S+)\s+(v\S+)/.exec(line) : /^require\s+(\S+)\s+(v\S+)/.exec(line);
    if (m?.[1] && m[2]) out.push({ ecosystem: "go", name: m[1], spec: m[2], line: index + 1 });
  }
  return out;
}

/** go.sum: the versions listed per module (the last listed wins). */
export function parseGoSum(text: string): LockedVersions {
  const locked: LockedVersions = new Map();
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\S+)\s+(v[^/\s]+)(\/go\.mod)?\s/.exec(line);
    if (m?.[1] && m[2]) locked.set(m[1], m[2]);
  }
  return locked;
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Every `<dependencies>` list of a pom, wherever it sits: the project's own and its
 * dependencyManagement, each profile's (`mvn -P azure-openai` builds with those too), a plugin's
 * `<dependencies>` and the dependency lists of plugin configurations (`<extraDependencies>` of the
 * Quarkus extension plugin). Exclusions are `<exclusion>` elements, so they are never taken.
 */
function dependencyLists(project: Table): Table[] {
  const lists: Table[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 12) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isTable(node)) return;
    if (node.dependency !== undefined) lists.push(node);
    for (const [key, value] of Object.entries(node)) if (key !== "dependency") visit(value, depth + 1);
  };
  visit(project, 0);
  return lists;
}

/** pom.xml: every dependency list (`dependencyLists`), with `${...}` from properties and the project. */
export function parsePom(text: string): DeclaredPackage[] {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: false });
  const doc = parser.parse(text) as unknown;
  const project = isTable(doc) ? doc.project : undefined;
  if (!isTable(project)) return [];
  const props = new Map<string, string>();
  if (isTable(project.properties))
    for (const [k, v] of Object.entries(project.properties)) if (typeof v === "string") props.set(k, v.trim());
  if (typeof project.version === "string") props.set("project.version", project.version);
  const parent = project.parent;
  if (isTable(parent) && typeof parent.version === "string") props.set("project.parent.version", parent.version);
  const resolve = (value: string, depth = 0): string =>
    depth > 5
      ? value
      : value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
          const v = props.get(key);
          return v === undefined ? whole : resolve(v, depth + 1);
        });
  const out: DeclaredPackage[] = [];
  for (const list of dependencyLists(project)) {
    for (const dep of asArray(list.dependency)) {
      if (!isTable(dep) || typeof dep.groupId !== "string" || typeof dep.artifactId !== "string") continue;
      const groupId = resolve(dep.groupId.trim());
      const artifactId = resolve(dep.artifactId.trim());
      const version = typeof dep.version === "string" ? resolve(dep.version.trim()) : undefined;
      out.push({
        ecosystem: "maven",
        name: `${groupId}:${artifactId}`,
        spec: version && !version.includes("${") ? version : undefined,
        line: lineOf(text, `<artifactId>${dep.artifactId}</artifactId>`),
      });
    }
  }
  return out;
}

/**
 * The `groupId:artifactId` a pom gives the project itself (the groupId inherited from `<parent>`
 * when the pom names none); undefined when either is missing or still holds a `${...}`.
 * The text is at most a manifest's size (the walker's limit); the parser keeps no entities.
 */
export function pomProject(text: string): string | undefined {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: false });
  const doc = parser.parse(text) as unknown;
  const project = isTable(doc) ? doc.project : undefined;
  if (!isTable(project)) return undefined;
  const parent = isTable(project.parent) ? project.parent : undefined;
  const group = typeof project.groupId === "string" ? project.groupId : parent?.groupId;
  const artifact = project.artifactId;
  if (typeof group !== "string" || typeof artifact !== "string") return undefined;
  const name = `${group.trim()}:${artifact.trim()}`;
  return name.includes("${") || name.length > 400 ? undefined : name;
}

/**
 * Groovy/Kotlin source with its comments blanked out (`//` to the end of the line, `/* ... *\/`),
 * strings left alone, so offsets and lines stay those of the original text.
 */
export function withoutJvmComments(text: string): string {
  if (!text.includes("//") && !text.includes("/*")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/**
 * build.gradle(.kts): `"group:artifact:version"` notations, `group: 'g', name: 'a', version: 'v'`
 * maps, `mavenBom "g:a:v"` imports (Spring's dependency-management plugin) and, given the
 * build's version catalog, its type-safe accessors (`implementation(libs.mcp.kotlin)`,
 * `libs.bundles.x`); commented-out lines declare nothing.
 */
export function parseGradle(source: string, catalog?: VersionCatalog): DeclaredPackage[] {
  const text = withoutJvmComments(source);
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/(?:val|def|set\(|ext\.)?\s*([A-Za-z_]\w*)\s*=\s*["']([^"'$]+)["']/g))
    if (m[1] && m[2]) vars.set(m[1], m[2]);
  for (const m of text.matchAll(/set\(\s*["'](\w+)["']\s*,\s*["']([^"']+)["']\s*\)/g))
    if (m[1] && m[2]) vars.set(m[1], m[2]);
  const resolve = (v: string) =>
    v.replace(
      /\$\{?(?:project\.|rootProject\.ext\.|ext\.)?([A-Za-z_]\w*)\}?/g,
      (whole, k: string) => vars.get(k) ?? whole,
    );
  const out: DeclaredPackage[] = [];
  const configs =
    "(?:implementation|api|compile|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|testCompileOnly|developmentOnly|annotationProcessor|kapt|mavenBom)";
  const notation = new RegExp(
    `${configs}\\s*\\(?\\s*(?:(?:enforced)?[pP]latform\\s*\\(\\s*)?["']([\\w.-]+):([\\w.-]+)(?::([^"'@]+))?["']`,
    "g",
  );
  for (const m of text.matchAll(notation)) {
    if (!m[1] || !m[2]) continue;
    const version = m[3] ? resolve(m[3]) : undefined;
    out.push({
      ecosystem: "maven",
      name: `${m[1]}:${m[2]}`,
      spec: version && !version.includes("$") ? version : undefined,
      line: lineOf(text, m[0]),
    });
  }
  const map = new RegExp(
    `${configs}\\s*\\(?\\s*group\\s*[:=]\\s*["']([\\w.-]+)["']\\s*,\\s*name\\s*[:=]\\s*["']([\\w.-]+)["'](?:\\s*,\\s*version\\s*[:=]\\s*["']([^"']+)["'])?`,
    "g",
  );
  for (const m of text.matchAll(map)) {
    if (!m[1] || !m[2]) continue;
    const version = m[3] ? resolve(m[3]) : undefined;
    out.push({ ecosystem: "maven", name: `${m[1]}:${m[2]}`, spec: version, line: lineOf(text, m[0]) });
  }
  if (catalog && text.includes("libs.")) {
    const accessor = new RegExp(
      `${configs}\\s*\\(?\\s*(?:(?:enforced)?[pP]latform\\s*\\(\\s*)?libs\\.([A-Za-z_][\\w.]*)`,
      "g",
    );
    for (const m of text.matchAll(accessor)) {
      const key = (m[1] ?? "").replace(/\.get$/, "");
      const bundle = key.startsWith("bundles.") ? catalog.bundles.get(key.slice("bundles.".length)) : undefined;
      const line = lineOf(text, m[0]);
      for (const p of bundle ?? [catalog.libraries.get(key)])
        if (p) out.push({ ecosystem: "maven", name: p.name, ...(p.spec ? { spec: p.spec } : {}), line });
    }
  }
  return out;
}

/** A version catalog's libraries and bundles by accessor path (`mcp-kotlin` → `mcp.kotlin`). */
export interface VersionCatalog {
  libraries: Map<string, DeclaredPackage>;
  bundles: Map<string, DeclaredPackage[]>;
}

/** The accessor path Gradle generates for an alias: `-`, `_` and `.` all separate segments. */
function accessorPath(alias: string): string {
  return alias.replace(/[-_.]/g, ".");
}

/** Index a parsed catalog (see `parseVersionCatalog`) by the accessors build files use. */
export function toVersionCatalog(text: string): VersionCatalog {
  const libraries = new Map<string, DeclaredPackage>();
  for (const p of parseVersionCatalog(text)) if (p.alias) libraries.set(accessorPath(p.alias), p);
  const bundles = new Map<string, DeclaredPackage[]>();
  const doc = parseToml(text) as { bundles?: unknown };
  if (isRecord(doc.bundles))
    for (const [name, aliases] of Object.entries(doc.bundles)) {
      if (!Array.isArray(aliases)) continue;
      const members = aliases.flatMap((a) =>
        typeof a === "string" ? [libraries.get(accessorPath(a))].filter((p) => p !== undefined) : [],
      );
      bundles.set(accessorPath(name), members);
    }
  return { libraries, bundles };
}

/**
 * A Gradle version catalog (`gradle/libs.versions.toml`): the `[libraries]` table, each entry a
 * `"group:artifact:version"` string or a table with `module` or `group` + `name`, and `version`
 * as a string, `{ ref = "..." }` (from `[versions]`) or `version.ref`. Build files then use them
 * as `libs.x.y`. https://docs.gradle.org/current/userguide/version_catalogs.html
 */
export function parseVersionCatalog(text: string): (DeclaredPackage & { alias: string })[] {
  const doc = parseToml(text) as { versions?: unknown; libraries?: unknown };
  const versions = isRecord(doc.versions) ? doc.versions : {};
  const versionOf = (v: unknown): string | undefined => {
    if (typeof v === "string") return v;
    if (!isRecord(v)) return undefined;
    if (typeof v.ref === "string") {
      const ref = versions[v.ref];
      return typeof ref === "string"
        ? ref
        : isRecord(ref) && typeof ref.strictly === "string"
          ? ref.strictly
          : undefined;
    }
    return typeof v.strictly === "string" ? v.strictly : typeof v.require === "string" ? v.require : undefined;
  };
  const out: (DeclaredPackage & { alias: string })[] = [];
  if (!isRecord(doc.libraries)) return out;
  for (const [alias, entry] of Object.entries(doc.libraries)) {
    let name: string | undefined;
    let spec: string | undefined;
    if (typeof entry === "string") {
      const [group, artifact, version] = entry.split(":");
      if (group && artifact) {
        name = `${group}:${artifact}`;
        spec = version;
      }
    } else if (isRecord(entry)) {
      if (typeof entry.module === "string") name = entry.module;
      else if (typeof entry.group === "string" && typeof entry.name === "string") name = `${entry.group}:${entry.name}`;
      spec = versionOf(entry.version);
    }
    if (!name || !/^[\w.-]+:[\w.-]+$/.test(name)) continue;
    out.push({ ecosystem: "maven", name, alias, ...(spec ? { spec } : {}), line: lineOf(text, alias) });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
