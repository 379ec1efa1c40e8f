/**
 * The system injection mode against user-mode scoring of the same texts; prints JSON.
 *   node --import tsx bench/injection-system.ts [--split tune|report] [--show-errors] [--latency-only]
 * Data and splits: bench/injection-system-data.ts. `tune` is what rules and thresholds were
 * chosen on; `report` is what docs quote. Latency compares both modes on one 2 KB system
 * prompt, interleaved call by call in one run so a noisy machine affects both alike.
 */
import { performance } from "node:perf_hooks";
import { createDefaultInjectionDetector, type InjectionDetector } from "../src/detect/injection/index.js";
import { measureDetector } from "./injection-data.js";
import { buildSystemSet, type SystemSample, type SystemSplit } from "./injection-system-data.js";

const measure = measureDetector;

/** Nearest-rank percentile (q in [0, 1]) at microsecond precision. */
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function bySource(samples: readonly SystemSample[]): Map<string, SystemSample[]> {
  const groups = new Map<string, SystemSample[]>();
  for (const s of samples) {
    const key = `${s.label === 1 ? "attack" : "benign"}:${s.source}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

/** A developer system prompt of about 2 KB (the "long" fixtures repeated), for latency. */
function twoKilobytePrompt(samples: readonly SystemSample[]): string {
  const long = samples.filter((s) => s.label === 0 && s.category === "long").map((s) => s.text);
  let text = "";
  for (let i = 0; text.length < 2048; i++) text += `${long[i % long.length] ?? ""}\n\n`;
  return text.slice(0, 2048);
}

function latency(detector: InjectionDetector, text: string, rounds: number): Record<string, number> {
  const times: Record<"user" | "system", number[]> = { user: [], system: [] };
  // Vary the text per call (a trailing counter) so nothing is served from a cache.
  for (let i = 0; i < 200; i++) detector.detect(`${text} ${i}`, { mode: i % 2 ? "user" : "system" });
  for (let i = 0; i < rounds; i++) {
    for (const mode of i % 2 === 0 ? (["user", "system"] as const) : (["system", "user"] as const)) {
      const start = performance.now();
      detector.detect(`${text} ${i}`, { mode });
      times[mode].push(performance.now() - start);
    }
  }
  const out: Record<string, number> = { chars: text.length, calls: rounds };
  for (const mode of ["user", "system"] as const) {
    out[`${mode}P50Ms`] = round(percentile(times[mode], 0.5));
    out[`${mode}P95Ms`] = round(percentile(times[mode], 0.95));
    out[`${mode}P99Ms`] = round(percentile(times[mode], 0.99));
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const split = (args[args.indexOf("--split") + 1] ?? "report") as SystemSplit;
  const showErrors = args.includes("--show-errors");
  const detector = createDefaultInjectionDetector();
  const all = buildSystemSet();
  if (args.includes("--latency-only")) {
    process.stdout.write(`${JSON.stringify({ latency2KB: latency(detector, twoKilobytePrompt(all), 10_000) })}\n`);
    return;
  }
  const samples = all.filter((s) => s.split === split);
  const report: Record<string, unknown> = { split, samples: samples.length };
  for (const mode of ["user", "system"] as const) {
    report[mode] = {
      all: measure(detector, samples, mode),
      bySource: Object.fromEntries([...bySource(samples)].map(([k, list]) => [k, measure(detector, list, mode)])),
    };
  }
  report.latency2KB = latency(detector, twoKilobytePrompt(all), 2000);
  if (showErrors) {
    const errors: string[] = [];
    for (const s of samples) {
      const r = detector.detect(s.text, { mode: "system" });
      if ((r.verdict === "injection") !== (s.label === 1))
        errors.push(
          `${s.label ? "MISS" : "FP  "} ${r.score.toFixed(2)} ${s.source} [${r.signals
            .filter((x) => x.score > 0)
            .map((x) => `${x.id}:${x.score}`)
            .join(",")}] ${JSON.stringify(s.text.slice(-160))}`,
        );
    }
    report.errors = errors;
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main();
