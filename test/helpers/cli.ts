/** Spawn the palisade CLI and capture its streams and exit code, with stdin a pipe, /dev/null, closed or a terminal. */
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The shipped launcher over dist/: tests exercise what users run. `npm test` builds first;
 * spawning the compiled CLI also costs a fraction of a TypeScript loader's start-up.
 */
const ENTRY = fileURLToPath(new URL("../../bin/palisade.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

export interface RunCliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run under this wrapper command (e.g. bwrap) with its arguments. */
  wrapper?: string[];
  /** Kill the CLI after this long and report `timedOut` (a hang is a failure, never a stuck test). */
  timeoutMs?: number;
  /** Text written to the CLI's stdin, a socket pair as Node pipes it (default: none, stdin is /dev/null). */
  stdin?: string;
}

/**
 * Scans record into the default store (~/.palisade): the CLI under test gets its own, so tests
 * never write into the store of whoever runs them.
 */
let testHome: string | undefined;
function palisadeHome(): string {
  testHome ??= mkdtempSync(join(tmpdir(), "palisade-test-home-"));
  return testHome;
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const command = [process.execPath, ENTRY, ...args];
  const [file, ...rest] = options.wrapper ? [...options.wrapper, ...command] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, rest, {
      cwd: options.cwd ?? process.cwd(),
      env: {
        ...process.env,
        PALISADE_CONFIG: "",
        PALISADE_DATABASE_URL: "",
        PALISADE_HOME: palisadeHome(),
        ...options.env,
      },
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ...(timedOut ? { timedOut } : {}) });
    });
  });
}

/** A wrapper (see `RunCliOptions.wrapper`) that kills a hung command: it fails (exit 124) instead of hanging the suite. */
export const TIMEOUT = ["timeout", "30"];

/** A wrapper that runs the CLI with `file` piped to its stdin, as `cat file | palisade ...` does. */
export const pipedFrom = (file: string): string[] => [
  ...TIMEOUT,
  "sh",
  "-c",
  'f=$1; shift; cat "$f" | "$@"',
  "sh",
  file,
];

/** A wrapper that runs the CLI with its stdin redirected from `file`, as `palisade ... < file` does. */
export const redirectedFrom = (file: string): string[] => [
  ...TIMEOUT,
  "sh",
  "-c",
  'f=$1; shift; exec "$@" < "$f"',
  "sh",
  file,
];

/** A wrapper that runs the CLI with its stdin closed, as `palisade ... <&-` does. */
export const CLOSED_STDIN = [...TIMEOUT, "sh", "-c", 'exec "$@" <&-', "sh"];

/** Exit 2 with exactly one line on stderr matching `message`, and nothing on stdout. */
export function assertOneLineError(result: CliResult, message: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
  assert.match(result.stderr.trimEnd(), message);
  assert.equal(result.stdout, "");
}

/** Whether util-linux script(1) is here to give the CLI a pseudo-terminal (see `runCliOnTerminal`). */
export const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Run the CLI with a pseudo-terminal on stdin (util-linux script(1)); its output comes back merged. */
export function runCliOnTerminal(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, ENTRY, ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    execFile(
      "script",
      ["-qec", command, "/dev/null"],
      { timeout: 30_000, env: { ...process.env, PALISADE_CONFIG: "", PALISADE_DATABASE_URL: "" } },
      (error, stdout) => {
        const code = error ? (error.killed ? null : ((error as { code?: number }).code ?? null)) : 0;
        resolve({ code, output: stdout });
      },
    );
  });
}
