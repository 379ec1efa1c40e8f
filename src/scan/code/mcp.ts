/**
 * MCP client configurations: Claude Desktop (`claude_desktop_config.json`), Claude Code
 * (`.mcp.json`), Cursor (`.cursor/mcp.json`), VS Code (`.vscode/mcp.json`, key `servers`),
 * Windsurf (`mcp_config.json`), Cline and generic `mcp.json`. Each server becomes an entry with
 * its transport and command or URL; servers launched from an unpinned package are findings.
 */
import type { Finding } from "../../core/index.js";

/** One MCP server: configured for a client, or implemented in this repository. */
export interface McpServerEntry {
  name: string;
  transport: "stdio" | "http" | "sse" | "implemented";
  command?: string;
  args?: string[];
  url?: string;
  /** The package a stdio server is launched from (`npx pkg@1.2`, `uvx pkg==1.2`), when known. */
  package?: string;
  version?: string;
  file: string;
  line?: number;
  tools?: string[];
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const LAUNCHERS = new Set(["npx", "bunx", "pnpx", "uvx", "pipx", "pnpm", "yarn", "npm", "bun"]);

/** The package a launcher command runs, with its version when pinned. */
export function launchedPackage(
  command: string,
  args: readonly string[],
): { name: string; version?: string } | undefined {
  const bin = command.split(/[\\/]/).pop() ?? command;
  if (!LAUNCHERS.has(bin)) {
    if (bin === "docker") {
      const image = args.find(
        (a, i) => i > 0 && !a.startsWith("-") && /[/:]/.test(a) && args[i - 1] !== "-e" && args[i - 1] !== "-v",
      );
      if (!image) return undefined;
      const digest = image.indexOf("@");
      if (digest > 0) return { name: image.slice(0, digest), version: image.slice(digest + 1) };
      const at = image.lastIndexOf(":");
      return at > image.lastIndexOf("/") ? { name: image.slice(0, at), version: image.slice(at + 1) } : { name: image };
    }
    return undefined;
  }
  const rest = args.filter((a) => !a.startsWith("-") && a !== "dlx" && a !== "exec" && a !== "run" && a !== "x");
  const spec = rest[0];
  if (!spec) return undefined;
  if (bin === "uvx" || bin === "pipx") {
    const m = /^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?(?:==([^\s]+))?$/.exec(spec);
    const from = args.indexOf("--from");
    if (from >= 0 && args[from + 1]) return launchedPackage(command, [args[from + 1] ?? ""]);
    return m?.[1] ? { name: m[1], ...(m[2] ? { version: m[2] } : {}) } : undefined;
  }
  const at = spec.indexOf("@", 1);
  if (at < 0) return { name: spec };
  const version = spec.slice(at + 1);
  return { name: spec.slice(0, at), ...(version && version !== "latest" ? { version } : {}) };
}

function lineOf(text: string, needle: string): number | undefined {
  const index = text.indexOf(needle);
  if (index < 0) return undefined;
  return text.slice(0, index).split("\n").length;
}

/** Parse an MCP client config; throws on malformed JSON (the caller records a note). */
export function parseMcpConfig(text: string, file: string): { servers: McpServerEntry[]; findings: Finding[] } {
  const doc = JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  const servers: McpServerEntry[] = [];
  const findings: Finding[] = [];
  if (!isTable(doc)) return { servers, findings };
  const table = isTable(doc.mcpServers) ? doc.mcpServers : isTable(doc.servers) ? doc.servers : undefined;
  if (!table) return { servers, findings };
  for (const [name, raw] of Object.entries(table)) {
    if (!isTable(raw)) continue;
    const line = lineOf(text, `"${name}"`);
    const url = typeof raw.url === "string" ? raw.url : typeof raw.serverUrl === "string" ? raw.serverUrl : undefined;
    if (url) {
      const type = typeof raw.type === "string" ? raw.type : typeof raw.transport === "string" ? raw.transport : "";
      servers.push({ name, transport: /sse/i.test(type) ? "sse" : "http", url, file, ...(line ? { line } : {}) });
      continue;
    }
    if (typeof raw.command !== "string") continue;
    const args = Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === "string") : [];
    const pkg = launchedPackage(raw.command, args);
    servers.push({
      name,
      transport: "stdio",
      command: raw.command,
      args,
      ...(pkg ? { package: pkg.name, ...(pkg.version ? { version: pkg.version } : {}) } : {}),
      file,
      ...(line ? { line } : {}),
    });
    if (pkg && !pkg.version && !pkg.name.includes("@sha256")) {
      findings.push({
        ruleId: "code.mcp-unpinned-server",
        severity: "medium",
        title: `MCP server "${name}" runs ${pkg.name} without a pinned version`,
        detail: `${raw.command} ${args.join(" ")} fetches whatever version is latest at launch; pin it (pkg@1.2.3, pkg==1.2.3, image@sha256:...).`,
        location: { path: file, ...(line ? { line } : {}) },
        references: ["https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices"],
        owasp: ["LLM03:2025", "LLM06:2025"],
        atlas: ["AML.T0010"],
        fingerprint: `code.mcp-unpinned-server:${file}:${name}`,
        component: pkg.name,
      });
    }
  }
  return { servers, findings };
}
