/**
 * MCP servers implemented in source languages that have no parser here, read from the text:
 * Ruby's `MCP::Server.new(name: "weather")` and fast-mcp's `FastMcp::Server.new(name: "weather")`, Rust rmcp's `Implementation::new("weather", ...)`,
 * `Implementation { name: "weather".into(), .. }` and `server_info.name = "weather"`, and the
 * Kotlin SDK's `Implementation(name = "weather", ...)` (not a client's `clientInfo = Implementation(...)`),
 * and the Java SDK's builder as Kotlin or Groovy write it, `McpServer.sync(t).serverInfo("weather", "1")`.
 */
import type { McpImplementation } from "./mcp.js";

const SERVER_NAMES: readonly { regex: RegExp; sdk: string; test: (text: string) => boolean }[] = [
  {
    regex: /\bMCP::Server\.new\(\s*(?:[^)]{0,300}?[\s,(])?name:\s*["']([^"'\n]{1,200})["']/g,
    sdk: "mcp",
    test: (t) => t.includes("MCP::Server"),
  },
  // The fast-mcp gem: `FastMcp::Server.new(name:)` and the Rack/Rails helpers that build one
  // (`FastMcp.rack_middleware(app, name: ...)`, `authenticated_rack_middleware`, `mount_in_rails`).
  {
    regex:
      /\bFastMcp(?:::Server\.new|\.(?:authenticated_rack_middleware|rack_middleware|mount_in_rails))\(\s*(?:[^)]{0,300}?[\s,(])?name:\s*["']([^"'\n]{1,200})["']/g,
    sdk: "fast-mcp",
    test: (t) => t.includes("FastMcp"),
  },
  {
    regex:
      /\bImplementation(?:::new\(\s*|\s*\{[^}]{0,300}?\bname:\s*|\(\s*name\s*=\s*)"([^"\n]{1,200})"|\bserver_info\.name\s*=\s*"([^"\n]{1,200})"/g,
    sdk: "rmcp",
    test: (t) => t.includes("Implementation") || t.includes("server_info"),
  },
  {
    regex: /\bMcpServer\s*\.\s*(?:sync|async)\s*\([^;]{0,300}?\.serverInfo\(\s*"([^"\n]{1,200})"/g,
    sdk: "io.modelcontextprotocol.sdk:mcp",
    test: (t) => t.includes("serverInfo"),
  },
];

/**
 * An `Implementation` that describes the client side of a connection (`clientInfo = ...`), or the
 * Kotlin SDK's `Client(Implementation(name = "test-client", ...))`.
 */
const CLIENT_INFO = /\b(?:(?:clientInfo|client_info)\s*[=:]\s*(?:\w+::)*|Client\()$/;

/**
 * A client description under way (`ClientInfo::new(`, `ClientCapabilities::...`,
 * `meta.set_client_info(`) with no server's after it.
 */
const CLIENT_INFO_CALL =
  /(?:ClientInfo|ClientCapabilities|client_info|client_context)\b(?![\s\S]*(?:ServerInfo|ServerCapabilities|server_info)\b)[\s\S]*$/;

/** Servers a Ruby, Rust or Kotlin file builds, by the name it gives them; one per name. */
export function textMcpImplementations(text: string, file: string): McpImplementation[] {
  const out: McpImplementation[] = [];
  for (const { regex, sdk, test } of SERVER_NAMES) {
    if (!test(text)) continue;
    for (const m of text.matchAll(regex)) {
      const name = m[1] ?? m[2];
      if (!name || out.some((s) => s.name === name)) continue;
      if (CLIENT_INFO.test(text.slice(Math.max(0, m.index - 40), m.index).trimEnd())) continue;
      // rmcp's `ClientInfo::new(ClientCapabilities..., Implementation::new("my-client", ...))`: a client's own description.
      if (CLIENT_INFO_CALL.test(text.slice(Math.max(0, m.index - 400), m.index))) continue;
      const line = text.slice(0, m.index).split("\n").length;
      out.push({
        name,
        file,
        line,
        sdk: file.endsWith(".kt") && sdk === "rmcp" ? "io.modelcontextprotocol:kotlin-sdk" : sdk,
        tools: [],
      });
    }
  }
  return out;
}
