/**
 * Guard pool benchmark: scanning a prompt on the main thread against scanning it in the guard
 * pool (src/gateway/guard-pool.ts), for prose with a little PII (bench/pii-corpus.ts, 1%) of
 * several sizes. For each it reports the wall time of a scan (PII + secrets + injection in user
 * mode) and the longest the event loop went without running a 1 ms interval timer meanwhile:
 * on the main thread that gap is the scan itself, in the pool it is what the main thread still
 * does (copying the text into the message, unpacking the detections). It also reports the
 * pool's fixed costs: the first scan (a thread starting and building its detectors) and the
 * memory a warm thread adds.
 *
 *   node --import tsx bench/guard-pool.ts [--sizes=16k,64k,256k,1m,10m] [--runs=3] [--threads=1]
 *
 * Prints JSON on stdout, progress on stderr. Figures depend on the machine and its load
 * (`loadAverage` is included): on a busy machine the pool's gaps include time the main thread
 * waited for a core.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { createGatewayDetectors, createGuardPool, type DetectorSpec } from "../src/gateway/index.js";
import { mixedText } from "./pii-corpus.js";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k ?? "", v ?? "true"] as const;
  }),
);
const UNITS: Record<string, number> = { k: 1024, m: 1024 * 1024 };
const SIZES = (args.get("sizes") ?? "16k,64k,256k,1m,10m").split(",").map((s) => {
  const match = /^(\d+)([km])$/.exec(s);
  if (!match) throw new Error(`bad size ${s}: use e.g. 64k or 10m`);
  return {
    label: s.toUpperCase().replace(/K$/, "KB").replace(/M$/, "MB"),
    chars: Number(match[1]) * (UNITS[match[2] ?? "k"] ?? 1),
  };
});
const RUNS = Number(args.get("runs") ?? 3);
const THREADS = args.has("threads") ? Number(args.get("threads")) : undefined;
const SPEC: DetectorSpec = { thresholds: {}, custom: [] };

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Run `work` while a 1 ms interval measures the longest stretch the event loop was held. */
async function measured(work: () => Promise<unknown>): Promise<{ ms: number; maxGapMs: number }> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 10)); // the interval is running
  last = performance.now();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  maxGap = Math.max(maxGap, performance.now() - last);
  clearInterval(timer);
  return { ms, maxGapMs: maxGap };
}

/** Distinct, flat strings per run (no rope is flattened inside a timed section). */
function variants(text: string): string[] {
  return Array.from({ length: RUNS }, (_, i) => {
    const v = `${String.fromCharCode(0x41 + i)}${text.slice(1)}`;
    v.charCodeAt(v.length >> 1);
    return v;
  });
}

const mb = (bytes: number) => round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const load = loadavg();
  const idle = await measured(() => new Promise((resolve) => setTimeout(resolve, 500)));
  const detectors = createGatewayDetectors();
  const inMainThread = async (text: string) => {
    detectors.sensitive.detect(text);
    await detectors.injection?.(text, "user");
  };
  await inMainThread(mixedText(4096)); // JIT warm-up, as for the pool's threads below

  const rssBefore = process.memoryUsage().rss;
  const pool = createGuardPool(THREADS ? { size: THREADS } : {});
  const cold = await measured(() => pool.scan(mixedText(4096), { spec: SPEC, injection: "user" }));
  const rssPerThread = process.memoryUsage().rss - rssBefore;

  const results = [];
  for (const size of SIZES) {
    process.stderr.write(`${size.label} ...\n`);
    const texts = variants(mixedText(size.chars));
    const main = [];
    const pooled = [];
    let detections = 0;
    for (const text of texts) {
      main.push(await measured(() => inMainThread(text)));
      pooled.push(
        await measured(async () => {
          detections = (await pool.scan(text, { spec: SPEC, injection: "user" })).detections.length;
        }),
      );
    }
    // What the main thread pays to hand the text over: the synchronous part of `scan` (a copy).
    const handOvers: number[] = [];
    for (const text of texts) {
      const started = performance.now();
      const scanning = pool.scan(text, { spec: SPEC });
      handOvers.push(performance.now() - started);
      await scanning;
    }
    results.push({
      size: size.label,
      chars: size.chars,
      detections,
      mainThread: {
        ms: round(median(main.map((r) => r.ms))),
        maxGapMs: round(Math.max(...main.map((r) => r.maxGapMs))),
      },
      pool: {
        ms: round(median(pooled.map((r) => r.ms))),
        maxGapMs: round(Math.max(...pooled.map((r) => r.maxGapMs))),
        handOverMs: round(median(handOvers), 2),
      },
    });
  }
  await pool.close();

  const report = {
    machine: {
      cpus: cpus().length,
      availableParallelism: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      loadAverage: load.map((l) => round(l, 2)),
      idleMaxGapMs: round(idle.maxGapMs),
    },
    settings: {
      runs: RUNS,
      threads: THREADS ?? "default",
      corpus: "bench/pii-corpus.ts mixedText, 1% PII",
      scan: "sensitive.detect + injection (user)",
      ms: "median of runs",
      maxGapMs: "worst of runs: the longest the event loop went without a 1 ms timer firing",
    },
    pool: { coldStartMs: round(cold.ms), rssAddedByFirstThreadMb: mb(rssPerThread) },
    results,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
