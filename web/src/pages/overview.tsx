/** Overview: posture at a glance — what AI runs, what is risky, what is happening, what went wrong. */
import { type Activity, apiPath, INVENTORY_TYPES, type Overview, SEVERITIES, type Severity } from "../api";
import type { PageProps } from "../app";
import { SeverityBadge } from "../components/badges";
import { BarList, RequestsChart } from "../components/charts";
import { PageHeader, Panel, Stat } from "../components/layout";
import { Empty, ErrorNote, Loading } from "../components/states";
import { formatAgo, formatCount, formatTime } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

const ACTIVE = ["open", "acknowledged"] as const;

export function OverviewPage(_: PageProps) {
  const overview = useApi<Overview>(apiPath("overview"));
  const activity = useApi<Activity>(apiPath("activity"));
  if (overview.error) return <ErrorNote error={overview.error} what="the overview" onRetry={overview.reload} />;
  if (!overview.data) return <Loading what="the overview" />;
  const o = overview.data;
  const inventoryTotal = o.inventory.reduce((s, i) => s + i.count, 0);
  const findingsTotal = SEVERITIES.reduce((s, v) => s + (o.findings[v] ?? 0), 0);
  const activeBySeverity = (sev: Severity) => ACTIVE.reduce((s, st) => s + (o.incidents[st]?.[sev] ?? 0), 0);
  const activeIncidents = SEVERITIES.reduce((s, v) => s + activeBySeverity(v), 0);
  const criticalIncidents = activeBySeverity("critical");
  const blockedShare = o.traffic.requests > 0 ? Math.round((o.traffic.blocked / o.traffic.requests) * 100) : 0;

  return (
    <div className="page" aria-busy={overview.loading}>
      <PageHeader title="Overview">
        <span className="muted">Traffic since {formatTime(o.traffic.since)}</span>
      </PageHeader>
      <div className="stats">
        <Stat
          label="AI assets"
          value={formatCount(inventoryTotal)}
          hint={`${o.inventory.length} types`}
          href={href("inventory")}
        />
        <Stat
          label="Findings"
          value={formatCount(findingsTotal)}
          hint={`${formatCount((o.findings.critical ?? 0) + (o.findings.high ?? 0))} critical or high`}
          href={href("findings")}
        />
        <Stat
          label="Open incidents"
          value={formatCount(activeIncidents)}
          hint={`${formatCount(criticalIncidents)} critical`}
          href={href("incidents", { status: "open,acknowledged" })}
        />
        <Stat
          label="AI requests (24 h)"
          value={formatCount(o.traffic.requests)}
          hint={`${formatCount(o.traffic.blocked)} blocked (${blockedShare}%)`}
          href={href("activity")}
        />
        <Stat
          label="MCP tool calls (24 h)"
          value={formatCount(o.traffic.mcpCalls)}
          hint={`${formatCount(o.traffic.mcpBlocked)} blocked`}
          href={href("activity", { kind: "mcp.call" })}
        />
        <Stat
          label="Scans"
          value={formatCount(o.scans.count)}
          hint={o.scans.last ? `last ${formatAgo(o.scans.last)}` : "none yet"}
        />
      </div>

      <div className="grid-2">
        <Panel title="AI traffic, last 24 hours">
          {activity.error ? (
            <ErrorNote error={activity.error} what="traffic" onRetry={activity.reload} />
          ) : !activity.data ? (
            <Loading what="traffic" />
          ) : (
            <RequestsChart
              points={activity.data.series}
              from={activity.data.from}
              to={activity.data.to}
              bucketMs={activity.data.bucketMs}
              label="AI requests over the last 24 hours"
            />
          )}
        </Panel>
        <Panel title="Findings by severity">
          {findingsTotal === 0 ? (
            <Empty>No findings recorded.</Empty>
          ) : (
            <BarList
              label="Findings by severity"
              items={SEVERITIES.map((s) => ({
                label: s,
                value: o.findings[s] ?? 0,
                href: href("findings", { severity: s }),
                className: `sev-${s}`,
              }))}
            />
          )}
        </Panel>
      </div>

      <div className="grid-2">
        <Panel title="Top risks">
          {o.topRisks.length === 0 ? (
            <Empty>No findings recorded.</Empty>
          ) : (
            <table className="table" data-table="top-risks">
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Risk</th>
                  <th scope="col" className="num">
                    Findings
                  </th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {o.topRisks.map((r) => (
                  <tr key={r.ruleId} data-rule={r.ruleId}>
                    <td>
                      <SeverityBadge severity={r.severity} />
                    </td>
                    <td>
                      <a href={href("findings", { rule: r.ruleId })}>{r.title}</a>
                      <div className="muted small mono">{r.ruleId}</div>
                    </td>
                    <td className="num">{formatCount(r.count)}</td>
                    <td>{formatAgo(r.lastSeen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <div className="stack">
          <Panel title="Open incidents by severity">
            {activeIncidents === 0 ? (
              <Empty>No open incidents.</Empty>
            ) : (
              <table className="table compact" data-table="open-incidents">
                <thead>
                  <tr>
                    <th scope="col">Severity</th>
                    <th scope="col" className="num">
                      Open
                    </th>
                    <th scope="col" className="num">
                      Acknowledged
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {SEVERITIES.filter((s) => activeBySeverity(s) > 0).map((s) => (
                    <tr key={s}>
                      <td>
                        <a href={href("incidents", { severity: s, status: "open,acknowledged" })}>
                          <SeverityBadge severity={s} />
                        </a>
                      </td>
                      <td className="num">{formatCount(o.incidents.open?.[s] ?? 0)}</td>
                      <td className="num">{formatCount(o.incidents.acknowledged?.[s] ?? 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
          <Panel title="Inventory">
            <BarList
              label="Assets by type"
              items={[...o.inventory]
                .sort((a, b) => b.count - a.count)
                .map((i) => ({
                  label: i.type,
                  value: i.count,
                  ...((INVENTORY_TYPES as readonly string[]).includes(i.type)
                    ? { href: href("inventory", { type: i.type }) }
                    : {}),
                }))}
            />
          </Panel>
        </div>
      </div>
    </div>
  );
}
