/**
 * Loads OSV advisories from a folder of .json/.yaml files (an osv.dev bucket copy, a checkout of
 * the PyPA or Go database) or from an OSV `all.zip` export into an advisory index. Bounded in
 * files, depth and bytes; symbolic links are not followed. A file that cannot be read is a
 * problem in the report, never an exception: one broken advisory must not hide the others.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeError, type ErrorCode, isPalisadeError, PalisadeError } from "../core/index.js";
import { createMemoryIndex, type MemoryIndex } from "./index-memory.js";
import { OSV_LIMITS } from "./osv.js";
import { osvFormatOf, parseOsvText } from "./osv-text.js";
import { readZip } from "./zip.js";

export interface LoadLimits {
  /** Advisory files read from one folder tree or archive. */
  maxFiles: number;
  /** Folder depth below the root. */
  maxDepth: number;
  /** Bytes of one advisory file. */
  maxFileBytes: number;
  /** Bytes of a zip archive (it is read into memory). */
  maxZipBytes: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxFiles: 1_000_000,
  maxDepth: 16,
  maxFileBytes: OSV_LIMITS.maxFileBytes,
  maxZipBytes: 1024 * 1024 * 1024,
};

export interface LoadOptions {
  /** Index to add to (incremental loading); a new one when absent. */
  index?: MemoryIndex;
  limits?: Partial<LoadLimits>;
}

/** One file that could not be loaded. */
export interface LoadProblem {
  /** The file (a path, or `archive.zip!entry.json`). */
  file: string;
  code: ErrorCode;
  message: string;
}

export interface LoadReport {
  /** Advisory files read. */
  files: number;
  added: number;
  replaced: number;
  /** Copies not newer than the one already held. */
  skipped: number;
  problems: LoadProblem[];
}

export interface LoadResult {
  index: MemoryIndex;
  report: LoadReport;
}

/** Files read concurrently; the advisories are still added in path order. */
const BATCH = 32;

function problemOf(file: string, error: unknown): LoadProblem {
  if (isPalisadeError(error)) return { file, code: error.code, message: error.message };
  return { file, code: "bad-input", message: `${file}: ${describeError(error)}` };
}

function newReport(): LoadReport {
  return { files: 0, added: 0, replaced: 0, skipped: 0, problems: [] };
}

function addText(index: MemoryIndex, report: LoadReport, content: Uint8Array, file: string) {
  try {
    report[index.add(parseOsvText(content, file))]++;
  } catch (error) {
    report.problems.push(problemOf(file, error));
  }
}

/** Advisory file paths under `root`, sorted, within the limits; overflow is reported. */
async function listFiles(root: string, limits: LoadLimits, report: LoadReport): Promise<string[]> {
  const files: string[] = [];
  const pending: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  while (pending.length > 0) {
    const { dir, depth } = pending.pop() as { dir: string; depth: number };
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === root)
        throw new PalisadeError("not-found", `${root}: cannot read the folder`, { input: root, cause: error });
      report.problems.push(problemOf(dir, error));
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth + 1 > limits.maxDepth) {
          report.problems.push({
            file: path,
            code: "bad-input",
            message: `${path}: deeper than ${limits.maxDepth} folders`,
          });
        } else {
          pending.push({ dir: path, depth: depth + 1 });
        }
      } else if (entry.isFile() && osvFormatOf(entry.name)) {
        if (files.length >= limits.maxFiles) {
          report.problems.push({
            file: root,
            code: "bad-input",
            message: `${root}: more than ${limits.maxFiles} files`,
          });
          return files.sort();
        }
        files.push(path);
      }
    }
  }
  return files.sort();
}

async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const info = await stat(path);
  if (info.size > maxBytes)
    throw new PalisadeError("bad-input", `${path}: larger than ${maxBytes} bytes`, { input: path });
  return readFile(path);
}

/**
 * Reads every .json/.yaml/.yml advisory under `path` (recursively, skipping dot-files and
 * symbolic links). Throws only when `path` itself cannot be read.
 */
export async function loadOsvDirectory(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const limits = { ...DEFAULT_LOAD_LIMITS, ...options.limits };
  const index = options.index ?? createMemoryIndex();
  const report = newReport();
  const files = await listFiles(path, limits, report);
  for (let at = 0; at < files.length; at += BATCH) {
    const batch = files.slice(at, at + BATCH);
    const contents = await Promise.allSettled(batch.map((file) => readBounded(file, limits.maxFileBytes)));
    contents.forEach((content, i) => {
      const file = batch[i] as string;
      report.files++;
      if (content.status === "fulfilled") addText(index, report, content.value, file);
      else report.problems.push(problemOf(file, content.reason));
    });
  }
  return { index, report };
}

/**
 * Reads every .json/.yaml/.yml advisory in a zip archive (OSV's `<ecosystem>/all.zip`). Throws
 * PalisadeError when the archive itself is unreadable; bad entries are problems in the report.
 */
export async function loadOsvZip(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const limits = { ...DEFAULT_LOAD_LIMITS, ...options.limits };
  const index = options.index ?? createMemoryIndex();
  const report = newReport();
  let buf: Buffer;
  try {
    buf = await readBounded(path, limits.maxZipBytes);
  } catch (error) {
    if (isPalisadeError(error)) throw error;
    throw new PalisadeError("not-found", `${path}: cannot read the archive`, { input: path, cause: error });
  }
  const entries = readZip(buf, path, { maxEntries: limits.maxFiles, maxEntryBytes: limits.maxFileBytes })
    .filter((entry) => osvFormatOf(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const file = `${path}!${entry.name}`;
    report.files++;
    let content: Buffer;
    try {
      content = entry.read();
    } catch (error) {
      report.problems.push(problemOf(file, error));
      continue;
    }
    addText(index, report, content, file);
  }
  return { index, report };
}
