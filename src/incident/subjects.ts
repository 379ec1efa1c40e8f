/**
 * What an event is about, as `type:value` subjects: the identity, the request and session, the
 * MCP server, the workload, container and image. Rules join steps on shared subjects, and traces
 * walk from an event to everything that shares one; the store indexes them by (subject, time).
 *
 * The event names some subjects itself; the rest come from the inventory (a container's
 * workload and image, an MCP server's image and workload), asked through `SubjectDirectory`.
 */
import type { Event } from "../core/index.js";
import type { Db } from "./events.js";

export const SUBJECT_TYPES = [
  "identity",
  "request",
  "session",
  "trace",
  "model",
  "mcp",
  "tool",
  "workload",
  "pod",
  "container",
  "image",
  "node",
] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** What the inventory knows about a container, an MCP server or a workload. */
export interface ContainerFacts {
  /** `NAMESPACE/KIND/NAME`. */
  workload?: string;
  /** `NAMESPACE/POD`. */
  pod?: string;
  imageDigest?: string;
}
export interface McpServerFacts {
  imageDigest?: string;
  workload?: string;
}

/**
 * Inventory lookups the subjects need; implementations cache, the store answers by key. `db` is
 * the handle to ask through: inside a write transaction, the transaction itself (a SQLite store
 * has one connection, which the transaction holds).
 */
export interface SubjectDirectory {
  container(db: Db, id: string): Promise<ContainerFacts | undefined>;
  mcpServer(db: Db, name: string): Promise<McpServerFacts | undefined>;
  /** MCP servers declared to run in this workload. */
  mcpServersIn(workload: string): Promise<string[]>;
}

export const subject = (type: SubjectType, value: string): string => `${type}:${value}`;

export function subjectType(s: string): SubjectType | undefined {
  const type = s.slice(0, s.indexOf(":"));
  return (SUBJECT_TYPES as readonly string[]).includes(type) ? (type as SubjectType) : undefined;
}

const MAX_VALUE = 512;
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" && v.length <= MAX_VALUE ? v : undefined;
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Subjects an event names by itself, without the inventory. */
export function ownSubjects(event: Event): Set<string> {
  const out = new Set<string>();
  const add = (type: SubjectType, value: unknown) => {
    const v = str(value);
    if (v !== undefined) out.add(subject(type, v));
  };
  const p = event.payload;
  add("identity", event.identity);
  add("request", event.correlation.requestId);
  add("session", event.correlation.sessionId);
  add("trace", event.correlation.traceId);
  const workload = event.correlation.workload;
  if (workload?.startsWith("mcp:")) add("mcp", workload.slice(4));
  else if (workload?.startsWith("workload:")) add("workload", workload.slice(9));
  if (event.kind === "gateway.request") add("model", p.model);
  if (event.kind.startsWith("mcp.")) {
    add("mcp", p.server);
    if (event.kind === "mcp.call") add("tool", p.target);
  }
  if (event.kind.startsWith("runtime.")) {
    const container = obj(p.container);
    const k8s = obj(p.k8s);
    add("container", container.id);
    add("image", container.imageDigest);
    if (str(k8s.namespace) && str(k8s.pod)) add("pod", `${k8s.namespace}/${k8s.pod}`);
    add("node", p.node);
    add("mcp", p.mcpServer);
  }
  return out;
}

/** Own subjects plus what the inventory adds: workload and image of a container, image of an MCP server. */
export async function subjectsOf(db: Db, event: Event, directory: SubjectDirectory): Promise<Set<string>> {
  const out = ownSubjects(event);
  for (const s of [...out]) {
    if (s.startsWith("container:")) {
      const facts = await directory.container(db, s.slice(10));
      if (facts?.workload) out.add(subject("workload", facts.workload));
      if (facts?.pod) out.add(subject("pod", facts.pod));
      if (facts?.imageDigest) out.add(subject("image", facts.imageDigest));
    }
  }
  for (const s of [...out]) {
    if (s.startsWith("mcp:")) {
      const facts = await directory.mcpServer(db, s.slice(4));
      if (facts?.imageDigest) out.add(subject("image", facts.imageDigest));
      if (facts?.workload) out.add(subject("workload", facts.workload));
    }
  }
  for (const s of [...out]) {
    if (s.startsWith("workload:"))
      for (const server of await directory.mcpServersIn(s.slice(9))) out.add(subject("mcp", server));
  }
  return out;
}
