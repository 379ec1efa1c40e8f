/**
 * The severity of an advisory: from its CVSS vectors when it has them, else from a rating word
 * (Ubuntu priorities, GitHub's `database_specific.severity`), else unknown.
 *
 * Unknown is reported as `medium`, marked `source: "unknown"`. The Go database and most PyPA
 * advisories carry no severity at all; `info` would rank confirmed vulnerabilities below every
 * gate threshold as if they were harmless, while `medium` keeps them visible without claiming
 * they are urgent. Callers that want to treat unknown differently read `source`.
 */
import type { Severity } from "../core/index.js";
import { scoreCvss, severityOfScore } from "./cvss.js";
import type { OsvAdvisory, OsvAffected, OsvSeverity } from "./osv.js";

/** Where a severity came from, most trustworthy first. */
export const SEVERITY_SOURCES = ["cvss-v3", "cvss-v4", "ubuntu", "database", "unknown"] as const;
export type SeveritySource = (typeof SEVERITY_SOURCES)[number];

/** The severity given to an advisory that carries none (see the module comment). */
export const UNKNOWN_SEVERITY: Severity = "medium";

export interface AdvisorySeverity {
  severity: Severity;
  source: SeveritySource;
  /** CVSS base score (v4.0 approximated, see cvss.ts). */
  score?: number;
  vector?: string;
}

/** Rating words used by distributions and databases, lowercased. */
const WORDS: Record<string, Severity> = {
  critical: "critical",
  high: "high",
  important: "high",
  moderate: "medium",
  medium: "medium",
  low: "low",
  negligible: "info",
  unimportant: "info",
  none: "info",
};

function fromWord(word: unknown): Severity | undefined {
  if (typeof word !== "string") return undefined;
  const key = word.trim().toLowerCase();
  return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
}

function bestCvss(entries: readonly OsvSeverity[], type: string): AdvisorySeverity | undefined {
  let best: AdvisorySeverity | undefined;
  for (const entry of entries) {
    if (entry.type !== type) continue;
    const scored = scoreCvss(entry.score);
    if (!scored || (best?.score !== undefined && best.score >= scored.score)) continue;
    const source = type === "CVSS_V3" ? "cvss-v3" : "cvss-v4";
    best = { severity: severityOfScore(scored.score), source, score: scored.score, vector: entry.score };
  }
  return best;
}

/**
 * The severity of `advisory` for one of its `affected` entries. Per the OSV spec an entry's own
 * `severity` replaces the top-level one.
 */
export function severityOf(advisory: OsvAdvisory, affected?: OsvAffected): AdvisorySeverity {
  const entries = affected?.severity?.length ? affected.severity : (advisory.severity ?? []);
  const cvss = bestCvss(entries, "CVSS_V3") ?? bestCvss(entries, "CVSS_V4");
  if (cvss) return cvss;
  for (const entry of entries) {
    const severity = entry.type === "Ubuntu" ? fromWord(entry.score) : undefined;
    if (severity) return { severity, source: "ubuntu" };
  }
  const word = fromWord(affected?.database_specific?.severity) ?? fromWord(advisory.database_specific?.severity);
  if (word) return { severity: word, source: "database" };
  return { severity: UNKNOWN_SEVERITY, source: "unknown" };
}
