/**
 * Where `palisade mcp proxy` finds its upstream servers: the `mcp:` section of Palisade's own
 * configuration (`--config`), or a client's configuration file as it is (`--servers FILE`: a
 * Claude Desktop, Cursor or VS Code file with an `mcpServers` or `servers` table).
 */
import { readFileSync } from "node:fs";
import {
  type McpConfig,
  McpConfigSchema,
  type McpUpstreamConfig,
  PalisadeError,
  parseYamlSource,
  validateYaml,
} from "../core/index.js";

export type { McpConfig, McpUpstreamConfig };

export function isStdio(upstream: McpUpstreamConfig): upstream is Extract<McpUpstreamConfig, { command: string }> {
  return "command" in upstream;
}

/** Reads a client's MCP configuration (JSON or YAML) into the proxy's `mcp:` shape. */
export function loadClientServers(file: string): McpConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new PalisadeError("bad-input", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      input: file,
      cause,
    });
  }
  const source = parseYamlSource(text, file);
  const value = (source.value ?? {}) as Record<string, unknown>;
  const table = value.mcpServers ?? value.servers;
  if (table === undefined || typeof table !== "object")
    throw new PalisadeError("bad-input", `${file}: no mcpServers (or servers) table`, { input: file });
  // Positions are reported against the client file's own keys (`mcpServers.x.command`).
  const key = value.mcpServers !== undefined ? "mcpServers" : "servers";
  return validateYaml(McpConfigSchema, {
    ...source,
    value: { servers: table },
    locate: (path, options) => source.locate([key, ...path.slice(1)], options),
  });
}
