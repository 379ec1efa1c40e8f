/**
 * What every scanner's inventory mapping shares: the stable asset ids, the records a scan turns
 * into, how findings find their asset, and the scan id derived from the target and the result.
 */
import { createHash } from "node:crypto";
import { type Finding, redactUrl, SEVERITIES } from "../../core/index.js";
import type { AssetInput, EdgeInput, FindingInput, ScanRecord } from "../../store/index.js";

/** The scanners that record into the store; also the `kind` of their scan rows. */
export const SCAN_KINDS = ["code", "model", "fs", "image"] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/** Edge kinds the scanners write, defined once for the mappings, their tests and docs/store.md. */
export const EDGE_KINDS = {
  /** image → package, AI component or model file (with its layer); folder → model file. */
  contains: "contains",
  /** repository → AI SDK it declares or imports. */
  dependsOn: "depends-on",
  /** repository → model it names, MCP server it configures. */
  uses: "uses",
  /** repository → MCP server its code implements. */
  implements: "implements",
  /** repository → inference server its compose or Kubernetes files run. */
  deploys: "deploys",
  /** component → vulnerability that affects it. */
  affectedBy: "affected-by",
} as const;

/** One scan turned into inventory: what it was about, what it found, and its findings. */
export interface Inventory {
  kind: ScanKind;
  /** Identity of what was scanned: the root asset's id, or the scanned paths. */
  target: string;
  assets: AssetInput[];
  edges: EdgeInput[];
  findings: FindingInput[];
  /** Facts about the run kept with the scan row, outside its identity (e.g. the reference as typed). */
  details?: Record<string, unknown>;
}

/** A repository (a scanned folder) by its absolute path. */
export const repoId = (absolutePath: string) => `repo:${absolutePath}`;

/** An image by its manifest digest (`docker save` archives: the config digest, their image id). */
export const imageId = (digest: string) => `image:${digest}`;

/** A model file by the sha256 of its bytes, or by its absolute path when it was not hashed. */
export const modelFileId = (sha256: string | undefined, absolutePath: string) =>
  sha256 ? `model:sha256:${sha256}` : `model:path:${absolutePath}`;

/** A model named in code or configuration (an API model id, a Hugging Face repository). */
export const modelRefId = (provider: string, id: string) => `model:${provider}/${id}`;

/** An MCP or inference server: where it is (the repository or image id), its name and version. */
export const serverId = (kind: "mcp-server" | "inference-server", where: string, name: string, version?: string) =>
  `${kind}:${where}#${name}${version ? `@${version}` : ""}`;

/** A vulnerability by the id the matcher shows (the CVE when there is one). */
export const vulnerabilityId = (id: string) => `vuln:${id}`;

/** A URL without credentials or query (tokens often ride in either), for asset properties. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return redactUrl(url).replace(/[?#].*$/, "");
  }
}

/**
 * Findings with the asset each is about: the asset its `component` names (a purl, a package, a
 * model id, `sha256:...`), else `fallback` (the repository, image or model file scanned).
 */
export function linkFindings(
  findings: readonly Finding[],
  aliases: ReadonlyMap<string, string>,
  fallback: string,
): FindingInput[] {
  return findings.map((f) => ({ ...f, assetId: (f.component && aliases.get(f.component)) || fallback }));
}

/** Drop undefined values so properties (and the scan hash) do not depend on how absence is spelled. */
export function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/**
 * The scan row for an inventory. Its id is a hash of the target and of everything recorded, so
 * the same result recorded again is the same scan (the store adds nothing) and a changed one is
 * a new scan.
 */
export function toScanRecord(inventory: Inventory, times: { startedAt: number; finishedAt: number }): ScanRecord {
  const hash = createHash("sha256")
    .update(
      canonicalJson({
        kind: inventory.kind,
        target: inventory.target,
        assets: sortedJson(inventory.assets),
        edges: sortedJson(inventory.edges),
        findings: sortedJson(inventory.findings),
      }),
    )
    .digest("hex");
  const severities = Object.fromEntries(
    SEVERITIES.map((s) => [s, inventory.findings.filter((f) => f.severity === s).length]),
  );
  return {
    scan: {
      id: `scan:${inventory.kind}:${hash.slice(0, 32)}`,
      kind: inventory.kind,
      target: inventory.target,
      status: "completed",
      startedAt: times.startedAt,
      finishedAt: times.finishedAt,
      summary: {
        ...inventory.details,
        assets: inventory.assets.length,
        edges: inventory.edges.length,
        findings: severities,
      },
    },
    assets: inventory.assets,
    edges: inventory.edges,
    findings: inventory.findings,
  };
}

function sortedJson(items: readonly unknown[]): string[] {
  return items.map(canonicalJson).sort();
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
