/**
 * An image scan as the outputs need it: JSON (the report), CycloneDX 1.6 (the image as the
 * metadata component, packages with purls and their layer as evidence, AI components tagged,
 * model files as machine-learning-model components, vulnerabilities), and the policy's input.
 */
import { randomUUID } from "node:crypto";
import { toCycloneDxComponent } from "../model/index.js";
import type { ImageScanReport } from "./scan.js";

type Json = Record<string, unknown>;

export interface ImageBomOptions {
  toolVersion: string;
  serialNumber?: string;
  timestamp?: string;
}

/** The image's own purl: `pkg:oci/NAME@DIGEST` when its digest is known. */
export function imagePurl(report: ImageScanReport): string | undefined {
  if (!report.digest) return undefined;
  // A registry tag names the repository (`host/team/app:1` → app); an OCI layout's ref name
  // (`v1`) does not, so its folder or file name stands in.
  const tag = report.tags[0];
  const fromTag = tag?.includes("/") ? tag.split("/").pop()?.split(":")[0] : undefined;
  const path = report.reference.replace(/^[a-z-]+:/, "").replace(/:[^/:]*$/, "");
  const name = (fromTag ?? path.split("/").filter(Boolean).pop() ?? "image").replace(/\.tar$/, "").toLowerCase();
  return `pkg:oci/${encodeURIComponent(name)}@${encodeURIComponent(report.digest)}`;
}

export function toCycloneDx(report: ImageScanReport, options: ImageBomOptions): Json {
  const components: Json[] = [];
  const refs = new Set<string>();
  const aiByPurl = new Map<string, string[]>();
  for (const a of report.ai)
    if (a.evidence.startsWith("pkg:"))
      aiByPurl.set(a.evidence, [
        ...(aiByPurl.get(a.evidence) ?? []),
        a.kind === "ai-sdk" ? `ai-sdk:${a.category}` : a.kind,
      ]);
  for (const p of report.packages) {
    if (refs.has(p.purl)) continue;
    refs.add(p.purl);
    const properties = [
      { name: "palisade:layer", value: String(p.layer) },
      { name: "palisade:ecosystem", value: String(p.ecosystem) },
      ...(p.sourceName ? [{ name: "palisade:source-package", value: p.sourceName }] : []),
      ...(aiByPurl.get(p.purl) ?? []).map((value) => ({ name: "palisade:ai", value })),
    ];
    components.push({
      type: p.kind === "os-package" ? "library" : "library",
      "bom-ref": p.purl,
      name: p.name,
      version: p.version,
      purl: p.purl,
      ...(p.licenses && p.licenses.length > 0 ? { licenses: p.licenses.map((name) => ({ license: { name } })) } : {}),
      evidence: { occurrences: [{ location: `/${p.path}` }] },
      properties,
    });
  }
  for (const a of report.ai) {
    if (a.evidence.startsWith("pkg:")) continue;
    const ref = `palisade:${a.kind}:${a.evidence}`;
    if (refs.has(ref)) continue;
    refs.add(ref);
    components.push({
      type: a.kind === "gpu-library" ? "library" : "application",
      "bom-ref": ref,
      name: a.name,
      ...(a.version ? { version: a.version } : {}),
      evidence: { occurrences: [{ location: `/${a.evidence}` }] },
      properties: [
        { name: "palisade:ai", value: a.kind },
        { name: "palisade:layer", value: String(a.layer) },
      ],
    });
  }
  for (const m of report.models) components.push(toCycloneDxComponent(m.result));
  const image = {
    type: "container",
    "bom-ref": "palisade:image",
    name: report.tags[0] ?? report.reference,
    ...(report.digest ? { version: report.digest } : {}),
    ...(imagePurl(report) ? { purl: imagePurl(report) } : {}),
    properties: [
      ...(report.platform ? [{ name: "palisade:platform", value: report.platform }] : []),
      ...(report.os ? [{ name: "palisade:os", value: `${report.os.id} ${report.os.versionId ?? ""}`.trim() }] : []),
      ...(report.servedModel ? [{ name: "palisade:served-model", value: report.servedModel.model }] : []),
    ],
  };
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? new Date().toISOString(),
      tools: { components: [{ type: "application", name: "palisade", version: options.toolVersion }] },
      component: image,
    },
    components,
    dependencies: [{ ref: "palisade:image", dependsOn: components.map((c) => c["bom-ref"] as string) }],
    ...(report.vulnerabilities ? { vulnerabilities: report.vulnerabilities.map(toCdxVulnerability) } : {}),
  };
}

/** One matched vulnerability in CycloneDX's `vulnerabilities` (ratings from the CVSS vector when there is one). */
function toCdxVulnerability(v: NonNullable<ImageScanReport["vulnerabilities"]>[number]): Json {
  const method = v.vector?.startsWith("CVSS:4.0") ? "CVSSv4" : v.vector?.startsWith("CVSS:3.0") ? "CVSSv3" : "CVSSv31";
  return {
    id: v.id,
    source: { name: "OSV", url: `https://osv.dev/vulnerability/${encodeURIComponent(v.advisories[0] ?? v.id)}` },
    ratings: [
      {
        severity: v.severity,
        ...(v.score !== undefined ? { score: v.score } : {}),
        ...(v.vector ? { method, vector: v.vector } : { method: "other" }),
      },
    ],
    ...(v.aliases.length > 0 ? { references: v.aliases.map((id) => ({ id, source: { name: "OSV" } })) } : {}),
    ...(v.summary ? { description: v.summary } : {}),
    ...(v.fixedIn ? { recommendation: `Upgrade ${v.matched.name} to ${v.fixedIn} or later` } : {}),
    ...(v.published ? { published: v.published } : {}),
    affects: [{ ref: v.package.purl ?? v.package.name }],
  };
}

/** Sizes: the image, each layer, and the largest files (the "leaner image" view). */
export function sizeReport(report: ImageScanReport) {
  const largest = report.layers
    .flatMap((l) => l.largest.map((f) => ({ ...f, layer: l.index })))
    .sort((a, b) => b.size - a.size)
    .slice(0, 10);
  return {
    totalBytes: report.totals.bytes,
    files: report.totals.files,
    layers: report.layers.map((l) => ({
      index: l.index,
      bytes: l.bytes,
      entries: l.entries,
      createdBy: l.createdBy ?? null,
    })),
    largestFiles: largest,
  };
}
