/**
 * Where MCP clients keep their server configurations, for the current user and for a project:
 * one table of data, one function that turns it into paths. Pure (no file system access): the
 * caller checks which candidates exist, so tests point `home` and `project` anywhere.
 *
 * Sources, read when this table was written:
 * - Claude Desktop: macOS `~/Library/Application Support/Claude/claude_desktop_config.json`,
 *   Windows `%APPDATA%\Claude\claude_desktop_config.json` (modelcontextprotocol.io quickstart
 *   "For Claude Desktop users"; playwright.dev/mcp/clients/claude-desktop). Anthropic ships no
 *   Linux build; the community builds keep Electron's appData convention, `~/.config/Claude/`.
 * - Claude Code: `~/.claude.json` holds user-scope servers (`mcpServers`) and local-scope ones
 *   (`projects.<dir>.mcpServers`); project scope is `.mcp.json` at the project root
 *   (code.claude.com/docs/en/mcp, "MCP installation scopes").
 * - Cursor: `~/.cursor/mcp.json` (global) and `.cursor/mcp.json` (project), table `mcpServers`
 *   (cursor.com/docs/mcp).
 * - VS Code: `.vscode/mcp.json` in the workspace and `mcp.json` in the user profile, table
 *   `servers`; the portable Copilot format is `.mcp.json` at the workspace root and
 *   `$COPILOT_HOME/mcp-config.json`, falling back to `~/.copilot/mcp-config.json`
 *   (code.visualstudio.com/docs/agents/reference/mcp-configuration). The user profile lives in
 *   Electron's appData: `~/.config/Code/User` (Linux), `~/Library/Application Support/Code/User`
 *   (macOS), `%APPDATA%\Code\User` (Windows). Before `mcp.json`, servers sat in an `mcp` section
 *   of `settings.json` (docker/docs commit 3712a39 moved its instructions from one to the other).
 * - Windsurf: `~/.codeium/windsurf/mcp_config.json` on every platform, table `mcpServers`,
 *   remote servers under `serverUrl` (docs.windsurf.com/windsurf/cascade/mcp).
 */
import { posix, win32 } from "node:path";

/** The clients whose configuration files are looked for. */
export const MCP_CLIENTS = [
  "claude-desktop",
  "claude-code",
  "cursor",
  "vscode",
  "vscode-insiders",
  "copilot",
  "windsurf",
  "project",
] as const;
export type McpClientId = (typeof MCP_CLIENTS)[number];

/** Where a path in the table starts. `appData` is Electron's: the per-user application data folder. */
type Base = "home" | "appData" | "copilotHome" | "project";

interface LocationRule {
  client: McpClientId;
  scope: "user" | "project";
  base: Base;
  segments: readonly string[];
}

/** Every known location, in the order they are reported. */
const LOCATIONS: readonly LocationRule[] = [
  { client: "claude-desktop", scope: "user", base: "appData", segments: ["Claude", "claude_desktop_config.json"] },
  { client: "claude-code", scope: "user", base: "home", segments: [".claude.json"] },
  { client: "cursor", scope: "user", base: "home", segments: [".cursor", "mcp.json"] },
  { client: "vscode", scope: "user", base: "appData", segments: ["Code", "User", "mcp.json"] },
  { client: "vscode", scope: "user", base: "appData", segments: ["Code", "User", "settings.json"] },
  { client: "vscode-insiders", scope: "user", base: "appData", segments: ["Code - Insiders", "User", "mcp.json"] },
  { client: "copilot", scope: "user", base: "copilotHome", segments: ["mcp-config.json"] },
  { client: "windsurf", scope: "user", base: "home", segments: [".codeium", "windsurf", "mcp_config.json"] },
  { client: "claude-code", scope: "project", base: "project", segments: [".mcp.json"] },
  { client: "cursor", scope: "project", base: "project", segments: [".cursor", "mcp.json"] },
  { client: "vscode", scope: "project", base: "project", segments: [".vscode", "mcp.json"] },
  { client: "vscode", scope: "project", base: "project", segments: [".vscode", "settings.json"] },
  { client: "project", scope: "project", base: "project", segments: ["mcp.json"] },
];

/** One place a client may keep its MCP servers. */
export interface ClientConfigLocation {
  client: McpClientId;
  scope: "user" | "project";
  path: string;
}

export interface LocationOptions {
  /** The user's home folder (`os.homedir()` in the CLI; a temporary folder in tests). */
  home: string;
  /** The project folder whose own configs are looked for; none when undefined. */
  project?: string;
  platform: NodeJS.Platform;
  /** `APPDATA` (Windows), `XDG_CONFIG_HOME` (Linux) and `COPILOT_HOME`, when set. */
  env?: { APPDATA?: string; XDG_CONFIG_HOME?: string; COPILOT_HOME?: string };
}

/** Electron's `appData` folder for the platform, which Claude Desktop and VS Code keep their files in. */
function appDataOf(options: LocationOptions): string {
  const path = options.platform === "win32" ? win32 : posix;
  if (options.platform === "win32") return options.env?.APPDATA || path.join(options.home, "AppData", "Roaming");
  if (options.platform === "darwin") return path.join(options.home, "Library", "Application Support");
  return options.env?.XDG_CONFIG_HOME || path.join(options.home, ".config");
}

/** The candidate config files for a user (and a project), whether or not they exist. */
export function clientConfigLocations(options: LocationOptions): ClientConfigLocation[] {
  const path = options.platform === "win32" ? win32 : posix;
  const bases: Record<Base, string | undefined> = {
    home: options.home,
    appData: appDataOf(options),
    copilotHome: options.env?.COPILOT_HOME || path.join(options.home, ".copilot"),
    project: options.project,
  };
  const seen = new Set<string>();
  const out: ClientConfigLocation[] = [];
  for (const rule of LOCATIONS) {
    const base = bases[rule.base];
    if (base === undefined) continue;
    const file = path.join(base, ...rule.segments);
    // A project folder that is the home folder names `~/.mcp.json` once, not twice.
    if (seen.has(file)) continue;
    seen.add(file);
    out.push({ client: rule.client, scope: rule.scope, path: file });
  }
  return out;
}
