/**
 * `palisade mcp scan [FILE...]`: audit MCP client configurations — the files named, or with none
 * the usual Claude Desktop, Claude Code, Cursor, VS Code, Copilot and Windsurf locations of the
 * current user and project — and, with `--connect`, the tools the servers offer. Gated like
 * every scan (`--policy`, `--exit-code`, `--fail-on`); `--format table|json|sarif`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, relative, resolve } from "node:path";
import type { Command } from "commander";
import { type Finding, PalisadeError } from "../../core/index.js";
import type { TextDetector } from "../../detect/index.js";
import type { ClientConfig, ClientConfigLocation, ConfiguredServer } from "../../mcp/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import { addGateOptions, finishGate, formatLocation, type GateFlags, judgeScan } from "../gate.js";
import { createOutput, renderTable } from "../output.js";

/** The MCP module, loaded when the command runs. */
type Mcp = typeof import("../../mcp/index.js");

interface McpScanFlags extends GateFlags {
  format: string;
  project?: string;
  connect?: boolean;
  allowPrivate?: boolean;
  timeout: string;
}

/** A config file to read: where it is, how to show it, and the client discovery found it for. */
interface ConfigFile {
  path: string;
  shown: string;
  client?: string;
  explicit: boolean;
}

/** A path as shown: relative to the working directory when under it, else absolute. */
function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** The files to read: the ones named, or those of the known locations that exist. */
function configFiles(
  mcp: Mcp,
  files: readonly string[],
  flags: McpScanFlags,
): { files: ConfigFile[]; looked: ClientConfigLocation[] } {
  const cwd = process.cwd();
  if (files.length > 0)
    return { files: files.map((f) => ({ path: resolve(f), shown: f, explicit: true })), looked: [] };
  const looked = mcp.clientConfigLocations({
    home: homedir(),
    project: resolve(flags.project ?? cwd),
    platform: process.platform,
    env: {
      ...(process.env.APPDATA ? { APPDATA: process.env.APPDATA } : {}),
      ...(process.env.XDG_CONFIG_HOME ? { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME } : {}),
      ...(process.env.COPILOT_HOME ? { COPILOT_HOME: process.env.COPILOT_HOME } : {}),
    },
  });
  const found = looked.filter((l) => {
    try {
      return existsSync(l.path) && statSync(l.path).isFile();
    } catch {
      return false;
    }
  });
  return {
    files: found.map((l) => ({ path: l.path, shown: shownPath(l.path, cwd), client: l.client, explicit: false })),
    looked,
  };
}

/** Read one file within the size limit; every failure is bad input naming the file. */
function readConfig(mcp: Mcp, file: ConfigFile, options: { secrets: TextDetector; maxBytes: number }): ClientConfig {
  let text: string;
  try {
    const size = statSync(file.path).size;
    if (size > options.maxBytes)
      throw new PalisadeError("bad-input", `${file.shown}: over ${options.maxBytes} bytes`, {
        input: file.shown,
      });
    text = readFileSync(file.path, "utf8");
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
    throw new PalisadeError(
      "bad-input",
      `cannot read ${file.shown}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { input: file.shown, cause },
    );
  }
  return mcp.readClientConfig(text, {
    file: file.shown,
    ...(file.client ? { client: file.client } : {}),
    secrets: options.secrets,
    explicit: file.explicit,
  });
}

/** The command line or URL of a server, for the table. */
function launchOf(server: ConfiguredServer): string | undefined {
  return server.url ?? (server.command ? [server.command, ...(server.args ?? [])].join(" ") : undefined);
}

/** What `--format json` prints of a server: the inventory, never env or header values. */
function serverJson(mcp: Mcp, server: ConfiguredServer) {
  return {
    name: server.name,
    file: server.file,
    ...(server.line ? { line: server.line } : {}),
    ...(server.client ? { client: server.client } : {}),
    transport: server.transport,
    ...(server.command ? { command: server.command, args: server.args ?? [] } : {}),
    ...(server.url ? { url: server.url, headers: server.headers } : {}),
    ...mcp.serverRef(server),
    ...(server.disabled ? { disabled: true } : {}),
  };
}

function printTable(options: {
  configs: readonly ClientConfig[];
  findings: readonly Finding[];
  looked: readonly ClientConfigLocation[];
  notes: readonly string[];
}): void {
  const out = createOutput();
  const { configs, findings } = options;
  if (configs.length === 0) {
    out.text(`No MCP client configuration found (looked in ${options.looked.length} places; name files to scan them).`);
    return;
  }
  const servers = configs.flatMap((c) => c.servers);
  out.text(`MCP servers (${servers.length}) in ${configs.length} file(s)`);
  out.text(
    renderTable(
      ["NAME", "CLIENT", "TRANSPORT", "COMMAND / URL", "WHERE"],
      servers.map((s) => [
        s.disabled ? `${s.name} (disabled)` : s.name,
        s.client,
        s.transport,
        launchOf(s),
        `${s.file}${s.line ? `:${s.line}` : ""}`,
      ]),
    ),
  );
  out.text(`\nFindings (${findings.length})`);
  if (findings.length > 0)
    out.text(
      renderTable(
        ["SEVERITY", "RULE", "WHERE", "TITLE"],
        findings.map((f) => [f.severity, f.ruleId, f.location ? formatLocation(f.location) : undefined, f.title]),
        { notes: findings.map((f) => (f.remediation ? `fix: ${f.remediation}` : undefined)) },
      ),
    );
  for (const note of options.notes) out.text(`\n${note}`);
}

/** Add `scan` to the `mcp` command. */
export function registerMcpScan(mcp: Command, context: Contextual): Command {
  const scan = mcp
    .command("scan")
    .description(
      "audit MCP client configs (Claude, Cursor, VS Code, Windsurf): unpinned servers, secrets, SSRF, approval",
    )
    .argument("[files...]", "client config files (default: the usual locations of this user and project)")
    .addOption(formatOption(["sarif"]))
    .option("--project <dir>", "project whose .mcp.json, .cursor/ and .vscode/ configs are read (default: .)")
    .option(
      "--connect",
      "start each server (stdio ones only inside the sandbox), list its tools, check pins and poisoning",
    )
    .option("--allow-private", "with --connect, also connect to servers at private, loopback or metadata addresses")
    .option("--timeout <ms>", "with --connect, how long one server may take to answer", "15000");
  addGateOptions(scan);
  withExamples(scan, [
    "palisade mcp scan",
    "palisade mcp scan ~/.cursor/mcp.json .vscode/mcp.json --format json",
    "palisade mcp scan --policy palisade-policy.yaml --exit-code --format sarif > mcp.sarif",
    "palisade mcp scan .mcp.json --connect",
  ]);
  scan.action(async (files: string[], flags: McpScanFlags, cmd: Command) => {
    const timeoutMs = Number(flags.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > 600_000)
      throw new PalisadeError("bad-usage", `--timeout ${flags.timeout}: expected milliseconds, 1 to 600000`);
    if (flags.allowPrivate && !flags.connect)
      throw new PalisadeError("bad-usage", "--allow-private only applies with --connect");
    const [mcp, { compileMcpApproval, defaultRuntime, loadPolicyFiles }, { MCP_DOCUMENT_LIMITS }, { secretsDetector }] =
      await Promise.all([
        import("../../mcp/index.js"),
        import("../../policy/index.js"),
        import("../../scan/code/index.js"),
        import("./scan-code.js"),
      ]);
    const { files: toRead, looked } = configFiles(mcp, files, flags);
    const secrets = await secretsDetector();
    const configs = toRead.map((f) => readConfig(mcp, f, { secrets, maxBytes: MCP_DOCUMENT_LIMITS.maxBytes }));
    const policy = flags.policy && flags.policy.length > 0 ? loadPolicyFiles(flags.policy) : undefined;
    const approved = policy?.spec.supplyChain?.mcpServers;
    const findings = mcp.auditClientConfigs(configs, {
      ...(approved ? { approval: { isApproved: compileMcpApproval(approved.approved), action: approved.action } } : {}),
    });
    const notes: string[] = [];
    if (flags.connect) {
      const ctx = await context(cmd.optsWithGlobals());
      const { createDefaultInjectionDetector } = await import("../../detect/index.js");
      const runtime = policy?.spec.runtime ?? defaultRuntime();
      const connected = await mcp.connectAndCheck(
        configs.flatMap((c) => c.servers),
        {
          timeoutMs,
          allowPrivate: flags.allowPrivate === true,
          pinsFile: ctx.config.mcp.pins,
          poisoning: {
            injection: createDefaultInjectionDetector(),
            threshold: runtime.injection.document.threshold,
            maxDescriptionChars: runtime.mcp.poisoning.maxDescriptionChars,
          },
        },
      );
      findings.push(...connected.findings);
      notes.push(...connected.notes);
    }
    const { withRemediation } = await import("../../sbom/index.js");
    const report = withRemediation(findings);
    const servers = configs.flatMap((c) => c.servers);
    // The policy judges approval itself (supplyChain.mcpServers); its reasons replace our finding's.
    const verdict = await judgeScan(
      {
        target: files.length > 0 ? files.join(", ") : "mcp client configs",
        components: [],
        models: [],
        mcpServers: servers.map((s) => ({
          name: s.name,
          ...mcp.serverRef(s),
          ...(s.url ? { url: s.url } : {}),
          location: { path: s.file, ...(s.line ? { line: s.line } : {}) },
        })),
        providers: [],
        findings: report.filter((f) => f.ruleId !== "mcp.server-not-approved"),
        vulnerabilities: [],
      },
      flags,
    );
    const out = createOutput();
    if (flags.format === "json")
      out.json({
        files: configs.map((c) => {
          const client = c.client ?? c.servers[0]?.client;
          return { file: c.file, ...(client ? { client } : {}), servers: c.servers.length };
        }),
        servers: servers.map((s) => serverJson(mcp, s)),
        findings: report,
        ...(notes.length > 0 ? { notes } : {}),
        verdict,
      });
    else if (flags.format === "table") printTable({ configs, findings: report, looked, notes });
    await finishGate(verdict, flags, { format: flags.format, findings: report, srcRoot: process.cwd() });
  });
  return scan;
}
