/**
 * Matches one installed package against the advisories: ecosystem and name through the
 * ecosystems table, versions through OSV range semantics (affects.ts), then one match per
 * vulnerability (aliases.ts) with the fix to suggest and a severity.
 *
 * OS packages are also matched by their source package (Debian's `Source:`, Alpine's origin, the
 * source rpm): distribution advisories are written per source package, at the source version.
 */
import { type Finding, type Severity, severityRank } from "../core/index.js";
import { evaluateAffected } from "./affects.js";
import { groupByAlias } from "./aliases.js";
import { ecosystemCovers, packageKey, resolveEcosystem } from "./ecosystems.js";
import type { AdvisoryLookup } from "./index-memory.js";
import type { VersionOrdering } from "./ordering.js";
import type { OsvAdvisory } from "./osv.js";
import { type SeveritySource, severityOf } from "./severity.js";

/** The package to match; an image scanner's FoundPackage is one. */
export interface PackageRef {
  name: string;
  version: string;
  /** OSV ecosystem, with the release for OS packages: `Debian:12`, `Alpine:v3.20`, `PyPI`. */
  ecosystem: string;
  purl?: string;
  /** Source package, for OS packages: advisories for it apply to this package. */
  sourceName?: string;
  /** Source version when it differs from `version`. */
  sourceVersion?: string;
}

/** One vulnerability affecting one package, merged over the advisories that describe it. */
export interface VulnMatch {
  /** The id to show: the CVE when there is one, else a GHSA, else the advisory's own id. */
  id: string;
  /** Every other id of the same vulnerability (advisory ids and their aliases), sorted. */
  aliases: string[];
  /** Ids of the advisories that matched, sorted. */
  advisories: string[];
  package: PackageRef;
  /** The name and version the advisories matched: the package's own, or its source package's. */
  matched: { name: string; version: string; via: "package" | "source" };
  /** Lowest version that fixes every matched advisory; undefined when none names a fix. */
  fixedIn?: string;
  severity: Severity;
  severitySource: SeveritySource;
  score?: number;
  vector?: string;
  summary?: string;
  /** Earliest `published` of the matched advisories. */
  published?: string;
  references: string[];
}

interface Hit {
  id: string;
  aliases: readonly string[];
  advisory: OsvAdvisory;
  target: { name: string; version: string; via: "package" | "source" };
  fixed?: string;
  severity: ReturnType<typeof severityOf>;
}

const MAX_REFERENCES = 20;

/** Versions of both the package and its source package, as the advisories spell them. */
function targetsOf(pkg: PackageRef, normalize: (v: string) => string): Hit["target"][] {
  const own = { name: pkg.name, version: normalize(pkg.version), via: "package" as const };
  if (!pkg.sourceName) return [own];
  const source = { name: pkg.sourceName, version: normalize(pkg.sourceVersion ?? pkg.version), via: "source" as const };
  return source.name === own.name && source.version === own.version ? [own] : [own, source];
}

function higher(ordering: VersionOrdering, a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return ordering.compare(a, b) >= 0 ? a : b;
}

/** The hit for one advisory, or undefined when none of its entries covers the target. */
function hitOf(
  advisory: OsvAdvisory,
  pkg: PackageRef,
  target: Hit["target"],
  ordering: VersionOrdering,
): Hit | undefined {
  const key = packageKey(pkg.ecosystem, target.name);
  let hit: Hit | undefined;
  for (const affected of advisory.affected ?? []) {
    const p = affected.package;
    if (!p || !ecosystemCovers(p.ecosystem, pkg.ecosystem) || packageKey(p.ecosystem, p.name) !== key) continue;
    const result = evaluateAffected(affected, target.version, ordering);
    if (!result.affected) continue;
    if (!hit) {
      hit = {
        id: advisory.id,
        aliases: advisory.aliases ?? [],
        advisory,
        target,
        severity: severityOf(advisory, affected),
      };
    }
    // Entries that split one package's ranges each need their fix; the highest fixes them all.
    hit.fixed = higher(ordering, hit.fixed, result.fixed);
  }
  return hit;
}

/** A known severity beats an unknown one (whose level is only a default), then the higher wins. */
function moreSevere(a: Hit["severity"], b: Hit["severity"]): boolean {
  const known = Number(a.source !== "unknown") - Number(b.source !== "unknown");
  return known !== 0 ? known > 0 : severityRank(a.severity) > severityRank(b.severity);
}

function toMatch(pkg: PackageRef, id: string, aliases: string[], hits: Hit[], ordering: VersionOrdering): VulnMatch {
  const first = hits[0] as Hit;
  let worst = first;
  let fixedIn: string | undefined;
  let published: string | undefined;
  const references = new Set<string>();
  for (const hit of hits) {
    if (moreSevere(hit.severity, worst.severity)) worst = hit;
    fixedIn = higher(ordering, fixedIn, hit.fixed);
    const p = hit.advisory.published;
    if (p && (!published || Date.parse(p) < Date.parse(published))) published = p;
    for (const ref of hit.advisory.references ?? []) if (references.size < MAX_REFERENCES) references.add(ref.url);
  }
  const summary = hits.map((h) => h.advisory.summary ?? h.advisory.details).find((s) => s && s.trim() !== "");
  return {
    id,
    aliases,
    advisories: hits.map((h) => h.id).sort(),
    package: pkg,
    matched: hits.find((h) => h.target.via === "package")?.target ?? first.target,
    ...(fixedIn === undefined ? {} : { fixedIn }),
    severity: worst.severity.severity,
    severitySource: worst.severity.source,
    ...(worst.severity.score === undefined ? {} : { score: worst.severity.score, vector: worst.severity.vector }),
    ...(summary === undefined ? {} : { summary: summary.trim().split("\n", 1)[0] }),
    ...(published === undefined ? {} : { published }),
    references: [...references],
  };
}

/**
 * The vulnerabilities that affect `pkg`, one per vulnerability, most severe first. Withdrawn
 * advisories are ignored; an ecosystem outside the table (ecosystems.ts) matches nothing.
 */
export function matchPackage(pkg: PackageRef, advisories: AdvisoryLookup): VulnMatch[] {
  const resolved = resolveEcosystem(pkg.ecosystem);
  if (!resolved) return [];
  const { ordering, normalizeVersion = (v: string) => v } = resolved.rules;
  const hits = new Map<string, Hit>();
  for (const target of targetsOf(pkg, normalizeVersion)) {
    for (const advisory of advisories.lookup(pkg.ecosystem, target.name)) {
      if (advisory.withdrawn !== undefined || hits.has(advisory.id)) continue;
      const hit = hitOf(advisory, pkg, target, ordering);
      if (hit) hits.set(advisory.id, hit);
    }
  }
  return groupByAlias([...hits.values()])
    .map((group) => toMatch(pkg, group.id, group.aliases, group.members, ordering))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A match as a Finding, for reports and the policy gates; the rule id is the vulnerability id. */
export function toFinding(match: VulnMatch): Finding {
  const { name, version, ecosystem, purl } = match.package;
  return {
    ruleId: match.id,
    severity: match.severity,
    title: `${match.id} in ${name} ${version}`,
    detail: match.summary ?? "",
    references: match.references,
    owasp: [],
    atlas: [],
    component: purl ?? `${ecosystem}/${name}@${version}`,
    fingerprint: `vuln:${match.id}:${ecosystem}:${name}:${version}`,
    ...(match.fixedIn === undefined
      ? {}
      : { remediation: `Upgrade ${match.matched.name} to ${match.fixedIn} or later` }),
  };
}
