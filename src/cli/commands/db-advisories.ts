/**
 * `palisade db import PATH...` and `palisade db update`: OSV advisories into the store, so scans
 * match packages without an advisory folder. Both are incremental: an advisory is written only
 * when its `modified` time is later than the stored copy's. A file that cannot be read is a
 * problem in the report (stderr, and `problems` in JSON), never the end of the import.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import type { Command } from "commander";
import { describeError, PalisadeError, redactUrl } from "../../core/index.js";
import type { AdvisorySummary, Store } from "../../store/index.js";
import type { LoadProblem, LoadReport, OsvAdvisory } from "../../vuln/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext } from "../context.js";
import { renderPairs, renderTable } from "../output.js";

/** osv.dev's bucket of exports: `<base>/<ecosystem>/all.zip`. PALISADE_OSV_URL points elsewhere (a mirror). */
export const OSV_EXPORTS_URL = "https://osv-vulnerabilities.storage.googleapis.com";
/** What `db update` fetches when neither `--ecosystem` nor the store says otherwise. */
export const DEFAULT_UPDATE_ECOSYSTEMS = ["PyPI", "npm", "Go", "Maven", "Debian", "Alpine"] as const;
/** Problems printed on stderr before the rest are only counted. */
const SHOWN_PROBLEMS = 20;
const DOWNLOAD_TIMEOUTS = { connectMs: 15_000, idleMs: 60_000 };

/** What one source (a folder, a zip, a file or a downloaded export) did to the store. */
export interface SourceReport {
  source: string;
  url?: string;
  files: number;
  added: number;
  replaced: number;
  skipped: number;
  problems: LoadProblem[];
}

export function registerDbAdvisories(db: Command, context: Contextual): void {
  const importCommand = db
    .command("import")
    .description(
      "import OSV advisories into the store: folders of .json/.yaml files, osv.dev all.zip exports or single files (incremental)",
    )
    .argument("<paths...>", "OSV folders, all.zip exports or advisory files")
    .addOption(formatOption())
    .action(async (paths: string[], options: { format: string }, command: Command) => {
      const ctx = await context(command.optsWithGlobals());
      // Every path is checked before the store is touched: a typo must not half-import.
      const kinds = await Promise.all(paths.map(sourceKind));
      await withStore(ctx, async (store) => {
        const sources: SourceReport[] = [];
        for (const [i, path] of paths.entries())
          sources.push(await importSource(store, { path, kind: kinds[i] as SourceKind, label: path }));
        await report(ctx, store, sources, options.format);
      });
    });
  withExamples(importCommand, [
    "palisade db import ./advisory-database/vulns",
    "palisade db import PyPI-all.zip npm-all.zip --format json",
    "palisade db import GHSA-xxxx-yyyy-zzzz.json --db postgres://palisade@127.0.0.1/palisade",
  ]);

  const update = db
    .command("update")
    .description(
      "download osv.dev's advisory exports (one all.zip per ecosystem) and import them; needs internet access",
    )
    .option(
      "-e, --ecosystem <names...>",
      `OSV ecosystems (default: those already in the store, else ${DEFAULT_UPDATE_ECOSYSTEMS.join(" ")})`,
    )
    .addOption(formatOption())
    .action(async (options: { ecosystem?: string[]; format: string }, command: Command) => {
      const ctx = await context(command.optsWithGlobals());
      const base = exportsUrl(process.env.PALISADE_OSV_URL);
      const { ECOSYSTEM_RULES } = await import("../../vuln/index.js");
      const known = Object.keys(ECOSYSTEM_RULES);
      const asked = options.ecosystem
        ? [...new Set(options.ecosystem.map((e) => canonicalEcosystem(e, known)))]
        : undefined;
      await withStore(ctx, async (store) => {
        const held = (await store.advisorySummary()).ecosystems.map((e) => e.ecosystem);
        const ecosystems = asked ?? (held.length > 0 ? held : [...DEFAULT_UPDATE_ECOSYSTEMS]);
        const folder = await mkdtemp(join(tmpdir(), "palisade-osv-"));
        try {
          const sources: SourceReport[] = [];
          for (const ecosystem of ecosystems) {
            const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`;
            const file = join(folder, "all.zip");
            ctx.logger.info({ ecosystem, url: redactUrl(url) }, "downloading OSV export");
            const bytes = await download(url, file);
            ctx.logger.info({ ecosystem, bytes }, "importing OSV export");
            const source = await importSource(store, { path: file, kind: "zip", label: ecosystem });
            sources.push({ ...source, url: redactUrl(url), problems: source.problems.map(relabel(file, url)) });
            await rm(file, { force: true });
          }
          await report(ctx, store, sources, options.format);
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      });
    });
  withExamples(update, [
    "palisade db update",
    "palisade db update --ecosystem PyPI npm",
    "PALISADE_OSV_URL=https://osv-mirror.internal palisade db update --ecosystem Debian",
  ]);
}

type SourceKind = "folder" | "zip" | "file";

/** What a path given to `db import` is; exit 2 naming it when it is none of them. */
async function sourceKind(path: string): Promise<SourceKind> {
  const { osvFormatOf } = await import("../../vuln/index.js");
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new PalisadeError("not-found", `${path}: no such file or folder`, { input: path, cause });
  }
  if (info.isDirectory()) return "folder";
  if (info.isFile() && path.toLowerCase().endsWith(".zip")) return "zip";
  if (info.isFile() && osvFormatOf(path)) return "file";
  throw new PalisadeError("bad-input", `${path}: expected a folder, a .zip export or a .json/.yaml OSV file`, {
    input: path,
  });
}

async function withStore(ctx: CommandContext, fn: (store: Store) => Promise<void>): Promise<void> {
  const store = ctx.openStore();
  try {
    await store.migrate();
    await fn(store);
  } finally {
    await store.close();
  }
}

/** Reads one source into memory (bounded by the vuln loader), then writes it to the store. */
async function importSource(
  store: Store,
  source: { path: string; kind: SourceKind; label: string },
): Promise<SourceReport> {
  const { advisories, report } = await loadSource(source.path, source.kind);
  const result = await store.importAdvisories(advisories);
  const problems = [
    ...report.problems,
    ...result.rejected.map((r) => ({
      file: source.path,
      code: "bad-input" as const,
      message: `${r.id}: ${r.message}`,
    })),
  ];
  if (report.files === 0 && report.problems.length === 0)
    problems.push({ file: source.path, code: "not-found", message: `${source.path}: no .json/.yaml OSV files` });
  return {
    source: source.label,
    files: report.files,
    added: result.added,
    replaced: result.replaced,
    // Copies the source itself held twice count as skipped, so files = added + replaced + skipped + problems.
    skipped: result.skipped + report.replaced + report.skipped,
    problems,
  };
}

async function loadSource(
  path: string,
  kind: SourceKind,
): Promise<{ advisories: Iterable<OsvAdvisory>; report: LoadReport }> {
  const { DEFAULT_LOAD_LIMITS, loadOsvDirectory, loadOsvZip, parseOsvText } = await import("../../vuln/index.js");
  if (kind !== "file") {
    const { index, report } = kind === "folder" ? await loadOsvDirectory(path) : await loadOsvZip(path);
    return { advisories: index.advisories(), report };
  }
  const report: LoadReport = { files: 1, added: 0, replaced: 0, skipped: 0, problems: [] };
  try {
    const info = await stat(path);
    if (info.size > DEFAULT_LOAD_LIMITS.maxFileBytes)
      throw new PalisadeError("bad-input", `${path}: larger than ${DEFAULT_LOAD_LIMITS.maxFileBytes} bytes`, {
        input: path,
      });
    const advisory = parseOsvText(await readFile(path), path);
    report.added = 1;
    return { advisories: [advisory], report };
  } catch (error) {
    const problem =
      error instanceof PalisadeError
        ? { file: path, code: error.code, message: error.message }
        : { file: path, code: "bad-input" as const, message: `${path}: ${describeError(error)}` };
    report.problems.push(problem);
    return { advisories: [], report };
  }
}

async function report(ctx: CommandContext, store: Store, sources: SourceReport[], format: string): Promise<void> {
  const summary = await store.advisorySummary();
  const total = {
    files: sum(sources, (s) => s.files),
    added: sum(sources, (s) => s.added),
    replaced: sum(sources, (s) => s.replaced),
    skipped: sum(sources, (s) => s.skipped),
    problems: sum(sources, (s) => s.problems.length),
  };
  ctx.logger.info({ store: store.location, ...total }, "advisories imported");
  if (format === "json") {
    ctx.out.json({ store: { dialect: store.dialect, location: store.location }, sources, total, advisories: summary });
    return;
  }
  const problems = sources.flatMap((s) => s.problems);
  for (const problem of problems.slice(0, SHOWN_PROBLEMS))
    process.stderr.write(`palisade: not imported: ${problem.message}\n`);
  if (problems.length > SHOWN_PROBLEMS)
    process.stderr.write(`palisade: ${problems.length - SHOWN_PROBLEMS} more problems (see --format json)\n`);
  ctx.out.text(
    renderTable(
      ["SOURCE", "FILES", "ADDED", "REPLACED", "SKIPPED", "PROBLEMS"],
      sources.map((s) => [s.source, s.files, s.added, s.replaced, s.skipped, s.problems.length]),
    ),
  );
  ctx.out.text("");
  ctx.out.text(
    renderPairs([
      ["store", `${store.dialect} ${store.location}`],
      ["advisories", describeAdvisories(summary)],
    ]),
  );
}

/** `2661 (PyPI 2661), last modified 2024-10-10T17:22:00.587Z`, for `db import|update|status`. */
export function describeAdvisories(summary: AdvisorySummary): string {
  if (summary.total === 0) return "none (palisade db import PATH, or palisade db update)";
  const ecosystems = summary.ecosystems.map((e) => `${e.ecosystem} ${e.advisories}`).join(", ");
  return `${summary.total}${ecosystems ? ` (${ecosystems})` : ""}, last modified ${summary.lastModified ?? "-"}`;
}

function sum(sources: readonly SourceReport[], value: (s: SourceReport) => number): number {
  return sources.reduce((n, s) => n + value(s), 0);
}

/** The export base URL: PALISADE_OSV_URL (http or https, no trailing slash) or osv.dev's bucket. */
function exportsUrl(configured: string | undefined): string {
  if (configured === undefined || configured === "") return OSV_EXPORTS_URL;
  let url: URL;
  try {
    url = new URL(configured);
  } catch (cause) {
    throw new PalisadeError("bad-usage", `PALISADE_OSV_URL is not a URL: ${redactUrl(configured)}`, {
      input: redactUrl(configured),
      cause,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new PalisadeError("bad-usage", `PALISADE_OSV_URL must be http:// or https://, got ${redactUrl(configured)}`, {
      input: redactUrl(configured),
    });
  return configured.replace(/\/+$/, "");
}

/** An ecosystem name as OSV spells it (`pypi` → `PyPI`); only those the matcher knows (`known`). */
function canonicalEcosystem(name: string, known: readonly string[]): string {
  const found = known.find((k) => k.toLowerCase() === name.toLowerCase());
  if (!found)
    throw new PalisadeError("bad-usage", `unknown ecosystem ${name}: give one of ${known.join(", ")}`, {
      input: name,
    });
  return found;
}

/** Streams `url` to `file`, bounded by the zip size limit; any failure is upstream-unavailable, one line. */
async function download(url: string, file: string): Promise<number> {
  const shown = redactUrl(url);
  const fail = (reason: string, cause?: unknown): never => {
    throw new PalisadeError("upstream-unavailable", `cannot download ${shown}: ${reason}`, { input: shown, cause });
  };
  const [{ EnvHttpProxyAgent, fetch }, { DEFAULT_LOAD_LIMITS }] = await Promise.all([
    import("undici"),
    import("../../vuln/index.js"),
  ]);
  const dispatcher = new EnvHttpProxyAgent({
    connect: { timeout: DOWNLOAD_TIMEOUTS.connectMs },
    headersTimeout: DOWNLOAD_TIMEOUTS.idleMs,
    bodyTimeout: DOWNLOAD_TIMEOUTS.idleMs,
  });
  try {
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, { dispatcher });
    } catch (cause) {
      return fail(networkReason(cause), cause);
    }
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return fail(
        `HTTP ${response.status}${response.status === 404 ? " (is the ecosystem spelt as OSV spells it?)" : ""}`,
      );
    }
    const limit = DEFAULT_LOAD_LIMITS.maxZipBytes;
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > limit) {
      await response.body.cancel().catch(() => undefined);
      return fail(`the export is ${declared} bytes, more than the ${limit} bytes allowed`);
    }
    let bytes = 0;
    const bound = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > limit) done(new PalisadeError("upstream-unavailable", `more than ${limit} bytes`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as ReadableStream), bound, createWriteStream(file));
    } catch (cause) {
      return fail(cause instanceof PalisadeError ? cause.message : networkReason(cause), cause);
    }
    return bytes;
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/** The useful part of a fetch failure: `connect ECONNREFUSED 127.0.0.1:1`, not `fetch failed`. */
function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof AggregateError && current.errors.length > 0)
      return current.errors.map((e) => describeError(e)).join("; ");
    if (!(current.cause instanceof Error)) break;
    current = current.cause;
  }
  return describeError(current);
}

/** Problems name the downloaded export by its URL, not by the temporary file. */
function relabel(file: string, url: string): (problem: LoadProblem) => LoadProblem {
  const shown = redactUrl(url);
  return (problem) => ({
    ...problem,
    file: problem.file.split(file).join(shown),
    message: problem.message.split(file).join(shown),
  });
}
