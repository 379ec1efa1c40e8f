/**
 * Table types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL, integer in SQLite);
 * structured columns are JSON text so both dialects read back the same values.
 */

/**
 * What an asset row stands for; components carry their ComponentKind in `subkind`. Vulnerabilities
 * are assets too, so `component --affected-by--> vulnerability` is an edge like any other.
 */
export const ASSET_KINDS = [
  "component",
  "image",
  "repo",
  "workload",
  /** A container of a pod, keyed by its runtime id: `container:<first 12 hex digits>`. */
  "container",
  "network-policy",
  "model-file",
  "vulnerability",
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export interface AssetsTable {
  id: string;
  kind: AssetKind;
  subkind: string | null;
  name: string;
  version: string | null;
  purl: string | null;
  digest: string | null;
  properties: string;
  first_seen: number;
  last_seen: number;
}

/** Directed edges of the inventory graph, e.g. image --contains--> component. */
export interface EdgesTable {
  src: string;
  dst: string;
  kind: string;
  properties: string;
  created_at: number;
}

export interface ScansTable {
  id: string;
  kind: string;
  target: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  summary: string;
}

export interface FindingsTable {
  id: string;
  scan_id: string | null;
  asset_id: string | null;
  rule_id: string;
  severity: string;
  title: string;
  detail: string;
  location: string | null;
  tags: string;
  fingerprint: string | null;
  created_at: number;
}

export interface EventsTable {
  id: string;
  kind: string;
  time: number;
  identity_id: string | null;
  request_id: string | null;
  trace_id: string | null;
  session_id: string | null;
  payload: string;
}

/**
 * Facts derived from an event's payload (migration 0007) so that lists and dashboards filter and
 * count by them through an index: verdict, the guard or rule behind it, model, tokens. They are
 * not part of the event's hash: the payload they come from is.
 */
export interface EventFactColumns {
  verdict: string | null;
  reason: string | null;
  model: string | null;
  tokens: number | null;
  latency_ms: number | null;
}

/** The dimensions activity is counted by (schema of EventRollupsTable). */
export const ROLLUP_DIMENSIONS = ["verdict", "identity", "model"] as const;

/**
 * Gateway requests and MCP calls counted per hour, per kind, along each dimension on its own:
 * `verdict` (value: the verdict, `reason`: the guard or rule behind it), `identity`, `model`
 * (value; `reason` is ''). Kept current in the transaction that appends the events (migration
 * 0007), so the activity views read a few rows per hour instead of every event. Absent values
 * are '' (key columns). They outlive the events retention prunes: counts, not content.
 */
export interface EventRollupsTable {
  kind: string;
  /** Start of the hour, epoch milliseconds. */
  hour: number;
  dimension: (typeof ROLLUP_DIMENSIONS)[number];
  value: string;
  reason: string;
  count: number;
  /** Of `count`, how many were blocked. */
  blocked: number;
  tokens: number;
  latency_ms: number;
}

/**
 * The audit chain (migration 0004): one row per appended event, or per prune run, in append
 * order. `hash` covers every column but `pruned_at` and the previous row's hash, so editing,
 * deleting or reordering any row breaks the chain (audit-chain.ts verifies it).
 */
export interface EventChainTable {
  seq: number;
  /** `event`: an appended event; `prune`: a retention run (kind and cutoff `time` it deleted). */
  entry: "event" | "prune";
  event_id: string;
  kind: string;
  time: number;
  event_hash: string;
  prev_hash: string;
  hash: string;
  /** For events: when retention deleted the event row; for prune entries: when the run happened. */
  pruned_at: number | null;
}

export interface IdentitiesTable {
  id: string;
  kind: string;
  name: string;
  roles: string;
  properties: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface IncidentsTable {
  id: string;
  title: string;
  severity: string;
  status: string;
  opened_at: number;
  updated_at: number;
  root_asset_id: string | null;
  summary: string;
  /** The correlation rule that opened it (migration 0005). */
  rule_id: string | null;
  /** Same key, same incident: a later match joins it (or reopens it) instead of opening another. */
  dedup_key: string | null;
  owner: string | null;
}

/** What an event is about (`identity:ID`, `request:ID`, `mcp:NAME`, `workload:ID`, `image:DIGEST`...), by time. */
export interface EventSubjectsTable {
  subject: string;
  time: number;
  event_id: string;
  /** The event's kind (null only on rows indexed before migration 0006 whose event was gone). */
  kind: string | null;
}

/** Status changes, assignments and notes of an incident; its events are in incident_events. */
export interface IncidentHistoryTable {
  incident_id: string;
  time: number;
  action: string;
  actor: string;
  detail: string;
}

/** How far (chain sequence) events have been correlated, per correlator name. */
export interface CorrelationCursorTable {
  name: string;
  seq: number;
  updated_at: number;
}

export interface IncidentEventsTable {
  incident_id: string;
  event_id: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  roles: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** One OSV advisory (migration 0003). */
export interface AdvisoriesTable {
  id: string;
  /** OSV `modified`, epoch milliseconds. */
  modified: number;
  imported_at: number;
  /** The advisory as OSV JSON. */
  content: string;
}

/** Which packages an advisory affects: base ecosystem and normalised name, as the vuln index keys them. */
export interface AdvisoryPackagesTable {
  ecosystem: string;
  name: string;
  advisory_id: string;
}

export interface Database {
  assets: AssetsTable;
  edges: EdgesTable;
  scans: ScansTable;
  findings: FindingsTable;
  events: EventsTable & EventFactColumns;
  event_rollups: EventRollupsTable;
  event_chain: EventChainTable;
  identities: IdentitiesTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  event_subjects: EventSubjectsTable;
  incident_history: IncidentHistoryTable;
  correlation_cursor: CorrelationCursorTable;
  api_keys: ApiKeysTable;
  advisories: AdvisoriesTable;
  advisory_packages: AdvisoryPackagesTable;
}

/** Tables every store has, in creation order; `db status` reports their row counts. */
export const TABLES = [
  "assets",
  "edges",
  "scans",
  "findings",
  "events",
  "identities",
  "incidents",
  "incident_events",
  "api_keys",
  "advisories",
  "advisory_packages",
  "event_chain",
  "event_subjects",
  "incident_history",
  "event_rollups",
] as const satisfies readonly (keyof Database)[];
