/**
 * `palisade gateway`: the composition root of the AI gateway. Builds the store, policy holder,
 * detectors, limiter, audit writer and upstream pool from palisade.yaml and flags, then serves
 * until SIGTERM/SIGINT (drained: in-flight requests finish, audit events are flushed).
 * SIGHUP reloads the policy.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { type Command, Option } from "commander";
import type { Redis } from "ioredis";
import {
  type GatewayConfig,
  PalisadeError,
  parseHostPort,
  redactUrl,
  UPSTREAM_KINDS,
  type UpstreamConfig,
  UpstreamConfigSchema,
} from "../../core/index.js";
import type { AuditWriter, DetectorSpec, GatewayServer, GuardPool, OffThreadAnalyser } from "../../gateway/index.js";
import type { CompiledPolicy, LoadedPolicy, PolicyHolder } from "../../policy/index.js";
import type { Store, WorkerEventWriter } from "../../store/index.js";
import { commandContext, withExamples } from "../command-helpers.js";
import type { CommandContext, GlobalOptions } from "../context.js";
import { auditHashKey } from "../hash-key.js";
import type { Telemetry } from "../telemetry.js";

interface GatewayFlags {
  listen?: string;
  upstream?: string;
  upstreamKind?: UpstreamConfig["kind"];
  policy?: string[];
  auth: boolean;
}

export function registerGateway(program: Command): void {
  const command = program
    .command("gateway")
    .description("run the OpenAI-compatible AI gateway in front of your inference servers")
    .option("-l, --listen <host:port>", "address to listen on (default: gateway.listen or 127.0.0.1:8080)")
    .option("-u, --upstream <url>", "one upstream for every model (instead of gateway.upstreams)")
    .addOption(new Option("--upstream-kind <kind>", "kind of that upstream").choices(UPSTREAM_KINDS).default("openai"))
    .option("-p, --policy <files...>", "policy files (default: gateway.policy, else the built-in default)")
    .option("--no-auth", "accept requests without credentials (loopback only)")
    .addOption(logFormatOption())
    .action(async (flags: GatewayFlags & { format?: string }, cmd: Command) => {
      await serveUntilStopped(await commandContext(serverGlobals(cmd, flags.format)), flags);
    });
  withExamples(command, [
    "palisade gateway --upstream http://127.0.0.1:11434 --upstream-kind ollama --listen 127.0.0.1:8080 --no-auth",
    "palisade gateway --config palisade.yaml",
    "PALISADE_REDIS_URL=redis://redis:6379 PALISADE_DATABASE_URL=postgres://... palisade gateway -c palisade.yaml",
  ]);
}

/** A server's output is its log: `--format json` gives JSON lines, `table` readable lines. */
export function logFormatOption(): Option {
  return new Option(
    "-f, --format <format>",
    "log format on stderr (default: table on a terminal, json when piped)",
  ).choices(["table", "json"]);
}

export function serverGlobals(cmd: Command, format: string | undefined): GlobalOptions {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  if (format === undefined) return globals;
  return { ...globals, logFormat: format === "json" ? "json" : "pretty" };
}

/** Run the gateway until SIGTERM or SIGINT, then drain it. */
async function serveUntilStopped(ctx: CommandContext, flags: GatewayFlags): Promise<void> {
  const gateway = await startGateway(ctx, flags);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.logger.info({ signal }, "draining the gateway");
      gateway.close().then(resolve, (error: unknown) => {
        ctx.logger.error({ err: (error as Error).message }, "error while draining");
        resolve();
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  ctx.logger.info("gateway stopped");
}

export async function startGateway(
  ctx: CommandContext,
  flags: GatewayFlags,
): Promise<
  GatewayServer & {
    address: { host: string; port: number };
    /** The policy the gateway enforces now (the last good one after a rejected edit). */
    policy: () => LoadedPolicy;
  }
> {
  const config: GatewayConfig = ctx.config.gateway;
  const { host, port } = parseHostPort(flags.listen ?? config.listen);
  const noAuth = flags.auth === false;
  const hashKey = auditHashKey();
  if (noAuth && !isLoopback(host)) {
    throw new PalisadeError("bad-usage", `--no-auth is only allowed on a loopback address, not ${host}`, {
      input: host,
    });
  }
  const upstreams = flags.upstream ? [upstreamFromFlags(flags.upstream, flags.upstreamKind)] : config.upstreams;
  if (upstreams.length === 0)
    throw new PalisadeError("bad-config", "no upstream: give --upstream URL or gateway.upstreams in palisade.yaml");

  const [gateways, { Redis }, { startTelemetry }] = await Promise.all([
    import("../../gateway/index.js"),
    import("ioredis"),
    import("../telemetry.js"),
  ]);
  const policy = await watchPolicy(ctx, flags.policy);
  const reload = () => policy.reload();
  process.on("SIGHUP", reload);

  // Everything opened from here on is closed by closeAll, on shutdown and on any failure to
  // start: a watcher, a worker thread or a Redis client left open keeps a failed process alive.
  let store: Store | undefined;
  let redis: Redis | undefined;
  let events: WorkerEventWriter | undefined;
  let gateway: GatewayServer | undefined;
  let retention: ReturnType<typeof gateways.startAuditRetention> | undefined;
  let telemetry: Telemetry | undefined;
  let guardPool: GuardPool | undefined;
  const closeAll = async (graceMs?: number) => {
    // The gateway closes its audit writer, upstream pool and limiter (and so the Redis client).
    if (gateway) await gateway.close(graceMs);
    else redis?.disconnect();
    await guardPool?.close();
    await retention?.stop();
    await events?.close();
    await telemetry?.shutdown();
    process.off("SIGHUP", reload);
    policy.close();
    await store?.close();
  };

  try {
    store = await openStoreIfUp(ctx);
    let limiter = gateways.createMemoryLimiter();
    if (config.redisUrl) {
      redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
      // Before the first connection the failure is the one error line below, not a log as well.
      let connected = false;
      redis.on("error", (error: Error) => {
        if (connected) ctx.logger.warn({ err: error.message }, "redis error");
      });
      try {
        await redis.connect();
        connected = true;
      } catch (cause) {
        throw new PalisadeError(
          "upstream-unavailable",
          `cannot connect to Redis at ${redactUrl(config.redisUrl)}: ${(cause as Error).message}`,
          { cause, input: redactUrl(config.redisUrl) },
        );
      }
      limiter = gateways.createRedisLimiter(redis);
    }
    // Audit writes (and retention prunes) run in a worker with its own connection, off the request
    // path; it also picks the store up later if it was down at start (the spool is replayed then).
    const trail = await openAuditTrail(ctx);
    events = trail.events;
    const audit = trail.audit;
    const pool = gateways.createUpstreamPool(upstreams);
    guardPool = gateways.createGuardPool();
    gateway = gateways.createGatewayServer({
      auth: gateways.createAuthenticator({
        ...(noAuth ? { noAuth: true } : {}),
        ...(store && config.auth.apiKeys ? { apiKeys: store } : {}),
        ...(config.auth.oidc ? { oidc: config.auth.oidc } : {}),
      }),
      policy,
      router: gateways.createModelRouter(pool.upstreams),
      upstreams: pool,
      limiter,
      detectors: gateways.detectorsPerPolicy(gateways.createGatewayDetectors()),
      pool: offThread(guardPool, gateways.detectorSpecOf),
      parseLarge: (bytes) => (guardPool as GuardPool).parseJson(bytes),
      audit,
      metrics: gateways.createGatewayMetrics(),
      maxBodyBytes: config.maxBodyBytes,
      bodyTimeouts: { totalMs: config.bodyTimeoutMs, idleMs: config.idleTimeoutMs },
      logger: ctx.logger,
      hashKey: hashKey.key,
    });
    retention = gateways.startAuditRetention({
      store: events,
      retentionDays: () => policy.current().runtime.logging.retentionDays,
      logger: ctx.logger,
    });
    telemetry = startTelemetry();
    const address = await gateway.listen(host, port);
    if (hashKey.file)
      ctx.logger.info(
        { file: hashKey.file },
        "PALISADE_HASH_KEY is not set: audit prompt hashes are keyed by this installation's own key; give every replica the same PALISADE_HASH_KEY",
      );
    if (noAuth)
      ctx.logger.warn(
        { listen: `${address.host}:${address.port}` },
        "AUTHENTICATION IS OFF (--no-auth): every local caller is 'anonymous'",
      );
    ctx.logger.info(
      {
        listen: `${address.host}:${address.port}`,
        upstreams: upstreams.map((u) => `${u.name}=${redactUrl(u.url)}`),
        policy: policy.current().name,
      },
      "gateway listening",
    );
    return { ...gateway, address, close: closeAll, policy: () => policy.current().loaded };
  } catch (error) {
    await closeAll(0).catch(() => undefined);
    throw error;
  }
}

/** `--upstream URL --upstream-kind KIND` as one upstream, with one-line errors naming the flag. */
/** Large texts of a request are scanned by the pool's threads with the policy's own recognisers. */
function offThread(
  pool: GuardPool,
  specOf: (runtime: CompiledPolicy["runtime"]) => DetectorSpec,
): (policy: CompiledPolicy) => OffThreadAnalyser {
  return (policy) => ({
    scan: (text, injection, signal) =>
      pool.scan(text, {
        spec: specOf(policy.runtime),
        ...(injection ? { injection } : {}),
        ...(signal ? { signal } : {}),
      }),
  });
}

function upstreamFromFlags(url: string, kind: UpstreamConfig["kind"] | undefined): UpstreamConfig {
  const parsed = UpstreamConfigSchema.safeParse({ name: "default", kind: kind ?? "openai", url, models: ["*"] });
  if (!parsed.success) {
    const shown = redactUrl(url);
    throw new PalisadeError("bad-usage", `--upstream must be an http:// or https:// URL, got ${shown}`, {
      input: shown,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The policy files of the flags, else `gateway.policy`, else the built-in default. */
export async function policyFiles(ctx: CommandContext, files: string[] | undefined): Promise<string[]> {
  const configured = ctx.config.gateway.policy;
  if (files) return files;
  if (configured.length > 0) return configured;
  const { DEFAULT_POLICY_FILE } = await import("../../gateway/index.js");
  return [DEFAULT_POLICY_FILE];
}

/** `policyFiles`, loaded and reloaded when they change. */
export async function watchPolicy(ctx: CommandContext, files: string[] | undefined): Promise<PolicyHolder> {
  const { createPolicyHolder } = await import("../../policy/index.js");
  return createPolicyHolder({
    files: await policyFiles(ctx, files),
    watch: true,
    onReload: (p) => ctx.logger.info({ policy: p.name }, "policy reloaded"),
    onError: (error) =>
      ctx.logger.error({ err: (error as Error).message }, "policy reload rejected; the previous policy stays"),
  });
}

/**
 * The store, migrated; undefined when it cannot be opened. The gateways keep serving without
 * it: audit events spool to disk, API keys are refused.
 */
export async function openStoreIfUp(ctx: CommandContext): Promise<Store | undefined> {
  let store: Store | undefined;
  try {
    store = ctx.openStore();
    await store.migrate();
    return store;
  } catch (error) {
    ctx.logger.warn({ err: (error as Error).message }, "store unavailable at start; audit events will be spooled");
    await store?.close().catch(() => undefined);
    return undefined;
  }
}

/**
 * The audit trail both gateways write: events written by a worker with its own connection (it
 * picks the store up later if it was down at start, then replays the spool), batched off the
 * request path.
 */
export async function openAuditTrail(
  ctx: CommandContext,
  /** A spool of its own for a process that is not a gateway, so two processes never share one file. */
  spoolName?: string,
): Promise<{ events: WorkerEventWriter; audit: AuditWriter }> {
  const [{ createAuditWriter }, { createWorkerEventWriter }] = await Promise.all([
    import("../../gateway/index.js"),
    import("../../store/index.js"),
  ]);
  const config = ctx.config.gateway;
  const events = createWorkerEventWriter({
    location: ctx.storeLocation,
    sqliteBusyTimeoutMs: ctx.config.store.busyTimeoutMs,
  });
  const audit = createAuditWriter({
    sink: events,
    spoolDir: join(
      config.audit.spoolDir ?? join(process.env.PALISADE_HOME ?? join(homedir(), ".palisade"), "spool"),
      spoolName ?? "",
    ),
    batchSize: config.audit.batchSize,
    flushMs: config.audit.flushMs,
    logger: ctx.logger,
  });
  return { events, audit };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
