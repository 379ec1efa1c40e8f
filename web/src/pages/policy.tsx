/** Policy: the effective policy every gate and guard applies, its exceptions and their expiry, and recent gate decisions. */
import { apiPath, type PolicyView } from "../api";
import type { PageProps } from "../app";
import { Facts, PageHeader, Panel } from "../components/layout";
import { Empty, ErrorNote, Loading, NotAvailable } from "../components/states";
import { formatTime } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

type Decision = PolicyView["decisions"][number];

/** When an exception ends: the day it names, how many days are left, and whether that is soon (two weeks). */
function expiryNote(e: PolicyView["exceptions"][number]): string {
  if (e.expired) return `expired ${e.expires}`;
  if (e.daysLeft < 1) return `${e.expires} (last day, soon)`;
  return `${e.expires} (in ${e.daysLeft} day${e.daysLeft === 1 ? "" : "s"}${e.daysLeft < 14 ? ", soon" : ""})`;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A gate.* event as a row: which gate, what it judged, its decision and why. Gates name their target differently. */
/** Reasons shown per decision; the rest are counted. */
const REASONS_SHOWN = 5;

function decisionRow(d: Decision) {
  const p = d.payload;
  const lines = Array.isArray(p.reasons)
    ? p.reasons.flatMap((r) => {
        if (!r || typeof r !== "object") return text(r) ? [text(r) as string] : [];
        const { ruleId, message, waivedBy } = r as { ruleId?: unknown; message?: unknown; waivedBy?: unknown };
        const line = [text(ruleId), text(message)].filter(Boolean).join(": ");
        return line ? [`${line}${text(waivedBy) ? " (waived by an exception)" : ""}`] : [];
      })
    : [];
  const more = lines.length - REASONS_SHOWN + (typeof p.omitted === "number" ? p.omitted : 0);
  return {
    gate: d.kind.replace(/^gate\./, ""),
    policy: text(p.policy),
    target: text(p.target) ?? "—",
    decision: text(p.decision) ?? d.verdict ?? "—",
    reasons: [...lines.slice(0, REASONS_SHOWN), ...(more > 0 ? [`and ${more} more`] : [])],
  };
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
              ["Loaded from", p.files.join(", ") || "built-in defaults"],
            ]}
          />
          <details>
            <summary>The policy as applied (JSON)</summary>
            <pre className="json" data-policy="effective">
              {JSON.stringify(p.spec, null, 2)}
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
                  <th scope="col">Owner</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Expires</th>
                </tr>
              </thead>
              <tbody>
                {p.exceptions.map((e) => (
                  <tr
                    key={`${e.rule} ${e.target} ${e.expires}`}
                    data-exception={e.rule}
                    data-target={e.target}
                    className={e.expired ? "expired" : undefined}
                  >
                    <td className="mono small">
                      <a href={href("findings", { rule: e.rule })}>{e.rule}</a>
                    </td>
                    <td className="mono small">{e.target}</td>
                    <td className="small">{e.owner}</td>
                    <td>{e.reason}</td>
                    <td>{expiryNote(e)}</td>
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
              {p.decisions.map((d) => {
                const row = decisionRow(d);
                return (
                  <tr key={d.id} data-decision={d.id}>
                    <td>{formatTime(d.time)}</td>
                    <td title={row.policy ? `policy ${row.policy}` : undefined}>{row.gate}</td>
                    <td className="mono small">{row.target}</td>
                    <td>
                      <span className={`badge decision-${row.decision}`}>{row.decision}</span>
                    </td>
                    <td>
                      <ul className="plain small">
                        {row.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                );
              })}
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
