/**
 * The OSV schema (https://ossf.github.io/osv-schema/), parsed once at the edge. Advisories are
 * other people's documents, so objects are loose (unknown fields pass through) but everything
 * the matcher acts on is checked, and every list has a bound so a hostile file cannot make
 * matching slow. Errors name the file and the path inside it.
 */
import { z } from "zod";
import { ValidationError, type ValidationIssue } from "../core/index.js";
import { MAX_VERSION_LENGTH } from "./ordering.js";

/** Bounds on one advisory document. */
export const OSV_LIMITS = {
  /** Bytes of one file (JSON or YAML). */
  maxFileBytes: 10 * 1024 * 1024,
  /** `affected` entries in one advisory. */
  maxAffected: 10_000,
  /** Ranges in one `affected` entry. */
  maxRanges: 10_000,
  /** Events in one range. */
  maxEvents: 10_000,
  /** Explicit `versions` of one `affected` entry (PyPI lists every release ever made). */
  maxVersions: 100_000,
  /** Events, and explicit versions, over the whole advisory: what one match may have to walk. */
  maxTotalEvents: 100_000,
  maxTotalVersions: 200_000,
  /** Aliases, related ids, severity entries or references. */
  maxListItems: 10_000,
  /** Nesting depth of the whole document; OSV itself needs about 8. */
  maxDepth: 64,
} as const;

const Version = z.string().min(1).max(MAX_VERSION_LENGTH);
const Id = z.string().min(1).max(256);
const Timestamp = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), "expected an RFC 3339 timestamp");
const Extra = z.record(z.string(), z.unknown());

/** One event of a range: exactly one of introduced, fixed, last_affected or limit. */
export const OsvEventSchema = z
  .looseObject({
    introduced: Version.optional(),
    fixed: Version.optional(),
    last_affected: Version.optional(),
    limit: Version.optional(),
  })
  .refine(
    (e) => [e.introduced, e.fixed, e.last_affected, e.limit].filter((v) => v !== undefined).length === 1,
    "an event has exactly one of introduced, fixed, last_affected, limit",
  );
export type OsvEvent = z.infer<typeof OsvEventSchema>;

/** OSV range types; GIT ranges hold commit hashes and never match an installed version. */
export const RANGE_TYPES = ["SEMVER", "ECOSYSTEM", "GIT"] as const;

export const OsvRangeSchema = z.looseObject({
  type: z.enum(RANGE_TYPES),
  repo: z.string().optional(),
  events: z.array(OsvEventSchema).min(1).max(OSV_LIMITS.maxEvents, `at most ${OSV_LIMITS.maxEvents} events`),
  database_specific: Extra.optional(),
});
export type OsvRange = z.infer<typeof OsvRangeSchema>;

/**
 * Severity types named by the spec. The schema accepts others (a newer spec may add one) and
 * the severity code ignores what it does not know.
 */
export const SEVERITY_TYPES = ["CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu"] as const;

export const OsvSeveritySchema = z.looseObject({
  type: z.string().min(1).max(64),
  score: z.string().max(1024),
});
export type OsvSeverity = z.infer<typeof OsvSeveritySchema>;

const SeverityList = z.array(OsvSeveritySchema).max(OSV_LIMITS.maxListItems);

export const OsvPackageSchema = z.looseObject({
  ecosystem: z.string().min(1).max(256),
  name: z.string().min(1).max(1024),
  purl: z.string().max(2048).optional(),
});

export const OsvAffectedSchema = z.looseObject({
  package: OsvPackageSchema.optional(),
  severity: SeverityList.optional(),
  ranges: z.array(OsvRangeSchema).max(OSV_LIMITS.maxRanges, `at most ${OSV_LIMITS.maxRanges} ranges`).optional(),
  versions: z.array(Version).max(OSV_LIMITS.maxVersions, `at most ${OSV_LIMITS.maxVersions} versions`).optional(),
  ecosystem_specific: Extra.optional(),
  database_specific: Extra.optional(),
});
export type OsvAffected = z.infer<typeof OsvAffectedSchema>;

export const OsvReferenceSchema = z.looseObject({ type: z.string().max(64), url: z.string().max(4096) });

export const OsvAdvisorySchema = z
  .looseObject({
    schema_version: z.string().optional(),
    id: Id,
    modified: Timestamp,
    published: Timestamp.optional(),
    withdrawn: Timestamp.optional(),
    aliases: z.array(Id).max(OSV_LIMITS.maxListItems).optional(),
    related: z.array(Id).max(OSV_LIMITS.maxListItems).optional(),
    summary: z.string().optional(),
    details: z.string().optional(),
    severity: SeverityList.optional(),
    affected: z
      .array(OsvAffectedSchema)
      .max(OSV_LIMITS.maxAffected, `at most ${OSV_LIMITS.maxAffected} affected entries`)
      .optional(),
    references: z.array(OsvReferenceSchema).max(OSV_LIMITS.maxListItems).optional(),
    database_specific: Extra.optional(),
  })
  .superRefine((advisory, ctx) => {
    let events = 0;
    let versions = 0;
    for (const affected of advisory.affected ?? []) {
      versions += affected.versions?.length ?? 0;
      for (const range of affected.ranges ?? []) events += range.events.length;
    }
    if (events > OSV_LIMITS.maxTotalEvents) {
      ctx.addIssue({
        code: "custom",
        path: ["affected"],
        message: `more than ${OSV_LIMITS.maxTotalEvents} events in all`,
      });
    }
    if (versions > OSV_LIMITS.maxTotalVersions) {
      ctx.addIssue({
        code: "custom",
        path: ["affected"],
        message: `more than ${OSV_LIMITS.maxTotalVersions} versions in all`,
      });
    }
  });
export type OsvAdvisory = z.infer<typeof OsvAdvisorySchema>;

/** Validates a decoded document; throws ValidationError (`bad-input`) naming `file` and the path. */
export function parseOsvAdvisory(value: unknown, file: string): OsvAdvisory {
  const result = OsvAdvisorySchema.safeParse(value);
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  throw new ValidationError({ code: "bad-input", file, issues, cause: result.error });
}
