/**
 * Inventory of `scan code` and `scan fs`: the repository (the scanned folder), the AI SDKs it
 * depends on, the models it names, its MCP servers and inference servers, and (fs) the model
 * files inside it.
 */
import { realpathSync } from "node:fs";
import { basename, resolve } from "node:path";
import { type CodeScanReport, toScanInput } from "../../scan/code/index.js";
import type { ModelScanResult } from "../../scan/model/index.js";
import type { AssetInput, EdgeInput } from "../../store/index.js";
import { modelFileAsset, modelFindings } from "./model.js";
import { defined, EDGE_KINDS, type Inventory, linkFindings, modelRefId, repoId, safeUrl, serverId } from "./records.js";

/** The inventory of a code scan of `root` (the folder as given; it is resolved). */
export function toCodeInventory(report: CodeScanReport, root: string): Inventory {
  const absolute = canonicalPath(root);
  const repo = repoId(absolute);
  const assets: AssetInput[] = [
    { id: repo, kind: "repo", name: basename(absolute) || absolute, properties: { path: absolute } },
  ];
  const edges: EdgeInput[] = [];
  /** What findings name (`component`) → the asset id. */
  const aliases = new Map<string, string>();

  // toScanInput lists the SDKs first, one per report.sdks entry and in its order, with their purls.
  const sdkComponents = toScanInput(report).components.filter((c) => c.kind === "ai-sdk");
  report.sdks.forEach((sdk, i) => {
    const purl = sdkComponents[i]?.purl;
    if (!purl) return;
    assets.push({
      id: purl,
      kind: "component",
      subkind: "ai-sdk",
      name: sdk.name,
      ...(sdk.version ? { version: sdk.version } : {}),
      purl,
      properties: { ecosystem: sdk.ecosystem, provider: sdk.provider, category: sdk.category },
    });
    const first = sdk.usages[0];
    edges.push({
      src: repo,
      dst: purl,
      kind: EDGE_KINDS.dependsOn,
      properties: defined({
        manifest: sdk.manifest,
        lockfile: sdk.lockfile,
        constraint: sdk.constraint,
        usages: sdk.usages.length,
        firstUse: first ? `${first.file}:${first.line}` : undefined,
      }),
    });
    aliases.set(purl, purl);
    aliases.set(sdk.name, purl);
  });

  for (const model of report.models) {
    const id = modelRefId(model.provider, model.id);
    if (assets.some((a) => a.id === id)) continue; // named again elsewhere: the first place is kept
    assets.push({ id, kind: "component", subkind: "model", name: model.id, properties: { provider: model.provider } });
    edges.push({ src: repo, dst: id, kind: EDGE_KINDS.uses, properties: { file: model.file, line: model.line } });
    aliases.set(model.id, id);
  }

  for (const server of report.mcpServers) {
    const id = serverId("mcp-server", repo, server.name, server.version);
    assets.push({
      id,
      kind: "component",
      subkind: "mcp-server",
      name: server.name,
      ...(server.version ? { version: server.version } : {}),
      properties: defined({
        transport: server.transport,
        command: server.command,
        package: server.package,
        url: server.url ? safeUrl(server.url) : undefined,
      }),
    });
    edges.push({
      src: repo,
      dst: id,
      kind: EDGE_KINDS.uses,
      properties: defined({ file: server.file, line: server.line }),
    });
    if (server.package) aliases.set(server.package, id);
  }

  for (const server of report.mcpImplementations) {
    const id = serverId("mcp-server", repo, server.name, undefined);
    if (!assets.some((a) => a.id === id))
      assets.push({
        id,
        kind: "component",
        subkind: "mcp-server",
        name: server.name,
        properties: defined({ sdk: server.sdk, tools: server.tools.length > 0 ? server.tools.join(",") : undefined }),
      });
    edges.push({
      src: repo,
      dst: id,
      kind: EDGE_KINDS.implements,
      properties: defined({ file: server.file, line: server.line }),
    });
  }

  for (const server of report.inferenceServers) {
    const version = imageVersion(server.image);
    const id = serverId("inference-server", repo, server.name, version);
    assets.push({
      id,
      kind: "component",
      subkind: "inference-server",
      name: server.name,
      ...(version ? { version } : {}),
      properties: { image: server.image },
    });
    edges.push({ src: repo, dst: id, kind: EDGE_KINDS.deploys, properties: { file: server.file, line: server.line } });
  }

  return {
    kind: "code",
    target: repo,
    assets,
    edges,
    findings: linkFindings(report.findings, aliases, repo),
    details: { path: absolute, files: report.stats.files, gpuRequests: report.gpus.length },
  };
}

/**
 * The inventory of `scan fs`: the code scan's, plus the model files met in the folder (paths
 * relative to `root`, or absolute), each contained in the repository.
 */
export function toFsInventory(code: CodeScanReport, models: readonly ModelScanResult[], root: string): Inventory {
  const absolute = canonicalPath(root);
  const base = toCodeInventory(code, absolute);
  for (const model of models) {
    const asset = modelFileAsset(model, resolve(absolute, model.path));
    base.assets.push(asset);
    base.edges.push({ src: base.target, dst: asset.id, kind: EDGE_KINDS.contains, properties: { path: model.path } });
    base.findings.push(...modelFindings(model, asset.id));
  }
  return { ...base, kind: "fs", details: { ...base.details, modelFiles: models.length } };
}

/** A folder's absolute path with symbolic links resolved: one folder, one repository id. */
function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The tag (or digest) of an image reference, as the server's version. */
function imageVersion(image: string): string | undefined {
  const digest = /@(sha256:[a-f0-9]+)$/i.exec(image)?.[1];
  if (digest) return digest;
  const colon = image.lastIndexOf(":");
  return colon > image.lastIndexOf("/") ? image.slice(colon + 1) : undefined;
}
