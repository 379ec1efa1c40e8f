/**
 * Gateway benchmark: the time Palisade adds in front of an inference server, next to its peer.
 *
 * One run measures, on the same instant upstream (bench/gateway-upstream.ts, a child process):
 *   direct        the upstream called directly (the baseline)
 *   palisade-off  `palisade gateway` with `guards.mode: off` (auth, policy, limits, audit only)
 *   palisade-on   `palisade gateway` with the default policy: every content guard in enforce mode
 *   portkey       the Portkey gateway (@portkey-ai/gateway@1.15.2, no guardrails configured)
 * in four phases:
 *   latency       chat completions with 1 KB and 8 KB prompts (English text with a little PII),
 *                 streamed and not, at a fixed open-loop rate: added latency = gateway minus direct
 *   time to first token  a ~2 KB PII-free prose answer streamed a few characters at a time with a
 *                 short pause between deltas, like a model: time from dispatch to the first
 *                 non-empty content delta, at a low open-loop rate
 *   large prompt  a handful of 1 MB prose prompts (a little PII), one at a time, each sent to
 *                 direct, palisade-off and palisade-on: the per-request guard time is on minus off
 *   throughput    the latency workloads at a fixed concurrency (closed loop)
 * and ends with a `summary`: each figure the gateway promises, its target and whether it was met.
 * Gateways run in their own processes so the load generator (this process, undici with
 * keep-alive) does not share their event loop.
 *
 *   node --import tsx bench/gateway.ts [--rate=300] [--seconds=4] [--concurrency=32]
 *        [--throughput-seconds=3] [--ttft-rate=10] [--ttft-seconds=15] [--large-requests=5]
 *        [--profile] [--targets=palisade-on,portkey] [--workloads=stream]
 *
 * `--profile` runs palisade-on under `--cpu-prof` and adds its top self-time functions;
 * `--throughput-seconds=0`, `--ttft-seconds=0` and `--large-requests=0` skip those phases. CPU
 * time per request (Linux) is the figure least disturbed by other load on the machine.
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
import { createSseParser, type SseEvent } from "../src/gateway/index.js";
import { PROSE_ANSWER, PROSE_DELAY_MS, PROSE_DELTA_CHARS, PROSE_MODEL } from "./gateway-upstream.js";

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
/** Requests per second of the latency phase; the gateway's added-latency targets are stated at 300. */
const RATE = Number(args.get("rate") ?? 300);
const SECONDS = Number(args.get("seconds") ?? 4);
const WARMUP_SECONDS = 1;
const CONCURRENCY = Number(args.get("concurrency") ?? 32);
/** `--throughput-seconds=0` skips the throughput phase (e.g. for a latency run at another rate). */
const THROUGHPUT_SECONDS = Number(args.get("throughput-seconds") ?? 3);
const PROFILE = args.has("profile");
/** `--targets=palisade-on,portkey` and `--workloads=stream` narrow a run (direct always runs). */
const ONLY_TARGETS = args.get("targets")?.split(",");
const ONLY_WORKLOADS = args.get("workloads")?.split(",");
/**
 * Time-to-first-token phase: streamed prose answers per second and for how long (0 skips it).
 * Each answer streams for about two seconds, so 10 per second keeps about 20 streams open.
 */
const TTFT_RATE = Number(args.get("ttft-rate") ?? 10);
const TTFT_SECONDS = Number(args.get("ttft-seconds") ?? 15);
/** Large-prompt phase: measured rounds (one request to each target per round; 0 skips it). */
const LARGE_REQUESTS = Number(args.get("large-requests") ?? 5);
const LARGE_WARMUP = 2;
const LARGE_PROMPT_BYTES = 1024 * 1024;
const LARGE_TIMEOUT_MS = 60_000;
/** The gateways' request body cap for the bench: room for the 1 MB prompt in its JSON envelope. */
const MAX_BODY_BYTES = 4 * LARGE_PROMPT_BYTES;
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

/** A long prompt: the same prose, with the PII paragraph again every PII_EVERY paragraphs. */
const PII_EVERY = 64;

function longPrompt(bytes: number, ticket: string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part =
      i % PII_EVERY === 0 ? PII_PARAGRAPH.replace("TICKET", ticket) : (PARAGRAPHS[i % PARAGRAPHS.length] ?? "");
    parts.push(part);
    size += part.length;
  }
  return parts.join("").slice(0, bytes);
}

/** Where a prompt's ticket number goes: as wide as the numbers (100000 + n), so prompts keep their size. */
const TICKET = "@@TK@@";

/**
 * Ticket numbers are never reused within a run (warm-ups, workloads and phases included): the
 * injection-score cache holds thousands of recent messages, and a number sent twice would be
 * measured as a cache hit.
 */
let ticketsIssued = 0;
const nextTicket = () => ticketsIssued++;

/**
 * Chat request bodies from one template: `body(n)` puts ticket number n into the prompt, so every
 * user prompt is different, as real prompts are (the gateway caches injection scores per message
 * text; a bench that cycled a few prompts would measure that cache instead of the detector).
 */
function chatBodies(options: { model: string; prompt: string; stream: boolean }): (n: number) => string {
  const { model, prompt, stream } = options;
  const template = JSON.stringify({
    model,
    messages: [
      { role: "system", content: "You are a helpful customer-support assistant for a software company." },
      { role: "user", content: prompt },
    ],
    max_tokens: 256,
    temperature: 0.2,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
  if (!template.includes(TICKET)) throw new Error("bench prompt lost its ticket number");
  return (n: number) => template.replaceAll(TICKET, String(100_000 + n));
}

interface Workload {
  name: string;
  promptBytes: number;
  stream: boolean;
  /** The request body for the n-th request (its own ticket number, see chatBodies). */
  body(n: number): string;
}

const ALL_WORKLOADS: Workload[] = [1024, 8192].flatMap((promptBytes) =>
  [false, true].map((stream) => ({
    name: `${promptBytes / 1024}KB ${stream ? "stream" : "json"}`,
    promptBytes,
    stream,
    body: chatBodies({ model: "bench-model", prompt: prompt(promptBytes, TICKET), stream }),
  })),
);
const WORKLOADS = ALL_WORKLOADS.filter((w) => !ONLY_WORKLOADS || ONLY_WORKLOADS.some((f) => w.name.includes(f)));

/** Time to first token: a 1 KB prompt, answered with the upstream's slowly streamed prose. */
const PROSE_BODY = chatBodies({ model: PROSE_MODEL, prompt: prompt(1024, TICKET), stream: true });
/** Guard time: a 1 MB prompt, answered as one JSON body. */
const LARGE_BODY = chatBodies({ model: "bench-model", prompt: longPrompt(LARGE_PROMPT_BYTES, TICKET), stream: false });

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

/** The gateway's own account of its time before the upstream answered (Palisade only). */
function overheadOf(headers: Record<string, string | string[] | undefined>): { overheadMs?: number } {
  const overhead = headers["x-palisade-overhead-ms"];
  return typeof overhead === "string" ? { overheadMs: Number(overhead) } : {};
}

function dispatch(target: Target, body: string, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  return target.pool.request({
    method: "POST",
    path: target.path,
    headers: target.headers,
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/** One request, its whole answer read: time from dispatch to the last byte. */
async function send(target: Target, body: string, options: { timeoutMs?: number } = {}): Promise<Sample> {
  const started = performance.now();
  const response = await dispatch(target, body, options);
  const text = await response.body.text();
  const ms = performance.now() - started;
  if (response.statusCode !== 200)
    throw new Error(`${target.name}: status ${response.statusCode}: ${text.slice(0, 200)}`);
  return { ms, ...overheadOf(response.headers) };
}

interface StreamSample extends Sample {
  /** From dispatch to the first non-empty content delta. */
  ttftMs: number;
  /** The answer's text, every content delta joined. */
  content: string;
}

/** The content of an OpenAI chat-completion chunk's first choice, if it has any. */
function deltaContent(data: string): string {
  try {
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] };
    const content = chunk.choices?.[0]?.delta?.content;
    return typeof content === "string" ? content : "";
  } catch {
    throw new Error(`not a JSON chunk: ${data.slice(0, 200)}`);
  }
}

/** One streamed request (SSE): time to the first content delta and to the last byte. */
async function sendStreamed(target: Target, body: string): Promise<StreamSample> {
  const started = performance.now();
  const response = await dispatch(target, body);
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    throw new Error(`${target.name}: status ${response.statusCode}: ${text.slice(0, 200)}`);
  }
  const parser = createSseParser();
  const decoder = new TextDecoder();
  let ttftMs: number | undefined;
  let content = "";
  const take = (events: SseEvent[]) => {
    for (const event of events) {
      if (event.event === "error") throw new Error(`${target.name}: error event: ${event.data.slice(0, 200)}`);
      if (event.data === "[DONE]") continue;
      const delta = deltaContent(event.data);
      if (delta === "") continue;
      ttftMs ??= performance.now() - started;
      content += delta;
    }
  };
  for await (const chunk of response.body) take(parser.push(decoder.decode(chunk as Buffer, { stream: true })));
  take(parser.push(decoder.decode()));
  take(parser.end());
  const ms = performance.now() - started;
  if (ttftMs === undefined) throw new Error(`${target.name}: the stream had no content`);
  return { ms, ttftMs, content, ...overheadOf(response.headers) };
}

interface OpenLoopResult<T> {
  samples: T[];
  errors: number;
  dropped: number;
  firstError?: string;
  achievedRate: number;
}

/** Call `fire()` `rate` times per second for `seconds`, whatever the answers do (open loop). */
function openLoop<T>(
  fire: () => Promise<T>,
  { rate, seconds }: { rate: number; seconds: number },
): Promise<OpenLoopResult<T>> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const samples: T[] = [];
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
        sent++;
        if (inflight >= MAX_INFLIGHT) {
          dropped++;
          continue;
        }
        inflight++;
        fire()
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
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const body = workload.body(nextTicket());
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
// Result rows, and the phases beyond latency and throughput

interface LatencyRow {
  workload: string;
  target: Target["name"];
  p50Ms: number | null;
  p99Ms: number | null;
  addedP50Ms: number | null;
  addedP99Ms: number | null;
  selfReportedOverheadP50Ms?: number | null;
  selfReportedOverheadP99Ms?: number | null;
  achievedRate: number | null;
  /** The target could not keep up with the offered rate: latency is queueing, not overhead. */
  saturated: boolean;
  requests: number;
  errors: number;
  dropped: number;
  firstError?: string;
}

const sortedMs = (values: readonly number[]) => [...values].sort((a, b) => a - b);

interface TtftRow {
  target: Target["name"];
  ttftP50Ms: number | null;
  ttftP99Ms: number | null;
  /** Target percentile minus direct's percentile (0 for direct). */
  addedP50Ms: number | null;
  addedP99Ms: number | null;
  /** The whole streamed answer, for scale: PROSE_ANSWER's deltas times PROSE_DELAY_MS. */
  totalP50Ms: number | null;
  /** Answers whose text differed from what the upstream sent (there is nothing to redact in it). */
  changedAnswers: number;
  /**
   * CPU time the target's process used per second of the phase, in percent of one core (Linux).
   * Near 100 the event loop was saturated and the figures are queueing, not overhead.
   */
  cpuBusyPercent: number | null;
  achievedRate: number | null;
  requests: number;
  errors: number;
  dropped: number;
  firstError?: string;
}

/**
 * Time to first token: each target streams the upstream's slow prose answer at TTFT_RATE for
 * TTFT_SECONDS (after a short warm-up); direct, the first target, is the baseline.
 */
async function measureTtft(targets: readonly Target[]): Promise<TtftRow[]> {
  const rows: TtftRow[] = [];
  let base: { p50: number; p99: number } | undefined;
  for (const target of targets) {
    const fire = () => sendStreamed(target, PROSE_BODY(nextTicket()));
    await openLoop(fire, { rate: TTFT_RATE, seconds: Math.min(2, TTFT_SECONDS) });
    const cpuBefore = cpuMs(target.pid);
    const started = performance.now();
    const r = await openLoop(fire, { rate: TTFT_RATE, seconds: TTFT_SECONDS });
    const cpuAfter = cpuMs(target.pid);
    const busy =
      cpuBefore === undefined || cpuAfter === undefined
        ? Number.NaN
        : (100 * (cpuAfter - cpuBefore)) / (performance.now() - started);
    const ttft = sortedMs(r.samples.map((s) => s.ttftMs));
    const p50 = percentile(ttft, 50);
    const p99 = percentile(ttft, 99);
    if (target.name === "direct") base = { p50, p99 };
    const row: TtftRow = {
      target: target.name,
      ttftP50Ms: round(p50),
      ttftP99Ms: round(p99),
      addedP50Ms: target.name === "direct" ? 0 : round(p50 - (base?.p50 ?? Number.NaN)),
      addedP99Ms: target.name === "direct" ? 0 : round(p99 - (base?.p99 ?? Number.NaN)),
      totalP50Ms: round(percentile(sortedMs(r.samples.map((s) => s.ms)), 50)),
      changedAnswers: r.samples.filter((s) => s.content !== PROSE_ANSWER).length,
      cpuBusyPercent: round(busy, 0),
      achievedRate: round(r.achievedRate, 1),
      requests: r.samples.length,
      errors: r.errors,
      dropped: r.dropped,
      ...(r.firstError ? { firstError: r.firstError } : {}),
    };
    rows.push(row);
    log(
      `${"ttft prose".padEnd(12)} ${target.name.padEnd(13)} first token p50 ${row.ttftP50Ms} ms  p99 ${row.ttftP99Ms} ms  ` +
        `added p50 ${row.addedP50Ms} p99 ${row.addedP99Ms}  (${r.samples.length} streams, ${r.errors} errors, ` +
        `${row.changedAnswers} answers changed, CPU ${row.cpuBusyPercent}%)`,
    );
  }
  return rows;
}

/** p50 and max of per-request figures, and the figures themselves in the order measured. */
function spread(values: readonly number[]) {
  const sorted = sortedMs(values);
  return {
    p50Ms: round(percentile(sorted, 50)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    perRequestMs: values.map((v) => round(v)),
  };
}

/**
 * Guard time for a large prompt: LARGE_REQUESTS rounds, one at a time, each sending one 1 MB
 * prompt to direct, palisade-off and palisade-on in turn (after LARGE_WARMUP rounds). The guard
 * time of a request is palisade-on's time minus palisade-off's in the same round: everything but
 * the content guards (reading and parsing the body, forwarding it, audit) is in both.
 */
async function measureLargePrompt(targets: readonly Target[]) {
  const measured = targets.filter((t) => t.name !== "portkey");
  const errors = new Map<string, string[]>();
  const roundOf = async (ticket: number) => {
    const body = LARGE_BODY(ticket);
    const samples: Partial<Record<Target["name"], Sample>> = {};
    for (const target of measured) {
      try {
        samples[target.name] = await send(target, body, { timeoutMs: LARGE_TIMEOUT_MS });
      } catch (error) {
        errors.set(target.name, [...(errors.get(target.name) ?? []), (error as Error).message]);
      }
    }
    return samples;
  };
  for (let i = 0; i < LARGE_WARMUP; i++) await roundOf(nextTicket());
  errors.clear();
  const rounds: Partial<Record<Target["name"], Sample>>[] = [];
  for (let i = 0; i < LARGE_REQUESTS; i++) rounds.push(await roundOf(nextTicket()));

  const difference = (a: Target["name"], b: Target["name"], of: (s: Sample) => number | undefined) =>
    rounds.flatMap((r) => {
      const x = r[a] ? of(r[a]) : undefined;
      const y = r[b] ? of(r[b]) : undefined;
      return x === undefined || y === undefined ? [] : [x - y];
    });
  const time = (s: Sample) => s.ms;
  const header = (s: Sample) => s.overheadMs;
  const result = {
    promptBytes: LARGE_PROMPT_BYTES,
    requestBytes: Buffer.byteLength(LARGE_BODY(0)),
    warmupRounds: LARGE_WARMUP,
    rounds: LARGE_REQUESTS,
    targets: measured.map((t) => {
      const samples = rounds.flatMap((r) => r[t.name] ?? []);
      const overheads = samples.flatMap((s) => s.overheadMs ?? []);
      const failures = errors.get(t.name) ?? [];
      return {
        target: t.name,
        ...spread(samples.map(time)),
        ...(overheads.length > 0 ? { overheadHeader: spread(overheads) } : {}),
        errors: failures.length,
        ...(failures[0] ? { firstError: failures[0] } : {}),
      };
    }),
    /** The guard time: palisade-on minus palisade-off, per round. */
    addedOnOverOff: spread(difference("palisade-on", "palisade-off", time)),
    addedOnOverDirect: spread(difference("palisade-on", "direct", time)),
    addedOffOverDirect: spread(difference("palisade-off", "direct", time)),
    /** The same difference as the gateways report it (`x-palisade-overhead-ms`: before the upstream). */
    overheadHeaderOnMinusOff: spread(difference("palisade-on", "palisade-off", header)),
  };
  for (const t of result.targets)
    log(
      `${"1MB json".padEnd(12)} ${t.target.padEnd(13)} p50 ${t.p50Ms} ms  max ${t.maxMs} ms` +
        `${t.overheadHeader ? `  x-palisade-overhead-ms p50 ${t.overheadHeader.p50Ms}` : ""}  (${t.errors} errors)`,
    );
  log(
    `${"1MB json".padEnd(12)} guard time (on - off) p50 ${result.addedOnOverOff.p50Ms} ms  max ${result.addedOnOverOff.maxMs} ms`,
  );
  return result;
}

type LargePromptResult = Awaited<ReturnType<typeof measureLargePrompt>>;

/** One promised figure: its value, its target and whether this run met it. */
function figure(options: {
  description: string;
  value: number | null | undefined;
  target: { atMost: number } | { atLeast: number };
  details?: Record<string, unknown>;
}) {
  const { description, value, target, details = {} } = options;
  const v = value ?? null;
  const met = v !== null && ("atMost" in target ? v <= target.atMost : v >= target.atLeast);
  const bound = "atMost" in target ? `<= ${target.atMost}` : `>= ${target.atLeast}`;
  return { figure: description, value: v, target: bound, met, ...details };
}

/** The figures the gateway promises, from this run's phases. */
function summarise(input: {
  latency: readonly LatencyRow[];
  ttft: readonly TtftRow[];
  large: LargePromptResult | undefined;
  ratios: readonly { workload: string; palisadeOnVsPortkeyThroughput: number | null }[];
}) {
  const onJson1Kb = input.latency.find((l) => l.workload === "1KB json" && l.target === "palisade-on");
  const latencyDetails = { unit: "ms", workload: "1KB json", rate: RATE, saturated: onJson1Kb?.saturated ?? null };
  const ttftOf = (name: Target["name"]) => input.ttft.find((t) => t.target === name);
  const large = input.large;
  const onLarge = large?.targets.find((t) => t.target === "palisade-on");
  const figures = {
    addedLatencyP50: figure({
      description: `added latency with all guards on (palisade-on minus direct), p50, 1 KB JSON chat at ${RATE} req/s`,
      value: onJson1Kb?.addedP50Ms,
      target: { atMost: 1 },
      details: latencyDetails,
    }),
    addedLatencyP99: figure({
      description: `added latency with all guards on (palisade-on minus direct), p99, 1 KB JSON chat at ${RATE} req/s`,
      value: onJson1Kb?.addedP99Ms,
      target: { atMost: 5 },
      details: latencyDetails,
    }),
    guardTime1MbPrompt: figure({
      description: "guard time for a 1 MB prompt: palisade-on minus palisade-off per request, p50",
      value: large?.addedOnOverOff.p50Ms,
      target: { atMost: 50 },
      details: {
        unit: "ms",
        maxMs: large?.addedOnOverOff.maxMs ?? null,
        maxMet: (large?.addedOnOverOff.maxMs ?? Number.POSITIVE_INFINITY) <= 50,
        addedOverDirectP50Ms: large?.addedOnOverDirect.p50Ms ?? null,
        overheadHeaderP50Ms: onLarge?.overheadHeader?.p50Ms ?? null,
        requests: large?.rounds ?? 0,
        errors: onLarge?.errors ?? null,
      },
    }),
    timeToFirstTokenAdded: figure({
      description: "time to first token added on a streamed prose answer (palisade-on minus direct), p50",
      value: ttftOf("palisade-on")?.addedP50Ms,
      target: { atMost: 20 },
      details: {
        unit: "ms",
        p99AddedMs: ttftOf("palisade-on")?.addedP99Ms ?? null,
        palisadeOffAddedP50Ms: ttftOf("palisade-off")?.addedP50Ms ?? null,
        portkeyAddedP50Ms: ttftOf("portkey")?.addedP50Ms ?? null,
        cpuBusyPercent: ttftOf("palisade-on")?.cpuBusyPercent ?? null,
      },
    }),
    ...Object.fromEntries(
      input.ratios.map((r) => [
        `throughputVsPortkey ${r.workload}`,
        figure({
          description: `throughput with all guards on over Portkey's (requests per second at concurrency ${CONCURRENCY}), ${r.workload}`,
          value: r.palisadeOnVsPortkeyThroughput,
          target: { atLeast: 1 },
          details: { unit: "ratio" },
        }),
      ]),
    ),
  };
  return { ...figures, allMet: Object.values(figures).every((f) => f.met) };
}

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
  // Both gateways get the same configuration; only the request body cap differs from the defaults.
  const config = join(dir, "palisade.yaml");
  writeFileSync(config, `gateway:\n  maxBodyBytes: ${MAX_BODY_BYTES}\n`);
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
        "--config",
        config,
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
          body: workload.body(nextTicket()),
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
    const latency: LatencyRow[] = [];
    const baseline = new Map<string, { p50: number; p99: number }>();
    for (const workload of WORKLOADS) {
      for (const target of targets) {
        const fire = () => send(target, workload.body(nextTicket()));
        await openLoop(fire, { rate: RATE, seconds: WARMUP_SECONDS });
        const r = await openLoop(fire, { rate: RATE, seconds: SECONDS });
        const ms = r.samples.map((s) => s.ms).sort((a, b) => a - b);
        const p50 = percentile(ms, 50);
        const p99 = percentile(ms, 99);
        if (target.name === "direct") baseline.set(workload.name, { p50, p99 });
        const base = baseline.get(workload.name) ?? { p50: Number.NaN, p99: Number.NaN };
        const self = sortedMs(r.samples.flatMap((s) => s.overheadMs ?? []));
        const row: LatencyRow = {
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

    const ttft = TTFT_SECONDS > 0 ? await measureTtft(targets) : [];
    const large = LARGE_REQUESTS > 0 ? await measureLargePrompt(targets) : undefined;

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
      latency.find((l) => l.workload === workload && l.target === target);
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
        addedP50AtMost1Ms: on?.addedP50Ms != null && on.addedP50Ms <= 1,
        addedP99AtMost5Ms: on?.addedP99Ms != null && on.addedP99Ms <= 5,
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
        maxBodyBytes: MAX_BODY_BYTES,
        latency: "whole response (last byte), from dispatch; added = gateway percentile minus direct percentile",
        timeToFirstToken: {
          rate: TTFT_RATE,
          seconds: TTFT_SECONDS,
          answerChars: PROSE_ANSWER.length,
          deltaChars: PROSE_DELTA_CHARS,
          delayBetweenDeltasMs: PROSE_DELAY_MS,
          measured: "from dispatch to the first non-empty content delta; added = target percentile minus direct's",
        },
        largePrompt: {
          promptBytes: LARGE_PROMPT_BYTES,
          rounds: LARGE_REQUESTS,
          warmupRounds: LARGE_WARMUP,
          measured:
            "one request at a time, each round direct, palisade-off, palisade-on with the same body; guard time = on minus off per round",
        },
      },
      summary: summarise({ latency, ttft, large, ratios }),
      latency,
      timeToFirstToken: ttft,
      ...(large ? { largePrompt: large } : {}),
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
