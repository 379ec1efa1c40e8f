/**
 * Public surface of vuln: OSV advisory import, ecosystem version orderings and matching of
 * installed packages against advisories.
 */
export { type AffectedResult, affects, evaluateAffected } from "./affects.js";
export { type AliasGroup, type AliasMember, groupByAlias } from "./aliases.js";
export { type CvssScore, scoreCvss, severityOfScore } from "./cvss.js";
export {
  ECOSYSTEM_RULES,
  type EcosystemRules,
  ecosystemCovers,
  orderingFor,
  packageKey,
  type ResolvedEcosystem,
  resolveEcosystem,
} from "./ecosystems.js";
export { type AddOutcome, type AdvisoryLookup, createMemoryIndex, type MemoryIndex } from "./index-memory.js";
export {
  DEFAULT_LOAD_LIMITS,
  type LoadLimits,
  type LoadOptions,
  type LoadProblem,
  type LoadReport,
  type LoadResult,
  loadOsvDirectory,
  loadOsvZip,
} from "./load.js";
export { matchPackage, type PackageRef, toFinding, type VulnMatch } from "./match.js";
export { MAX_VERSION_LENGTH, type VersionOrdering } from "./ordering.js";
export { apkOrdering } from "./ordering-apk.js";
export { dpkgOrdering } from "./ordering-dpkg.js";
export { mavenOrdering } from "./ordering-maven.js";
export { pep440Ordering } from "./ordering-pep440.js";
export { rpmOrdering } from "./ordering-rpm.js";
export { semverOrdering } from "./ordering-semver.js";
export {
  OSV_LIMITS,
  type OsvAdvisory,
  OsvAdvisorySchema,
  type OsvAffected,
  OsvAffectedSchema,
  type OsvEvent,
  OsvEventSchema,
  type OsvRange,
  OsvRangeSchema,
  type OsvSeverity,
  OsvSeveritySchema,
  parseOsvAdvisory,
  RANGE_TYPES,
  SEVERITY_TYPES,
} from "./osv.js";
export { osvFormatOf, parseOsvText } from "./osv-text.js";
export {
  type AdvisorySeverity,
  SEVERITY_SOURCES,
  type SeveritySource,
  severityOf,
  UNKNOWN_SEVERITY,
} from "./severity.js";
