/**
 * MCP client configurations, found by name (Claude Desktop's `claude_desktop_config.json`,
 * Claude Code's `.mcp.json`, Cursor's and VS Code's `mcp.json`, Windsurf's `mcp_config.json`,
 * Cline's settings) or by content in any JSON/JSONC, YAML, TOML or `.properties` file: an
 * `mcpServers` table (or list), `servers` in an MCP file or under `mcp` (VS Code), Zed's
 * `context_servers`, opencode's `mcp`, Codex's `[mcp_servers.NAME]`, Spring AI's
 * `spring.ai.mcp.client.*.connections`, goose's `extensions`. Each server becomes an entry with its transport and
 * command or URL. Findings: a server launched from an unpinned package, and a literal
 * credential in a server's env, headers, arguments or URL. A Spring AI `spring.ai.mcp.server`
 * block is an MCP server this repository implements, kept apart from the configured ones.
 */
import type { Finding } from "../../core/index.js";
import type { TextDetector } from "../../detect/index.js";
import { formatOfFile, type McpDocument, type McpDocumentFormat, readMcpDocument } from "./mcp-document.js";
import { type ServerValue, serverSecretFindings } from "./mcp-secrets.js";
import { renderTemplateShape } from "./template-text.js";

/**
 * One MCP server configured for a client (a server this repository talks to). `builtin`: a server
 * the client ships and runs in its own process, configured by name (mcphost's `type: builtin`).
 */
export interface McpServerEntry {
  name: string;
  transport: "stdio" | "http" | "sse" | "builtin";
  command?: string;
  args?: string[];
  url?: string;
  /** The package a stdio server is launched from (`npx pkg@1.2`, `uvx pkg==1.2`), when known. */
  package?: string;
  version?: string;
  file: string;
  line?: number;
  /** The client whose config names it, when the file says (`vscode`, `zed`, `codex`, `spring-ai`...). */
  client?: string;
  /** Present and true when the config turns the server off (`disabled: true`, `enabled: false`). */
  disabled?: boolean;
}

/** One MCP server this repository implements (in code, or declared by a framework's config). */
export interface McpImplementation {
  name: string;
  file: string;
  line?: number;
  /** The SDK or framework it is built with (`fastmcp`, `@modelcontextprotocol/sdk`, `spring-ai`). */
  sdk?: string;
  tools: string[];
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

/** What reading one config yields: configured servers, implemented ones, findings. */
export interface McpConfigResult {
  servers: McpServerEntry[];
  implementations: McpImplementation[];
  findings: Finding[];
}

export interface McpConfigOptions {
  /** Path relative to the scanned root; its name picks the format and hints at the client. */
  file: string;
  /** Secrets detector for credentials in env, headers, arguments and URLs. */
  secrets?: TextDetector;
  /** The document's format when the file's name does not say it (a script's YAML front matter). */
  format?: McpDocumentFormat;
}

/** Servers read from one file at most; a config with more is not a hand-written client config. */
export const MAX_MCP_SERVERS = 1000;

/** Keys that hold MCP servers in any file. */
const SERVER_TABLE_KEYS = new Set(["mcpServers", "mcp_servers", "mcp-servers", "context_servers"]);

/** Cheap test run before parsing a general config file: every MCP key names MCP or context servers. */
export function mayHoldMcpConfig(text: string): boolean {
  return /mcp|context_servers|^extensions:|serverInfo/im.test(text);
}

/**
 * A file named as an MCP config, where a top-level `servers` table holds servers too: `mcp` in
 * its name, or a file of a folder named for MCP (`pkg/mcp/default_config.yaml`, `mcp-config/servers.json`).
 */
function isMcpFileName(file: string): boolean {
  const slash = file.lastIndexOf("/");
  const name = file.slice(slash + 1).toLowerCase();
  const folder = slash < 0 ? "" : file.slice(file.lastIndexOf("/", slash - 1) + 1, slash).toLowerCase();
  return /mcp/.test(name) || /(?:^|[-_.])mcp(?:[-_.]|$)/.test(folder);
}

function clientOf(file: string, key: string): string | undefined {
  // chezmoi spells a leading dot `dot_` (`dot_cursor/mcp.json`).
  const lower = file.toLowerCase().replace(/(^|\/)(?:private_)?dot_/g, "$1.");
  if (key.startsWith("amp.")) return "amp";
  if (key === "context_servers") return "zed";
  if (key === "mcp_servers" || lower.includes("codex")) return "codex";
  if (key === "mcp") return "opencode";
  if (key === "extensions") return "goose";
  if (lower.endsWith("claude_desktop_config.json")) return "claude-desktop";
  if (lower.includes(".vscode/") || key === "servers") return "vscode";
  if (lower.includes(".cursor/")) return "cursor";
  if (lower.endsWith("mcp_config.json")) return "windsurf";
  if (lower.includes("cline")) return "cline";
  if (lower.endsWith(".mcp.json") || lower.includes(".claude")) return "claude-code";
  if (lower.includes(".gemini/")) return "gemini-cli";
  if (lower.includes(".continue/")) return "continue";
  return undefined;
}

function stringsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((a): a is string => typeof a === "string");
  // `.properties` lists arrive as tables keyed 0, 1, 2...
  if (isTable(value))
    return Object.entries(value)
      .filter(([k, v]) => /^\d+$/.test(k) && typeof v === "string")
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v as string);
  return [];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The command and arguments of a server object, in each client's spelling. */
interface Launch {
  command: string;
  args: string[];
  env?: Table;
  /** The package the entry names, when it has no launcher command to read it from. */
  package?: { name: string; version?: string };
}

function commandOf(raw: Table): Launch | undefined {
  // goose: `cmd: npx`.
  const command = raw.command ?? raw.cmd;
  if (typeof command === "string" && command.trim() !== "") return { command, args: stringsOf(raw.args) };
  // opencode: `command: ["npx", "-y", "pkg"]`.
  if (Array.isArray(command)) {
    const [first, ...rest] = stringsOf(command);
    return first ? { command: first, args: [...rest, ...stringsOf(raw.args)] } : undefined;
  }
  // Zed (older settings): `command: { path, args, env }`.
  if (isTable(command) && typeof command.path === "string")
    return {
      command: command.path,
      args: stringsOf(command.args),
      ...(isTable(command.env) ? { env: command.env } : {}),
    };
  return undefined;
}

/**
 * A server whose entry says `transport`/`type: "stdio"` without a `command`: shared manifests
 * that a launcher script or the client itself runs (`{ transport: stdio, launcher: x.mjs,
 * package: github-mcp }`). The launcher (or the package) stands in for the command.
 */
function declaredStdio(raw: Table): Launch | undefined {
  const type = stringOf(raw.transport) ?? stringOf(raw.type);
  if (type?.toLowerCase() !== "stdio") return undefined;
  const pkg = stringOf(raw.package);
  const launcher = stringOf(raw.launcher) ?? stringOf(raw.script) ?? stringOf(raw.entrypoint) ?? stringOf(raw.bin);
  const command = launcher ?? pkg;
  if (!command) return undefined;
  const at = pkg ? pkg.indexOf("@", 1) : -1;
  const version = pkg && at > 0 ? pkg.slice(at + 1) : undefined;
  return {
    command,
    args: stringsOf(raw.args),
    ...(pkg
      ? { package: { name: at > 0 ? pkg.slice(0, at) : pkg, ...(version && version !== "latest" ? { version } : {}) } }
      : {}),
  };
}

const URL_KEYS = ["url", "serverUrl", "httpUrl", "uri"] as const;
/** A server entry's type for a server built into the client (mcphost: `type: builtin`, `name: fs`). */
const BUILTIN_TYPE = /^(?:builtin|built-in|inprocess|in-process)$/i;
const NAMED_VALUE_FIELDS: readonly (readonly [string, string])[] = [
  ["env", "env"],
  ["environment", "env"],
  ["headers", "headers"],
  ["http_headers", "headers"],
  ["requestInit", "headers"],
];

interface Located {
  doc: McpDocument;
  file: string;
  secrets?: TextDetector;
  client?: string;
}

/** One server object at `path` (the path of its entry), or undefined when it is no server. */
function readServer(
  name: string,
  raw: Table,
  path: readonly (string | number)[],
  at: Located,
): { server: McpServerEntry; findings: Finding[] } | undefined {
  const url = URL_KEYS.map((k) => stringOf(raw[k])).find((u) => u !== undefined);
  const launch = url ? undefined : (commandOf(raw) ?? declaredStdio(raw));
  const builtin = !url && !launch && BUILTIN_TYPE.test(stringOf(raw.type) ?? stringOf(raw.transport) ?? "");
  // Zed runs a context server an extension provides from the extension's own command; the user's
  // settings only name it and configure it (`"source": "extension"`, `"settings": {...}`,
  // https://zed.dev/docs/ai/mcp).
  const extension =
    !url && !launch && !builtin && at.client === "zed" && (raw.source === "extension" || isTable(raw.settings));
  if (!url && !launch && !builtin && !extension) return undefined;
  const line = at.doc.lineOf(path);
  const disabled = raw.disabled === true || raw.enabled === false || raw.disabled === "true" || raw.enabled === "false";
  const base = {
    name,
    file: at.file,
    ...(line ? { line } : {}),
    ...(at.client ? { client: at.client } : {}),
    ...(disabled ? { disabled: true } : {}),
  };
  const findings: Finding[] = [];
  let server: McpServerEntry;
  if (builtin) server = { ...base, transport: "builtin" };
  else if (extension) server = { ...base, transport: "stdio" };
  else if (url) {
    const type = stringOf(raw.type) ?? stringOf(raw.transport) ?? "";
    server = { ...base, transport: /sse/i.test(type) ? "sse" : "http", url };
  } else if (launch) {
    const launched = launchedPackage(launch.command, launch.args);
    const pkg = launched ?? launch.package;
    server = {
      ...base,
      transport: "stdio",
      command: launch.command,
      args: launch.args,
      ...(pkg ? { package: pkg.name, ...(pkg.version ? { version: pkg.version } : {}) } : {}),
    };
    if (launched && !launched.version && !launched.name.includes("@sha256"))
      findings.push({
        ruleId: "code.mcp-unpinned-server",
        severity: "medium",
        title: `MCP server "${name}" runs ${launched.name} without a pinned version`,
        detail: `${launch.command} ${launch.args.join(" ")} fetches whatever version is latest at launch; pin it (pkg@1.2.3, pkg==1.2.3, image@sha256:...).`,
        location: { path: at.file, ...(line ? { line } : {}) },
        references: ["https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices"],
        owasp: ["LLM03:2025", "LLM06:2025"],
        atlas: ["AML.T0010"],
        fingerprint: `code.mcp-unpinned-server:${at.file}:${name}`,
        component: launched.name,
      });
  } else return undefined;

  const values: ServerValue[] = [];
  const named = (table: Table, field: string, tablePath: readonly (string | number)[]) => {
    for (const [key, value] of Object.entries(table)) {
      if (typeof value !== "string") continue;
      const valueLine = at.doc.lineOf([...tablePath, key]) ?? line;
      values.push({ field, key, value, ...(valueLine ? { line: valueLine } : {}) });
    }
  };
  for (const [key, field] of NAMED_VALUE_FIELDS) {
    const table = raw[key];
    if (!isTable(table)) continue;
    // fetch-style `requestInit: { headers: {...} }` (Spring AI, TypeScript clients).
    if (key === "requestInit") {
      if (isTable(table.headers)) named(table.headers, field, [...path, key, "headers"]);
    } else named(table, field, [...path, key]);
  }
  if (launch?.env) named(launch.env, "env", [...path, "command", "env"]);
  if (launch)
    launch.args.forEach((value, i) => {
      values.push({
        field: "args",
        key: String(i),
        value,
        ...(line ? { line: at.doc.lineOf([...path, "args", i]) ?? line } : {}),
      });
    });
  if (url) values.push({ field: "url", key: "url", value: url, ...(line ? { line } : {}) });
  findings.push(
    ...serverSecretFindings({ server: name, file: at.file, values, ...(at.secrets ? { secrets: at.secrets } : {}) }),
  );
  return { server, findings };
}

/** Servers in a table (`name: {...}`) or a list (`[{ name, ... }]`) at `path`. */
function readServerTable(value: unknown, path: readonly (string | number)[], at: Located, into: McpConfigResult): void {
  const entries: [string, Table, readonly (string | number)[]][] = [];
  if (isTable(value))
    for (const [name, raw] of Object.entries(value)) {
      if (isTable(raw)) entries.push([name, raw, [...path, name]]);
    }
  else if (Array.isArray(value))
    value.forEach((raw, i) => {
      if (isTable(raw) && typeof raw.name === "string") entries.push([raw.name, raw, [...path, i]]);
    });
  for (const [name, raw, entryPath] of entries) {
    if (into.servers.length >= MAX_MCP_SERVERS) return;
    const read = readServer(name, raw, entryPath, at);
    if (!read) continue;
    into.servers.push(read.server);
    into.findings.push(...read.findings);
  }
}

/**
 * Spring AI (https://docs.spring.io/spring-ai/reference/api/mcp/): client connections under
 * `spring.ai.mcp.client.{sse,streamable-http,stdio}.connections.NAME`, and the server this
 * application exposes under `spring.ai.mcp.server.name`.
 */
function readSpring(value: Table, at: Located, into: McpConfigResult): void {
  const spring = value.spring;
  const ai = isTable(spring) ? spring.ai : undefined;
  const mcp = isTable(ai) ? ai.mcp : undefined;
  if (!isTable(mcp)) return;
  const base = ["spring", "ai", "mcp"];
  const client = mcp.client;
  if (isTable(client) && client.enabled !== "false" && client.enabled !== false)
    for (const [kind, block] of Object.entries(client)) {
      if (!isTable(block) || !isTable(block.connections)) continue;
      const isSse = kind === "sse";
      const isHttp = /^streamable[-_]?http$/i.test(kind);
      if (!isSse && !isHttp && kind !== "stdio") continue;
      for (const [name, raw] of Object.entries(block.connections)) {
        if (!isTable(raw)) continue;
        const path = [...base, "client", kind, "connections", name];
        let server: Table = raw;
        const url = stringOf(raw.url);
        if (url) {
          const endpoint = stringOf(isSse ? (raw["sse-endpoint"] ?? raw.sseEndpoint) : raw.endpoint);
          server = {
            ...raw,
            url: endpoint ? `${url.replace(/\/+$/, "")}/${endpoint.replace(/^\/+/, "")}` : url,
            type: isSse ? "sse" : "http",
          };
        }
        const read = readServer(name, server, path, { ...at, client: "spring-ai" });
        if (!read) continue;
        into.servers.push(read.server);
        into.findings.push(...read.findings);
      }
    }
  const server = mcp.server;
  if (isTable(server) && server.enabled !== "false" && server.enabled !== false) {
    const name = stringOf(server.name);
    if (name) {
      const line = at.doc.lineOf([...base, "server", "name"]);
      into.implementations.push({ name, file: at.file, ...(line ? { line } : {}), sdk: "spring-ai", tools: [] });
    }
  }
}

/** Keys of one Quarkus LangChain4j MCP client (`quarkus.langchain4j.mcp.NAME.KEY`). */
const QUARKUS_MCP_CLIENT_KEY =
  /^(transport-type|command|url|environment|log-requests|log-responses|tool-execution-timeout|resources-timeout|ping-timeout|headers|tls-configuration-name|cache-tool-list|microprofile-health-check[\w-]*)$/;

/**
 * Quarkus LangChain4j (https://docs.quarkiverse.io/quarkus-langchain4j/dev/mcp.html): one client
 * connection per `quarkus.langchain4j.mcp.NAME` (`transport-type`, `command` as a comma-separated
 * list, `url`), in `application.properties` and in its profile files, which may only tune a server
 * the main file defines (`application-dev.properties` turning on its request logs); and the server
 * a Quarkus MCP server application exposes (https://docs.quarkiverse.io/quarkus-mcp-server/dev/):
 * `quarkus.mcp.server[.NAME].server-info.name`.
 */
function readQuarkus(value: Table, at: Located, into: McpConfigResult): void {
  const quarkus = value.quarkus;
  if (!isTable(quarkus)) return;
  const langchain4j = quarkus.langchain4j;
  const clients = isTable(langchain4j) ? langchain4j.mcp : undefined;
  if (isTable(clients))
    for (const [name, raw] of Object.entries(clients)) {
      if (!isTable(raw) || !Object.keys(raw).some((k) => QUARKUS_MCP_CLIENT_KEY.test(k))) continue;
      // The general walk may have taken the table already, with Quarkus' comma-separated command whole.
      const seen = into.servers.findIndex((s) => s.name === name && s.file === at.file);
      if (seen < 0 && into.servers.length >= MAX_MCP_SERVERS) break;
      const path = ["quarkus", "langchain4j", "mcp", name];
      const type = stringOf(raw["transport-type"]) ?? "";
      const command = stringOf(raw.command);
      const table: Table =
        command?.includes(",") && raw.args === undefined
          ? { ...raw, command: command.split(",")[0] ?? command, args: command.split(",").slice(1) }
          : raw;
      const read = readServer(name, { ...table, type }, path, { ...at, client: "quarkus-langchain4j" });
      if (read) {
        if (seen >= 0) into.servers[seen] = read.server;
        else {
          into.servers.push(read.server);
          into.findings.push(...read.findings);
        }
        continue;
      }
      if (seen >= 0) continue;
      const line = at.doc.lineOf(path) ?? at.doc.lineOf([...path, Object.keys(raw)[0] ?? ""]);
      into.servers.push({
        name,
        transport: /stdio/i.test(type) ? "stdio" : /sse/i.test(type) ? "sse" : "http",
        file: at.file,
        ...(line ? { line } : {}),
        client: "quarkus-langchain4j",
      });
    }
  const mcp = quarkus.mcp;
  const server = isTable(mcp) ? mcp.server : undefined;
  if (!isTable(server)) return;
  const named: [string | undefined, Table][] = [[undefined, server]];
  for (const [key, child] of Object.entries(server))
    if (isTable(child) && key !== "server-info") named.push([key, child]);
  for (const [key, block] of named) {
    const info = block["server-info"];
    const name = isTable(info) ? stringOf(info.name) : undefined;
    if (!name) continue;
    const path = ["quarkus", "mcp", "server", ...(key ? [key] : []), "server-info", "name"];
    const line = at.doc.lineOf(path);
    into.implementations.push({ name, file: at.file, ...(line ? { line } : {}), sdk: "quarkus-mcp-server", tools: [] });
  }
}

/**
 * A server defined as data: a document whose top level is the `serverInfo` an MCP server answers
 * `initialize` with (`{ name, version }`, the protocol's Implementation) beside the `tools` it
 * serves (a declarative test server's config). The server this repository implements.
 */
function readServerDefinition(value: Table, at: Located, into: McpConfigResult): void {
  const info = value.serverInfo;
  if (!isTable(info) || !Array.isArray(value.tools)) return;
  const name = stringOf(info.name);
  if (!name || stringOf(info.version) === undefined) return;
  const tools = value.tools
    .map((t) => (isTable(t) ? (stringOf(t.name) ?? stringOf(t.preset)) : undefined))
    .filter((t): t is string => t !== undefined);
  const line = at.doc.lineOf(["serverInfo", "name"]);
  into.implementations.push({ name, file: at.file, ...(line ? { line } : {}), tools });
}

/** Walk a document for server tables, a few levels deep (`projects.<dir>.mcpServers`, `mcp.servers`). */
function findServerTables(value: unknown, at: Located, into: McpConfigResult): void {
  const mcpFile = isMcpFileName(at.file);
  const before = into.servers.length;
  const visit = (node: unknown, path: readonly (string | number)[], depth: number) => {
    // A list of tables (Claude Code's plugin marketplace: `plugins: [{ name, mcpServers }]`).
    if (Array.isArray(node)) {
      if (depth < 3)
        for (const [i, item] of node.slice(0, MAX_MCP_SERVERS).entries()) {
          // A tool list's MCP entry (a Codex skill's `dependencies.tools: [{ type: mcp, value: NAME, url }]`).
          const name = isTable(item) && item.type === "mcp" ? (stringOf(item.name) ?? stringOf(item.value)) : undefined;
          const read = name && isTable(item) ? readServer(name, item, [...path, i], at) : undefined;
          if (read && into.servers.length < MAX_MCP_SERVERS) {
            into.servers.push(read.server);
            into.findings.push(...read.findings);
          } else visit(item, [...path, i], depth + 1);
        }
      return;
    }
    if (!isTable(node)) return;
    for (const [key, child] of Object.entries(node)) {
      const parent = path[path.length - 1];
      // `MCP_SERVERS: '[{"name": ..., "url": ...}]'`: the table kept as JSON in an environment
      // variable (a Helm chart's `envVars`, a Compose `environment`), read as if written in place.
      const inString = typeof child === "string" && SERVER_TABLE_KEYS.has(key.toLowerCase());
      if (inString) {
        const table = jsonInString(child);
        if (table !== undefined) {
          const keyPath = [...path, key];
          const doc = { value: table, lineOf: () => at.doc.lineOf(keyPath) };
          const client = at.client ?? clientOf(at.file, key);
          readServerTable(table, keyPath, { ...at, doc, ...(client ? { client } : {}) }, into);
        }
        continue;
      }
      // A settings file with flat dotted keys (Amp's `"amp.mcpServers"`, VS Code's `"mcp.servers"`).
      const dotted = key.includes(".") ? key.split(".").slice(-2) : undefined;
      const holdsServers =
        SERVER_TABLE_KEYS.has(key) ||
        (dotted !== undefined &&
          (SERVER_TABLE_KEYS.has(dotted[1] ?? "") || (dotted[0] === "mcp" && dotted[1] === "servers"))) ||
        (key === "extensions" && isGooseExtensions(child)) ||
        (key === "servers" && (parent === "mcp" || (mcpFile && depth === 0))) ||
        (key === "mcp" && isTable(child));
      if (holdsServers) {
        const client = at.client ?? clientOf(at.file, key);
        readServerTable(child, [...path, key], { ...at, ...(client ? { client } : {}) }, into);
      }
      if (depth < 3 && (isTable(child) || Array.isArray(child)) && !SERVER_TABLE_KEYS.has(key))
        visit(child, [...path, key], depth + 1);
    }
  };
  visit(value, [], 0);
  // An MCP-named file that is the server table itself (`.codex-mcp.json`: `{ "arxiv": { "command": ... } }`):
  // read its top level when no table key held servers and every entry there is a server entry.
  // Any other file may be such a table too (a server library that a script merges into
  // `~/.claude.json`) when every entry also says MCP: an MCP transport type or `mcp` in its launch.
  if (
    into.servers.length === before &&
    isTable(value) &&
    isBareServerTable(value) &&
    (mcpFile || Object.values(value).every(saysMcp))
  ) {
    const client = at.client ?? clientOf(at.file, "");
    readServerTable(value, [], { ...at, ...(client ? { client } : {}) }, into);
  }
  // A file of an MCP folder that is one server's entry, named by the file (a sync repository keeping
  // Zed's `context_servers` as `mcp/<name>.json`, each holding only that server's value).
  if (into.servers.length === before && isTable(value) && isMcpFolderFile(at.file)) readServerFile(value, at, into);
}

/** An MCP transport named in an entry's `type` or `transport`. */
const MCP_TRANSPORT = /^(?:stdio|sse|http|streamable[-_]?https?|streamableHttp)$/i;

/** True when a server entry says MCP: its transport type, or `mcp` in its command, arguments or URL. */
function saysMcp(entry: unknown): boolean {
  if (!isTable(entry)) return false;
  if (MCP_TRANSPORT.test(stringOf(entry.type) ?? stringOf(entry.transport) ?? "")) return true;
  const launch = [stringOf(entry.command), ...stringsOf(entry.args), ...URL_KEYS.map((k) => stringOf(entry[k]))];
  return launch.some((s) => s !== undefined && /mcp/i.test(s));
}

/** A file directly in a folder named for MCP (`config/mcp/playwright.json`). */
function isMcpFolderFile(file: string): boolean {
  const slash = file.lastIndexOf("/");
  const folder = slash < 0 ? "" : file.slice(file.lastIndexOf("/", slash - 1) + 1, slash).toLowerCase();
  return /(?:^|[-_.])mcp(?:[-_.]|$)/.test(folder);
}

/**
 * One server's entry as a whole file, its name the file's stem: a `command` or URL, or Zed's entry
 * for a server an extension provides (`{ "enabled": true, "remote": false, "settings": {...} }`).
 */
function readServerFile(value: Table, at: Located, into: McpConfigResult): void {
  const base = at.file.slice(at.file.lastIndexOf("/") + 1);
  const name = base.includes(".") ? base.slice(0, base.lastIndexOf(".")) : base;
  if (!/^[\w.@-]{1,100}$/.test(name)) return;
  const zed = isTable(value.settings) && (typeof value.enabled === "boolean" || typeof value.remote === "boolean");
  const client = at.client ?? (zed ? "zed" : undefined);
  const read = readServer(name, value, [], { ...at, ...(client ? { client } : {}) });
  if (!read) return;
  into.servers.push(read.server);
  into.findings.push(...read.findings);
}

/** Longest string read as a JSON server table. */
const MAX_JSON_IN_STRING = 256 * 1024;

/** A JSON object or array kept in a string value, or undefined when the string is not one. */
function jsonInString(value: string): unknown {
  if (value.length > MAX_JSON_IN_STRING || !/^\s*[[{]/.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * goose's `extensions` (https://block.github.io/goose/docs/guides/config-file): a table of
 * entries each with a `type` of goose's extension kinds (`stdio` with `cmd`, `sse` or
 * `streamable_http` with `uri`, `builtin` by name), one of them at least an MCP server.
 */
const GOOSE_TYPES = /^(?:stdio|sse|streamable_http|builtin|platform|frontend|inline_python)$/;
function isGooseExtensions(value: unknown): boolean {
  if (!isTable(value)) return false;
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every((e) => isTable(e) && typeof e.type === "string" && GOOSE_TYPES.test(e.type)) &&
    entries.some((e) => isTable(e) && (typeof e.cmd === "string" || typeof e.uri === "string" || e.type === "builtin"))
  );
}

/** Keys that only a server entry has. */
const SERVER_ENTRY_KEYS = ["command", "url", "serverUrl", "httpUrl"];

/** A table all of whose values are server entries (a `command` or a URL), one at least. */
function isBareServerTable(value: Table): boolean {
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every((entry) => isTable(entry) && SERVER_ENTRY_KEYS.some((k) => typeof entry[k] === "string"))
  );
}

/** Docker's MCP gateway image (`docker/mcp-gateway:latest`) or its CLI (`docker mcp gateway run`). */
const DOCKER_GATEWAY_IMAGE = /(?:^|\/)mcp-gateway(?:[:@]|$)/;
const DOCKER_GATEWAY_RUN = /\bmcp\s+gateway\s+run\b/;

/**
 * Docker's MCP gateway (https://github.com/docker/mcp-gateway) run as a Compose service: it
 * starts the catalog's servers named by `--servers=a,b` (or `--servers a,b`) in its command,
 * each one a server the application configures.
 */
function readDockerGateway(value: Table, at: Located, into: McpConfigResult): void {
  const services = value.services;
  if (!isTable(services)) return;
  for (const [service, raw] of Object.entries(services)) {
    if (!isTable(raw)) continue;
    const image = stringOf(raw.image) ?? "";
    const command = typeof raw.command === "string" ? raw.command.split(/\s+/) : stringsOf(raw.command);
    const entrypoint = typeof raw.entrypoint === "string" ? raw.entrypoint.split(/\s+/) : stringsOf(raw.entrypoint);
    if (!DOCKER_GATEWAY_IMAGE.test(image) && !DOCKER_GATEWAY_RUN.test([...entrypoint, ...command].join(" "))) continue;
    const args = Array.isArray(raw.command) ? raw.command : [];
    command.forEach((arg, i) => {
      const inline = /^--servers=(.*)$/.exec(arg);
      const names = inline ? inline[1] : arg === "--servers" ? command[i + 1] : undefined;
      if (!names) return;
      const line = at.doc.lineOf(
        args.length > 0 ? ["services", service, "command", i] : ["services", service, "command"],
      );
      for (const name of names
        .split(",")
        .map((n) => n.trim())
        .filter((n) => /^[\w.-]+$/.test(n))) {
        if (into.servers.length >= MAX_MCP_SERVERS) return;
        into.servers.push({
          name,
          transport: "stdio",
          file: at.file,
          ...(line ? { line } : {}),
          client: "docker-mcp-gateway",
        });
      }
    });
  }
}

/**
 * The document, or when it does not parse and is a template (chezmoi's `mcp.json.tmpl`, a
 * Jinja `config.toml.j2`), the shape of the template rendered without data (template-text.ts).
 */
function readTemplated(text: string, format: McpDocumentFormat, file: string): McpDocument {
  try {
    return readMcpDocument(text, format, file);
  } catch (cause) {
    const shape = renderTemplateShape(text);
    if (shape === undefined) throw cause;
    try {
      return readMcpDocument(shape, format, file);
    } catch {
      throw cause;
    }
  }
}

/**
 * Read an MCP client config, or any config file that may hold one. Returns empty lists for a
 * file with no MCP servers. Throws `PalisadeError` (`bad-input`) when the file is malformed or
 * over a limit; the scanner records that as a skip note.
 */
export function parseMcpConfig(text: string, options: McpConfigOptions): McpConfigResult {
  const into: McpConfigResult = { servers: [], implementations: [], findings: [] };
  const format = options.format ?? formatOfFile(options.file) ?? "json";
  const doc = readTemplated(text, format, options.file);
  if (!isTable(doc.value)) return into;
  const at: Located = { doc, file: options.file, ...(options.secrets ? { secrets: options.secrets } : {}) };
  findServerTables(doc.value, at, into);
  readSpring(doc.value, at, into);
  readQuarkus(doc.value, at, into);
  readServerDefinition(doc.value, at, into);
  readDockerGateway(doc.value, at, into);
  return into;
}

/**
 * `parseMcpConfig` for a general config file met on the walk: undefined when it holds no MCP
 * servers or does not parse (the config reader reports malformed files; this one stays quiet).
 */
export function detectMcpConfig(text: string, options: McpConfigOptions): McpConfigResult | undefined {
  // An MCP-named file (`auth_mcp.json`) may hold a bare `servers` table with no MCP word inside.
  if (!mayHoldMcpConfig(text) && !isMcpFileName(options.file)) return undefined;
  try {
    const result = parseMcpConfig(text, options);
    return result.servers.length + result.implementations.length + result.findings.length > 0 ? result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A result without its credential findings on lines already reported (an AI provider key found
 * by the scanner's own key check is reported once, as `code.hardcoded-ai-key`).
 */
export function withoutSecretsOn(
  result: McpConfigResult | undefined,
  lines: ReadonlySet<number>,
): McpConfigResult | undefined {
  if (!result || lines.size === 0) return result;
  return {
    ...result,
    findings: result.findings.filter(
      (f) => f.ruleId !== "code.mcp-config-secret" || !f.location?.line || !lines.has(f.location.line),
    ),
  };
}
