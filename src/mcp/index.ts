/** MCP gateway: an aggregating proxy in front of MCP servers. */
export { isStdio, loadClientServers, type McpConfig, type McpUpstreamConfig } from "./config.js";
export { type McpProxy, PROXY_INFO, splitName, startMcpProxy, templateMatches, unionCapabilities } from "./proxy.js";
export { type HttpServing, serveHttp, serveStdio } from "./serve.js";
