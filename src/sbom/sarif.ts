/**
 * SARIF 2.1.0 (OASIS) output for findings, as GitHub code scanning and GitLab ingest it.
 * One run per tool; rules carry help text and OWASP LLM / ATLAS tags; results carry the policy
 * decision and any waiver in their properties.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Finding, Reason, Severity } from "../core/index.js";

export interface SarifOptions {
  toolName?: string;
  toolVersion: string;
  informationUri?: string;
  findings: readonly Finding[];
  /** Policy reasons per finding fingerprint (or rule id), added as result properties. */
  reasons?: readonly Reason[];
  /** Human descriptions of rule ids. */
  ruleDescriptions?: Readonly<Record<string, string>>;
}

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
  const rules = new Map<string, ReportingDescriptor>();
  for (const f of options.findings) {
    if (rules.has(f.ruleId)) continue;
    const tags = ["security", ...f.owasp, ...f.atlas];
    rules.set(f.ruleId, {
      id: f.ruleId,
      name: f.ruleId.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase()),
      shortDescription: { text: options.ruleDescriptions?.[f.ruleId] ?? f.title },
      ...(f.references[0] ? { helpUri: f.references[0] } : {}),
      properties: { tags, "security-severity": SECURITY_SEVERITY[f.severity] },
    });
  }
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]));
  const results: Result[] = options.findings.map((f) => {
    const reason = options.reasons?.find((r) => r.ruleId === f.ruleId);
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? 0,
      level: LEVEL[f.severity],
      message: { text: f.detail ? `${f.title}: ${f.detail}` : f.title },
      locations: f.location
        ? [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.location.path) },
                ...(f.location.line
                  ? {
                      region: {
                        startLine: f.location.line,
                        ...(f.location.column ? { startColumn: f.location.column } : {}),
                      },
                    }
                  : {}),
              },
            },
          ]
        : [],
      ...(f.fingerprint ? { partialFingerprints: { "palisade/v1": f.fingerprint } } : {}),
      properties: {
        severity: f.severity,
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
        results,
      },
    ],
  };
}

/** Relative paths stay relative (GitHub resolves them against the checkout); others become file URIs. */
function toUri(path: string): string {
  const encoded = path
    .replace(/\\/g, "/")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
  return path.startsWith("/") ? `file://${encoded}` : encoded;
}
