/**
 * `palisade mcp approve`: connect to the configured MCP servers (fenced as the proxy would run
 * them), show what changed since the last approval (a diff per changed tool, a summary per new
 * one), refuse poisoned tools (unless --force) and tools that shadow another server's, and
 * write the pin file the proxy checks tools against. Exit 1 when something was refused.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { PalisadeError } from "../../core/index.js";
import type { ApprovalPlan, ListedServer, Upstream } from "../../mcp/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext } from "../context.js";
import { renderTable } from "../output.js";
import { policyFiles } from "./gateway.js";

interface ApproveFlags {
  servers?: string;
  pins?: string;
  policy?: string[];
  server?: string[];
  tool?: string[];
  dryRun?: boolean;
  force?: boolean;
  format: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `mcp approve` under the `mcp` command group. */
export function registerMcpApprove(mcp: Command, context: Contextual): Command {
  const approve = mcp
    .command("approve")
    .description("pin the MCP servers' tool definitions as approved (refuses poisoned and shadowing tools)")
    .option("--servers <file>", "take the servers from a client's config (Claude Desktop, Cursor, VS Code mcp.json)")
    .option("--pins <file>", "the pin file (default: mcp.pins of the configuration)")
    .option("-p, --policy <files...>", "policy files for the poisoning checks (default: gateway.policy, else built-in)")
    .option("--server <name>", "approve only this server's tools (repeatable)", collect)
    .option("--tool <name>", "approve only this tool (bare name, repeatable)", collect)
    .option("--dry-run", "show what would be approved, write nothing")
    .option("--force", "approve tools with poisoning findings too (shadowing is still refused)")
    .addOption(formatOption())
    .action(async (flags: ApproveFlags, cmd: Command) => {
      const ctx = await context(cmd.optsWithGlobals());
      const [
        { createDefaultInjectionDetector },
        { connectUpstream, loadClientServers, planApproval, readPins, serverIdentity, writePins },
        { compilePolicy, loadPolicyFiles },
      ] = await Promise.all([
        import("../../detect/index.js"),
        import("../../mcp/index.js"),
        import("../../policy/index.js"),
      ]);
      const config = flags.servers ? loadClientServers(flags.servers) : ctx.config.mcp;
      const enabled = Object.entries(config.servers).filter(([, server]) => !server.disabled);
      if (enabled.length === 0)
        throw new PalisadeError(
          "bad-usage",
          `no MCP servers: list them under mcp.servers in ${ctx.configFile ?? "palisade.yaml (--config)"}, or give --servers FILE`,
        );
      for (const name of flags.server ?? [])
        if (!enabled.some(([n]) => n === name))
          throw new PalisadeError("bad-usage", `--server ${name}: no such enabled server in the configuration`, {
            input: name,
          });
      const pinsFile = resolve(flags.pins ?? ctx.config.mcp.pins);
      const pins = readPins(pinsFile);
      const runtime = compilePolicy(loadPolicyFiles(await policyFiles(ctx, flags.policy))).runtime;

      const upstreams: Upstream[] = [];
      const failed = new Map<string, string>();
      try {
        // Every server is listed, not only the selected ones: shadowing is about all of them.
        await Promise.all(
          enabled.map(async ([name, server]) => {
            try {
              upstreams.push(
                await connectUpstream(name, server, {
                  timeoutMs: config.requestTimeoutMs,
                  stderr: "ignore",
                  sandboxDefault: config.sandbox,
                }),
              );
            } catch (error) {
              failed.set(name, ((error as Error)?.message ?? String(error)).split("\n")[0] ?? "");
            }
          }),
        );
        const listed: ListedServer[] = upstreams
          .map((u) => ({
            name: u.name,
            identity: serverIdentity(config.servers[u.name] as (typeof enabled)[number][1]),
            tools: u.lists.tools,
          }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const tool of flags.tool ?? []) {
          const known = listed.some(
            (s) => s.tools.some((t) => t.name === tool) || pins.servers.get(s.identity)?.tools.has(tool),
          );
          if (!known)
            throw new PalisadeError("bad-usage", `--tool ${tool}: no connected server lists or pins such a tool`, {
              input: tool,
            });
        }
        const plan = planApproval({
          servers: listed,
          pins,
          ...(flags.server ? { onlyServers: flags.server } : {}),
          ...(flags.tool ? { onlyTools: flags.tool } : {}),
          force: flags.force ?? false,
          poisoning: {
            injection: createDefaultInjectionDetector(),
            threshold: runtime.injection.document.threshold,
            maxDescriptionChars: runtime.mcp.poisoning.maxDescriptionChars,
          },
        });
        const written = plan.changed && !flags.dryRun;
        if (written) writePins(pinsFile, plan.pins);
        const selectedFailed = [...failed].filter(([name]) => !flags.server || flags.server.includes(name));
        if (flags.format === "json")
          ctx.out.json({
            pins: pinsFile,
            written,
            dryRun: flags.dryRun ?? false,
            tools: plan.decisions,
            failed: Object.fromEntries(failed),
          });
        else printTable(ctx, plan, { pinsFile, written, dryRun: flags.dryRun ?? false, failed });
        const refused = plan.decisions.filter((d) => d.action === "refuse");
        if (refused.length > 0 || selectedFailed.length > 0)
          throw new PalisadeError(
            "gate-failed",
            [
              refused.length > 0
                ? `${refused.length} tool(s) refused: ${refused.map((d) => `${d.server}.${d.tool}`).join(", ")}`
                : "",
              selectedFailed.length > 0
                ? `${selectedFailed.length} server(s) not reached: ${selectedFailed.map(([n]) => n).join(", ")}`
                : "",
            ]
              .filter(Boolean)
              .join("; "),
          );
      } finally {
        await Promise.all(upstreams.map((u) => u.close().catch(() => {})));
      }
    });
  approve.addHelpText(
    "after",
    "\nStdio servers start as `palisade mcp proxy` starts them (inside the sandbox when mcp.sandbox or their\nsandbox key says so). Exit codes: 0 done, 1 a tool was refused or a server not reached, 2 bad usage.\n",
  );
  withExamples(approve, [
    "palisade mcp approve --config palisade.yaml --dry-run",
    "palisade mcp approve --servers ~/.cursor/mcp.json --pins mcp-pins.json",
    "palisade mcp approve --server github --tool create_issue",
  ]);
  return approve;
}

const ACTION_LABEL = {
  unchanged: "ok",
  approve: "approved",
  forget: "forgotten",
  refuse: "REFUSED",
  skip: "skipped",
} as const;

function printTable(
  ctx: CommandContext,
  plan: ApprovalPlan,
  info: { pinsFile: string; written: boolean; dryRun: boolean; failed: ReadonlyMap<string, string> },
): void {
  const rows = plan.decisions.map((d) => [
    d.server,
    d.tool,
    d.status,
    info.dryRun && (d.action === "approve" || d.action === "forget")
      ? `would be ${ACTION_LABEL[d.action]}`
      : ACTION_LABEL[d.action],
    d.reason ?? d.summary ?? "",
  ]);
  ctx.out.text(renderTable(["SERVER", "TOOL", "STATUS", "ACTION", "REASON"], rows));
  for (const d of plan.decisions) {
    if (d.diff && d.status === "changed") ctx.out.text(`\n${d.server}.${d.tool} changed:\n${indent(d.diff)}`);
    if (d.findings.length > 0 && d.status !== "approved") {
      ctx.out.text(`\n${d.server}.${d.tool} poisoning findings:`);
      for (const f of d.findings)
        ctx.out.text(
          `  ${f.severity} ${f.ruleId} at ${f.path}: ${f.message}${f.evidence ? `\n    ${f.evidence}` : ""}`,
        );
    }
  }
  for (const [server, reason] of info.failed) ctx.out.text(`\n${server}: not reached (${reason})`);
  ctx.out.text(
    `\n${info.written ? `wrote ${info.pinsFile}` : info.dryRun && plan.changed ? `dry run: ${info.pinsFile} not written` : `${info.pinsFile} unchanged`}`,
  );
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
