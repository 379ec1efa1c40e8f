/** `palisade gateway` as a separate process (the shipped CLI), ready when it logs "gateway listening". */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/palisade.js", import.meta.url));

/** What each started gateway wrote to stderr up to "gateway listening". */
const startupLogs = new WeakMap<ChildProcess, string>();
export const startupLogOf = (child: ChildProcess): string => startupLogs.get(child) ?? "";

export function startGatewayProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, "gateway", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("gateway listening") && !startupLogs.has(child)) {
        startupLogs.set(child, err);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`gateway exited ${code}: ${err}`)));
  });
}

/** SIGTERM (the gateway drains) and wait for the exit. */
export async function stopGatewayProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}
