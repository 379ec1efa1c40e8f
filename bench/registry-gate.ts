/**
 * Registry gate throughput: pulls of an allowed ~200 MB image through the gate vs straight from
 * the registry (Debian's docker-registry on loopback), interleaved rounds. Two clients: skopeo
 * (`copy docker://... dir:`, what a user runs; includes writing to disk) and raw blob GETs with
 * undici (the proxy path alone). The verdict is stored after a warm-up pull, as in production
 * once an image has been scanned. Prints JSON; the target is a ratio of at least 0.8.
 *
 *   npm run bench:registry-gate [-- --mb 200 --rounds 3]
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { request } from "undici";
import { buildLayer, writeOciLayout } from "../test/helpers/oci-image.js";
import { freePort, startRegistry } from "../test/helpers/registry.js";

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const totalMb = arg("mb", 200);
const rounds = arg("rounds", 3);
const LAYERS = 4;

if (process.argv.includes("--serve")) {
  // The gate's own process: `palisade` with the arguments after --serve.
  const { main } = await import("../src/cli/main.js");
  process.exitCode = await main([
    process.argv[0] as string,
    "palisade",
    ...process.argv.slice(process.argv.indexOf("--serve") + 1),
  ]);
} else await bench();

async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-bench-gate-"));
  const registry = await startRegistry();
  try {
    // Incompressible content, stored uncompressed: the bytes pulled are the bytes measured.
    const layers = [];
    for (let i = 0; i < LAYERS; i++)
      layers.push(
        await buildLayer({
          compression: "none",
          files: [{ path: `data/blob-${i}.bin`, content: randomBytes(Math.round((totalMb * 1024 * 1024) / LAYERS)) }],
        }),
      );
    writeOciLayout(join(dir, "layout"), { big: { layers, config: { User: "1000" } } });
    await registry.push(join(dir, "layout"), "big", "bench/big:1.0");
    const bytes = layers.reduce((n, l) => n + l.blob.length, 0);

    // The gate runs as `palisade gate registry` in its own process, as in production.
    writeFileSync(
      join(dir, "policy.yaml"),
      "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: bench }\nspec:\n  supplyChain:\n    images: { nonRoot: true }\n    imageVerdicts: { unscanned: wait, scanBudgetSeconds: 120 }\n",
    );
    const port = await freePort();
    const gateProcess = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(import.meta.url),
        "--serve",
        "--db",
        join(dir, "palisade.db"),
        "--log-format",
        "json",
        "gate",
        "registry",
        "--upstream",
        `http://${registry.host}`,
        "--listen",
        `127.0.0.1:${port}`,
        "--policy",
        join(dir, "policy.yaml"),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    await new Promise<void>((resolve, reject) => {
      let log = "";
      gateProcess.stderr?.on("data", (d: Buffer) => {
        log += d.toString();
        if (log.includes("registry gate ready")) resolve();
      });
      gateProcess.once("exit", (code) => reject(new Error(`gate exited ${code}: ${log}`)));
    });
    const gateHost = `127.0.0.1:${port}`;

    const skopeo = async (host: string) => {
      const to = mkdtempSync(join(dir, "pull-"));
      const started = performance.now();
      await run(
        "skopeo",
        ["copy", "--quiet", "--src-tls-verify=false", `docker://${host}/bench/big:1.0`, `dir:${to}`],
        {
          timeout: 600_000,
        },
      );
      const seconds = (performance.now() - started) / 1000;
      rmSync(to, { recursive: true, force: true });
      return seconds;
    };
    const raw = async (host: string) => {
      const started = performance.now();
      const accept = "application/vnd.oci.image.manifest.v1+json";
      const manifest = await request(`http://${host}/v2/bench/big/manifests/1.0`, { headers: { accept } });
      if (manifest.statusCode !== 200) throw new Error(`manifest: HTTP ${manifest.statusCode}`);
      const doc = (await manifest.body.json()) as { layers: { digest: string }[] };
      for (const layer of doc.layers) {
        const blob = await request(`http://${host}/v2/bench/big/blobs/${layer.digest}`);
        for await (const _ of blob.body);
      }
      return (performance.now() - started) / 1000;
    };

    // Warm-up: the first pull through the gate scans the image and stores its verdict.
    const warmStarted = performance.now();
    await skopeo(gateHost);
    const firstPullSeconds = (performance.now() - warmStarted) / 1000;
    await skopeo(registry.host);

    const times = {
      skopeoDirect: [] as number[],
      skopeoGate: [] as number[],
      rawDirect: [] as number[],
      rawGate: [] as number[],
    };
    for (let r = 0; r < rounds; r++) {
      times.skopeoDirect.push(await skopeo(registry.host));
      times.skopeoGate.push(await skopeo(gateHost));
      times.rawDirect.push(await raw(registry.host));
      times.rawGate.push(await raw(gateHost));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const mbps = (seconds: number) => Math.round((bytes / 1024 / 1024 / seconds) * 10) / 10;
    const result = {
      bench: "registry-gate",
      imageMb: Math.round(bytes / 1024 / 1024),
      layers: LAYERS,
      rounds,
      firstPullThroughGateSeconds: Math.round(firstPullSeconds * 100) / 100,
      skopeo: {
        directMBps: mbps(median(times.skopeoDirect)),
        gateMBps: mbps(median(times.skopeoGate)),
        ratio: Math.round((median(times.skopeoDirect) / median(times.skopeoGate)) * 100) / 100,
      },
      rawBlobs: {
        directMBps: mbps(median(times.rawDirect)),
        gateMBps: mbps(median(times.rawGate)),
        ratio: Math.round((median(times.rawDirect) / median(times.rawGate)) * 100) / 100,
      },
      target: 0.8,
    };
    console.log(JSON.stringify(result, null, 2));
    gateProcess.kill("SIGTERM");
    await new Promise((resolve) => gateProcess.once("exit", resolve));
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
