/** Public surface of the code scanner: the AI-BOM of a source tree (`palisade scan code`). */
export {
  type AiCatalog,
  catalogSize,
  defaultRulesDir,
  ECOSYSTEMS,
  type Ecosystem,
  loadAiCatalog,
  type ModelPattern,
  type SdkEntry,
} from "./catalog.js";
export { toCycloneDx } from "./cyclonedx.js";
export type { GpuUse, InferenceServerUse } from "./infra.js";
export { type McpImplementation, type McpServerEntry, parseMcpConfig } from "./mcp.js";
export { formatOfFile, MCP_DOCUMENT_LIMITS, readMcpDocument } from "./mcp-document.js";
export { type ModelMatch, matchModel } from "./models.js";
export { toJsonReport, toScanInput } from "./output.js";
export type { CodeScanReport, ModelReport, SdkReport, SdkUsage } from "./report.js";
export { type ScanCodeOptions, scanCodebase } from "./scan.js";
export { createSdkIndex, type SdkIndex } from "./sdk-index.js";
export type { UsageKind } from "./source/analyze.js";
