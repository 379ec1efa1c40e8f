/**
 * Where `palisade mcp proxy` finds its upstream servers: the `mcp:` section of Palisade's own
 * configuration (`--config`), or a client's configuration file as it is (`--servers FILE`: a
 * Claude Desktop, Cursor or VS Code file with an `mcpServers` or `servers` table).
 */
import { readFileSync } from "node:fs";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import {
  type McpConfig,
  McpConfigSchema,
  type McpUpstreamConfig,
  PalisadeError,
  parseYamlSource,
  validateYaml,
  type YamlSource,
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
  const source = /\.jsonc?$/i.test(file) ? jsoncSource(text, file) : parseYamlSource(text, file);
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

/**
 * VS Code's `mcp.json` and Cursor's files are JSONC (comments, trailing commas), which neither
 * JSON.parse nor a YAML parser accepts: read with VS Code's own parser, errors with their line.
 */
function jsoncSource(text: string, file: string): YamlSource {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split("\n").length;
    throw new PalisadeError("bad-input", `${file}:${line}: not valid JSON (${printParseErrorCode(first.error)})`, {
      input: file,
    });
  }
  return { file, value, locate: () => undefined };
}
