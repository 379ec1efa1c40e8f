/**
 * The demo's scans: the product's own commands run on the sample project, model files and image
 * under `examples/`, recording into the same store, exactly as a user would run them.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PalisadeError } from "../../core/index.js";

export const EXAMPLES_DIR = fileURLToPath(new URL("../../../examples/", import.meta.url));
const CLI = fileURLToPath(new URL("../../../bin/palisade.js", import.meta.url));

/** What the demo scans: the project folder (code and model files together) and the example image. */
export const DEMO_SCANS: readonly (readonly string[])[] = [
  ["scan", "fs", EXAMPLES_DIR],
  ["scan", "image", `oci:${EXAMPLES_DIR}image/layout`, "--advisories", `${EXAMPLES_DIR}advisories`],
];

/** The environment naming the store `db` (and no other: an inherited URL would win over a path). */
async function storeEnv(db: string): Promise<NodeJS.ProcessEnv> {
  const { isPostgresUrl } = await import("../../store/index.js");
  const { PALISADE_DATABASE_URL: _url, PALISADE_DB: _path, ...env } = process.env;
  return { ...env, ...(isPostgresUrl(db) ? { PALISADE_DATABASE_URL: db } : { PALISADE_DB: db }) };
}

async function run(args: readonly string[], db: string): Promise<void> {
  const env = await storeEnv(db);
  return new Promise((resolve, reject) => {
    // The store through the environment: a PostgreSQL URL carries a password, and argv is public.
    const child = spawn(process.execPath, [CLI, ...args, "--format", "json", "--log-level", "error"], {
      stdio: ["ignore", "ignore", "pipe"],
      env,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8").slice(0, 4096);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      // Scans exit 0 whatever they find (no --exit-code); anything else is a failed demo step.
      if (code === 0) resolve();
      else
        reject(
          new PalisadeError(
            "internal",
            `demo step \`palisade ${args.slice(0, 2).join(" ")}\` failed: ${stderr.trim() || `exit ${code}`}`,
          ),
        );
    });
  });
}

/**
 * Run the demo scans against the store at `db` (a path or URL), side by side, each gated by the
 * `policy` files as a CI job would be (the gate's decisions are recorded with the scans).
 */
export async function runDemoScans(db: string, policy: readonly string[]): Promise<number> {
  await Promise.all(DEMO_SCANS.map((args) => run([...args, "--policy", ...policy], db)));
  return DEMO_SCANS.length;
}
