/**
 * `palisade up` as users start it, from the shipped CLI: one process on a fresh store, with the
 * addresses and the admin key read from what it prints. Used by the `up` tests and the browser
 * tests of the dashboard (`--demo` fills the store by running the product).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("../../bin/palisade.js", import.meta.url));

export interface RunningUp {
  /** API and dashboard, e.g. http://127.0.0.1:41234 */
  url: string;
  gatewayUrl: string;
  /** The MCP gateway's Streamable HTTP endpoint, when `up` runs one (`--demo` does). */
  mcpUrl: string;
  /** The admin key `up` printed for a fresh store. */
  adminKey: string;
  dbPath: string;
  output: () => string;
  child: ChildProcess;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startPalisadeUp(args: readonly string[] = ["--demo"], timeoutMs = 120_000): Promise<RunningUp> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-up-"));
  const dbPath = join(dir, "palisade.db");
  const child = spawn(
    process.execPath,
    [
      ENTRY,
      "up",
      "--listen",
      "127.0.0.1:0",
      "--gateway-listen",
      "127.0.0.1:0",
      "--db",
      dbPath,
      "--log-level",
      "warn",
      ...args,
    ],
    { env: { ...process.env, HOME: dir, PALISADE_HASH_KEY: "test-hash-key" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`palisade up did not start in ${timeoutMs} ms:\n${stdout}\n${stderr}`)),
      timeoutMs,
    );
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      if (stdout.includes("Press Ctrl+C")) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`palisade up exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  const url = /dashboard\s+(http:\/\/[^/\s]+)/.exec(stdout)?.[1] ?? "";
  const gatewayUrl = /AI gateway\s+(http:\/\/[^/\s]+)/.exec(stdout)?.[1] ?? "";
  const adminKey = /admin key\s+(pal_\S+)/.exec(stdout)?.[1] ?? "";
  const mcpUrl = /MCP gateway\s+(http:\/\/\S+)/.exec(stdout)?.[1] ?? "";
  return {
    url,
    gatewayUrl,
    mcpUrl,
    adminKey,
    dbPath,
    child,
    output: () => `${stdout}\n${stderr}`,
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
