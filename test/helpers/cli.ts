/** Spawn the palisade CLI and capture its streams and exit code. */
import { spawn } from "node:child_process";
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
  /** Text written to the CLI's stdin (default: none, stdin closed). */
  stdin?: string;
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const command = [process.execPath, ENTRY, ...args];
  const [file, ...rest] = options.wrapper ? [...options.wrapper, ...command] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, rest, {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, PALISADE_CONFIG: "", PALISADE_DATABASE_URL: "", ...options.env },
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
