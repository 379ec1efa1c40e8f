/**
 * Sandboxed launch of stdio MCP servers with bubblewrap: a read-only view of the machine, no
 * network unless granted, only the granted paths writable, a uid that is not root, resource
 * limits, and (optionally) every program the server executes recorded through strace.
 *
 * The launch chain, outermost first (each binary resolved to an absolute path on the proxy's PATH):
 *   strace -f … -o FIFO --        record execs (only with `recordExec`)
 *   setpriv --reuid=65534 … --    only when the proxy runs as root: see `SANDBOX_UID`
 *   bwrap … --                    namespaces and mounts
 *   prlimit … --                  limits, applied inside the sandbox's user namespace
 *   COMMAND ARGS…
 */
import { execFile } from "node:child_process";
import {
  chownSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  realpathSync,
  rmSync,
  type Stats,
  statSync,
} from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { Socket } from "node:net";
import { homedir, tmpdir } from "node:os";
import { delimiter, isAbsolute, join, resolve, sep } from "node:path";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type McpSandboxConfig, McpSandboxSchema, PalisadeError } from "../core/index.js";
import type { McpUpstreamConfig } from "./config.js";
import { createExecDecoder, createLineSplitter, type ExecStats, type McpExecEvent } from "./strace.js";

/** A stdio server's configuration (the only kind a sandbox applies to). */
export type McpStdioServerConfig = Extract<McpUpstreamConfig, { command: string }>;

/**
 * The uid and gid a sandboxed server runs as. bubblewrap's user namespace alone only renames
 * the caller's uid: under a root proxy the server would still be uid 0 to the kernel's
 * permission checks and read /etc/shadow or /root. So a root proxy first drops to this uid for
 * real (setpriv); a non-root proxy's server runs as that user outside and as 65534 inside.
 */
export const SANDBOX_UID = 65_534;

/** The programs a sandboxed launch needs: absolute paths, or names searched on `path`. */
export interface SandboxTools {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  strace: string;
}

export interface SandboxToolOptions {
  /** Overrides for where each program is; the rest are searched on `path`. */
  tools?: Partial<SandboxTools>;
  /** The PATH searched for the tools (default: the proxy's own PATH). */
  path?: string;
}

export interface SandboxLaunchOptions extends SandboxToolOptions {
  /** Receives each program the server executes (with `recordExec`). */
  onExec?: (event: McpExecEvent) => void;
}

/** Reads a sandboxed server's exec trace until the server ends or `close` is called. */
export interface ExecRecorder {
  readonly stats: Readonly<ExecStats>;
  close(): Promise<void>;
}

/** What to spawn instead of the server's own command (shaped for the SDK's StdioClientTransport). */
export interface SandboxLaunch {
  command: string;
  args: string[];
  /**
   * The environment to start `command` with: the server's configured `env`, PATH and HOME. Their
   * values travel in the environment, not on a command line other users can read; bwrap unsets
   * every other variable a launcher adds (the proxy's own, the SDK's defaults). Loader
   * variables (LD_PRELOAD…) are left out here and set by bwrap inside the sandbox only.
   */
  env: Record<string, string>;
  cwd?: string;
  exec?: ExecRecorder;
}

export type SandboxAvailability = { ok: true } | { ok: false; reason: string };

/**
 * The fence a stdio server gets: its own `sandbox` key, else the proxy-wide `mcp.sandbox`
 * default with the schema's default grants; `undefined` when it runs unfenced.
 */
export function effectiveSandbox(config: McpStdioServerConfig, globalDefault: boolean): McpSandboxConfig | undefined {
  if (config.sandbox === false) return undefined;
  if (config.sandbox) return config.sandbox;
  return globalDefault ? McpSandboxSchema.parse({}) : undefined;
}

const availability = new Map<string, Promise<SandboxAvailability>>();

/**
 * Whether a sandbox can be made here: the tools exist, the kernel lets bubblewrap create its
 * namespaces (containers and hardened kernels often refuse) and, when execs are recorded, strace
 * may trace. The proxy refuses to start a server that must be fenced when this says no.
 * Probed once per set of tools and cached.
 */
export function sandboxAvailable(
  options: SandboxToolOptions & { recordExec?: boolean } = {},
): Promise<SandboxAvailability> {
  const recordExec = options.recordExec ?? true;
  const tools = findTools(options);
  const key = JSON.stringify([tools, recordExec]);
  let probe = availability.get(key);
  if (!probe) {
    probe = probeSandbox(tools, recordExec);
    availability.set(key, probe);
  }
  return probe;
}

async function probeSandbox(tools: Partial<SandboxTools>, recordExec: boolean): Promise<SandboxAvailability> {
  const needed: (keyof SandboxTools)[] = ["bwrap", "prlimit"];
  if (isRoot()) needed.push("setpriv");
  if (recordExec) needed.push("strace");
  const missing = needed.filter((tool) => !tools[tool]);
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((tool) => PACKAGES[tool]))].join(", ");
    return { ok: false, reason: `${missing.join(", ")} not found on PATH (Debian: apt-get install ${packages})` };
  }
  const found = tools as SandboxTools;
  const chain = launchArgv(found, {
    command: "true",
    args: [],
    sandbox: McpSandboxSchema.parse({ recordExec: false }),
    cwd: "/",
    env: { PATH: "/usr/bin:/bin" },
    hidden: [],
  });
  const fenced = await run(chain[0] ?? "", chain.slice(1));
  if (!fenced.ok) return { ok: false, reason: `bubblewrap cannot create a sandbox here: ${fenced.error}` };
  if (recordExec) {
    const traced = await run(found.strace, [...STRACE_ARGS, "/dev/null", "--", ...chain]);
    if (!traced.ok) return { ok: false, reason: `strace cannot record the sandbox's execs here: ${traced.error}` };
  }
  return { ok: true };
}

const PACKAGES: Record<keyof SandboxTools, string> = {
  bwrap: "bubblewrap",
  prlimit: "util-linux",
  setpriv: "util-linux",
  strace: "strace",
};

/**
 * The command that starts `config`'s server inside the sandbox `sandbox` grants. Refuses (with
 * the reason) when no sandbox can be made here: a server that must be fenced never runs unfenced.
 */
export async function sandboxLaunch(
  name: string,
  config: McpStdioServerConfig,
  sandbox: McpSandboxConfig,
  options: SandboxLaunchOptions = {},
): Promise<SandboxLaunch> {
  const available = await sandboxAvailable({ ...options, recordExec: sandbox.recordExec });
  if (!available.ok)
    throw new PalisadeError("upstream-unavailable", `MCP server ${name} must run sandboxed, but ${available.reason}`, {
      input: name,
    });
  const tools = findTools(options) as SandboxTools;
  const root = isRoot();
  const base = resolve(expandHome(config.cwd ?? process.cwd()));
  const grants = prepareGrants(name, sandbox, { base, root });
  const cwd = workingDirectory(name, base, { configured: config.cwd !== undefined, root });
  const env: Record<string, string> = {
    PATH: sandboxPath(process.env.PATH ?? "/usr/bin:/bin", root),
    // Tools that keep caches (npm, pip) need a writable home: the sandbox's own empty /tmp.
    HOME: "/tmp",
    ...config.env,
  };
  const [outer, loader] = splitLoaderVariables(env);
  const hidden = [...grants.hidden];
  let exec: ExecRecorder | undefined;
  let fifo: string | undefined;
  if (sandbox.recordExec) {
    const dir = await mkdtemp(join(tmpdir(), "palisade-exec-"));
    fifo = join(dir, "exec.fifo");
    // The trace's FIFO must not be writable from inside: a server could forge or hide execs.
    if (!root || searchable(dir)) hidden.push({ path: dir, kind: "dir" });
    exec = await createExecRecorder({ name, dir, fifo, skip: root ? 4 : 3, onExec: options.onExec });
  }
  const chain = launchArgv(tools, {
    command: config.command,
    args: config.args,
    sandbox: { ...sandbox, writable: grants.writable },
    cwd,
    env: outer,
    loader,
    hidden,
    ...(fifo ? { fifo } : {}),
  });
  return {
    command: chain[0] ?? "",
    args: chain.slice(1),
    env: outer,
    ...(config.cwd ? { cwd: base } : {}),
    ...(exec ? { exec } : {}),
  };
}

const STRACE_ARGS = [
  "-f",
  "-qq",
  // Stops only at the traced calls (a seccomp filter), not at every system call the server makes.
  "--seccomp-bpf",
  "-ttt",
  // 128 bytes per string and 128 argv entries: a line stays under the reader's bound.
  "-s",
  "128",
  "-e",
  "trace=execve,execveat",
  "-e",
  "signal=none",
  "-o",
];
/** Mount points the sandbox replaces with its own (or that are the root itself). */
const PRIVATE_ROOTS = ["/", "/tmp", "/run", "/dev", "/dev/shm", "/proc"];

/** The longest strace line kept: 128 strings of 128 bytes, each byte at worst a 4-char escape. */
const MAX_TRACE_LINE = 128 * 1024;

type Hidden = { path: string; kind: "dir" | "file" };

interface ChainSpec {
  command: string;
  args: string[];
  sandbox: McpSandboxConfig;
  cwd: string;
  /** The server's variables that reach it through the launch chain's environment. */
  env: Record<string, string>;
  /** The server's variables that must not touch the chain (see LOADER_VARIABLES): set by bwrap. */
  loader?: Record<string, string>;
  hidden: Hidden[];
  fifo?: string;
}

/** The whole launch command line, outermost program first. */
function launchArgv(tools: SandboxTools, spec: ChainSpec): string[] {
  const { sandbox } = spec;
  const mib = (n: number) => String(n * 1024 * 1024);
  const argv: string[] = [];
  if (spec.fifo) argv.push(tools.strace, ...STRACE_ARGS, spec.fifo, "--");
  if (isRoot())
    argv.push(
      tools.setpriv,
      `--reuid=${SANDBOX_UID}`,
      `--regid=${SANDBOX_UID}`,
      "--clear-groups",
      "--no-new-privs",
      "--inh-caps=-all",
      "--",
    );
  argv.push(tools.bwrap, "--ro-bind", "/", "/", "--dev", "/dev");
  // Every writable tmpfs is sized: its pages are the host's memory, outside any rlimit.
  argv.push("--size", mib(sandbox.memoryMb), "--tmpfs", "/dev/shm", "--remount-ro", "/dev");
  argv.push("--proc", "/proc", "--size", mib(sandbox.memoryMb), "--tmpfs", "/tmp");
  // /run holds the host's sockets (docker.sock, D-Bus): a Unix socket ignores read-only mounts
  // and network namespaces alike, so it is hidden; name resolution comes back with the network.
  argv.push("--size", "65536", "--tmpfs", "/run");
  if (sandbox.network) argv.push("--ro-bind-try", "/run/systemd/resolve", "/run/systemd/resolve");
  argv.push("--remount-ro", "/run");
  // The working directory may sit under /tmp, which is the sandbox's own: bound back read-only,
  // below the writable grants (a later mount covers an earlier one). The bare private roots are
  // never bound: the host's /tmp holds other programs' sockets (ssh-agent, X11).
  if (!PRIVATE_ROOTS.includes(spec.cwd)) argv.push("--ro-bind", spec.cwd, spec.cwd);
  for (const path of sandbox.writable) argv.push("--bind", path, path);
  // A hidden directory reads as empty, a hidden file as /dev/null (a plain bind of it would be
  // unreadable: binds are mounted nodev).
  for (const { path, kind } of spec.hidden)
    argv.push(
      ...(kind === "dir"
        ? ["--size", "4096", "--tmpfs", path, "--remount-ro", path]
        : ["--dev-bind", "/dev/null", path]),
    );
  argv.push("--chdir", spec.cwd);
  argv.push("--unshare-all", "--unshare-user", "--disable-userns");
  if (sandbox.network) argv.push("--share-net");
  argv.push("--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_UID));
  argv.push("--die-with-parent", "--new-session", "--cap-drop", "ALL");
  for (const name of inheritedNames({ ...spec.env, ...spec.loader })) argv.push("--unsetenv", name);
  for (const [name, value] of Object.entries(spec.loader ?? {})) argv.push("--setenv", name, value);
  argv.push("--", tools.prlimit, `--data=${mib(sandbox.memoryMb)}`, `--nproc=${sandbox.maxProcesses}`, "--core=0");
  if (sandbox.cpuSeconds !== undefined) argv.push(`--cpu=${sandbox.cpuSeconds}`);
  argv.push("--", spec.command, ...spec.args);
  return argv;
}

/**
 * Variables that change what a program loads or how libc behaves: glibc ignores them in setuid
 * programs for that reason (its UNSECURE_ENVVARS, sysdeps/generic/unsecvars.h, plus
 * GLIBC_TUNABLES and MALLOC_*). A server's configuration may come from a file under review
 * (`mcp scan --connect`), and strace and setpriv run outside the sandbox, as root under a root
 * proxy: these are handed to bwrap on its command line and set only inside.
 */
const LOADER_VARIABLES =
  /^(LD_.*|GLIBC_.*|MALLOC_.*|GCONV_PATH|GETCONF_DIR|HOSTALIASES|LOCALDOMAIN|LOCPATH|NIS_PATH|NLSPATH|RESOLV_HOST_CONF|RES_OPTIONS|TMPDIR|TZDIR)$/;

function splitLoaderVariables(env: Record<string, string>): [Record<string, string>, Record<string, string>] {
  const outer: Record<string, string> = {};
  const loader: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) (LOADER_VARIABLES.test(name) ? loader : outer)[name] = value;
  return [outer, loader];
}

/** Variables a launcher may add to `env` (the proxy's own, the SDK's defaults) that are not the server's. */
function inheritedNames(env: Record<string, string>): string[] {
  const names = new Set([...Object.keys(process.env), ...Object.keys(getDefaultEnvironment())]);
  return [...names].filter((name) => !(name in env) && name !== "" && !name.includes("=")).sort();
}

interface Grants {
  writable: string[];
  hidden: Hidden[];
}

/**
 * Resolves the granted paths (`~` is the proxy's home, relative paths the server's cwd),
 * creates missing writable ones, and — under a root proxy — checks that the sandbox's uid can
 * use them, so a wrong grant fails here with its path rather than inside the server.
 */
function prepareGrants(name: string, sandbox: McpSandboxConfig, at: { base: string; root: boolean }): Grants {
  const { root } = at;
  const absolute = (path: string) => resolve(at.base, expandHome(path));
  const writable = sandbox.writable.map((path) => {
    const full = absolute(path);
    if (!exists(full)) {
      mkdirSync(full, { recursive: true, mode: 0o755 });
      if (root) chownSync(full, SANDBOX_UID, SANDBOX_UID);
    }
    const real = realpathSync(full);
    if (root && !usableAs(real, { read: true, write: true }))
      throw new PalisadeError(
        "bad-config",
        `MCP server ${name}: writable path ${real} is not writable by uid ${SANDBOX_UID}, which a sandboxed server runs as under a root proxy`,
        { input: real },
      );
    return real;
  });
  const hidden = sandbox.hidden.flatMap((path): Hidden[] => {
    const full = absolute(path);
    const stats = statOrUndefined(full);
    // Nothing to hide (and the read-only root stops it appearing), or out of the uid's reach.
    if (!stats) return [];
    const real = realpathSync(full);
    if (root && !searchable(real)) return [];
    return [{ path: real, kind: stats.isDirectory() ? "dir" : "file" }];
  });
  return { writable, hidden };
}

/**
 * Where the server starts: its configured `cwd`, else the proxy's. Under a root proxy the
 * sandbox's uid must be able to read it; the proxy's own (often /root) is then swapped for the
 * sandbox's /tmp, a configured one is an error that names it.
 */
function workingDirectory(name: string, cwd: string, how: { configured: boolean; root: boolean }): string {
  if (!how.root || usableAs(cwd, { read: true })) return cwd;
  if (!how.configured) return "/tmp";
  throw new PalisadeError(
    "bad-config",
    `MCP server ${name}: working directory ${cwd} is not readable by uid ${SANDBOX_UID}, which a sandboxed server runs as under a root proxy`,
    { input: cwd },
  );
}

/** The proxy's PATH, less what the sandbox's uid cannot search (`/root/.pyenv/shims` under root). */
function sandboxPath(path: string, root: boolean): string {
  const dirs = path.split(delimiter).filter((dir) => isAbsolute(dir));
  return (root ? dirs.filter((dir) => exists(dir) && usableAs(dir, { read: false })) : dirs).join(delimiter);
}

/** Whether uid/gid 65534 may search every directory above `path` (so it can name it). */
function searchable(path: string): boolean {
  const parts = path.split(sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const stats = statOrUndefined(sep + parts.slice(0, i).join(sep));
    if (!stats || !permits(stats, 1)) return false;
  }
  return true;
}

/** Whether uid/gid 65534 can reach `path` and read or write it; ACLs aside. */
function usableAs(path: string, need: { read: boolean; write?: boolean }): boolean {
  if (!searchable(path)) return false;
  const stats = statOrUndefined(path);
  if (!stats) return false;
  const bits = (need.read ? 4 : 0) | (need.write ? 2 : 0) | (stats.isDirectory() ? 1 : 0);
  return permits(stats, bits);
}

function permits(stats: Stats, bits: number): boolean {
  const shift = stats.uid === SANDBOX_UID ? 6 : stats.gid === SANDBOX_UID ? 3 : 0;
  return ((stats.mode >> shift) & bits) === bits;
}

const isRoot = () => process.getuid?.() === 0;
const expandHome = (path: string) => (path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path);
/** The file's status, or `undefined` when it is missing or out of reach (EACCES, ENOTDIR…). */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
const exists = (path: string) => statOrUndefined(path) !== undefined;

/** Each tool's absolute path: the override when given, else the first executable on PATH. */
function findTools(options: SandboxToolOptions): Partial<SandboxTools> {
  const dirs = (options.path ?? process.env.PATH ?? "").split(delimiter).filter((dir) => isAbsolute(dir));
  const find = (name: string) => {
    const candidates = name.includes("/") ? [resolve(name)] : dirs.map((dir) => join(dir, name));
    return candidates.find((file) => {
      const stats = statOrUndefined(file);
      return stats?.isFile() === true && (stats.mode & 0o111) !== 0;
    });
  };
  const tools: Partial<SandboxTools> = {};
  for (const tool of ["bwrap", "prlimit", "setpriv", "strace"] as const) {
    const found = find(options.tools?.[tool] ?? tool);
    if (found) tools[tool] = found;
  }
  return tools;
}

function run(command: string, args: string[]): Promise<{ ok: true } | { ok: false; error: string }> {
  return new Promise((done) => {
    execFile(command, args, { timeout: 10_000, env: { PATH: "/usr/bin:/bin" } }, (error, _stdout, stderr) => {
      if (!error) return done({ ok: true });
      const said = stderr.trim().split("\n").slice(-1)[0];
      done({ ok: false, error: said || error.message });
    });
  });
}

interface RecorderSpec {
  name: string;
  dir: string;
  fifo: string;
  skip: number;
  onExec: ((event: McpExecEvent) => void) | undefined;
}

/**
 * Reads strace's output from a FIFO. Opened for reading without blocking, plus a write end of
 * our own so the reader does not see end-of-file before strace opens it; that write end is
 * closed at strace's first line, after which strace exiting ends the stream.
 */
async function createExecRecorder(spec: RecorderSpec): Promise<ExecRecorder> {
  await new Promise<void>((done, fail) =>
    execFile("mkfifo", ["-m", "600", spec.fifo], (error) => (error ? fail(error) : done())),
  ).catch((cause: unknown) => {
    rmSync(spec.dir, { recursive: true, force: true });
    throw new PalisadeError("internal", `cannot create the exec trace FIFO for ${spec.name}`, { cause });
  });
  const readFd = openSync(spec.fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  let keepFd: number | undefined = openSync(spec.fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  const releaseKeep = () => {
    if (keepFd !== undefined) closeSync(keepFd);
    keepFd = undefined;
  };
  const decoder = createExecDecoder({
    server: spec.name,
    skip: spec.skip,
    onExec: (event) => {
      try {
        spec.onExec?.(event);
      } catch {
        // a listener's failure must not take the proxy down from inside a stream callback
      }
    },
  });
  const lines = createLineSplitter({ maxLine: MAX_TRACE_LINE, onLine: decoder.line, onDrop: decoder.dropped });
  const socket = new Socket({ fd: readFd, readable: true, writable: false });
  const ended = new Promise<void>((done) => socket.once("close", () => done()));
  socket.on("data", (chunk: Buffer) => {
    releaseKeep();
    lines.push(chunk);
  });
  socket.on("end", () => lines.end());
  socket.on("error", () => {}); // a broken trace ends the recording, never the proxy
  let closed = false;
  return {
    stats: decoder.stats,
    async close() {
      if (closed) return;
      closed = true;
      releaseKeep();
      socket.destroy();
      await ended;
      try {
        rmSync(spec.dir, { recursive: true, force: true });
      } catch {
        // a temporary directory left behind is not worth failing a shutdown over
      }
    },
  };
}
