/**
 * Incidents: the list, and one incident with its timeline, its interactive root-cause graph (click
 * or Enter on a node for its detail) and, for callers allowed to write, a status change.
 */
import { type FormEvent, useId, useState } from "react";
import {
  ApiFailure,
  apiFetch,
  apiPath,
  INCIDENT_STATUSES,
  type Incident,
  type IncidentDetail,
  type IncidentStatus,
  type IncidentTrace,
  type Page,
  SEVERITIES,
  type TraceNode,
  type WhoAmI,
} from "../api";
import type { PageProps } from "../app";
import { SeverityBadge, StatusBadge } from "../components/badges";
import { Field, FilterBar } from "../components/filters";
import { Facts, PageHeader, Panel } from "../components/layout";
import { Pager } from "../components/pager";
import { Empty, ErrorNote, Loading } from "../components/states";
import { TraceGraph } from "../components/trace-graph";
import { formatAgo, formatCount, formatTime } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

const PAGE_SIZE = 50;
/** Roles that may change an incident (server: INCIDENT_WRITE_ROLES). */
const mayWrite = (who: WhoAmI) => who.admin || who.roles.includes("incidents:write");

export function IncidentsPage({ location, who }: PageProps) {
  const id = location.path[1];
  return id ? (
    <IncidentView id={id} selectedNode={location.query.get("node")} who={who} />
  ) : (
    <IncidentList query={location.query} />
  );
}

function IncidentList({ query }: { query: URLSearchParams }) {
  const list = useApi<Page<Incident>>(
    apiPath("incidents", {
      status: query.get("status"),
      severity: query.get("severity"),
      min_severity: query.get("min_severity"),
      cursor: query.get("cursor"),
      limit: PAGE_SIZE,
    }),
    { keepPrevious: true },
  );
  return (
    <div className="page">
      <PageHeader title="Incidents" />
      <FilterBar path="incidents" query={query} keep={["severity"]} label="Filter incidents">
        <Field label="Status">
          <select name="status" defaultValue={query.get("status") ?? ""}>
            <option value="">any</option>
            <option value="open,acknowledged">open or acknowledged</option>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Severity">
          <select name="min_severity" defaultValue={query.get("min_severity") ?? ""}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s === "critical" ? "critical" : `${s} or worse`}
              </option>
            ))}
          </select>
        </Field>
      </FilterBar>
      {list.error ? (
        <ErrorNote error={list.error} what="incidents" onRetry={list.reload} />
      ) : !list.data ? (
        <Loading what="incidents" />
      ) : list.data.items.length === 0 ? (
        <Empty>No incidents match.</Empty>
      ) : (
        <>
          <table className="table" data-table="incidents" aria-busy={list.loading}>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Incident</th>
                <th scope="col">Status</th>
                <th scope="col">Owner</th>
                <th scope="col" className="num">
                  Events
                </th>
                <th scope="col">Opened</th>
                <th scope="col">Last event</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id} data-incident={i.id} data-rule={i.ruleId ?? ""}>
                  <td>
                    <SeverityBadge severity={i.severity} />
                  </td>
                  <td className="wide">
                    <a href={href(["incidents", i.id])}>{i.title}</a>
                    <div className="muted small mono">{i.ruleId}</div>
                  </td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                  <td>{i.owner ?? "—"}</td>
                  <td className="num">{formatCount(i.summary.count)}</td>
                  <td>{formatTime(i.openedAt)}</td>
                  <td>{formatAgo(i.summary.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager path="incidents" query={query} nextCursor={list.data.nextCursor} shown={list.data.items.length} />
        </>
      )}
    </div>
  );
}

function IncidentView({ id, selectedNode, who }: { id: string; selectedNode: string | null; who: WhoAmI }) {
  const incident = useApi<IncidentDetail>(apiPath(`incidents/${encodeURIComponent(id)}`));
  const trace = useApi<IncidentTrace>(apiPath(`incidents/${encodeURIComponent(id)}/trace`));
  const back = (
    <p>
      <a href={href("incidents")}>← Incidents</a>
    </p>
  );
  if (incident.error)
    return (
      <div className="page">
        {back}
        <ErrorNote error={incident.error} what={`incident ${id}`} onRetry={incident.reload} />
      </div>
    );
  if (!incident.data) return <Loading what="the incident" />;
  const i = incident.data;
  const nodeHref = (node: string) => href(["incidents", id], { node });
  const selected = trace.data?.nodes.find((n) => n.id === selectedNode) ?? null;
  return (
    <div className="page">
      {back}
      <PageHeader title={i.title}>
        <SeverityBadge severity={i.severity} /> <StatusBadge status={i.status} />
      </PageHeader>
      <div className="grid-2">
        <Panel title="Summary">
          {i.summary.description && <p>{i.summary.description}</p>}
          <Facts
            items={[
              [
                "Rule",
                <span key="rule" className="mono">
                  {i.ruleId ?? i.summary.rule}
                </span>,
              ],
              ["Owner", i.owner ?? "nobody yet"],
              ["Events", formatCount(i.summary.count)],
              ["First event", formatTime(i.summary.firstSeen)],
              ["Last event", formatTime(i.summary.lastSeen)],
              ["Opened", formatTime(i.openedAt)],
              ["Grouped by", i.summary.groupedBy.join(", ")],
              [
                "Steps",
                Object.entries(i.summary.steps)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(" · "),
              ],
            ]}
          />
        </Panel>
        {mayWrite(who) ? (
          <StatusForm incident={i} onSaved={incident.reload} />
        ) : (
          <Panel title="Status">
            <p className="muted" data-readonly="status">
              Your role ({who.roles.join(", ") || "none"}) can read incidents but not change them; an admin or a key
              with the <code>incidents:write</code> role can.
            </p>
          </Panel>
        )}
      </div>
      <Panel title="Root-cause graph">
        {trace.error ? (
          <ErrorNote error={trace.error} what="the trace" onRetry={trace.reload} />
        ) : !trace.data ? (
          <Loading what="the trace" />
        ) : trace.data.nodes.length === 0 ? (
          <Empty>The trace found nothing around this incident.</Empty>
        ) : (
          <div className="graph-layout">
            <TraceGraph nodes={trace.data.nodes} edges={trace.data.edges} selected={selectedNode} nodeHref={nodeHref} />
            {selected ? (
              <NodeDetail node={selected} closeHref={href(["incidents", id])} />
            ) : (
              <p className="muted small">Select a node (click it, or Tab to it and press Enter) to see its detail.</p>
            )}
          </div>
        )}
      </Panel>
      <div className="grid-2">
        <Panel title="Timeline">
          {i.timeline.length === 0 ? (
            <Empty>No events.</Empty>
          ) : (
            <ol className="timeline" data-list="timeline">
              {i.timeline.map((t, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a time-ordered list rendered whole; entries may repeat.
                <li key={n}>
                  <time dateTime={new Date(t.time).toISOString()}>{formatTime(t.time)}</time>
                  <span>{t.text}</span>
                </li>
              ))}
            </ol>
          )}
        </Panel>
        <Panel title="History">
          {i.history.length === 0 ? (
            <Empty>No changes yet.</Empty>
          ) : (
            <ol className="timeline" data-list="history">
              {i.history.map((h, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a time-ordered list rendered whole; entries may repeat.
                <li key={n}>
                  <time dateTime={new Date(h.time).toISOString()}>{formatTime(h.time)}</time>
                  <span>
                    <strong>{h.action}</strong> by {h.actor}
                    {h.detail ? `: ${h.detail}` : ""}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Panel>
      </div>
    </div>
  );
}

/** Shown over the graph's top-right corner, so the graph keeps the panel's full width. */
function NodeDetail({ node, closeHref }: { node: TraceNode; closeHref: string }) {
  const requestId = node.type === "request" && node.id.startsWith("request:") ? node.id.slice("request:".length) : null;
  return (
    <aside className="node-detail" aria-label="Node detail" data-detail="node" data-node={node.id}>
      <div className="panel-head">
        <h3>{node.label}</h3>
        <a href={closeHref}>Close</a>
      </div>
      <Facts
        items={[
          ["Type", node.type],
          [
            "Id",
            <span key="id" className="mono">
              {node.id}
            </span>,
          ],
          ["Time", node.time ? formatTime(node.time) : null],
          ["In the incident", node.inIncident ? "yes" : "no (found around it)"],
          ...Object.entries(node.detail ?? {}).map(
            ([k, v]) =>
              [k, typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v)] as [string, string],
          ),
        ]}
      />
      {requestId && (
        <p>
          <a href={href("activity", { request: requestId })}>Open this request's events →</a>
        </p>
      )}
    </aside>
  );
}

function StatusForm({ incident, onSaved }: { incident: IncidentDetail; onSaved: () => void }) {
  const id = useId();
  const [status, setStatus] = useState<IncidentStatus>(incident.status);
  const [owner, setOwner] = useState(incident.owner ?? "");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    const change: { status?: IncidentStatus; owner?: string | null; note?: string } = {};
    if (status !== incident.status) change.status = status;
    if (owner.trim() !== (incident.owner ?? "")) change.owner = owner.trim() || null;
    if (note.trim()) change.note = note.trim();
    if (Object.keys(change).length === 0) {
      setMessage({ ok: false, text: "Nothing to change." });
      return;
    }
    setBusy(true);
    try {
      await apiFetch(apiPath(`incidents/${encodeURIComponent(incident.id)}`), { method: "PATCH", body: change });
      setNote("");
      setMessage({ ok: true, text: "Saved." });
      onSaved();
    } catch (error) {
      setMessage({ ok: false, text: error instanceof ApiFailure ? error.message : "Could not save." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Status">
      <form className="status-form" onSubmit={save} aria-label="Change the incident">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as IncidentStatus)}>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-owner`}>Owner</label>
        <input id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={200} />
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          {message && (
            <span role="status" className={message.ok ? "ok" : "state-error"}>
              {" "}
              {message.text}
            </span>
          )}
        </div>
      </form>
    </Panel>
  );
}
