/**
 * Scoring for the AI-BOM corpus (bench/aibom-corpus, issue 15): the label schema, the split
 * rule, and pure matching of what `scanCodebase` reported against the hand labels. No I/O here;
 * bench/aibom.ts reads the labels, runs the scanner and prints the result.
 */
import { createHash } from "node:crypto";
import { isAbsolute, relative } from "node:path";
import { z } from "zod";
import type { CodeScanReport } from "../src/scan/code/index.js";

const EcosystemSchema = z.enum(["pypi", "npm", "go", "maven", "gem", "cargo"]);

/** One label file, as described in bench/aibom-corpus/LABELS.md. Strict: a typo fails loudly. */
export const LabelFileSchema = z.strictObject({
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  why: z.string(),
  labelled: z.string(),
  sdks: z.array(z.strictObject({ name: z.string(), ecosystem: EcosystemSchema, manifest: z.string().nullable() })),
  models: z.array(z.strictObject({ id: z.string(), file: z.string() })),
  mcpServers: z.array(z.strictObject({ name: z.string(), file: z.string() })),
  mcpImplementations: z.array(z.strictObject({ name: z.string(), file: z.string() })),
  hardNegatives: z.array(z.strictObject({ kind: z.string(), value: z.string(), file: z.string(), why: z.string() })),
  uncertain: z.array(z.strictObject({ kind: z.string(), value: z.string(), why: z.string() })),
  notes: z.string(),
  /** Labelling round: 1 (stop 27's thirty repositories) when absent; see the split rule. */
  round: z.number().int().min(1).optional(),
});
export type LabelFile = z.infer<typeof LabelFileSchema>;

export type Split = "dev" | "holdout";

/**
 * The split of a repository. Round 1 (the first thirty, split by sha256 of "owner/name" in stop
 * 27) and round 2 (sixteen more, held out in stop 28) have had their holdout figures reported and
 * were then opened for fixing, so they are `dev` now. The latest round, labelled before the
 * scanner ever ran on it, is the `holdout` (reported, never inspected while fixing).
 */
export const HOLDOUT_ROUND = 22;
export function toSplit(labels: Pick<LabelFile, "round">): Split {
  return (labels.round ?? 1) >= HOLDOUT_ROUND ? "holdout" : "dev";
}

/** The stop-27 rule, kept to say which round-1 repositories were held out then. */
export function toRound1Split(repo: string): Split {
  const first = createHash("sha256").update(repo, "utf8").digest("hex")[0] ?? "f";
  return Number.parseInt(first, 16) <= 5 ? "dev" : "holdout";
}

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** An SDK name in comparable form: PEP 503 for PyPI, exact for npm, go, maven (group:artifact), gem, cargo. */
export function toSdkName(name: string, ecosystem: string): string {
  return ecosystem === "pypi" ? normalizePep503(name) : name;
}

/** A path relative to the repository root with `/` separators (absolute paths are made relative). */
export function toRepoPath(root: string, file: string): string {
  const rel = isAbsolute(file) ? relative(root, file) : file;
  return rel.replaceAll("\\", "/").replace(/^(\.\/)+/, "");
}

/** What the scanner reported, reduced to what the labels describe. */
export interface Observed {
  sdks: { name: string; ecosystem: string; manifest: string | null; usageFiles: string[] }[];
  models: { id: string; file: string; line?: number }[];
  /** Configured servers (transport stdio/http/sse) and implementations (transport "implemented"). */
  mcp: { name: string; file: string; transport: string }[];
}

/** Reduces a scan report to `Observed`, paths relative to `root`. */
export function toObserved(report: CodeScanReport, root: string): Observed {
  return {
    sdks: report.sdks.map((s) => ({
      name: s.name,
      ecosystem: s.ecosystem,
      manifest: s.manifest ? toRepoPath(root, s.manifest) : null,
      usageFiles: [...new Set(s.usages.map((u) => toRepoPath(root, u.file)))],
    })),
    models: report.models.map((m) => ({ id: m.id, file: toRepoPath(root, m.file), line: m.line })),
    mcp: [
      ...report.mcpServers.map((m) => ({ name: m.name, file: toRepoPath(root, m.file), transport: m.transport })),
      // Implementations are a list of their own in the report; here they keep the "implemented" mark.
      ...(report.mcpImplementations ?? []).map((m) => ({
        name: m.name,
        file: toRepoPath(root, m.file),
        transport: "implemented",
      })),
    ],
  };
}

export type Category = "sdks" | "models" | "mcpServers" | "mcpImplementations";
export const CATEGORIES: readonly Category[] = ["sdks", "models", "mcpServers", "mcpImplementations"];

/** Label kinds of `uncertain`/`hardNegatives` entries that correspond to a scored category. */
const KIND_OF: Record<Category, string> = {
  sdks: "sdk",
  models: "model",
  mcpServers: "mcpServer",
  mcpImplementations: "mcpImplementation",
};

/** One comparable item: `key` decides matching, `item` is what --details shows. */
interface Keyed {
  key: string;
  item: Record<string, unknown>;
}

function sdkKey(name: string, ecosystem: string, manifest: string | null): string {
  return `${ecosystem}\u0000${toSdkName(name, ecosystem)}\u0000${manifest ?? ""}`;
}

/** Glob (`*` only) or literal, compared by `same`. */
function matchesPattern(pattern: string, value: string, fold: (s: string) => string): boolean {
  const p = fold(pattern);
  const v = fold(value);
  if (!p.includes("*")) return p === v;
  const re = new RegExp(`^${p.split("*").map(escapeRegExp).join(".*")}$`);
  return re.test(v);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The values an `uncertain` entry stands for. Label writers list several in one entry
 * ("gpt-4o / gpt-4", "math-verify / openreward / harbor", "a, b, c") and add a trailing
 * "(...)" remark: the whole value, each piece split on `,` `;` ` / `, and each piece without its
 * remark all count. MCP server names hold no `/`, so for them a bare `/` separates too. `*` is a glob.
 */
export function toUncertainValues(value: string, kind: string): string[] {
  const separator = kind === "mcpServer" || kind === "mcpImplementation" ? /\s*[,;/]\s*/ : /\s*[,;]\s*|\s+\/\s+/;
  const out = new Set<string>([value.trim()]);
  for (const piece of value.split(separator)) {
    const trimmed = piece.trim();
    if (trimmed) out.add(trimmed);
    const bare = trimmed.replace(/\s*\([^)]*\)?\s*$/, "").trim();
    if (bare) out.add(bare);
  }
  return [...out];
}

/** The comparable name of an item of `category`, folded the way that category compares names. */
function fold(category: Category, ecosystem?: string): (s: string) => string {
  if (category === "models") return (s) => s.toLowerCase();
  if (category === "sdks") return (s) => toSdkName(s, ecosystem ?? "");
  return (s) => s;
}

/** True when `name` (of `category`, with `ecosystem` for SDKs) matches an `uncertain` label. */
export function isUncertain(
  labels: Pick<LabelFile, "uncertain">,
  category: Category,
  name: string,
  ecosystem?: string,
): boolean {
  const kind = KIND_OF[category];
  const f = fold(category, ecosystem);
  return labels.uncertain.some(
    (u) => u.kind === kind && toUncertainValues(u.value, kind).some((v) => matchesPattern(v, name, f)),
  );
}

function expectedItems(labels: LabelFile, category: Category): Keyed[] {
  switch (category) {
    case "sdks":
      return labels.sdks
        .filter((s) => !isUncertain(labels, "sdks", s.name, s.ecosystem))
        .map((s) => ({ key: sdkKey(s.name, s.ecosystem, s.manifest), item: { ...s } }));
    case "models":
      return labels.models
        .filter((m) => !isUncertain(labels, "models", m.id))
        .map((m) => ({ key: `${m.id.toLowerCase()}\u0000${m.file}`, item: { ...m } }));
    case "mcpServers":
    case "mcpImplementations":
      return labels[category]
        .filter((m) => !isUncertain(labels, category, m.name))
        .map((m) => ({ key: `${m.name}\u0000${m.file}`, item: { ...m } }));
  }
}

function reportedItems(labels: LabelFile, observed: Observed, category: Category): Keyed[] {
  switch (category) {
    case "sdks":
      return observed.sdks
        .filter((s) => !isUncertain(labels, "sdks", s.name, s.ecosystem))
        .map((s) => ({
          key: sdkKey(s.name, s.ecosystem, s.manifest),
          item: { name: s.name, ecosystem: s.ecosystem, manifest: s.manifest, usedIn: s.usageFiles.slice(0, 3) },
        }));
    case "models":
      return observed.models
        .filter((m) => !isUncertain(labels, "models", m.id))
        .map((m) => ({ key: `${m.id.toLowerCase()}\u0000${m.file}`, item: { ...m } }));
    case "mcpServers":
    case "mcpImplementations": {
      const implemented = category === "mcpImplementations";
      return observed.mcp
        .filter((m) => (m.transport === "implemented") === implemented)
        .filter((m) => !isUncertain(labels, category, m.name))
        .map((m) => ({ key: `${m.name}\u0000${m.file}`, item: { ...m } }));
    }
  }
}

/** Counts and ratios for one category; a ratio is null when its denominator is 0. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface CategoryScore extends Counts {
  falsePositives: Record<string, unknown>[];
  falseNegatives: Record<string, unknown>[];
}

/** Precision, recall and F1 from counts (rounded to 4 decimals). */
export function toCounts(tp: number, fp: number, fn: number): Counts {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 =
    precision === null || recall === null
      ? null
      : precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
  return { tp, fp, fn, precision: round(precision), recall: round(recall), f1: round(f1) };
}

function dedupe(items: Keyed[]): Map<string, Keyed> {
  const out = new Map<string, Keyed>();
  for (const i of items) if (!out.has(i.key)) out.set(i.key, i);
  return out;
}

/** Scores one category: items deduplicated by key, uncertain ones dropped on both sides. */
export function scoreCategory(labels: LabelFile, observed: Observed, category: Category): CategoryScore {
  const expected = dedupe(expectedItems(labels, category));
  const reported = dedupe(reportedItems(labels, observed, category));
  const falsePositives = [...reported.values()].filter((r) => !expected.has(r.key)).map((r) => r.item);
  const falseNegatives = [...expected.values()].filter((e) => !reported.has(e.key)).map((e) => e.item);
  const tp = reported.size - falsePositives.length;
  return { ...toCounts(tp, falsePositives.length, falseNegatives.length), falsePositives, falseNegatives };
}

export type HardNegativeKind = "model" | "sdk" | "mcpServer" | "mcpImplementation";

export interface HardNegativeScore {
  /** Hard negatives the scanner reported, by kind. */
  reported: Record<HardNegativeKind, number>;
  total: number;
  /** Labelled hard negatives of each scorable kind (the denominators). */
  labelled: Record<HardNegativeKind, number>;
  /** Labelled hard negatives of other kinds (module, file, doc): nothing reported to compare with. */
  notComparable: number;
  items: { kind: string; value: string; file: string }[];
}

/**
 * Which labelled hard negatives the scanner reported: same kind, same value (compared as that
 * category compares names) and same file — for SDKs the manifest or a file that uses it.
 */
export function scoreHardNegatives(labels: LabelFile, observed: Observed): HardNegativeScore {
  const zero = (): Record<HardNegativeKind, number> => ({ model: 0, sdk: 0, mcpServer: 0, mcpImplementation: 0 });
  const reported = zero();
  const labelled = zero();
  let notComparable = 0;
  const items: HardNegativeScore["items"] = [];
  for (const h of labels.hardNegatives) {
    let hit: boolean;
    switch (h.kind) {
      case "model":
        hit = observed.models.some((m) => m.id.toLowerCase() === h.value.toLowerCase() && m.file === h.file);
        break;
      case "sdk":
        hit = observed.sdks.some(
          (s) =>
            toSdkName(s.name, s.ecosystem) === toSdkName(h.value, s.ecosystem) &&
            (s.manifest === h.file || s.usageFiles.includes(h.file)),
        );
        break;
      case "mcpServer":
      case "mcpImplementation": {
        const implemented = h.kind === "mcpImplementation";
        hit = observed.mcp.some(
          (m) => (m.transport === "implemented") === implemented && m.name === h.value && m.file === h.file,
        );
        break;
      }
      default:
        notComparable++;
        continue;
    }
    labelled[h.kind]++;
    if (hit) {
      reported[h.kind]++;
      items.push({ kind: h.kind, value: h.value, file: h.file });
    }
  }
  const total = Object.values(reported).reduce((a, b) => a + b, 0);
  return { reported, total, labelled, notComparable, items };
}

export interface RepoScore {
  categories: Record<Category, CategoryScore>;
  hardNegatives: HardNegativeScore;
}

/** Scores everything the labels of one repository describe. */
export function scoreRepo(labels: LabelFile, observed: Observed): RepoScore {
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, scoreCategory(labels, observed, c)])) as Record<
    Category,
    CategoryScore
  >;
  return { categories, hardNegatives: scoreHardNegatives(labels, observed) };
}

/** Micro-average: counts summed over repositories, ratios computed once from the sums. */
export function toMicro(scores: readonly RepoScore[]): Record<Category, Counts> {
  return Object.fromEntries(
    CATEGORIES.map((c) => {
      const sum = (k: "tp" | "fp" | "fn") => scores.reduce((a, s) => a + s.categories[c][k], 0);
      return [c, toCounts(sum("tp"), sum("fp"), sum("fn"))];
    }),
  ) as Record<Category, Counts>;
}
