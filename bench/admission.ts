/**
 * Admission webhook benchmark (issue 17): p99 latency of one AdmissionReview over TLS at a fixed
 * 200 reviews/s, with image verdicts cached (the judge is asked once per image, then the cache
 * answers), an inventory in the store (SQLite, GPU quota and NetworkPolicies read per review)
 * and a policy with every kubernetes rule on. Target: p99 <= 10 ms. Prints JSON.
 * Run: npm run bench:admission [-- --seconds 15 --rate 200]
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { aContainer, aPolicy, aReview, aWorkload, type Kind } from "../src/gate/fixtures/admission.js";
import {
  createAdmissionController,
  createAdmissionServer,
  createStoreInventory,
  createWebhookCertificates,
  type ImageJudgeLike,
} from "../src/gate/index.js";
import { openStore } from "../src/store/index.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg("seconds", 15);
const rate = arg("rate", 200);

const POLICY = `  supplyChain:
    models:
      approved:
        - id: "meta-llama/*"
  kubernetes:
    privileged: deny
    hostPath: deny
    hostNetwork: deny
    hostPID: deny
    runAsNonRoot: deny
    readOnlyRootFilesystem: deny
    capabilities:
      allowed: [NET_BIND_SERVICE]
    gpuQuota:
      "*":
        nvidia.com/gpu: 100000
    networkPolicyRequired: warn
    images:
      unknown: deny
    models: {}
`;

/** The webhook runs in its own process, as in a cluster, so the load generator does not share its core. */
async function serve(): Promise<void> {
  const certs = JSON.parse(process.env.BENCH_CERTS ?? "{}") as { cert: string; key: string };
  const store = openStore({ location: join(mkdtempSync(join(tmpdir(), "palisade-bench-")), "palisade.db") });
  await store.migrate();
  let judged = 0;
  const judge: ImageJudgeLike = {
    async judge() {
      judged++;
      return {
        digest: `sha256:${"a".repeat(64)}`,
        verdict: { decision: "allow", reasons: [] },
        source: "stored",
        warnings: [],
      };
    },
  };
  const policy = aPolicy(POLICY);
  const controller = createAdmissionController({ policy: () => policy, judge, inventory: createStoreInventory(store) });
  const server = createAdmissionServer({ controller, tls: { cert: certs.cert, key: certs.key } });
  const { port } = await server.listen(0, "127.0.0.1");
  process.stdout.write(`${port}\n`);
  process.stdin.on("data", () => process.stdout.write(`${judged}\n`));
  process.stdin.on("end", () => {
    void server
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
}

if (process.argv.includes("--serve")) {
  await serve();
} else {
  await run();
}

async function run(): Promise<void> {
  const certs = createWebhookCertificates({ names: ["localhost"] });
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--serve"], {
    env: { ...process.env, BENCH_CERTS: JSON.stringify({ cert: certs.cert, key: certs.key }) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const port = Number((await lines.next()).value);
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: certs.caCert });

  const KINDS: Kind[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];
  const bodies = Array.from({ length: 70 }, (_, i) => {
    const kind = KINDS[i % KINDS.length] as Kind;
    const object = aWorkload(kind, {
      name: `w${i}`,
      namespace: `ns${i % 5}`,
      replicas: 1,
      podSpec: {
        containers: [
          aContainer({
            image: `registry.acme.internal/ml/app-${i % 10}:1.${i % 3}`,
            env: [{ name: "MODEL", value: "meta-llama/Llama-3.1-8B-Instruct" }],
            resources: { limits: { cpu: "1", memory: "1Gi", "nvidia.com/gpu": 1 } },
          }),
        ],
      },
    });
    // Dry runs: the inventory stays the same size for the whole run.
    return JSON.stringify(aReview(object, { dryRun: true }));
  });

  function post(body: string): Promise<number> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/validate",
          method: "POST",
          agent,
          servername: "localhost",
          headers: { "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  // Warm up: TLS sessions, JIT, and the verdict cache (one judge call per image).
  for (let i = 0; i < 200; i++) await post(bodies[i % bodies.length] as string);

  const total = Math.round(seconds * rate);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(post(bodies[i % bodies.length] as string).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(pending);
  child.stdin?.write("judged?\n");
  const judged = Number((await lines.next()).value);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0) * 100) / 100;
  const p99 = pct(99);
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: "admission",
        transport: "https (TLS 1.3, keep-alive)",
        reviews: latencies.length,
        targetRate: rate,
        achievedRate: Math.round((latencies.length / elapsed) * 10) / 10,
        judgeCalls: judged,
        server: "separate process, SQLite inventory (quota and NetworkPolicies read per review)",
        latencyMs: { p50: pct(50), p90: pct(90), p99, max: pct(100) },
        targetP99Ms: 10,
        pass: p99 <= 10,
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
  agent.destroy();
  child.stdin?.end();
}
