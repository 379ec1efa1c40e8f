/**
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/): SDKs as `library` components with
 * purls, models as `machine-learning-model` components, the AI providers the code calls as
 * `services` with endpoints, configured MCP servers as services (`palisade:kind` `mcp-server`), MCP
 * servers the code implements as services of kind `mcp-server-implementation` with their tools,
 * and the dependency graph between them.
 */
import { randomUUID } from "node:crypto";
import { sdkPurl } from "./output.js";
import type { CodeScanReport } from "./report.js";

/** Public API endpoints of hosted providers, for the `services` of the BOM. */
const PROVIDER_ENDPOINTS: Record<string, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
  google: "https://generativelanguage.googleapis.com",
  "aws-bedrock": "https://bedrock-runtime.amazonaws.com",
  "azure-openai": "https://openai.azure.com",
  cohere: "https://api.cohere.com",
  mistral: "https://api.mistral.ai/v1",
  groq: "https://api.groq.com/openai/v1",
  together: "https://api.together.xyz/v1",
  huggingface: "https://huggingface.co",
  replicate: "https://api.replicate.com/v1",
  fireworks: "https://api.fireworks.ai/inference/v1",
  deepseek: "https://api.deepseek.com",
  xai: "https://api.x.ai/v1",
  ollama: "http://localhost:11434",
};

export interface CycloneDxOptions {
  toolVersion: string;
  /** Fixed serial number and timestamp make output reproducible in tests. */
  serialNumber?: string;
  timestamp?: string;
}

type Json = Record<string, unknown>;

/** The report as a CycloneDX 1.6 BOM. */
export function toCycloneDx(report: CodeScanReport, options: CycloneDxOptions): Json {
  const rootRef = "palisade:root";
  const components: Json[] = [];
  const services: Json[] = [];
  const dependencies = new Map<string, Set<string>>([[rootRef, new Set()]]);
  const depend = (from: string, to: string) => {
    const set = dependencies.get(from) ?? new Set<string>();
    set.add(to);
    dependencies.set(from, set);
  };
  const serviceRef = (provider: string) => `service:${provider}`;
  const addService = (provider: string) => {
    const ref = serviceRef(provider);
    if (services.some((s) => s["bom-ref"] === ref)) return ref;
    const endpoint = PROVIDER_ENDPOINTS[provider];
    services.push({
      "bom-ref": ref,
      name: provider,
      provider: { name: provider },
      ...(endpoint ? { endpoints: [endpoint] } : {}),
      properties: [{ name: "palisade:kind", value: "ai-provider" }],
    });
    return ref;
  };
  for (const sdk of report.sdks) {
    const purl = sdkPurl(sdk);
    if (components.some((c) => c["bom-ref"] === purl)) continue;
    const [group, name] = sdk.ecosystem === "maven" ? sdk.name.split(":") : [undefined, sdk.name];
    components.push({
      type: "library",
      "bom-ref": purl,
      ...(group ? { group } : {}),
      name: name ?? sdk.name,
      ...(sdk.version ? { version: sdk.version } : {}),
      purl,
      properties: [
        { name: "palisade:ai-sdk:provider", value: sdk.provider },
        { name: "palisade:ai-sdk:category", value: sdk.category },
        ...(sdk.manifest ? [{ name: "palisade:manifest", value: sdk.manifest }] : []),
      ],
      ...(sdk.usages.length > 0
        ? { evidence: { occurrences: sdk.usages.slice(0, 100).map((u) => ({ location: u.file, line: u.line })) } }
        : {}),
    });
    depend(rootRef, purl);
    if (PROVIDER_ENDPOINTS[sdk.provider] && sdk.category !== "local-inference") depend(purl, addService(sdk.provider));
  }
  const modelRefs = new Map<string, Json>();
  for (const model of report.models) {
    const ref = `model:${model.provider}/${model.id}`;
    let component = modelRefs.get(ref);
    if (!component) {
      component = {
        type: "machine-learning-model",
        "bom-ref": ref,
        name: model.id,
        publisher: model.provider,
        properties: [{ name: "palisade:model:provider", value: model.provider }],
        evidence: { occurrences: [] as Json[] },
      };
      modelRefs.set(ref, component);
      components.push(component);
      depend(rootRef, ref);
      if (PROVIDER_ENDPOINTS[model.provider]) depend(ref, addService(model.provider));
    }
    const occurrences = (component.evidence as { occurrences: Json[] }).occurrences;
    if (occurrences.length < 100) occurrences.push({ location: model.file, line: model.line });
  }
  for (const server of report.mcpServers) {
    const ref = `mcp:${server.file}#${server.name}`;
    if (services.some((s) => s["bom-ref"] === ref)) continue;
    services.push({
      "bom-ref": ref,
      name: server.name,
      ...(server.url ? { endpoints: [server.url] } : {}),
      properties: [
        { name: "palisade:kind", value: "mcp-server" },
        { name: "palisade:mcp:transport", value: server.transport },
        { name: "palisade:location", value: server.file },
        ...(server.command
          ? [{ name: "palisade:mcp:command", value: [server.command, ...(server.args ?? [])].join(" ") }]
          : []),
        ...(server.package ? [{ name: "palisade:mcp:package", value: server.package }] : []),
        ...(server.version ? [{ name: "palisade:mcp:version", value: server.version }] : []),
        ...(server.client ? [{ name: "palisade:mcp:client", value: server.client }] : []),
        ...(server.disabled ? [{ name: "palisade:mcp:disabled", value: "true" }] : []),
      ],
    });
    depend(rootRef, ref);
  }
  // Servers the repository implements: services it provides, with their tools.
  for (const server of report.mcpImplementations) {
    const ref = `mcp-implementation:${server.file}#${server.name}`;
    if (services.some((s) => s["bom-ref"] === ref)) continue;
    services.push({
      "bom-ref": ref,
      name: server.name,
      properties: [
        { name: "palisade:kind", value: "mcp-server-implementation" },
        { name: "palisade:location", value: server.line ? `${server.file}:${server.line}` : server.file },
        ...(server.sdk ? [{ name: "palisade:mcp:sdk", value: server.sdk }] : []),
        ...server.tools.map((tool) => ({ name: "palisade:mcp:tool", value: tool })),
      ],
    });
    depend(rootRef, ref);
  }
  for (const server of report.inferenceServers) {
    const ref = `container:${server.image}`;
    if (components.some((c) => c["bom-ref"] === ref)) continue;
    const at = server.image.lastIndexOf(":");
    const tagged = at > server.image.lastIndexOf("/");
    components.push({
      type: "container",
      "bom-ref": ref,
      name: tagged ? server.image.slice(0, at) : server.image,
      ...(tagged ? { version: server.image.slice(at + 1) } : {}),
      properties: [
        { name: "palisade:inference-server", value: server.name },
        { name: "palisade:location", value: `${server.file}:${server.line}` },
      ],
    });
    depend(rootRef, ref);
  }
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? new Date().toISOString(),
      tools: { components: [{ type: "application", name: "palisade", version: options.toolVersion }] },
      component: { type: "application", "bom-ref": rootRef, name: report.target },
    },
    components,
    services,
    dependencies: [...dependencies].map(([ref, on]) => ({ ref, dependsOn: [...on] })),
  };
}
