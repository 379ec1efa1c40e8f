/**
 * CVSS base scores from vector strings.
 *
 * v3.0 and v3.1 are computed exactly: the base equations of the CVSS v3.1 specification, §7.1
 * (https://www.first.org/cvss/v3.1/specification-document). v3.0 has the same equations; v3.1
 * only made the rounding exact, and that rounding is used for both.
 *
 * v4.0 is approximated. Its exact score needs FIRST's table of 270 macro-vector scores plus
 * interpolation; we do not ship that table. Instead the v4 base metrics are mapped onto the v3.1
 * equations (AT:P counts as AC:H; UI:P/A as UI:R; the impact on each of C/I/A is the worse of the
 * vulnerable and subsequent system; a subsequent impact worse than the vulnerable one counts as
 * a scope change). The result lands in the same severity band for the common vectors (see
 * cvss.test.ts) but can sit a band lower than FIRST's calculator; callers prefer a v3 vector
 * when an advisory has both, and the result says `approximate: true`.
 */
import type { Severity } from "../core/index.js";

/** A computed base score. */
export interface CvssScore {
  /** 0.0 to 10.0, one decimal. */
  score: number;
  version: "3.0" | "3.1" | "4.0";
  /** True for v4.0 (see the module comment). */
  approximate: boolean;
}

const V3_BASE = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"] as const;
const V4_BASE = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"] as const;

const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const V3_VALUES: Record<(typeof V3_BASE)[number], string> = {
  AV: "NALP",
  AC: "LH",
  PR: "NLH",
  UI: "NR",
  S: "UC",
  C: "HLN",
  I: "HLN",
  A: "HLN",
};

/** Metrics of a vector `PREFIX/K:V/K:V...`; undefined when malformed or a metric repeats. */
function metricsOf(vector: string, prefix: string): Map<string, string> | undefined {
  const parts = vector.trim().split("/");
  if (parts[0] !== prefix) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m || metrics.has(m[1] as string)) return undefined;
    metrics.set(m[1] as string, m[2] as string);
  }
  return metrics;
}

/** Roundup of CVSS v3.1 Appendix A: the smallest one-decimal number >= x, free of float error. */
export function roundUp(x: number): number {
  const scaled = Math.round(x * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

interface V3Metrics {
  AV: string;
  AC: string;
  PR: string;
  UI: string;
  S: string;
  C: string;
  I: string;
  A: string;
}

/** The v3.1 base equations (§7.1). */
function v3BaseScore(m: V3Metrics): number {
  const changed = m.S === "C";
  const iss = 1 - (1 - (CIA[m.C] ?? 0)) * (1 - (CIA[m.I] ?? 0)) * (1 - (CIA[m.A] ?? 0));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const pr = (changed ? PR_CHANGED : PR_UNCHANGED)[m.PR] ?? 0;
  const exploitability = 8.22 * (AV[m.AV] ?? 0) * (AC[m.AC] ?? 0) * pr * (UI[m.UI] ?? 0);
  if (impact <= 0) return 0;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

function parseV3(vector: string): CvssScore | undefined {
  const version = vector.startsWith("CVSS:3.1/") ? "3.1" : vector.startsWith("CVSS:3.0/") ? "3.0" : undefined;
  if (!version) return undefined;
  const metrics = metricsOf(vector, `CVSS:${version}`);
  if (!metrics) return undefined;
  const base: Partial<V3Metrics> = {};
  for (const key of V3_BASE) {
    const value = metrics.get(key);
    if (!value || !V3_VALUES[key].includes(value)) return undefined;
    base[key] = value;
  }
  return { score: v3BaseScore(base as V3Metrics), version, approximate: false };
}

const V4_VALUES: Record<(typeof V4_BASE)[number], string> = {
  AV: "NALP",
  AC: "LH",
  AT: "NP",
  PR: "NLH",
  UI: "NPA",
  VC: "HLN",
  VI: "HLN",
  VA: "HLN",
  SC: "HLN",
  SI: "HLN",
  SA: "HLN",
};
const IMPACT_ORDER = "NLH";

function worse(a: string, b: string): string {
  return IMPACT_ORDER.indexOf(a) >= IMPACT_ORDER.indexOf(b) ? a : b;
}

function parseV4(vector: string): CvssScore | undefined {
  const metrics = metricsOf(vector, "CVSS:4.0");
  if (!metrics) return undefined;
  const m: Partial<Record<(typeof V4_BASE)[number], string>> = {};
  for (const key of V4_BASE) {
    const value = metrics.get(key);
    if (!value || !V4_VALUES[key].includes(value)) return undefined;
    m[key] = value;
  }
  const v = m as Record<(typeof V4_BASE)[number], string>;
  const exceeds = (sub: string, vuln: string) => IMPACT_ORDER.indexOf(sub) > IMPACT_ORDER.indexOf(vuln);
  const score = v3BaseScore({
    AV: v.AV,
    AC: v.AC === "H" || v.AT === "P" ? "H" : "L",
    PR: v.PR,
    UI: v.UI === "N" ? "N" : "R",
    S: exceeds(v.SC, v.VC) || exceeds(v.SI, v.VI) || exceeds(v.SA, v.VA) ? "C" : "U",
    C: worse(v.VC, v.SC),
    I: worse(v.VI, v.SI),
    A: worse(v.VA, v.SA),
  });
  return { score, version: "4.0", approximate: true };
}

/** Base score of a CVSS v3.0, v3.1 or v4.0 vector; undefined for anything else (v2 included). */
export function scoreCvss(vector: string): CvssScore | undefined {
  if (vector.length > 1024) return undefined;
  return vector.startsWith("CVSS:4.0/") ? parseV4(vector) : parseV3(vector);
}

/**
 * The qualitative rating of a score (CVSS v3.1 §5, the same bands in v4.0), with "None" (0.0)
 * as `info`.
 */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}
