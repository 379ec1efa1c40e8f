/**
 * What differs between OSV ecosystems, as one table handed to one matching engine: the version
 * ordering, how names are spelled, and how a release suffix (`Debian:12`, `Alpine:v3.20`)
 * scopes an advisory. An ecosystem missing from the table never matches: guessing an order for
 * versions we do not understand would report wrong vulnerabilities, or miss them silently.
 *
 * Ecosystem names are OSV's (https://ossf.github.io/osv-schema/#affectedpackage-field).
 */
import type { VersionOrdering } from "./ordering.js";
import { apkOrdering } from "./ordering-apk.js";
import { dpkgOrdering } from "./ordering-dpkg.js";
import { mavenOrdering } from "./ordering-maven.js";
import { pep440Ordering } from "./ordering-pep440.js";
import { rpmOrdering } from "./ordering-rpm.js";
import { semverOrdering } from "./ordering-semver.js";

/** The differences of one ecosystem. */
export interface EcosystemRules {
  ordering: VersionOrdering;
  /** How this ecosystem compares package names; identity when absent (names are case-sensitive). */
  normalizeName?: (name: string) => string;
  /** Installed versions as the advisories spell them (Go's `v1.2.3` is `1.2.3` in OSV). */
  normalizeVersion?: (version: string) => string;
  /** The release part of `Base:release` as advisories spell it; identity when absent. */
  normalizeRelease?: (release: string) => string;
}

/** PEP 503: lowercase, runs of `-`, `_` and `.` are one `-`. */
function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** `12`, `12.5` → `12`: Debian advisories are per major release. */
function debianRelease(release: string): string {
  return /^\d+(\.\d+)*$/.test(release) ? (release.split(".")[0] as string) : release;
}

/** `3.20`, `3.20.3`, `v3.20` → `v3.20`: Alpine advisories are per branch. */
function alpineRelease(release: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)*$/.exec(release);
  return m ? `v${m[1]}.${m[2]}` : release;
}

/** `22.04:LTS` → `22.04`: the LTS tag does not change which packages an advisory covers. */
function ubuntuRelease(release: string): string {
  return release.replace(/:LTS$/, "");
}

const rpm: EcosystemRules = { ordering: rpmOrdering };
const apk: EcosystemRules = { ordering: apkOrdering };

/** Every ecosystem we match, keyed by OSV's base name (the part before the first `:`). */
export const ECOSYSTEM_RULES: Readonly<Record<string, EcosystemRules>> = {
  npm: { ordering: semverOrdering },
  "crates.io": { ordering: semverOrdering },
  Go: { ordering: semverOrdering, normalizeVersion: (v) => v.replace(/^(?:v|go)(?=\d)/, "") },
  PyPI: { ordering: pep440Ordering, normalizeName: pep503 },
  Maven: { ordering: mavenOrdering },
  Debian: { ordering: dpkgOrdering, normalizeRelease: debianRelease },
  Ubuntu: { ordering: dpkgOrdering, normalizeRelease: ubuntuRelease },
  Alpine: { ...apk, normalizeRelease: alpineRelease },
  Wolfi: apk,
  Chainguard: apk,
  "Red Hat": rpm,
  "Rocky Linux": rpm,
  AlmaLinux: rpm,
  SUSE: rpm,
  openSUSE: rpm,
};

/** An ecosystem string taken apart and resolved against the table. */
export interface ResolvedEcosystem {
  /** OSV base name, e.g. `Debian`. */
  base: string;
  /** Normalised release, e.g. `12` for `Debian:12`; undefined when the string has none. */
  release: string | undefined;
  rules: EcosystemRules;
}

/** Resolves `Debian:12`, `PyPI`, ...; undefined for an ecosystem we do not match. */
export function resolveEcosystem(ecosystem: string): ResolvedEcosystem | undefined {
  const colon = ecosystem.indexOf(":");
  const base = colon >= 0 ? ecosystem.slice(0, colon) : ecosystem;
  if (!Object.hasOwn(ECOSYSTEM_RULES, base)) return undefined;
  const rules = ECOSYSTEM_RULES[base] as EcosystemRules;
  const raw = colon >= 0 ? ecosystem.slice(colon + 1) : "";
  const release = raw === "" ? undefined : (rules.normalizeRelease?.(raw) ?? raw);
  return { base, release, rules };
}

/**
 * Whether an advisory written for `advisoryEcosystem` covers a package of `packageEcosystem`.
 * A bare base (`Debian`) covers every release; a release (`Debian:12`) covers only that release,
 * and never a package whose release is unknown.
 */
export function ecosystemCovers(advisoryEcosystem: string, packageEcosystem: string): boolean {
  const advisory = resolveEcosystem(advisoryEcosystem);
  const pkg = resolveEcosystem(packageEcosystem);
  if (!advisory || !pkg || advisory.base !== pkg.base) return false;
  return advisory.release === undefined || advisory.release === pkg.release;
}

/** The key an index files a package under: base ecosystem and normalised name. */
export function packageKey(ecosystem: string, name: string): string | undefined {
  const resolved = resolveEcosystem(ecosystem);
  if (!resolved) return undefined;
  const normalized = resolved.rules.normalizeName?.(name) ?? name;
  return `${resolved.base}\u0000${normalized}`;
}

/** The version ordering for an ecosystem string, or undefined when we do not know it. */
export function orderingFor(ecosystem: string): VersionOrdering | undefined {
  return resolveEcosystem(ecosystem)?.rules.ordering;
}
