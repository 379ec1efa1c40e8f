/**
 * Sandboxed launch of stdio MCP servers: a real MCP server (written with the official SDK)
 * started through connectUpstream inside bubblewrap, probing its own fence with its tools, and
 * the resource limits checked by programs that overstep them.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type McpSandboxConfig, McpSandboxSchema, McpUpstreamSchema, PalisadeError } from "../src/core/index.js";
import { isStdio } from "../src/mcp/index.js";
import { type McpStdioServerConfig, SANDBOX_UID, sandboxAvailable, sandboxLaunch } from "../src/mcp/sandbox.js";
import type { McpExecEvent } from "../src/mcp/strace.js";
import { type ConnectOptions, connectUpstream, type Upstream } from "../src/mcp/upstream.js";

const PROBE = join(import.meta.dirname, "fixtures/mcp/probe-server.mjs");
const dir = mkdtempSync(join(tmpdir(), "palisade-mcp-sandbox-"));
// A root proxy's servers run as uid 65534, which must reach the granted paths below.
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

const available = await sandboxAvailable();
// CI installs bubblewrap and strace and must run these; elsewhere say why they did not run.
const skip = !available.ok && !process.env.CI ? `no sandbox on this machine: ${available.reason}` : false;
const isRoot = process.getuid?.() === 0;

/** A stdio server's configuration, parsed as the proxy would. */
function aStdioServer(input: Record<string, unknown>): McpStdioServerConfig {
  const config = McpUpstreamSchema.parse(input);
  assert.ok(isStdio(config));
  return config;
}
const aProbeServer = (sandbox?: Partial<McpSandboxConfig> | false, env: Record<string, string> = {}) =>
  aStdioServer({ command: process.execPath, args: [PROBE], env, ...(sandbox === undefined ? {} : { sandbox }) });

interface Probe {
  upstream: Upstream;
  events: McpExecEvent[];
  call(tool: string, args?: Record<string, unknown>): Promise<string>;
}

const open: Upstream[] = [];
after(() => Promise.all(open.map((u) => u.close())));

async function connectProbe(config: McpStdioServerConfig, options: Partial<ConnectOptions> = {}): Promise<Probe> {
  const events: McpExecEvent[] = [];
  const upstream = await connectUpstream("probe", config, {
    timeoutMs: 30_000,
    onExec: (event) => events.push(event),
    ...options,
  });
  open.push(upstream);
  return {
    upstream,
    events,
    async call(tool, args = {}) {
      const result = await upstream.client.callTool({ name: tool, arguments: args });
      return (result.content as { text?: string }[]).map((c) => c.text ?? "").join("");
    },
  };
}

/** Waits for exec events, which travel through strace's FIFO beside the server's answer. */
async function eventsMatching(events: McpExecEvent[], match: (e: McpExecEvent) => boolean): Promise<McpExecEvent[]> {
  for (let waited = 0; waited < 3000 && !events.some(match); waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return events.filter(match);
}

describe("sandboxed MCP servers (bubblewrap)", { skip }, () => {
  let port = 0;
  const listener = createServer((socket) => socket.end());
  before(async () => {
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    port = (listener.address() as { port: number }).port;
  });
  after(() => listener.close());

  it("keeps a server off the network unless its sandbox grants it", async () => {
    const fenced = await connectProbe(aProbeServer({}));
    assert.equal(await fenced.call("connect", { host: "127.0.0.1", port }), "ECONNREFUSED");
    const granted = await connectProbe(aProbeServer({ network: true }));
    assert.equal(await granted.call("connect", { host: "127.0.0.1", port }), "connected");
  });

  it("runs the server and what it spawns as a non-root uid, and records each exec as an event", async () => {
    const probe = await connectProbe(aProbeServer({}));
    // The sandbox's own launch (setpriv, bwrap, prlimit, node) is not the server's doing.
    assert.equal(probe.events.length, 0, JSON.stringify(probe.events));
    assert.equal(JSON.parse(await probe.call("whoami")).uid, SANDBOX_UID);
    assert.equal(await probe.call("shell", { script: "id -u" }), String(SANDBOX_UID));
    const [shell] = await eventsMatching(probe.events, (e) => e.path === "/bin/sh");
    assert.ok(shell);
    assert.deepEqual(
      { ...shell, pid: 0, time: 0 },
      {
        kind: "mcp.exec",
        server: "probe",
        pid: 0,
        path: "/bin/sh",
        argv: ["/bin/sh", "-c", "id -u"],
        time: 0,
        truncated: false,
      },
    );
    assert.ok(shell.pid > 0 && Math.abs(shell.time - Date.now()) < 60_000);
    assert.deepEqual(
      probe.events.filter((e) => /bwrap|prlimit|setpriv|strace|node$/.test(e.path)),
      [],
    );
  });

  it("records a hostile command line exactly as the server passed it", async () => {
    const probe = await connectProbe(aProbeServer({}));
    const script = `printf '%s' "it's \\"q\\" é\t\\\\ ]," ; : '"], 0x1) = 0'`;
    await probe.call("shell", { script });
    const [shell] = await eventsMatching(probe.events, (e) => e.path === "/bin/sh");
    assert.deepEqual(shell?.argv, ["/bin/sh", "-c", script]);
  });

  it("lets a server write only inside its writable paths", async () => {
    const work = join(dir, "work");
    // The server's cwd stays the repository (where its script and node_modules are: under a
    // private /tmp a cwd elsewhere would hide them when the checkout itself lives in /tmp).
    const probe = await connectProbe(aProbeServer({ writable: [work] }));
    assert.equal(await probe.call("write", { path: join(work, "out.txt") }), "ok");
    assert.equal(readFileSync(join(work, "out.txt"), "utf8"), "written by the probe\n");
    // Next to the grant, under /tmp: the write lands in the sandbox's own /tmp, never the host's.
    await probe.call("write", { path: join(dir, "outside.txt") });
    assert.equal(existsSync(join(dir, "outside.txt")), false);
    for (const outside of [join(import.meta.dirname, "fixtures/mcp/written-by-probe.txt"), "/etc/palisade-probe"]) {
      assert.match(await probe.call("write", { path: outside }), /^(EROFS|EACCES)$/, outside);
      assert.equal(existsSync(outside), false);
    }
    // Its /tmp is its own, gone with it.
    const scratch = `/tmp/palisade-probe-${process.pid}`;
    assert.equal(await probe.call("write", { path: scratch }), "ok");
    assert.equal(existsSync(scratch), false);
  });

  it("shows hidden paths empty, and the host's sockets under /run not at all", async () => {
    const secrets = join(dir, "secrets");
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, "id_ed25519"), "PRIVATE KEY");
    writeFileSync(join(dir, "token.txt"), "sk-live-secret");
    chmodSync(join(dir, "token.txt"), 0o644);
    const probe = await connectProbe(aProbeServer({ hidden: [secrets, join(dir, "token.txt")] }));
    assert.equal(await probe.call("list", { path: secrets }), "[]");
    assert.equal(await probe.call("read", { path: join(secrets, "id_ed25519") }), "ENOENT");
    assert.equal(await probe.call("read", { path: join(dir, "token.txt") }), "");
    assert.equal(await probe.call("list", { path: "/run" }), "[]");
  });

  it("gives the server its configured environment only, and keeps values off the command line", async () => {
    process.env.PALISADE_PROXY_SECRET = "proxy-only";
    try {
      const config = aProbeServer({}, { GITHUB_TOKEN: "ghp_configured", MALLOC_ARENA_MAX: "2" });
      const probe = await connectProbe(config);
      assert.deepEqual(JSON.parse(await probe.call("env")), [
        "GITHUB_TOKEN",
        "HOME",
        "MALLOC_ARENA_MAX",
        "PATH",
        "PWD",
      ]);
      const launch = await sandboxLaunch("probe", config, McpSandboxSchema.parse({ recordExec: false }));
      assert.equal(launch.env.GITHUB_TOKEN, "ghp_configured");
      assert.equal(
        launch.args.some((arg) => arg.includes("ghp_configured")),
        false,
      );
      // A loader variable never reaches strace or setpriv (root, outside): bwrap sets it inside.
      assert.equal(launch.env.MALLOC_ARENA_MAX, undefined);
      assert.ok(launch.args.join(" ").includes("--setenv MALLOC_ARENA_MAX 2"));
    } finally {
      delete process.env.PALISADE_PROXY_SECRET;
    }
  });

  it("fences servers without a sandbox key when mcp.sandbox is on, and not those with sandbox: false", async () => {
    const fenced = await connectProbe(aProbeServer(), { sandboxDefault: true });
    assert.equal(JSON.parse(await fenced.call("whoami")).uid, SANDBOX_UID);
    const optedOut = await connectProbe(aProbeServer(false), { sandboxDefault: true });
    assert.equal(JSON.parse(await optedOut.call("whoami")).uid, process.getuid?.());
  });

  it("refuses a writable path the sandbox's uid cannot write, naming it", {
    skip: isRoot ? false : "only a root proxy changes the server's uid outside the sandbox",
  }, async () => {
    const locked = join(dir, "locked");
    mkdirSync(join(locked, "inner"), { recursive: true });
    chmodSync(locked, 0o700);
    await assert.rejects(
      connectProbe(aProbeServer({ writable: [join(locked, "inner")] })),
      (error: unknown) =>
        error instanceof PalisadeError && error.code === "bad-config" && error.input === join(locked, "inner"),
    );
  });
});

describe("a server that must be fenced where no fence can be made", () => {
  const marker = join(dir, "started");
  const aServerThatLeavesAMark = () =>
    aStdioServer({ command: "/bin/sh", args: ["-c", `touch ${marker}`], sandbox: {} });
  const refused = (reason: RegExp) => (error: unknown) =>
    error instanceof PalisadeError && error.code === "upstream-unavailable" && reason.test(error.message);

  it("is refused with the reason when bwrap is missing, and never started", async () => {
    await assert.rejects(
      connectUpstream("github", aServerThatLeavesAMark(), {
        timeoutMs: 5000,
        sandboxTools: { tools: { bwrap: join(dir, "no-such-bwrap") } },
      }),
      refused(/github must run sandboxed.*bwrap not found.*bubblewrap/),
    );
    await assert.rejects(
      connectUpstream("github", aServerThatLeavesAMark(), { timeoutMs: 5000, sandboxTools: { path: "/nonexistent" } }),
      refused(/bwrap.*not found/),
    );
    assert.equal(existsSync(marker), false);
  });

  it("is refused with bubblewrap's own words when the kernel will not create namespaces", async () => {
    const fake = join(dir, "bwrap-refusing");
    writeFileSync(
      fake,
      "#!/bin/sh\necho 'bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n",
    );
    chmodSync(fake, 0o755);
    await assert.rejects(
      connectUpstream("github", aServerThatLeavesAMark(), {
        timeoutMs: 5000,
        sandboxTools: { tools: { bwrap: fake } },
      }),
      refused(/bubblewrap cannot create a sandbox here: bwrap: No permissions to create a new namespace/),
    );
    assert.equal(existsSync(marker), false);
  });
});

describe("sandbox resource limits", { skip }, () => {
  /** Runs `node -e script` in a sandbox with `grants`; its exit, output and time. */
  async function runSandboxed(grants: Partial<McpSandboxConfig>, script: string) {
    const config = aStdioServer({ command: process.execPath, args: ["-e", script] });
    const launch = await sandboxLaunch("limits", config, McpSandboxSchema.parse({ ...grants, recordExec: false }));
    const started = Date.now();
    const child = spawn(launch.command, launch.args, { env: launch.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.resume();
    const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
    return { code, signal, stdout: stdout.trim(), ms: Date.now() - started };
  }

  const spawnMany = `
    const { spawn } = require("node:child_process");
    let started = 0, refused = 0, pending = 60;
    const done = () => { if (--pending === 0) console.log(JSON.stringify({ started, refused })); };
    for (let i = 0; i < 60; i++) {
      const child = spawn("/bin/sleep", ["1"]);
      child.once("spawn", () => { started++; done(); });
      child.once("error", () => { refused++; done(); });
    }`;

  it("stops a server forking past maxProcesses (and lets it when the limit allows)", async () => {
    const limited = JSON.parse((await runSandboxed({ maxProcesses: 32 }, spawnMany)).stdout);
    assert.ok(limited.refused > 0 && limited.started < 32, JSON.stringify(limited));
    const roomy = JSON.parse((await runSandboxed({ maxProcesses: 256 }, spawnMany)).stdout);
    assert.deepEqual(roomy, { started: 60, refused: 0 });
  });

  const allocate = `
    const held = [];
    for (let i = 0; i < 12; i++) held.push(Buffer.alloc(64 * 1024 * 1024, 1));
    console.log("allocated " + held.length * 64 + " MiB");`;

  it("stops a server allocating past memoryMb (and lets it when the limit allows)", async () => {
    const limited = await runSandboxed({ memoryMb: 256 }, allocate);
    assert.notEqual(limited.code, 0);
    assert.equal(limited.stdout, "");
    const roomy = await runSandboxed({ memoryMb: 2048 }, allocate);
    assert.deepEqual([roomy.code, roomy.stdout], [0, "allocated 768 MiB"]);
  });

  it("kills a server spinning past cpuSeconds", async () => {
    const spun = await runSandboxed({ cpuSeconds: 1 }, "for (;;) {}");
    // SIGXCPU at the soft limit, SIGKILL at the hard one; bwrap reports either as 128 + signal.
    assert.ok(spun.code === 128 + 24 || spun.code === 128 + 9, `exit ${spun.code} ${spun.signal}`);
    assert.ok(spun.ms < 10_000, `${spun.ms} ms`);
  });
});
