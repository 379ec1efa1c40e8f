/**
 * Guard cost benchmark: how the gateway's content detectors scale with prompt length. Builds the
 * detectors exactly as `palisade gateway` does (createGatewayDetectors) and times, per text size
 * (1 KB .. 10 MB), `sensitive.detect` (PII + secrets) and the injection scorer in user and
 * document mode, on English prose with a little PII and a few secrets, and on hostile texts
 * (long runs of digits, `a@a.a`, base64, spaces, one repeated word, `-----BEGIN`). Every detector
 * must be linear: `ratio_10mb_1mb` near 10.
 *
 *   node --import tsx bench/guard-cost.ts [--sizes=1k,64k,256k,1m,3m,10m] [--corpora=prose,digits]
 *        [--detectors=sensitive,user,document] [--budget-seconds=20] [--runs=3]
 *
 * Up to 1 MB each figure is the best of `--runs` calls after one unmeasured call, above it the
 * best of two. Wall-clock and CPU time are both reported; on a shared machine CPU time is the
 * steadier one. A call slower than `--budget-seconds` skips the larger sizes of that corpus and
 * detector (so a quadratic step cannot make a run last hours). For a profile, run it under
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/guard-cost.ts --sizes=1m`.
 * Prints JSON on stdout, progress on stderr.
 */
import { loadavg } from "node:os";
import { createGatewayDetectors } from "../src/gateway/index.js";
import { mixedText } from "./pii-corpus.js";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k ?? "", v ?? "true"] as const;
  }),
);

const UNITS: Record<string, number> = { k: 1024, m: 1024 * 1024 };
const SIZES = (args.get("sizes") ?? "1k,64k,256k,1m,3m,10m").split(",").map((s) => {
  const match = /^(\d+)([km])$/.exec(s);
  if (!match) throw new Error(`bad size ${s}: use e.g. 64k or 3m`);
  return {
    label: s.toUpperCase().replace(/K$/, "KB").replace(/M$/, "MB"),
    chars: Number(match[1]) * (UNITS[match[2] ?? "k"] ?? 1),
  };
});
const BUDGET_MS = Number(args.get("budget-seconds") ?? 20) * 1000;
const RUNS = Number(args.get("runs") ?? 3);
const WARM_UP_CALLS = 12;

/** Secrets (test values of public formats) sprinkled into the prose. */
const SECRETS = [
  "AKIAIOSFODNN7EXAMPLQ",
  "ghp_R3nd0mT0k3nW1thEnoughEntr0pyAbCdEf12",
  "sk-proj-Qx7Vb2Lm9Ty4Rk8Wn3Hs6Jd1Fc5Gp0Za2Xe7Uv4Mb9",
  "xoxb-2048-1024-Zq8Ky3Wm5Rt7Vn2Px4",
  'password = "Tr0ub4dor&3-horse-B4ttery"',
];

/**
 * Prose with PII (1%) and one secret every ~32 KB, deterministic per size and `variant`. Each has
 * its own PII values, as fresh prompts do: the phone validator memoises what it has seen, and a
 * benchmark that repeats one text would measure that memo instead of the validation.
 */
function prose(chars: number, variant = 0): string {
  const text = mixedText(chars, 0.01, 42 + chars + 7919 * variant);
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const next = text.indexOf(" ", Math.min(text.length, at + 32 * 1024));
    const end = next < 0 ? text.length : next + 1;
    parts.push(text.slice(at, end));
    if (end < text.length) parts.push(`${SECRETS[i % SECRETS.length]} `);
    at = end;
  }
  return parts.join("").slice(0, chars);
}

const repeat = (unit: string) => (chars: number) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

/** Each corpus maps a length (and a variant number) to a text of exactly that many UTF-16 code units. */
const CORPORA: Record<string, (chars: number, variant: number) => string> = {
  prose,
  digits: repeat("4111111111111111"),
  "a@a.a": repeat("a@a.a"),
  base64: repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w"),
  spaces: (chars) => `hello${" ".repeat(Math.max(0, chars - 10))}world`.slice(0, chars),
  "repeated-word": repeat("ignore "),
  "begin-marker": repeat("-----BEGIN"),
};
const ONLY_CORPORA = args.get("corpora")?.split(",");

const detectors = createGatewayDetectors();
const { injection } = detectors;
if (!injection) throw new Error("the gateway's detectors have no injection scorer");
type DetectorName = "sensitive" | "user" | "document";
const DETECTORS: Record<DetectorName, (text: string) => Promise<unknown>> = {
  sensitive: async (text) => detectors.sensitive.detect(text),
  user: (text) => injection(text, "user"),
  document: (text) => injection(text, "document"),
};
const ONLY_DETECTORS = args.get("detectors")?.split(",") as DetectorName[] | undefined;

/** One timing: wall-clock and CPU milliseconds (CPU time is what a loaded machine distorts least). */
interface Timing {
  ms: number;
  cpu_ms: number;
}

/**
 * Best of `runs` timings, each on a distinct text (the gateway memoises injection results for
 * short texts; a differing first character defeats that without changing the cost).
 */
async function time(run: (text: string) => Promise<unknown>, texts: readonly string[]): Promise<Timing> {
  let best: Timing = { ms: Number.POSITIVE_INFINITY, cpu_ms: Number.POSITIVE_INFINITY };
  for (const text of texts) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await run(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (ms < best.ms) best = { ms, cpu_ms: cpuMs };
    if (ms > BUDGET_MS) break;
  }
  return best;
}

/**
 * `runs` distinct texts of one corpus and size: the corpus's own variants where it has them,
 * else a differing first character (the gateway memoises injection results for short texts).
 * Each is flattened before timing (a concatenation stays a rope until a regex or a similar read
 * flattens it; an anchored empty pattern does that and returns at once).
 */
function variants(build: (chars: number, variant: number) => string, chars: number, runs: number): string[] {
  return Array.from({ length: runs }, (_, i) => {
    const text = build(chars, i);
    const v = i === 0 || text !== build(chars, 0) ? text : `${String.fromCharCode(0x41 + i)}${text.slice(1)}`;
    /^/.test(v);
    return v;
  });
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  // Warm up as a running gateway is: the JIT, regex tier-up, the gazetteer and the rule indexes
  // (the first dozen calls on a detector are up to three times slower than the rest).
  const warmUp = Array.from({ length: WARM_UP_CALLS }, (_, i) => prose(256 * 1024, 1000 + i));
  for (const run of Object.values(DETECTORS)) for (const text of warmUp) await run(text);

  const results: Record<string, Partial<Record<DetectorName, Record<string, Timing | null>>>> = {};
  for (const [corpus, build] of Object.entries(CORPORA)) {
    if (ONLY_CORPORA && !ONLY_CORPORA.includes(corpus)) continue;
    const row: Partial<Record<DetectorName, Record<string, Timing | null>>> = {};
    const over = new Set<DetectorName>();
    for (const size of SIZES) {
      // Up to 1 MB: one unmeasured run, then the best of RUNS; above: the best of two.
      const small = size.chars <= 1024 * 1024;
      const texts = variants(build, size.chars, small ? RUNS + 1 : 2);
      for (const name of Object.keys(DETECTORS) as DetectorName[]) {
        if (ONLY_DETECTORS && !ONLY_DETECTORS.includes(name)) continue;
        const bySize = row[name] ?? {};
        row[name] = bySize;
        if (over.has(name)) {
          bySize[size.label] = null;
          continue;
        }
        if (small) await DETECTORS[name](texts[texts.length - 1] as string);
        const timing = await time(DETECTORS[name], small ? texts.slice(0, -1) : texts);
        bySize[size.label] = { ms: round(timing.ms), cpu_ms: round(timing.cpu_ms) };
        if (timing.ms > BUDGET_MS) over.add(name);
        process.stderr.write(
          `${corpus.padEnd(14)} ${name.padEnd(9)} ${size.label.padStart(6)} ${timing.ms.toFixed(1)} ms (cpu ${timing.cpu_ms.toFixed(1)})\n`,
        );
      }
    }
    results[corpus] = row;
  }

  /** Per corpus and detector: cost per MB at the largest size measured, and how 10 MB compares to 1 MB. */
  const summary: Record<string, Record<string, Record<string, number | null>>> = {};
  for (const [corpus, row] of Object.entries(results)) {
    const perDetector: Record<string, Record<string, number | null>> = {};
    for (const [name, bySize] of Object.entries(row)) {
      const largest = SIZES.filter((s) => bySize[s.label]).at(-1);
      const at = largest ? (bySize[largest.label] as Timing) : undefined;
      const mb = largest ? largest.chars / (1024 * 1024) : 1;
      const oneMb = bySize["1MB"];
      const tenMb = bySize["10MB"];
      perDetector[name] = {
        ms_per_mb: at ? round(at.ms / mb) : null,
        cpu_ms_per_mb: at ? round(at.cpu_ms / mb) : null,
        ratio_10mb_1mb: oneMb && tenMb ? round(tenMb.ms / oneMb.ms) : null,
        cpu_ratio_10mb_1mb: oneMb && tenMb ? round(tenMb.cpu_ms / oneMb.cpu_ms) : null,
      };
    }
    summary[corpus] = perDetector;
  }
  const prose1Mb = { sensitive: results.prose?.sensitive?.["1MB"], user: results.prose?.user?.["1MB"] };
  const sum = (key: keyof Timing) =>
    prose1Mb.sensitive && prose1Mb.user ? round(prose1Mb.sensitive[key] + prose1Mb.user[key]) : null;
  const output = {
    benchmark: "guard-cost",
    unit: "ms wall clock and CPU: best of runs after a warm-up up to 1 MB, best of two above",
    sizes: SIZES.map((s) => s.label),
    budget_seconds: BUDGET_MS / 1000,
    load_average: loadavg().map((l) => round(l)),
    prose_1mb_sensitive_plus_user: { ms: sum("ms"), cpu_ms: sum("cpu_ms") },
    summary,
    results,
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

await main();
