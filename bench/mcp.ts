/**
 * MCP gateway benchmark: the latency `palisade mcp proxy` adds to a `tools/call`.
 *
 * One run, one upstream server (test/fixtures/mcp/files-server.mjs, its `echo` tool), three ways
 * to reach it with the official SDK client over stdio, as a desktop agent would:
 *   direct        the agent starts the server itself (the baseline)
 *   palisade-off  the agent starts `palisade mcp proxy`, which starts the server; a policy with
 *                 `guards.mode: off` (authorisation, argument rules and audit only)
 *   palisade-on   the same with the built-in default policy: argument and result guards on
 * Calls are sequential (one in flight, so nothing queues) and interleaved in rounds across the
 * three, so a burst of machine load hits all of them alike. Added latency = proxy percentile
 * minus direct percentile. The proxy path has one more process and pipe hop than direct, which
 * is part of what a user pays and so part of the figure.
 *
 *   npm run build && node --import tsx bench/mcp.ts [--calls=600] [--round=50] [--text=200]
 *
 * Prints JSON on stdout (progress on stderr).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "600" },
    round: { type: "string", default: "50" },
    text: { type: "string", default: "200" },
  },
});
const CALLS = Number(values.calls);
const ROUND = Number(values.round);
const TEXT_CHARS = Number(values.text);

const root = join(import.meta.dirname, "..");
const server = { command: process.execPath, args: [join(root, "test/fixtures/mcp/files-server.mjs")] };
const dir = mkdtempSync(join(tmpdir(), "palisade-bench-mcp-"));
const config = join(dir, "palisade.yaml");
writeFileSync(config, JSON.stringify({ mcp: { servers: { files: server } } }));
const offPolicy = join(dir, "off.yaml");
writeFileSync(
  offPolicy,
  [
    "apiVersion: palisade.dev/v1",
    "kind: Policy",
    "metadata: { name: bench-off }",
    "spec:",
    "  runtime:",
    "    roles: [{ name: all, identities: ['*'], mcp: { servers: ['*'] } }]",
    "    guards: { mode: off }",
  ].join("\n"),
);

const proxyArgs = (policy?: string) => [
  join(root, "bin/palisade.js"),
  "--config",
  config,
  "mcp",
  "proxy",
  ...(policy ? ["--policy", policy] : []),
];

async function connect(command: string, args: string[]): Promise<Client> {
  const client = new Client({ name: "bench-agent", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command,
      args,
      env: { PATH: process.env.PATH ?? "", PALISADE_HOME: dir, PALISADE_LOG_LEVEL: "error" },
      stderr: "ignore",
    }),
  );
  return client;
}

// Ordinary prose, no PII or secrets: the guards scan it and let it through unchanged.
const sentence = "The nightly build finished and every integration test passed on the staging cluster. ";
const text = sentence.repeat(Math.ceil(TEXT_CHARS / sentence.length)).slice(0, TEXT_CHARS);

const targets = {
  direct: await connect(server.command, server.args),
  "palisade-off": await connect(process.execPath, proxyArgs(offPolicy)),
  "palisade-on": await connect(process.execPath, proxyArgs()),
} as const;
type Target = keyof typeof targets;
const names = (tool: string, target: Target) => (target === "direct" ? tool : `files.${tool}`);

const samples: Record<Target, number[]> = { direct: [], "palisade-off": [], "palisade-on": [] };
// Warm-up: JIT, detector caches, the proxy's first-call paths.
for (const target of Object.keys(targets) as Target[])
  for (let i = 0; i < 50; i++)
    await targets[target].callTool({ name: names("echo", target), arguments: { text: `${text} ${i}` } });

for (let done = 0; done < CALLS; done += ROUND) {
  for (const target of Object.keys(targets) as Target[]) {
    for (let i = 0; i < ROUND; i++) {
      const t0 = performance.now();
      const result = await targets[target].callTool({
        name: names("echo", target),
        arguments: { text: `${text} ${done + i}` },
      });
      samples[target].push(performance.now() - t0);
      if ((result as { isError?: boolean }).isError) throw new Error(`${target}: ${JSON.stringify(result)}`);
    }
  }
  process.stderr.write(`\r${Math.min(done + ROUND, CALLS)}/${CALLS} calls per target`);
}
process.stderr.write("\n");

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
const round = (x: number) => Math.round(x * 1000) / 1000;
const stats = Object.fromEntries(
  (Object.keys(samples) as Target[]).map((t) => [
    t,
    { calls: samples[t].length, p50Ms: round(pct(samples[t], 50)), p99Ms: round(pct(samples[t], 99)) },
  ]),
) as Record<Target, { calls: number; p50Ms: number; p99Ms: number }>;
const added = (t: Target) => ({
  p50Ms: round(stats[t].p50Ms - stats.direct.p50Ms),
  p99Ms: round(stats[t].p99Ms - stats.direct.p99Ms),
});

const report = {
  workload: { tool: "echo", textChars: TEXT_CHARS, callsPerTarget: CALLS, round: ROUND, transport: "stdio" },
  latency: stats,
  added: { "palisade-off": added("palisade-off"), "palisade-on": added("palisade-on") },
  summary: {
    target: "added p50 latency per tools/call <= 2 ms (palisade-on vs direct)",
    addedP50Ms: added("palisade-on").p50Ms,
    met: added("palisade-on").p50Ms <= 2,
  },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
await Promise.all(Object.values(targets).map((c) => c.close()));
rmSync(dir, { recursive: true, force: true });
