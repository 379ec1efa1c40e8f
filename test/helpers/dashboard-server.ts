/**
 * A Palisade server with the dashboard for browser tests: `palisade up --demo` from the built CLI
 * (startPalisadeUp), so every page shows what running the product on examples/ records (the scans
 * of the sample project and image, the sample traffic through the gateway, the incident it
 * opens), never hand-written rows. Its admin key is the one `up` printed; a viewer key is made
 * through the API as a user would. Tests read the values they expect from the API, not from here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startPalisadeUp } from "./palisade-up.js";

export interface DashboardServer {
  url: string;
  adminKey: string;
  viewerKey: string;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WEB = join(ROOT, "web");
const DIST = join(WEB, "dist");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than its sources, so the test never runs a stale bundle. */
function ensureDashboardBuilt(): void {
  const index = join(DIST, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(WEB)) return;
  const built = spawnSync("npm", ["run", "--silent", "build:web"], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`npm run build:web failed:\n${built.stdout}\n${built.stderr}`);
}

export async function startDashboardServer(): Promise<DashboardServer> {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first (the test starts the built CLI)");
  ensureDashboardBuilt();
  // Every address on a free port, so this runs beside other `up` processes (up.test.ts among them).
  const up = await startPalisadeUp(["--demo", "--mcp-listen", "127.0.0.1:0"]);
  try {
    const made = await fetch(`${up.url}/api/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${up.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "dashboard-viewer", roles: ["viewer"] }),
    });
    if (made.status !== 201) throw new Error(`POST /api/v1/keys: ${made.status} ${await made.text()}`);
    const { key: viewerKey } = (await made.json()) as { key: string };
    return {
      url: up.url,
      adminKey: up.adminKey,
      viewerKey,
      async close() {
        const code = await up.stop();
        if (code !== 0) throw new Error(`palisade up exited with ${code}:\n${up.output()}`);
      },
    };
  } catch (error) {
    await up.stop();
    throw error;
  }
}
