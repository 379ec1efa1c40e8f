/**
 * `palisade mcp proxy --config FILE`: one MCP server in front of many, for agents over stdio
 * (the default: a client starts it as its MCP server) or Streamable HTTP (`--http HOST:PORT`).
 */
import type { Command } from "commander";
import { PalisadeError } from "../../core/index.js";
import { loadClientServers, serveHttp, serveStdio, startMcpProxy } from "../../mcp/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext, GlobalOptions } from "../context.js";

type Contextual = (globals: GlobalOptions) => CommandContext;

function hostPort(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535)
    throw new PalisadeError("bad-usage", `--http ${value}: expected HOST:PORT, e.g. 127.0.0.1:8931`);
  return { host: (match[1] ?? match[2]) as string, port };
}

export function registerMcp(program: Command, context: Contextual): Command {
  const mcp = program.command("mcp").description("govern what agents do through MCP servers");
  withExamples(mcp, ["palisade mcp proxy --config palisade.yaml"]);
  const proxy = mcp
    .command("proxy")
    .description("serve many MCP servers as one, their tools and prompts namespaced server.name")
    .option("--servers <file>", "take the servers from a client's config (Claude Desktop, Cursor, VS Code mcp.json)")
    .option("--http <host:port>", "serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    .addOption(formatOption().default("table"))
    .action(async (flags: { servers?: string; http?: string; format: string }, cmd: Command) => {
      const ctx = context(cmd.optsWithGlobals());
      const listen = flags.http ? hostPort(flags.http) : undefined;
      const config = flags.servers ? loadClientServers(flags.servers) : ctx.config.mcp;
      if (Object.keys(config.servers).length === 0)
        throw new PalisadeError(
          "bad-usage",
          `no MCP servers: list them under mcp.servers in ${ctx.configFile ?? "palisade.yaml (--config)"}, or give --servers FILE`,
        );
      // Over stdio our stdout is the protocol: the upstreams' stderr goes to ours, logs too.
      const started = await startMcpProxy(config);
      for (const [server, reason] of started.failed) ctx.logger.warn({ server, reason }, "upstream not started");
      ctx.logger.info({ servers: [...started.upstreams.keys()] }, "mcp proxy ready");
      try {
        if (!listen) {
          await serveStdio(started);
          return;
        }
        const serving = await serveHttp(started, listen.host, listen.port);
        // Over HTTP stdout is free: say once where the proxy listens, for people and for scripts.
        const ready = {
          url: serving.url,
          servers: [...started.upstreams.keys()].sort(),
          failed: Object.fromEntries(started.failed),
        };
        process.stdout.write(
          flags.format === "json"
            ? `${JSON.stringify(ready)}\n`
            : `MCP proxy at ${ready.url} for ${ready.servers.join(", ") || "no servers"}${started.failed.size > 0 ? ` (not started: ${[...started.failed.keys()].join(", ")})` : ""}\n`,
        );
        await new Promise<void>((resolve) => {
          for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
        });
        await serving.close();
      } finally {
        await started.close();
      }
    });
  proxy.addHelpText(
    "after",
    "\nOver stdio (the default) stdout carries the protocol; --format applies to the line printed once\nthe HTTP server listens.\n",
  );
  withExamples(proxy, [
    "palisade mcp proxy --config palisade.yaml",
    "palisade mcp proxy --servers ~/.cursor/mcp.json --http 127.0.0.1:8931",
  ]);
  return mcp;
}
