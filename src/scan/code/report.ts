/** The typed result of `scanCodebase`: the AI-BOM of a source tree plus findings and notes. */
import type { Finding } from "../../core/index.js";
import type { Ecosystem } from "./catalog.js";
import type { GpuUse, InferenceServerUse } from "./infra.js";
import type { McpServerEntry } from "./mcp.js";
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
  lockfile?: string;
  usages: SdkUsage[];
}

export interface ModelReport {
  id: string;
  provider: string;
  file: string;
  line: number;
}

export interface CodeScanReport {
  target: string;
  sdks: SdkReport[];
  models: ModelReport[];
  mcpServers: McpServerEntry[];
  inferenceServers: InferenceServerUse[];
  gpus: GpuUse[];
  /** Providers the code talks to (from SDKs and models), for policy `providers` rules. */
  providers: string[];
  findings: Finding[];
  /** Files not scanned, with the reason: binary, huge, minified, malformed. */
  skipped: SkipNote[];
  /** Model files met on the walk (absolute paths), for the model scanner. */
  modelFiles: string[];
  stats: { files: number; parsed: number; durationMs: number };
}
