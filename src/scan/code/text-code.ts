/**
 * MCP servers implemented in source languages that have no parser here, read from the text:
 * Ruby's `MCP::Server.new(name: "weather")`, Rust rmcp's `Implementation::new("weather", ...)`,
 * `Implementation { name: "weather".into(), .. }` and `server_info.name = "weather"`, and the
 * Kotlin SDK's `Implementation(name = "weather", ...)`.
 */
import type { McpImplementation } from "./mcp.js";

const SERVER_NAMES: readonly { regex: RegExp; sdk: string; test: (text: string) => boolean }[] = [
  {
    regex: /\bMCP::Server\.new\(\s*(?:[^)]{0,300}?[\s,(])?name:\s*["']([^"'\n]{1,200})["']/g,
    sdk: "mcp",
    test: (t) => t.includes("MCP::Server"),
  },
  {
    regex:
      /\bImplementation(?:::new\(\s*|\s*\{[^}]{0,300}?\bname:\s*|\(\s*name\s*=\s*)"([^"\n]{1,200})"|\bserver_info\.name\s*=\s*"([^"\n]{1,200})"/g,
    sdk: "rmcp",
    test: (t) => t.includes("Implementation") || t.includes("server_info"),
  },
];

/** Servers a Ruby, Rust or Kotlin file builds, by the name it gives them; one per name. */
export function textMcpImplementations(text: string, file: string): McpImplementation[] {
  const out: McpImplementation[] = [];
  for (const { regex, sdk, test } of SERVER_NAMES) {
    if (!test(text)) continue;
    for (const m of text.matchAll(regex)) {
      const name = m[1] ?? m[2];
      if (!name || out.some((s) => s.name === name)) continue;
      const line = text.slice(0, m.index).split("\n").length;
      out.push({ name, file, line, sdk: file.endsWith(".kt") ? "io.modelcontextprotocol:kotlin-sdk" : sdk, tools: [] });
    }
  }
  return out;
}
