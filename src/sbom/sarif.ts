/**
 * SARIF 2.1.0 (OASIS) output for findings, as GitHub code scanning and GitLab ingest it.
 * One run per tool; rules carry help text (what a finding means, how to fix it) and OWASP LLM /
 * ATLAS tags; results carry locations relative to `%SRCROOT%`, line-independent fingerprints, the
 * remediation, and the policy decision and any waiver in their properties.
 */
import { posix } from "node:path";
import { pathToFileURL } from "node:url";
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from "sarif";
import type { Finding, Location, Reason, Severity } from "../core/index.js";
import { toStableFingerprints } from "./fingerprint.js";
import { RULE_HELP, remediationOf } from "./rule-help.js";

export interface SarifOptions {
  toolName?: string;
  toolVersion: string;
  informationUri?: string;
  findings: readonly Finding[];
  /** Policy reasons, matched to findings by rule id (when `findingReasons` is not given). */
  reasons?: readonly Reason[];
  /** The reason behind each finding, in the order of `findings` (the CI gate knows which is which). */
  findingReasons?: readonly (Reason | undefined)[];
  /** Human descriptions of rule ids, preferred over the built-in rule help. */
  ruleDescriptions?: Readonly<Record<string, string>>;
  /**
   * Absolute path of the scanned root. Paths under it (and relative paths, which are relative to
   * it) become URIs relative to `%SRCROOT%`, declared in `originalUriBaseIds`.
   */
  srcRoot?: string;
}

/** The uriBaseId every relative location uses (SARIF 2.1.0 §3.4.4; GitHub resolves it to the checkout). */
export const SRCROOT = "%SRCROOT%";

/** Key of our fingerprint in `partialFingerprints`; v2 is line-independent (see fingerprint.ts). */
const FINGERPRINT_KEY = "palisade/v2";

const LEVEL: Record<Severity, Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};
/** GitHub maps `security-severity` (0-10) to its own critical/high/medium/low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

export function toSarif(options: SarifOptions): Log {
  const root = options.srcRoot === undefined ? undefined : toSlashes(options.srcRoot).replace(/\/+$/, "");
  const rules = new Map<string, ReportingDescriptor>();
  for (const f of options.findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, toRule(f, options));
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]));
  const artifacts = options.findings.map((f) => (f.location ? toArtifactLocation(f.location.path, root) : undefined));
  const fingerprints = toStableFingerprints(
    options.findings,
    artifacts.map((a) => a?.uri ?? ""),
  );
  const results: Result[] = options.findings.map((f, i) => {
    const reason = options.findingReasons
      ? options.findingReasons[i]
      : options.reasons?.find((r) => r.ruleId === f.ruleId);
    const remediation = f.remediation ?? remediationOf(f.ruleId);
    const artifactLocation = artifacts[i];
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
      level: LEVEL[f.severity],
      message: { text: `${f.detail ? `${f.title}: ${f.detail}` : f.title}\nFix: ${remediation}` },
      locations:
        f.location && artifactLocation ? [{ physicalLocation: { artifactLocation, ...toRegion(f.location) } }] : [],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] ?? "" },
      properties: {
        severity: f.severity,
        remediation,
        ...(reason ? { decision: reason.decision, ...(reason.waivedBy ? { waivedBy: reason.waivedBy } : {}) } : {}),
      },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName ?? "Palisade",
            version: options.toolVersion,
            informationUri: options.informationUri ?? "https://github.com/palisade-dev/palisade",
            rules: [...rules.values()],
          },
        },
        ...(options.srcRoot === undefined
          ? {}
          : {
              originalUriBaseIds: {
                [SRCROOT]: {
                  uri: withTrailingSlash(pathToFileURL(options.srcRoot).href),
                  description: { text: "The scanned directory." },
                },
              },
            }),
        results,
      },
    ],
  };
}

/**
 * A rule with its help: what a finding means and how to fix it (text and markdown). No `helpUri`:
 * our docs are files in the repository, not pages at a stable address; references become links
 * in the markdown instead.
 */
function toRule(f: Finding, options: SarifOptions): ReportingDescriptor {
  const known = RULE_HELP[f.ruleId];
  const summary = options.ruleDescriptions?.[f.ruleId] ?? known?.summary ?? f.title;
  const description = known?.description ?? (f.detail && f.detail !== summary ? `${summary}. ${f.detail}` : summary);
  const remediation = remediationOf(f.ruleId);
  const references = f.references.filter((r) => /^https?:\/\//.test(r));
  const markdown = [
    `**${summary}**`,
    description,
    `**How to fix:** ${remediation}`,
    ...(references.length > 0 ? [`References: ${references.map((r) => `<${r}>`).join(", ")}`] : []),
  ].join("\n\n");
  return {
    id: f.ruleId,
    name: f.ruleId.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase()),
    shortDescription: { text: summary },
    fullDescription: { text: description },
    help: { text: `${description}\nHow to fix: ${remediation}`, markdown },
    properties: {
      tags: ["security", ...f.owasp, ...f.atlas],
      "security-severity": SECURITY_SEVERITY[f.severity],
    },
  };
}

function toRegion(location: Location): { region?: { startLine: number; startColumn?: number; endLine?: number } } {
  if (!location.line) return {};
  return {
    region: {
      startLine: location.line,
      ...(location.column ? { startColumn: location.column } : {}),
      ...(location.endLine && location.endLine >= location.line ? { endLine: location.endLine } : {}),
    },
  };
}

/**
 * Relative paths, and absolute paths under the root, become relative URIs against `%SRCROOT%`;
 * an absolute path outside the root (or with no root given) stays an absolute `file://` URI.
 */
function toArtifactLocation(path: string, root: string | undefined): ArtifactLocation {
  let slashed = toSlashes(path);
  const absolute = slashed.startsWith("/") || /^[A-Za-z]:\//.test(slashed);
  if (!absolute) {
    const relative = posix.normalize(slashed);
    if (!relative.startsWith("../") && relative !== "..") return { uri: encodePath(relative), uriBaseId: SRCROOT };
    // `../evil.pkl` is outside the root: no %SRCROOT% URI can reach it, so name it absolutely.
    if (root === undefined) return { uri: encodePath(relative) };
    slashed = posix.join(root, relative);
  }
  if (root !== undefined && slashed.startsWith(`${root}/`))
    return { uri: encodePath(slashed.slice(root.length + 1)), uriBaseId: SRCROOT };
  return { uri: `file://${slashed.startsWith("/") ? "" : "/"}${encodePath(slashed)}` };
}

function toSlashes(path: string): string {
  return path.replace(/\\/g, "/");
}

function encodePath(path: string): string {
  return path
    .split("/")
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join("/");
}

function withTrailingSlash(uri: string): string {
  return uri.endsWith("/") ? uri : `${uri}/`;
}
