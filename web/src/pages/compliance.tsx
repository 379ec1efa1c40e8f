/** Compliance: OWASP Top 10 for LLM Applications (2025) and MITRE ATLAS — which controls are on, which findings map where. */
import { apiPath, type ComplianceView } from "../api";
import type { PageProps } from "../app";
import { ControlStateBadge } from "../components/badges";
import { PageHeader, Panel } from "../components/layout";
import { ErrorNote, Loading, NotAvailable } from "../components/states";
import { formatCount } from "../format";
import { href } from "../router";
import { useApi } from "../use-api";

/** The findings filter a framework's item maps to. */
function findingsHref(framework: string, item: string): string | undefined {
  if (framework === "owasp-llm-2025") return href("findings", { owasp: item });
  if (framework === "mitre-atlas") return href("findings", { atlas: item });
  return undefined;
}

export function CompliancePage(_: PageProps) {
  const compliance = useApi<ComplianceView>(apiPath("compliance"));
  if (compliance.error?.status === 404)
    return (
      <div className="page">
        <PageHeader title="Compliance" />
        <NotAvailable what="The compliance view" endpoint="GET /api/v1/compliance" />
      </div>
    );
  if (compliance.error) return <ErrorNote error={compliance.error} what="compliance" onRetry={compliance.reload} />;
  const view = compliance.data;
  if (!view) return <Loading what="compliance" />;
  return (
    <div className="page">
      <PageHeader title="Compliance" />
      {view.frameworks.map((f) => {
        const covered = f.items.filter((i) => i.coverage !== "off").length;
        const withFindings = f.items.filter((i) => i.findings > 0).length;
        return (
          <Panel key={f.id} title={f.name}>
            <p className="muted" data-coverage={f.id}>
              {covered} of {f.items.length} items have a control switched on under the policy {view.policy};{" "}
              {withFindings} have findings.
            </p>
            <table className="table" data-table={`framework-${f.id}`}>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">Controls</th>
                  <th scope="col" className="num">
                    Findings
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.items.map((item) => {
                  const link = item.findings > 0 ? findingsHref(f.id, item.id) : undefined;
                  return (
                    <tr key={item.id} data-item={item.id} data-coverage-state={item.coverage}>
                      <td className="wide">
                        <span className="mono small">{item.id}</span> {item.title}
                      </td>
                      <td>
                        <ControlStateBadge state={item.coverage} />
                      </td>
                      <td>
                        {item.controls.length === 0 ? (
                          <span className="muted small">no control in Palisade</span>
                        ) : (
                          <ul className="plain controls">
                            {item.controls.map((c) => (
                              <li key={c.id} data-control={c.id} title={`switched by ${c.setting}`}>
                                <ControlStateBadge state={c.state} /> {c.name}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td className="num">
                        {link ? <a href={link}>{formatCount(item.findings)}</a> : formatCount(item.findings)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Panel>
        );
      })}
    </div>
  );
}
