/**
 * The live half of `palisade mcp scan --connect`: start (or reach) each configured server, list
 * its tools, and check them against the pin file. A stdio server is an untrusted program: it is
 * started only inside the sandbox, never bare; an HTTP server is reached only when its URL is a
 * public address (or the caller allows private ones), so a scan cannot be turned into SSRF.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Finding } from "../core/index.js";
import { PalisadeError } from "../core/index.js";
import { classifyUrl, isPublicAddress } from "./address.js";
import { type ConfiguredServer, MCP_SCAN_RULES, type McpScanRuleId } from "./audit-config.js";
import { readPins } from "./pin-file.js";
import { checkTools, serverIdentity } from "./pinning.js";
import { checkPoisoning, POISONING_RULES, type PoisoningOptions } from "./poisoning.js";
import { type SandboxToolOptions, sandboxAvailable } from "./sandbox.js";
import { connectUpstream } from "./upstream.js";

export interface ConnectCheckOptions {
  timeoutMs: number;
  /** Connect to HTTP servers at private, loopback or metadata addresses too. */
  allowPrivate: boolean;
  /** The pin file `palisade mcp approve` writes (`mcp.pins` of the configuration). */
  pinsFile: string;
  /** The poisoning checks' detector and limits (from the policy's runtime section). */
  poisoning: Omit<PoisoningOptions, "otherTools">;
  /** Where bwrap, prlimit, setpriv and strace are; default: found on PATH. */
  sandboxTools?: SandboxToolOptions;
}

/** Findings about the servers' tools, and one note per server that was not connected (and why). */
export interface ConnectCheckResult {
  findings: Finding[];
  notes: string[];
}

/**
 * Connect to every enabled server and check what it offers. Throws `bad-usage` before starting
 * anything when a stdio server would have to run and no sandbox can be made here.
 */
export async function connectAndCheck(
  servers: readonly ConfiguredServer[],
  options: ConnectCheckOptions,
): Promise<ConnectCheckResult> {
  const enabled = servers.filter((s) => !s.disabled);
  const stdio = enabled.filter((s) => s.upstream && "command" in s.upstream);
  if (stdio.length > 0) {
    const available = await sandboxAvailable({ ...options.sandboxTools, recordExec: true });
    if (!available.ok)
      throw new PalisadeError(
        "bad-usage",
        `--connect starts stdio servers only inside the bubblewrap sandbox, which cannot be made here (${available.reason}); ${stdio.length} stdio server(s) would run unfenced (${stdio.map((s) => s.name).join(", ")}). Scan without --connect, or fix the sandbox.`,
      );
  }
  const pins = readPins(options.pinsFile);
  const listed: { server: ConfiguredServer; identity: string; tools: Tool[] }[] = [];
  const findings: Finding[] = [];
  const notes: string[] = [];
  for (const server of enabled) {
    const config = server.upstream;
    if (!config) {
      notes.push(`${server.name}: not connected (its entry could not be read as a server to start)`);
      continue;
    }
    if (!("command" in config)) {
      const target = classifyUrl(config.url);
      if (!isPublicAddress(target.class) && !options.allowPrivate) {
        notes.push(
          `${server.name}: not connected (${target.host || config.url} is a ${target.class} address; --allow-private connects)`,
        );
        continue;
      }
    }
    const executed = new Set<string>();
    try {
      // Every stdio server is fenced (sandboxDefault), with the default grants: no network,
      // read-only root, execs recorded. HTTP servers are reached with the proxy's client.
      const upstream = await connectUpstream(server.name, config, {
        timeoutMs: options.timeoutMs,
        stderr: "ignore",
        sandboxDefault: true,
        onExec: (event) => {
          if (executed.size < 20) executed.add(event.path);
        },
        ...(options.sandboxTools ? { sandboxTools: options.sandboxTools } : {}),
      });
      try {
        listed.push({ server, identity: serverIdentity(config), tools: upstream.lists.tools });
      } finally {
        await upstream.close().catch(() => {});
      }
      if (executed.size > 0) notes.push(`${server.name}: executed ${[...executed].join(", ")}`);
    } catch (cause) {
      findings.push(
        finding(server, "mcp.connect-failed", {
          title: `MCP server "${server.name}" could not be listed`,
          detail: `Connecting to list its tools failed: ${cause instanceof Error ? (cause.message.split("\n")[0] ?? "") : String(cause)}.`,
        }),
      );
    }
  }
  for (const { server, identity, tools } of listed) {
    const otherTools = listed.filter((l) => l.server !== server).flatMap((l) => l.tools.map((t) => t.name));
    findings.push(...toolFindings(server, identity, tools, pins));
    findings.push(...poisoningFindings(server, tools, { ...options.poisoning, otherTools }));
  }
  return { findings, notes };
}

/** The poisoning checks of `palisade mcp approve`, one finding per rule, tool and place. */
function poisoningFindings(server: ConfiguredServer, tools: readonly Tool[], options: PoisoningOptions): Finding[] {
  return tools.flatMap((tool) => {
    const own = new Set(tools.map((t) => t.name));
    const found = checkPoisoning(tool, {
      ...options,
      otherTools: (options.otherTools ?? []).filter((name) => !own.has(name)),
    });
    return found.map(
      (p): Finding => ({
        ruleId: p.ruleId,
        severity: p.severity,
        title: `MCP server "${server.name}": tool ${tool.name}: ${p.message}`,
        detail: `The definition ${POISONING_RULES[p.ruleId].summary} (at ${p.path}${p.evidence ? `: ${p.evidence}` : ""}).`,
        location: { path: server.file, ...(server.line ? { line: server.line } : {}) },
        references: [],
        owasp: ["LLM01:2025"],
        atlas: ["AML.T0051"],
        fingerprint: `${p.ruleId}:${server.file}:${server.name}:${tool.name}:${p.path}`,
        component: server.name,
      }),
    );
  });
}

function toolFindings(
  server: ConfiguredServer,
  identity: string,
  tools: readonly Tool[],
  pins: ReturnType<typeof readPins>,
): Finding[] {
  const out: Finding[] = [];
  const checks = checkTools(identity, tools, pins);
  for (const check of checks.filter((c) => c.status === "changed"))
    out.push(
      finding(server, "mcp.tool-changed", {
        title: `MCP server "${server.name}": tool ${check.tool} changed since it was approved`,
        detail: `Its definition no longer matches the pin (a rug pull, or an update to review):\n${check.diff ?? ""}`,
        key: check.tool,
      }),
    );
  const unapproved = checks.filter((c) => c.status === "unapproved").map((c) => c.tool);
  if (unapproved.length > 0)
    out.push(
      finding(server, "mcp.tools-unapproved", {
        title: `MCP server "${server.name}": ${unapproved.length} tool(s) never approved`,
        detail: `Not in the pin file: ${unapproved.join(", ")}. Review them and run palisade mcp approve.`,
      }),
    );
  return out;
}

function finding(
  server: ConfiguredServer,
  rule: McpScanRuleId,
  f: { title: string; detail: string; key?: string },
): Finding {
  const meta = MCP_SCAN_RULES[rule];
  return {
    ruleId: rule,
    severity: meta.severity,
    title: f.title,
    detail: f.detail,
    location: { path: server.file, ...(server.line ? { line: server.line } : {}) },
    references: [],
    owasp: [...meta.owasp],
    atlas: [...meta.atlas],
    fingerprint: `${rule}:${server.file}:${server.name}${f.key ? `:${f.key}` : ""}`,
    component: server.name,
  };
}
