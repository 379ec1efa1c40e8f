/** The findings table the Findings page and an asset's page share: one row per finding, its detail one keypress away. */
import type { Finding } from "../api";
import { formatAgo } from "../format";
import { href } from "../router";
import { SeverityBadge } from "./badges";

function where(location: Record<string, unknown> | null): string | null {
  if (!location || typeof location.path !== "string") return null;
  return `${location.path}${typeof location.line === "number" ? `:${location.line}` : ""}`;
}

export function FindingsTable({
  findings,
  showAsset = true,
  busy = false,
}: {
  findings: readonly Finding[];
  showAsset?: boolean;
  busy?: boolean;
}) {
  return (
    <table className="table" data-table="findings" aria-busy={busy}>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Finding</th>
          <th scope="col">Rule</th>
          {showAsset && <th scope="col">Asset / target</th>}
          {findings.some((f) => f.status) && <th scope="col">Status</th>}
          <th scope="col">Maps to</th>
          <th scope="col">Found</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => (
          <tr key={f.id} data-finding={f.id} data-rule={f.ruleId}>
            <td>
              <SeverityBadge severity={f.severity} />
            </td>
            <td className="wide">
              <details>
                <summary>{f.title}</summary>
                {f.detail && <p>{f.detail}</p>}
                {where(f.location) && (
                  <p className="mono small">
                    at {where(f.location)}
                    {typeof f.location?.layer === "string" ? ` (layer ${f.location.layer.slice(0, 19)})` : ""}
                  </p>
                )}
                {f.references.length > 0 && (
                  <ul className="plain small">
                    {f.references.map((r) => (
                      <li key={r}>
                        {/^https?:\/\//.test(r) ? (
                          <a href={r} rel="noreferrer noopener" target="_blank">
                            {r}
                          </a>
                        ) : (
                          r
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {f.scan && (
                  <p className="small muted">
                    {f.scan.kind} scan of <span className="mono">{f.scan.target}</span>
                  </p>
                )}
              </details>
            </td>
            <td className="mono small rule">{f.ruleId}</td>
            {showAsset && (
              <td className="asset">
                {f.assetId ? (
                  <a href={href(["inventory", f.assetId])} title={f.assetId}>
                    {f.assetId.length > 40 ? `${f.assetId.slice(0, 39)}…` : f.assetId}
                  </a>
                ) : (
                  "—"
                )}
                {f.scan && <div className="muted small mono">{f.scan.target}</div>}
              </td>
            )}
            {findings.some((x) => x.status) && (
              <td data-status={f.status}>
                {f.status && (
                  <span
                    className={`badge finding-${f.status}`}
                    title={
                      f.exception
                        ? `exception for ${f.exception.rule} on ${f.exception.target}, owner ${f.exception.owner}, expires ${f.exception.expires}: ${f.exception.reason}`
                        : undefined
                    }
                  >
                    {f.status}
                  </span>
                )}
                {f.exception && <div className="muted small">until {f.exception.expires}</div>}
              </td>
            )}
            <td className="small">
              {[...f.owasp, ...f.atlas].map((m) => (
                <span key={m} className="badge map">
                  {m}
                </span>
              ))}
            </td>
            <td>{formatAgo(f.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
