/**
 * AI-BOM corpus scorer (issue 15): scans each checkout of bench/aibom-corpus with `scanCodebase`,
 * compares with the hand labels and prints JSON — per repository and micro-averaged precision,
 * recall and F1 for SDKs, models, configured MCP servers and MCP implementations, hard negatives
 * reported, and wall/CPU seconds. Fetches nothing; see bench/aibom-corpus/README.md.
 *
 *   npm run bench:aibom -- --checkouts DIR [--split dev|holdout|all] [--repo OWNER/NAME] [--details]
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadAiCatalog, scanCodebase } from "../src/scan/code/index.js";
import {
  CATEGORIES,
  HOLDOUT_ROUND,
  type LabelFile,
  LabelFileSchema,
  type RepoScore,
  type Split,
  scoreRepo,
  toMicro,
  toObserved,
  toSplit,
} from "./aibom-score.js";

const CORPUS = join(import.meta.dirname, "aibom-corpus");
const SPLIT_RULE = `repositories of round ${HOLDOUT_ROUND} are holdout; earlier rounds (no round field: round 1) are dev`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    checkouts: { type: "string" },
    split: { type: "string", default: "dev" },
    repo: { type: "string" },
    details: { type: "boolean", default: false },
    "allow-holdout-details": { type: "boolean", default: false },
  },
  strict: true,
});

const split = values.split;
if (split !== "dev" && split !== "holdout" && split !== "all")
  fail(`--split must be dev, holdout or all, not ${split}`);
if (!values.checkouts) fail("--checkouts DIR is required (see bench/aibom-corpus/README.md)");
const checkouts = values.checkouts;
if (values.details && split !== "dev" && !values["allow-holdout-details"])
  fail(
    `--details with --split ${split} would show holdout misses; holdout repositories must not be looked at while fixing the scanner (pass --allow-holdout-details to override)`,
  );

function readLabels(): LabelFile[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const parsed = LabelFileSchema.safeParse(JSON.parse(readFileSync(join(CORPUS, f), "utf8")));
      if (!parsed.success) fail(`${f}: ${parsed.error.message}`);
      if (`${parsed.data.repo.replace("/", "__")}.json` !== f) fail(`${f}: repo is ${parsed.data.repo}`);
      return parsed.data;
    });
}

const all = readLabels();
let selected = all.filter((l) => split === "all" || toSplit(l) === split);
if (values.repo) {
  const wanted = values.repo;
  const label = all.find((l) => l.repo === wanted);
  if (!label) fail(`no labels for ${wanted} in ${CORPUS}`);
  if (!selected.includes(label))
    fail(`${wanted} is in the ${toSplit(label)} split; pass --split ${toSplit(label)} or --split all`);
  selected = [label];
}

const missing = selected.filter((l) => {
  const dir = join(checkouts, l.repo.replace("/", "+"));
  return !existsSync(dir) || !statSync(dir).isDirectory();
});
if (missing.length > 0)
  fail(
    `no checkout for ${missing.map((l) => l.repo).join(", ")} under ${checkouts}; run bench/aibom-checkout.sh /work/.mirror ${checkouts}`,
  );

interface RepoResult {
  repo: string;
  split: Split;
  commit: string;
  files: number;
  wallSeconds: number;
  cpuSeconds: number;
  score: RepoScore;
}

// Loaded once: every repository is scanned with the same shipped catalog (and the scanner reuses
// what it builds from one catalog object), so each repository's CPU time is its own scan's.
const catalog = loadAiCatalog();
const results: RepoResult[] = [];
for (const labels of selected) {
  const dir = join(checkouts, labels.repo.replace("/", "+"));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await scanCodebase(dir, { catalog });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  results.push({
    repo: labels.repo,
    split: toSplit(labels),
    commit: labels.commit,
    files: report.stats.files,
    wallSeconds: round(wall),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    score: scoreRepo(labels, toObserved(report, dir)),
  });
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Which scanner was measured: the commit and the uncommitted changes under src/scan/code and
 * rules/ (read-only git; GIT_OPTIONAL_LOCKS=0 keeps `git status` from rewriting the index).
 * Null outside a git checkout, e.g. in a `git archive` copy.
 */
function scannerRevision(): { commit: string; uncommitted: string[] } | null {
  const root = join(import.meta.dirname, "..");
  try {
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", root, ...args], {
        encoding: "utf8",
        env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
        stdio: ["ignore", "pipe", "ignore"],
      }).trimEnd();
    if (git("rev-parse", "--show-toplevel") !== root) return null;
    const uncommitted = git("status", "--porcelain", "--", "src/scan/code", "rules").split("\n").filter(Boolean);
    return { commit: git("rev-parse", "HEAD"), uncommitted };
  } catch {
    return null;
  }
}

const scores = results.map((r) => r.score);
const sum = (f: (r: RepoResult) => number) => round(results.reduce((a, r) => a + f(r), 0));
const output = {
  split,
  splitRule: SPLIT_RULE,
  scanner: scannerRevision(),
  repos: results.map((r) => ({
    repo: r.repo,
    split: r.split,
    commit: r.commit,
    files: r.files,
    wallSeconds: r.wallSeconds,
    cpuSeconds: r.cpuSeconds,
    ...Object.fromEntries(
      CATEGORIES.map((c) => {
        const { falsePositives, falseNegatives, ...counts } = r.score.categories[c];
        return [c, values.details ? { ...counts, falsePositives, falseNegatives } : counts];
      }),
    ),
    hardNegatives: values.details
      ? r.score.hardNegatives
      : { reported: r.score.hardNegatives.reported, total: r.score.hardNegatives.total },
  })),
  micro: toMicro(scores),
  hardNegatives: {
    reported: Object.fromEntries(
      (["model", "sdk", "mcpServer", "mcpImplementation"] as const).map((k) => [
        k,
        scores.reduce((a, s) => a + s.hardNegatives.reported[k], 0),
      ]),
    ),
    total: scores.reduce((a, s) => a + s.hardNegatives.total, 0),
    labelled: scores.reduce((a, s) => a + Object.values(s.hardNegatives.labelled).reduce((x, y) => x + y, 0), 0),
  },
  time: {
    repos: results.length,
    files: sum((r) => r.files),
    wallSeconds: sum((r) => r.wallSeconds),
    cpuSeconds: sum((r) => r.cpuSeconds),
  },
};
process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
