/**
 * Root-cause trace of an incident: its events, back to who sent what (identity, redacted prompt,
 * guard signals, model) and to what ran the code involved (MCP server or workload, its image, the
 * vulnerable components in it), and forward to what followed (tool calls, processes,
 * connections). Every step is an indexed lookup from what the previous one found.
 */
import { type Event, type Severity, severityRank } from "../core/index.js";
import type { Store } from "../store/index.js";
import { type Db, eventIdsBySubjects, eventsById, subjectsByEvent } from "./events.js";
import { getIncident, type Incident, incidentEventIds, incidentHistory } from "./incidents.js";
import { firedGuards, programOf } from "./match.js";
import { type SubjectDirectory, subjectType } from "./subjects.js";

export const NODE_TYPES = [
  "identity",
  "request",
  "signal",
  "model",
  "upstream",
  "tool-call",
  "mcp-server",
  "workload",
  "container",
  "process",
  "connection",
  "file",
  "alert",
  "image",
  "component",
  "vulnerability",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface TraceNode {
  id: string;
  type: NodeType;
  label: string;
  time?: number;
  /** Part of the incident itself (not found around it). */
  inIncident?: boolean;
  detail?: Record<string, unknown>;
}

export interface TraceEdge {
  from: string;
  to: string;
  label: string;
}

export interface IncidentTrace {
  incident: Incident;
  nodes: TraceNode[];
  edges: TraceEdge[];
  /** The incident's events and history in time order. */
  timeline: { time: number; text: string }[];
}

export interface TraceOptions {
  store: Store;
  directory: SubjectDirectory;
  /** How far after the incident's last event to look for what it caused (default 5 min). */
  forwardMs?: number;
  /** Vulnerable components shown per image, worst first (default 5). */
  componentsPerImage?: number;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
/** A JSON object column; unreadable ones read as empty. */
function parseObject(json: string): Record<string, unknown> {
  try {
    return obj(JSON.parse(json));
  } catch {
    return {};
  }
}
const text = (v: unknown, max = 160): string | undefined => {
  if (typeof v !== "string" || v === "") return undefined;
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
};

class Graph {
  readonly nodes = new Map<string, TraceNode>();
  readonly edges = new Map<string, TraceEdge>();
  node(node: TraceNode): string {
    const existing = this.nodes.get(node.id);
    if (!existing) this.nodes.set(node.id, node);
    else if (node.inIncident) existing.inIncident = true;
    return node.id;
  }
  edge(from: string, to: string, label: string): void {
    if (from !== to) this.edges.set(`${from}>${to}>${label}`, { from, to, label });
  }
}

/** The trace of one incident, or undefined when there is no such incident. */
export async function traceIncident(id: string, options: TraceOptions): Promise<IncidentTrace | undefined> {
  const db = options.store.db;
  const incident = await getIncident(db, id);
  if (!incident) return undefined;
  const graph = new Graph();
  const own = (await eventsById(db, await incidentEventIds(db, id))).sort((a, b) => a.time - b.time);
  const subjects = await subjectsByEvent(
    db,
    own.map((e) => e.id),
  );
  for (const event of own) addEvent(graph, event, true);

  // Forward and around: what shares the incident's requests, sessions, servers and workloads.
  const around = new Set<string>();
  for (const set of subjects.values())
    for (const s of set)
      if (["request", "session", "trace", "mcp", "workload", "container"].includes(subjectType(s) ?? "")) around.add(s);
  const first = own[0]?.time ?? incident.openedAt;
  const last = own[own.length - 1]?.time ?? incident.openedAt;
  const nearby = await eventIdsBySubjects(
    db,
    [...around],
    first - 60_000,
    last + (options.forwardMs ?? 300_000),
    "asc",
    200,
  );
  const ownIds = new Set(own.map((e) => e.id));
  for (const event of await eventsById(
    db,
    nearby.filter((n) => !ownIds.has(n)),
  ))
    if (event.kind !== "runtime.exit") addEvent(graph, event, false);

  // Back to code: each MCP server's and container's image, and the vulnerable components in it.
  await addPlacement(graph, db, options, subjects);

  const history = await incidentHistory(db, id);
  const timeline = [
    ...own.map((e) => ({ time: e.time, text: describe(e) })),
    ...history.map((h) => ({ time: h.time, text: `${h.action} by ${h.actor}${h.detail ? `: ${h.detail}` : ""}` })),
  ].sort((a, b) => a.time - b.time);
  return { incident, nodes: [...graph.nodes.values()], edges: [...graph.edges.values()], timeline };
}

/** One line for the timeline. */
export function describe(event: Event): string {
  const p = event.payload;
  switch (event.kind) {
    case "gateway.request": {
      const fired = firedGuards(event).map((g) => `${g.guard} ${g.outcome}`);
      return `request ${event.id} for ${text(p.model) ?? "?"} (${p.status ?? "?"})${fired.length ? `: ${fired.join(", ")}` : ""}`;
    }
    case "mcp.call":
      return `tool call ${text(p.target) ?? "?"} on ${text(p.server) ?? "?"}: ${p.decision ?? "?"}`;
    case "mcp.exec":
      return `MCP server ${text(p.server) ?? "?"} executed ${text(p.path) ?? "?"}`;
    default:
      return `${event.kind}${text(p.rule) ? ` ${text(p.rule)}` : ""}: ${text(p.message) ?? programOf(event) ?? ""}`;
  }
}

function addEvent(graph: Graph, event: Event, inIncident: boolean): void {
  const p = event.payload;
  const identity = event.identity
    ? graph.node({ id: `identity:${event.identity}`, type: "identity", label: event.identity })
    : undefined;
  const base = { time: event.time, ...(inIncident ? { inIncident } : {}) };
  if (event.kind === "gateway.request") {
    const request = graph.node({
      id: `request:${event.id}`,
      type: "request",
      label: `${text(p.endpoint) ?? "request"} ${event.id}`,
      ...base,
      detail: {
        status: p.status,
        route: p.route,
        ...(text(p.promptExcerpt, 500) ? { prompt: text(p.promptExcerpt, 500) } : {}),
        ...(p.promptHmac ? { promptHmac: p.promptHmac } : {}),
      },
    });
    if (identity) graph.edge(identity, request, "sent");
    for (const g of firedGuards(event)) {
      const signal = graph.node({
        id: `signal:${event.id}:${g.guard}:${g.direction ?? ""}`,
        type: "signal",
        label: `${g.guard} ${g.outcome}${g.signals.length ? ` (${g.signals.slice(0, 3).join(", ")})` : ""}`,
        ...base,
        detail: { direction: g.direction },
      });
      graph.edge(request, signal, g.direction === "response" ? "answer raised" : "prompt raised");
    }
    const model = text(p.model);
    if (model) {
      const m = graph.node({ id: `model:${model}`, type: "model", label: model });
      graph.edge(request, m, "asked");
      const upstream = text(p.upstream);
      if (upstream)
        graph.edge(m, graph.node({ id: `upstream:${upstream}`, type: "upstream", label: upstream }), "served by");
    }
    return;
  }
  if (event.kind === "mcp.call") {
    const call = graph.node({
      id: `call:${event.id}`,
      type: "tool-call",
      label: `${text(p.target) ?? "?"} (${p.decision ?? "?"})`,
      ...base,
      detail: { method: p.method, arguments: p.argumentShape, ...(p.reason ? { reason: p.reason } : {}) },
    });
    if (event.correlation.requestId) graph.edge(`request:${event.correlation.requestId}`, call, "led to");
    else if (identity) graph.edge(identity, call, "called");
    for (const g of firedGuards(event)) {
      const signal = graph.node({
        id: `signal:${event.id}:${g.guard}:${g.direction ?? ""}`,
        type: "signal",
        label: `${g.guard} ${g.outcome}`,
        ...base,
      });
      graph.edge(call, signal, "raised");
    }
    const server = text(p.server);
    if (server) graph.edge(call, graph.node({ id: `mcp:${server}`, type: "mcp-server", label: server }), "handled by");
    return;
  }
  if (event.kind === "mcp.exec") {
    const server = text(p.server) ?? "?";
    const argv = Array.isArray(p.argv) ? p.argv.map(String).join(" ") : "";
    const proc = graph.node({
      id: `process:${event.id}`,
      type: "process",
      label: text(argv || String(p.path)) ?? "?",
      ...base,
      detail: { pid: p.pid, path: p.path, source: "sandbox" },
    });
    graph.edge(graph.node({ id: `mcp:${server}`, type: "mcp-server", label: server }), proc, "executed");
    return;
  }
  if (event.kind.startsWith("runtime.")) addRuntime(graph, event, base);
}

function addRuntime(graph: Graph, event: Event, base: Pick<TraceNode, "time" | "inIncident">): void {
  const p = event.payload;
  const container = obj(p.container);
  const k8s = obj(p.k8s);
  const process = obj(p.process);
  const where =
    typeof container.id === "string"
      ? graph.node({
          id: `container:${container.id}`,
          type: "container",
          label: `${text(container.name) ?? container.id}${text(k8s.pod) ? ` in ${k8s.namespace}/${k8s.pod}` : ""}`,
          detail: { image: container.image },
        })
      : typeof p.mcpServer === "string"
        ? graph.node({ id: `mcp:${p.mcpServer}`, type: "mcp-server", label: p.mcpServer })
        : undefined;
  const args = Array.isArray(process.args) ? process.args.map(String).join(" ") : "";
  const label = `${text(process.binary) ?? "?"}${args ? ` ${args}` : ""}`;
  let node: string;
  if (event.kind === "runtime.network") {
    const net = obj(p.network);
    node = graph.node({
      id: `connection:${event.id}`,
      type: "connection",
      label: `${label} → ${net.dstIp ?? "?"}:${net.dstPort ?? "?"}`,
      ...base,
      detail: { ...net, source: p.source },
    });
  } else if (event.kind === "runtime.file") {
    node = graph.node({
      id: `file:${event.id}`,
      type: "file",
      label: `${label}: ${obj(p.file).operation ?? "open"} ${obj(p.file).path ?? "?"}`,
      ...base,
    });
  } else if (event.kind === "runtime.alert") {
    node = graph.node({
      id: `alert:${event.id}`,
      type: "alert",
      label: `${text(p.rule) ?? "alert"}: ${label}`,
      ...base,
      detail: { message: text(p.message, 500), severity: p.severity, source: p.source },
    });
  } else {
    node = graph.node({ id: `process:${event.id}`, type: "process", label, ...base, detail: { source: p.source } });
  }
  if (where) graph.edge(where, node, event.kind === "runtime.network" ? "connected" : "ran");
}

/** MCP servers and containers of the trace → workload and image → vulnerable components. */
async function addPlacement(
  graph: Graph,
  db: Db,
  options: TraceOptions,
  subjects: Map<string, Set<string>>,
): Promise<void> {
  const images = new Map<string, string>();
  for (const node of [...graph.nodes.values()]) {
    if (node.type === "mcp-server") {
      const facts = await options.directory.mcpServer(db, node.label);
      if (facts?.workload) graph.edge(workloadNode(graph, facts.workload), node.id, "runs");
      if (facts?.imageDigest) images.set(facts.imageDigest, node.id);
    }
    if (node.type === "container") {
      const facts = await options.directory.container(db, node.id.slice(10));
      if (facts?.workload) graph.edge(workloadNode(graph, facts.workload), node.id, "runs");
      if (facts?.imageDigest) images.set(facts.imageDigest, node.id);
    }
  }
  // Images the events named themselves (a sensor that knows the digest).
  for (const set of subjects.values())
    for (const s of set)
      if (s.startsWith("image:") && !images.has(s.slice(6))) {
        const owner = [...set].find((x) => x.startsWith("container:") || x.startsWith("mcp:"));
        const ownerNode = owner?.startsWith("container:") ? owner : owner ? `mcp:${owner.slice(4)}` : undefined;
        if (ownerNode && graph.nodes.has(ownerNode)) images.set(s.slice(6), ownerNode);
      }
  for (const [digest, owner] of images) {
    const asset = await db
      .selectFrom("assets")
      .select(["name", "version"])
      .where("id", "=", `image:${digest}`)
      .executeTakeFirst();
    const image = graph.node({
      id: `image:${digest}`,
      type: "image",
      label: asset ? `${asset.name}${asset.version ? `:${asset.version}` : ""}@${digest.slice(0, 19)}` : digest,
      detail: { digest, scanned: Boolean(asset) },
    });
    graph.edge(owner, image, "from image");
    if (asset) await addVulnerable(graph, db, image, digest, options.componentsPerImage ?? 5);
  }
}

function workloadNode(graph: Graph, workload: string): string {
  return graph.node({ id: `workload:${workload}`, type: "workload", label: workload });
}

async function addVulnerable(graph: Graph, db: Db, image: string, digest: string, limit: number): Promise<void> {
  const rows = await db
    .selectFrom("edges as contains")
    .innerJoin("edges as affected", "affected.src", "contains.dst")
    .innerJoin("assets as component", "component.id", "contains.dst")
    .innerJoin("assets as vuln", "vuln.id", "affected.dst")
    .select([
      "component.id as componentId",
      "component.name as componentName",
      "component.version as componentVersion",
      "vuln.id as vulnId",
      "vuln.name as vulnName",
      "vuln.properties as vulnProperties",
      "affected.properties as fix",
    ])
    .where("contains.src", "=", `image:${digest}`)
    .where("contains.kind", "=", "contains")
    .where("affected.kind", "=", "affected-by")
    .limit(5_000)
    .execute();
  const rank = (props: string) => {
    const s = parseObject(props).severity;
    return typeof s === "string" ? severityRank(s.toLowerCase() as Severity) || 0 : 0;
  };
  const byComponent = new Map<string, typeof rows>();
  for (const row of rows) byComponent.set(row.componentId, [...(byComponent.get(row.componentId) ?? []), row]);
  const worst = [...byComponent.values()]
    .map((vulns) => vulns.sort((a, b) => rank(b.vulnProperties) - rank(a.vulnProperties)))
    .sort((a, b) => rank(b[0]?.vulnProperties ?? "{}") - rank(a[0]?.vulnProperties ?? "{}"))
    .slice(0, limit);
  for (const vulns of worst) {
    const c = vulns[0];
    if (!c) continue;
    const component = graph.node({
      id: `component:${c.componentId}`,
      type: "component",
      label: `${c.componentName}${c.componentVersion ? `@${c.componentVersion}` : ""}`,
      detail: { purl: c.componentId },
    });
    graph.edge(image, component, "contains");
    for (const v of vulns.slice(0, 3)) {
      const props = parseObject(v.vulnProperties);
      const vuln = graph.node({
        id: v.vulnId,
        type: "vulnerability",
        label: `${v.vulnName} (${props.severity ?? "?"})`,
        detail: { summary: text(props.summary, 200), fixedIn: parseObject(v.fix).fixedIn },
      });
      graph.edge(component, vuln, "affected by");
    }
  }
}
