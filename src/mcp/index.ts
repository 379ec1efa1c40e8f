/** MCP gateway: an aggregating proxy in front of MCP servers. */

export { checkArguments, normalisePath } from "./arguments.js";
export {
  MCP_ALERT_EVENT,
  MCP_EXEC_EVENT,
  MCP_CALL_EVENT,
  type McpAlert,
  type McpCallRecord,
  mcpAlertEvent,
  mcpCallEvent,
  mcpExecEvent,
  REQUEST_ID_META,
} from "./audit.js";
export { isStdio, loadClientServers, type McpConfig, type McpUpstreamConfig } from "./config.js";
export { POLICY_DENIED } from "./inspect.js";
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
export { type HttpServeOptions, type HttpServing, serveHttp, serveStdio } from "./serve.js";
export { type ExecStats, type McpExecEvent, parseStraceLine, type StraceRecord } from "./strace.js";
export { connectUpstream, type Upstream } from "./upstream.js";
