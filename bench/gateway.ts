/**
 * Gateway benchmark: the time Palisade adds in front of an inference server, next to its peer.
 *
 * One run measures, on the same instant upstream (bench/gateway-upstream.ts, a child process):
 *   direct        the upstream called directly (the baseline)
 *   palisade-off  `palisade gateway` with `guards.mode: off` (auth, policy, limits, audit only)
 *   palisade-on   `palisade gateway` with the default policy: every content guard in enforce mode
 *   portkey       the Portkey gateway (@portkey-ai/gateway@1.15.2, no guardrails configured)
 * for chat completions with 1 KB and 8 KB prompts (English text with a little PII), streamed
 * and not: latency percentiles at a fixed open-loop rate (added latency = gateway minus direct),
 * then throughput at a fixed concurrency (closed loop). Gateways run in their own processes so
 * the load generator (this process, undici with keep-alive) does not share their event loop.
 *
 *   node --import tsx bench/gateway.ts [--rate=500] [--seconds=4] [--concurrency=32]
 *        [--throughput-seconds=3] [--profile] [--targets=palisade-on,portkey] [--workloads=stream]
 *
 * `--profile` runs palisade-on under `--cpu-prof` and adds its top self-time functions;
 * `--throughput-seconds=0` measures latency only. CPU time per request (Linux) is the figure
 * least disturbed by other load on the machine.
 * Prints JSON on stdout; progress and a table on stderr. Portkey is installed on demand into
 * bench/.peers (not a project dependency). Note: upstream, gateway and load generator share
 * the machine's cores, so absolute figures depend on it; compare ratios from one run.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";

const ROOT = new URL("..", import.meta.url).pathname;
const PORTKEY_VERSION = "1.15.2";
const PEERS = join(ROOT, "bench/.peers");
const PORTKEY_DIR = join(PEERS, "node_modules/@portkey-ai/gateway");

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k ?? "", v ?? "true"] as const;
  }),
);
const RATE = Number(args.get("rate") ?? 500);
const SECONDS = Number(args.get("seconds") ?? 4);
const WARMUP_SECONDS = 1;
const CONCURRENCY = Number(args.get("concurrency") ?? 32);
/** `--throughput-seconds=0` skips the throughput phase (e.g. for a latency run at another rate). */
const THROUGHPUT_SECONDS = Number(args.get("throughput-seconds") ?? 3);
const PROFILE = args.has("profile");
/** `--targets=palisade-on,portkey` and `--workloads=stream` narrow a run (direct always runs). */
const ONLY_TARGETS = args.get("targets")?.split(",");
const ONLY_WORKLOADS = args.get("workloads")?.split(",");
/** In-flight cap for the open loop: past it the target is overloaded and requests are dropped. */
const MAX_INFLIGHT = 1000;
const REQUEST_TIMEOUT_MS = 10_000;

const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// Prompts: realistic English support-ticket text; the first paragraph has a name, an e-mail
// address and a phone number, so PII guards redact something on every request.

const PII_PARAGRAPH =
  "Hello, my name is Maria Keller and I am writing about ticket #TICKET on my account. You can reach me " +
  "at maria.keller@example.com or on +44 20 7946 0958 during office hours. ";
const PARAGRAPHS = [
  "Last month I upgraded from the starter plan to the team plan because we added four new colleagues, " +
    "and the invoice I received afterwards charged both plans for the same period. ",
  "I contacted support through the chat widget and was told the duplicate charge would be reversed within " +
    "a week, but the statement I downloaded this morning still shows the full amount. ",
  "Could you please check whether the refund was actually issued, and if so, give me a reference I can " +
    "pass on to our finance department? They close the books at the end of the quarter. ",
  "We would also like to switch to annual billing if the discount mentioned on your pricing page still " +
    "applies to existing customers, since the monthly invoices create extra work for us. ",
  "Finally, two of our users report that exported reports sometimes omit the last day of the selected " +
    "range; it happens mostly with date ranges that cross a month boundary. ",
  "Please summarise what you find in a short reply with the next steps, and keep the tone friendly, " +
    "because I will forward your answer to the rest of the team. ",
];

function prompt(bytes: number, ticket: string): string {
  let text = PII_PARAGRAPH.replace("TICKET", String(ticket));
  for (let i = 0; text.length < bytes; i++) text += PARAGRAPHS[i % PARAGRAPHS.length];
  return text.slice(0, bytes);
}

interface Workload {
  name: string;
  promptBytes: number;
  stream: boolean;
  /**
   * The request body for the n-th request. Every user prompt is different (its ticket number is
   * n), as real prompts are: the gateway caches injection scores per message text, and a bench
   * that cycled a few prompts would measure that cache instead of the detector.
   */
  body(n: number): string;
}

const ALL_WORKLOADS: Workload[] = [1024, 8192].flatMap((promptBytes) =>
  [false, true].map((stream) => {
    const template = JSON.stringify({
      model: "bench-model",
      messages: [
        { role: "system", content: "You are a helpful customer-support assistant for a software company." },
        { role: "user", content: prompt(promptBytes, "@@TICKET@@") },
      ],
      max_tokens: 256,
      temperature: 0.2,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
    });
    if (!template.includes("@@TICKET@@")) throw new Error("bench prompt lost its ticket number");
    return {
      name: `${promptBytes / 1024}KB ${stream ? "stream" : "json"}`,
      promptBytes,
      stream,
      body: (n: number) => template.replace("@@TICKET@@", String(100_000 + n)),
    };
  }),
);
const WORKLOADS = ALL_WORKLOADS.filter((w) => !ONLY_WORKLOADS || ONLY_WORKLOADS.some((f) => w.name.includes(f)));

// ---------------------------------------------------------------------------------------------
// Processes

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} did not start within ${timeoutMs} ms`);
}

function spawnLogged(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv, dir: string) {
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", fd, fd] });
  return { child, logFile };
}

/** Rebuild dist/ when a source file is newer than the build (the CLI runs from dist/). */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const built = existsSync(join(ROOT, "dist/cli/main.js")) ? newest(join(ROOT, "dist")) : 0;
  if (built >= newest(join(ROOT, "src"))) return;
  log("building dist/ (npm run build) ...");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * Portkey's build declares `@hono/node-server@^1.3.3`, but from 1.14.2 on (on Node 20) it hands it
 * immutable response headers and every streamed answer fails with `TypeError: immutable`
 * (Portkey-AI/gateway#1389), so the bench pins 1.14.1, the last release that works here.
 */
const HONO_NODE_SERVER = "1.14.1";

function ensurePortkey(): void {
  const installed = (pkg: string) => {
    const file = join(PEERS, "node_modules", pkg, "package.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version : undefined;
  };
  const nested = join(PORTKEY_DIR, "node_modules/@hono/node-server");
  if (
    installed("@portkey-ai/gateway") === PORTKEY_VERSION &&
    installed("@hono/node-server") === HONO_NODE_SERVER &&
    !existsSync(nested)
  )
    return;
  log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into bench/.peers ...`);
  rmSync(join(PEERS, "node_modules"), { recursive: true, force: true });
  rmSync(join(PEERS, "package-lock.json"), { force: true });
  mkdirSync(PEERS, { recursive: true });
  writeFileSync(
    join(PEERS, "package.json"),
    `${JSON.stringify(
      {
        private: true,
        description: "peer gateways for bench/gateway.ts (not Palisade dependencies)",
        dependencies: { "@portkey-ai/gateway": PORTKEY_VERSION },
        overrides: { "@hono/node-server": HONO_NODE_SERVER },
      },
      null,
      2,
    )}\n`,
  );
  execFileSync("npm", ["install", "--prefix", PEERS, "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const POLICY_HEAD = `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: bench }
spec:
  runtime:
    roles:
      - { name: default, identities: ["*"], models: ["*"], tools: ["*"] }
`;

// ---------------------------------------------------------------------------------------------
// Load generation

interface Target {
  name: "direct" | "palisade-off" | "palisade-on" | "portkey";
  origin: string;
  path: string;
  headers: Record<string, string>;
  pool: Pool;
  /** The process serving this target (the upstream for `direct`), for its CPU time. */
  pid: number | undefined;
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of proc(5) (utime, stime) in clock ticks; 100 ticks per second on Linux.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Sample {
  ms: number;
  overheadMs?: number;
}

async function send(target: Target, body: string): Promise<Sample> {
  const started = performance.now();
  const response = await target.pool.request({
    method: "POST",
    path: target.path,
    headers: target.headers,
    body,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const text = await response.body.text();
  const ms = performance.now() - started;
  if (response.statusCode !== 200)
    throw new Error(`${target.name}: status ${response.statusCode}: ${text.slice(0, 200)}`);
  const overhead = response.headers["x-palisade-overhead-ms"];
  return typeof overhead === "string" ? { ms, overheadMs: Number(overhead) } : { ms };
}

interface OpenLoopResult {
  samples: Sample[];
  errors: number;
  dropped: number;
  firstError?: string;
  achievedRate: number;
}

/** Fire `rate` requests per second for `seconds`, whatever the answers do (open loop). */
function openLoop(target: Target, workload: Workload, rate: number, seconds: number): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const samples: Sample[] = [];
  let errors = 0;
  let dropped = 0;
  let firstError: string | undefined;
  let sent = 0;
  let done = 0;
  let inflight = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      if (done + dropped < total) return;
      const elapsed = (performance.now() - start) / 1000;
      resolve({
        samples,
        errors,
        dropped,
        achievedRate: samples.length / elapsed,
        ...(firstError ? { firstError } : {}),
      });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) {
        const body = workload.body(sent);
        sent++;
        if (inflight >= MAX_INFLIGHT) {
          dropped++;
          continue;
        }
        inflight++;
        send(target, body)
          .then(
            (sample) => samples.push(sample),
            (error: unknown) => {
              errors++;
              firstError ??= (error as Error).message;
            },
          )
          .finally(() => {
            inflight--;
            done++;
            finish();
          });
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else finish();
    };
    tick();
  });
}

/** `concurrency` workers sending back to back for `seconds`: completed requests per second. */
async function closedLoop(target: Target, workload: Workload, concurrency: number, seconds: number) {
  const deadline = performance.now() + seconds * 1000;
  let completed = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const body = workload.body(next++);
        try {
          await send(target, body);
          completed++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { rps: completed / ((performance.now() - started) / 1000), completed, errors };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);

// ---------------------------------------------------------------------------------------------
// CPU profile summary (`--profile`): self time per function from a V8 .cpuprofile.

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function topFunctions(file: string, count = 20) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    if (!frame) return;
    const where = frame.url
      ? `${frame.url.replace(`file://${ROOT}`, "").replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}`
      : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, us]) => ({ function: fn, selfMs: round(us / 1000, 0), selfPercent: round((100 * us) / total, 1) }));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  ensureBuilt();
  ensurePortkey();
  const dir = mkdtempSync(join(tmpdir(), "palisade-gwbench-"));
  const policyOff = join(dir, "policy-off.yaml");
  const policyOn = join(dir, "policy-on.yaml");
  writeFileSync(policyOff, `${POLICY_HEAD}    guards: { mode: off }\n`);
  writeFileSync(policyOn, `${POLICY_HEAD}    guards: { mode: enforce, failMode: closed, streaming: window }\n`);
  const [upstreamPort, offPort, onPort, portkeyPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const children: ChildProcess[] = [];
  const profileDir = join(dir, "cpu-profile");

  const start = async (name: string, argv: string[], readyUrl: string, env: NodeJS.ProcessEnv = {}) => {
    const { child, logFile } = spawnLogged(name, process.execPath, argv, env, dir);
    children.push(child);
    await waitForHttp(readyUrl, child, `${name} (log: ${logFile})`);
    return child;
  };
  const palisade = (name: string, port: number, policy: string, extra: string[] = []) =>
    start(
      name,
      [
        ...extra,
        join(ROOT, "bin/palisade.js"),
        "gateway",
        "--upstream",
        upstream,
        "--listen",
        `127.0.0.1:${port}`,
        "--no-auth",
        "--policy",
        policy,
        "--db",
        join(dir, `${name}.db`),
      ],
      `http://127.0.0.1:${port}/healthz`,
      { PALISADE_HOME: join(dir, name) },
    );

  let onChild: ChildProcess | undefined;
  try {
    log(`starting upstream, palisade (off, on) and portkey in ${dir}`);
    const upstreamChild = await start(
      "upstream",
      ["--import", "tsx", join(ROOT, "bench/gateway-upstream.ts"), String(upstreamPort)],
      `${upstream}/healthz`,
    );
    const offChild = await palisade("palisade-off", offPort, policyOff);
    onChild = await palisade(
      "palisade-on",
      onPort,
      policyOn,
      PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    );
    const portkeyChild = await start(
      "portkey",
      [join(PORTKEY_DIR, "build/start-server.js"), `--port=${portkeyPort}`, "--headless"],
      `http://127.0.0.1:${portkeyPort}/`,
    );

    const pool = (origin: string) =>
      new Pool(origin, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    const json = { "content-type": "application/json", authorization: "Bearer sk-bench" };
    const allTargets: Target[] = [
      {
        name: "direct",
        origin: upstream,
        path: "/v1/chat/completions",
        headers: json,
        pool: pool(upstream),
        pid: upstreamChild.pid,
      },
      ...(
        [
          ["palisade-off", offPort],
          ["palisade-on", onPort],
        ] as const
      ).map(([name, port]) => {
        const origin = `http://127.0.0.1:${port}`;
        const pid = (name === "palisade-off" ? offChild : onChild)?.pid;
        return { name, origin, path: "/v1/chat/completions", headers: json, pool: pool(origin), pid };
      }),
      {
        name: "portkey",
        origin: `http://127.0.0.1:${portkeyPort}`,
        path: "/v1/chat/completions",
        headers: {
          ...json,
          "x-portkey-provider": "openai",
          "x-portkey-custom-host": `${upstream}/v1`,
        },
        pool: pool(`http://127.0.0.1:${portkeyPort}`),
        pid: portkeyChild.pid,
      },
    ];

    const targets = allTargets.filter((t) => t.name === "direct" || !ONLY_TARGETS || ONLY_TARGETS.includes(t.name));

    // Correctness first: every target answers every workload; palisade-on redacts the prompt's PII.
    for (const workload of WORKLOADS)
      for (const target of targets) {
        const response = await target.pool.request({
          method: "POST",
          path: target.path,
          headers: target.headers,
          body: workload.body(0),
        });
        const text = await response.body.text();
        if (response.statusCode !== 200)
          throw new Error(`${target.name} / ${workload.name}: status ${response.statusCode}: ${text.slice(0, 300)}`);
        if (!text.includes("refund") || (workload.stream && !text.includes("[DONE]")))
          throw new Error(`${target.name} / ${workload.name}: unexpected answer: ${text.slice(0, 300)}`);
        const redacted = !text.includes("billing.team@example.org");
        if ((target.name === "palisade-on") !== redacted)
          throw new Error(`${target.name} / ${workload.name}: answer PII ${redacted ? "redacted" : "not redacted"}`);
      }

    // Warm every target's JIT on every workload before anything is measured.
    for (const target of targets) for (const workload of WORKLOADS) await closedLoop(target, workload, 8, 0.5);

    const loadBefore = loadavg();
    const latency: Record<string, unknown>[] = [];
    const baseline = new Map<string, { p50: number; p99: number }>();
    for (const workload of WORKLOADS) {
      for (const target of targets) {
        await openLoop(target, workload, RATE, WARMUP_SECONDS);
        const r = await openLoop(target, workload, RATE, SECONDS);
        const ms = r.samples.map((s) => s.ms).sort((a, b) => a - b);
        const p50 = percentile(ms, 50);
        const p99 = percentile(ms, 99);
        if (target.name === "direct") baseline.set(workload.name, { p50, p99 });
        const base = baseline.get(workload.name) ?? { p50: Number.NaN, p99: Number.NaN };
        const self = r.samples.flatMap((s) => (s.overheadMs === undefined ? [] : [s.overheadMs])).sort((a, b) => a - b);
        const row = {
          workload: workload.name,
          target: target.name,
          p50Ms: round(p50),
          p99Ms: round(p99),
          addedP50Ms: target.name === "direct" ? 0 : round(p50 - base.p50),
          addedP99Ms: target.name === "direct" ? 0 : round(p99 - base.p99),
          ...(self.length > 0
            ? {
                selfReportedOverheadP50Ms: round(percentile(self, 50)),
                selfReportedOverheadP99Ms: round(percentile(self, 99)),
              }
            : {}),
          achievedRate: round(r.achievedRate, 0),
          /** The target could not keep up with the offered rate: latency is queueing, not overhead. */
          saturated: r.achievedRate < 0.95 * RATE || r.dropped > 0,
          requests: r.samples.length,
          errors: r.errors,
          dropped: r.dropped,
          ...(r.firstError ? { firstError: r.firstError } : {}),
        };
        latency.push(row);
        log(
          `${workload.name.padEnd(12)} ${target.name.padEnd(13)} p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  ` +
            `added p50 ${row.addedP50Ms} p99 ${row.addedP99Ms}  (${row.achievedRate}/s, ${r.errors} errors, ${r.dropped} dropped)`,
        );
      }
    }

    const throughput: {
      workload: string;
      target: string;
      rps: number | null;
      cpuMsPerRequest: number | null;
      errors: number;
    }[] = [];
    for (const workload of THROUGHPUT_SECONDS > 0 ? WORKLOADS : []) {
      for (const target of targets) {
        await closedLoop(target, workload, CONCURRENCY, 0.5);
        const cpuBefore = cpuMs(target.pid);
        const r = await closedLoop(target, workload, CONCURRENCY, THROUGHPUT_SECONDS);
        const cpuAfter = cpuMs(target.pid);
        const cpuPerRequest =
          cpuBefore === undefined || cpuAfter === undefined ? null : round((cpuAfter - cpuBefore) / r.completed, 3);
        throughput.push({
          workload: workload.name,
          target: target.name,
          rps: round(r.rps, 0),
          cpuMsPerRequest: cpuPerRequest,
          errors: r.errors,
        });
        log(
          `${workload.name.padEnd(12)} ${target.name.padEnd(13)} ${round(r.rps, 0)} req/s at concurrency ${CONCURRENCY}, ` +
            `${cpuPerRequest} CPU ms per request`,
        );
      }
    }
    const loadAfter = loadavg();

    const rps = (workload: string, target: string) =>
      throughput.find((t) => t.workload === workload && t.target === target)?.rps ?? Number.NaN;
    const cpu = (workload: string, target: string) =>
      throughput.find((t) => t.workload === workload && t.target === target)?.cpuMsPerRequest ?? Number.NaN;
    const added = (workload: string, target: string) =>
      latency.find((l) => l.workload === workload && l.target === target) as
        | { addedP50Ms: number; addedP99Ms: number }
        | undefined;
    const ratios = WORKLOADS.map((w) => ({
      workload: w.name,
      palisadeOnVsPortkeyThroughput: round(rps(w.name, "palisade-on") / rps(w.name, "portkey")),
      palisadeOffVsPortkeyThroughput: round(rps(w.name, "palisade-off") / rps(w.name, "portkey")),
      palisadeOnVsDirectThroughput: round(rps(w.name, "palisade-on") / rps(w.name, "direct")),
      portkeyVsDirectThroughput: round(rps(w.name, "portkey") / rps(w.name, "direct")),
      palisadeOnVsPortkeyCpuPerRequest: round(cpu(w.name, "palisade-on") / cpu(w.name, "portkey")),
      palisadeOffVsPortkeyCpuPerRequest: round(cpu(w.name, "palisade-off") / cpu(w.name, "portkey")),
    }));
    const targetsMet = WORKLOADS.map((w) => {
      const on = added(w.name, "palisade-on");
      return {
        workload: w.name,
        addedP50AtMost1Ms: on ? on.addedP50Ms <= 1 : false,
        addedP99AtMost5Ms: on ? on.addedP99Ms <= 5 : false,
        throughputAtLeastPortkey: rps(w.name, "palisade-on") >= rps(w.name, "portkey"),
      };
    });

    let profile: ReturnType<typeof topFunctions> | undefined;
    if (PROFILE && onChild) {
      const exited = new Promise((r) => onChild?.once("exit", r));
      onChild.kill("SIGTERM");
      await exited;
      const file = readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
      if (file) profile = topFunctions(join(profileDir, file));
    }

    const report = {
      benchmark: "gateway",
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        node: process.version,
        loadAverageBefore: loadBefore.map((l) => round(l)),
        loadAverageAfter: loadAfter.map((l) => round(l)),
        note: "upstream, gateway and load generator (this process) share these cores; absolute figures depend on the machine and its load, compare ratios from one run",
      },
      settings: {
        rate: RATE,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        concurrency: CONCURRENCY,
        throughputSeconds: THROUGHPUT_SECONDS,
        answerChars: 500,
        portkey: PORTKEY_VERSION,
        latency: "whole response (last byte), from dispatch; added = gateway percentile minus direct percentile",
      },
      latency,
      throughput,
      ratios,
      targets: targetsMet,
      ...(profile ? { profile: { target: "palisade-on", topSelfTime: profile } } : {}),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    await Promise.all(allTargets.map((t) => t.pool.close()));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  }
}

await main();
