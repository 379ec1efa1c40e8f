/**
 * Runtime event ingestion and correlation on the embedded store (SQLite), and incident traces in
 * a large store. Prints JSON.
 *
 *   npm run bench:ingest                          # 50,000 events ingested; trace in a 1,000,000-event store
 *   npm run bench:ingest -- --events 20000 --store-events 200000
 *
 * Ingestion is what `palisade events serve` does per batch: parse sensor JSON (on its parser thread) (Falco alerts and
 * Tetragon execs, with a few gateway and MCP events between them, as a cluster produces them),
 * append them to the hash-chained audit trail, then correlate (subjects indexed, every shipped
 * rule run on each event). The same events are also appended without correlating, so the cost of
 * correlation is seen side by side. The trace store is filled through the same code paths, with
 * incidents planted at a known depth; the figure is the median and worst time of `traceIncident`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { Event } from "../src/core/index.js";
import {
  createCorrelator,
  createStoreDirectory,
  listIncidents,
  loadRuleSet,
  SHIPPED_RULES,
  traceIncident,
} from "../src/incident/index.js";
import { createSensorParser } from "../src/runtime/index.js";
import { openStore, type Store } from "../src/store/index.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "50000" },
    "store-events": { type: "string", default: "1000000" },
    batch: { type: "string", default: "1000" },
    traces: { type: "string", default: "20" },
  },
});
const EVENTS = Number(values.events);
const STORE_EVENTS = Number(values["store-events"]);
const BATCH = Number(values.batch);
const TRACES = Number(values.traces);

const rules = loadRuleSet([SHIPPED_RULES]);
const dir = mkdtempSync(join(tmpdir(), "palisade-bench-ingest-"));
const T0 = Date.UTC(2026, 11, 1);
const PROGRAMS = [
  "/usr/bin/python3",
  "/usr/local/bin/vllm",
  "/usr/bin/nvidia-smi",
  "/usr/bin/git",
  "/bin/ls",
  "/usr/bin/cat",
];

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0").slice(-width);

/** One Tetragon exec line (most of what a cluster sends) or a Falco alert (every 50th). */
function sensorLine(i: number, base: number): { source: "falco" | "tetragon"; line: string } {
  const time = new Date(base + i * 7);
  const container = hex(0xabc000000000 + (i % 400), 12);
  if (i % 50 === 0)
    return {
      source: "falco",
      line: JSON.stringify({
        time: time.toISOString(),
        rule: i % 100 === 0 ? "palisade_ai_server_unexpected_outbound" : "Read sensitive file untrusted",
        priority: i % 100 === 0 ? "Warning" : "Notice",
        output: `alert ${i}`,
        source: "syscall",
        hostname: `node-${i % 8}`,
        tags: ["palisade"],
        output_fields: {
          "container.id": container,
          "k8s.ns.name": "ai",
          "k8s.pod.name": `vllm-${i % 400}`,
          "proc.name": "python3",
          "proc.exepath": "/usr/bin/python3",
          "proc.cmdline": "python3 -m vllm.entrypoints.openai.api_server",
          "fd.name": "/etc/shadow",
        },
      }),
    };
  return {
    source: "tetragon",
    line: JSON.stringify({
      process_exec: {
        process: {
          exec_id: `e${i}`,
          pid: 1000 + (i % 30_000),
          uid: 1000,
          cwd: "/workspace",
          binary: PROGRAMS[i % PROGRAMS.length],
          arguments: `--step ${i}`,
          start_time: time.toISOString(),
          docker: hex(0xabc000000000 + (i % 400), 15),
          pod: {
            namespace: "ai",
            name: `vllm-${i % 400}`,
            container: { id: `containerd://${container}`, name: "vllm" },
          },
        },
        parent: { pid: 1, binary: "/usr/bin/python3" },
      },
      node_name: `node-${i % 8}`,
      time: time.toISOString(),
    }),
  };
}

/** Gateway and MCP events among the sensor traffic: ordinary requests and tool calls. */
function appEvent(i: number, base: number): Event {
  const time = base + i * 7;
  if (i % 2 === 0)
    return {
      id: `req-${base}-${i}`,
      kind: "gateway.request",
      time,
      identity: `api-key:app-${i % 20}`,
      correlation: { requestId: `req-${base}-${i}` },
      payload: { endpoint: "chat.completions", model: "llama3.1", status: 200, guards: [] },
    };
  return {
    id: `call-${base}-${i}`,
    kind: "mcp.call",
    time,
    identity: `api-key:app-${i % 20}`,
    correlation: { requestId: `req-${base}-${i - 1}` },
    payload: { method: "tools/call", server: "files", target: "files.read", decision: "allow", guards: [] },
  };
}

const parser = createSensorParser();

/**
 * `count` events as batches: sensor JSON parsed and redacted on the parser thread, as `events
 * serve` does (the next batch is parsed while this one is stored), app events as they are.
 */
async function* batches(count: number, base: number): AsyncGenerator<Event[]> {
  const parse = (start: number): Promise<Event[]> => {
    const falco: string[] = [];
    const tetragon: string[] = [];
    const app: Event[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      if (i % 10 === 5) {
        app.push(appEvent(i, base));
        continue;
      }
      const { source, line } = sensorLine(i, base);
      (source === "falco" ? falco : tetragon).push(line);
    }
    return Promise.all([
      parser.parse("falco", Buffer.from(falco.join("\n"))),
      parser.parse("tetragon", Buffer.from(tetragon.join("\n"))),
    ]).then(([f, t]) => [...f.events, ...t.events, ...app]);
  };
  let next = count > 0 ? parse(0) : undefined;
  for (let start = 0; next; start += BATCH) {
    const current = await next;
    next = start + BATCH < count ? parse(start + BATCH) : undefined;
    yield current;
  }
}

function storeAt(name: string): Store {
  // As `events serve` and `worker` open it: WAL checkpoints on a background thread.
  return openStore({
    location: join(dir, `${name}.db`),
    sqliteBusyTimeoutMs: 30_000,
    sqliteBackgroundCheckpoints: true,
  });
}

async function ingest(store: Store, count: number, base: number, correlate: boolean) {
  const directory = createStoreDirectory({ mcp: { files: { command: "files", args: [], env: {}, disabled: false } } });
  const correlator = createCorrelator({
    store,
    rules,
    directory,
    imageSeverity: directory.imageSeverity,
    batchSize: 2000,
  });
  let parsed = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for await (const events of batches(count, base)) {
    parsed += events.length;
    if (!correlate) await store.appendEvents(events);
    // As `events serve` does: correlated in the append's transaction, or by a run when others' events wait first.
    else if (!(await store.appendEventsWith(events, correlator.appended))) await correlator.run();
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    events: parsed,
    seconds: round(seconds),
    eventsPerSecond: Math.round(parsed / seconds),
    cpuSeconds: round((used.user + used.system) / 1e6),
  };
}

/** A chain the shipped injection rule turns into a critical incident, at `time`. */
function plantedChain(n: number, time: number): Event[] {
  const id = `planted-${n}`;
  return [
    {
      id: `${id}-req`,
      kind: "gateway.request",
      time,
      identity: "api-key:bank-app",
      correlation: { requestId: `${id}-req` },
      payload: {
        endpoint: "chat.completions",
        model: "llama3.1",
        status: 200,
        guards: [{ guard: "injection", direction: "prompt", outcome: "flagged", signals: ["override"] }],
      },
    },
    {
      id: `${id}-call`,
      kind: "mcp.call",
      time: time + 500,
      identity: "api-key:bank-app",
      correlation: { requestId: `${id}-req` },
      payload: { method: "tools/call", server: "files", target: "files.shell", decision: "allow", guards: [] },
    },
    {
      id: `${id}-exec`,
      kind: "mcp.exec",
      time: time + 900,
      correlation: { workload: "mcp:files" },
      payload: { server: "files", pid: 7, path: "/bin/sh", argv: ["/bin/sh", "-c", "id"] },
    },
  ];
}

const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

async function main() {
  // Ingestion: the same events appended only, then appended and correlated, side by side.
  const appendOnly = storeAt("append");
  await appendOnly.migrate();
  const appended = await ingest(appendOnly, EVENTS, T0, false);
  await appendOnly.close();
  const correlatedStore = storeAt("correlate");
  await correlatedStore.migrate();
  const correlated = await ingest(correlatedStore, EVENTS, T0, true);
  await correlatedStore.close();

  // Trace: a store of STORE_EVENTS events, correlated, with TRACES planted incidents spread through it.
  const big = storeAt("big");
  await big.migrate();
  const fillStarted = performance.now();
  const every = Math.max(1, Math.floor(STORE_EVENTS / TRACES));
  const directory = createStoreDirectory({ mcp: { files: { command: "files", args: [], env: {}, disabled: false } } });
  const correlator = createCorrelator({
    store: big,
    rules,
    directory,
    imageSeverity: directory.imageSeverity,
    batchSize: 5000,
  });
  let stored = 0;
  let planted = 0;
  for await (const events of batches(STORE_EVENTS, T0 + 86_400_000)) {
    const extra: Event[] = [];
    if (Math.floor((stored + events.length) / every) > planted && planted < TRACES) {
      extra.push(...plantedChain(planted, (events[0] as Event).time));
      planted++;
    }
    await big.appendEvents([...events, ...extra]);
    stored += events.length + extra.length;
    if (stored % 50_000 < BATCH) await correlator.run();
  }
  await correlator.run();
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const incidents = (await listIncidents(big.db, { limit: 1000 })).filter((i) => i.ruleId === "injection-tool-exec");
  const times: number[] = [];
  for (const incident of incidents) {
    const started = performance.now();
    const trace = await traceIncident(incident.id, { store: big, directory });
    times.push(performance.now() - started);
    if (!trace || trace.nodes.length < 5) throw new Error(`trace of ${incident.id} is incomplete`);
  }
  const rows = await big.countRows("events");
  await big.close();
  rmSync(dir, { recursive: true, force: true });
  await parser.close();

  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
        ingest: {
          store: "sqlite",
          batch: BATCH,
          appendOnly: appended,
          appendAndCorrelate: correlated,
          correlateCostRatio: round(appended.eventsPerSecond / correlated.eventsPerSecond),
          target: "≥ 5,000 events/s ingested and correlated",
        },
        trace: {
          storeEvents: rows,
          fillSeconds: round(fillSeconds),
          incidentsTraced: times.length,
          medianMs: round(median(times)),
          maxMs: round(Math.max(...times)),
          target: "≤ 200 ms in a store holding 1M events",
        },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
