/**
 * Secrets detector against CredSweeper's test samples, plus throughput.
 *
 *   node --import tsx bench/secrets-credsweeper.ts [samples-dir]
 *
 * CredSweeper's expected_findings.json is its own output with default settings: a regression
 * oracle, not ground truth. An expected value counts as found when one of our spans in the same
 * file covers its line and overlaps it (character ranges when the line is verbatim in the file,
 * substring containment otherwise). A finding counts as found when any of its values is.
 * Prints JSON to stdout.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createSecretsDetector } from "../src/detect/secrets/index.js";

interface ExpectedValue {
  line: string;
  line_num: number;
  path: string;
  value: string | null;
  value_start: number;
  value_end: number;
}
interface ExpectedFinding {
  rule: string;
  line_data_list: ExpectedValue[];
}
interface Span {
  file: string;
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  ruleId: string;
  value: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "../../shared/datasets/pii/credsweeper-samples"));
const expected = JSON.parse(readFileSync(join(root, "expected_findings.json"), "utf8")) as ExpectedFinding[];
const detector = createSecretsDetector();

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const files = readdirSync(join(root, "samples")).filter((f) => statSync(join(root, "samples", f)).isFile());
const texts = new Map<string, { text: string; starts: number[] }>();
const spans: Span[] = [];
let sampleBytes = 0;
const sampleStarted = performance.now();
for (const name of files.sort()) {
  const file = `samples/${name}`;
  const text = readFileSync(join(root, file), "utf8");
  sampleBytes += Buffer.byteLength(text);
  const starts = lineStarts(text);
  texts.set(file, { text, starts });
  for (const d of detector.detect(text)) {
    spans.push({
      file,
      start: d.start,
      end: d.end,
      firstLine: lineOf(starts, d.start),
      lastLine: lineOf(starts, Math.max(d.start, d.end - 1)),
      ruleId: d.ruleId,
      value: text.slice(d.start, d.end),
    });
  }
}
const sampleMs = performance.now() - sampleStarted;

/** The spans that account for one expected value. */
function matches(v: ExpectedValue): Span[] {
  const source = texts.get(v.path);
  if (!source || !v.value) return [];
  const lineStart = source.starts[v.line_num - 1];
  const verbatim =
    lineStart !== undefined &&
    v.value_start >= 0 &&
    source.text.slice(lineStart + v.value_start, lineStart + v.value_end) === v.value;
  const value = v.value;
  return spans.filter((s) => {
    if (s.file !== v.path || v.line_num < s.firstLine || v.line_num > s.lastLine) return false;
    if (verbatim) {
      const a = (lineStart as number) + v.value_start;
      const b = (lineStart as number) + v.value_end;
      return s.start < b && a < s.end;
    }
    return s.value.includes(value) || value.includes(s.value);
  });
}

const perRule = new Map<string, { findings: number; found: number }>();
const used = new Set<Span>();
let valuesTotal = 0;
let valuesFound = 0;
let findingsFound = 0;
const missedSample: { rule: string; path: string; line: number; value: string }[] = [];
for (const finding of expected) {
  let any = false;
  for (const v of finding.line_data_list) {
    valuesTotal++;
    const m = matches(v);
    if (m.length > 0) {
      valuesFound++;
      any = true;
      for (const s of m) used.add(s);
    }
  }
  if (any) findingsFound++;
  else if (missedSample.length < 200) {
    const v = finding.line_data_list[0];
    if (v)
      missedSample.push({ rule: finding.rule, path: v.path, line: v.line_num, value: (v.value ?? "").slice(0, 40) });
  }
  const stats = perRule.get(finding.rule) ?? { findings: 0, found: 0 };
  stats.findings++;
  if (any) stats.found++;
  perRule.set(finding.rule, stats);
}

const extras = spans.filter((s) => !used.has(s));
const extrasByRule: Record<string, number> = {};
for (const s of extras) extrasByRule[s.ruleId] = (extrasByRule[s.ruleId] ?? 0) + 1;
const negativeFiles = files.filter((f) => /(_n|_fp|_FALSE|false_positive)(\.|$)/.test(f)).map((f) => `samples/${f}`);

/** Deterministic prose with a few keys; measures the common case (little to find). */
function syntheticProse(bytes: number): string {
  const words =
    "the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no out up into do time only could new them man some these then two first may any like now my such make over our even most me state after also made many did must before back see through way where get much go well your know should down work year because come people just say each those take day good how long very".split(
      " ",
    );
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const parts: string[] = [];
  let size = 0;
  let sentence = 0;
  while (size < bytes) {
    const length = 8 + (next() % 12);
    const words_ = Array.from({ length }, () => words[next() % words.length]);
    let s = `${words_.join(" ")}. `;
    if (++sentence % 20_000 === 0)
      s += `token: ghp_R8xK2mQ9vL4nT7wZ1cF5hJ3bN6pD0s${String(sentence).padStart(6, "0")}. `;
    parts.push(s);
    size += s.length;
  }
  return parts.join("");
}

function throughput(text: string): {
  megabytes: number;
  seconds: number;
  mbPerSecond: number;
  detections: number;
  byRule: Record<string, number>;
} {
  detector.detect(text.slice(0, 100_000));
  const started = performance.now();
  const found = detector.detect(text);
  const seconds = (performance.now() - started) / 1000;
  const megabytes = Buffer.byteLength(text) / 1e6;
  return {
    megabytes: round(megabytes),
    seconds: round(seconds),
    mbPerSecond: round(megabytes / seconds),
    detections: found.length,
    byRule: Object.fromEntries(
      [...new Set(found.map((d) => d.ruleId))].map((id) => [id, found.filter((d) => d.ruleId === id).length]),
    ),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const prose = syntheticProse(10_000_000);
const dense = [...texts.values()].map((t) => t.text).join("\n");
const denseTen = dense.repeat(Math.ceil(10_000_000 / dense.length)).slice(0, 10_000_000);

const rules = [...perRule.entries()]
  .map(([rule, s]) => ({ rule, findings: s.findings, found: s.found, recall: round(s.found / s.findings) }))
  .sort((a, b) => b.findings - a.findings || a.rule.localeCompare(b.rule));

console.log(
  JSON.stringify(
    {
      dataset: root,
      files: files.length,
      expected: { findings: expected.length, values: valuesTotal },
      recall: {
        findings: round(findingsFound / expected.length),
        findingsFound,
        values: round(valuesFound / valuesTotal),
        valuesFound,
      },
      perRule: rules,
      notCovered: rules.filter((r) => r.found === 0).map((r) => r.rule),
      ours: {
        spans: spans.length,
        beyondExpected: extras.length,
        beyondExpectedByRule: extrasByRule,
        beyondExpectedSample: extras.slice(0, 40).map((s) => ({
          file: s.file,
          line: s.firstLine,
          ruleId: s.ruleId,
          value: s.value.length > 48 ? `${s.value.slice(0, 48)}…(${s.value.length})` : s.value,
        })),
        inNegativeFiles: spans.filter((s) => negativeFiles.includes(s.file)).length,
      },
      missedSample,
      throughput: {
        samples: { megabytes: round(sampleBytes / 1e6), seconds: round(sampleMs / 1000) },
        prose10MB: { ...throughput(prose), keysInserted: (prose.match(/ghp_/g) ?? []).length },
        samplesRepeated10MB: throughput(denseTen),
      },
    },
    null,
    2,
  ),
);
