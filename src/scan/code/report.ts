/** The typed result of `scanCodebase`: the AI-BOM of a source tree plus findings and notes. */
import type { Finding } from "../../core/index.js";
import type { Ecosystem } from "./catalog.js";
import type { GpuUse, InferenceServerUse } from "./infra.js";
import type { McpImplementation, McpServerEntry } from "./mcp.js";
import type { UsageKind } from "./source/analyze.js";
import type { SkipNote } from "./walk.js";

export interface SdkUsage {
  file: string;
  line: number;
  kind: UsageKind;
}

/** One AI SDK: declared in a manifest (with the resolved version) and/or used in code. */
export interface SdkReport {
  name: string;
  ecosystem: Ecosystem;
  provider: string;
  category: string;
  /** Resolved version from a lockfile, or the exact version pinned in the manifest. */
  version?: string;
  /** The constraint as written in the manifest, when it is not an exact version. */
  constraint?: string;
  /** Manifest that declares it; absent when the code imports an undeclared package. */
  manifest?: string;
  /** `parent[extra]` when the manifest brings this SDK in only through an extra of another package. */
  viaExtra?: string;
  lockfile?: string;
  usages: SdkUsage[];
}

export interface ModelReport {
  id: string;
  provider: string;
  file: string;
  line: number;
}

/**
 * A raw HTTP call to an AI API, made without an SDK: a string literal naming the provider's
 * endpoint (`https://api.openai.com/v1/...`, `generativelanguage.googleapis.com`, an Ollama
 * `localhost:11434`).
 */
export interface AiEndpointReport {
  host: string;
  provider: string;
  file: string;
  line: number;
}

export interface CodeScanReport {
  target: string;
  sdks: SdkReport[];
  models: ModelReport[];
  /** MCP servers configured for a client (servers this code talks to). */
  mcpServers: McpServerEntry[];
  /** MCP servers this repository implements, with their tools. */
  mcpImplementations: McpImplementation[];
  inferenceServers: InferenceServerUse[];
  gpus: GpuUse[];
  /** AI APIs the code calls over raw HTTP (endpoint URLs in string literals). */
  aiEndpoints?: AiEndpointReport[];
  /** Providers the code talks to (from SDKs and models), for policy `providers` rules. */
  providers: string[];
  findings: Finding[];
  /** Files not scanned, with the reason: binary, huge, minified, malformed. */
  skipped: SkipNote[];
  /** Model files met on the walk (absolute paths), for the model scanner. */
  modelFiles: string[];
  stats: { files: number; parsed: number; durationMs: number };
}
