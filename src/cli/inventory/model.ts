/** Inventory of `scan model`: each model file by its content hash, with its findings. */
import { basename, resolve } from "node:path";
import { type ModelScanResult, storeLabel, toFindings } from "../../scan/model/index.js";
import type { AssetInput, FindingInput } from "../../store/index.js";
import { defined, type Inventory, modelFileId } from "./records.js";

/**
 * A model file as an asset: what it is (format, verdict, identity), not where it was found, so
 * the same bytes met in a folder, an image or on their own are one asset.
 */
export function modelFileAsset(result: ModelScanResult, absolutePath: string): AssetInput {
  const identity = result.identity;
  return {
    id: modelFileId(result.sha256, absolutePath),
    kind: "model-file",
    subkind: result.format,
    name: identity.name ?? basename(result.path),
    ...(result.sha256 ? { digest: `sha256:${result.sha256}` } : {}),
    properties: defined({
      format: result.format,
      verdict: result.verdict,
      size: result.size,
      architecture: identity.architecture,
      parameters: identity.parameters,
      quantisation: identity.quantisation,
      contextLength: identity.contextLength,
      license: identity.license,
      stores: result.stores?.map(storeLabel).join(", "),
    }),
  };
}

/** The model scanner's findings for one file, on that file's asset. */
export function modelFindings(result: ModelScanResult, assetId: string): FindingInput[] {
  return toFindings(result).map((f) => ({ ...f, assetId }));
}

/** The inventory of a model scan of `paths` (as given on the command line; they are resolved). */
export function toModelInventory(results: readonly ModelScanResult[], paths: readonly string[]): Inventory {
  const assets: AssetInput[] = [];
  const findings: FindingInput[] = [];
  for (const result of results) {
    const asset = modelFileAsset(result, resolve(result.path));
    assets.push(asset);
    findings.push(...modelFindings(result, asset.id));
  }
  const resolved = paths.map((p) => resolve(p));
  return {
    kind: "model",
    target: resolved.join(" "),
    assets,
    edges: [],
    findings,
    details: {
      paths: resolved,
      files: results.map((r) => ({ path: resolve(r.path), asset: modelFileId(r.sha256, resolve(r.path)) })),
    },
  };
}
