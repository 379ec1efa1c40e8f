/**
 * Inventory of `scan image`: the image by digest, the packages, AI servers and model files it
 * contains (each edge says in which layer), and the vulnerabilities of its packages.
 */
import { basename, resolve } from "node:path";
import { type ImageScanReport, imagePurl } from "../../scan/image/index.js";
import type { AssetInput, EdgeInput } from "../../store/index.js";
import { modelFileAsset } from "./model.js";
import { defined, EDGE_KINDS, type Inventory, imageId, linkFindings, serverId, vulnerabilityId } from "./records.js";

/** The inventory of an image scan. */
export function toImageInventory(report: ImageScanReport): Inventory {
  const image = imageAssetId(report);
  const { name, version } = imageName(report);
  const purl = imagePurl(report);
  const gpuLibraries = report.ai
    .filter((a) => a.kind === "gpu-library")
    .map((a) => (a.version ? `${a.name}@${a.version}` : a.name));
  const assets: AssetInput[] = [
    {
      id: image,
      kind: "image",
      name,
      ...(version ? { version } : {}),
      ...(purl ? { purl } : {}),
      ...(report.digest ? { digest: report.digest } : {}),
      properties: defined({
        source: report.source,
        tags: report.tags,
        platform: report.platform,
        os: report.os ? `${report.os.id}${report.os.versionId ? ` ${report.os.versionId}` : ""}` : undefined,
        user: report.config.user,
        servedModel: report.servedModel?.model,
        gpuLibraries: gpuLibraries.length > 0 ? gpuLibraries : undefined,
        layers: report.layers.map((l) => l.digest ?? null),
      }),
    },
  ];
  const edges: EdgeInput[] = [];
  const aliases = new Map<string, string>();
  const layerOf = (index: number) => defined({ layer: index, layerDigest: report.layers[index]?.digest });

  // The AI classifier names SDKs by the package that showed them: those packages are AI SDKs.
  const sdkByPurl = new Map(
    report.ai.filter((a) => a.kind === "ai-sdk" && a.evidence.startsWith("pkg:")).map((a) => [a.evidence, a]),
  );
  for (const pkg of report.packages) {
    const sdk = sdkByPurl.get(pkg.purl);
    assets.push({
      id: pkg.purl,
      kind: "component",
      subkind: sdk ? "ai-sdk" : pkg.kind,
      name: pkg.name,
      version: pkg.version,
      purl: pkg.purl,
      properties: defined({
        ecosystem: String(pkg.ecosystem),
        sourceName: pkg.sourceName,
        licenses: pkg.licenses,
        category: sdk?.category,
      }),
    });
    edges.push({
      src: image,
      dst: pkg.purl,
      kind: EDGE_KINDS.contains,
      properties: { ...layerOf(pkg.layer), path: `/${pkg.path}` },
    });
    aliases.set(pkg.purl, pkg.purl);
  }

  for (const server of report.ai) {
    if (server.kind !== "inference-server" && server.kind !== "mcp-server") continue;
    const id = serverId(server.kind, image, server.name, server.version);
    assets.push({
      id,
      kind: "component",
      subkind: server.kind,
      name: server.name,
      ...(server.version ? { version: server.version } : {}),
      properties: {},
    });
    edges.push({
      src: image,
      dst: id,
      kind: EDGE_KINDS.contains,
      properties: { ...layerOf(server.layer), evidence: server.evidence },
    });
  }

  for (const model of report.models) {
    // Inside an image a model file's place is the image and its path there, not a host path.
    const asset = modelFileAsset(model.result, `${image}${model.path}`);
    assets.push(asset);
    edges.push({
      src: image,
      dst: asset.id,
      kind: EDGE_KINDS.contains,
      properties: { ...layerOf(model.layer), path: model.path },
    });
    if (model.result.sha256) aliases.set(`sha256:${model.result.sha256}`, asset.id);
  }

  for (const vuln of report.vulnerabilities ?? []) {
    const component = vuln.package.purl;
    if (!component) continue;
    const id = vulnerabilityId(vuln.id);
    assets.push({
      id,
      kind: "vulnerability",
      name: vuln.id,
      properties: defined({
        aliases: vuln.aliases,
        severity: vuln.severity,
        score: vuln.score,
        summary: vuln.summary,
        published: vuln.published,
      }),
    });
    edges.push({
      src: component,
      dst: id,
      kind: EDGE_KINDS.affectedBy,
      properties: defined({ fixedIn: vuln.fixedIn, advisories: vuln.advisories, via: vuln.matched.via }),
    });
  }

  return {
    kind: "image",
    target: image,
    assets,
    edges,
    findings: linkFindings(report.findings, aliases, image),
    details: defined({ reference: report.reference, digest: report.digest, packages: report.packages.length }),
  };
}

/** The image's id: by digest, or (a `dir:` root file system, which has none) by its folder. */
function imageAssetId(report: ImageScanReport): string {
  if (report.digest) return imageId(report.digest);
  return `image:${report.source}:${resolve(report.reference.replace(/^[a-z-]+:/, ""))}`;
}

/** A registry tag names the repository; an OCI layout's tag (`v1`) does not, so its folder or file does. */
function imageName(report: ImageScanReport): { name: string; version?: string } {
  const tag = report.tags[0];
  if (tag?.includes("/")) {
    const colon = tag.lastIndexOf(":");
    return colon > tag.lastIndexOf("/") ? { name: tag.slice(0, colon), version: tag.slice(colon + 1) } : { name: tag };
  }
  const path = report.reference.replace(/^[a-z-]+:/, "").replace(/:[^/:]*$/, "");
  const name = basename(resolve(path)).replace(/\.tar$/, "") || path;
  return tag ? { name, version: tag } : { name };
}
