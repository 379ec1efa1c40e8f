/**
 * `palisade up`: one process running the AI gateway, the REST API and the dashboard on one store
 * (the embedded SQLite file by default), with correlation of what the gateway audits into
 * incidents. `--demo` fills it by running the product: the scans of `examples/`, and sample
 * traffic through the gateway to a built-in sample upstream.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { Option } from "commander";
import { PalisadeError, parseHostPort, UPSTREAM_KINDS, type UpstreamConfig } from "../../core/index.js";
import type { Store } from "../../store/index.js";
import { commandContext, withExamples } from "../command-helpers.js";
import { startSampleUpstream } from "../demo/sample-upstream.js";
import { EXAMPLES_DIR, runDemoScans } from "../demo/scans.js";
import { DEMO_CALLERS, replayDemoTraffic } from "../demo/traffic.js";
import { isLoopback, logFormatOption, policyFiles, serverGlobals, startGateway } from "./gateway.js";
import { startMcpHttpGateway } from "./mcp.js";
import { packageVersion } from "./version.js";

interface UpFlags {
  listen: string;
  gatewayListen: string;
  mcpListen: string;
  upstream?: string;
  upstreamKind?: UpstreamConfig["kind"];
  policy?: string[];
  demo?: boolean;
  auth: boolean;
  format?: string;
}

/** How often the gateway's audit is correlated into incidents. */
const CORRELATE_EVERY_MS = 2_000;
/** The key `up` makes when the store has no admin key, so the dashboard can be opened at all. */
const FIRST_ADMIN_KEY = "admin";
/** The example policy, plus MCP rights for the sample documentation server. */
const DEMO_POLICY = [
  `${EXAMPLES_DIR}policy/policy.yaml`,
  fileURLToPath(new URL("../../../rules/policy/demo.yaml", import.meta.url)),
];

export function registerUp(program: Command): void {
  const up = program
    .command("up")
    .description("run the AI gateway, the MCP gateway, the REST API and the dashboard in one process on one store")
    .option("-l, --listen <host:port>", "API and dashboard address", "127.0.0.1:7070")
    .option("--gateway-listen <host:port>", "AI gateway address", "127.0.0.1:8080")
    .option(
      "--mcp-listen <host:port>",
      "MCP gateway address (Streamable HTTP at /mcp), when MCP servers are configured",
      "127.0.0.1:8090",
    )
    .option(
      "-u, --upstream <url>",
      "one upstream for every model (default: gateway.upstreams; with --demo a built-in sample)",
    )
    .addOption(new Option("--upstream-kind <kind>", "kind of that upstream").choices(UPSTREAM_KINDS).default("openai"))
    .option(
      "-p, --policy <files...>",
      "policy files (default: gateway.policy, else the built-in default; with --demo the example policy)",
    )
    .option(
      "--demo",
      "fill the store by running the product on examples/: scans, and sample traffic through the gateway",
    )
    .option("--no-auth", "no credentials for the API, dashboard and gateway (loopback only)")
    .addOption(logFormatOption())
    .action(async (flags: UpFlags, cmd: Command) => {
      await runUp(cmd, flags);
    });
  withExamples(up, [
    "palisade up --demo",
    "palisade up --upstream http://127.0.0.1:11434 --upstream-kind ollama --db ./palisade.db",
    "palisade up --listen 0.0.0.0:7070 --config /etc/palisade/palisade.yaml",
  ]);
}

/** An admin key to open the dashboard with: made (and shown once) when the store has no usable one. */
async function firstAdminKey(store: Store, now: number): Promise<string | undefined> {
  const keys = await store.listApiKeys();
  const usable = keys.some((k) => k.roles.includes("admin") && !k.revokedAt && (!k.expiresAt || k.expiresAt > now));
  if (usable) return undefined;
  const name = keys.some((k) => k.name === FIRST_ADMIN_KEY) ? `${FIRST_ADMIN_KEY}-${now}` : FIRST_ADMIN_KEY;
  const { generateApiKey } = await import("../../gateway/index.js");
  const generated = generateApiKey();
  await store.createApiKey({ name, prefix: generated.prefix, hash: generated.hash, roles: ["admin"] });
  return generated.key;
}

/** Fresh keys for the demo's callers (earlier demo keys of the same names are revoked first). */
async function demoKeys(store: Store): Promise<Record<keyof typeof DEMO_CALLERS, string>> {
  const keys = {} as Record<keyof typeof DEMO_CALLERS, string>;
  const { generateApiKey } = await import("../../gateway/index.js");
  for (const [caller, name] of Object.entries(DEMO_CALLERS) as [keyof typeof DEMO_CALLERS, string][]) {
    await store.revokeApiKey(name);
    const generated = generateApiKey();
    await store.createApiKey({ name, prefix: generated.prefix, hash: generated.hash, roles: [] });
    keys[caller] = generated.key;
  }
  return keys;
}

/** Wait until the gateways' audit writers have stored at least `counts` events of each kind (they write in batches). */
async function auditedAtLeast(
  store: Store,
  counts: Record<string, number>,
  timeoutMs: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await store.db
      .selectFrom("events")
      .select(["kind", (eb) => eb.fn.countAll<number>().as("n")])
      .where("kind", "in", ["gateway.request", "mcp.call"])
      .groupBy("kind")
      .execute();
    const stored: Record<string, number> = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    if (Object.entries(counts).every(([kind, n]) => (stored[kind] ?? 0) >= n) || Date.now() > deadline) return stored;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runUp(cmd: Command, flags: UpFlags): Promise<void> {
  const ctx = await commandContext(serverGlobals(cmd, flags.format));
  const api = parseHostPort(flags.listen, "--listen");
  const gatewayAt = parseHostPort(flags.gatewayListen, "--gateway-listen");
  const mcpAt = parseHostPort(flags.mcpListen, "--mcp-listen");
  if (!flags.auth && ![api, gatewayAt, mcpAt].every((a) => isLoopback(a.host)))
    throw new PalisadeError("bad-usage", "--no-auth is only allowed when every address is loopback", {
      input: `${flags.listen} ${flags.gatewayListen} ${flags.mcpListen}`,
    });
  const configured = ctx.config.gateway.upstreams.length > 0;
  if (!flags.upstream && !configured && !flags.demo)
    throw new PalisadeError(
      "bad-usage",
      "no upstream: give --upstream URL, gateway.upstreams in palisade.yaml, or --demo for a built-in sample upstream",
    );
  const [
    { createAuthenticator },
    { createCorrelator },
    { loadPolicyFiles },
    { createApi, createStaticHandler, startApiServer },
    { incidentDirectory, incidentRules },
    { demoMcpConfig, replayDemoMcp },
  ] = await Promise.all([
    import("../../gateway/index.js"),
    import("../../incident/index.js"),
    import("../../policy/index.js"),
    import("../../server/index.js"),
    import("./incident.js"),
    import("../demo/mcp-traffic.js"),
  ]);
  const files =
    flags.policy ?? (flags.demo && !ctx.config.gateway.policy.length ? DEMO_POLICY : await policyFiles(ctx, undefined));
  loadPolicyFiles(files); // a bad policy is refused before anything starts

  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse())
      await close().catch((error: unknown) =>
        ctx.logger.warn({ err: (error as Error).message }, "error while stopping"),
      );
  };
  // Listening for the stop signals from the start: a stop during the demo still drains the gateways.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
  try {
    const store = ctx.openStore({ eventWriter: true });
    closers.push(() => store.close());
    await store.migrate();

    const sample = !flags.upstream && !configured ? await startSampleUpstream() : undefined;
    if (sample) closers.push(() => sample.close());
    const gateway = await startGateway(ctx, {
      listen: `${gatewayAt.host}:${gatewayAt.port}`,
      ...(sample ? { upstream: sample.url, upstreamKind: "openai" as const } : {}),
      ...(flags.upstream ? { upstream: flags.upstream, upstreamKind: flags.upstreamKind ?? "openai" } : {}),
      policy: files,
      auth: flags.auth,
    });
    closers.push(() => gateway.close());

    // The MCP gateway, when there are MCP servers to front: the configured ones, or the demo's.
    const mcpConfig =
      flags.demo && Object.keys(ctx.config.mcp.servers).length === 0
        ? demoMcpConfig(join(homedir(), ".palisade", "demo-mcp-pins.json"))
        : ctx.config.mcp;
    const mcp =
      Object.keys(mcpConfig.servers).length > 0
        ? await startMcpHttpGateway(ctx, mcpConfig, { policy: files, auth: flags.auth, listen: mcpAt })
        : undefined;
    if (mcp) closers.push(() => mcp.close());

    const directory = incidentDirectory(ctx);
    const correlator = createCorrelator({
      store,
      rules: incidentRules([]),
      directory,
      imageSeverity: directory.imageSeverity,
    });
    const correlate = async () => {
      try {
        await correlator.run();
      } catch (error) {
        ctx.logger.warn({ err: (error as Error).message }, "correlation run failed; retried next time");
      }
    };
    const timer = setInterval(() => void correlate(), CORRELATE_EVERY_MS);
    timer.unref();
    closers.push(async () => clearInterval(timer));

    const apiKeys = ctx.config.gateway.auth.apiKeys;
    const authenticator = createAuthenticator({
      ...(apiKeys ? { apiKeys: store } : {}),
      ...(ctx.config.gateway.auth.oidc ? { oidc: ctx.config.gateway.auth.oidc } : {}),
    });
    const server = await startApiServer({
      host: api.host,
      port: api.port,
      api: createApi({
        store,
        directory,
        ...(flags.auth ? { authenticate: (h: string | undefined) => authenticator.authenticate(h) } : {}),
        policy: gateway.policy,
        version: packageVersion(),
        logger: ctx.logger,
      }).handler,
      fallback: createStaticHandler(),
      logger: ctx.logger,
    });
    closers.push(() => server.close());

    // A first admin key only where API keys are how callers sign in (not with OIDC alone).
    const adminKey = flags.auth && apiKeys ? await firstAdminKey(store, Date.now()) : undefined;
    const gatewayUrl = `http://${gateway.address.host.includes(":") ? `[${gateway.address.host}]` : gateway.address.host}:${gateway.address.port}`;

    if (flags.demo) {
      ctx.logger.info("demo: scanning examples/ and sending sample traffic through the gateway");
      await runDemoScans(ctx.storeLocation, files);
      const before = (await auditedAtLeast(store, {}, 0))["gateway.request"] ?? 0;
      const keys = flags.auth ? await demoKeys(store) : { alice: "", bob: "", mallory: "" };
      const traffic = await replayDemoTraffic(gatewayUrl, keys);
      const calls = mcp ? await replayDemoMcp(mcp.url, keys) : { sent: 0, refused: 0 };
      await auditedAtLeast(store, { "gateway.request": before + traffic.sent, "mcp.call": calls.sent }, 15_000);
      await correlate();
      ctx.logger.info(
        { requests: traffic.sent, statuses: traffic.statuses, mcpCalls: calls.sent, mcpRefused: calls.refused },
        "demo traffic sent",
      );
    }

    const lines = [
      "Palisade is up.",
      `  dashboard   ${server.url}/${adminKey ? `#key=${adminKey}` : ""}`,
      `  API         ${server.url}/api/v1 (OpenAPI document: ${server.url}/api/v1/openapi.json)`,
      `  AI gateway  ${gatewayUrl}/v1 (OpenAI-compatible)`,
      ...(mcp ? [`  MCP gateway ${mcp.url} (Streamable HTTP; servers: ${mcp.servers.join(", ")})`] : []),
      `  store       ${store.location}`,
      ...(adminKey ? [`  admin key   ${adminKey} (shown once; only its hash is stored)`] : []),
      ...(flags.auth ? [] : ["  authentication is OFF (--no-auth): every local caller is an admin"]),
      "Press Ctrl+C to stop.",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);

    await stopped;
    ctx.logger.info("stopping");
  } finally {
    await closeAll();
  }
}
