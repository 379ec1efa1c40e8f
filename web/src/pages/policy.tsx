/** Policy: the effective policy every gate and guard applies, its exceptions and their expiry, and recent gate decisions. */
import { apiPath, type PolicyView } from "../api";
import type { PageProps } from "../app";
import { Facts, PageHeader, Panel } from "../components/layout";
import { Empty, ErrorNote, Loading, NotAvailable } from "../components/states";
import { formatTime } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

const DAY = 86_400_000;

function expiryNote(expires: string | number | undefined, expired: boolean): string {
  if (expires === undefined || expires === "") return expired ? "expired" : "never";
  const t = typeof expires === "number" ? expires : Date.parse(expires);
  if (expired) return `expired ${formatTime(t)}`;
  if (Number.isFinite(t) && t - Date.now() < 14 * DAY) return `${formatTime(t)} (soon)`;
  return formatTime(t);
}

export function PolicyPage(_: PageProps) {
  const policy = useApi<PolicyView>(apiPath("policy"));
  if (policy.error?.status === 404) return <NotAvailableView />;
  if (policy.error) return <ErrorNote error={policy.error} what="the policy" onRetry={policy.reload} />;
  if (!policy.data) return <Loading what="the policy" />;
  const p = policy.data;
  const active = p.exceptions.filter((e) => !e.expired).length;
  return (
    <div className="page">
      <PageHeader title="Policy">
        <span className="badge">{p.name}</span>
      </PageHeader>
      <div className="grid-2">
        <Panel title="Effective policy">
          <Facts
            items={[
              ["Name", p.name],
              ["Loaded from", p.sources.join(", ") || "built-in defaults"],
            ]}
          />
          <details>
            <summary>The policy as applied (JSON)</summary>
            <pre className="json" data-policy="effective">
              {JSON.stringify(p.policy, null, 2)}
            </pre>
          </details>
        </Panel>
        <Panel title={`Exceptions (${active} active, ${p.exceptions.length - active} expired)`}>
          {p.exceptions.length === 0 ? (
            <Empty>No exceptions.</Empty>
          ) : (
            <table className="table compact" data-table="exceptions">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Target</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Expires</th>
                </tr>
              </thead>
              <tbody>
                {p.exceptions.map((e) => (
                  <tr key={e.id} data-exception={e.id} className={e.expired ? "expired" : undefined}>
                    <td className="mono small">
                      <a href={href("findings", { rule: e.rule })}>{e.rule}</a>
                    </td>
                    <td className="mono small">{e.target ?? "any"}</td>
                    <td>{e.reason ?? "—"}</td>
                    <td>{expiryNote(e.expires, e.expired)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
      <Panel title="Recent gate decisions">
        {p.decisions.length === 0 ? (
          <Empty>No gate decisions recorded yet.</Empty>
        ) : (
          <table className="table" data-table="decisions">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Gate</th>
                <th scope="col">Target</th>
                <th scope="col">Decision</th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {p.decisions.map((d, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list rendered whole; decisions may repeat.
                <tr key={i}>
                  <td>{formatTime(d.time)}</td>
                  <td>{d.gate}</td>
                  <td className="mono small">{d.target}</td>
                  <td>
                    <span className={`badge decision-${d.decision}`}>{d.decision}</span>
                  </td>
                  <td>
                    <ul className="plain small">
                      {d.reasons.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}

function NotAvailableView() {
  return (
    <div className="page">
      <PageHeader title="Policy" />
      <NotAvailable what="The policy view" endpoint="GET /api/v1/policy" />
    </div>
  );
}
