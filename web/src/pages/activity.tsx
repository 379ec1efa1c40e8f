/**
 * AI activity: requests through the AI gateway (or calls through the MCP gateway) over a time
 * range — over time, blocked by reason, tokens and estimated GPU time by identity and by model —
 * and the events themselves, each opening to its detail. Prompt and answer excerpts (already
 * redacted by the gateway) are sent by the API to admins only; others see that they are withheld.
 */
import { useMemo } from "react";
import { type Activity, type ActivityKind, type ApiEvent, apiPath, type Page, VERDICTS } from "../api";
import type { PageProps } from "../app";
import { VerdictBadge } from "../components/badges";
import { BarList, RequestsChart } from "../components/charts";
import { Field, FilterBar } from "../components/filters";
import { Facts, PageHeader, Panel, Stat } from "../components/layout";
import { Pager } from "../components/pager";
import { Empty, ErrorNote, Loading } from "../components/states";
import { formatCompact, formatCount, formatDuration, formatTime } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

const RANGES: Record<string, { label: string; ms: number }> = {
  "1h": { label: "last hour", ms: 3_600_000 },
  "6h": { label: "last 6 hours", ms: 6 * 3_600_000 },
  "24h": { label: "last 24 hours", ms: 86_400_000 },
  "7d": { label: "last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "last 30 days", ms: 30 * 86_400_000 },
};
const EVENT_FILTERS = ["verdict", "identity", "model", "reason", "request"] as const;
const PAGE_SIZE = 25;

export function ActivityPage({ location, who }: PageProps) {
  const q = location.query;
  const rangeId = q.get("range") && RANGES[q.get("range") ?? ""] ? (q.get("range") as string) : "24h";
  const range = RANGES[rangeId] as { label: string; ms: number };
  const kind: ActivityKind = q.get("kind") === "mcp.call" ? "mcp.call" : "gateway.request";
  // The range starts when it is chosen, not at every render: one `from` per range and kind.
  // biome-ignore lint/correctness/useExhaustiveDependencies: kind and rangeId re-anchor the range on purpose.
  const from = useMemo(() => Date.now() - range.ms, [rangeId, kind, range.ms]);
  const activity = useApi<Activity>(apiPath("activity", { from, kind }), { keepPrevious: true });
  const unit = kind === "mcp.call" ? "calls" : "requests";

  return (
    <div className="page">
      <PageHeader title="AI activity" />
      <FilterBar path="activity" query={q} keep={EVENT_FILTERS} label="Traffic and time range">
        <Field label="Traffic">
          <select name="kind" defaultValue={kind}>
            <option value="gateway.request">AI gateway requests</option>
            <option value="mcp.call">MCP tool calls</option>
          </select>
        </Field>
        <Field label="Range">
          <select name="range" defaultValue={rangeId}>
            {Object.entries(RANGES).map(([id, r]) => (
              <option key={id} value={id}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
      </FilterBar>
      {activity.error ? (
        <ErrorNote error={activity.error} what="activity" onRetry={activity.reload} />
      ) : !activity.data ? (
        <Loading what="activity" />
      ) : (
        <ActivitySummary activity={activity.data} unit={unit} rangeLabel={range.label} query={q} />
      )}
      <EventsSection query={q} kind={kind} from={from} admin={who.admin} />
    </div>
  );
}

function ActivitySummary({
  activity: a,
  unit,
  rangeLabel,
  query,
}: {
  activity: Activity;
  unit: string;
  rangeLabel: string;
  query: URLSearchParams;
}) {
  const filterEvents = (key: string, value: string) =>
    href("activity", { ...Object.fromEntries(query), cursor: undefined, event: undefined, [key]: value });
  const blocked = a.totals.verdicts.blocked ?? 0;
  return (
    <>
      <div className="stats">
        <Stat
          label={`${unit[0]?.toUpperCase()}${unit.slice(1)}`}
          value={formatCount(a.totals.requests)}
          hint={rangeLabel}
        />
        <Stat
          label="Blocked"
          value={formatCount(blocked)}
          hint={a.totals.requests ? `${Math.round((blocked / a.totals.requests) * 100)}% of ${unit}` : "—"}
          href={filterEvents("verdict", "blocked")}
        />
        <Stat
          label="Redacted or flagged"
          value={formatCount((a.totals.verdicts.redacted ?? 0) + (a.totals.verdicts.flagged ?? 0))}
          hint={`${formatCount(a.totals.verdicts.redacted ?? 0)} redacted`}
        />
        <Stat label="Tokens" value={formatCompact(a.totals.tokens)} hint="prompt + completion" />
        <Stat label="Estimated GPU time" value={formatDuration(a.totals.latencyMs)} hint="sum of upstream time" />
      </div>
      <div className="grid-2">
        <Panel title={`${unit[0]?.toUpperCase()}${unit.slice(1)} over time`}>
          <RequestsChart
            points={a.series}
            from={a.from}
            to={a.to}
            bucketMs={a.bucketMs}
            label={`${unit} over the ${rangeLabel}`}
          />
        </Panel>
        <Panel title="Blocked by reason">
          {a.blockedByReason.length === 0 ? (
            <Empty>Nothing blocked in this range.</Empty>
          ) : (
            <BarList
              label="Blocked by reason"
              items={a.blockedByReason.map((r) => ({
                label: r.reason,
                value: r.count,
                href: filterEvents("reason", r.reason),
                className: "sev-high",
              }))}
            />
          )}
        </Panel>
      </div>
      <div className="grid-2">
        <Panel title="By identity">
          <table className="table compact" data-table="by-identity">
            <thead>
              <tr>
                <th scope="col">Identity</th>
                <th scope="col" className="num">
                  {unit}
                </th>
                <th scope="col" className="num">
                  Blocked
                </th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Est. GPU time
                </th>
              </tr>
            </thead>
            <tbody>
              {a.byIdentity.map((i) => (
                <tr key={i.identity} data-identity={i.identity}>
                  <td>
                    <a href={filterEvents("identity", i.identity)}>{i.identity}</a>
                  </td>
                  <td className="num">{formatCount(i.requests)}</td>
                  <td className="num">{formatCount(i.blocked)}</td>
                  <td className="num">{formatCount(i.tokens)}</td>
                  <td className="num">{formatDuration(i.latencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="By model">
          <table className="table compact" data-table="by-model">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  {unit}
                </th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Est. GPU time
                </th>
              </tr>
            </thead>
            <tbody>
              {a.byModel.map((m) => (
                <tr key={m.model} data-model={m.model}>
                  <td>
                    <a href={filterEvents("model", m.model)}>{m.model}</a>
                  </td>
                  <td className="num">{formatCount(m.requests)}</td>
                  <td className="num">{formatCount(m.tokens)}</td>
                  <td className="num">{formatDuration(m.latencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </>
  );
}

function EventsSection({
  query,
  kind,
  from,
  admin,
}: {
  query: URLSearchParams;
  kind: ActivityKind;
  from: number;
  admin: boolean;
}) {
  const request = query.get("request");
  const events = useApi<Page<ApiEvent>>(
    apiPath("events", {
      kind,
      // A request id names one request: look for it whenever it happened.
      from: request ? undefined : from,
      verdict: query.get("verdict"),
      identity: query.get("identity"),
      model: query.get("model"),
      reason: query.get("reason"),
      request,
      cursor: query.get("cursor"),
      limit: PAGE_SIZE,
    }),
    { keepPrevious: true },
  );
  const selected = query.get("event");
  const base = Object.fromEntries(query);
  return (
    <Panel title="Events">
      <FilterBar path="activity" query={query} keep={["range", "kind", "request"]} label="Filter events">
        <Field label="Verdict">
          <select name="verdict" defaultValue={query.get("verdict") ?? ""}>
            <option value="">any</option>
            {VERDICTS.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Identity">
          <input name="identity" defaultValue={query.get("identity") ?? ""} />
        </Field>
        <Field label="Model">
          <input name="model" defaultValue={query.get("model") ?? ""} />
        </Field>
        <Field label="Reason">
          <input name="reason" defaultValue={query.get("reason") ?? ""} />
        </Field>
      </FilterBar>
      {request && (
        <p className="muted small">
          Events of request <span className="mono">{request}</span>.{" "}
          <a href={href("activity", { ...base, request: undefined, event: undefined, cursor: undefined })}>Show all</a>
        </p>
      )}
      <div className={selected ? "split" : undefined}>
        <div>
          {events.error ? (
            <ErrorNote error={events.error} what="events" onRetry={events.reload} />
          ) : !events.data ? (
            <Loading what="events" />
          ) : events.data.items.length === 0 ? (
            <Empty>No events match.</Empty>
          ) : (
            <>
              <table className="table" data-table="events" aria-busy={events.loading}>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Identity</th>
                    <th scope="col">{kind === "mcp.call" ? "Tool" : "Model"}</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">Reason</th>
                    <th scope="col" className="num">
                      Tokens
                    </th>
                    <th scope="col" className="num">
                      Time taken
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.items.map((e) => (
                    <tr key={e.id} data-event={e.id} className={selected === e.id ? "selected" : undefined}>
                      <td>
                        <a
                          href={href("activity", { ...base, event: e.id })}
                          aria-current={selected === e.id ? "true" : undefined}
                        >
                          {formatTime(e.time)}
                        </a>
                      </td>
                      <td>{e.identity ?? "—"}</td>
                      <td className="mono small">
                        {kind === "mcp.call"
                          ? `${String(e.payload.server ?? "")} ${String(e.payload.target ?? "")}`
                          : (e.model ?? "—")}
                      </td>
                      <td>
                        <VerdictBadge verdict={e.verdict} />
                      </td>
                      <td>{e.reason ?? ""}</td>
                      <td className="num">{e.tokens === null ? "—" : formatCount(e.tokens)}</td>
                      <td className="num">{e.latencyMs === null ? "—" : formatDuration(e.latencyMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                path="activity"
                query={new URLSearchParams({ ...base, event: "" })}
                nextCursor={events.data.nextCursor}
                shown={events.data.items.length}
              />
            </>
          )}
        </div>
        {selected && (
          <EventDetail id={selected} admin={admin} closeHref={href("activity", { ...base, event: undefined })} />
        )}
      </div>
    </Panel>
  );
}

interface Guard {
  guard?: string;
  direction?: string;
  outcome?: string;
  signals?: string[];
  score?: number;
}

function EventDetail({ id, admin, closeHref }: { id: string; admin: boolean; closeHref: string }) {
  const event = useApi<ApiEvent>(apiPath(`events/${encodeURIComponent(id)}`));
  return (
    <aside className="panel detail" aria-label="Event detail" data-detail="event">
      <div className="panel-head">
        <h3>Event</h3>
        <a href={closeHref}>Close</a>
      </div>
      {event.error ? (
        <ErrorNote error={event.error} what="the event" onRetry={event.reload} />
      ) : !event.data ? (
        <Loading what="the event" />
      ) : (
        <EventBody event={event.data} admin={admin} />
      )}
    </aside>
  );
}

function EventBody({ event: e, admin }: { event: ApiEvent; admin: boolean }) {
  const p = e.payload;
  const guards = (Array.isArray(p.guards) ? p.guards : []) as Guard[];
  const excerptFields = ["promptExcerpt", "answerExcerpt", "argumentValues"] as const;
  const withheld = excerptFields.filter((f) => e.withheld.includes(f));
  const shown = excerptFields.filter((f) => f in p);
  const labels: Record<string, string> = {
    promptExcerpt: "Prompt (redacted)",
    answerExcerpt: "Answer (redacted)",
    argumentValues: "Tool arguments",
  };
  return (
    <>
      <Facts
        items={[
          [
            "Id",
            <span key="id" className="mono">
              {e.id}
            </span>,
          ],
          ["Kind", e.kind],
          ["Time", formatTime(e.time)],
          ["Identity", e.identity],
          ["Verdict", <VerdictBadge key="verdict" verdict={e.verdict} />],
          ["Reason", e.reason],
          ["Model", e.model],
          ["Tokens", e.tokens === null ? null : formatCount(e.tokens)],
          ["Time taken", e.latencyMs === null ? null : formatDuration(e.latencyMs)],
          [
            "Request",
            e.correlation.requestId && (
              <span key="request" className="mono">
                {e.correlation.requestId}
              </span>
            ),
          ],
          [
            "Session",
            e.correlation.sessionId && (
              <span key="session" className="mono">
                {e.correlation.sessionId}
              </span>
            ),
          ],
          ["Status", typeof p.status === "number" ? String(p.status) : null],
        ]}
      />
      {guards.length > 0 && (
        <>
          <h4>Guards</h4>
          <ul className="plain" data-list="guards">
            {guards.map((g, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list rendered whole; two guards may match in kind.
              <li key={i}>
                <strong>{g.guard}</strong> on the {g.direction}: {g.outcome}
                {g.signals?.length ? ` (${g.signals.join(", ")})` : ""}
                {typeof g.score === "number" ? ` score ${g.score.toFixed(2)}` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Prompt drill-down</h4>
      {withheld.length > 0 ? (
        <p className="withheld" data-withheld={withheld.join(",")}>
          Withheld: only admins see the redacted prompt and answer of an event (
          {withheld.map((f) => labels[f]).join(", ")}).
        </p>
      ) : shown.length === 0 ? (
        <p className="muted">This event recorded no prompt or answer excerpt.</p>
      ) : (
        shown.map((f) => (
          <div key={f} className="excerpt" data-excerpt={f}>
            <div className="small muted">{labels[f]}</div>
            <pre>{typeof p[f] === "string" ? (p[f] as string) : JSON.stringify(p[f], null, 2)}</pre>
          </div>
        ))
      )}
      {admin && shown.length > 0 && (
        <p className="small muted">Excerpts are stored redacted by the gateway; only admins can see them here.</p>
      )}
      <details>
        <summary>Full payload</summary>
        <pre className="json">{JSON.stringify(p, null, 2)}</pre>
      </details>
    </>
  );
}
