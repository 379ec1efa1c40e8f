/**
 * Palisade configuration: `palisade.yaml` (or `--config FILE`), then environment overrides.
 * Strict schema: a typo is an error that names the file, the line and what was expected.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { PalisadeError, ValidationError } from "./errors.js";
import { LOG_FORMATS } from "./logger.js";
import { parseYamlSource, validateYaml } from "./yaml-document.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const StoreConfigSchema = z.strictObject({
  /** SQLite file for the embedded store. */
  path: z.string().min(1).optional(),
  /** `postgres://` URL; when set it wins over `path`. */
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
    .optional(),
  /** How long a SQLite writer waits for another process's lock before failing (ms). */
  busyTimeoutMs: z.coerce.number().int().min(0).max(600_000).default(5000),
});

export const UPSTREAM_KINDS = ["openai", "vllm", "ollama", "llamacpp", "tgi"] as const;

/** One inference server behind the gateway. */
export const UpstreamConfigSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "upstream names are lower-case letters, digits, '.', '_' and '-'"),
  kind: z.enum(UPSTREAM_KINDS).default("openai"),
  url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }),
  /** Model names (globs) served here; several upstreams for one model fail over in order. */
  models: z.array(z.string().min(1)).default(["*"]),
  /** Names clients use mapped to the upstream's model name (`gpt-4o: llama3:70b`). */
  aliases: z.record(z.string(), z.string()).default({}),
  /** Environment variable holding the upstream's API key, if it needs one. */
  apiKeyEnv: z.string().optional(),
  connectTimeoutMs: z.number().int().positive().default(2000),
  /** Longest silence from the upstream while reading an answer. */
  readTimeoutMs: z.number().int().positive().default(120_000),
  /** Requests in flight to this upstream at most (a GPU serves a few at a time). */
  maxConcurrency: z.number().int().positive().default(64),
});

export const GatewayConfigSchema = z.strictObject({
  listen: z
    .string()
    .regex(/^[^:]+:\d+$/, "expected HOST:PORT")
    .default("127.0.0.1:8080"),
  /** Policy files (merged); without them the built-in default policy applies. */
  policy: z.array(z.string()).default([]),
  upstreams: z.array(UpstreamConfigSchema).default([]),
  auth: z
    .strictObject({
      /** Accept `Authorization: Bearer pal_...` keys made with `palisade keys create`. */
      apiKeys: z.boolean().default(true),
      oidc: z
        .strictObject({
          issuer: z.string().min(1),
          jwksUrl: z.url(),
          audience: z.string().optional(),
          /** Claim holding role names (array or space-separated string). */
          rolesClaim: z.string().default("roles"),
          /** Clock skew tolerated on a token's `exp` and `nbf` (seconds); tokens without `exp` are refused. */
          leewaySeconds: z.number().int().min(0).max(300).default(30),
        })
        .optional(),
    })
    .prefault({}),
  /** Redis URL for limits and budgets shared by several replicas (default: in memory). */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, "expected a redis:// URL")
    .optional(),
  /** Largest request body accepted (bytes); larger ones get 413. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** The whole request body must arrive within this (ms); a slower one gets 408 and the connection closes. */
  bodyTimeoutMs: z.number().int().positive().max(600_000).default(30_000),
  /** Longest silence between two chunks of a request body (ms); a longer one gets 408. */
  idleTimeoutMs: z.number().int().positive().max(600_000).default(10_000),
  audit: z
    .strictObject({
      /** Where events wait when the store is down (replayed when it is back). */
      spoolDir: z.string().optional(),
      batchSize: z.number().int().positive().default(200),
      flushMs: z.number().int().positive().default(250),
    })
    .prefault({}),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
export type UpstreamConfig = z.infer<typeof UpstreamConfigSchema>;

/** MCP server names prefix their tools (`github.create_issue`): no dot, so the split is unambiguous. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Keys client configs (Claude Desktop, Cursor, VS Code) add; `disabled` servers are left out. */
const MCP_CLIENT_KEYS = {
  type: z.enum(["stdio", "http", "streamable-http", "streamableHttp"]).optional(),
  disabled: z.boolean().default(false),
};

/** Where a server's code runs, so incident traces reach its image scan and its runtime events. */
const MCP_PLACEMENT_KEYS = {
  /** The image it comes from (`ghcr.io/x/server@sha256:...`; a tag is looked up among stored scans). */
  image: z.string().min(1).max(1024).optional(),
  /** The Kubernetes workload that runs it (`NAMESPACE/KIND/NAME`): sensor events from its pods join its tool calls. */
  workload: z
    .string()
    .regex(/^[a-z0-9.-]+\/[A-Za-z]+\/[a-z0-9.-]+$/, "NAMESPACE/KIND/NAME, e.g. ai/Deployment/github-mcp")
    .optional(),
};

/**
 * The bubblewrap fence around a stdio server: a read-only root, no network unless granted, only
 * the listed paths writable, a non-root uid and resource limits.
 */
export const McpSandboxSchema = z.strictObject({
  network: z.boolean().default(false),
  /** Paths bound read-write (created if missing); everything else is read-only. */
  writable: z.array(z.string().min(1)).default([]),
  /** Paths hidden from the server (an empty tmpfs over each), e.g. ~/.ssh. */
  hidden: z.array(z.string().min(1)).default([]),
  memoryMb: z.number().int().positive().max(1_048_576).default(2048),
  maxProcesses: z.number().int().positive().max(65_536).default(256),
  cpuSeconds: z.number().int().positive().optional(),
  /** Record every program the server executes as a runtime event (via strace). */
  recordExec: z.boolean().default(true),
});
export type McpSandboxConfig = z.infer<typeof McpSandboxSchema>;

export const McpStdioServerSchema = z.strictObject({
  ...MCP_CLIENT_KEYS,
  ...MCP_PLACEMENT_KEYS,
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
  /** `false`: launched as is; an object: fenced with these grants; absent: `mcp.sandbox` decides. */
  sandbox: z.union([z.literal(false), McpSandboxSchema]).optional(),
});

export const McpHttpServerSchema = z.strictObject({
  ...MCP_CLIENT_KEYS,
  ...MCP_PLACEMENT_KEYS,
  url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }),
  headers: z.record(z.string(), z.string()).default({}),
});

export const McpUpstreamSchema = z.union([McpStdioServerSchema, McpHttpServerSchema]);
export type McpUpstreamConfig = z.infer<typeof McpUpstreamSchema>;

/** `mcp:` — the MCP servers `palisade mcp proxy` puts itself in front of. */
export const McpConfigSchema = z.strictObject({
  servers: z
    .record(z.string(), McpUpstreamSchema)
    // Checked here rather than on the record's key schema, whose error does not say why.
    .superRefine((servers, ctx) => {
      for (const name of Object.keys(servers))
        if (!MCP_SERVER_NAME.test(name))
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `server name "${name}": letters, digits, '_' and '-' only (no '.': it separates server and tool)`,
          });
    })
    .default({}),
  /** Milliseconds an upstream may take to answer one request. */
  requestTimeoutMs: z.number().int().positive().max(3_600_000).default(60_000),
  /** Fence every stdio server without its own `sandbox` key (with the default grants). */
  sandbox: z.boolean().default(false),
  /** The approved tool definitions (`palisade mcp approve` writes it; commit it like a lockfile). */
  pins: z.string().default("palisade-mcp-pins.json"),
});
export type McpConfig = z.infer<typeof McpConfigSchema>;

export const ConfigSchema = z.strictObject({
  store: StoreConfigSchema.prefault({}),
  gateway: GatewayConfigSchema.prefault({}),
  mcp: McpConfigSchema.prefault({}),
  log: z
    .strictObject({
      level: z.enum(LOG_LEVELS).default("info"),
      /** Default: readable lines on a terminal, JSON lines when stderr is piped. */
      format: z.enum(LOG_FORMATS).optional(),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables that override configuration keys, defined once for loading and docs. */
export const ENV_OVERRIDES = [
  { env: "PALISADE_DATABASE_URL", path: ["store", "url"] },
  { env: "PALISADE_DB", path: ["store", "path"] },
  { env: "PALISADE_SQLITE_BUSY_TIMEOUT_MS", path: ["store", "busyTimeoutMs"] },
  { env: "PALISADE_LOG_LEVEL", path: ["log", "level"] },
  { env: "PALISADE_LOG_FORMAT", path: ["log", "format"] },
  { env: "PALISADE_REDIS_URL", path: ["gateway", "redisUrl"] },
] as const;

const DEFAULT_FILES = ["palisade.yaml", "palisade.yml"];

export interface LoadedConfig {
  config: Config;
  /** The file the configuration came from, or null when only defaults and env applied. */
  file: string | null;
}

export interface LoadConfigOptions {
  /** Explicit `--config FILE`; it must exist. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Load, validate and apply environment overrides. Throws ValidationError (bad-config). */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(options.file ?? env.PALISADE_CONFIG, cwd);
  let raw: Record<string, unknown> = {};
  if (file) {
    const source = parseYamlSource(readConfigText(file), file);
    validateYaml(ConfigSchema, source);
    raw = (source.value ?? {}) as Record<string, unknown>;
  }
  const overridden = structuredClone(raw);
  const applied: string[] = [];
  for (const { env: name, path } of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(overridden, path, value);
    applied.push(name);
  }
  const result = ConfigSchema.safeParse(overridden);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    const culprit = ENV_OVERRIDES.find((o) => o.path.join(".") === path)?.env ?? applied.join(", ");
    throw new ValidationError({
      file: `environment ${culprit}`,
      issues: [{ path, message: issue?.message ?? "invalid" }],
    });
  }
  const config = result.data;
  // A relative store path in a file means "next to this file", not "wherever the command runs".
  if (file && config.store.path && !env.PALISADE_DB && !isAbsolute(config.store.path)) {
    config.store.path = resolve(dirname(file), config.store.path);
  }
  return { config, file };
}

/** Parse configuration text directly (for tests and `config check` of a given file). */
export function parseConfig(text: string, file: string): Config {
  return validateYaml(ConfigSchema, parseYamlSource(text, file));
}

/** Default location of the embedded SQLite store. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.PALISADE_HOME ?? join(homedir(), ".palisade"), "palisade.db");
}

function findConfigFile(explicit: string | undefined, cwd: string): string | null {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw new PalisadeError("bad-input", `config file not found: ${explicit}`, { input: explicit });
    }
    return path;
  }
  for (const name of DEFAULT_FILES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return null;
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (cause) {
    throw new PalisadeError("bad-input", `cannot read config file ${file}: ${(cause as Error).message}`, {
      input: file,
      cause,
    });
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}
