/**
 * The static half of `palisade mcp scan`: MCP client configurations (Claude Desktop, Claude
 * Code, Cursor, VS Code, Windsurf...) in, findings out. Reading the files is the code scanner's
 * (`scan/code`: every client's spelling, JSONC/YAML/TOML with lines, limits, and its check for
 * credentials written into a server's env, headers, arguments or URL); judging each server is
 * this module's: unpinned packages and images, shell wrappers, plain HTTP, missing auth, URLs
 * that point at private or metadata addresses (SSRF), and servers off the approved list.
 * Pure: text in, data out.
 */
import type { Finding, McpUpstreamConfig, Severity } from "../core/index.js";
import { PalisadeError } from "../core/index.js";
import type { TextDetector } from "../detect/index.js";
import type { McpServerRef } from "../policy/index.js";
import { formatOfFile, type McpServerEntry, parseMcpConfig, readMcpDocument } from "../scan/code/index.js";
import { type AddressClass, classifyUrl } from "./address.js";
import { type LaunchedImage, type LaunchedPackage, type LaunchSpec, readLaunch } from "./launch-spec.js";

/** Every rule `palisade mcp scan` reports, with its default severity and its OWASP LLM / ATLAS tags. */
export const MCP_SCAN_RULES = {
  "mcp.unpinned-package": { severity: "medium", owasp: ["LLM03:2025"], atlas: ["AML.T0010"] },
  "mcp.unpinned-image": { severity: "medium", owasp: ["LLM03:2025"], atlas: ["AML.T0010"] },
  "mcp.shell-wrapper": { severity: "medium", owasp: ["LLM03:2025", "LLM06:2025"], atlas: [] },
  "mcp.config-secret": { severity: "high", owasp: ["LLM02:2025"], atlas: ["AML.T0055"] },
  "mcp.plain-http": { severity: "high", owasp: ["LLM02:2025"], atlas: [] },
  "mcp.remote-without-auth": { severity: "low", owasp: ["LLM06:2025"], atlas: [] },
  "mcp.private-address": { severity: "medium", owasp: ["LLM06:2025"], atlas: [] },
  "mcp.server-not-approved": { severity: "high", owasp: ["LLM03:2025"], atlas: ["AML.T0010"] },
  // With --connect: what the running server offers.
  "mcp.tool-changed": { severity: "high", owasp: ["LLM03:2025", "LLM06:2025"], atlas: ["AML.T0010"] },
  "mcp.tools-unapproved": { severity: "low", owasp: ["LLM06:2025"], atlas: [] },
  "mcp.connect-failed": { severity: "low", owasp: [], atlas: [] },
} as const satisfies Record<string, { severity: Severity; owasp: readonly string[]; atlas: readonly string[] }>;
export type McpScanRuleId = keyof typeof MCP_SCAN_RULES;

const REFERENCE = "https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices";

/** One configured server with what the audit needs beyond the inventory entry. */
export interface ConfiguredServer extends McpServerEntry {
  /** Names (never values) of the HTTP headers a remote server is configured with. */
  headers: string[];
  /** What the command line launches (stdio servers). */
  launch?: LaunchSpec;
  /**
   * The server as `palisade mcp proxy` would start or reach it (command, args, env, cwd; or URL
   * and headers), for `--connect`. Holds credential values: never printed.
   */
  upstream?: McpUpstreamConfig;
}

/** One client configuration file, read. */
export interface ClientConfig {
  file: string;
  /** The client it belongs to, when discovery or the file says. */
  client?: string;
  servers: ConfiguredServer[];
  /** Credentials written into the file (`mcp.config-secret`), found while reading it. */
  findings: Finding[];
}

export interface ReadClientConfigOptions {
  /** The path shown in findings (as given, or relative to the project). */
  file: string;
  /** The client discovery found it for; else the file's name or content tells. */
  client?: string;
  secrets?: TextDetector;
  /**
   * Given by the user rather than discovered: a file that cannot hold MCP servers is then bad
   * input instead of a quiet "no servers".
   */
  explicit?: boolean;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Read one client configuration. Throws `PalisadeError` (`bad-input`) naming the file (and the
 * line, when the parser gives one) for malformed or oversized files, and for an explicit file
 * with no MCP servers table.
 */
export function readClientConfig(text: string, options: ReadClientConfigOptions): ClientConfig {
  // Client configs are JSON(C) unless their name says otherwise (`.claude.json` is JSON too).
  const file = formatOfFile(options.file) ? options.file : `${options.file}.json`;
  let parsed: ReturnType<typeof parseMcpConfig>;
  let value: unknown;
  try {
    parsed = parseMcpConfig(text, { file, ...(options.secrets ? { secrets: options.secrets } : {}) });
    value =
      parsed.servers.length > 0 || options.explicit
        ? readMcpDocument(text, formatOfFile(file) ?? "json", file).value
        : undefined;
  } catch (cause) {
    if (cause instanceof PalisadeError && file !== options.file)
      throw new PalisadeError("bad-input", cause.message.replaceAll(file, options.file), {
        input: options.file,
        cause,
      });
    throw cause;
  }
  const servers = parsed.servers.map((entry): ConfiguredServer => {
    const raw = findRawServer(value, entry);
    const upstream = upstreamOf(entry, raw);
    const server: ConfiguredServer = {
      ...entry,
      file: options.file,
      ...(options.client ? { client: options.client } : {}),
      headers: entry.transport === "stdio" ? [] : headerNames(raw),
      ...(upstream ? { upstream } : {}),
    };
    if (entry.command) server.launch = readLaunch(entry.command, entry.args ?? []);
    return server;
  });
  if (
    options.explicit &&
    parsed.servers.length === 0 &&
    !(isTable(value) && Object.keys(value).some((k) => SERVER_KEYS.has(k)))
  )
    throw new PalisadeError("bad-input", `${options.file}: no MCP servers table (mcpServers, servers, mcp...)`, {
      input: options.file,
    });
  // The code scanner's credential check, under this command's rule id and the path as shown.
  const findings = parsed.findings
    .filter((f) => f.ruleId === "code.mcp-config-secret")
    .map(
      (f): Finding => ({
        ...f,
        ruleId: "mcp.config-secret",
        // The code scanner names the server in the title only (`MCP server "x" has ...`).
        ...(SECRET_SERVER.exec(f.title)?.[1] ? { component: SECRET_SERVER.exec(f.title)?.[1] } : {}),
        detail: f.detail.replaceAll(file, options.file),
        ...(f.location ? { location: { ...f.location, path: options.file } } : {}),
        ...(f.fingerprint
          ? {
              fingerprint: f.fingerprint.replace(
                `code.mcp-config-secret:${file}:`,
                `mcp.config-secret:${options.file}:`,
              ),
            }
          : {}),
      }),
    );
  return { file: options.file, ...(options.client ? { client: options.client } : {}), servers, findings };
}

const URL_KEYS = ["url", "serverUrl", "httpUrl", "uri"];
/** Top-level keys under which some client keeps its servers: a file with none of them is no MCP config. */
const SERVER_KEYS = new Set([
  "mcpServers",
  "servers",
  "mcp",
  "mcp_servers",
  "mcp-servers",
  "context_servers",
  "projects",
]);
const SECRET_SERVER = /^MCP server "(.+?)" has /;

/**
 * The server object an entry was read from: a table under the entry's name (or a list item with
 * that `name`) with the entry's URL or command. Searched a few levels deep, as the reader does.
 */
function findRawServer(value: unknown, entry: McpServerEntry): Table | undefined {
  const matches = (raw: unknown): raw is Table => {
    if (!isTable(raw)) return false;
    if (entry.url !== undefined) {
      const url = entry.url;
      return URL_KEYS.some((k) => typeof raw[k] === "string" && url.startsWith(raw[k] as string));
    }
    const command = raw.command;
    return (
      command === entry.command ||
      (Array.isArray(command) && command[0] === entry.command) ||
      (isTable(command) && command.path === entry.command)
    );
  };
  const queue: [unknown, number][] = [[value, 0]];
  for (let i = 0; i < queue.length; i++) {
    const [node, depth] = queue[i] as [unknown, number];
    if (Array.isArray(node)) {
      for (const item of node) if (isTable(item) && item.name === entry.name && matches(item)) return item;
    } else if (isTable(node)) {
      const own = node[entry.name];
      if (matches(own)) return own;
    } else continue;
    if (depth < 6)
      for (const child of Object.values(node)) if (typeof child === "object" && child) queue.push([child, depth + 1]);
  }
  return undefined;
}

function stringEntries(value: unknown): Record<string, string> {
  return isTable(value)
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"))
    : {};
}

/** The entry in the proxy's upstream shape, when its object was found. */
function upstreamOf(entry: McpServerEntry, raw: Table | undefined): McpUpstreamConfig | undefined {
  if (!raw) return undefined;
  if (entry.url !== undefined)
    return {
      url: entry.url,
      headers: Object.assign({}, ...[raw.headers, raw.http_headers].map(stringEntries)),
      disabled: false,
    };
  if (!entry.command) return undefined;
  const env = raw.env ?? raw.environment ?? (isTable(raw.command) ? raw.command.env : undefined);
  return {
    command: entry.command,
    args: entry.args ?? [],
    env: stringEntries(env),
    ...(typeof raw.cwd === "string" ? { cwd: raw.cwd } : {}),
    disabled: false,
  };
}

function headerNames(raw: Table | undefined): string[] {
  if (!raw) return [];
  const tables = [raw.headers, raw.http_headers, isTable(raw.requestInit) ? raw.requestInit.headers : undefined];
  return tables.flatMap((t) => (isTable(t) ? Object.keys(t) : []));
}

/** Header names that carry a credential. */
const AUTH_HEADER =
  /^(?:proxy-)?authorization$|cookie|api[-_]?key|apikey|token|secret|auth|credential|session|signature/i;
/** A credential in the URL itself (`?api_key=...`, `https://user:pass@...`). */
const AUTH_QUERY = /[?&](?:api[-_]?key|apikey|key|token|access[-_]?token|auth|secret|sig|signature|code)=/i;

export interface AuditOptions {
  /**
   * The policy's approved list (`supplyChain.mcpServers`), compiled; absent when no policy was
   * given. `deny` entries become high findings, `warn` medium.
   */
  approval?: { isApproved: (server: McpServerRef) => boolean; action: "deny" | "warn" };
}

/** The reference the approved list matches: the package or the image a server runs. */
export function serverRef(server: ConfiguredServer): McpServerRef {
  const target = server.launch?.target;
  if (target?.kind === "image")
    return {
      image: target.name,
      ...(target.tag ? { version: target.tag } : {}),
      ...(target.digest ? { digest: target.digest } : {}),
    };
  if (target?.kind === "package")
    return { package: target.name, ...(target.version ? { version: target.version } : {}) };
  return {
    ...(server.package ? { package: server.package } : {}),
    ...(server.version ? { version: server.version } : {}),
  };
}

/** All findings for a set of read configurations: what reading found plus each server's audit. */
export function auditClientConfigs(configs: readonly ClientConfig[], options: AuditOptions = {}): Finding[] {
  return configs.flatMap((config) => [
    ...config.findings,
    ...config.servers.flatMap((server) => auditServer(server, options)),
  ]);
}

/** The findings of one server. */
export function auditServer(server: ConfiguredServer, options: AuditOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add: Add = (rule, f) => {
    const meta = MCP_SCAN_RULES[rule];
    out.push({
      ruleId: rule,
      severity: f.severity ?? meta.severity,
      title: f.title,
      detail: f.detail,
      location: { path: server.file, ...(server.line ? { line: server.line } : {}) },
      references: [REFERENCE],
      owasp: [...meta.owasp],
      atlas: [...meta.atlas],
      fingerprint: `${rule}:${server.file}:${server.name}${f.key ? `:${f.key}` : ""}`,
      // The server the finding is about: every finding names one.
      component: server.name,
    });
  };
  const name = `MCP server "${server.name}"`;
  const launch = server.launch;
  if (launch?.shell) {
    const { shell, script, encoded } = launch.shell;
    add("mcp.shell-wrapper", {
      severity: encoded ? "high" : "medium",
      title: `${name} is started through ${shell}${encoded ? " with an encoded command" : ""}`,
      detail: encoded
        ? `${shell} runs a base64-encoded command, so the config does not show what the server is; decode it and launch that command directly.`
        : `${shell} runs \`${clip(script)}\`: the shell hides the real command from review and from allowlists, and can chain more commands; launch the command directly.`,
    });
  }
  const target = launch?.target;
  if (target?.kind === "package" && !target.exact) add("mcp.unpinned-package", unpinnedPackage(name, target));
  if (target?.kind === "image" && !target.digest) add("mcp.unpinned-image", unpinnedImage(name, target));
  const url = server.url ?? launch?.bridgeUrl;
  if (url) auditUrl(server, url, add);
  if (options.approval && !options.approval.isApproved(serverRef(server))) {
    const ref = serverRef(server);
    const what =
      ref.image ??
      (ref.package
        ? `${ref.package}${ref.version ? `@${ref.version}` : ""}`
        : (server.url ?? server.command ?? server.name));
    add("mcp.server-not-approved", {
      severity: options.approval.action === "deny" ? "high" : "medium",
      title: `${name} (${what}) is not on the approved list`,
      detail: `No entry of the policy's supplyChain.mcpServers.approved covers ${what}.`,
    });
  }
  return out;
}

type Add = (rule: McpScanRuleId, f: { title: string; detail: string; severity?: Severity; key?: string }) => void;

function auditUrl(server: ConfiguredServer, url: string, add: Add): void {
  const name = `MCP server "${server.name}"`;
  const { class: kind, host } = classifyUrl(url);
  if (kind === "invalid") return;
  const local = kind === "loopback";
  if (/^http:/i.test(url) && !local)
    add("mcp.plain-http", {
      severity: server.headers.length > 0 ? "high" : "medium",
      title: `${name} is reached over plain HTTP`,
      detail: `${redactUrl(url)} is not HTTPS: tool calls and results${server.headers.length > 0 ? `, and the ${server.headers.join(", ")} header(s),` : ""} cross the network in clear text and can be read or changed on the way.`,
    });
  const bridged = server.url === undefined;
  const bridgeAuth = bridged && (server.args ?? []).some((a) => /^--header$|^-H$/.test(a));
  const hasAuth =
    server.headers.some((h) => AUTH_HEADER.test(h)) ||
    bridgeAuth ||
    AUTH_QUERY.test(url) ||
    /^[a-z]+:\/\/[^/@]+@/i.test(url);
  if (!hasAuth && !local)
    add("mcp.remote-without-auth", {
      title: `${name} is configured without an auth header`,
      detail: `No Authorization or API-key header is configured for ${redactUrl(url)}. Fine when the server signs the client in with OAuth (the MCP authorization spec); otherwise anyone who can reach it can call its tools.`,
    });
  if (kind !== "public") add("mcp.private-address", privateAddress(name, url, host, kind));
}

const ADDRESS_WORDS: Record<Exclude<AddressClass, "public" | "invalid">, string> = {
  loopback: "this machine (loopback)",
  private: "a private network address",
  "link-local": "a link-local address",
  reserved: "a reserved (non-routable or special-purpose) address",
  "local-name": "a local network name",
  metadata: "a cloud metadata endpoint",
};

function privateAddress(name: string, url: string, host: string, kind: AddressClass) {
  const severity: Severity = kind === "metadata" ? "high" : kind === "loopback" ? "low" : "medium";
  const where = ADDRESS_WORDS[kind as keyof typeof ADDRESS_WORDS] ?? kind;
  return {
    severity,
    title: `${name} points at ${where} (${host})`,
    detail: `${redactUrl(url)} reaches ${where}. A config that sends an agent's client there can be used to reach internal services (SSRF)${kind === "metadata" ? " and read cloud credentials" : ""}; check that this server is meant to be there.`,
    key: kind,
  };
}

function unpinnedPackage(name: string, target: LaunchedPackage) {
  const pin = target.ecosystem === "npm" ? `${target.name}@1.2.3` : `${target.name}==1.2.3`;
  return {
    title: `${name} runs ${target.name}${target.version ? `@${target.version}` : ""} without an exact version`,
    detail: `${target.launcher} fetches ${target.version ? `whatever ${target.version} resolves to` : "the latest release"} of ${target.name} from ${target.ecosystem} at every launch, so a new (or hijacked) release runs with the client's access; pin it (${pin}).`,
  };
}

function unpinnedImage(name: string, target: LaunchedImage) {
  const floating = !target.tag || target.tag === "latest";
  return {
    severity: floating ? ("medium" as const) : ("low" as const),
    title: `${name} runs image ${target.name}:${target.tag ?? "latest"} by tag, not by digest`,
    detail: `A tag can be moved to another image${floating ? ", and latest moves with every push" : ""}; run ${target.name}@sha256:<digest> so every launch runs the image you reviewed.`,
  };
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A URL with its userinfo and query values hidden: findings must not repeat a credential. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "***";
      u.password = "";
    }
    for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, "***");
    return u.toString().replaceAll("%2A%2A%2A", "***");
  } catch {
    return "<unparsable URL>";
  }
}
