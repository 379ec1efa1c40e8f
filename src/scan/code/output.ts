/** Report shapes for other consumers: the JSON document of `--format json` and the policy input. */
import type { Component, Location } from "../../core/index.js";
import type { Ecosystem } from "./catalog.js";
import type { CodeScanReport, ModelReport, SdkReport } from "./report.js";

/** Package URL (https://github.com/package-url/purl-spec) of an SDK, with its version when known. */
export function sdkPurl(sdk: Pick<SdkReport, "name" | "ecosystem" | "version">): string {
  const version = sdk.version ? `@${encodeURIComponent(sdk.version)}` : "";
  const types: Record<Ecosystem, string> = {
    pypi: "pypi",
    npm: "npm",
    go: "golang",
    maven: "maven",
    gem: "gem",
    cargo: "cargo",
  };
  let path: string;
  if (sdk.ecosystem === "maven") path = sdk.name.replace(":", "/");
  else if (sdk.ecosystem === "npm") path = sdk.name.startsWith("@") ? `%40${sdk.name.slice(1)}` : sdk.name;
  else path = sdk.name;
  return `pkg:${types[sdk.ecosystem]}/${path}${version}`;
}

/** The `--format json` document: the shape first, details after. */
export function toJsonReport(report: CodeScanReport): Record<string, unknown> {
  return {
    target: report.target,
    sdks: report.sdks.map((s) => ({
      name: s.name,
      ecosystem: s.ecosystem,
      version: s.version ?? null,
      manifest: s.manifest ?? null,
      usages: s.usages,
      provider: s.provider,
      category: s.category,
      purl: sdkPurl(s),
      ...(s.constraint ? { constraint: s.constraint } : {}),
      ...(s.lockfile ? { lockfile: s.lockfile } : {}),
      ...(s.viaExtra ? { viaExtra: s.viaExtra } : {}),
    })),
    models: report.models,
    mcpServers: report.mcpServers,
    mcpImplementations: report.mcpImplementations,
    inferenceServers: report.inferenceServers,
    gpus: report.gpus,
    providers: report.providers,
    findings: report.findings,
    skipped: report.skipped,
    stats: report.stats,
  };
}

/** What the policy engine judges (`ScanInput` of src/policy, kind `scan`). */
export function toScanInput(report: CodeScanReport): {
  target: string;
  components: Component[];
  models: { id: string; location: Location }[];
  mcpServers: { name: string; package?: string; version?: string; url?: string; location: Location }[];
  providers: string[];
  findings: CodeScanReport["findings"];
} {
  const components: Component[] = report.sdks.map((s) => ({
    kind: "ai-sdk",
    name: s.name,
    ...(s.version ? { version: s.version } : {}),
    purl: sdkPurl(s),
    ecosystem: s.ecosystem,
    locations: (s.manifest ? [{ path: s.manifest }] : []).concat(
      s.usages.slice(0, 50).map((u) => ({ path: u.file, line: u.line })),
    ),
    properties: { provider: s.provider, category: s.category },
  }));
  for (const server of report.inferenceServers)
    components.push({
      kind: "inference-server",
      name: server.image.replace(/:[^:/]+$/, ""),
      ...(/:[^:/]+$/.test(server.image) ? { version: server.image.slice(server.image.lastIndexOf(":") + 1) } : {}),
      locations: [{ path: server.file, line: server.line }],
      properties: { server: server.name },
    });
  // One entry per model id, at the first place it is named.
  const firstNamed = new Map<string, ModelReport>();
  for (const m of report.models) if (!firstNamed.has(m.id)) firstNamed.set(m.id, m);
  return {
    target: report.target,
    components,
    models: [...firstNamed.values()].map((m) => ({ id: m.id, location: { path: m.file, line: m.line } })),
    // Only configured servers: the policy approves the servers a repository talks to.
    mcpServers: report.mcpServers.map((m) => ({
      name: m.name,
      ...(m.package ? { package: m.package } : {}),
      ...(m.version ? { version: m.version } : {}),
      ...(m.url ? { url: m.url } : {}),
      location: { path: m.file, ...(m.line ? { line: m.line } : {}) },
    })),
    providers: report.providers,
    findings: report.findings,
  };
}
