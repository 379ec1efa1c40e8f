/** MCP gateway: an aggregating proxy in front of MCP servers. */

export { type AddressClass, classifyHost, classifyUrl } from "./address.js";
export {
  type ApprovalAction,
  type ApprovalPlan,
  type ListedServer,
  type PlanOptions,
  planApproval,
  type ToolDecision,
} from "./approve.js";
export { checkArguments, normalisePath } from "./arguments.js";
export {
  MCP_ALERT_EVENT,
  MCP_CALL_EVENT,
  MCP_EXEC_EVENT,
  type McpAlert,
  type McpCallRecord,
  mcpAlertEvent,
  mcpCallEvent,
  mcpExecEvent,
  REQUEST_ID_META,
} from "./audit.js";
export {
  auditClientConfigs,
  type ClientConfig,
  type ConfiguredServer,
  MCP_SCAN_RULES,
  type McpScanRuleId,
  readClientConfig,
  serverRef,
} from "./audit-config.js";
export {
  type ClientConfigLocation,
  clientConfigLocations,
  MCP_CLIENTS,
  type McpClientId,
} from "./client-locations.js";
export { isStdio, loadClientServers, type McpConfig, type McpUpstreamConfig } from "./config.js";
export { POLICY_DENIED } from "./inspect.js";
export { formatPins, PIN_FILE_VERSION, parsePins, readPins, writePins } from "./pin-file.js";
export {
  type ApproveOptions,
  approveTools,
  canonicalJson,
  canonicalTool,
  checkTools,
  createPinState,
  emptyPins,
  MAX_DEFINITION_DEPTH,
  type PinnedServer,
  type PinnedTool,
  type PinState,
  type PinStateOptions,
  type Pins,
  serverIdentity,
  sha256,
  type ToolCheck,
  type ToolStatus,
  toolHash,
} from "./pinning.js";
export {
  checkPoisoning,
  POISONING_RULE_IDS,
  POISONING_RULES,
  type PoisoningFinding,
  type PoisoningOptions,
  type PoisoningRuleId,
} from "./poisoning.js";
export {
  LOCAL_IDENTITY,
  type McpProxy,
  PROXY_INFO,
  type ProxyControls,
  type Session,
  splitName,
  startMcpProxy,
  templateMatches,
  unionCapabilities,
} from "./proxy.js";
export { createToolReview, type ItemKind, type ToolReview, type ToolReviewOptions } from "./review.js";
export {
  type ExecRecorder,
  effectiveSandbox,
  type McpStdioServerConfig,
  SANDBOX_UID,
  type SandboxAvailability,
  type SandboxLaunch,
  type SandboxLaunchOptions,
  type SandboxToolOptions,
  type SandboxTools,
  sandboxAvailable,
  sandboxLaunch,
} from "./sandbox.js";
export { type ConnectCheckOptions, type ConnectCheckResult, connectAndCheck } from "./scan-connect.js";
export { type HttpServeOptions, type HttpServing, serveHttp, serveStdio } from "./serve.js";
export { findShadowing, type ShadowedName } from "./shadowing.js";
export { type ExecStats, type McpExecEvent, parseStraceLine, type StraceRecord } from "./strace.js";
export { diffTool } from "./tool-diff.js";
export { findInvisible, type InvisibleChar, type InvisibleKind, toMatchText, toNameKey } from "./unicode.js";
export { connectUpstream, type Upstream } from "./upstream.js";
