/**
 * The dashboard's client of the Palisade REST API (/api/v1, described at /api/v1/openapi.json):
 * the shapes the pages read, and one fetch wrapper that sends the API key as a bearer token and
 * turns the API's `{"error": {"code", "message"}}` answers into ApiFailure.
 */
import { storedKey } from "./auth";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const VERDICTS = ["allowed", "redacted", "flagged", "blocked", "rejected", "error"] as const;
export type Verdict = (typeof VERDICTS)[number];
/** Component kinds and asset kinds the inventory filters by (server: INVENTORY_TYPES). */
export const INVENTORY_TYPES = [
  "model",
  "ai-sdk",
  "mcp-server",
  "inference-server",
  "service",
  "library",
  "os-package",
  "image",
  "repo",
  "workload",
  "container",
  "model-file",
  "network-policy",
  "vulnerability",
] as const;
export const OWASP_LLM_2025 = [
  "LLM01:2025",
  "LLM02:2025",
  "LLM03:2025",
  "LLM04:2025",
  "LLM05:2025",
  "LLM06:2025",
  "LLM07:2025",
  "LLM08:2025",
  "LLM09:2025",
  "LLM10:2025",
] as const;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WhoAmI {
  id: string;
  name: string;
  kind: string;
  roles: string[];
  admin: boolean;
}

export interface Overview {
  inventory: { type: string; count: number }[];
  findings: Partial<Record<Severity, number>>;
  incidents: Partial<Record<IncidentStatus, Partial<Record<Severity, number>>>>;
  traffic: { since: number; requests: number; blocked: number; mcpCalls: number; mcpBlocked: number };
  topRisks: { ruleId: string; severity: Severity; title: string; count: number; lastSeen: number }[];
  scans: { count: number; last: number | null };
}

export type ActivityKind = "gateway.request" | "mcp.call";

export interface Activity {
  from: number;
  to: number;
  bucketMs: number;
  kind: ActivityKind;
  totals: { requests: number; tokens: number; latencyMs: number; verdicts: Partial<Record<Verdict, number>> };
  series: { time: number; requests: number; blocked: number; tokens: number }[];
  blockedByReason: { reason: string; count: number }[];
  byIdentity: { identity: string; requests: number; blocked: number; tokens: number; latencyMs: number }[];
  /** latencyMs: summed upstream time, the estimate of GPU time. */
  byModel: { model: string; requests: number; tokens: number; latencyMs: number }[];
}

export interface Asset {
  id: string;
  kind: string;
  subkind: string | null;
  name: string;
  version: string | null;
  purl: string | null;
  digest: string | null;
  properties: Record<string, unknown>;
  firstSeen: number;
  lastSeen: number;
}

export interface InventoryItem extends Asset {
  findings: number;
}

export interface Finding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  detail: string;
  location: Record<string, unknown> | null;
  owasp: string[];
  atlas: string[];
  references: string[];
  assetId: string | null;
  scan: { id: string; kind: string; target: string } | null;
  createdAt: number;
  /** In the findings list: whether an exception of the policy in force waives it (or did). */
  status?: FindingStatus;
  exception?: { rule: string; target: string; owner: string; reason: string; expires: string } | null;
}

export const FINDING_STATUSES = ["open", "excepted", "expired"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface AssetDetail extends Asset {
  findings: Finding[];
  edges: {
    direction: "out" | "in";
    kind: string;
    asset: { id: string; kind: string; subkind: string | null; name: string };
  }[];
  runsIn: { id: string; kind: string; name: string; depth: number }[];
}

export interface ApiEvent {
  id: string;
  kind: string;
  time: number;
  identity: string | null;
  correlation: { requestId: string | null; traceId: string | null; sessionId: string | null };
  verdict: Verdict | null;
  reason: string | null;
  model: string | null;
  tokens: number | null;
  latencyMs: number | null;
  payload: Record<string, unknown>;
  /** Payload fields hidden from this caller (prompt and answer excerpts, tool arguments: admins only). */
  withheld: string[];
}

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  owner: string | null;
  ruleId: string | null;
  openedAt: number;
  updatedAt: number;
  summary: {
    rule: string;
    description: string;
    steps: Record<string, string>;
    groupedBy: string[];
    count: number;
    firstSeen: number;
    lastSeen: number;
  };
}

export interface IncidentDetail extends Incident {
  events: string[];
  history: { time: number; action: string; actor: string; detail: string }[];
  timeline: { time: number; text: string }[];
}

export interface TraceNode {
  id: string;
  type: string;
  label: string;
  time?: number;
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
  timeline: { time: number; text: string }[];
}

/** How a control stands under the policy: enforcing, only reporting, or switched off. */
export type ControlState = "enforce" | "monitor" | "off";

/** GET /api/v1/policy (src/server/routes/policy.ts). */
export interface PolicyView {
  name: string;
  /** The files the policy was merged from; empty for the built-in default. */
  files: string[];
  /** The effective policy, defaults filled in. */
  spec: Record<string, unknown>;
  exceptions: {
    rule: string;
    target: string;
    owner: string;
    reason: string;
    /** A day, YYYY-MM-DD; the exception holds through it. */
    expires: string;
    expired: boolean;
    daysLeft: number;
  }[];
  /** Recent gate.* events, newest first. */
  decisions: { id: string; time: number; kind: string; verdict: string | null; payload: Record<string, unknown> }[];
}

export interface Control {
  id: string;
  name: string;
  state: ControlState;
  /** The policy setting (or the scan) that switches it on. */
  setting: string;
}

/** GET /api/v1/compliance. */
export interface ComplianceView {
  policy: string;
  controls: Control[];
  frameworks: {
    id: string;
    name: string;
    items: { id: string; title: string; controls: Control[]; coverage: ControlState; findings: number }[];
  }[];
}

/** An answer other than 2xx: the API's error code and message, or what went wrong on the way. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

type Query = Record<string, string | number | undefined | null>;

/** `/api/v1/<path>?<query>`, leaving out empty values. */
export function apiPath(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return `/api/v1/${path}${qs ? `?${qs}` : ""}`;
}

let onUnauthenticated: (() => void) | undefined;
/** Called when the API answers 401 to a request that carried a key: the app shows the login screen. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

/** One API call with the stored key (or `key` when given, for the login check). */
export async function apiFetch<T>(
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal; key?: string | null } = {},
): Promise<T> {
  const key = init.key !== undefined ? init.key : storedKey();
  const headers: Record<string, string> = { accept: "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiFailure(0, "network", "the Palisade server did not answer");
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && init.key === undefined) onUnauthenticated?.();
    throw new ApiFailure(response.status, error?.code ?? "http", error?.message ?? `HTTP ${response.status}`);
  }
  return body as T;
}
