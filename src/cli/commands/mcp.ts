import type { Command } from "commander";
import { PalisadeError, parseHostPort } from "../../core/index.js";
import type { McpConfig, ProxyControls } from "../../mcp/index.js";
import type { Store } from "../../store/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext } from "../context.js";
import { auditHashKey } from "../hash-key.js";
import { isLoopback, openAuditTrail, openStoreIfUp, watchPolicy } from "./gateway.js";
import { registerMcpApprove } from "./mcp-approve.js";
import { registerMcpScan } from "./mcp-scan.js";

interface ProxyFlags {
  servers?: string;
  http?: string;
  policy?: string[];
  auth: boolean;
  format: string;
}

/**
 * The proxy's controls, built like the AI gateway's (same policy files, detectors, store and
 * audit trail): one identity and one audit log for both gateways.
 */
async function openControls(
  ctx: CommandContext,
  flags: { policy?: string[] },
  config: McpConfig,
): Promise<{ controls: ProxyControls; store: Store | undefined; close(): Promise<void> }> {
  const [{ createDefaultInjectionDetector }, { createGatewayDetectors, createMemoryLimiter, detectorsPerPolicy }, mcp] =
    await Promise.all([
      import("../../detect/index.js"),
      import("../../gateway/index.js"),
      import("../../mcp/index.js"),
    ]);
  // The AI gateway's policy files, store and audit trail: one identity and one log for both.
  const policy = await watchPolicy(ctx, flags.policy);
  const store = await openStoreIfUp(ctx);
  const { events, audit } = await openAuditTrail(ctx);
  const limiter = createMemoryLimiter();
  const detectors = detectorsPerPolicy(createGatewayDetectors());
  const review = mcp.createToolReview({
    policy: () => policy.current(),
    servers: config.servers,
    pinsFile: config.pins,
    injection: createDefaultInjectionDetector(),
    alert: (alert) => {
      audit.record(mcp.mcpAlertEvent(alert, detectors(policy.current())));
      ctx.logger.warn(
        { rule: alert.rule, server: alert.server, target: alert.target, action: alert.action },
        alert.message,
      );
    },
  });
  const controls: ProxyControls = {
    hidden: (kind, server, name) => review.hidden(kind, server, name),
    reviewTools: (upstreams) => review.review(upstreams),
    policy: () => policy.current(),
    detectors,
    limiter,
    record: (event) => audit.record(event),
    recordExec: (exec) => {
      audit.record(mcp.mcpExecEvent(exec, detectors(policy.current())));
      ctx.logger.info({ server: exec.server, path: exec.path }, "MCP server executed a program");
    },
    hashKey: auditHashKey().key,
  };
  return {
    controls,
    store,
    async close() {
      await audit.close();
      await events.close();
      await limiter.close();
      policy.close();
      await store?.close();
    },
  };
}

export interface McpHttpGateway {
  url: string;
  servers: string[];
  /** Servers that did not start, with why. */
  failed: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The MCP gateway over Streamable HTTP at http://HOST:PORT/mcp: the configured servers behind the
 * AI gateway's policy, detectors, store and audit trail. `palisade mcp proxy --http` and
 * `palisade up` both run it.
 */
/** The configured servers started behind the gateway's controls (closed again if they cannot start). */
async function startProxy(ctx: CommandContext, config: McpConfig, flags: { policy?: string[] }) {
  const { startMcpProxy } = await import("../../mcp/index.js");
  const gateway = await openControls(ctx, flags, config);
  const started = await startMcpProxy(config, { controls: gateway.controls }).catch(async (error: unknown) => {
    await gateway.close();
    throw error;
  });
  for (const [server, reason] of started.failed) ctx.logger.warn({ server, reason }, "upstream not started");
  ctx.logger.info(
    { servers: [...started.upstreams.keys()], policy: gateway.controls.policy().name },
    "mcp proxy ready",
  );
  return { gateway, started };
}

export async function startMcpHttpGateway(
  ctx: CommandContext,
  config: McpConfig,
  flags: { policy?: string[]; auth: boolean; listen: { host: string; port: number } },
): Promise<McpHttpGateway> {
  const [{ createAuthenticator }, { serveHttp }] = await Promise.all([
    import("../../gateway/index.js"),
    import("../../mcp/index.js"),
  ]);
  const { gateway, started } = await startProxy(ctx, config, flags);
  try {
    const oidc = ctx.config.gateway.auth.oidc;
    const auth = createAuthenticator({
      ...(gateway.store && ctx.config.gateway.auth.apiKeys ? { apiKeys: gateway.store } : {}),
      ...(oidc ? { oidc } : {}),
    });
    const serving = await serveHttp(started, flags.listen.host, flags.listen.port, {
      ...(flags.auth ? { authenticate: (header: string | undefined) => auth.authenticate(header) } : {}),
      ...(oidc ? { authorizationServers: [oidc.issuer] } : {}),
    });
    if (!flags.auth)
      ctx.logger.warn({ url: serving.url }, "AUTHENTICATION IS OFF (--no-auth): every local caller is 'local'");
    return {
      url: serving.url,
      servers: [...started.upstreams.keys()].sort(),
      failed: Object.fromEntries(started.failed),
      async close() {
        await serving.close();
        await started.close();
        await gateway.close();
      },
    };
  } catch (error) {
    await started.close();
    await gateway.close();
    throw error;
  }
}

export function registerMcp(program: Command, context: Contextual): Command {
  const mcp = program.command("mcp").description("govern what agents do through MCP servers");
  withExamples(mcp, ["palisade mcp proxy --config palisade.yaml"]);
  const proxy = mcp
    .command("proxy")
    .description("serve many MCP servers as one, their tools and prompts namespaced server.name")
    .option("--servers <file>", "take the servers from a client's config (Claude Desktop, Cursor, VS Code mcp.json)")
    .option("--http <host:port>", "serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    .option("-p, --policy <files...>", "policy files (default: gateway.policy, else the built-in default)")
    .option("--no-auth", "over HTTP, accept callers without credentials (loopback only)")
    .addOption(formatOption().default("table"))
    .action(async (flags: ProxyFlags, cmd: Command) => {
      const ctx = await context(cmd.optsWithGlobals());
      const listen = flags.http ? parseHostPort(flags.http, "--http") : undefined;
      if (listen && !flags.auth && !isLoopback(listen.host))
        throw new PalisadeError("bad-usage", `--no-auth is only allowed on a loopback address, not ${listen.host}`, {
          input: listen.host,
        });
      const { loadClientServers, serveStdio } = await import("../../mcp/index.js");
      const config = flags.servers ? loadClientServers(flags.servers) : ctx.config.mcp;
      if (Object.keys(config.servers).length === 0)
        throw new PalisadeError(
          "bad-usage",
          `no MCP servers: list them under mcp.servers in ${ctx.configFile ?? "palisade.yaml (--config)"}, or give --servers FILE`,
        );
      if (listen) {
        const serving = await startMcpHttpGateway(ctx, config, { ...flags, listen });
        // Over HTTP stdout is free: say once where the proxy listens, for people and for scripts.
        const ready = { url: serving.url, servers: serving.servers, failed: serving.failed };
        process.stdout.write(
          flags.format === "json"
            ? `${JSON.stringify(ready)}\n`
            : `MCP proxy at ${ready.url} for ${ready.servers.join(", ") || "no servers"}${Object.keys(ready.failed).length > 0 ? ` (not started: ${Object.keys(ready.failed).join(", ")})` : ""}\n`,
        );
        await new Promise<void>((resolve) => {
          for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
        });
        await serving.close();
        return;
      }
      // Over stdio our stdout is the protocol: the upstreams' stderr goes to ours, logs too.
      const { gateway, started } = await startProxy(ctx, config, flags);
      try {
        await serveStdio(started);
      } finally {
        await started.close();
        await gateway.close();
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
  registerMcpScan(mcp, context);
  registerMcpApprove(mcp, context);
  return mcp;
}
