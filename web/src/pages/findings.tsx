/** Findings: every scan's findings, filtered by severity, rule, target, OWASP, status (exceptions) and text, cursor-paged. */
import { apiPath, FINDING_STATUSES, type Finding, OWASP_LLM_2025, type Page, SEVERITIES } from "../api";
import type { PageProps } from "../app";
import { Field, FilterBar } from "../components/filters";
import { FindingsTable } from "../components/findings-table";
import { PageHeader } from "../components/layout";
import { Pager } from "../components/pager";
import { Empty, ErrorNote, Loading } from "../components/states";
import { href } from "../router";
import { useApi } from "../use-api";

const PAGE_SIZE = 50;

export function FindingsPage({ location }: PageProps) {
  const q = location.query;
  const list = useApi<Page<Finding>>(
    apiPath("findings", {
      severity: q.get("severity"),
      min_severity: q.get("min_severity"),
      rule: q.get("rule"),
      target: q.get("target"),
      owasp: q.get("owasp"),
      atlas: q.get("atlas"),
      asset: q.get("asset"),
      q: q.get("q"),
      status: q.get("status"),
      cursor: q.get("cursor"),
      limit: PAGE_SIZE,
    }),
    { keepPrevious: true },
  );
  return (
    <div className="page">
      <PageHeader title="Findings">
        <a href={href("policy")}>Exceptions are in the policy →</a>
      </PageHeader>
      <FilterBar path="findings" query={q} keep={["atlas", "asset", "min_severity"]} label="Filter findings">
        <Field label="Severity">
          <select name="severity" defaultValue={q.get("severity") ?? ""}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Rule">
          <input name="rule" defaultValue={q.get("rule") ?? ""} placeholder="e.g. code." />
        </Field>
        <Field label="Target">
          <input name="target" defaultValue={q.get("target") ?? ""} placeholder="repo, image…" />
        </Field>
        <Field label="OWASP LLM">
          <select name="owasp" defaultValue={q.get("owasp") ?? ""}>
            <option value="">any</option>
            {OWASP_LLM_2025.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select name="status" defaultValue={q.get("status") ?? ""}>
            <option value="">any</option>
            {FINDING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Text">
          <input name="q" type="search" defaultValue={q.get("q") ?? ""} placeholder="in the title" />
        </Field>
      </FilterBar>
      {(q.get("atlas") || q.get("asset") || q.get("min_severity")) && (
        <p className="muted small">
          Also filtered by{" "}
          {[
            q.get("min_severity") && `severity ${q.get("min_severity")} or worse`,
            q.get("atlas") && `MITRE ATLAS ${q.get("atlas")}`,
            q.get("asset") && `asset ${q.get("asset")}`,
          ]
            .filter(Boolean)
            .join(", ")}
          . <a href={href("findings")}>Show all findings</a>
        </p>
      )}
      {list.error ? (
        <ErrorNote error={list.error} what="findings" onRetry={list.reload} />
      ) : !list.data ? (
        <Loading what="findings" />
      ) : list.data.items.length === 0 ? (
        <Empty>No findings match.</Empty>
      ) : (
        <>
          <FindingsTable findings={list.data.items} busy={list.loading} />
          <Pager path="findings" query={q} nextCursor={list.data.nextCursor} shown={list.data.items.length} />
        </>
      )}
    </div>
  );
}
