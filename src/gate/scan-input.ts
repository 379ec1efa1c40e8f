/**
 * An image scan as the policy judges it (`kind: scan`): components, models, image facts and
 * findings, from a fresh scan report or from what the store kept of an earlier scan. Shared by
 * `palisade scan image` and the gates, so a stored verdict and a fresh one judge the same facts.
 */
import type { Component, Finding } from "../core/index.js";
import type { ScanInputDraft } from "../policy/index.js";
import type { ImageScanReport } from "../scan/image/index.js";
import { toComponent as modelComponent } from "../scan/model/index.js";

/** What a scan input says about an image, minus `kind` (the caller adds it). */
export type ImageScanInput = Omit<ScanInputDraft, "kind">;

/** The report as the policy judges it (components, models, image facts, findings). */
export function toScanInput(report: ImageScanReport): ImageScanInput {
  // The AI classifier names SDKs by the package that showed them (as the inventory records them).
  const sdks = new Set(report.ai.filter((a) => a.kind === "ai-sdk").map((a) => a.evidence));
  const components: Component[] = report.packages.map((p) => ({
    kind: sdks.has(p.purl) ? "ai-sdk" : p.kind,
    name: p.name,
    version: p.version,
    purl: p.purl,
    ecosystem: String(p.ecosystem),
    locations: [{ path: `/${p.path}`, layer: String(p.layer) }],
    properties: {},
  }));
  for (const a of report.ai)
    if (a.kind === "inference-server" || a.kind === "mcp-server")
      components.push({
        kind: a.kind,
        name: a.name,
        ...(a.version ? { version: a.version } : {}),
        locations: [{ path: a.evidence, layer: String(a.layer) }],
        properties: {},
      });
  for (const m of report.models) components.push(modelComponent(m.result));
  return {
    target: report.reference,
    image: {
      reference: report.reference,
      ...(report.os ? { os: { family: report.os.id, version: report.os.versionId ?? "" } } : {}),
      ...(report.config.user ? { user: report.config.user } : {}),
      sizeBytes: report.totals.bytes,
      ...imageFactsOf(report.findings),
    },
    components,
    vulnerabilities: (report.vulnerabilities ?? []).map((v) => ({
      id: v.id,
      purl: v.package.purl ?? v.package.name,
      severity: v.severity,
      ...(v.fixedIn ? { fixedIn: v.fixedIn } : {}),
      ...(v.published ? { published: v.published } : {}),
    })),
    models: report.models.map((m) => ({
      id: m.result.identity.name ?? m.path,
      ...(m.result.sha256 ? { sha256: m.result.sha256 } : {}),
      ...(m.result.identity.license ? { license: m.result.identity.license } : {}),
      location: { path: m.path, layer: String(m.layer) },
    })),
    findings: report.findings,
  };
}

/** Image facts the scanner reports as findings: a shell, a package manager, secrets in the config. */
export function imageFactsOf(findings: readonly Pick<Finding, "ruleId" | "detail">[]) {
  const has = (rule: string) => findings.some((f) => f.ruleId === rule);
  return {
    hasShell: has("image/runtime-shell"),
    hasPackageManager: has("image/runtime-package-manager"),
    secrets: findings
      .filter((f) => f.ruleId === "image/secret-in-config")
      .map((f) => ({ rule: f.ruleId, location: f.detail.split(" holds")[0] ?? "config" })),
  };
}
